//! Child processes of the environment: spawn with the environment variables, capture output,
//! observe the exit, stop with SIGTERM then SIGKILL.

use std::ffi::OsString;
use std::fmt;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot, watch};

use crate::capture::capture;
#[cfg(unix)]
use crate::capture::pipe;
use crate::logs::{LogSource, LogStream, Logs};

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
    /// One per captured stream: asks its capture task to read what the pipe holds now.
    drains: Vec<mpsc::UnboundedSender<oneshot::Sender<()>>>,
    /// The highest peak resident memory seen, in kB (0: none yet): kept after the process
    /// is gone, for the REPORT of the invocation it crashed in.
    peak_kb: Arc<AtomicU64>,
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
        // Its own process group: the processes it forks (a runtime's workers) are signalled
        // and stopped with it.
        #[cfg(unix)]
        command.process_group(0);
        let mut child = command.spawn()?;
        #[cfg(unix)]
        let (stdout, stderr) = (
            child
                .stdout
                .take()
                .map(|out| out.into_owned_fd().and_then(pipe))
                .transpose()?,
            child
                .stderr
                .take()
                .map(|err| err.into_owned_fd().and_then(pipe))
                .transpose()?,
        );
        #[cfg(not(unix))]
        let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
        let mut drains = Vec::with_capacity(2);
        if let Some(stdout) = stdout {
            let (drain, requests) = mpsc::unbounded_channel();
            drains.push(drain);
            tokio::spawn(capture(
                stdout,
                Arc::clone(&logs),
                source.clone(),
                LogStream::Stdout,
                requests,
            ));
        }
        if let Some(stderr) = stderr {
            let (drain, requests) = mpsc::unbounded_channel();
            drains.push(drain);
            tokio::spawn(capture(stderr, logs, source, LogStream::Stderr, requests));
        }
        let pid = child.id();
        let (exited_tx, exited) = watch::channel(None);
        let (stop, stop_rx) = mpsc::channel(4);
        let peak_kb = Arc::new(AtomicU64::new(0));
        tokio::spawn(supervise(
            child,
            pid,
            exited_tx,
            stop_rx,
            Arc::clone(&peak_kb),
        ));
        Ok(RunningProcess {
            pid,
            exited,
            stop,
            drains,
            peak_kb,
        })
    }

    /// The process's peak resident memory in kB (Linux `VmHWM`): read now while it runs, else
    /// the last value sampled (every 100 ms) before it exited.
    pub(crate) fn peak_kb(&self) -> Option<u64> {
        if let Some(now) = self.pid.and_then(crate::platform::peak_kb) {
            self.peak_kb.fetch_max(now, Ordering::Relaxed);
        }
        match self.peak_kb.load(Ordering::Relaxed) {
            0 => None,
            kb => Some(kb),
        }
    }

    /// Waits until every complete line the process wrote so far has been captured (at most
    /// `bound`): what it printed before it answered an invocation belongs before that
    /// invocation's END line.
    ///
    /// This is exact because the process writes its output before it sends its answer, and
    /// each capture task reads its pipe directly until it is empty before it acknowledges.
    pub(crate) async fn drain_output(&self, bound: Duration) {
        let acks: Vec<oneshot::Receiver<()>> = self
            .drains
            .iter()
            .filter_map(|drain| {
                let (ack, done) = oneshot::channel();
                drain.send(ack).ok().map(|_| done)
            })
            .collect();
        let _ = tokio::time::timeout(bound, async {
            for ack in acks {
                // An error means the stream ended: everything was captured.
                let _ = ack.await;
            }
        })
        .await;
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

/// How often a running process's peak memory is sampled.
const MEMORY_SAMPLING: Duration = Duration::from_millis(100);

async fn supervise(
    mut child: Child,
    pid: Option<u32>,
    exited: watch::Sender<Option<ExitInfo>>,
    mut stop: mpsc::Receiver<Duration>,
    peak_kb: Arc<AtomicU64>,
) {
    let mut sampling = tokio::time::interval(MEMORY_SAMPLING);
    sampling.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let info = loop {
        tokio::select! {
            status = child.wait() => {
                // Workers it forked must not outlive it (the group exists while they do, so
                // its id cannot have been reused).
                if let Some(pid) = pid {
                    signal_group("-KILL", pid).await;
                }
                break status.map(ExitInfo::from_status).unwrap_or_else(|_| ExitInfo::unknown());
            }
            grace = stop.recv() => {
                let grace = grace.unwrap_or_default();
                break terminate(&mut child, pid, grace).await;
            }
            _ = sampling.tick() => {
                if let Some(now) = pid.and_then(crate::platform::peak_kb) {
                    peak_kb.fetch_max(now, Ordering::Relaxed);
                }
            }
        }
    };
    exited.send_replace(Some(info));
}

/// Stops the process and every process of its group: SIGTERM and up to `grace` for the
/// process to exit, then SIGKILL to whatever of the group is left.
async fn terminate(child: &mut Child, pid: Option<u32>, grace: Duration) -> ExitInfo {
    let mut exited = None;
    if !grace.is_zero() {
        if let Some(pid) = pid {
            signal_group("-TERM", pid).await;
            if let Ok(status) = tokio::time::timeout(grace, child.wait()).await {
                exited = Some(
                    status
                        .map(ExitInfo::from_status)
                        .unwrap_or_else(|_| ExitInfo::unknown()),
                );
            }
        }
    }
    // Forked workers may outlive the process itself: the group goes too.
    if let Some(pid) = pid {
        signal_group("-KILL", pid).await;
    }
    if let Some(exited) = exited {
        return exited;
    }
    let _ = child.start_kill();
    child
        .wait()
        .await
        .map(ExitInfo::from_status)
        .unwrap_or_else(|_| ExitInfo::unknown())
}

/// Sends `signal` to the process group `pid` leads, through the `kill` utility (this crate
/// forbids `unsafe`, so no libc call). A group already gone is not an error.
async fn signal_group(signal: &str, pid: u32) {
    #[cfg(unix)]
    let target = format!("-{pid}");
    #[cfg(not(unix))]
    let target = pid.to_string();
    let _ = Command::new("kill")
        .arg(signal)
        .arg("--")
        .arg(target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::Echo;

    #[cfg(unix)]
    #[tokio::test(flavor = "current_thread")]
    async fn drain_output_captures_what_was_written_before_it_returns() {
        let marker = std::env::temp_dir().join(format!("drain-marker-{}", std::process::id()));
        let _ = std::fs::remove_file(&marker);
        let script = format!(
            "printf 'one\\ntwo\\n'; printf 'err\\n' >&2; touch {}; sleep 10",
            marker.display()
        );
        let logs = Arc::new(Logs::new(Echo::Off));
        let process = RunningProcess::spawn(
            &OsString::from("sh"),
            &[OsString::from("-c"), OsString::from(script)],
            &[],
            Arc::clone(&logs),
            LogSource::Function,
        )
        .unwrap();
        // Blocks this runtime's only thread: the capture tasks cannot read meanwhile.
        let began = std::time::Instant::now();
        while !marker.exists() && began.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(marker.exists(), "the script did not run");
        process.drain_output(Duration::from_secs(5)).await;
        let mut lines: Vec<String> = logs.snapshot().into_iter().map(|l| l.text).collect();
        lines.sort();
        assert_eq!(lines, ["err", "one", "two"]);
        process.stop(Duration::ZERO).await;
        let _ = std::fs::remove_file(&marker);
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
