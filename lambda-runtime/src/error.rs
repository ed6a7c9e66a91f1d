//! Why the runtime stopped: the errors [`run`](crate::run) returns.

use crate::client::{ClientError, EndpointError};
use crate::diagnostic::Diagnostic;
use crate::report::Report;

/// The environment variable that tells the runtime where the Runtime API is.
pub const RUNTIME_API_VAR: &str = "AWS_LAMBDA_RUNTIME_API";

/// Why [`run`](crate::run) (or [`Runtime`](crate::Runtime)) stopped.
///
/// The runtime stops only when it cannot go on: every per-invocation failure (a bad event, a
/// handler error or panic, a response that does not serialize or is too large) is reported to
/// Lambda and the loop continues.
///
/// `Display` describes this error only and [`source()`](std::error::Error::source) returns its
/// cause; `Debug` prints both (a [`Report`]): it is what a `main` returning
/// `Result<(), Error>` prints to the function's log when the runtime stops.
#[non_exhaustive]
pub enum RuntimeError {
    /// `AWS_LAMBDA_RUNTIME_API` is not set: the program is not running inside Lambda.
    NotInLambda,
    /// `AWS_LAMBDA_RUNTIME_API` is set but cannot be understood.
    InvalidEndpoint(EndpointError),
    /// The Runtime API could not be reached, or the connection failed during a call.
    Api {
        /// The call that failed (`next`, `response`, `error`, `init/error`).
        call: &'static str,
        /// Why.
        source: ClientError,
    },
    /// The Runtime API answered a call with a status the runtime cannot continue from (5xx, or
    /// 4xx on `next`).
    Status {
        /// The call that was answered.
        call: &'static str,
        /// The HTTP status.
        status: http::StatusCode,
        /// The body of the answer, as text (truncated to 1 KiB).
        body: String,
    },
    /// The function's initialization failed; the error was reported to `/runtime/init/error`.
    Init(Diagnostic),
    /// A signal handler could not be installed (graceful shutdown).
    Signal(std::io::Error),
}

impl std::fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuntimeError::NotInLambda => write!(
                f,
                "{RUNTIME_API_VAR} is not set: this program runs inside AWS Lambda; to run it locally use \
                 `lambda-rs invoke --event '{{}}' -- <this program>`"
            ),
            RuntimeError::InvalidEndpoint(_) => write!(f, "{RUNTIME_API_VAR} is invalid"),
            RuntimeError::Api { call, .. } => {
                write!(f, "the Runtime API call `{call}` failed")
            }
            RuntimeError::Status { call, status, body } => write!(
                f,
                "the Runtime API answered `{call}` with {status}: {body} (the execution environment is \
                 unhealthy; exiting so that Lambda replaces it)"
            ),
            RuntimeError::Init(_) => write!(
                f,
                "the function's initialization failed and was reported to Lambda"
            ),
            RuntimeError::Signal(_) => write!(f, "cannot install the SIGTERM handler"),
        }
    }
}

impl std::fmt::Debug for RuntimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The message and its causes, as `main` returning an error should print them.
        std::fmt::Display::fmt(&Report::new(self), f)
    }
}

impl std::error::Error for RuntimeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RuntimeError::InvalidEndpoint(e) => Some(e),
            RuntimeError::Api { source, .. } => Some(source),
            RuntimeError::Init(d) => Some(d),
            RuntimeError::Signal(e) => Some(e),
            RuntimeError::NotInLambda | RuntimeError::Status { .. } => None,
        }
    }
}

impl From<EndpointError> for RuntimeError {
    fn from(e: EndpointError) -> Self {
        RuntimeError::InvalidEndpoint(e)
    }
}
