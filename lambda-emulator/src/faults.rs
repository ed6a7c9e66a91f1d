//! Fault injection for tests of runtimes: make the Runtime API misbehave on purpose.

use std::collections::VecDeque;
use std::sync::Mutex;

/// A fault the next `GET /runtime/invocation/next` suffers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Answer with this status and a JSON error body, without handing out an invocation.
    Status(u16),
    /// Drop the connection without answering.
    CloseConnection,
    /// Hand out the invocation with this header replaced (or removed, for `None`).
    Header(http::HeaderName, Option<http::HeaderValue>),
}

/// Faults to inject into the Runtime API, each consumed by one `GET /runtime/invocation/next`,
/// in the order they were added. Queued invocations are not touched: they are handed out by the
/// next `next` call that suffers no fault.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let api = lambda_emulator::RuntimeApi::start().await?;
/// // The runtime's first poll gets a 500 and its second loses the connection.
/// api.faults().fail_next_with_status(500);
/// api.faults().close_next_connection();
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct Faults {
    pending: Mutex<VecDeque<Fault>>,
    stream_cut: Mutex<Option<usize>>,
}

impl Faults {
    /// The next `GET /runtime/invocation/next` answers `status` (with a JSON error body), once.
    pub fn fail_next_with_status(&self, status: u16) {
        self.push(Fault::Status(status));
    }

    /// The next `GET /runtime/invocation/next` has its connection dropped without an answer, once.
    pub fn close_next_connection(&self) {
        self.push(Fault::CloseConnection);
    }

    /// The next invocation handed out by `GET /runtime/invocation/next` carries header `name`
    /// with `value` instead of the real one, or without it for `None`, once: for testing how a
    /// runtime treats malformed invocation headers. A name or value that is not a valid header
    /// is ignored.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let api = lambda_emulator::RuntimeApi::start().await?;
    /// api.faults().override_next_header("Lambda-Runtime-Deadline-Ms", Some("soon"));
    /// api.faults().override_next_header("Lambda-Runtime-Aws-Request-Id", None);
    /// # Ok(()) }
    /// ```
    pub fn override_next_header(&self, name: &str, value: Option<&str>) {
        let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) else {
            return;
        };
        let value = match value.map(http::HeaderValue::from_str) {
            Some(Ok(v)) => Some(v),
            Some(Err(_)) => return,
            None => None,
        };
        self.push(Fault::Header(name, value));
    }

    /// The next streamed response has its connection dropped once `bytes` of its body have
    /// arrived, as when the caller of a streaming invocation goes away mid-stream; once.
    pub fn cut_next_stream_after(&self, bytes: usize) {
        *self
            .stream_cut
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(bytes);
    }

    pub(crate) fn take_stream_cut(&self) -> Option<usize> {
        self.stream_cut
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }

    fn push(&self, fault: Fault) {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push_back(fault);
    }

    pub(crate) fn take(&self) -> Option<Fault> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop_front()
    }
}
