//! Platform events: what the environment does, with measured figures. They become the
//! CloudWatch-style START / END / REPORT lines and the Telemetry API's `platform.*` records.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;

/// How a phase ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseStatus {
    /// It completed.
    Success,
    /// The function or runtime reported an error, or crashed.
    Error,
    /// It ran out of time.
    Timeout,
}

impl PhaseStatus {
    /// The Telemetry API's spelling: `success`, `error`, `timeout`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseStatus::Success => "success",
            PhaseStatus::Error => "error",
            PhaseStatus::Timeout => "timeout",
        }
    }
}

/// Something the environment did.
#[derive(Debug, Clone, PartialEq)]
pub enum PlatformEvent {
    /// The Init phase began.
    InitStart {
        /// When.
        time: SystemTime,
    },
    /// The runtime finished initialising (first `next`), failed, or ran out of time.
    InitRuntimeDone {
        /// When.
        time: SystemTime,
        /// How it ended.
        status: PhaseStatus,
    },
    /// Figures of the Init phase.
    InitReport {
        /// When.
        time: SystemTime,
        /// How it ended.
        status: PhaseStatus,
        /// Measured duration.
        duration: Duration,
        /// Why it failed (`Runtime.ExitError`, `Extension.InitError`...), when it did.
        error_type: Option<String>,
    },
    /// An extension finished its Init (it registered and called `next`).
    Extension {
        /// When.
        time: SystemTime,
        /// The extension's name.
        name: String,
        /// `Ready`.
        state: String,
        /// The events it registered for (`INVOKE`, `SHUTDOWN`).
        events: Vec<String>,
    },
    /// An invocation was handed to the runtime.
    Start {
        /// When.
        time: SystemTime,
        /// The request id.
        request_id: String,
    },
    /// The runtime answered (or failed) an invocation.
    RuntimeDone {
        /// When.
        time: SystemTime,
        /// The request id.
        request_id: String,
        /// How it ended.
        status: PhaseStatus,
        /// From hand-out to answer.
        duration: Duration,
        /// Bytes of the response body.
        produced_bytes: u64,
    },
    /// The runtime process failed during an invocation (`platform.fault`, Logs API).
    Fault {
        /// When.
        time: SystemTime,
        /// The request id.
        request_id: String,
        /// What happened, e.g. `Process exited before completing request`.
        message: String,
    },
    /// Figures of one invocation.
    Report {
        /// When.
        time: SystemTime,
        /// The request id.
        request_id: String,
        /// How it ended.
        status: PhaseStatus,
        /// From hand-out to answer.
        duration: Duration,
        /// The configured memory.
        memory_size_mb: u32,
        /// Peak resident memory of the runtime and extension processes so far (sum of their
        /// Linux `VmHWM`), if known.
        max_memory_used_mb: Option<u64>,
        /// The Init duration, on the first invocation after a cold start.
        init_duration: Option<Duration>,
        /// Why the environment ended the invocation with an error (`Runtime.ExitError`,
        /// `Extension.Crash`, an Init failure...); `None` for a success, a timeout, or an
        /// error the function reported.
        error_type: Option<String>,
    },
}

impl PlatformEvent {
    /// The CloudWatch line(s) Lambda writes for this event, if it writes one.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use lambda_emulator::{PhaseStatus, PlatformEvent};
    ///
    /// let start = PlatformEvent::Start { time: SystemTime::now(), request_id: "id-1".into() };
    /// assert_eq!(start.cloudwatch_line().unwrap(), "START RequestId: id-1 Version: $LATEST");
    /// let report = PlatformEvent::Report {
    ///     time: SystemTime::now(), request_id: "id-1".into(), status: PhaseStatus::Success,
    ///     duration: Duration::from_micros(1_234_560), memory_size_mb: 128,
    ///     max_memory_used_mb: Some(30), init_duration: None, error_type: None,
    /// };
    /// assert_eq!(
    ///     report.cloudwatch_line().unwrap(),
    ///     "END RequestId: id-1\nREPORT RequestId: id-1\tDuration: 1234.56 ms\tBilled Duration: 1235 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB"
    /// );
    /// ```
    pub fn cloudwatch_line(&self) -> Option<String> {
        match self {
            PlatformEvent::Start { request_id, .. } => {
                Some(format!("START RequestId: {request_id} Version: $LATEST"))
            }
            PlatformEvent::Report {
                request_id,
                status,
                duration,
                memory_size_mb,
                max_memory_used_mb,
                init_duration,
                error_type,
                ..
            } => {
                let mut line = format!(
                    "END RequestId: {request_id}\nREPORT RequestId: {request_id}\tDuration: {:.2} ms\tBilled Duration: {} ms\tMemory Size: {memory_size_mb} MB",
                    millis(*duration),
                    billed_ms(*duration)
                );
                if let Some(used) = max_memory_used_mb {
                    line.push_str(&format!("\tMax Memory Used: {used} MB"));
                }
                if let Some(init) = init_duration {
                    line.push_str(&format!("\tInit Duration: {:.2} ms", millis(*init)));
                }
                // Lambda marks sandbox timeouts and failures here, not errors the function
                // reported.
                if *status == PhaseStatus::Timeout {
                    line.push_str("\tStatus: timeout");
                } else if let Some(error_type) = error_type {
                    line.push_str(&format!("\tStatus: error\tError Type: {error_type}"));
                }
                Some(line)
            }
            PlatformEvent::Extension {
                name,
                state,
                events,
                ..
            } => Some(format!(
                "EXTENSION\tName: {name}\tState: {state}\tEvents: [{}]",
                events.join(",")
            )),
            PlatformEvent::InitReport {
                status,
                duration,
                error_type,
                ..
            } if *status != PhaseStatus::Success => {
                let mut line = format!(
                    "INIT_REPORT Init Duration: {:.2} ms\tPhase: init\tStatus: {}",
                    millis(*duration),
                    status.as_str()
                );
                if let Some(error_type) = error_type {
                    line.push_str(&format!("\tError Type: {error_type}"));
                }
                Some(line)
            }
            _ => None,
        }
    }
}

/// Milliseconds with a fraction.
pub(crate) fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Lambda bills by the millisecond, rounding up.
pub(crate) fn billed_ms(duration: Duration) -> u64 {
    let micros = duration.as_micros();
    u64::try_from(micros.div_ceil(1000)).unwrap_or(u64::MAX)
}

/// Peak resident memory of a process in kB (Linux `/proc/PID/status` `VmHWM`).
pub(crate) fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak resident memory of the environment's processes (runtime and extensions), in MB: the
/// sum of each process's peak in kB (Linux only; `None` elsewhere).
pub(crate) fn max_memory_used_mb(peaks_kb: impl IntoIterator<Item = Option<u64>>) -> Option<u64> {
    let peaks: Vec<u64> = peaks_kb.into_iter().flatten().collect();
    if peaks.is_empty() {
        return None;
    }
    Some(peaks.iter().sum::<u64>().div_ceil(1024))
}

/// Fans platform events out to subscribers.
#[derive(Debug, Default)]
pub(crate) struct PlatformEvents {
    subscribers: Mutex<Vec<mpsc::UnboundedSender<PlatformEvent>>>,
}

impl PlatformEvents {
    pub(crate) fn emit(&self, event: PlatformEvent) {
        self.subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|subscriber| subscriber.send(event.clone()).is_ok());
    }

    pub(crate) fn subscribe(&self) -> mpsc::UnboundedReceiver<PlatformEvent> {
        let (sender, receiver) = mpsc::unbounded_channel();
        self.subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(sender);
        receiver
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(status: PhaseStatus, init: Option<Duration>) -> PlatformEvent {
        PlatformEvent::Report {
            time: SystemTime::now(),
            request_id: "r".into(),
            status,
            duration: Duration::from_micros(3_000_001),
            memory_size_mb: 256,
            max_memory_used_mb: None,
            init_duration: init,
            error_type: None,
        }
    }

    #[test]
    fn report_lines_match_cloudwatch() {
        assert_eq!(
            report(PhaseStatus::Timeout, Some(Duration::from_millis(120))).cloudwatch_line().unwrap(),
            "END RequestId: r\nREPORT RequestId: r\tDuration: 3000.00 ms\tBilled Duration: 3001 ms\tMemory Size: 256 MB\tInit Duration: 120.00 ms\tStatus: timeout"
        );
        assert_eq!(
            report(PhaseStatus::Error, None).cloudwatch_line().unwrap(),
            "END RequestId: r\nREPORT RequestId: r\tDuration: 3000.00 ms\tBilled Duration: 3001 ms\tMemory Size: 256 MB"
        );
        let crashed = PlatformEvent::Report {
            time: SystemTime::now(),
            request_id: "r".into(),
            status: PhaseStatus::Error,
            duration: Duration::from_millis(12),
            memory_size_mb: 128,
            max_memory_used_mb: Some(20),
            init_duration: None,
            error_type: Some("Runtime.ExitError".into()),
        };
        assert_eq!(
            crashed.cloudwatch_line().unwrap(),
            "END RequestId: r\nREPORT RequestId: r\tDuration: 12.00 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tStatus: error\tError Type: Runtime.ExitError"
        );
    }

    #[test]
    fn failed_init_and_extensions_get_their_lines() {
        let init = PlatformEvent::InitReport {
            time: SystemTime::now(),
            status: PhaseStatus::Timeout,
            duration: Duration::from_secs(10),
            error_type: None,
        };
        assert_eq!(
            init.cloudwatch_line().unwrap(),
            "INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout"
        );
        let ok = PlatformEvent::InitReport {
            time: SystemTime::now(),
            status: PhaseStatus::Success,
            duration: Duration::from_secs(1),
            error_type: None,
        };
        let failed = PlatformEvent::InitReport {
            time: SystemTime::now(),
            status: PhaseStatus::Error,
            duration: Duration::from_millis(25),
            error_type: Some("Runtime.ExitError".into()),
        };
        assert_eq!(
            failed.cloudwatch_line().unwrap(),
            "INIT_REPORT Init Duration: 25.00 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError"
        );
        assert_eq!(ok.cloudwatch_line(), None);
        let extension = PlatformEvent::Extension {
            time: SystemTime::now(),
            name: "ext".into(),
            state: "Ready".into(),
            events: vec!["INVOKE".into(), "SHUTDOWN".into()],
        };
        assert_eq!(
            extension.cloudwatch_line().unwrap(),
            "EXTENSION\tName: ext\tState: Ready\tEvents: [INVOKE,SHUTDOWN]"
        );
    }

    #[test]
    fn billing_rounds_up_to_the_millisecond() {
        assert_eq!(billed_ms(Duration::from_micros(1)), 1);
        assert_eq!(billed_ms(Duration::from_millis(5)), 5);
        assert_eq!(billed_ms(Duration::ZERO), 0);
    }
}
