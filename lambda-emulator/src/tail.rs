//! The tail log of one invocation (`X-Amz-Log-Type: Tail`): its START line, the function's
//! lines, END and REPORT, cut to the last 4 KB and base64-encoded, as the Invoke API returns it
//! in `X-Amz-Log-Result` (and the event stream in `InvokeComplete.LogResult`).

use std::time::Duration;

use base64::Engine as _;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::environment::Environment;
use crate::logs::{LogLine, LogSource};
use crate::platform::PlatformEvent;

/// The most log bytes a tail carries.
pub(crate) const TAIL_BYTES: usize = 4 * 1024;

/// How long the REPORT line is awaited once the caller's answer is ready (extensions still
/// busy with the invocation delay it).
const REPORT_WAIT: Duration = Duration::from_millis(200);

/// Listens to an environment's lines and platform events from before an invocation starts.
#[derive(Debug)]
pub(crate) struct TailRecorder {
    lines: UnboundedReceiver<LogLine>,
    events: UnboundedReceiver<PlatformEvent>,
}

impl TailRecorder {
    pub(crate) fn start(environment: &Environment) -> TailRecorder {
        TailRecorder {
            lines: environment.subscribe_logs(),
            events: environment.platform_events(),
        }
    }

    /// The tail of invocation `request_id`, once it was answered, base64-encoded.
    pub(crate) async fn finish(mut self, request_id: &str) -> String {
        let mut start = None;
        let mut end = None;
        let mut report = None;
        let _ = tokio::time::timeout(REPORT_WAIT, async {
            while let Some(event) = self.events.recv().await {
                match &event {
                    PlatformEvent::Start {
                        request_id: id,
                        time,
                    } if id == request_id => start = Some((*time, event.cloudwatch_line())),
                    PlatformEvent::RuntimeDone {
                        request_id: id,
                        time,
                        ..
                    } if id == request_id => end = Some(*time),
                    PlatformEvent::Report { request_id: id, .. } if id == request_id => {
                        report = event.cloudwatch_line();
                        break;
                    }
                    _ => {}
                }
            }
        })
        .await;
        let mut text = String::new();
        if let Some((began, line)) = start {
            if let Some(line) = line {
                text.push_str(&line);
                text.push('\n');
            }
            while let Ok(line) = self.lines.try_recv() {
                let within = line.time >= began && end.is_none_or(|end| line.time <= end);
                if line.source == LogSource::Function && within {
                    text.push_str(&line.text);
                    text.push('\n');
                }
            }
        }
        match report {
            Some(report) => {
                text.push_str(&report);
                text.push('\n');
            }
            None => text.push_str(&format!("END RequestId: {request_id}\n")),
        }
        encode_tail(text.as_bytes())
    }
}

/// The last [`TAIL_BYTES`] of `log`, base64-encoded.
pub(crate) fn encode_tail(log: &[u8]) -> String {
    let tail = &log[log.len().saturating_sub(TAIL_BYTES)..];
    base64::engine::general_purpose::STANDARD.encode(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tail_is_the_last_4_kb() {
        let log: Vec<u8> = (0..10_000u32).map(|n| b'a' + (n % 26) as u8).collect();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encode_tail(&log))
            .unwrap();
        assert_eq!(decoded.len(), TAIL_BYTES);
        assert_eq!(decoded, &log[log.len() - TAIL_BYTES..]);
        assert_eq!(encode_tail(b"short"), "c2hvcnQ=");
    }
}
