//! HTTP functions: run an axum `Router`, or any `tower::Service<http::Request<Body>>`, behind
//! API Gateway (REST, HTTP and WebSocket APIs), an Application Load Balancer, a function URL or
//! VPC Lattice (feature `http`).
//!
//! ```no_run
//! use axum::{extract::Path, routing::get, Router};
//! use lambda_runtime::Error;
//!
//! async fn hello(Path(name): Path<String>) -> String {
//!     format!("Hello, {name}!")
//! }
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Error> {
//!     let app = Router::new().route("/hello/{name}", get(hello));
//!     lambda_runtime::http::run_http(app).await?;
//!     Ok(())
//! }
//! ```
//!
//! # Requests
//!
//! Each event is read once into a JSON value, its source recognised by its keys
//! ([`Source::detect`]), and converted into an `http::Request<`[`Body`]`>` ([`LambdaRequest`]):
//! method, the path as the client sent it (no API Gateway stage unless
//! [`Adapter::with_stage_prefix`]), the query string escaped so it decodes once to what the
//! client sent, every header value, cookies, and the body, base64-decoded when flagged. An
//! event from another source, or a body flagged base64 that is not, is reported as the
//! invocation's `Runtime.InvalidEvent` error, saying what was expected and what came, and the
//! function goes on serving.
//!
//! The request's extensions hold the Lambda [`Context`](crate::Context), the source's typed
//! [`RequestContext`] (authorizer claims, caller identity, stage, request id),
//! [`PathParameters`], [`StageVariables`] and [`QueryParameters`]; read them with
//! [`RequestExt`], or in axum with `Extension<lambda_runtime::Context>`.
//!
//! WebSocket events have no method or path: a message (an event with a body) becomes
//! `POST /`, `$connect` and `$disconnect` become `GET /`; route on the `route_key` of
//! [`RequestContext::WebSocket`].
//!
//! # Responses
//!
//! The response body is collected and shaped as the source expects ([`LambdaResponse`]):
//! multi-value headers for REST APIs and for ALB target groups that sent a multi-value
//! request, `cookies` for HTTP APIs and function URLs, ALB's `statusDescription`; the body is
//! text unless its type is binary or it has a `Content-Encoding` (then base64 with
//! `isBase64Encoded: true`), which a [`BodyEncoding`] response extension overrides.
//!
//! # Streaming
//!
//! [`run_http_streaming`] streams each response as the service produces it, for function URLs
//! with `InvokeMode: RESPONSE_STREAM` and API Gateway response streaming: buffered and
//! streamed routes can be mixed in one app, and an error after the first byte is sent as
//! error trailers (see [`streaming`](crate::streaming)).

mod alb;
mod apigw;
mod body;
mod builder;
mod convert;
mod encoding;
mod ext;
mod function_url;
mod request;
mod response;
mod service;
mod source;
mod vpc_lattice;

pub use body::Body;
pub use ext::{
    Params, PathParameters, QueryParameters, RequestContext, RequestExt, StageVariables,
};
pub use request::{LambdaRequest, RequestError};
pub use response::{BodyEncoding, LambdaResponse};
pub use service::{Adapter, AdapterFuture, StreamingAdapter, StreamingFuture};
pub use source::{Source, UnrecognizedEvent};

use crate::client::BoxError;
use crate::{Diagnostic, Runtime, RuntimeError, Service};

/// Runs `service`, an axum `Router` or any `tower::Service<http::Request<Body>>`, as the
/// function: each request's response is collected and returned in the JSON its source expects.
/// See the [module docs](self) for a complete program.
pub async fn run_http<S, B>(service: S) -> Result<(), RuntimeError>
where
    S: Service<http::Request<Body>, Response = http::Response<B>>,
    S::Error: Into<Diagnostic>,
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    Runtime::from_env()?.run(Adapter::new(service)).await
}

/// Runs `service` as the function with response streaming: each response is streamed to the
/// caller as the service produces it (function URLs with `InvokeMode: RESPONSE_STREAM`, API
/// Gateway response streaming).
///
/// ```no_run
/// use axum::{body::Body, routing::get, Router};
/// use lambda_runtime::Error;
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Error> {
///     let app = Router::new()
///         .route("/small", get(|| async { "buffered" }))
///         .route("/large", get(|| async { Body::from(vec![b'x'; 10 << 20]) }));
///     lambda_runtime::http::run_http_streaming(app).await?;
///     Ok(())
/// }
/// ```
pub async fn run_http_streaming<S, B>(service: S) -> Result<(), RuntimeError>
where
    S: Service<http::Request<Body>, Response = http::Response<B>>,
    S::Error: Into<Diagnostic>,
    B: http_body::Body + Send + 'static,
    B::Error: Into<BoxError>,
{
    Runtime::from_env()?
        .run_streaming(StreamingAdapter::new(service))
        .await
}
