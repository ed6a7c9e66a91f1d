//! Run Rust functions on AWS Lambda.
//!
//! The smallest complete function: build it as `bootstrap` for the `provided.al2023` runtime.
//!
//! ```no_run
//! use lambda_runtime::{run, service_fn, Error, LambdaEvent};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize)]
//! struct Request {
//!     name: String,
//! }
//!
//! #[derive(Serialize)]
//! struct Response {
//!     greeting: String,
//! }
//!
//! async fn handler(event: LambdaEvent<Request>) -> Result<Response, Error> {
//!     Ok(Response { greeting: format!("Hello, {}!", event.payload.name) })
//! }
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Error> {
//!     run(service_fn(handler)).await?;
//!     Ok(())
//! }
//! ```
//!
//! Run it locally, with no AWS account, through the `lambda-rs` command line (`lambda-emulator`):
//!
//! ```text
//! lambda-rs invoke --event '{"name":"world"}' -- target/debug/my-function
//! ```
//!
//! # How it works
//!
//! [`run`] reads `AWS_LAMBDA_RUNTIME_API` and the reserved variables ([`Config`]), then loops:
//! `GET next`, deserialize the event into `T`, call the handler (any
//! [`tower::Service<LambdaEvent<T>>`](tower::Service)), serialize its response and `POST` it.
//! One keep-alive connection, driven in the loop's own task: no background task, no channel
//! hop per invocation. A single-threaded tokio runtime (`flavor = "current_thread"`) is all it
//! needs and is the fastest choice.
//!
//! # Errors
//!
//! A handler's error becomes the invocation's error report through [`Diagnostic`] (choose your
//! error types' `errorType` by implementing `From<YourError> for Diagnostic`). An event that does
//! not fit `T` (with the path of the failing field), a panicking handler and a response that does
//! not serialize are reported too, and the loop goes on. [`run`] returns only when the Runtime API
//! itself fails, with a [`RuntimeError`] that says why. Failures during initialization are
//! reported to `/runtime/init/error` with [`Runtime::init`].
//!
//! # `_X_AMZN_TRACE_ID`
//!
//! Serving one invocation at a time, the runtime puts each invocation's X-Ray trace header in the
//! `_X_AMZN_TRACE_ID` environment variable, where the AWS SDKs look for it (empty when the
//! invocation has none). It does not use `std::env::set_var`, which leaks every replaced value in
//! glibc (about 140 bytes per invocation) and races with threads reading the environment: the
//! variable points into a fixed ring of buffers that are never freed, handed to `putenv` in turn
//! and rewritten only long after they left the environment. Memory stays bounded and a
//! concurrent reader never sees freed memory; the reasoning is in `src/trace_env.rs`. With
//! multi-concurrency the variable is not set at all: read [`Context::xray_trace_id`].
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `tracing` | yes | the `logging` module: a `tracing` subscriber that follows `AWS_LAMBDA_LOG_FORMAT` and `AWS_LAMBDA_LOG_LEVEL` |
//! | `http` | no | the `http` module: an axum `Router` (any `tower::Service<http::Request<_>>`) behind API Gateway, ALB, function URLs or VPC Lattice, with `Runtime::http` |
//! | `opentelemetry` | no | the `opentelemetry` module: one span per invocation, flushed after each response |
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

mod api;
#[doc(hidden)]
pub mod client;
mod config;
mod context;
mod diagnostic;
mod error;
mod event;
#[doc(hidden)]
pub mod extension_api;
#[cfg(feature = "http")]
pub mod http;
mod join;
#[cfg(feature = "tracing")]
pub mod logging;
mod mode;
#[cfg(feature = "opentelemetry")]
pub mod opentelemetry;
mod panic;
mod poller;
#[doc(hidden)]
pub mod protocol;
pub mod report;
mod response;
mod runtime;
#[cfg(unix)]
pub mod shutdown;
pub mod streaming;
mod trace_env;

pub use client::{Endpoint, EndpointError};
pub use config::{Config, InitializationType, LogFormat};
pub use context::{ClientApplication, ClientContext, CognitoIdentity, Context, ContextError};
pub use diagnostic::{Diagnostic, ErrorCategory};
pub use error::{RuntimeError, RUNTIME_API_VAR};
pub use event::LambdaEvent;
pub use mode::{Json, Mode};
pub use response::FunctionResponse;
pub use runtime::Runtime;
pub use tower::{self, service_fn, Service};

/// A boxed error: the handler error type for functions that do not define their own.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs `service` as the function: reads the configuration from the environment and serves
/// invocations until the Runtime API fails.
///
/// `service` is any `tower::Service<LambdaEvent<T>>`; for an `async fn(LambdaEvent<T>) ->
/// Result<R, E>` use [`service_fn`]. `R` is any `Serialize` type (posted as JSON) or a
/// [`StreamResponse`](streaming::StreamResponse) (streamed). This is
/// `Runtime::from_env()?.run(service)`: for HTTP functions, streaming, multi-concurrency, layers
/// and hooks, configure a [`Runtime`]. See the crate docs for a complete program.
pub async fn run<S, T>(service: S) -> Result<(), RuntimeError>
where
    S: Service<LambdaEvent<T>>,
    S::Response: FunctionResponse,
    S::Error: Into<Diagnostic>,
    T: serde::de::DeserializeOwned,
{
    Runtime::from_env()?.run(service).await
}
