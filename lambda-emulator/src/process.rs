//! Child processes of the environment: spawn with the environment variables, capture output,
//! observe the exit, stop with SIGTERM then SIGKILL.

use std::ffi::OsString;
use std::fmt;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, watch};

use crate::logs::{LogLine, LogSource, LogStream, Logs};

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitInfo {
    /// The exit code, if it exited normally.
    pub code: Option<i32>,
    /// The signal that killed it, if one did.
    pub signal: Option<i32>,
}

impl ExitInfo {
    fn from_status(status: ExitStatus) -> ExitInfo {
        #[cfg(unix)]
        let signal = std::os::unix::process::ExitStatusExt::signal(&status);
        #[cfg(not(unix))]
        let signal = None;
        ExitInfo {
            code: status.code(),
            signal,
        }
    }

    fn unknown() -> ExitInfo {
        ExitInfo {
            code: None,
            signal: None,
        }
    }
}

impl fmt::Display for ExitInfo {
    /// Go-style wording, as Lambda prints it: `exit status 1`, `signal: killed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code, self.signal) {
            (Some(code), _) => write!(f, "exit status {code}"),
            (None, Some(9)) => f.write_str("signal: killed"),
            (None, Some(15)) => f.write_str("signal: terminated"),
            (None, Some(6)) => f.write_str("signal: aborted"),
            (None, Some(11)) => f.write_str("signal: segmentation fault"),
            (None, Some(signal)) => write!(f, "signal: {signal}"),
            (None, None) => f.write_str("exit status unknown"),
        }
    }
}

/// A running child process, supervised by a background task.
#[derive(Debug)]
pub(crate) struct RunningProcess {
    pid: Option<u32>,
    exited: watch::Receiver<Option<ExitInfo>>,
    stop: mpsc::Sender<Duration>,
}

impl RunningProcess {
    /// Spawns `program args...` with `env` added to the inherited environment; stdout and stderr
    /// are captured line by line into `logs`.
    pub(crate) fn spawn(
        program: &OsString,
        args: &[OsString],
        env: &[(String, String)],
        logs: Arc<Logs>,
        source: LogSource,
    ) -> std::io::Result<RunningProcess> {
        let mut command = Command::new(program);
        command
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn()?;
        if let Some(stdout) = child.stdout.take() {
            tokio::spawn(capture(
                stdout,
                Arc::clone(&logs),
                source.clone(),
                LogStream::Stdout,
            ));
        }
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(capture(stderr, logs, source, LogStream::Stderr));
        }
        let pid = child.id();
        let (exited_tx, exited) = watch::channel(None);
        let (stop, stop_rx) = mpsc::channel(4);
        tokio::spawn(supervise(child, pid, exited_tx, stop_rx));
        Ok(RunningProcess { pid, exited, stop })
    }

    /// The operating system's process id.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// How it exited, once it has.
    pub(crate) fn exit_info(&self) -> Option<ExitInfo> {
        *self.exited.borrow()
    }

    /// Waits until the process has exited.
    pub(crate) async fn wait(&self) -> ExitInfo {
        let mut exited = self.exited.clone();
        let result = exited.wait_for(Option::is_some).await;
        match result {
            Ok(info) => info.unwrap_or_else(ExitInfo::unknown),
            Err(_) => ExitInfo::unknown(),
        }
    }

    /// Stops the process: SIGTERM, then SIGKILL if it is still running after `grace`
    /// (a zero grace sends SIGKILL at once). Returns how it exited.
    pub(crate) async fn stop(&self, grace: Duration) -> ExitInfo {
        let _ = self.stop.send(grace).await;
        self.wait().await
    }
}

async fn supervise(
    mut child: Child,
    pid: Option<u32>,
    exited: watch::Sender<Option<ExitInfo>>,
    mut stop: mpsc::Receiver<Duration>,
) {
    let info = tokio::select! {
        status = child.wait() => status.map(ExitInfo::from_status).unwrap_or_else(|_| ExitInfo::unknown()),
        grace = stop.recv() => {
            let grace = grace.unwrap_or_default();
            terminate(&mut child, pid, grace).await
        }
    };
    exited.send_replace(Some(info));
}

async fn terminate(child: &mut Child, pid: Option<u32>, grace: Duration) -> ExitInfo {
    if !grace.is_zero() {
        if let Some(pid) = pid {
            send_sigterm(pid).await;
            if let Ok(status) = tokio::time::timeout(grace, child.wait()).await {
                return status
                    .map(ExitInfo::from_status)
                    .unwrap_or_else(|_| ExitInfo::unknown());
            }
        }
    }
    let _ = child.start_kill();
    child
        .wait()
        .await
        .map(ExitInfo::from_status)
        .unwrap_or_else(|_| ExitInfo::unknown())
}

/// Sends SIGTERM through the `kill` utility (this crate forbids `unsafe`, so no libc call).
async fn send_sigterm(pid: u32) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await;
}

/// The longest line kept as one record (Lambda's limit for a log event is 256 KB); longer
/// output is split.
const MAX_LINE_BYTES: usize = 256 * 1024;

async fn capture(
    stream: impl AsyncRead + Unpin,
    logs: Arc<Logs>,
    source: LogSource,
    which: LogStream,
) {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    let emit = |line: &mut Vec<u8>| {
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        logs.push(LogLine {
            source: source.clone(),
            stream: which,
            time: SystemTime::now(),
            text: String::from_utf8_lossy(line).into_owned(),
        });
        line.clear();
    };
    loop {
        let available = match reader.fill_buf().await {
            Ok([]) | Err(_) => break,
            Ok(available) => available,
        };
        let room = MAX_LINE_BYTES - line.len();
        let window = &available[..available.len().min(room)];
        let (taken, complete) = match window.iter().position(|&b| b == b'\n') {
            Some(newline) => (newline + 1, true),
            None => (window.len(), line.len() + window.len() >= MAX_LINE_BYTES),
        };
        line.extend_from_slice(&window[..taken]);
        reader.consume(taken);
        if complete {
            emit(&mut line);
        }
    }
    if !line.is_empty() {
        emit(&mut line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::Echo;

    #[tokio::test]
    async fn capture_splits_lines_and_caps_their_length() {
        let logs = Arc::new(Logs::new(Echo::Off));
        let mut input = b"a\r\nbb\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 300 * 1024));
        input.extend_from_slice(b"\ntail");
        capture(
            input.as_slice(),
            Arc::clone(&logs),
            LogSource::Function,
            LogStream::Stdout,
        )
        .await;
        let lines: Vec<String> = logs.snapshot().into_iter().map(|l| l.text).collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], "a");
        assert_eq!(lines[1], "bb");
        assert_eq!(lines[2].len(), MAX_LINE_BYTES);
        assert_eq!(lines[3].len(), 300 * 1024 - MAX_LINE_BYTES);
        assert_eq!(lines[4], "tail");
    }

    #[test]
    fn exit_info_reads_like_go() {
        let code = ExitInfo {
            code: Some(2),
            signal: None,
        };
        assert_eq!(code.to_string(), "exit status 2");
        let killed = ExitInfo {
            code: None,
            signal: Some(9),
        };
        assert_eq!(killed.to_string(), "signal: killed");
    }
}
