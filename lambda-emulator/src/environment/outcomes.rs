//! What callers see when the environment, not the runtime, ends an invocation.

use std::time::Duration;

use crate::invocation::{ErrorReport, Outcome};
use crate::platform::PhaseStatus;
use crate::process::ExitInfo;

pub(super) fn extension_crash(request_id: &str, name: &str, exit: ExitInfo) -> Outcome {
    Outcome::Error(ErrorReport::environment(
        Some(request_id),
        "Extension.Crash",
        &format!("RequestId: {request_id} Error: extension {name} exited: {exit}"),
    ))
}

pub(super) fn status_of(outcome: &Outcome) -> PhaseStatus {
    match outcome {
        Outcome::Response(response) if response.trailer_error_type().is_none() => {
            PhaseStatus::Success
        }
        Outcome::Timeout { .. } => PhaseStatus::Timeout,
        _ => PhaseStatus::Error,
    }
}
pub(super) fn exit_error(request_id: &str, exit: ExitInfo) -> Outcome {
    let message = if exit.code == Some(0) {
        format!("RequestId: {request_id} Error: Runtime exited without providing a reason")
    } else {
        format!("RequestId: {request_id} Error: Runtime exited with error: {exit}")
    };
    Outcome::Error(ErrorReport::environment(
        Some(request_id),
        "Runtime.ExitError",
        &message,
    ))
}

pub(super) fn timed_out(request_id: &str, after: Duration) -> Outcome {
    Outcome::Timeout {
        request_id: request_id.to_string(),
        after,
    }
}

pub(super) fn dropped(request_id: &str) -> Outcome {
    Outcome::Error(ErrorReport::environment(
        Some(request_id),
        "Runtime.Unknown",
        &format!("RequestId: {request_id} Error: the invocation was dropped by the emulator"),
    ))
}
