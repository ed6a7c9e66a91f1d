//! The lifecycle events an extension receives from `GET /extension/event/next`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer};

/// An event an extension can register for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum EventType {
    /// `INVOKE`: every invocation of the function.
    #[serde(rename = "INVOKE")]
    Invoke,
    /// `SHUTDOWN`: the environment is about to be shut down (external extensions only).
    #[serde(rename = "SHUTDOWN")]
    Shutdown,
}

impl EventType {
    /// The wire name: `INVOKE` or `SHUTDOWN`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::Invoke => "INVOKE",
            EventType::Shutdown => "SHUTDOWN",
        }
    }
}

/// The next lifecycle event, as given to the events processor.
///
/// ```
/// use lambda_extension::{NextEvent, ShutdownReason};
///
/// let event: NextEvent = serde_json::from_str(
///     r#"{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":1700000002000}"#,
/// ).unwrap();
/// let NextEvent::Shutdown(shutdown) = event else { panic!() };
/// assert_eq!(shutdown.reason, ShutdownReason::Spindown);
/// assert_eq!(shutdown.deadline_ms, 1_700_000_002_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "eventType")]
#[non_exhaustive]
pub enum NextEvent {
    /// The function is being invoked.
    #[serde(rename = "INVOKE", alias = "INVOCATION")]
    Invoke(InvokeEvent),
    /// The environment is shutting down: clean up before the deadline.
    #[serde(rename = "SHUTDOWN")]
    Shutdown(ShutdownEvent),
}

impl NextEvent {
    /// The event's deadline, in Unix epoch milliseconds.
    pub fn deadline_ms(&self) -> u64 {
        match self {
            NextEvent::Invoke(e) => e.deadline_ms,
            NextEvent::Shutdown(e) => e.deadline_ms,
        }
    }

    /// The time left until the event's deadline (zero if it has passed).
    pub fn time_left(&self) -> Duration {
        time_left(self.deadline_ms())
    }
}

/// An `INVOKE` event: metadata of an invocation (not its payload).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InvokeEvent {
    /// The invocation's request id.
    pub request_id: String,
    /// When the invocation times out, in Unix epoch milliseconds.
    #[serde(deserialize_with = "number_or_string")]
    pub deadline_ms: u64,
    /// The ARN the caller invoked.
    #[serde(default)]
    pub invoked_function_arn: String,
    /// The X-Ray trace header.
    #[serde(default)]
    pub tracing: Option<Tracing>,
}

impl InvokeEvent {
    /// The deadline as a point in time.
    pub fn deadline(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.deadline_ms)
    }

    /// The time left until the deadline (zero if it has passed).
    pub fn time_left(&self) -> Duration {
        time_left(self.deadline_ms)
    }
}

/// The tracing header of an invocation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Tracing {
    /// `X-Amzn-Trace-Id`.
    #[serde(rename = "type")]
    pub trace_type: String,
    /// The header value.
    pub value: String,
}

/// A `SHUTDOWN` event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ShutdownEvent {
    /// Why the environment shuts down.
    #[serde(rename = "shutdownReason")]
    pub reason: ShutdownReason,
    /// When Lambda kills the extension, in Unix epoch milliseconds.
    #[serde(deserialize_with = "number_or_string")]
    pub deadline_ms: u64,
}

impl ShutdownEvent {
    /// The deadline as a point in time.
    pub fn deadline(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.deadline_ms)
    }

    /// The time left until Lambda kills the process (zero if it has passed).
    pub fn time_left(&self) -> Duration {
        time_left(self.deadline_ms)
    }
}

/// Why the environment shuts down. Lambda's documentation writes the reasons in upper case and
/// Lambda sends them in lower case: both parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShutdownReason {
    /// A normal shutdown.
    Spindown,
    /// A duration limit was reached.
    Timeout,
    /// An error, such as running out of memory.
    Failure,
    /// A reason this crate does not know, as sent.
    Other(String),
}

impl ShutdownReason {
    /// The reason in Lambda's (lower-case) wire form.
    pub fn as_str(&self) -> &str {
        match self {
            ShutdownReason::Spindown => "spindown",
            ShutdownReason::Timeout => "timeout",
            ShutdownReason::Failure => "failure",
            ShutdownReason::Other(s) => s,
        }
    }
}

impl std::fmt::Display for ShutdownReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ShutdownReason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(if s.eq_ignore_ascii_case("spindown") {
            ShutdownReason::Spindown
        } else if s.eq_ignore_ascii_case("timeout") {
            ShutdownReason::Timeout
        } else if s.eq_ignore_ascii_case("failure") {
            ShutdownReason::Failure
        } else {
            ShutdownReason::Other(s.into_owned())
        })
    }
}

/// `deadlineMs` is a number; the guide's sample shows a string. Accept both.
fn number_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw<'a> {
        Number(u64),
        Text(std::borrow::Cow<'a, str>),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Number(n) => Ok(n),
        Raw::Text(s) => s.trim().parse().map_err(serde::de::Error::custom),
    }
}

pub(crate) fn time_left(deadline_ms: u64) -> Duration {
    let deadline = UNIX_EPOCH + Duration::from_millis(deadline_ms);
    deadline
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoke_event_from_the_guide_parses() {
        let event: NextEvent = serde_json::from_str(
            r#"{"eventType":"INVOKE","deadlineMs":676051,"requestId":"3da1f2dc-3222-475e-9205-e2e6c6318895",
            "invokedFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:ExtensionTest",
            "tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1-5f35ae12-0c0fec141ab77a00bc047aa2;Parent=2be948a625588e32;Sampled=1"}}"#,
        )
        .unwrap();
        let NextEvent::Invoke(invoke) = event else {
            panic!("not an invoke: {event:?}")
        };
        assert_eq!(invoke.request_id, "3da1f2dc-3222-475e-9205-e2e6c6318895");
        assert_eq!(invoke.deadline_ms, 676051);
        assert_eq!(
            invoke.tracing.unwrap().value,
            "Root=1-5f35ae12-0c0fec141ab77a00bc047aa2;Parent=2be948a625588e32;Sampled=1"
        );
    }

    #[test]
    fn shutdown_reasons_parse_in_either_case() {
        for (wire, reason) in [
            ("SPINDOWN", ShutdownReason::Spindown),
            ("spindown", ShutdownReason::Spindown),
            ("TIMEOUT", ShutdownReason::Timeout),
            ("timeout", ShutdownReason::Timeout),
            ("FAILURE", ShutdownReason::Failure),
            ("failure", ShutdownReason::Failure),
            (
                "sandbox-reset",
                ShutdownReason::Other("sandbox-reset".into()),
            ),
        ] {
            let json = format!(
                r#"{{"eventType":"SHUTDOWN","shutdownReason":"{wire}","deadlineMs":"1700000002000"}}"#
            );
            let event: NextEvent = serde_json::from_str(&json).unwrap();
            assert_eq!(
                event,
                NextEvent::Shutdown(ShutdownEvent {
                    reason,
                    deadline_ms: 1_700_000_002_000
                })
            );
        }
    }
}
