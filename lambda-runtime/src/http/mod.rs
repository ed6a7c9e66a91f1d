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
//!     lambda_runtime::Runtime::from_env()?.http().run(app).await?;
//!     Ok(())
//! }
//! ```
//!
//! # Requests
//!
//! Each event's source is recognised by its keys ([`Source::detect`]) and the event is read
//! from its bytes, once, into an `http::Request<`[`Body`]`>` ([`LambdaRequest::from_slice`]):
//! method, the path as the client sent it (no API Gateway stage unless
//! [`Runtime::stage_prefix`](crate::Runtime::stage_prefix)), the query string escaped so it decodes once to what the
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
//! With [`Runtime::streaming`](crate::Runtime::streaming), each response is streamed as the
//! service produces it, for function URLs with `InvokeMode: RESPONSE_STREAM` and API Gateway
//! response streaming: buffered and streamed routes can be mixed in one app, and an error
//! after the first byte is sent as error trailers (see [`streaming`](crate::streaming)).
//!
//! ```no_run
//! use axum::{body::Body, routing::get, Router};
//! use lambda_runtime::{Error, Runtime};
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Error> {
//!     let app = Router::new()
//!         .route("/small", get(|| async { "buffered" }))
//!         .route("/large", get(|| async { Body::from(vec![b'x'; 10 << 20]) }));
//!     Runtime::from_env()?.http().streaming().run(app).await?;
//!     Ok(())
//! }
//! ```

mod alb;
mod apigw;
mod body;
mod builder;
mod convert;
mod encoding;
mod ext;
mod function_url;
mod probe;
mod request;
mod response;
mod service;
mod source;
mod vpc_lattice;
mod wire;

pub use body::Body;
pub use ext::{
    Params, PathParameters, QueryParameters, RequestContext, RequestExt, StageVariables,
};
pub use request::{LambdaRequest, RequestError};
pub use response::{BodyEncoding, LambdaResponse};
pub use service::{Adapter, AdapterFuture, Http, HttpResponse};
pub use source::{Source, UnrecognizedEvent};
