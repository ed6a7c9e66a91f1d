//! What can go wrong when running an extension.

use std::fmt;

use lambda_runtime::client::{ClientError, EndpointError};
use lambda_runtime::report::Report;
use lambda_runtime::{Diagnostic, RUNTIME_API_VAR};

use crate::listener::ListenerError;

/// Where in its life an extension was when its processor failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Before the first event: reported to `/extension/init/error`.
    Init,
    /// While processing an event: reported to `/extension/exit/error`.
    Event,
}

/// Why an extension stopped.
///
/// `Display` describes this error only and [`source()`](std::error::Error::source) returns its
/// cause; `Debug` prints both (a [`Report`]), as a `main` returning the error shows it.
#[non_exhaustive]
pub enum ExtensionError {
    /// `AWS_LAMBDA_RUNTIME_API` is not set and no address was given.
    MissingRuntimeApi,
    /// The API address could not be understood.
    Endpoint(EndpointError),
    /// No extension name was given and the executable's file name could not be found.
    NoName,
    /// The name cannot be sent in the `Lambda-Extension-Name` header.
    InvalidName {
        /// The name.
        name: String,
    },
    /// An internal extension asked for `SHUTDOWN`, which Lambda only gives external ones.
    InternalShutdown {
        /// The extension's name.
        name: String,
    },
    /// The exchange with the API failed (connection refused or dropped).
    Client(ClientError),
    /// Lambda refused the registration.
    Registration {
        /// The name the extension registered with.
        name: String,
        /// The HTTP status.
        status: u16,
        /// Lambda's `errorType`, if it sent one.
        error_type: String,
        /// Lambda's `errorMessage` (or the raw body).
        message: String,
    },
    /// Lambda refused a Logs or Telemetry API subscription.
    Subscription {
        /// `Logs` or `Telemetry`.
        api: &'static str,
        /// The HTTP status.
        status: u16,
        /// Lambda's `errorType`, if it sent one.
        error_type: String,
        /// Lambda's `errorMessage` (or the raw body).
        message: String,
    },
    /// An API call answered with an unexpected status (500 means the environment is broken and
    /// the extension must exit).
    Api {
        /// The call, such as `GET /extension/event/next`.
        call: &'static str,
        /// The HTTP status.
        status: u16,
        /// The response body, as text.
        body: String,
    },
    /// The logs/telemetry listener could not start.
    Listener(ListenerError),
    /// The events processor failed; the error was reported to Lambda.
    Processor {
        /// Before the first event or while processing one.
        stage: Stage,
        /// The processor's error, as reported.
        diagnostic: Diagnostic,
    },
}

impl fmt::Display for ExtensionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtensionError::MissingRuntimeApi => write!(
                f,
                "{RUNTIME_API_VAR} is not set: this program is a Lambda extension and runs inside AWS Lambda; \
                 to run it locally use `lambda-rs serve` with it in the extensions directory"
            ),
            ExtensionError::Endpoint(_) => write!(f, "{RUNTIME_API_VAR} is invalid"),
            ExtensionError::NoName => f.write_str(
                "cannot find the executable's file name to register with: set one with `Extension::with_name`",
            ),
            ExtensionError::InvalidName { name } => write!(
                f,
                "the extension name {name:?} cannot be sent in an HTTP header: use the executable's file name \
                 (visible ASCII)"
            ),
            ExtensionError::InternalShutdown { name } => write!(
                f,
                "the internal extension `{name}` asked for SHUTDOWN events: Lambda gives them only to external \
                 extensions (executables in /opt/extensions); register internal extensions for INVOKE only"
            ),
            // Transparent: the client error says it all (and source() skips it).
            ExtensionError::Client(e) => write!(f, "{e}"),
            ExtensionError::Registration { name, status, error_type, message } => write!(
                f,
                "Lambda refused to register the extension `{name}` ({status} {error_type}: {message}); \
                 an external extension must register with its executable's file name in /opt/extensions"
            ),
            ExtensionError::Subscription { api, status, error_type, message } => write!(
                f,
                "Lambda refused the {api} API subscription ({status} {error_type}: {message}); \
                 subscriptions are accepted only during Init"
            ),
            ExtensionError::Api { call, status, body } => write!(
                f,
                "`{call}` answered {status}: {body}{}",
                if *status >= 500 {
                    " (the execution environment is broken: the extension exits)"
                } else {
                    ""
                }
            ),
            // Transparent, as `Client`.
            ExtensionError::Listener(e) => write!(f, "{e}"),
            ExtensionError::Processor { stage, .. } => match stage {
                Stage::Init => f.write_str(
                    "the extension failed during Init (reported to Lambda as an init error)",
                ),
                Stage::Event => f.write_str(
                    "the events processor failed (reported to Lambda as an exit error)",
                ),
            },
        }
    }
}

impl fmt::Debug for ExtensionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Report::new(self), f)
    }
}

impl std::error::Error for ExtensionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExtensionError::Endpoint(e) => Some(e),
            ExtensionError::Client(e) => e.source(),
            ExtensionError::Listener(e) => e.source(),
            ExtensionError::Processor { diagnostic, .. } => Some(diagnostic),
            _ => None,
        }
    }
}

impl From<ClientError> for ExtensionError {
    fn from(e: ClientError) -> Self {
        ExtensionError::Client(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processor_errors_say_where_they_were_reported() {
        let init = ExtensionError::Processor {
            stage: Stage::Init,
            diagnostic: Diagnostic::new("BackendUnreachable", "cannot reach the backend"),
        };
        assert_eq!(
            format!("{init:?}"),
            "the extension failed during Init (reported to Lambda as an init error): \
             BackendUnreachable: cannot reach the backend"
        );
        let exit = ExtensionError::Processor {
            stage: Stage::Event,
            diagnostic: Diagnostic::new("ConfigInvalid", "the API key is missing"),
        };
        assert_eq!(
            format!("{exit:?}"),
            "the events processor failed (reported to Lambda as an exit error): \
             ConfigInvalid: the API key is missing"
        );
    }

    #[test]
    fn a_500_says_the_extension_exits() {
        let e = ExtensionError::Api {
            call: "GET /extension/event/next",
            status: 500,
            body: "{}".into(),
        };
        assert_eq!(
            e.to_string(),
            "`GET /extension/event/next` answered 500: {} (the execution environment is broken: the extension exits)"
        );
    }
}
