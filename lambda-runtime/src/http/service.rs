//! The tower services that sit between the runtime loop and the user's HTTP service.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use http_body_util::combinators::Collect;
use http_body_util::BodyExt;
use tower::Service;

use super::body::Body;
use super::request::LambdaRequest;
use super::response::LambdaResponse;
use super::source::Source;
use crate::client::BoxError;
use crate::streaming::StreamResponse;
use crate::{Diagnostic, LambdaEvent};

/// Turns a `tower::Service<http::Request<Body>>` (an axum `Router`, a `service_fn`, ...) into
/// the `Service<LambdaEvent<LambdaRequest>>` that [`Runtime::run`](crate::Runtime::run)
/// serves: each event becomes an `http::Request` (with the Lambda [`Context`](crate::Context)
/// in its extensions), the response body is collected and shaped as the source expects
/// ([`LambdaResponse`]).
///
/// [`run_http`](super::run_http) is `Runtime::from_env()?.run(Adapter::new(service))`; use
/// `Adapter` directly for options or with a [`Runtime`](crate::Runtime) you initialised:
///
/// ```no_run
/// use lambda_runtime::http::Adapter;
/// use lambda_runtime::{Error, Runtime};
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Error> {
///     let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
///     // Routes see `/prod/...` rather than `/...` behind the `prod` stage.
///     Runtime::from_env()?.run(Adapter::new(app).with_stage_prefix(true)).await?;
///     Ok(())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Adapter<S> {
    service: S,
    stage_prefix: bool,
}

impl<S> Adapter<S> {
    /// Adapts `service`, with the default options (no stage in the path).
    pub fn new(service: S) -> Self {
        Adapter {
            service,
            stage_prefix: false,
        }
    }

    /// Whether to put the API Gateway stage in front of the request path (`/prod/items`).
    /// Off by default: the path is the one the client asked for, which is what routes expect.
    pub fn with_stage_prefix(mut self, on: bool) -> Self {
        self.stage_prefix = on;
        self
    }

    fn request(&self, event: LambdaEvent<LambdaRequest>) -> (http::Request<Body>, Source, bool) {
        let (request, context) = event.into_parts();
        let (source, multi_value) = (request.source(), request.is_multi_value());
        let mut request = if self.stage_prefix {
            request.into_http_with_stage()
        } else {
            request.into_http()
        };
        request.extensions_mut().insert(context);
        (request, source, multi_value)
    }
}

impl<S, B> Service<LambdaEvent<LambdaRequest>> for Adapter<S>
where
    S: Service<http::Request<Body>, Response = http::Response<B>>,
    S::Error: Into<Diagnostic>,
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    type Response = LambdaResponse;
    type Error = Diagnostic;
    type Future = AdapterFuture<S::Future, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Diagnostic>> {
        self.service.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, event: LambdaEvent<LambdaRequest>) -> Self::Future {
        let (request, source, multi_value) = self.request(event);
        AdapterFuture {
            state: State::Calling {
                future: self.service.call(request),
            },
            source,
            multi_value,
        }
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F, B>
    where
        B: http_body::Body,
    {
        Calling { #[pin] future: F },
        Collecting { #[pin] collect: Collect<B>, parts: Option<http::response::Parts> },
    }
}

pin_project_lite::pin_project! {
    /// The future of [`Adapter`]: calls the service, then collects the response body.
    pub struct AdapterFuture<F, B>
    where
        B: http_body::Body,
    {
        #[pin]
        state: State<F, B>,
        source: Source,
        multi_value: bool,
    }
}

impl<F, B, E> Future for AdapterFuture<F, B>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    E: Into<Diagnostic>,
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    type Output = Result<LambdaResponse, Diagnostic>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            match this.state.as_mut().project() {
                StateProj::Calling { future } => {
                    let response = ready!(future.poll(cx)).map_err(Into::into)?;
                    let (parts, body) = response.into_parts();
                    this.state.set(State::Collecting {
                        collect: body.collect(),
                        parts: Some(parts),
                    });
                }
                StateProj::Collecting { collect, parts } => {
                    let collected = ready!(collect.poll(cx))
                        .map_err(|e| Diagnostic::from(e.into()))?
                        .to_bytes();
                    let Some(parts) = parts.take() else {
                        return Poll::Ready(Err(Diagnostic::new(
                            "Runtime.InvalidState",
                            "the HTTP adapter's future was polled after it completed",
                        )));
                    };
                    return Poll::Ready(Ok(LambdaResponse::from_parts(
                        *this.source,
                        *this.multi_value,
                        parts,
                        &collected,
                    )));
                }
            }
        }
    }
}

/// Like [`Adapter`], for response streaming (function URLs and API Gateway with response
/// streaming): the service's response is streamed as it is produced, its status, headers and
/// cookies in the HTTP prelude ([`StreamResponse::from_http`]). Served by
/// [`Runtime::run_streaming`](crate::Runtime::run_streaming); see
/// [`run_http_streaming`](super::run_http_streaming).
#[derive(Debug, Clone)]
pub struct StreamingAdapter<S>(Adapter<S>);

impl<S> StreamingAdapter<S> {
    /// Adapts `service`, with the default options (no stage in the path).
    pub fn new(service: S) -> Self {
        StreamingAdapter(Adapter::new(service))
    }

    /// Whether to put the API Gateway stage in front of the request path; see
    /// [`Adapter::with_stage_prefix`].
    pub fn with_stage_prefix(self, on: bool) -> Self {
        StreamingAdapter(self.0.with_stage_prefix(on))
    }
}

impl<S, B> Service<LambdaEvent<LambdaRequest>> for StreamingAdapter<S>
where
    S: Service<http::Request<Body>, Response = http::Response<B>>,
    S::Error: Into<Diagnostic>,
{
    type Response = StreamResponse<B>;
    type Error = Diagnostic;
    type Future = StreamingFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Diagnostic>> {
        self.0.service.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, event: LambdaEvent<LambdaRequest>) -> Self::Future {
        let (request, _, _) = self.0.request(event);
        StreamingFuture {
            future: self.0.service.call(request),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`StreamingAdapter`]: the service's response, ready to stream.
    pub struct StreamingFuture<F> {
        #[pin]
        future: F,
    }
}

impl<F, B, E> Future for StreamingFuture<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    E: Into<Diagnostic>,
{
    type Output = Result<StreamResponse<B>, Diagnostic>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = ready!(self.project().future.poll(cx)).map_err(Into::into)?;
        Poll::Ready(Ok(StreamResponse::from_http(response)))
    }
}
