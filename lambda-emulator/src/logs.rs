//! Output captured from the function and extension processes.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Mutex;
use std::time::SystemTime;

/// How many captured lines are kept in memory (the oldest are dropped first)...
const KEPT_LINES: usize = 10_000;
/// ...and how many bytes of text at most, so that a long run keeps a bounded amount.
const KEPT_BYTES: usize = 4 * 1024 * 1024;

/// Which process wrote a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogSource {
    /// The function's runtime process.
    Function,
    /// An external extension, by executable name.
    Extension(String),
}

/// Which output stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// One line a process wrote, without its line terminator.
///
/// ```
/// use lambda_emulator::{LogLine, LogSource, LogStream};
/// let line = LogLine { source: LogSource::Function, stream: LogStream::Stdout, time: std::time::SystemTime::now(), text: "hello".into() };
/// assert_eq!(line.text, "hello");
/// ```
#[derive(Debug, Clone)]
pub struct LogLine {
    /// The process that wrote it.
    pub source: LogSource,
    /// The stream it was written to.
    pub stream: LogStream,
    /// When the emulator read it.
    pub time: SystemTime,
    /// The text (invalid UTF-8 replaced).
    pub text: String,
}

/// Where captured lines are echoed besides being kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// Keep lines only.
    Off,
    /// Also write every line to the emulator's standard error.
    Stderr,
}

/// The captured output of every process of an environment.
#[derive(Debug)]
pub(crate) struct Logs {
    lines: Mutex<Kept>,
    echo: Echo,
    subscribers: Mutex<Vec<tokio::sync::mpsc::UnboundedSender<LogLine>>>,
}

/// The last lines, within [`KEPT_LINES`] and [`KEPT_BYTES`].
#[derive(Debug, Default)]
struct Kept {
    lines: VecDeque<LogLine>,
    bytes: usize,
}

impl Logs {
    pub(crate) fn new(echo: Echo) -> Logs {
        Logs {
            lines: Mutex::new(Kept::default()),
            echo,
            subscribers: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn push(&self, line: LogLine) {
        if self.echo == Echo::Stderr {
            // As in CloudWatch, an extension's lines are not prefixed: extensions name
            // themselves if they want to (a prefix here doubled their names).
            // A closed stderr is not a reason to stop the function.
            let _ = writeln!(std::io::stderr().lock(), "{}", line.text);
        }
        self.subscribers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .retain(|subscriber| subscriber.send(line.clone()).is_ok());
        let mut kept = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        kept.bytes += line.text.len();
        kept.lines.push_back(line);
        while kept.lines.len() > KEPT_LINES || kept.bytes > KEPT_BYTES {
            match kept.lines.pop_front() {
                Some(old) => kept.bytes -= old.text.len(),
                None => break,
            }
        }
    }

    /// Every line captured so far (up to the last 10 000, or 4 MiB).
    pub(crate) fn snapshot(&self) -> Vec<LogLine> {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .lines
            .iter()
            .cloned()
            .collect()
    }

    /// Lines captured from now on.
    pub(crate) fn subscribe(&self) -> tokio::sync::mpsc::UnboundedReceiver<LogLine> {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
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

    #[test]
    fn kept_lines_stay_within_their_byte_budget() {
        let logs = Logs::new(Echo::Off);
        for n in 0..100 {
            logs.push(LogLine {
                source: LogSource::Function,
                stream: LogStream::Stdout,
                time: SystemTime::now(),
                text: format!("{n:03}{}", "x".repeat(100 * 1024)),
            });
        }
        let kept = logs.snapshot();
        let bytes: usize = kept.iter().map(|line| line.text.len()).sum();
        assert!(bytes <= KEPT_BYTES, "{bytes} bytes kept");
        assert!(kept.len() > 30, "only {} lines kept", kept.len());
        assert!(kept.last().unwrap().text.starts_with("099"));
    }
}
