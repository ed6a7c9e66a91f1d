//! A local AWS Lambda execution environment, for any runtime in any language.
//!
//! The smallest use: start the Runtime API, point a runtime at it, invoke it.
//!
//! ```no_run
//! use lambda_emulator::{Outcome, RuntimeApi};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let api = RuntimeApi::start().await?;
//! let _child = tokio::process::Command::new("target/debug/examples/echo")
//!     .env("AWS_LAMBDA_RUNTIME_API", api.address().to_string())
//!     .kill_on_drop(true)
//!     .spawn()?;
//! if let Outcome::Response(response) = api.invoke(r#"{"hello":"world"}"#).await {
//!     assert_eq!(response.body, r#"{"hello":"world"}"#);
//! }
//! # Ok(()) }
//! ```
//!
//! The whole environment (processes, phases, limits, extensions, telemetry) is an
//! [`Environment`]; [`FrontDoor`] puts the Invoke API in front of it, and the `lambda-rs`
//! command line (crate `lambda-cli`: `invoke`, `serve`, `watch`) is a thin layer over both.
//!
//! | Lambda                                                    | Here                                                                |
//! |-----------------------------------------------------------|---------------------------------------------------------------------|
//! | Runtime API `/2018-06-01` (next, response, error, init error; 400/403/413) | [`RuntimeApi`], with fault injection ([`Faults`]) and recorded requests |
//! | Streaming responses (chunked, trailers)                   | collected by [`Environment::invoke`], passed through by [`FrontDoor`] |
//! | Reserved environment variables                            | [`FunctionConfig::reserved_variables`] (dummy credentials)          |
//! | Init limit 10 s, retried once within the function timeout | [`FunctionConfig::init_timeout`]                                    |
//! | Function timeout covering runtime and extensions          | [`FunctionConfig::timeout`], SIGKILL and reset                      |
//! | Crash / timeout reset, SHUTDOWN `failure` / `timeout`     | yes; the next invocation re-initialises                             |
//! | Shutdown 300 ms / 500 ms / 2 s, then SIGKILL              | [`Environment::shutdown`] (`spindown`)                              |
//! | Extensions API `/2020-01-01` (register, next, init/exit error, at most 10) | external extensions from [`FunctionConfig::extensions_dir`], internal ones from the runtime |
//! | Telemetry API `/2022-07-01` and Logs API `/2020-08-15`    | HTTP and TCP destinations, buffering, retries, `platform.logsDropped`, flushed before SHUTDOWN |
//! | Invoke API (RequestResponse, Event, DryRun)               | [`FrontDoor`]: `POST /2015-03-31/functions/{name}/invocations`      |
//! | InvokeWithResponseStream                                  | `POST /2021-11-15/.../response-streaming-invocations`, in the event-stream encoding (`PayloadChunk`, `InvokeComplete`) |
//! | `X-Amz-Log-Type: Tail`, AWS-shaped errors (`x-amzn-ErrorType`) | [`FrontDoor`]                                                       |
//! | CloudWatch START / END / REPORT lines                     | [`PlatformEvent::cloudwatch_line`]                                  |
//! | `maxMemoryUsedMB`                                         | sum of the processes' peak RSS (`VmHWM`, Linux only)                |
//! | Function URLs, API Gateway, ALB in front of the function  | [`HttpFront`]: plain HTTP in, the service's event to the function, its answer (buffered or streamed) out |
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

mod capture;
mod clock;
mod environment;
mod event_stream;
mod extensions_api;
mod faults;
mod front_door;
/// Entry points for the fuzz targets in `fuzz/`; not part of the supported API.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::front_door::invoke_headers_status as invoke_headers;
}
mod function_config;
mod http_front;
mod ids;
mod invocation;
mod logs;
mod platform;
mod process;
mod queue;
mod runtime_api;
mod server;
mod tail;
mod telemetry;
mod wire;

pub use environment::Environment;
pub use extensions_api::{ExtensionError, ExtensionErrorKind, ShutdownReason, MAX_EXTENSIONS};
pub use faults::Faults;
pub use front_door::{FrontDoor, MAX_REQUEST_BYTES};
pub use function_config::{
    FunctionConfig, DUMMY_ACCESS_KEY_ID, DUMMY_SECRET_ACCESS_KEY, DUMMY_SESSION_TOKEN,
};
pub use http_front::{HttpFormat, HttpFront, UnknownHttpFormat};
pub use invocation::{ErrorReport, FunctionResponse, Invocation, Outcome};
pub use logs::{Echo, LogLine, LogSource, LogStream};
pub use platform::{PhaseStatus, PlatformEvent};
pub use process::ExitInfo;
pub use runtime_api::{RecordedRequest, RuntimeApi, RuntimeApiConfig};
pub use wire::MAX_BUFFERED_RESPONSE_BYTES;
