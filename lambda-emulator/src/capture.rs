//! Capturing a child's output line by line, and draining it on demand: what a process printed
//! before it answered an invocation is captured before that invocation's END.

use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::{mpsc, oneshot};

use crate::logs::{LogLine, LogSource, LogStream, Logs};

/// The longest line kept as one record (Lambda's limit for a log event is 256 KB); longer
/// output is split.
const MAX_LINE_BYTES: usize = 256 * 1024;

/// Cuts a byte stream into lines of at most [`MAX_LINE_BYTES`].
struct Lines {
    logs: Arc<Logs>,
    source: LogSource,
    which: LogStream,
    line: Vec<u8>,
}

impl Lines {
    fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let room = MAX_LINE_BYTES - self.line.len();
            let window = &bytes[..bytes.len().min(room)];
            let (taken, complete) = match window.iter().position(|&b| b == b'\n') {
                Some(newline) => (newline + 1, true),
                None => (
                    window.len(),
                    self.line.len() + window.len() >= MAX_LINE_BYTES,
                ),
            };
            self.line.extend_from_slice(&window[..taken]);
            bytes = &bytes[taken..];
            if complete {
                self.emit();
            }
        }
    }

    fn emit(&mut self) {
        while matches!(self.line.last(), Some(b'\n' | b'\r')) {
            self.line.pop();
        }
        self.logs.push(LogLine {
            source: self.source.clone(),
            stream: self.which,
            time: SystemTime::now(),
            text: String::from_utf8_lossy(&self.line).into_owned(),
        });
        self.line.clear();
    }

    /// The stream ended: a last line without a newline is kept too.
    fn finish(mut self) {
        if !self.line.is_empty() {
            self.emit();
        }
    }
}

/// A child's output pipe (non-blocking), read when the reactor says it is readable, and
/// directly (through a duplicate of its descriptor) to drain it.
#[cfg(unix)]
pub(crate) struct Pipe {
    receiver: tokio::net::unix::pipe::Receiver,
    direct: std::fs::File,
}

#[cfg(unix)]
pub(crate) fn pipe(fd: std::os::fd::OwnedFd) -> std::io::Result<Pipe> {
    use std::os::fd::AsFd as _;
    let receiver = tokio::net::unix::pipe::Receiver::from_owned_fd(fd)?;
    // The duplicate shares the non-blocking flag: a direct read never blocks.
    let direct = std::fs::File::from(receiver.as_fd().try_clone_to_owned()?);
    Ok(Pipe { receiver, direct })
}

/// What one read of a pipe gave.
#[cfg(unix)]
enum Read {
    Data(usize),
    Empty,
    Ended,
}

#[cfg(unix)]
fn read_result(result: std::io::Result<usize>) -> Option<Read> {
    match result {
        Ok(0) => Some(Read::Ended),
        Ok(n) => Some(Read::Data(n)),
        Err(error) if error.kind() == std::io::ErrorKind::Interrupted => None,
        Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => Some(Read::Empty),
        Err(_) => Some(Read::Ended),
    }
}

/// Reads what the pipe holds now, whatever the reactor has seen so far.
#[cfg(unix)]
fn read_now(pipe: &Pipe, buffer: &mut [u8]) -> Read {
    use std::io::Read as _;
    loop {
        if let Some(read) = read_result((&pipe.direct).read(buffer)) {
            return read;
        }
    }
}

/// Captures one output stream line by line until it ends. A drain request is answered once
/// the pipe has been read directly until it is empty, whatever the reactor has seen so far:
/// everything written before the request is then captured.
#[cfg(unix)]
pub(crate) async fn capture(
    pipe: Pipe,
    logs: Arc<Logs>,
    source: LogSource,
    which: LogStream,
    mut drains: mpsc::UnboundedReceiver<oneshot::Sender<()>>,
) {
    let mut lines = Lines {
        logs,
        source,
        which,
        line: Vec::new(),
    };
    let mut buffer = vec![0u8; 16 * 1024];
    'reading: loop {
        tokio::select! {
            ready = pipe.receiver.readable() => {
                if ready.is_err() {
                    break;
                }
                // `try_read` clears the reactor's readiness when the pipe is empty.
                match read_result(pipe.receiver.try_read(&mut buffer)) {
                    Some(Read::Data(n)) => lines.feed(&buffer[..n]),
                    Some(Read::Ended) => break,
                    Some(Read::Empty) | None => {}
                }
            }
            Some(ack) = drains.recv() => {
                loop {
                    match read_now(&pipe, &mut buffer) {
                        Read::Data(n) => lines.feed(&buffer[..n]),
                        Read::Empty => break,
                        Read::Ended => {
                            let _ = ack.send(());
                            break 'reading;
                        }
                    }
                }
                let _ = ack.send(());
            }
        }
    }
    lines.finish();
}

/// Captures one output stream line by line until it ends (drain requests are answered at
/// once on this platform).
#[cfg(not(unix))]
pub(crate) async fn capture(
    mut stream: impl tokio::io::AsyncRead + Unpin,
    logs: Arc<Logs>,
    source: LogSource,
    which: LogStream,
    mut drains: mpsc::UnboundedReceiver<oneshot::Sender<()>>,
) {
    use tokio::io::AsyncReadExt as _;
    let mut lines = Lines {
        logs,
        source,
        which,
        line: Vec::new(),
    };
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        tokio::select! {
            read = stream.read(&mut buffer) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => lines.feed(&buffer[..n]),
            },
            Some(ack) = drains.recv() => { let _ = ack.send(()); }
        }
    }
    lines.finish();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::Echo;

    #[test]
    fn lines_are_split_and_capped_in_length() {
        let logs = Arc::new(Logs::new(Echo::Off));
        let mut lines = Lines {
            logs: Arc::clone(&logs),
            source: LogSource::Function,
            which: LogStream::Stdout,
            line: Vec::new(),
        };
        let mut input = b"a\r\nbb\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 300 * 1024));
        input.extend_from_slice(b"\ntail");
        // Fed in pieces, as reads deliver it.
        for piece in input.chunks(7000) {
            lines.feed(piece);
        }
        lines.finish();
        let lines: Vec<String> = logs.snapshot().into_iter().map(|l| l.text).collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], "a");
        assert_eq!(lines[1], "bb");
        assert_eq!(lines[2].len(), MAX_LINE_BYTES);
        assert_eq!(lines[3].len(), 300 * 1024 - MAX_LINE_BYTES);
        assert_eq!(lines[4], "tail");
    }
}
