//! A `tracing` subscriber that follows the function's logging configuration (feature `tracing`).
//!
//! Lambda's advanced logging controls set `AWS_LAMBDA_LOG_FORMAT` (`Text` or `JSON`) and
//! `AWS_LAMBDA_LOG_LEVEL`. In JSON mode Lambda filters the function's output line by line by its
//! `level` key, so every line, the runtime's own included, must be one JSON object:
//!
//! ```text
//! {"timestamp":"2026-11-23T12:00:00.123Z","level":"INFO","message":"order placed","requestId":"8476a536-...","target":"orders","order_id":42}
//! ```
//!
//! The `requestId` comes from the span the runtime opens around each invocation. `RUST_LOG`, when
//! set, overrides the level with per-target directives (`info,my_crate=debug`).
//!
//! ```no_run
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), lambda_runtime::Error> {
//!     lambda_runtime::logging::init_default_subscriber();
//!     tracing::info!("starting");
//!     # Ok(())
//! }
//! ```

use std::fmt::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

use crate::config::{Config, LogFormat};

/// Installs the subscriber for this process's configuration as the global default, writing to
/// stdout. Does nothing if a global subscriber is already set.
pub fn init_default_subscriber() {
    let config = Config::from_env();
    let filter = filter(&config, std::env::var("RUST_LOG").ok().as_deref());
    match config.log_format {
        LogFormat::Json => {
            let subscriber = tracing_subscriber::registry()
                .with(RequestIdLayer)
                .with(json_layer(std::io::stdout).with_filter(filter));
            let _ = tracing::subscriber::set_global_default(subscriber);
        }
        LogFormat::Text => {
            let subscriber = tracing_subscriber::registry()
                .with(text_layer(std::io::stdout).with_filter(filter));
            let _ = tracing::subscriber::set_global_default(subscriber);
        }
    }
}

/// The subscriber [`init_default_subscriber`] installs, for `config`, writing to `writer`
/// (use it to compose with other layers or to capture logs in tests).
///
/// ```
/// use lambda_runtime::{logging, Config, LogFormat};
///
/// let config = Config::from_lookup(|name| match name {
///     "AWS_LAMBDA_LOG_FORMAT" => Some("JSON".into()),
///     "AWS_LAMBDA_LOG_LEVEL" => Some("WARN".into()),
///     _ => None,
/// });
/// let subscriber = logging::subscriber(&config, None, std::io::sink);
/// tracing::subscriber::with_default(subscriber, || tracing::warn!("written as one JSON line"));
/// ```
pub fn subscriber<W>(
    config: &Config,
    rust_log: Option<&str>,
    writer: W,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = filter(config, rust_log);
    match config.log_format {
        LogFormat::Json => Box::new(
            tracing_subscriber::registry()
                .with(RequestIdLayer)
                .with(json_layer(writer).with_filter(filter)),
        ),
        LogFormat::Text => {
            Box::new(tracing_subscriber::registry().with(text_layer(writer).with_filter(filter)))
        }
    }
}

fn text_layer<S, W>(writer: W) -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    // CloudWatch stamps every line with its own time; Lambda's console shows it.
    tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .without_time()
        .with_writer(writer)
}

fn json_layer<S, W>(writer: W) -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    tracing_subscriber::fmt::layer()
        .event_format(JsonLines)
        .with_writer(writer)
}

/// `RUST_LOG` directives if set and valid, else `AWS_LAMBDA_LOG_LEVEL`, else `INFO`.
fn filter(config: &Config, rust_log: Option<&str>) -> Targets {
    if let Some(directives) = rust_log.filter(|d| !d.trim().is_empty()) {
        match directives.parse::<Targets>() {
            Ok(targets) => return targets,
            Err(e) => eprintln!("lambda-runtime: ignoring RUST_LOG={directives:?}: {e}"),
        }
    }
    let level = match config.log_level.as_deref() {
        Some("TRACE") => LevelFilter::TRACE,
        Some("DEBUG") => LevelFilter::DEBUG,
        Some("WARN") => LevelFilter::WARN,
        // tracing has no FATAL: its most severe level is ERROR.
        Some("ERROR") | Some("FATAL") => LevelFilter::ERROR,
        _ => LevelFilter::INFO,
    };
    Targets::new().with_default(level)
}

/// The request id of an invocation span, kept in the span's extensions.
struct RequestId(String);

/// Remembers the `requestId` field of each new span.
struct RequestIdLayer;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for RequestIdLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: LayerContext<'_, S>) {
        let mut visitor = RequestIdVisitor(None);
        attrs.record(&mut visitor);
        if let (Some(request_id), Some(span)) = (visitor.0, ctx.span(id)) {
            span.extensions_mut().insert(RequestId(request_id));
        }
    }
}

struct RequestIdVisitor(Option<String>);

impl Visit for RequestIdVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "requestId" {
            self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "requestId" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

/// One JSON object per event: `timestamp`, `level`, `message`, `requestId`, `target`, then the
/// event's own fields.
struct JsonLines;

impl<S, N> FormatEvent<S, N> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut fields = JsonFields::default();
        event.record(&mut fields);
        let request_id = ctx.event_scope().and_then(|scope| {
            scope
                .into_iter()
                .find_map(|span| span.extensions().get::<RequestId>().map(|r| r.0.clone()))
        });
        let mut line = String::with_capacity(128 + fields.rest.len());
        line.push_str("{\"timestamp\":\"");
        write_rfc3339(&mut line, SystemTime::now())?;
        line.push_str("\",\"level\":");
        push_json_str(&mut line, level_name(event.metadata().level()));
        line.push_str(",\"message\":");
        push_json_str(&mut line, fields.message.as_deref().unwrap_or_default());
        if let Some(id) = request_id {
            line.push_str(",\"requestId\":");
            push_json_str(&mut line, &id);
        }
        line.push_str(",\"target\":");
        push_json_str(&mut line, event.metadata().target());
        line.push_str(&fields.rest);
        line.push('}');
        writeln!(writer, "{line}")
    }
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "TRACE",
        Level::DEBUG => "DEBUG",
        Level::INFO => "INFO",
        Level::WARN => "WARN",
        Level::ERROR => "ERROR",
    }
}

/// The event's `message` and its other fields, already written as `,"key":value` pairs.
#[derive(Default)]
struct JsonFields {
    message: Option<String>,
    rest: String,
}

impl JsonFields {
    fn key(&mut self, field: &Field) {
        self.rest.push(',');
        push_json_str(&mut self.rest, field.name());
        self.rest.push(':');
    }
}

impl Visit for JsonFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_owned());
        } else {
            self.key(field);
            push_json_str(&mut self.rest, value);
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.key(field);
        let _ = write!(self.rest, "{value}");
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.key(field);
        let _ = write!(self.rest, "{value}");
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.key(field);
        if value.is_finite() {
            let _ = write!(self.rest, "{value}");
        } else {
            push_json_str(&mut self.rest, &value.to_string());
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.key(field);
        self.rest.push_str(if value { "true" } else { "false" });
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = Some(text);
        } else {
            self.key(field);
            push_json_str(&mut self.rest, &text);
        }
    }
}

fn push_json_str(out: &mut String, value: &str) {
    // Serializing a &str to JSON cannot fail.
    match serde_json::to_string(value) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// Writes `time` as RFC 3339 in UTC with milliseconds: `2026-11-23T12:00:00.123Z`.
fn write_rfc3339(out: &mut String, time: SystemTime) -> fmt::Result {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since_epoch.as_secs();
    let (days, secs_of_day) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        secs_of_day / 3600,
        secs_of_day % 3600 / 60,
        secs_of_day % 60,
        since_epoch.subsec_millis()
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift the epoch to 0000-03-01 so that leap days fall at the end of a 400-year era.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> MakeWriter<'w> for Captured {
        type Writer = Captured;
        fn make_writer(&'w self) -> Captured {
            self.clone()
        }
    }

    fn config(format: &str, level: Option<&str>) -> Config {
        let (format, level) = (format.to_owned(), level.map(str::to_owned));
        Config::from_lookup(move |name| match name {
            "AWS_LAMBDA_LOG_FORMAT" => Some(format.clone()),
            "AWS_LAMBDA_LOG_LEVEL" => level.clone(),
            _ => None,
        })
    }

    fn lines(captured: &Captured) -> Vec<serde_json::Value> {
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
            .collect()
    }

    #[test]
    fn json_lines_carry_level_message_request_id_and_fields() {
        let out = Captured::default();
        let sub = subscriber(&config("JSON", None), None, out.clone());
        tracing::subscriber::with_default(sub, || {
            let span = tracing::info_span!("Lambda runtime invoke", requestId = %"req-1");
            let _e = span.enter();
            tracing::info!(
                order_id = 42,
                ok = true,
                note = "a \"quoted\" word",
                "order placed"
            );
        });
        let lines = lines(&out);
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["message"], "order placed");
        assert_eq!(line["requestId"], "req-1");
        assert_eq!(line["order_id"], 42);
        assert_eq!(line["ok"], true);
        assert_eq!(line["note"], "a \"quoted\" word");
        let ts = line["timestamp"].as_str().unwrap();
        assert_eq!(ts.len(), "2026-11-23T12:00:00.123Z".len(), "{ts}");
        assert!(ts.ends_with('Z'));
    }

    #[test]
    fn log_level_variable_filters_lower_levels() {
        let out = Captured::default();
        let sub = subscriber(&config("JSON", Some("WARN")), None, out.clone());
        tracing::subscriber::with_default(sub, || {
            tracing::info!("dropped");
            tracing::warn!("kept");
            tracing::error!("kept too");
        });
        let levels: Vec<_> = lines(&out).iter().map(|l| l["level"].clone()).collect();
        assert_eq!(levels, ["WARN", "ERROR"]);
    }

    #[test]
    fn rust_log_overrides_and_bad_rust_log_is_ignored() {
        let out = Captured::default();
        let sub = subscriber(&config("JSON", Some("ERROR")), Some("debug"), out.clone());
        tracing::subscriber::with_default(sub, || tracing::debug!("shown"));
        assert_eq!(lines(&out).len(), 1);

        let out = Captured::default();
        let sub = subscriber(&config("JSON", Some("ERROR")), Some("=[bad"), out.clone());
        tracing::subscriber::with_default(sub, || {
            tracing::warn!("hidden");
            tracing::error!("shown");
        });
        assert_eq!(lines(&out).len(), 1);
    }

    #[test]
    fn text_mode_writes_plain_lines() {
        let out = Captured::default();
        let sub = subscriber(&config("Text", None), None, out.clone());
        tracing::subscriber::with_default(sub, || tracing::info!("hello"));
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains("INFO") && text.contains("hello"), "{text}");
        assert!(!text.starts_with('{'));
    }

    #[test]
    fn rfc3339_dates_are_correct() {
        let mut s = String::new();
        write_rfc3339(&mut s, UNIX_EPOCH).unwrap();
        assert_eq!(s, "1970-01-01T00:00:00.000Z");
        s.clear();
        // 2024-02-29T23:59:59.999Z (a leap day).
        write_rfc3339(
            &mut s,
            UNIX_EPOCH + Duration::from_millis(1_709_251_199_999),
        )
        .unwrap();
        assert_eq!(s, "2024-02-29T23:59:59.999Z");
        s.clear();
        write_rfc3339(&mut s, UNIX_EPOCH + Duration::from_secs(4_102_444_800)).unwrap();
        assert_eq!(s, "2100-01-01T00:00:00.000Z");
    }
}
