//! The tower service between the runtime loop and the user's HTTP service, and the mode that
//! puts it there.

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
use crate::diagnostic::ErrorCategory;
use crate::mode::Mode;
use crate::response::{FunctionResponse, Outgoing};
use crate::streaming::StreamResponse;
use crate::{Diagnostic, LambdaEvent};

/// The HTTP [`Mode`] of a [`Runtime`](crate::Runtime), set by
/// [`Runtime::http`](crate::Runtime::http): the function's service is a
/// `tower::Service<http::Request<Body>>`, put behind an [`Adapter`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Http {
    stage_prefix: bool,
}

impl Http {
    pub(crate) fn with_stage_prefix(on: bool) -> Self {
        Http { stage_prefix: on }
    }
}

impl<S, B> Mode<S, http::Request<Body>> for Http
where
    S: Service<http::Request<Body>, Response = http::Response<B>>,
    S::Error: Into<Diagnostic>,
    B: http_body::Body + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Event = LambdaRequest;
    type Service = Adapter<S>;

    fn adapt(&self, service: S, streaming: bool) -> Adapter<S> {
        Adapter {
            service,
            stage_prefix: self.stage_prefix,
            streaming,
        }
    }

    fn decode(event: &[u8]) -> Result<LambdaRequest, Diagnostic> {
        LambdaRequest::from_slice(event).map_err(|e| {
            ErrorCategory::InvalidEvent.diagnostic(crate::report::Report::new(&e).to_string())
        })
    }
}

/// Turns a `tower::Service<http::Request<Body>>` (an axum `Router`, a `service_fn`, ...) into
/// the per-invocation `Service<LambdaEvent<LambdaRequest>>` of an HTTP
/// [`Runtime`](crate::Runtime): each event becomes an `http::Request` (with the Lambda
/// [`Context`](crate::Context) in its extensions); the response is collected and shaped as the
/// source expects ([`LambdaResponse`]), or streamed with its prelude.
///
/// [`Runtime::http`](crate::Runtime::http) puts it in place; build one yourself to call the
/// adapter directly (in a test, say).
///
/// ```
/// use lambda_runtime::http::Adapter;
///
/// let app: axum::Router = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
/// let adapter = Adapter::new(app).with_stage_prefix(true);
/// # let _ = adapter;
/// ```
#[derive(Debug, Clone)]
pub struct Adapter<S> {
    service: S,
    stage_prefix: bool,
    streaming: bool,
}

impl<S> Adapter<S> {
    /// Adapts `service`, with the default options (no stage in the path, buffered responses).
    pub fn new(service: S) -> Self {
        Adapter {
            service,
            stage_prefix: false,
            streaming: false,
        }
    }

    /// Whether to put the API Gateway stage in front of the request path (`/prod/items`).
    /// Off by default: the path is the one the client asked for, which is what routes expect.
    pub fn with_stage_prefix(mut self, on: bool) -> Self {
        self.stage_prefix = on;
        self
    }

    /// Whether to stream responses (with their HTTP prelude) instead of collecting them.
    pub fn with_streaming(mut self, on: bool) -> Self {
        self.streaming = on;
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
    type Response = HttpResponse<B>;
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
            streaming: self.streaming,
        }
    }
}

/// The response of an [`Adapter`]: the JSON its source expects, or a stream.
#[derive(Debug)]
pub struct HttpResponse<B>(Shape<B>);

#[derive(Debug)]
enum Shape<B> {
    Buffered(LambdaResponse),
    Streamed(StreamResponse<B>),
}

impl<B> HttpResponse<B> {
    /// The buffered response (`None` when streamed).
    pub fn buffered(&self) -> Option<&LambdaResponse> {
        match &self.0 {
            Shape::Buffered(response) => Some(response),
            Shape::Streamed(_) => None,
        }
    }

    /// The streamed response (`None` when buffered).
    pub fn streamed(&self) -> Option<&StreamResponse<B>> {
        match &self.0 {
            Shape::Buffered(_) => None,
            Shape::Streamed(response) => Some(response),
        }
    }
}

impl<B> FunctionResponse for HttpResponse<B>
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn encode(
        self,
        streaming: bool,
        held: &mut Option<Self>,
    ) -> Result<Outgoing, (Diagnostic, ErrorCategory)> {
        match self.0 {
            Shape::Buffered(response) => {
                let mut kept = None;
                let outgoing = response.encode(streaming, &mut kept);
                *held = kept.map(|response| HttpResponse(Shape::Buffered(response)));
                outgoing
            }
            Shape::Streamed(response) => response.encode(streaming, &mut None),
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
    /// The future of [`Adapter`]: calls the service, then collects the response body (buffered)
    /// or hands it on (streaming).
    pub struct AdapterFuture<F, B>
    where
        B: http_body::Body,
    {
        #[pin]
        state: State<F, B>,
        source: Source,
        multi_value: bool,
        streaming: bool,
    }
}

impl<F, B, E> Future for AdapterFuture<F, B>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    E: Into<Diagnostic>,
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    type Output = Result<HttpResponse<B>, Diagnostic>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            match this.state.as_mut().project() {
                StateProj::Calling { future } => {
                    let response = ready!(future.poll(cx)).map_err(Into::into)?;
                    if *this.streaming {
                        let streamed = StreamResponse::from_http(response);
                        return Poll::Ready(Ok(HttpResponse(Shape::Streamed(streamed))));
                    }
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
                    return Poll::Ready(Ok(HttpResponse(Shape::Buffered(
                        LambdaResponse::from_parts(
                            *this.source,
                            *this.multi_value,
                            parts,
                            &collected,
                        ),
                    ))));
                }
            }
        }
    }
}
