//! The invocation loop: `next`, call the handler, `response` or `error`, again.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use http::{Response, StatusCode};
use serde::{de::DeserializeOwned, Serialize};
use tower::{Service, ServiceExt};
use tracing::Instrument;

use crate::api::{headers, RuntimeApi};
use crate::client::{BoxError, Client, Endpoint, RequestBody};
use crate::context::{Context, ContextError};
use crate::diagnostic::{Diagnostic, ErrorCategory};
use crate::error::{RuntimeError, RUNTIME_API_VAR};
use crate::panic::{catch, CatchUnwind};
use crate::streaming::{LambdaStreamBody, StreamResponse};
use crate::Config;
use http_body::Body;

/// An event and the context of its invocation: what a handler receives.
///
/// ```
/// use lambda_runtime::{Context, LambdaEvent};
///
/// let event = LambdaEvent::new(serde_json::json!({"n": 1}), Context::for_test("req-1"));
/// let (payload, context) = event.into_parts();
/// assert_eq!(payload["n"], 1);
/// assert_eq!(context.request_id, "req-1");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LambdaEvent<T> {
    /// The event, deserialized from the invocation's JSON.
    pub payload: T,
    /// The invocation's context.
    pub context: Context,
}

impl<T> LambdaEvent<T> {
    /// An event with its context (handlers receive these; tests build them).
    pub fn new(payload: T, context: Context) -> Self {
        LambdaEvent { payload, context }
    }

    /// The payload and the context.
    pub fn into_parts(self) -> (T, Context) {
        (self.payload, self.context)
    }
}

/// A connection to the Runtime API and the function's configuration: runs initialization and
/// then the invocation loop.
///
/// [`run`](crate::run) is `Runtime::from_env()?.run(service)`. Use `Runtime` directly to report a
/// failed initialization to Lambda:
///
/// ```no_run
/// use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
///
/// struct Db;
/// impl Db {
///     async fn connect(url: &str) -> Result<Db, std::io::Error> { Ok(Db) }
/// }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Error> {
///     let mut runtime = Runtime::from_env()?;
///     // On error: reported to /runtime/init/error, and `?` exits the process non-zero.
///     let db = runtime.init(Db::connect("postgres://...")).await?;
///     runtime
///         .run(service_fn(|event: LambdaEvent<serde_json::Value>| {
///             let _db = &db;
///             async move { Ok::<_, Error>(event.payload) }
///         }))
///         .await?;
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct Runtime {
    config: Arc<Config>,
    api: RuntimeApi,
}

impl Runtime {
    /// Reads `AWS_LAMBDA_RUNTIME_API` and the function's configuration from the environment.
    pub fn from_env() -> Result<Self, RuntimeError> {
        let address = std::env::var(RUNTIME_API_VAR).map_err(|_| RuntimeError::NotInLambda)?;
        let endpoint = Endpoint::parse(&address)?;
        Ok(Runtime::new(endpoint, Config::from_env()))
    }

    /// A runtime for the Runtime API at `endpoint` with the given configuration.
    pub fn new(endpoint: Endpoint, config: Config) -> Self {
        Runtime {
            config: Arc::new(config),
            api: RuntimeApi::new(Client::new(endpoint)),
        }
    }

    /// The function's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Runs the function's initialization. If it fails (or panics), the error is reported to
    /// `/runtime/init/error` and returned as [`RuntimeError::Init`], so that `?` ends the process
    /// with a non-zero status, as Lambda expects.
    pub async fn init<T, E>(
        &mut self,
        init: impl Future<Output = Result<T, E>>,
    ) -> Result<T, RuntimeError>
    where
        E: Into<Diagnostic>,
    {
        match CatchUnwind::new(init).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(self.init_error(e.into()).await),
            Err(panic) => Err(self
                .init_error(Diagnostic::new(
                    "Runtime.InitPanic",
                    format!("the function's initialization panicked: {panic}"),
                ))
                .await),
        }
    }

    /// Reports `diagnostic` to `/runtime/init/error` and returns the error to exit with.
    pub async fn init_error(&mut self, diagnostic: Diagnostic) -> RuntimeError {
        tracing::error!(
            errorType = diagnostic.error_type(),
            "{}",
            diagnostic.error_message()
        );
        let category = match diagnostic.error_type() {
            t if t.starts_with("Runtime.") => std::borrow::Cow::Owned(t.to_owned()),
            _ => diagnostic.function_category(),
        };
        match self.api.report_init_error(&diagnostic, &category).await {
            Ok(response) => {
                if let Err(e) = check(response, "init/error") {
                    return e;
                }
                RuntimeError::Init(diagnostic)
            }
            Err(source) => RuntimeError::Api {
                call: "init/error",
                source,
            },
        }
    }

    /// Runs the invocation loop until the Runtime API fails.
    ///
    /// Each invocation's event is deserialized into `T` and handed to `service`; its response is
    /// serialized to JSON and posted. Every failure of one invocation is reported to Lambda as
    /// that invocation's error and the loop goes on; only a failure of the Runtime API itself
    /// ends it (see [`RuntimeError`]).
    ///
    /// This serves one invocation at a time, whatever `AWS_LAMBDA_MAX_CONCURRENCY` says; use
    /// [`run_concurrent`](Runtime::run_concurrent) for Lambda Managed Instances.
    pub async fn run<S, T, R>(self, service: S) -> Result<(), RuntimeError>
    where
        S: Service<LambdaEvent<T>, Response = R>,
        S::Error: Into<Diagnostic>,
        T: DeserializeOwned,
        R: Serialize,
    {
        let export_trace_env = true;
        Poller {
            api: self.api,
            config: self.config,
            export_trace_env,
        }
        .run(service, encode_json::<R>)
        .await
    }

    /// Runs the invocation loop for a handler that streams its response (see
    /// [`streaming`](crate::streaming)): each response is posted chunk by chunk as the handler's
    /// body produces it. Failures before the first byte are reported like [`run`](Runtime::run)'s;
    /// a failure after it ends the stream with error trailers.
    pub async fn run_streaming<S, T, B>(self, service: S) -> Result<(), RuntimeError>
    where
        S: Service<LambdaEvent<T>, Response = StreamResponse<B>>,
        S::Error: Into<Diagnostic>,
        T: DeserializeOwned,
        B: Body + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Poller {
            api: self.api,
            config: self.config,
            export_trace_env: true,
        }
        .run(service, encode_stream::<B>)
        .await
    }

    /// Runs up to `AWS_LAMBDA_MAX_CONCURRENCY` invocations at once (Lambda Managed Instances):
    /// one poller per slot, each with its own connection and its own clone of `service`, all in
    /// the current tokio runtime. With a concurrency of 1 this is [`run`](Runtime::run).
    ///
    /// Nothing per-invocation is put in process-wide state: `_X_AMZN_TRACE_ID` is not exported
    /// when more than one invocation can be in flight; read the trace id from the
    /// [`Context`] or the invocation's span instead. The first poller to fail ends the runtime.
    ///
    /// ```no_run
    /// use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), Error> {
    ///     let handler = service_fn(|event: LambdaEvent<serde_json::Value>| async move {
    ///         Ok::<_, Error>(event.payload)
    ///     });
    ///     Runtime::from_env()?.run_concurrent(handler).await?;
    ///     Ok(())
    /// }
    /// ```
    pub async fn run_concurrent<S, T, R>(self, service: S) -> Result<(), RuntimeError>
    where
        S: Service<LambdaEvent<T>, Response = R> + Clone + Send + 'static,
        S::Future: Send,
        S::Error: Into<Diagnostic>,
        T: DeserializeOwned + Send + 'static,
        R: Serialize + Send + 'static,
    {
        let slots = self.config.max_concurrency;
        if slots <= 1 {
            return self.run(service).await;
        }
        let endpoint = self.api.endpoint().clone();
        let mut pollers = tokio::task::JoinSet::new();
        for _ in 1..slots {
            let poller = Poller {
                api: RuntimeApi::new(Client::new(endpoint.clone())),
                config: self.config.clone(),
                export_trace_env: false,
            };
            pollers.spawn(poller.run(service.clone(), encode_json::<R>));
        }
        let first = Poller {
            api: self.api,
            config: self.config,
            export_trace_env: false,
        };
        pollers.spawn(first.run(service, encode_json::<R>));
        let result = match pollers.join_next().await {
            Some(Ok(result)) => result,
            Some(Err(join_error)) => Err(RuntimeError::PollerFailed(join_error.to_string())),
            None => Ok(()),
        };
        pollers.abort_all();
        result
    }
}

/// One `next` loop over one connection.
struct Poller {
    api: RuntimeApi,
    config: Arc<Config>,
    /// Whether to export `_X_AMZN_TRACE_ID` (single concurrency only).
    export_trace_env: bool,
}

impl Poller {
    async fn run<S, T, R>(mut self, mut service: S, encode: Encode<R>) -> Result<(), RuntimeError>
    where
        S: Service<LambdaEvent<T>, Response = R>,
        S::Error: Into<Diagnostic>,
        T: DeserializeOwned,
    {
        loop {
            let next = match self.api.next().await {
                Ok(response) => response,
                Err(source) => {
                    return Err(RuntimeError::Api {
                        call: "next",
                        source,
                    })
                }
            };
            if !next.status().is_success() {
                return Err(status_error("next", next));
            }
            let (parts, body) = next.into_parts();
            let context = match Context::from_headers(&parts.headers, self.config.clone()) {
                Ok(context) => context,
                Err(e @ ContextError::MissingRequestId) => {
                    return Err(RuntimeError::InvalidInvocation(e))
                }
                Err(e) => {
                    let request_id = parts
                        .headers
                        .get(&headers::REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let diagnostic = ErrorCategory::InvalidContext
                        .diagnostic(crate::report::Report::new(&e).to_string());
                    self.report(&request_id, diagnostic, ErrorCategory::InvalidContext)
                        .await?;
                    continue;
                }
            };
            if self.export_trace_env {
                set_trace_env(context.xray_trace_id.as_deref());
            }
            let span = tracing::info_span!(
                "Lambda runtime invoke",
                requestId = %context.request_id,
                xrayTraceId = context.xray_trace_id.as_deref().unwrap_or_default(),
            );
            let request_id = context.request_id.clone();
            // The event's bytes and the handler's response are freed only after the POST: freed
            // before it, they leave the top of the heap free for the allocator to hand back to
            // the system, only to fault it in again for the next large event (BENCHMARKS.md).
            let mut held = None;
            // One instrumented future for the whole invocation: the handler and the answer.
            async {
                let outcome = invoke(&mut service, context, &body)
                    .await
                    .and_then(|response| encode(response, &mut held));
                match outcome {
                    Ok(outgoing) => self.respond(&request_id, outgoing).await,
                    Err((diagnostic, category)) => {
                        self.report(&request_id, diagnostic, category).await
                    }
                }
            }
            .instrument(span)
            .await?;
            drop(held);
            drop(body);
        }
    }

    /// Posts a response. A 413 to a buffered one becomes a `Function.ResponseSizeTooLarge` error
    /// report. A streamed response whose connection fails midway (the caller went away, or the
    /// API cut the stream) is logged and the loop continues on a new connection.
    async fn respond(&mut self, request_id: &str, outgoing: Outgoing) -> Result<(), RuntimeError> {
        let (size, sent) = match outgoing {
            Outgoing::Buffered(body) => {
                let size = body.len();
                let sent = self
                    .api
                    .respond(request_id, RequestBody::Full(body), None)
                    .await;
                (Some(size), sent)
            }
            Outgoing::Streamed { body, content_type } => {
                let sent = self.api.respond(request_id, body, Some(content_type)).await;
                (None, sent)
            }
        };
        let response = match (sent, size) {
            (Ok(response), _) => response,
            (Err(source), Some(_)) => {
                return Err(RuntimeError::Api {
                    call: "response",
                    source,
                })
            }
            (Err(e), None) => {
                tracing::warn!(error = %crate::report::Report::new(&e), "the streamed response was cut off");
                return Ok(());
            }
        };
        match (response.status(), size) {
            (StatusCode::PAYLOAD_TOO_LARGE, Some(size)) => {
                let diagnostic = ErrorCategory::ResponseSizeTooLarge.diagnostic(format!(
                    "the response is {size} bytes, over the Runtime API's limit: {}",
                    body_text(response.body())
                ));
                self.report(request_id, diagnostic, ErrorCategory::ResponseSizeTooLarge)
                    .await
            }
            _ => check_or_log(response, "response"),
        }
    }

    /// Posts an error report for one invocation (and logs it).
    async fn report(
        &mut self,
        request_id: &str,
        diagnostic: Diagnostic,
        category: ErrorCategory,
    ) -> Result<(), RuntimeError> {
        tracing::error!(
            errorType = diagnostic.error_type(),
            "{}",
            diagnostic.error_message()
        );
        let header = match category.as_str() {
            Some(fixed) => std::borrow::Cow::Borrowed(fixed),
            None => diagnostic.function_category(),
        };
        let response = self
            .api
            .report_error(request_id, &diagnostic, &header)
            .await
            .map_err(|source| RuntimeError::Api {
                call: "error",
                source,
            })?;
        check_or_log(response, "error")
    }
}

/// One invocation: deserialize, call the handler (guarding against panics).
async fn invoke<S, T, R>(
    service: &mut S,
    context: Context,
    body: &[u8],
) -> Result<R, (Diagnostic, ErrorCategory)>
where
    S: Service<LambdaEvent<T>, Response = R>,
    S::Error: Into<Diagnostic>,
    T: DeserializeOwned,
{
    let payload: T = deserialize(body).map_err(|d| (d, ErrorCategory::InvalidEvent))?;
    let handler_error = |e: S::Error| (e.into(), ErrorCategory::Handler);
    let panicked = |message: String| {
        (
            ErrorCategory::Panic.diagnostic(format!("the handler panicked: {message}")),
            ErrorCategory::Panic,
        )
    };
    let ready = CatchUnwind::new(service.ready()).await.map_err(panicked)?;
    let service = ready.map_err(handler_error)?;
    let event = LambdaEvent { payload, context };
    let future = catch(|| service.call(event)).map_err(panicked)?;
    CatchUnwind::new(future)
        .await
        .map_err(panicked)?
        .map_err(handler_error)
}

/// How a handler's response goes out to the Runtime API.
pub(crate) enum Outgoing {
    /// A complete body, posted with `Content-Length`.
    Buffered(Bytes),
    /// A streamed body, posted chunked with `Lambda-Runtime-Function-Response-Mode: streaming`.
    Streamed {
        body: RequestBody,
        content_type: http::HeaderValue,
    },
}

/// Turns a handler's response into what is posted. A response that should outlive the POST is
/// put into `held` (see `Poller::run`).
type Encode<R> = fn(R, &mut Option<R>) -> Result<Outgoing, (Diagnostic, ErrorCategory)>;

/// Buffered responses: the response serialized to JSON, and held until the POST is done.
fn encode_json<R: Serialize>(
    response: R,
    held: &mut Option<R>,
) -> Result<Outgoing, (Diagnostic, ErrorCategory)> {
    let json = serde_json::to_vec(&response);
    *held = Some(response);
    match json {
        Ok(json) => Ok(Outgoing::Buffered(Bytes::from(json))),
        Err(e) => Err((
            ErrorCategory::InvalidResponse.diagnostic(format!(
                "the handler's response ({}) could not be serialized to JSON: {e}",
                std::any::type_name::<R>()
            )),
            ErrorCategory::InvalidResponse,
        )),
    }
}

/// Streamed responses: the body wrapped to add the prelude and error trailers.
fn encode_stream<B>(
    response: StreamResponse<B>,
    _held: &mut Option<StreamResponse<B>>,
) -> Result<Outgoing, (Diagnostic, ErrorCategory)>
where
    B: Body + Send + 'static,
    B::Error: Into<BoxError>,
{
    let body = LambdaStreamBody::new(response.prelude, response.body);
    Ok(Outgoing::Streamed {
        body: RequestBody::Stream(Box::pin(body)),
        content_type: response.content_type,
    })
}

/// Deserializes the event. The fast path is plain `serde_json`; only when it fails is the event
/// parsed again with `serde_path_to_error` to name the failing field.
pub(crate) fn deserialize<T: DeserializeOwned>(body: &[u8]) -> Result<T, Diagnostic> {
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut *de) {
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path.is_empty() || path == "." {
                format!("{inner}")
            } else {
                format!("at `{path}`: {inner}")
            }
        }
        // Parsed with the path tracker but not without it: trailing characters.
        Ok(_) => match de.end() {
            Err(e) => e.to_string(),
            Ok(()) => "the event is not valid JSON".to_owned(),
        },
    };
    Err(ErrorCategory::InvalidEvent.diagnostic(format!(
        "the event does not fit {}: {error}",
        std::any::type_name::<T>()
    )))
}

/// Exports the X-Ray trace id as `_X_AMZN_TRACE_ID`, as AWS SDKs expect in single-concurrency
/// mode (never with multi-concurrency, where one process serves many traces at once).
fn set_trace_env(trace_id: Option<&str>) {
    const VAR: &str = "_X_AMZN_TRACE_ID";
    match trace_id {
        Some(id) => std::env::set_var(VAR, id),
        None => std::env::remove_var(VAR),
    }
}

/// A 2xx passes; 5xx (or any status on a call with no recovery) is fatal.
fn check(response: Response<Bytes>, call: &'static str) -> Result<(), RuntimeError> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(status_error(call, response))
    }
}

/// A 2xx passes; a 4xx (a stale or unknown request id) is logged and the loop continues; a 5xx is
/// fatal.
fn check_or_log(response: Response<Bytes>, call: &'static str) -> Result<(), RuntimeError> {
    let status = response.status();
    if status.is_client_error() {
        tracing::warn!(
            status = status.as_u16(),
            "the Runtime API refused `{call}`: {}",
            body_text(response.body())
        );
        return Ok(());
    }
    check(response, call)
}

fn status_error(call: &'static str, response: Response<Bytes>) -> RuntimeError {
    RuntimeError::Status {
        call,
        status: response.status(),
        body: body_text(response.body()),
    }
}

fn body_text(body: &[u8]) -> String {
    let end = body.len().min(1024);
    String::from_utf8_lossy(&body[..end]).into_owned()
}
