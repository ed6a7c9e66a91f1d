//! The Runtime API server (`/2018-06-01`): what a Lambda runtime talks to.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::sync::{mpsc, watch};

use crate::extensions_api::{
    self, ExtensionError, Extensions, FunctionInfo, ShutdownReason, EXTENSIONS_API_PREFIX,
};
use crate::faults::{Fault, Faults};
use crate::invocation::{header_string, ErrorReport, FunctionResponse, Invocation, Outcome};
use crate::queue::{Answer, ClaimError, HandedOut, Queue, StreamEvent, StreamedAnswer, Ticket};
use crate::server::{self, Body, CloseConnection, ServerHandle};
use crate::telemetry::{self, Telemetry};
use crate::wire;

/// How many recorded requests are kept (when recording).
const KEPT_REQUESTS: usize = 10_000;

/// Settings of a [`RuntimeApi`] server.
///
/// ```
/// use std::time::Duration;
/// use lambda_emulator::RuntimeApiConfig;
///
/// let config = RuntimeApiConfig {
///     max_concurrency: 4,
///     default_timeout: Duration::from_secs(10),
///     ..RuntimeApiConfig::default()
/// };
/// assert_eq!(config.function_arn, "arn:aws:lambda:us-east-1:012345678912:function:function");
/// ```
#[derive(Debug, Clone)]
pub struct RuntimeApiConfig {
    /// How many invocations may be handed out at once (`AWS_LAMBDA_MAX_CONCURRENCY`); default 1.
    pub max_concurrency: usize,
    /// The ARN sent in `Lambda-Runtime-Invoked-Function-Arn`; default
    /// `arn:aws:lambda:us-east-1:012345678912:function:function`.
    pub function_arn: String,
    /// The timeout of invocations that set none; default 3 seconds (Lambda's default).
    pub default_timeout: Duration,
    /// Whether requests are recorded for [`RuntimeApi::requests`] (the last 10 000); default
    /// `true`. An [`Environment`](crate::Environment) starts with it off, so that a long
    /// `serve` keeps nothing per invocation: see [`RuntimeApi::record_requests`].
    pub record_requests: bool,
}

impl Default for RuntimeApiConfig {
    fn default() -> Self {
        RuntimeApiConfig {
            max_concurrency: 1,
            function_arn: "arn:aws:lambda:us-east-1:012345678912:function:function".to_string(),
            default_timeout: Duration::from_secs(3),
            record_requests: true,
        }
    }
}

/// A request the runtime made to the Runtime API, as recorded for assertions.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path and query, e.g. `/2018-06-01/runtime/invocation/next`.
    pub path: String,
    /// The request headers.
    pub headers: HeaderMap,
    /// The client's address: requests made on one connection share it.
    pub peer: Option<SocketAddr>,
}

#[derive(Debug)]
struct Shared {
    queue: Arc<Queue>,
    faults: Faults,
    function_arn: String,
    requests: Mutex<VecDeque<RecordedRequest>>,
    record: AtomicBool,
    /// The runtime called `next`: its Init is over, and `/runtime/init/error` is out of phase.
    initialized: AtomicBool,
    init_error: watch::Sender<Option<ErrorReport>>,
    extensions: Extensions,
    telemetry: Arc<Telemetry>,
    /// How many `GET /runtime/invocation/next` calls arrived (init ends with the first).
    polls: watch::Sender<u64>,
}

/// A running Runtime API server on `127.0.0.1` (ephemeral port). Dropping it, or
/// [`shutdown`](RuntimeApi::shutdown), stops it.
///
/// Point a runtime at it with `AWS_LAMBDA_RUNTIME_API=<address>` and call
/// [`invoke`](RuntimeApi::invoke):
///
/// ```no_run
/// use lambda_emulator::{Outcome, RuntimeApi};
///
/// # async fn demo() -> std::io::Result<()> {
/// let api = RuntimeApi::start().await?;
/// let child = tokio::process::Command::new("target/debug/examples/hello")
///     .env("AWS_LAMBDA_RUNTIME_API", api.address().to_string())
///     .kill_on_drop(true)
///     .spawn()?;
/// match api.invoke(r#"{"name":"world"}"#).await {
///     Outcome::Response(response) => assert_eq!(response.body, r#"{"message":"Hello, world!"}"#),
///     other => panic!("unexpected {other:?}"),
/// }
/// api.shutdown().await;
/// # drop(child); Ok(()) }
/// ```
#[derive(Debug)]
pub struct RuntimeApi {
    server: ServerHandle,
    shared: Arc<Shared>,
    default_timeout: Duration,
}

impl RuntimeApi {
    /// Starts a server with [`RuntimeApiConfig::default`].
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let api = lambda_emulator::RuntimeApi::start().await?;
    /// println!("AWS_LAMBDA_RUNTIME_API={}", api.address());
    /// # Ok(()) }
    /// ```
    pub async fn start() -> std::io::Result<RuntimeApi> {
        RuntimeApi::start_with(RuntimeApiConfig::default()).await
    }

    /// Starts a server with `config`.
    ///
    /// ```no_run
    /// use lambda_emulator::{RuntimeApi, RuntimeApiConfig};
    /// # async fn demo() -> std::io::Result<()> {
    /// let api = RuntimeApi::start_with(RuntimeApiConfig { max_concurrency: 8, ..Default::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn start_with(config: RuntimeApiConfig) -> std::io::Result<RuntimeApi> {
        let (init_error, _) = watch::channel(None);
        let shared = Arc::new(Shared {
            queue: Arc::new(Queue::new(config.max_concurrency)),
            faults: Faults::default(),
            function_arn: config.function_arn.clone(),
            requests: Mutex::new(VecDeque::new()),
            record: AtomicBool::new(config.record_requests),
            initialized: AtomicBool::new(false),
            init_error,
            polls: watch::channel(0).0,
            telemetry: Arc::new(Telemetry::default()),
            extensions: Extensions::new(FunctionInfo {
                function_name: config
                    .function_arn
                    .rsplit(':')
                    .next()
                    .unwrap_or("function")
                    .to_string(),
                function_version: "$LATEST".to_string(),
                handler: "bootstrap".to_string(),
            }),
        });
        let handler_shared = Arc::clone(&shared);
        let server = server::bind_with(
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            server::Limits::RUNTIME,
            move |request| handle(Arc::clone(&handler_shared), request),
        )
        .await?;
        Ok(RuntimeApi {
            server,
            shared,
            default_timeout: config.default_timeout,
        })
    }

    /// The server's address, the value of `AWS_LAMBDA_RUNTIME_API` (`127.0.0.1:PORT`).
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// let mut command = std::process::Command::new("./bootstrap");
    /// command.env("AWS_LAMBDA_RUNTIME_API", api.address().to_string());
    /// # }
    /// ```
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// Queues an invocation (FIFO), waits for the runtime to take it with
    /// `GET /runtime/invocation/next`, then waits for its answer.
    ///
    /// Each wait is bounded by the invocation's timeout (or the default timeout): an invocation
    /// that no runtime takes, or that is not answered before its deadline, ends as
    /// [`Outcome::Timeout`], and later POSTs for it get 403.
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// use std::time::Duration;
    /// use lambda_emulator::Invocation;
    ///
    /// let outcome = api.invoke(Invocation {
    ///     timeout: Some(Duration::from_secs(1)),
    ///     ..Invocation::from(serde_json::json!({ "key": "value" }))
    /// }).await;
    /// println!("{outcome:?}");
    /// # }
    /// ```
    pub async fn invoke(&self, invocation: impl Into<Invocation>) -> Outcome {
        let mut invocation = invocation.into();
        let request_id = invocation
            .request_id
            .get_or_insert_with(crate::ids::request_id)
            .clone();
        let trace_id = invocation
            .trace_id
            .get_or_insert_with(crate::ids::trace_header)
            .clone();
        let ticket = self.submit(invocation);
        let extensions = &self.shared.extensions;
        let function_arn = &self.shared.function_arn;
        await_outcome(&self.shared.queue, ticket, |deadline| {
            // Extensions registered for INVOKE hear about it when the runtime takes it.
            let remaining = deadline.saturating_duration_since(std::time::Instant::now());
            let deadline_ms = (SystemTime::now() + remaining)
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            extensions.dispatch_invoke(&serde_json::json!({
                "eventType": "INVOKE",
                "deadlineMs": deadline_ms,
                "requestId": request_id,
                "invokedFunctionArn": function_arn,
                "tracing": { "type": "X-Amzn-Trace-Id", "value": trace_id },
            }));
        })
        .await
    }

    /// Declares `name` as an external extension: an extension registering under that name may
    /// take SHUTDOWN events (an undeclared name is internal, as in Lambda, where external
    /// extensions are the executables of `/opt/extensions`).
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// api.declare_external_extension("my-extension");
    /// # }
    /// ```
    pub fn declare_external_extension(&self, name: &str) {
        self.shared.extensions.declare_external(name);
    }

    /// Sends a SHUTDOWN event (with `reason` and a deadline `within` from now) to every
    /// extension registered for it; the processes themselves are the caller's to stop.
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// use std::time::Duration;
    /// api.send_shutdown(lambda_emulator::ShutdownReason::Spindown, Duration::from_secs(2));
    /// # }
    /// ```
    pub fn send_shutdown(&self, reason: ShutdownReason, within: Duration) {
        let deadline_ms = (SystemTime::now() + within)
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        self.shared
            .extensions
            .dispatch_shutdown(reason.as_str(), deadline_ms);
    }

    pub(crate) fn submit(&self, invocation: Invocation) -> Ticket {
        let timeout = invocation.timeout.unwrap_or(self.default_timeout);
        self.shared.queue.submit(invocation, timeout)
    }

    pub(crate) fn queue(&self) -> &Arc<Queue> {
        &self.shared.queue
    }

    /// The error the runtime POSTed to `/runtime/init/error`, waiting up to `wait` for one.
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// use std::time::Duration;
    /// if let Some(report) = api.init_error(Duration::from_secs(1)).await {
    ///     println!("init failed: {:?}", report.error_type());
    /// }
    /// # }
    /// ```
    pub async fn init_error(&self, wait: Duration) -> Option<ErrorReport> {
        let mut receiver = self.shared.init_error.subscribe();
        let found = tokio::time::timeout(wait, receiver.wait_for(Option::is_some)).await;
        match found {
            Ok(Ok(report)) => report.clone(),
            _ => self.shared.init_error.borrow().clone(),
        }
    }

    pub(crate) fn init_error_receiver(&self) -> watch::Receiver<Option<ErrorReport>> {
        self.shared.init_error.subscribe()
    }

    /// Errors extensions reported to `/extension/init/error` and `/extension/exit/error` since
    /// the last Init.
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// for error in api.extension_errors() {
    ///     println!("{} reported {}", error.name, error.error_type);
    /// }
    /// # }
    /// ```
    pub fn extension_errors(&self) -> Vec<ExtensionError> {
        self.shared.extensions.errors()
    }

    pub(crate) fn extensions(&self) -> &Extensions {
        &self.shared.extensions
    }

    pub(crate) fn telemetry(&self) -> &Arc<Telemetry> {
        &self.shared.telemetry
    }

    pub(crate) fn set_function_info(&self, info: FunctionInfo) {
        self.shared.extensions.set_info(info);
    }

    /// Counts `GET /runtime/invocation/next` calls.
    pub(crate) fn polls(&self) -> watch::Receiver<u64> {
        self.shared.polls.subscribe()
    }

    /// Clears a recorded init error: the environment is being re-initialised (and
    /// `/runtime/init/error` is in phase again until the runtime's first `next`).
    pub(crate) fn clear_init_error(&self) {
        self.shared.init_error.send_replace(None);
        self.shared.initialized.store(false, Ordering::Relaxed);
    }

    /// Fault injection for testing how a runtime copes with a misbehaving Runtime API.
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// api.faults().fail_next_with_status(500);
    /// # }
    /// ```
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Starts (`true`) or stops recording requests for [`requests`](RuntimeApi::requests).
    /// Tests of an [`Environment`](crate::Environment) turn it on; nothing is kept otherwise.
    ///
    /// ```no_run
    /// # async fn demo(environment: lambda_emulator::Environment) {
    /// environment.runtime_api().record_requests(true);
    /// environment.invoke("{}").await;
    /// assert!(!environment.runtime_api().requests().is_empty());
    /// # }
    /// ```
    pub fn record_requests(&self, on: bool) {
        self.shared.record.store(on, Ordering::Relaxed);
    }

    /// Every request the runtime made while recording (method, path, headers), oldest first
    /// (the last 10 000 in a long run).
    ///
    /// ```no_run
    /// # async fn demo(api: lambda_emulator::RuntimeApi) {
    /// for request in api.requests() {
    ///     println!("{} {} {:?}", request.method, request.path, request.headers.get("user-agent"));
    /// }
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Stops the server: no new connections, open ones are closed.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let api = lambda_emulator::RuntimeApi::start().await?;
    /// api.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// Waits for a submitted invocation's outcome, bounded by its timeout.
pub(crate) async fn await_outcome(
    queue: &Queue,
    ticket: Ticket,
    on_start: impl FnOnce(std::time::Instant),
) -> Outcome {
    let Ticket {
        request_id,
        timeout,
        started,
        answer,
    } = ticket;
    let timed_out = |queue: &Queue| {
        queue.cancel(&request_id);
        Outcome::Timeout {
            request_id: request_id.clone(),
            after: timeout,
        }
    };
    let deadline = match tokio::time::timeout(timeout, started).await {
        Ok(Ok(deadline)) => {
            on_start(deadline);
            tokio::time::Instant::from_std(deadline)
        }
        Ok(Err(_)) => return abandoned(&request_id),
        Err(_) => return timed_out(queue),
    };
    let answer = match tokio::time::timeout_at(deadline, answer).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(_)) => return abandoned(&request_id),
        Err(_) => return timed_out(queue),
    };
    match answer {
        Answer::Complete(outcome) => outcome,
        Answer::ErrorAfterOversize(report) => Outcome::Error(report),
        Answer::Stream(stream) => match tokio::time::timeout_at(deadline, collect(stream)).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Timeout {
                request_id,
                after: timeout,
            },
        },
    }
}

fn abandoned(request_id: &str) -> Outcome {
    Outcome::Error(ErrorReport::environment(
        Some(request_id),
        "Runtime.Unknown",
        &format!("RequestId: {request_id} Error: the emulator dropped the invocation"),
    ))
}

/// Reads a streamed answer to the end.
pub(crate) async fn collect(mut stream: StreamedAnswer) -> Outcome {
    let mut body = BytesMut::new();
    let mut chunks = Vec::new();
    let mut trailers = None;
    while let Some(event) = stream.events.recv().await {
        match event {
            StreamEvent::Data(chunk) => {
                body.extend_from_slice(&chunk);
                chunks.push(chunk);
            }
            StreamEvent::Trailers(map) => trailers = Some(map),
            StreamEvent::Broken(message) => {
                return Outcome::Error(ErrorReport::environment(
                    Some(&stream.request_id),
                    "Runtime.TruncatedResponse",
                    &message,
                ))
            }
        }
    }
    Outcome::Response(FunctionResponse {
        request_id: stream.request_id,
        body: body.freeze(),
        headers: stream.headers,
        streamed: true,
        trailers,
        chunks,
    })
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Body>, CloseConnection> {
    if shared.record.load(Ordering::Relaxed) {
        record(&shared, &request);
    }
    let path = request.uri().path().to_string();
    if path.trim_end_matches('/') == telemetry::TELEMETRY_PATH
        || path.trim_end_matches('/') == telemetry::LOGS_PATH
    {
        return Ok(telemetry::handle(&shared.telemetry, &shared.extensions, &path, request).await);
    }
    if let Some(route) = path.strip_prefix(EXTENSIONS_API_PREFIX) {
        return Ok(extensions_api::handle(&shared.extensions, route, request).await);
    }
    let Some(route) = path.strip_prefix(wire::RUNTIME_API_PREFIX) else {
        return Ok(not_found(&path));
    };
    let segments: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    let method = request.method().clone();
    match (segments.as_slice(), method) {
        (["runtime", "invocation", "next"], Method::GET) => next(&shared).await,
        (["runtime", "invocation", id, "response"], Method::POST) if !id.is_empty() => {
            response(&shared, id, request).await
        }
        (["runtime", "invocation", id, "error"], Method::POST) if !id.is_empty() => {
            Ok(invocation_error(&shared, id, request).await)
        }
        (["runtime", "init", "error"], Method::POST) => Ok(init_error(&shared, request).await),
        (["runtime", "invocation", "next"], _)
        | (["runtime", "invocation", _, "response" | "error"], _)
        | (["runtime", "init", "error"], _) => Ok(server::error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            &format!("{} is not allowed on {path}", request.method()),
        )),
        _ => Ok(not_found(&path)),
    }
}

/// Keeps a copy of `request`'s head. The header values are copied out: a parsed value shares
/// the connection's read buffer, and keeping it would keep that buffer (and the bodies read
/// into it) alive.
fn record(shared: &Shared, request: &Request<Incoming>) {
    let headers: HeaderMap = request
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            HeaderValue::from_bytes(value.as_bytes())
                .ok()
                .map(|value| (name.clone(), value))
        })
        .collect();
    let recorded = RecordedRequest {
        method: request.method().clone(),
        path: request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        headers,
        peer: request.extensions().get::<server::Peer>().map(|p| p.0),
    };
    let mut requests = shared
        .requests
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if requests.len() >= KEPT_REQUESTS {
        requests.pop_front();
    }
    requests.push_back(recorded);
}

fn not_found(path: &str) -> Response<Body> {
    server::error_response(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("no such route: {path}; the Runtime API serves /2018-06-01/runtime/..."),
    )
}

fn accepted() -> Response<Body> {
    server::json_response(
        StatusCode::ACCEPTED,
        Bytes::from_static(br#"{"status":"OK"}"#),
    )
}

async fn next(shared: &Shared) -> Result<Response<Body>, CloseConnection> {
    let mut header_fault = None;
    match shared.faults.take() {
        Some(Fault::CloseConnection) => return Err(CloseConnection),
        Some(Fault::Status(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Ok(server::error_response(
                status,
                "InjectedFault",
                "fault injected by the emulator's test API",
            ));
        }
        Some(Fault::Header(name, value)) => header_fault = Some((name, value)),
        None => {}
    }
    shared.initialized.store(true, Ordering::Relaxed);
    shared.polls.send_modify(|polls| *polls += 1);
    let handed_out = shared.queue.next().await;
    let mut response = next_response(&shared.function_arn, handed_out);
    if let Some((name, value)) = header_fault {
        match value {
            Some(value) => response.headers_mut().insert(name, value),
            None => response.headers_mut().remove(name),
        };
    }
    Ok(response)
}

fn next_response(function_arn: &str, handed_out: HandedOut) -> Response<Body> {
    let HandedOut {
        request_id,
        invocation,
        deadline,
    } = handed_out;
    let deadline_ms = deadline
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let mut response = server::json_response(StatusCode::OK, invocation.payload);
    let headers = response.headers_mut();
    let mut set = |name: http::HeaderName, value: &[u8]| {
        // A value that is not a valid header (e.g. a newline in a trace id) is left out.
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(name, value);
        }
    };
    set(wire::REQUEST_ID, request_id.as_bytes());
    set(wire::DEADLINE_MS, deadline_ms.to_string().as_bytes());
    set(wire::FUNCTION_ARN, function_arn.as_bytes());
    let trace_id = invocation.trace_id.unwrap_or_else(crate::ids::trace_header);
    set(wire::TRACE_ID, trace_id.as_bytes());
    if let Some(context) = &invocation.client_context {
        set(wire::CLIENT_CONTEXT, context.to_string().as_bytes());
    }
    if let Some(identity) = &invocation.cognito_identity {
        set(wire::COGNITO_IDENTITY, identity.to_string().as_bytes());
    }
    if let Some(tenant_id) = &invocation.tenant_id {
        set(wire::TENANT_ID, tenant_id.as_bytes());
    }
    response
}

fn claim_error_response(error: ClaimError, request_id: &str) -> Response<Body> {
    match error {
        ClaimError::UnknownId => server::error_response(
            StatusCode::BAD_REQUEST,
            "InvalidRequestID",
            &format!("no invocation has request id {request_id}"),
        ),
        ClaimError::InvalidState => server::error_response(
            StatusCode::FORBIDDEN,
            "InvalidStateTransition",
            &format!(
                "invocation {request_id} is not waiting for an answer: it was already answered, \
                 timed out, or has not been handed out by /runtime/invocation/next"
            ),
        ),
    }
}

/// Why a request body could not be read whole.
enum BodyError {
    TooLarge,
    Broken(String),
}

/// Reads a body, keeping at most `limit` bytes; a longer body is drained and refused.
async fn read_limited(mut body: Incoming, limit: usize) -> Result<Bytes, BodyError> {
    let mut buffer = BytesMut::new();
    let mut too_large = false;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| BodyError::Broken(error.to_string()))?;
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > limit {
                too_large = true;
                buffer = BytesMut::new();
            }
            if !too_large {
                buffer.extend_from_slice(&data);
            }
        }
    }
    if too_large {
        Err(BodyError::TooLarge)
    } else {
        Ok(buffer.freeze())
    }
}

fn body_error_response(error: BodyError) -> Response<Body> {
    match error {
        BodyError::TooLarge => server::error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            &format!(
                "the body is over the {} byte limit of buffered responses; report an error or \
                 stream the response",
                wire::MAX_BUFFERED_RESPONSE_BYTES
            ),
        ),
        BodyError::Broken(message) => server::error_response(
            StatusCode::BAD_REQUEST,
            "InvalidRequestBody",
            &format!("the request body could not be read: {message}"),
        ),
    }
}

async fn response(
    shared: &Shared,
    request_id: &str,
    request: Request<Incoming>,
) -> Result<Response<Body>, CloseConnection> {
    let guard = match shared.queue.begin_answer(request_id) {
        Ok(guard) => guard,
        Err(error) => return Ok(claim_error_response(error, request_id)),
    };
    let (parts, body) = request.into_parts();
    if let Some(mode) = parts.headers.get(wire::RESPONSE_MODE) {
        if mode.as_bytes().eq_ignore_ascii_case(b"streaming") {
            let (sender, events) = mpsc::channel(64);
            guard.finish(Answer::Stream(StreamedAnswer {
                request_id: request_id.to_string(),
                headers: parts.headers,
                events,
            }));
            let cut_after = shared.faults.take_stream_cut();
            return match forward_stream(body, sender, cut_after).await {
                Forwarded::Complete => Ok(accepted()),
                Forwarded::Cut => Err(CloseConnection),
            };
        }
        if !mode.as_bytes().eq_ignore_ascii_case(b"buffered") {
            return Ok(server::error_response(
                StatusCode::BAD_REQUEST,
                "InvalidResponseModeHeader",
                "Lambda-Runtime-Function-Response-Mode must be `streaming` (or absent)",
            ));
        }
    }
    Ok(
        match read_limited(body, wire::MAX_BUFFERED_RESPONSE_BYTES).await {
            Ok(body) => {
                guard.finish(Answer::Complete(Outcome::Response(FunctionResponse {
                    request_id: request_id.to_string(),
                    body,
                    headers: parts.headers,
                    streamed: false,
                    trailers: None,
                    chunks: Vec::new(),
                })));
                accepted()
            }
            Err(BodyError::TooLarge) => {
                // The invocation stays open so the runtime can still report an error.
                guard.refuse_oversized();
                body_error_response(BodyError::TooLarge)
            }
            // The guard drops here: the invocation stays open.
            Err(error) => body_error_response(error),
        },
    )
}

/// How forwarding a streamed body ended.
enum Forwarded {
    /// The body was read to its end (or broke on its own).
    Complete,
    /// A fault cut the connection midway.
    Cut,
}

/// Passes a streamed body's chunks and trailers on as they arrive; keeps draining the body if
/// nobody listens any more. With `cut_after`, the connection is dropped once that many body
/// bytes have arrived (fault injection).
async fn forward_stream(
    mut body: Incoming,
    sender: mpsc::Sender<StreamEvent>,
    cut_after: Option<usize>,
) -> Forwarded {
    let mut received = 0usize;
    while let Some(frame) = body.frame().await {
        let event = match frame {
            Ok(frame) => match frame.into_data() {
                Ok(data) => {
                    received += data.len();
                    if cut_after.is_some_and(|limit| received >= limit) {
                        let _ = sender.send(StreamEvent::Data(data)).await;
                        let _ = sender
                            .send(StreamEvent::Broken(
                                "the connection was cut midway (fault injected by the emulator's test API)"
                                    .to_string(),
                            ))
                            .await;
                        return Forwarded::Cut;
                    }
                    StreamEvent::Data(data)
                }
                Err(frame) => match frame.into_trailers() {
                    Ok(trailers) => StreamEvent::Trailers(trailers),
                    Err(_) => continue,
                },
            },
            Err(error) => {
                let _ = sender
                    .send(StreamEvent::Broken(format!(
                        "the runtime's response stream broke before its end: {error}"
                    )))
                    .await;
                return Forwarded::Complete;
            }
        };
        let _ = sender.send(event).await;
    }
    Forwarded::Complete
}

async fn invocation_error(
    shared: &Shared,
    request_id: &str,
    request: Request<Incoming>,
) -> Response<Body> {
    let guard = match shared.queue.begin_answer(request_id) {
        Ok(guard) => guard,
        Err(error) => return claim_error_response(error, request_id),
    };
    let (parts, body) = request.into_parts();
    match read_limited(body, wire::MAX_BUFFERED_RESPONSE_BYTES).await {
        Ok(body) => {
            guard.finish(Answer::Complete(Outcome::Error(ErrorReport {
                request_id: Some(request_id.to_string()),
                error_type_header: header_string(&parts.headers, &wire::FUNCTION_ERROR_TYPE),
                body,
                headers: parts.headers,
            })));
            accepted()
        }
        Err(error) => body_error_response(error),
    }
}

async fn init_error(shared: &Shared, request: Request<Incoming>) -> Response<Body> {
    if shared.initialized.load(Ordering::Relaxed) {
        return server::error_response(
            StatusCode::FORBIDDEN,
            "InvalidStateTransition",
            "/runtime/init/error is for failures before the first /runtime/invocation/next; \
             report an invocation's failure to /runtime/invocation/{id}/error",
        );
    }
    let (parts, body) = request.into_parts();
    match read_limited(body, wire::MAX_BUFFERED_RESPONSE_BYTES).await {
        Ok(body) => {
            shared.init_error.send_replace(Some(ErrorReport {
                request_id: None,
                error_type_header: header_string(&parts.headers, &wire::FUNCTION_ERROR_TYPE),
                body,
                headers: parts.headers,
            }));
            accepted()
        }
        Err(error) => body_error_response(error),
    }
}
