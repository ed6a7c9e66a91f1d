//! CPU time and peak memory of a process, read from `/proc` (Linux only).
//!
//! CPU time is the sum of `/proc/PID/task/*/schedstat`'s first field (nanoseconds on the CPU, per
//! thread): precise to the nanosecond, where `utime + stime` of `/proc/PID/stat` counts in clock
//! ticks (10 ms). Both are offered; the benchmarks report the first and check it against the
//! second.

use std::io;
use std::time::Duration;

/// Time on the CPU of every live thread of process `pid`, from `/proc/PID/task/*/schedstat`.
pub fn process_cpu(pid: u32) -> io::Result<Duration> {
    let mut total = 0u64;
    for entry in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let path = entry?.path().join("schedstat");
        // A thread may end between the listing and the read.
        if let Ok(text) = std::fs::read_to_string(path) {
            total += first_field(&text)?;
        }
    }
    Ok(Duration::from_nanos(total))
}

/// Time on the CPU of the calling thread, from `/proc/thread-self/schedstat`.
pub fn thread_cpu() -> io::Result<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat")?;
    Ok(Duration::from_nanos(first_field(&text)?))
}

/// Counters of a process from `/proc/PID/stat` (threads that ended included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatCounters {
    /// `utime + stime`, in clock ticks (`getconf CLK_TCK`: 100 per second on Linux).
    pub ticks: u64,
    /// Minor page faults (`minflt`): pages the kernel had to map (and zero) for the process.
    pub minor_faults: u64,
}

/// `utime + stime` and minor faults of process `pid`, from `/proc/PID/stat`.
pub fn process_stat(pid: u32) -> io::Result<StatCounters> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    parse_stat(&text).ok_or_else(|| invalid(format!("unexpected /proc/{pid}/stat: {text}")))
}

/// Peak resident set size (`VmHWM`) of process `pid` in KiB, from `/proc/PID/status`.
pub fn peak_rss_kib(pid: u32) -> io::Result<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    parse_vm_hwm(&text).ok_or_else(|| invalid(format!("no VmHWM in /proc/{pid}/status")))
}

/// Resident set size now (`VmRSS`) of process `pid` in KiB, from `/proc/PID/status`.
pub fn rss_kib(pid: u32) -> io::Result<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    parse_status_kib(&text, "VmRSS:")
        .ok_or_else(|| invalid(format!("no VmRSS in /proc/{pid}/status")))
}

/// Open file descriptors of process `pid` (entries of `/proc/PID/fd`).
pub fn open_fds(pid: u32) -> io::Result<u64> {
    Ok(std::fs::read_dir(format!("/proc/{pid}/fd"))?.count() as u64)
}

fn first_field(text: &str) -> io::Result<u64> {
    text.split_whitespace()
        .next()
        .and_then(|f| f.parse().ok())
        .ok_or_else(|| invalid(format!("unexpected schedstat line: {text:?}")))
}

/// Fields 10 (minflt), 14 (utime) and 15 (stime) of `/proc/PID/stat`, counted after the `)` that
/// ends the command name (which may itself hold spaces and parentheses).
fn parse_stat(text: &str) -> Option<StatCounters> {
    let after_name = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name, the state (field 3) is at index 0: field N is at index N - 3.
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(StatCounters {
        ticks: field(14)? + field(15)?,
        minor_faults: field(10)?,
    })
}

fn parse_vm_hwm(text: &str) -> Option<u64> {
    parse_status_kib(text, "VmHWM:")
}

fn parse_status_kib(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_counters_are_read_after_odd_names() {
        let line = "1234 (my) odd (name)) S 1 1234 1234 0 -1 4194560 100 0 0 0 17 5 0 0 20 0 1 0 42 1000 200";
        assert_eq!(
            parse_stat(line),
            Some(StatCounters {
                ticks: 22,
                minor_faults: 100
            })
        );
    }

    #[test]
    fn vm_hwm_is_read_in_kib() {
        let status = "Name:\tx\nVmPeak:\t  10000 kB\nVmHWM:\t    2345 kB\nVmRSS:\t 2000 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(2345));
        assert_eq!(parse_status_kib(status, "VmRSS:"), Some(2000));
    }

    #[test]
    fn own_process_figures_are_readable() {
        let pid = std::process::id();
        assert!(process_cpu(pid).unwrap() > Duration::ZERO);
        thread_cpu().unwrap();
        assert!(process_stat(pid).unwrap().minor_faults > 0);
        assert!(peak_rss_kib(pid).unwrap() > 0);
        assert!(rss_kib(pid).unwrap() > 0);
        assert!(open_fds(pid).unwrap() >= 3);
    }
}
