//! The error report Lambda shows a caller: `{"errorType", "errorMessage", "stackTrace"}`.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// An error as reported to Lambda, and from there to the caller.
///
/// A handler's error type `E` only needs `E: Into<Diagnostic>`. The `errorType` a caller sees is
/// always chosen explicitly, never derived from Rust type names:
///
/// - for your own error types, implement `From<YourError> for Diagnostic` and pick the type;
/// - a boxed error ([`crate::Error`]) that holds a `Diagnostic` keeps it; any other boxed error
///   is reported with the type `"Error"`, its `Display` as the message and its `source()` chain
///   as the stack trace;
/// - `String` and `&str` become type `"Error"`, `std::io::Error` type `"IoError"` and
///   `serde_json::Error` type `"JsonError"`.
///
/// Lambda also receives a `Lambda-Runtime-Function-Error-Type` header in its `Category.Reason`
/// form: `Function.<errorType>` when the `errorType` is one capitalised word of letters (as
/// `"InvalidOrder"` below), `Function.Error` otherwise. Failures of the runtime itself (an event
/// that does not deserialize, a panic, a response that does not serialize) are reported as
/// `Runtime.<Reason>`; see [`ErrorCategory`](crate::ErrorCategory).
///
/// ```
/// use lambda_runtime::Diagnostic;
///
/// #[derive(Debug)]
/// enum OrderError {
///     Invalid(String),
///     OutOfStock { sku: String },
/// }
///
/// impl From<OrderError> for Diagnostic {
///     fn from(e: OrderError) -> Diagnostic {
///         match e {
///             OrderError::Invalid(why) => Diagnostic::new("InvalidOrder", why),
///             OrderError::OutOfStock { sku } => {
///                 Diagnostic::new("OutOfStock", format!("{sku} is out of stock"))
///             }
///         }
///     }
/// }
///
/// let d = Diagnostic::from(OrderError::OutOfStock { sku: "A-1".into() });
/// assert_eq!(d.error_type(), "OutOfStock");
/// assert_eq!(d.to_json(), br#"{"errorType":"OutOfStock","errorMessage":"A-1 is out of stock"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    error_type: Cow<'static, str>,
    error_message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stack_trace: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the given `errorType` and `errorMessage`.
    pub fn new(error_type: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Diagnostic {
            error_type: error_type.into(),
            error_message: message.into(),
            stack_trace: Vec::new(),
        }
    }

    /// A diagnostic for any error: its `Display` as the message and its `source()` chain as the
    /// stack trace.
    ///
    /// ```
    /// let io = std::io::Error::new(std::io::ErrorKind::NotFound, "config.toml");
    /// let d = lambda_runtime::Diagnostic::from_error("ConfigMissing", &io);
    /// assert_eq!(d.error_message(), "config.toml");
    /// ```
    pub fn from_error(
        error_type: impl Into<Cow<'static, str>>,
        error: &(dyn std::error::Error + 'static),
    ) -> Self {
        let mut stack_trace = Vec::new();
        let mut source = error.source();
        while let Some(cause) = source {
            stack_trace.push(format!("caused by: {cause}"));
            source = cause.source();
        }
        Diagnostic {
            error_type: error_type.into(),
            error_message: error.to_string(),
            stack_trace,
        }
    }

    /// Replaces the stack trace (one line per frame or cause).
    pub fn with_stack_trace(mut self, stack_trace: Vec<String>) -> Self {
        self.stack_trace = stack_trace;
        self
    }

    /// The `errorType`.
    pub fn error_type(&self) -> &str {
        &self.error_type
    }

    /// The `errorMessage`.
    pub fn error_message(&self) -> &str {
        &self.error_message
    }

    /// The `stackTrace` lines.
    pub fn stack_trace(&self) -> &[String] {
        &self.stack_trace
    }

    /// The JSON body sent to the Runtime API.
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing strings into a Vec cannot fail.
        serde_json::to_vec(self).unwrap_or_else(|_| b"{}".to_vec())
    }

    /// The error's category in Lambda's `Category.Reason` form: `<category>.<errorType>` when
    /// the `errorType` is one capitalised word of letters (Lambda's `[A-Z][a-zA-Z]+`), else
    /// `<category>.<fallback>`. Used for `Lambda-Runtime-Function-Error-Type` (category
    /// `Function`) and by extensions for `Lambda-Extension-Function-Error-Type`.
    ///
    /// ```
    /// use lambda_runtime::Diagnostic;
    ///
    /// assert_eq!(Diagnostic::new("OutOfStock", "").category("Function", "Error"), "Function.OutOfStock");
    /// assert_eq!(Diagnostic::new("my::Error", "").category("Extension", "UnknownReason"), "Extension.UnknownReason");
    /// ```
    pub fn category(&self, category: &str, fallback: &str) -> String {
        let t = self.error_type.as_ref();
        let mut chars = t.chars();
        let well_formed = chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_alphabetic());
        let reason = if well_formed { t } else { fallback };
        format!("{category}.{reason}")
    }

    /// The `Lambda-Runtime-Function-Error-Type` value for a handler's own error.
    pub(crate) fn function_category(&self) -> Cow<'static, str> {
        Cow::Owned(self.category("Function", "Error"))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.error_message)
    }
}

impl std::error::Error for Diagnostic {}

impl From<Box<dyn std::error::Error + Send + Sync>> for Diagnostic {
    fn from(error: Box<dyn std::error::Error + Send + Sync>) -> Self {
        match error.downcast::<Diagnostic>() {
            Ok(diagnostic) => *diagnostic,
            Err(error) => Diagnostic::from_error("Error", &*error),
        }
    }
}

impl From<Box<dyn std::error::Error>> for Diagnostic {
    fn from(error: Box<dyn std::error::Error>) -> Self {
        match error.downcast::<Diagnostic>() {
            Ok(diagnostic) => *diagnostic,
            Err(error) => Diagnostic::from_error("Error", &*error),
        }
    }
}

impl From<String> for Diagnostic {
    fn from(message: String) -> Self {
        Diagnostic::new("Error", message)
    }
}

impl From<&str> for Diagnostic {
    fn from(message: &str) -> Self {
        Diagnostic::new("Error", message)
    }
}

impl From<std::io::Error> for Diagnostic {
    fn from(error: std::io::Error) -> Self {
        Diagnostic::from_error("IoError", &error)
    }
}

impl From<serde_json::Error> for Diagnostic {
    fn from(error: serde_json::Error) -> Self {
        Diagnostic::from_error("JsonError", &error)
    }
}

impl From<std::convert::Infallible> for Diagnostic {
    fn from(error: std::convert::Infallible) -> Self {
        match error {}
    }
}

/// Where a reported error came from, as sent in `Lambda-Runtime-Function-Error-Type`.
///
/// Lambda normalises values that do not match `(Runtime|Function)\.[A-Z][a-zA-Z]+` to
/// `Runtime.Unknown`; every value here matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCategory {
    /// The handler returned an error: `Function.<errorType>` (see [`Diagnostic`]).
    Handler,
    /// The event did not deserialize into the handler's type: `Runtime.InvalidEvent`.
    InvalidEvent,
    /// The invocation's headers were malformed: `Runtime.InvalidContext`.
    InvalidContext,
    /// The handler panicked: `Runtime.HandlerPanic`.
    Panic,
    /// The handler's response did not serialize: `Runtime.InvalidResponse`.
    InvalidResponse,
    /// The Runtime API refused the response as too large: `Function.ResponseSizeTooLarge`.
    ResponseSizeTooLarge,
}

impl ErrorCategory {
    /// The fixed `errorType` and header value of a runtime-side category (`None` for
    /// [`ErrorCategory::Handler`], whose value depends on the error).
    pub const fn as_str(self) -> Option<&'static str> {
        match self {
            ErrorCategory::Handler => None,
            ErrorCategory::InvalidEvent => Some("Runtime.InvalidEvent"),
            ErrorCategory::InvalidContext => Some("Runtime.InvalidContext"),
            ErrorCategory::Panic => Some("Runtime.HandlerPanic"),
            ErrorCategory::InvalidResponse => Some("Runtime.InvalidResponse"),
            ErrorCategory::ResponseSizeTooLarge => Some("Function.ResponseSizeTooLarge"),
        }
    }

    /// The diagnostic for a runtime-side failure: `errorType` is the category itself.
    pub(crate) fn diagnostic(self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.as_str().unwrap_or("Function.Error"), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxed_diagnostic_keeps_its_type() {
        let boxed: crate::Error = Box::new(Diagnostic::new("Throttled", "slow down"));
        let d = Diagnostic::from(boxed);
        assert_eq!(d.error_type(), "Throttled");
        assert_eq!(d.function_category(), "Function.Throttled");
    }

    #[test]
    fn boxed_error_is_type_error_with_its_causes() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl fmt::Display for Outer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("loading failed")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let boxed: crate::Error = Box::new(Outer(std::io::Error::other("disk on fire")));
        let d = Diagnostic::from(boxed);
        assert_eq!(d.error_type(), "Error");
        assert_eq!(d.error_message(), "loading failed");
        assert_eq!(d.stack_trace(), ["caused by: disk on fire"]);
        assert_eq!(
            String::from_utf8(d.to_json()).unwrap(),
            r#"{"errorType":"Error","errorMessage":"loading failed","stackTrace":["caused by: disk on fire"]}"#
        );
    }

    #[test]
    fn category_header_falls_back_for_free_text_types() {
        assert_eq!(
            Diagnostic::new("my::Error", "x").function_category(),
            "Function.Error"
        );
        assert_eq!(
            Diagnostic::new("", "x").function_category(),
            "Function.Error"
        );
        assert_eq!(
            Diagnostic::new("lower", "x").function_category(),
            "Function.Error"
        );
        assert_eq!(
            Diagnostic::new("IoError", "x").function_category(),
            "Function.IoError"
        );
    }
}
