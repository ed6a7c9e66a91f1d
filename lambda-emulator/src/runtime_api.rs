//! The Runtime API server (`/2018-06-01`): what a Lambda runtime talks to. Its port also
//! serves the Extensions, Logs and Telemetry APIs (`routes`); the state of those lives in
//! `extensions_api` and `telemetry`.

mod answers;
mod bodies;
mod endpoints;
mod recording;
mod routes;

pub(crate) use answers::{await_outcome, collect};
pub use recording::RecordedRequest;

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

use crate::extensions_api::{ExtensionError, Extensions, FunctionInfo, ShutdownReason};
use crate::faults::Faults;
use crate::invocation::{ErrorReport, Invocation, Outcome};
use crate::queue::{Queue, Ticket};
use crate::server::{self, ServerHandle};
use crate::telemetry::Telemetry;

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
            move |request| routes::handle(Arc::clone(&handler_shared), request),
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
