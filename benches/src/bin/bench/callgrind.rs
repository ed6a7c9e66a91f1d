//! Instructions per invocation under `valgrind --tool=callgrind`: repeatable on a noisy machine.
//!
//! Each `echo` function serves N1 and then, in a second process, N2 events; the difference of the
//! two instruction totals divided by N2 - N1 is the cost of one invocation, start-up and exit
//! excluded. Both the small and the large event are counted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use benches::server::{BenchServer, End, Plan};
use bytes::Bytes;

use crate::function::{self, Function, Functions};

/// (N1, N2) for the small and the large event.
pub(crate) const SMALL: (u64, u64) = (200, 1_200);
pub(crate) const LARGE: (u64, u64) = (10, 60);

/// Instructions per invocation of one function, small and large event.
#[derive(Debug, Clone)]
pub(crate) struct Count {
    pub(crate) name: &'static str,
    pub(crate) small: f64,
    pub(crate) large: f64,
}

pub(crate) async fn run(functions: &Functions, keep: Option<&Path>) -> Result<Vec<Count>, String> {
    let valgrind = Command::new("valgrind").arg("--version").output();
    if !valgrind.is_ok_and(|o| o.status.success()) {
        return Err("--callgrind needs valgrind on the PATH (apt-get install valgrind)".into());
    }
    let mut counts = Vec::new();
    for function in functions.echoes() {
        eprintln!("bench: callgrind {}", function.name);
        let small = per_invocation(&function, &benches::events::small(), SMALL, keep).await?;
        let large = per_invocation(&function, &benches::events::large(), LARGE, keep).await?;
        counts.push(Count {
            name: function.name,
            small,
            large,
        });
    }
    Ok(counts)
}

pub(crate) async fn per_invocation(
    function: &Function,
    event: &Bytes,
    (n1, n2): (u64, u64),
    keep: Option<&Path>,
) -> Result<f64, String> {
    let few = instructions(function, event, n1, keep).await?;
    let many = instructions(function, event, n2, keep).await?;
    Ok((many as f64 - few as f64) / (n2 - n1) as f64)
}

async fn instructions(
    function: &Function,
    event: &Bytes,
    invocations: u64,
    keep: Option<&Path>,
) -> Result<u64, String> {
    let dir = keep.map_or_else(std::env::temp_dir, Path::to_path_buf);
    let out: PathBuf = dir.join(format!(
        "bench-callgrind-{}-{}-{}-{invocations}.out",
        std::process::id(),
        function.name,
        event.len()
    ));
    let server = BenchServer::start(Plan {
        event: event.clone(),
        warmup: invocations,
        measured: 0,
        end: End::Fail,
        unique_trace_ids: false,
        sample_every: 0,
    })
    .await
    .map_err(|e| format!("cannot start the bench server: {e}"))?;
    let mut command = function::lambda_command(std::path::Path::new("valgrind"), server.addr());
    command
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(&function.path);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start valgrind: {e}"))?;
    let outcome = server.finish(Duration::from_secs(300)).await;
    if outcome.first_response.is_none() {
        function::stop(child);
        return Err(format!("{} under valgrind: no response", function.name));
    }
    // The function exits on the 500 that follows the last invocation; valgrind then writes its
    // totals. A function that does not exit gets SIGTERM (callgrind still writes on it).
    let started = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(server);
    let total = read_total(&out, function.name);
    if keep.is_none() {
        let _ = std::fs::remove_file(&out);
    }
    total
}

/// The instruction total of a callgrind output file.
pub(crate) fn read_total(out: &Path, what: &str) -> Result<u64, String> {
    let text = std::fs::read_to_string(out)
        .map_err(|e| format!("no callgrind output in {}: {e}", out.display()))?;
    text.lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or(format!(
            "no instruction total in the callgrind output of {what}"
        ))
}
