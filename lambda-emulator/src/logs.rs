//! Output captured from the function and extension processes.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Mutex;
use std::time::SystemTime;

/// How many captured lines are kept in memory (the oldest are dropped first).
const KEPT_LINES: usize = 10_000;

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
    lines: Mutex<VecDeque<LogLine>>,
    echo: Echo,
    subscribers: Mutex<Vec<tokio::sync::mpsc::UnboundedSender<LogLine>>>,
}

impl Logs {
    pub(crate) fn new(echo: Echo) -> Logs {
        Logs {
            lines: Mutex::new(VecDeque::new()),
            echo,
            subscribers: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn push(&self, line: LogLine) {
        if self.echo == Echo::Stderr {
            let prefix = match &line.source {
                LogSource::Function => String::new(),
                LogSource::Extension(name) => format!("[{name}] "),
            };
            // A closed stderr is not a reason to stop the function.
            let _ = writeln!(std::io::stderr().lock(), "{prefix}{}", line.text);
        }
        self.subscribers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .retain(|subscriber| subscriber.send(line.clone()).is_ok());
        let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        lines.push_back(line);
        while lines.len() > KEPT_LINES {
            lines.pop_front();
        }
    }

    /// Every line captured so far (up to the last 10 000).
    pub(crate) fn snapshot(&self) -> Vec<LogLine> {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
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
