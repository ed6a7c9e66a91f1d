//! The runtime: its configuration (builder methods), initialization, and the invocation loop.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tower::layer::util::{Identity, Stack};
use tower::{Layer, Service};

use crate::api::RuntimeApi;
use crate::client::{Client, Endpoint};
use crate::diagnostic::Diagnostic;
use crate::error::{RuntimeError, RUNTIME_API_VAR};
use crate::event::LambdaEvent;
use crate::join;
use crate::mode::{Json, Mode};
use crate::panic::CatchUnwind;
use crate::poller::{check, AfterResponse, Poller, Shared};
use crate::response::FunctionResponse;
use crate::Config;

/// The function's runtime: a connection to the Runtime API, the function's configuration, and
/// how to serve it, set with builder methods; [`run`](Runtime::run) starts the loop.
///
/// [`run`](crate::run) is `Runtime::from_env()?.run(service)`. Everything else is a builder
/// method, and every combination works:
///
/// | method | effect |
/// |---|---|
/// | [`http`][http-mode] (feature `http`) | the service is an HTTP service (an axum `Router`) behind API Gateway, ALB, function URLs or VPC Lattice |
/// | [`streaming`](Runtime::streaming) | responses are streamed to the caller as they are produced |
/// | [`concurrency`](Runtime::concurrency) | invocations in flight at once; by default `AWS_LAMBDA_MAX_CONCURRENCY` (1 when unset) |
/// | [`layer`](Runtime::layer) | a `tower::Layer` around the per-invocation service |
/// | [`after_response`](Runtime::after_response) | a hook run after each response is posted, before the next `next` |
///
/// The type parameters are the layers (`L`) and the [`Mode`] (`M`); the builder methods set
/// them.
///
/// ```no_run
/// use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
/// use serde_json::Value;
///
/// struct Db;
/// impl Db {
///     async fn connect(url: &str) -> Result<Db, std::io::Error> { Ok(Db) }
/// }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Error> {
///     let mut runtime = Runtime::from_env()?
///         // Any tower layer: here, one that sees each event before the handler.
///         .layer(tower::util::MapRequestLayer::new(|event: LambdaEvent<Value>| {
///             tracing::info!(request_id = %event.context.request_id, "invoked");
///             event
///         }))
///         .after_response(|| async { /* flush telemetry: the caller already has its answer */ });
///     // On error: reported to /runtime/init/error, and `?` exits the process non-zero.
///     let db = runtime.init(Db::connect("postgres://...")).await?;
///     runtime
///         .run(service_fn(|event: LambdaEvent<Value>| {
///             let _db = &db;
///             async move { Ok::<_, Error>(event.payload) }
///         }))
///         .await?;
///     Ok(())
/// }
/// ```
///
#[cfg_attr(feature = "http", doc = "[http-mode]: Runtime::http")]
#[cfg_attr(not(feature = "http"), doc = "[http-mode]: crate#features")]
pub struct Runtime<L = Identity, M = Json> {
    config: Arc<Config>,
    api: RuntimeApi,
    layer: L,
    mode: M,
    streaming: bool,
    concurrency: Option<usize>,
    after_response: Option<AfterResponse>,
}

impl<L, M: std::fmt::Debug> std::fmt::Debug for Runtime<L, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("config", &self.config)
            .field("api", &self.api)
            .field("mode", &self.mode)
            .field("streaming", &self.streaming)
            .field("concurrency", &self.slots())
            .field("after_response", &self.after_response.is_some())
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// Reads `AWS_LAMBDA_RUNTIME_API` and the function's configuration from the environment.
    pub fn from_env() -> Result<Self, RuntimeError> {
        let address = std::env::var(RUNTIME_API_VAR).map_err(|_| RuntimeError::NotInLambda)?;
        let endpoint = Endpoint::parse(&address)?;
        Ok(Runtime::new(endpoint, Config::from_env()))
    }

    /// A runtime for the Runtime API at `endpoint` with the given configuration: JSON events,
    /// buffered responses, the configuration's concurrency, no layers, no hook.
    pub fn new(endpoint: Endpoint, config: Config) -> Self {
        Runtime {
            config: Arc::new(config),
            api: RuntimeApi::new(Client::new(endpoint)),
            layer: Identity::new(),
            mode: Json,
            streaming: false,
            concurrency: None,
            after_response: None,
        }
    }
}

impl<L, M> Runtime<L, M> {
    /// The function's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How many invocations the runtime keeps in flight: set by
    /// [`concurrency`](Runtime::concurrency), else `AWS_LAMBDA_MAX_CONCURRENCY`, else 1.
    fn slots(&self) -> usize {
        self.concurrency
            .unwrap_or(self.config.max_concurrency)
            .max(1)
    }

    /// Keeps up to `slots` invocations in flight (Lambda Managed Instances), instead of the
    /// `AWS_LAMBDA_MAX_CONCURRENCY` Lambda sets; 0 counts as 1.
    ///
    /// Each slot is a poller with its own `next` request and its own keep-alive connection. The
    /// pollers share the one service (its readiness is checked and it is called in one step) and
    /// run together in the task that awaits [`run`](Runtime::run): nothing is spawned, so the
    /// service needs neither `Send` nor `'static`. Handlers wait on I/O concurrently; spawn
    /// CPU-heavy work (`tokio::task::spawn_blocking`) to use more cores.
    ///
    /// With more than one slot nothing per-invocation is put in process-wide state:
    /// `_X_AMZN_TRACE_ID` is not set; read the trace id from the [`Context`](crate::Context).
    pub fn concurrency(mut self, slots: usize) -> Self {
        self.concurrency = Some(slots.max(1));
        self
    }

    /// Streams every response (function URLs with `InvokeMode: RESPONSE_STREAM`, API Gateway
    /// response streaming): posted chunk by chunk with `Lambda-Runtime-Function-Response-Mode:
    /// streaming`. A serializable response goes out as one JSON chunk, an HTTP response with its
    /// prelude (status, headers, cookies). A handler returning a
    /// [`StreamResponse`](crate::streaming::StreamResponse) is streamed with or without this.
    pub fn streaming(mut self) -> Self {
        self.streaming = true;
        self
    }

    /// Wraps the per-invocation service in `layer`, any [`tower::Layer`]. The service it wraps
    /// takes a [`LambdaEvent`] (the [`Context`](crate::Context) is `event.context`) and returns
    /// what the handler returned (for HTTP functions, after the adapter: a
    /// `LambdaEvent<LambdaRequest>` in, an `HttpResponse` out).
    ///
    /// Layers added first are outermost (they see the event first), as with
    /// `tower::ServiceBuilder`. With several slots ([`concurrency`](Runtime::concurrency))
    /// the layered service is shared by the pollers.
    ///
    /// ```no_run
    /// use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
    /// use tower::{Layer, Service};
    ///
    /// /// Logs each invocation's request id before the handler runs.
    /// #[derive(Clone)]
    /// struct LogRequestId<S>(S);
    ///
    /// impl<S, T> Service<LambdaEvent<T>> for LogRequestId<S>
    /// where
    ///     S: Service<LambdaEvent<T>>,
    /// {
    ///     type Response = S::Response;
    ///     type Error = S::Error;
    ///     type Future = S::Future;
    ///
    ///     fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
    ///         self.0.poll_ready(cx)
    ///     }
    ///
    ///     fn call(&mut self, event: LambdaEvent<T>) -> S::Future {
    ///         tracing::info!(request_id = %event.context.request_id, "invoked");
    ///         self.0.call(event)
    ///     }
    /// }
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() -> Result<(), Error> {
    ///     let handler = service_fn(|event: LambdaEvent<serde_json::Value>| async move {
    ///         Ok::<_, Error>(event.payload)
    ///     });
    ///     Runtime::from_env()?
    ///         .layer(tower::layer::layer_fn(LogRequestId))
    ///         .run(handler)
    ///         .await?;
    ///     Ok(())
    /// }
    /// ```
    pub fn layer<N>(self, layer: N) -> Runtime<Stack<N, L>, M> {
        Runtime {
            config: self.config,
            api: self.api,
            layer: Stack::new(layer, self.layer),
            mode: self.mode,
            streaming: self.streaming,
            concurrency: self.concurrency,
            after_response: self.after_response,
        }
    }

    /// Runs `hook` after each invocation's response (or error report) is posted, and awaits it
    /// before asking for the next invocation: the caller already has its answer, and Lambda has
    /// not frozen the environment yet (it does while `next` waits), so this is the moment to
    /// flush telemetry without adding latency. Bound its time yourself: the function's timeout
    /// covers it. A panic in the hook is logged. A second call replaces the hook.
    pub fn after_response<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.after_response = Some(Arc::new(move || Box::pin(hook())));
        self
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
    /// Each invocation's event is deserialized (into `T` for a `Service<LambdaEvent<T>>`, into
    /// an `http::Request` in [`http`][http-mode] mode) and handed to the service, through
    /// the [layers](Runtime::layer); its response is posted as described at
    /// [`FunctionResponse`]. Every failure of one invocation (a bad event, a handler error or
    /// panic, a response that does not serialize or is too large) is reported to Lambda as that
    /// invocation's error and the loop goes on; only a failure of the Runtime API itself ends it
    /// (see [`RuntimeError`]).
    ///
    #[cfg_attr(feature = "http", doc = "[http-mode]: Runtime::http")]
    #[cfg_attr(not(feature = "http"), doc = "[http-mode]: crate#features")]
    pub async fn run<S, Req>(self, service: S) -> Result<(), RuntimeError>
    where
        M: Mode<S, Req>,
        L: Layer<M::Service>,
        L::Service: Service<LambdaEvent<M::Event>>,
        <L::Service as Service<LambdaEvent<M::Event>>>::Response: FunctionResponse,
        <L::Service as Service<LambdaEvent<M::Event>>>::Error: Into<Diagnostic>,
    {
        let slots = self.slots();
        let service = Mutex::new(self.layer.layer(self.mode.adapt(service, self.streaming)));
        let shared = Shared {
            config: self.config,
            decode: M::decode,
            service: &service,
            after_response: self.after_response.as_ref(),
            streaming: self.streaming,
            export_trace_env: slots == 1,
        };
        let first = Poller { api: self.api };
        if slots == 1 {
            return first.run(&shared).await;
        }
        let endpoint = first.api.endpoint().clone();
        let mut pollers = Vec::with_capacity(slots);
        pollers.push(first.run(&shared));
        for _ in 1..slots {
            let poller = Poller {
                api: RuntimeApi::new(Client::new(endpoint.clone())),
            };
            pollers.push(poller.run(&shared));
        }
        join::first(pollers).await
    }
}

#[cfg(feature = "http")]
impl<L> Runtime<L, Json> {
    /// Serves an HTTP service (an axum `Router`, any `tower::Service<http::Request<Body>>`)
    /// behind API Gateway (REST, HTTP and WebSocket APIs), an Application Load Balancer, a
    /// function URL or VPC Lattice: see [`http`](crate::http).
    pub fn http(self) -> Runtime<L, crate::http::Http> {
        Runtime {
            config: self.config,
            api: self.api,
            layer: self.layer,
            mode: crate::http::Http::default(),
            streaming: self.streaming,
            concurrency: self.concurrency,
            after_response: self.after_response,
        }
    }
}

#[cfg(feature = "http")]
impl<L> Runtime<L, crate::http::Http> {
    /// Whether to put the API Gateway stage in front of the request path (`/prod/items`).
    /// Off by default: the path is the one the client asked for, which is what routes expect.
    pub fn stage_prefix(mut self, on: bool) -> Self {
        self.mode = crate::http::Http::with_stage_prefix(on);
        self
    }
}
