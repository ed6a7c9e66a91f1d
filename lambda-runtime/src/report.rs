//! An error with its causes, on one line.
//!
//! The errors of this workspace follow the Rust API guidelines: an error's `Display` describes
//! that error only, and its cause is returned by [`source()`](std::error::Error::source), never
//! both (a reporter that walks `source()` would print the cause twice). [`Report`] is the other
//! half of that convention: it prints the error and every cause, separated by `: `, for a log
//! line or a message that must stand alone.

use std::error::Error;
use std::fmt;

/// Displays an error followed by each of its causes: `error: cause: cause of cause`.
///
/// ```
/// use lambda_runtime::report::Report;
/// use lambda_runtime::client::ClientError;
///
/// let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
/// let error = ClientError::Connect { address: "127.0.0.1:9001".into(), source: refused };
/// assert_eq!(
///     Report::new(&error).to_string(),
///     format!("{error}: connection refused"),
/// );
/// ```
#[derive(Clone, Copy)]
pub struct Report<'a>(&'a (dyn Error + 'static));

impl<'a> Report<'a> {
    /// A report of `error` and its causes.
    pub fn new(error: &'a (dyn Error + 'static)) -> Self {
        Report(error)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
