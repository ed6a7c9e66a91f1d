//! The records Lambda delivers to a logs or telemetry listener, typed.
//!
//! Lambda POSTs a batch as a JSON array of `{"time", "type", "record"}` objects. Each element
//! becomes a [`Record`]: its `time` and a [`RecordBody`] chosen by `type`. The Logs API
//! (schema 2021-03-18) and the Telemetry API (schemas 2022-07-01, 2022-12-13, 2025-01-29) share
//! these types: fields that only one API or schema sends are `Option`s.
//!
//! A record of a type this crate does not know, or of a known type with a shape it does not
//! expect, is kept whole as [`RecordBody::Unknown`]: a batch is never lost to a new record type.
//!
//! The record structs are declared with the `#[event]` attribute of `lambda-events-derive`, as
//! the event types of `lambda-events` are: every `Option` field may be absent or `null` and is
//! left out on output when `None`.
//!
//! ```
//! use lambda_extension::records::{Record, RecordBody, LogMessage};
//!
//! let batch: Vec<Record> = serde_json::from_str(r#"[
//!     {"time": "2020-08-20T12:31:32.123Z", "type": "function", "record": "Hello World"},
//!     {"time": "2020-08-20T12:31:32.123Z", "type": "platform.newThing", "record": {"a": 1}}
//! ]"#).unwrap();
//! assert_eq!(batch[0].body, RecordBody::Function(LogMessage::Text("Hello World".into())));
//! assert_eq!(batch[1].body.record_type(), "platform.newThing");
//! ```

use lambda_events_derive::event;
use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::{Map, Value};

/// Declares a string enum whose unknown values are kept in an `Other(String)` variant, so a
/// value AWS adds later parses instead of failing the record.
macro_rules! open_string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this crate does not know yet, as sent.
            Other(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok($name::from(s.as_ref()))
            }
        }
    };
}

open_string_enum! {
    /// How Lambda initialized the environment (`initializationType`).
    pub enum InitType {
        /// `on-demand`
        OnDemand = "on-demand",
        /// `provisioned-concurrency`
        ProvisionedConcurrency = "provisioned-concurrency",
        /// `snap-start`
        SnapStart = "snap-start",
        /// `lambda-managed-instances`
        LambdaManagedInstances = "lambda-managed-instances",
    }
}

open_string_enum! {
    /// When the function's initialization ran (`phase`): `invoke` for a suppressed init re-run
    /// during an invocation.
    pub enum InitPhase {
        /// `init`
        Init = "init",
        /// `invoke`
        Invoke = "invoke",
    }
}

open_string_enum! {
    /// The outcome of a phase (`status`).
    pub enum Status {
        /// `success`
        Success = "success",
        /// `failure`
        Failure = "failure",
        /// `error`
        Error = "error",
        /// `timeout` (Logs API `platform.runtimeDone`)
        Timeout = "timeout",
    }
}

/// A unit of work within a phase, such as `responseLatency` or `responseDuration`.
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    /// The span's name.
    pub name: String,
    /// When it started (RFC 3339, as sent).
    pub start: String,
    /// How long it took, in milliseconds.
    pub duration_ms: f64,
}

/// The X-Ray trace of an invocation.
#[event(closed, no_default)]
#[derive(Eq)]
#[serde(rename_all = "camelCase")]
pub struct TraceContext {
    /// The span id Lambda created for the invocation.
    pub span_id: Option<String>,
    /// The tracing type: `X-Amzn-Trace-Id`.
    #[serde(rename = "type")]
    pub trace_type: String,
    /// The trace header value (`Root=...;Parent=...;Sampled=...`).
    pub value: String,
}

/// A log line from the function or an extension: plain text, or an object when the function
/// uses the JSON log format.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum LogMessage {
    /// A text line.
    Text(String),
    /// A structured (JSON log format) line.
    Json(Map<String, Value>),
}

impl LogMessage {
    /// The line as text: the text itself, or the JSON object's `message` field if it is a string.
    pub fn message(&self) -> Option<&str> {
        match self {
            LogMessage::Text(s) => Some(s),
            LogMessage::Json(map) => map.get("message").and_then(Value::as_str),
        }
    }
}

/// `platform.initStart` and `platform.restoreStart`: the runtime is starting or restoring.
#[event(closed, no_default)]
#[derive(Eq)]
#[serde(rename_all = "camelCase")]
pub struct InitStart {
    /// How the environment was initialized (absent from `platform.restoreStart`).
    pub initialization_type: Option<InitType>,
    /// The init phase (absent from `platform.restoreStart`).
    pub phase: Option<InitPhase>,
    /// The runtime version, such as `nodejs-14.v3`.
    pub runtime_version: Option<String>,
    /// The runtime version's ARN.
    pub runtime_version_arn: Option<String>,
    /// The function's name (schema 2022-12-13 and later).
    pub function_name: Option<String>,
    /// The function's version (schema 2022-12-13 and later).
    pub function_version: Option<String>,
    /// The execution environment's id (schema 2022-12-13 and later).
    pub instance_id: Option<String>,
    /// The environment's memory, in MB (schema 2022-12-13 and later).
    pub instance_max_memory: Option<u64>,
}

/// `platform.initRuntimeDone` and `platform.restoreRuntimeDone`: the runtime finished
/// initializing or restoring.
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeInitDone {
    /// How the environment was initialized (absent from `platform.restoreRuntimeDone`).
    pub initialization_type: Option<InitType>,
    /// The init phase.
    pub phase: Option<InitPhase>,
    /// The outcome.
    pub status: Status,
    /// What went wrong, when `status` is not `success`.
    pub error_type: Option<String>,
    /// The spans of the phase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
}

/// The metrics of an init or restore phase.
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct PhaseMetrics {
    /// How long the phase took, in milliseconds.
    pub duration_ms: f64,
}

/// `platform.initReport` and `platform.restoreReport`: the report of an init or restore phase.
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct InitReport {
    /// How the environment was initialized (absent from `platform.restoreReport`).
    pub initialization_type: Option<InitType>,
    /// The init phase.
    pub phase: Option<InitPhase>,
    /// The outcome (schema 2022-12-13 and later).
    pub status: Option<Status>,
    /// What went wrong, when `status` is not `success`.
    pub error_type: Option<String>,
    /// The phase's metrics.
    pub metrics: Option<PhaseMetrics>,
    /// The spans of the phase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
}

/// `platform.start`: an invocation started.
#[event(closed, no_default)]
#[derive(Eq)]
#[serde(rename_all = "camelCase")]
pub struct Start {
    /// The invocation's request id.
    pub request_id: String,
    /// The function version invoked.
    pub version: Option<String>,
    /// The invocation's trace.
    pub tracing: Option<TraceContext>,
}

/// `platform.end` (Logs API): an invocation ended.
#[event(closed, no_default)]
#[derive(Eq)]
#[serde(rename_all = "camelCase")]
pub struct End {
    /// The invocation's request id.
    pub request_id: String,
}

/// The metrics of `platform.runtimeDone`.
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeDoneMetrics {
    /// How long the runtime took, in milliseconds.
    pub duration_ms: f64,
    /// The size of the response, in bytes.
    pub produced_bytes: Option<u64>,
}

/// `platform.runtimeDone`: the runtime finished an invocation (it called `next` or reported an
/// error).
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeDone {
    /// The invocation's request id.
    pub request_id: String,
    /// The outcome.
    pub status: Status,
    /// What went wrong, when `status` is not `success`.
    pub error_type: Option<String>,
    /// The invocation's metrics (Telemetry API).
    pub metrics: Option<RuntimeDoneMetrics>,
    /// `responseLatency` and `responseDuration`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
    /// The invocation's trace.
    pub tracing: Option<TraceContext>,
}

/// The metrics of `platform.report`.
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct ReportMetrics {
    /// The invocation's duration, in milliseconds.
    pub duration_ms: f64,
    /// The billed duration, in milliseconds.
    pub billed_duration_ms: u64,
    /// The configured memory, in MB.
    #[serde(rename = "memorySizeMB")]
    pub memory_size_mb: u64,
    /// The most memory used, in MB.
    #[serde(rename = "maxMemoryUsedMB")]
    pub max_memory_used_mb: u64,
    /// The init duration, in milliseconds, on a cold start.
    pub init_duration_ms: Option<f64>,
    /// The restore duration, in milliseconds, after a SnapStart restore.
    pub restore_duration_ms: Option<f64>,
    /// The billed restore duration, in milliseconds.
    pub billed_restore_duration_ms: Option<u64>,
}

/// `platform.report`: the report of an invocation.
#[event(closed, no_default)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The invocation's request id.
    pub request_id: String,
    /// The outcome (Telemetry API).
    pub status: Option<Status>,
    /// What went wrong, when `status` is not `success`.
    pub error_type: Option<String>,
    /// Duration and memory.
    pub metrics: ReportMetrics,
    /// The invocation's spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
    /// The invocation's trace.
    pub tracing: Option<TraceContext>,
}

/// `platform.extension`: an extension registered (or failed to).
#[event(closed, no_default)]
#[derive(Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionState {
    /// The extension's name.
    pub name: String,
    /// Its state, such as `Ready`.
    pub state: String,
    /// The events it registered for.
    #[serde(default)]
    pub events: Vec<String>,
    /// Why it failed, if it did.
    pub error_type: Option<String>,
}

/// `platform.telemetrySubscription` and `platform.logsSubscription`: an extension subscribed.
#[event(closed, no_default)]
#[derive(Eq)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionState {
    /// The extension's name.
    pub name: String,
    /// Its state, such as `Subscribed`.
    pub state: String,
    /// The types it subscribed to.
    #[serde(default)]
    pub types: Vec<String>,
}

/// `platform.logsDropped`: Lambda dropped records because a subscriber fell behind.
#[event(closed, no_default)]
#[derive(Eq)]
#[serde(rename_all = "camelCase")]
pub struct LogsDropped {
    /// Why.
    pub reason: String,
    /// How many records were dropped.
    pub dropped_records: u64,
    /// How many bytes were dropped.
    pub dropped_bytes: u64,
}

/// Declares [`RecordBody`] from the table of wire types, so parsing and serializing cannot drift
/// apart.
macro_rules! record_types {
    ( $( $(#[$meta:meta])* $wire:literal => $variant:ident($ty:ty), )* ) => {
        /// What a record holds, by its `type`.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum RecordBody {
            $( $(#[$meta])* $variant($ty), )*
            /// A record of a type this crate does not know (or a known type with a shape it
            /// does not expect), kept as sent.
            Unknown {
                /// The record's `type`.
                record_type: String,
                /// The record's `record`, as sent.
                record: Value,
            },
            /// A batch element that is not a `{"time", "type", "record"}` object (no `time`, a
            /// `time` or `type` that is not a string, or not an object at all), kept whole as
            /// sent. The rest of its batch is still delivered.
            Malformed(Value),
        }

        impl RecordBody {
            /// The record's `type`, as on the wire.
            pub fn record_type(&self) -> &str {
                match self {
                    $( RecordBody::$variant(_) => $wire, )*
                    RecordBody::Unknown { record_type, .. } => record_type,
                    RecordBody::Malformed(element) => element
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                }
            }

            /// Types `record` according to `record_type`.
            pub fn from_parts(record_type: String, record: Value) -> Self {
                let typed = match record_type.as_str() {
                    $( $wire => <$ty>::deserialize(&record).map(RecordBody::$variant), )*
                    _ => return RecordBody::Unknown { record_type, record },
                };
                match typed {
                    Ok(body) => body,
                    Err(e) => {
                        tracing::debug!(record_type = %record_type, error = %e, "record kept untyped: unexpected shape");
                        RecordBody::Unknown { record_type, record }
                    }
                }
            }

            /// The `record` part, as JSON.
            pub fn to_value(&self) -> Value {
                let value = match self {
                    $( RecordBody::$variant(r) => serde_json::to_value(r), )*
                    RecordBody::Unknown { record, .. } => return record.clone(),
                    RecordBody::Malformed(element) => {
                        return element.get("record").cloned().unwrap_or(Value::Null)
                    }
                };
                // The record types serialize only strings, numbers, lists and maps.
                value.unwrap_or(Value::Null)
            }
        }
    };
}

record_types! {
    /// `platform.initStart`: function initialization started.
    "platform.initStart" => InitStart(InitStart),
    /// `platform.initRuntimeDone`: function initialization completed.
    "platform.initRuntimeDone" => InitRuntimeDone(RuntimeInitDone),
    /// `platform.initReport`: the report of function initialization.
    "platform.initReport" => InitReport(InitReport),
    /// `platform.start`: an invocation started.
    "platform.start" => Start(Start),
    /// `platform.end` (Logs API): an invocation ended.
    "platform.end" => End(End),
    /// `platform.runtimeDone`: the runtime finished an invocation.
    "platform.runtimeDone" => RuntimeDone(RuntimeDone),
    /// `platform.report`: the report of an invocation.
    "platform.report" => Report(Report),
    /// `platform.restoreStart`: a SnapStart restore started.
    "platform.restoreStart" => RestoreStart(InitStart),
    /// `platform.restoreRuntimeDone`: a SnapStart restore completed.
    "platform.restoreRuntimeDone" => RestoreRuntimeDone(RuntimeInitDone),
    /// `platform.restoreReport`: the report of a SnapStart restore.
    "platform.restoreReport" => RestoreReport(InitReport),
    /// `platform.extension`: an extension registered.
    "platform.extension" => Extension(ExtensionState),
    /// `platform.telemetrySubscription`: an extension subscribed to the Telemetry API.
    "platform.telemetrySubscription" => TelemetrySubscription(SubscriptionState),
    /// `platform.logsSubscription`: an extension subscribed to the Logs API.
    "platform.logsSubscription" => LogsSubscription(SubscriptionState),
    /// `platform.logsDropped`: records were dropped.
    "platform.logsDropped" => LogsDropped(LogsDropped),
    /// `platform.fault` (Logs API): a runtime or environment error, as text.
    "platform.fault" => Fault(String),
    /// `function`: a log line of the function.
    "function" => Function(LogMessage),
    /// `extension`: a log line of an extension.
    "extension" => ExtensionLog(LogMessage),
}

/// One element of a batch: `{"time", "type", "record"}`.
///
/// Parsing a record never fails on its shape: an element that is not such an object becomes a
/// record whose body is [`RecordBody::Malformed`] (and whose `time` is empty unless the element
/// had a string `time`), so one bad element cannot cost the other records of its batch. It
/// serializes back as it was sent.
///
/// ```
/// use lambda_extension::records::{Record, RecordBody};
///
/// let batch: Vec<Record> = serde_json::from_str(r#"[
///     {"time": 17, "type": "function", "record": "numeric time"},
///     {"time": "2020-08-20T12:31:32.123Z", "type": "function", "record": "fine"}
/// ]"#).unwrap();
/// assert!(matches!(batch[0].body, RecordBody::Malformed(_)));
/// assert_eq!(batch[1].body.record_type(), "function");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// When Lambda produced the record (RFC 3339, as sent).
    pub time: String,
    /// The record, typed by its `type`.
    pub body: RecordBody,
}

impl Record {
    /// Types one batch element (any JSON value).
    pub fn from_value(element: Value) -> Record {
        let Value::Object(mut fields) = element else {
            return Record::malformed(element);
        };
        match (fields.remove("time"), fields.remove("type")) {
            (Some(Value::String(time)), Some(Value::String(record_type))) => {
                let record = fields.remove("record").unwrap_or(Value::Null);
                Record {
                    time,
                    body: RecordBody::from_parts(record_type, record),
                }
            }
            (time, record_type) => {
                // Put the element back together as it was sent.
                if let Some(time) = time {
                    fields.insert("time".to_owned(), time);
                }
                if let Some(record_type) = record_type {
                    fields.insert("type".to_owned(), record_type);
                }
                Record::malformed(Value::Object(fields))
            }
        }
    }

    /// Whether the element was not a `{"time", "type", "record"}` object.
    pub fn is_malformed(&self) -> bool {
        matches!(self.body, RecordBody::Malformed(_))
    }

    fn malformed(element: Value) -> Record {
        let time = element
            .get("time")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Record {
            time,
            body: RecordBody::Malformed(element),
        }
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Record::from_value)
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let RecordBody::Malformed(element) = &self.body {
            return element.serialize(serializer);
        }
        let mut s = serializer.serialize_struct("Record", 3)?;
        s.serialize_field("time", &self.time)?;
        s.serialize_field("type", self.body.record_type())?;
        s.serialize_field("record", &self.body.to_value())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `telemetry_batch` fuzz target: a number that is not an exact `f64` must
    /// come back the same after serialize -> parse -> serialize.
    #[test]
    fn numbers_survive_serialize_parse_serialize_unchanged() {
        let input = format!(
            "[{}, {{\"time\": \"t\", \"type\": \"platform.report\", \"record\": {{\"requestId\": \"r\", \
             \"metrics\": {{\"durationMs\": 0.30000000000000004441, \"billedDurationMs\": 1, \
             \"memorySizeMB\": 128, \"maxMemoryUsedMB\": 20}}}}}}]",
            "6666666666666666666666666666664666666666666666666666666666666666666666666666666666666666666666666"
        );
        let batch: Vec<Record> = serde_json::from_str(&input).unwrap();
        let first = serde_json::to_string(&batch).unwrap();
        let again: Vec<Record> = serde_json::from_str(&first).unwrap();
        assert_eq!(serde_json::to_string(&again).unwrap(), first);
        assert_eq!(again, batch);
    }
}
