//! The Telemetry API (`/2022-07-01/telemetry`) and Logs API (`/2020-08-15/logs`): validated
//! subscriptions, and HTTP delivery of buffered batches of records to the subscribers' listeners
//! (flushed on demand before the Shutdown phase).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderName, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::extensions_api::Extensions;
use crate::logs::{LogLine, LogSource};
use crate::platform::{billed_ms, millis, PlatformEvent};
use crate::server::{self, Body};

/// Path of the Telemetry API.
pub(crate) const TELEMETRY_PATH: &str = "/2022-07-01/telemetry";
/// Path of the Logs API.
pub(crate) const LOGS_PATH: &str = "/2020-08-15/logs";

const EXTENSION_IDENTIFIER: HeaderName = HeaderName::from_static("lambda-extension-identifier");

/// Records kept from the start of Init for subscribers that subscribe during Init.
const BACKLOG: usize = 1000;
/// Records a slow subscriber may have waiting before new ones are dropped.
const MAX_PENDING: usize = 10_000;

/// Which API a subscription came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Telemetry,
    Logs,
}

/// One record, before it is shaped for an API's schema.
#[derive(Debug, Clone)]
pub(crate) enum Record {
    Line(LogLine),
    Platform(PlatformEvent),
}

#[derive(Debug, Clone)]
struct Buffering {
    max_items: usize,
    max_bytes: usize,
    timeout: Duration,
}

/// What a subscriber's delivery task is given.
#[derive(Debug)]
enum Item {
    /// A record to buffer.
    Record(Value),
    /// Send what is buffered now, then answer.
    Flush(oneshot::Sender<()>),
}

#[derive(Debug)]
struct Subscriber {
    api: Api,
    schema: String,
    types: Vec<String>,
    sender: mpsc::UnboundedSender<Item>,
    counters: Arc<Counters>,
}

/// Shared between a subscriber and its delivery task.
#[derive(Debug, Default)]
struct Counters {
    /// Records queued and not yet taken by the delivery task.
    pending: AtomicUsize,
    /// Records dropped because too many were pending.
    dropped: AtomicU64,
}

impl Subscriber {
    /// Queues a record for delivery. Never blocks the function: past the limit, records are
    /// dropped (the delivery task reports them with `platform.logsDropped`).
    fn send(&self, record: Value) {
        if self.counters.pending.load(Ordering::Relaxed) >= MAX_PENDING {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.counters.pending.fetch_add(1, Ordering::Relaxed);
        let _ = self.sender.send(Item::Record(record));
    }
}

/// The subscriptions of one environment.
#[derive(Debug, Default)]
pub(crate) struct Telemetry {
    subscribers: Mutex<Vec<Subscriber>>,
    backlog: Mutex<VecDeque<Record>>,
    /// Records go to the backlog only during Init (the only time one may subscribe).
    in_init: std::sync::atomic::AtomicBool,
}

impl Telemetry {
    /// A new Init begins: earlier subscriptions end (their extensions are stopped).
    pub(crate) fn begin_init(&self) {
        self.subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.backlog
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.in_init.store(true, Ordering::Relaxed);
    }

    /// Init is over: nobody can subscribe any more, so nothing is kept for late subscribers.
    pub(crate) fn end_init(&self) {
        self.in_init.store(false, Ordering::Relaxed);
        self.backlog
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Asks every subscriber's delivery task to send what it buffers now; each receiver answers
    /// once that batch was delivered (or given up).
    fn flush(&self) -> Vec<oneshot::Receiver<()>> {
        let subscribers = self.subscribers.lock().unwrap_or_else(|p| p.into_inner());
        subscribers
            .iter()
            .filter_map(|subscriber| {
                let (ack, done) = oneshot::channel();
                subscriber.sender.send(Item::Flush(ack)).ok().map(|_| done)
            })
            .collect()
    }

    /// Delivers `record` to every subscriber of its type.
    pub(crate) fn publish(&self, record: Record) {
        if self.in_init.load(Ordering::Relaxed) {
            let mut backlog = self.backlog.lock().unwrap_or_else(|p| p.into_inner());
            backlog.push_back(record.clone());
            while backlog.len() > BACKLOG {
                backlog.pop_front();
            }
        }
        let subscribers = self.subscribers.lock().unwrap_or_else(|p| p.into_inner());
        for subscriber in subscribers.iter() {
            deliver(subscriber, &record);
        }
    }
}

/// A request to the feed: pass on what is waiting, flush, and hand back the flush answers.
type FlushRequest = oneshot::Sender<Vec<oneshot::Receiver<()>>>;

/// Flushes the records published so far to the subscribers' listeners.
#[derive(Debug, Clone)]
pub(crate) struct Flusher {
    requests: mpsc::UnboundedSender<FlushRequest>,
}

impl Flusher {
    /// Delivers every line and platform event emitted so far to the listeners, waiting at most
    /// until `deadline` (a listener that is down may keep its last batch).
    pub(crate) async fn flush(&self, deadline: Instant) {
        let (request, answer) = oneshot::channel();
        if self.requests.send(request).is_err() {
            return;
        }
        let _ = tokio::time::timeout_at(deadline, async {
            if let Ok(acks) = answer.await {
                for ack in acks {
                    let _ = ack.await;
                }
            }
        })
        .await;
    }
}

/// Feeds the Telemetry and Logs API subscribers from the captured lines and platform events,
/// until both sources end.
pub(crate) fn feed(
    telemetry: Arc<Telemetry>,
    mut lines: mpsc::UnboundedReceiver<LogLine>,
    mut platform: mpsc::UnboundedReceiver<PlatformEvent>,
) -> Flusher {
    let (requests, mut flushes) = mpsc::unbounded_channel::<FlushRequest>();
    tokio::spawn(async move {
        loop {
            // Lines first: a line captured before a platform event was emitted (the drain
            // before `platform.runtimeDone`) reaches the subscribers before that event.
            let record = tokio::select! {
                biased;
                Some(line) = lines.recv() => Record::Line(line),
                Some(event) = platform.recv() => Record::Platform(event),
                Some(request) = flushes.recv() => {
                    // What was emitted before the request goes out with this flush.
                    while let Ok(line) = lines.try_recv() {
                        telemetry.publish(Record::Line(line));
                    }
                    while let Ok(event) = platform.try_recv() {
                        telemetry.publish(Record::Platform(event));
                    }
                    let _ = request.send(telemetry.flush());
                    continue;
                }
                else => break,
            };
            telemetry.publish(record);
        }
    });
    Flusher { requests }
}

fn deliver(subscriber: &Subscriber, record: &Record) {
    let Some(shaped) = shape(subscriber.api, &subscriber.schema, record) else {
        return;
    };
    let kind = shaped["type"].as_str().unwrap_or_default();
    let category = if kind.starts_with("platform.") {
        "platform"
    } else {
        kind
    };
    if !subscriber.types.iter().any(|t| t == category) {
        return;
    }
    subscriber.send(shaped);
}

/// A record in the wire shape of `api` at `schema`, or `None` if that API has no such record.
fn shape(api: Api, schema: &str, record: &Record) -> Option<Value> {
    let (time, kind, body) = match record {
        Record::Line(line) => {
            let kind = match line.source {
                LogSource::Function => "function",
                LogSource::Extension(_) => "extension",
            };
            // With JSON logging, the Telemetry API (schema 2022-12-13 and later) passes each JSON
            // line on as an object.
            let structured = api == Api::Telemetry && schema != "2022-07-01";
            let body = match serde_json::from_str::<Value>(&line.text) {
                Ok(object @ Value::Object(_)) if structured => object,
                _ => Value::from(line.text.clone()),
            };
            (line.time, kind.to_string(), body)
        }
        Record::Platform(event) => platform_record(api, schema, event)?,
    };
    Some(json!({ "time": crate::clock::rfc3339(time), "type": kind, "record": body }))
}

fn platform_record(
    api: Api,
    schema: &str,
    event: &PlatformEvent,
) -> Option<(SystemTime, String, Value)> {
    let round = |d: Duration| (millis(d) * 1000.0).round() / 1000.0;
    Some(match (api, event) {
        (Api::Telemetry, PlatformEvent::InitStart { time }) => (
            *time,
            "platform.initStart".into(),
            json!({"initializationType": "on-demand", "phase": "init"}),
        ),
        (Api::Telemetry, PlatformEvent::InitRuntimeDone { time, status }) => (
            *time,
            "platform.initRuntimeDone".into(),
            json!({"initializationType": "on-demand", "phase": "init", "status": status.as_str()}),
        ),
        (
            Api::Telemetry,
            PlatformEvent::InitReport {
                time,
                status,
                duration,
                error_type,
            },
        ) => {
            let mut body = json!({"initializationType": "on-demand", "phase": "init",
                "status": status.as_str(), "metrics": {"durationMs": round(*duration)}});
            if let Some(error_type) = error_type {
                body["errorType"] = json!(error_type);
            }
            (*time, "platform.initReport".into(), body)
        }
        (
            Api::Telemetry,
            PlatformEvent::Extension {
                time,
                name,
                state,
                events,
            },
        ) => (
            *time,
            "platform.extension".into(),
            json!({"name": name, "state": state, "events": events}),
        ),
        (_, PlatformEvent::Start { time, request_id }) => {
            let body = match api {
                Api::Telemetry => json!({"requestId": request_id, "version": "$LATEST"}),
                Api::Logs => json!({"requestId": request_id, "version": "$LATEST"}),
            };
            (*time, "platform.start".into(), body)
        }
        (
            Api::Telemetry,
            PlatformEvent::RuntimeDone {
                time,
                request_id,
                status,
                duration,
                produced_bytes,
            },
        ) => (
            *time,
            "platform.runtimeDone".into(),
            json!({"requestId": request_id, "status": status.as_str(),
                   "metrics": {"durationMs": round(*duration), "producedBytes": produced_bytes}}),
        ),
        (
            Api::Logs,
            PlatformEvent::RuntimeDone {
                time,
                request_id,
                status,
                ..
            },
        ) if schema == "2021-03-18" => (
            *time,
            "platform.runtimeDone".into(),
            json!({"requestId": request_id, "status": status.as_str()}),
        ),
        // Documented for the Logs API only (the Telemetry API's schema has no fault event).
        (
            Api::Logs,
            PlatformEvent::Fault {
                time,
                request_id,
                message,
            },
        ) => (
            *time,
            "platform.fault".into(),
            Value::from(format!("RequestId: {request_id} {message}")),
        ),
        (
            _,
            PlatformEvent::Report {
                time,
                request_id,
                status,
                duration,
                memory_size_mb,
                max_memory_used_mb,
                init_duration,
                error_type,
            },
        ) => {
            let mut metrics = json!({
                "durationMs": round(*duration),
                "billedDurationMs": billed_ms(*duration),
                "memorySizeMB": memory_size_mb,
            });
            if let Some(used) = max_memory_used_mb {
                metrics["maxMemoryUsedMB"] = json!(used);
            }
            if let Some(init) = init_duration {
                metrics["initDurationMs"] = json!(round(*init));
            }
            let mut body = json!({"requestId": request_id, "metrics": metrics});
            if api == Api::Telemetry {
                body["status"] = json!(status.as_str());
                if let Some(error_type) = error_type {
                    body["errorType"] = json!(error_type);
                }
            }
            (*time, "platform.report".into(), body)
        }
        _ => return None,
    })
}

fn bad_request(message: &str) -> Response<Body> {
    server::error_response(StatusCode::BAD_REQUEST, "ValidationError", message)
}

fn number_in(
    value: Option<&Value>,
    name: &str,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
) -> Result<u64, String> {
    match value {
        None => Ok(default),
        Some(value) => value.as_u64().filter(|n| range.contains(n)).ok_or_else(|| {
            format!(
                "buffering.{name} must be an integer from {} to {}",
                range.start(),
                range.end()
            )
        }),
    }
}

/// Serves `PUT /2022-07-01/telemetry` and `PUT /2020-08-15/logs`.
pub(crate) async fn handle(
    telemetry: &Arc<Telemetry>,
    extensions: &Extensions,
    path: &str,
    request: Request<Incoming>,
) -> Response<Body> {
    let api = if path.trim_end_matches('/') == TELEMETRY_PATH {
        Api::Telemetry
    } else {
        Api::Logs
    };
    if request.method() != http::Method::PUT {
        return server::error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "subscribe with PUT",
        );
    }
    let (parts, body) = request.into_parts();
    let Some(id) = parts.headers.get(EXTENSION_IDENTIFIER) else {
        return server::error_response(
            StatusCode::FORBIDDEN,
            "Extension.MissingHeader",
            "Lambda-Extension-Identifier is missing: register the extension first",
        );
    };
    let id = String::from_utf8_lossy(id.as_bytes()).into_owned();
    let Some((name, open)) = extensions.subscriber_info(&id) else {
        return server::error_response(
            StatusCode::FORBIDDEN,
            "Extension.UnknownExtensionIdentifier",
            &format!("no extension is registered with identifier {id}"),
        );
    };
    if !open {
        return server::error_response(
            StatusCode::FORBIDDEN,
            "Extension.SubscriptionClosed",
            "subscriptions are only accepted during the Init phase",
        );
    }
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => return bad_request(&format!("cannot read the body: {error}")),
    };
    let request: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => return bad_request(&format!("the body is not JSON: {error}")),
    };
    let schemas: &[&str] = match api {
        Api::Telemetry => &["2022-07-01", "2022-12-13", "2025-01-29"],
        Api::Logs => &["2020-08-15", "2021-03-18"],
    };
    let schema = match request.get("schemaVersion").and_then(Value::as_str) {
        Some(schema) if schemas.contains(&schema) => schema.to_string(),
        None if api == Api::Logs => "2020-08-15".to_string(),
        _ => {
            return bad_request(&format!(
                "schemaVersion must be one of {}",
                schemas.join(", ")
            ))
        }
    };
    let types: Vec<String> = match request.get("types").and_then(Value::as_array) {
        Some(types) if !types.is_empty() => {
            let mut parsed = Vec::new();
            for value in types {
                match value.as_str() {
                    Some(t @ ("platform" | "function" | "extension")) => parsed.push(t.to_string()),
                    _ => {
                        return bad_request(&format!(
                            "unknown type {value}: use platform, function or extension"
                        ))
                    }
                }
            }
            parsed
        }
        _ => {
            return bad_request("types must be a non-empty array of platform, function, extension")
        }
    };
    let buffering = request.get("buffering");
    let field = |name: &str| buffering.and_then(|b| b.get(name));
    let buffering = match (
        number_in(field("maxItems"), "maxItems", 1000..=10_000, 10_000),
        number_in(field("maxBytes"), "maxBytes", 262_144..=1_048_576, 262_144),
        number_in(field("timeoutMs"), "timeoutMs", 25..=30_000, 1000),
    ) {
        (Ok(items), Ok(bytes), Ok(timeout)) => Buffering {
            max_items: items as usize,
            max_bytes: bytes as usize,
            timeout: Duration::from_millis(timeout),
        },
        (Err(message), _, _) | (_, Err(message), _) | (_, _, Err(message)) => {
            return bad_request(&message)
        }
    };
    let destination = request.get("destination");
    let protocol = destination
        .and_then(|d| d.get("protocol"))
        .and_then(Value::as_str);
    let target = match protocol {
        Some("HTTP") => match destination.and_then(|d| d.get("URI")).and_then(Value::as_str) {
            Some(uri) => listener_address(uri),
            None => Err("an HTTP destination needs a URI: \"http://sandbox.localdomain:PORT/...\"".to_string()),
        },
        Some("TCP") => match destination.and_then(|d| d.get("port")).and_then(Value::as_u64) {
            Some(port) => tcp_address(port),
            None => Err("a TCP destination needs a port".to_string()),
        },
        _ => Err("destination must be {\"protocol\": \"HTTP\", \"URI\": \"http://sandbox.localdomain:PORT/...\"} or {\"protocol\": \"TCP\", \"port\": PORT}".to_string()),
    };
    let target = match target {
        Ok(target) => target,
        Err(message) => return bad_request(&message),
    };

    let (sender, receiver) = mpsc::unbounded_channel();
    let counters = Arc::new(Counters::default());
    tokio::spawn(deliver_batches(
        receiver,
        target,
        buffering,
        Arc::clone(&counters),
    ));
    let subscriber = Subscriber {
        api,
        schema,
        types: types.clone(),
        sender,
        counters,
    };
    let subscription = match api {
        Api::Telemetry => {
            json!({"type": "platform.telemetrySubscription", "record": {"name": name, "state": "Subscribed", "types": types}})
        }
        Api::Logs => {
            json!({"type": "platform.logsSubscription", "record": {"name": name, "state": "Subscribed", "types": types}})
        }
    };
    {
        // Replay what happened since Init began, then everything from now on.
        let backlog: Vec<Record> = telemetry
            .backlog
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect();
        for record in &backlog {
            deliver(&subscriber, record);
        }
        if subscriber.types.iter().any(|t| t == "platform") {
            let mut record = subscription;
            record["time"] = json!(crate::clock::rfc3339(SystemTime::now()));
            subscriber.send(record);
        }
        telemetry
            .subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(subscriber);
    }
    server::json_response(StatusCode::OK, Bytes::from_static(b"\"OK\""))
}

/// Where batches go. `sandbox.localdomain`, `sandbox` and `localhost` are this machine's
/// loopback.
struct Target {
    authority: String,
    /// The HTTP path; `None` for a TCP destination (newline-delimited JSON records).
    path: Option<String>,
}

fn tcp_address(port: u64) -> Result<Target, String> {
    match u16::try_from(port) {
        Ok(9001) => {
            Err("port 9001 is reserved for the Lambda APIs: listen on another port".to_string())
        }
        Ok(port) if port > 0 => Ok(Target {
            authority: format!("127.0.0.1:{port}"),
            path: None,
        }),
        _ => Err(format!("destination.port {port} is not a TCP port")),
    }
}

fn listener_address(uri: &str) -> Result<Target, String> {
    let uri: http::Uri = uri
        .parse()
        .map_err(|error| format!("destination.URI is not a URI: {error}"))?;
    if uri.scheme_str() != Some("http") {
        return Err("destination.URI must start with http://".to_string());
    }
    let host = uri.host().unwrap_or_default();
    let host = match host {
        "sandbox.localdomain" | "sandbox" | "localhost" | "127.0.0.1" => "127.0.0.1",
        other => return Err(format!("destination.URI host {other} is not reachable from the sandbox: use sandbox.localdomain")),
    };
    let Some(port) = uri.port_u16() else {
        return Err("destination.URI needs a port".to_string());
    };
    if port == 9001 {
        return Err(
            "port 9001 is reserved for the Lambda APIs: listen on another port".to_string(),
        );
    }
    Ok(Target {
        authority: format!("{host}:{port}"),
        path: Some(
            uri.path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
        ),
    })
}

/// Buffers records and sends them (HTTP: POSTed JSON arrays; TCP: one JSON record per line);
/// retries with backoff while the listener is down; reports drops with `platform.logsDropped`.
async fn deliver_batches(
    mut records: mpsc::UnboundedReceiver<Item>,
    target: Target,
    buffering: Buffering,
    counters: Arc<Counters>,
) {
    let mut batch: Vec<Value> = Vec::new();
    let mut bytes = 0usize;
    let mut dropped = (0u64, 0u64);
    let mut closed = false;
    // Flush requests to answer once the current batch is out.
    let mut flushes: Vec<oneshot::Sender<()>> = Vec::new();
    while !closed || !batch.is_empty() {
        let flush_at = tokio::time::Instant::now() + buffering.timeout;
        // Gather until a limit, the timeout or a flush request.
        while !closed
            && flushes.is_empty()
            && batch.len() < buffering.max_items
            && bytes < buffering.max_bytes
        {
            let wait = if batch.is_empty() {
                None
            } else {
                Some(flush_at)
            };
            let next = match wait {
                None => records.recv().await,
                Some(at) => match tokio::time::timeout_at(at, records.recv()).await {
                    Ok(next) => next,
                    Err(_) => break,
                },
            };
            match next {
                Some(Item::Record(record)) => {
                    counters.pending.fetch_sub(1, Ordering::Relaxed);
                    bytes += record.to_string().len();
                    batch.push(record);
                }
                Some(Item::Flush(ack)) => flushes.push(ack),
                None => closed = true,
            }
        }
        if batch.is_empty() {
            for ack in flushes.drain(..) {
                let _ = ack.send(());
            }
            continue;
        }
        dropped.0 += counters.dropped.swap(0, Ordering::Relaxed);
        if dropped.0 > 0 {
            batch.insert(0, json!({
                "time": crate::clock::rfc3339(SystemTime::now()),
                "type": "platform.logsDropped",
                "record": {"reason": "the subscriber's listener did not accept records in time", "droppedRecords": dropped.0, "droppedBytes": dropped.1},
            }));
            dropped = (0, 0);
        }
        let records = std::mem::take(&mut batch);
        let count = records.len() as u64;
        let body = match target.path {
            Some(_) => Bytes::from(Value::Array(records).to_string()),
            None => Bytes::from(
                records
                    .iter()
                    .map(|record| format!("{record}\n"))
                    .collect::<String>(),
            ),
        };
        bytes = 0;
        let mut delivered = false;
        for attempt in 0..5u32 {
            if send_batch(&target, body.clone()).await {
                delivered = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
        }
        if !delivered {
            dropped.0 += count;
            dropped.1 += body.len() as u64;
        }
        for ack in flushes.drain(..) {
            let _ = ack.send(());
        }
    }
}

/// Sends one batch: a POST (true on a 2xx answer), or the records written to a TCP connection.
async fn send_batch(target: &Target, body: Bytes) -> bool {
    let attempt = async {
        let mut stream = tokio::net::TcpStream::connect(&target.authority)
            .await
            .ok()?;
        let Some(path) = &target.path else {
            tokio::io::AsyncWriteExt::write_all(&mut stream, &body)
                .await
                .ok()?;
            return Some(true);
        };
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .ok()?;
        tokio::spawn(connection);
        let request = Request::post(path.as_str())
            .header(http::header::HOST, target.authority.as_str())
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))
            .ok()?;
        let response = sender.send_request(request).await.ok()?;
        let success = response.status().is_success();
        let _ = response.into_body().collect().await;
        Some(success)
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(5), attempt).await,
        Ok(Some(true))
    )
}
