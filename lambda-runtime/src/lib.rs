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
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

pub mod api;
pub mod client;
mod config;
mod context;
mod diagnostic;
mod error;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "tracing")]
pub mod logging;
mod panic;
pub mod report;
mod runtime;
#[cfg(unix)]
pub mod shutdown;
pub mod streaming;

pub use config::{Config, InitializationType, LogFormat};
pub use context::{ClientApplication, ClientContext, CognitoIdentity, Context, ContextError};
pub use diagnostic::{Diagnostic, ErrorCategory};
pub use error::{RuntimeError, RUNTIME_API_VAR};
pub use runtime::{LambdaEvent, Runtime};
pub use tower::{self, service_fn, Service};

#[cfg(feature = "http")]
pub use self::http::{run_http, run_http_streaming};

/// A boxed error: the handler error type for functions that do not define their own.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs `service` as the function: reads the configuration from the environment and serves
/// invocations until the Runtime API fails.
///
/// `service` is any `tower::Service<LambdaEvent<T>>`; for an `async fn(LambdaEvent<T>) ->
/// Result<R, E>` use [`service_fn`]. See the crate docs for a complete program.
pub async fn run<S, T, R>(service: S) -> Result<(), RuntimeError>
where
    S: Service<LambdaEvent<T>, Response = R>,
    S::Error: Into<Diagnostic>,
    T: serde::de::DeserializeOwned,
    R: serde::Serialize,
{
    Runtime::from_env()?.run(service).await
}

/// Runs `service`, whose responses are streamed (see [`streaming`]), as the function.
pub async fn run_streaming<S, T, B>(service: S) -> Result<(), RuntimeError>
where
    S: Service<LambdaEvent<T>, Response = streaming::StreamResponse<B>>,
    S::Error: Into<Diagnostic>,
    T: serde::de::DeserializeOwned,
    B: http_body::Body + Send + 'static,
    B::Error: Into<client::BoxError>,
{
    Runtime::from_env()?.run_streaming(service).await
}
