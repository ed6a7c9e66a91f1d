//! The soak: many invocations, each with its own X-Ray trace id as Lambda sends them, through the
//! bench server; the function's RSS and open file descriptors are sampled every 10 000
//! invocations (while it waits for that invocation's `202`). Run for `run`, `concurrency(8)`
//! (`AWS_LAMBDA_MAX_CONCURRENCY=8`) and a streamed response, and the raw hyper loop's peak RSS at
//! 10 000 invocations as the floor.

use std::time::{Duration, Instant};

use benches::server::{BenchServer, End, Plan, ResourceSample};
use bytes::Bytes;

use crate::function::{self, Function, Functions};

/// Invocations between two samples.
pub(crate) const SAMPLE_EVERY: u64 = 10_000;

/// Where the peak RSS is compared with the raw loop's.
const PEAK_AT: u64 = 10_000;

/// The concurrency of the multi-concurrency function.
const CONCURRENCY: &str = "8";

/// One function's soak.
#[derive(Debug, Clone)]
pub(crate) struct Soak {
    pub(crate) label: &'static str,
    pub(crate) invocations: u64,
    pub(crate) elapsed: Duration,
    pub(crate) samples: Vec<ResourceSample>,
}

impl Soak {
    /// The sample after `invocations` (or the last one before it).
    fn at(&self, invocations: u64) -> Option<&ResourceSample> {
        self.samples
            .iter()
            .take_while(|s| s.invocations <= invocations)
            .last()
    }
}

/// The soak results.
#[derive(Debug, Clone)]
pub(crate) struct Results {
    pub(crate) invocations: u64,
    pub(crate) soaks: Vec<Soak>,
    /// The raw hyper loop's peak RSS after 10 000 invocations, KiB.
    pub(crate) raw_peak_kib: Option<u64>,
}

pub(crate) async fn run(invocations: u64, functions: &Functions) -> Result<Results, String> {
    let small = benches::events::small();
    let concurrent = functions
        .ours_echo_concurrent
        .clone()
        .ok_or("ours-echo-concurrent is not built")?;
    let stream = functions
        .ours_stream
        .clone()
        .ok_or("ours-stream is not built")?;
    let raw = soak_one(
        "raw hyper loop",
        &functions.raw_echo,
        small.clone(),
        PEAK_AT,
        None,
    )
    .await?;
    let soaks = vec![
        soak_one(
            "`run` (ours-echo)",
            &functions.ours_echo,
            small.clone(),
            invocations,
            None,
        )
        .await?,
        soak_one(
            "`concurrency(8)`",
            &concurrent,
            small,
            invocations,
            Some(CONCURRENCY),
        )
        .await?,
        soak_one(
            "streamed (`StreamResponse`, 1 KiB)",
            &stream,
            Bytes::from_static(br#"{"kb":1}"#),
            invocations,
            None,
        )
        .await?,
    ];
    Ok(Results {
        invocations,
        raw_peak_kib: raw.at(PEAK_AT).map(|s| s.peak_rss_kib),
        soaks,
    })
}

async fn soak_one(
    label: &'static str,
    function: &Function,
    event: Bytes,
    invocations: u64,
    concurrency: Option<&str>,
) -> Result<Soak, String> {
    eprintln!("bench: soak {label}: {invocations} invocations");
    let server = BenchServer::start(Plan {
        event,
        warmup: invocations,
        measured: 0,
        end: End::Park,
        unique_trace_ids: true,
        sample_every: SAMPLE_EVERY,
    })
    .await
    .map_err(|e| format!("cannot start the bench server: {e}"))?;
    let mut command = function::lambda_command(&function.path, server.addr());
    if let Some(n) = concurrency {
        command
            .env("AWS_LAMBDA_MAX_CONCURRENCY", n)
            .env("AWS_LAMBDA_INITIALIZATION_TYPE", "lambda-managed-instances");
    }
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", function.path.display()))?;
    server.watch(child.id());
    let started = Instant::now();
    // Generous: 1 ms per invocation on a loaded machine, plus start-up.
    let limit = Duration::from_secs(60) + Duration::from_millis(invocations);
    let outcome = server.finish(limit).await;
    let elapsed = started.elapsed();
    function::stop(child);
    drop(server);
    if outcome.errors > 0 {
        return Err(format!("{label}: {} error reports", outcome.errors));
    }
    let done = outcome.samples.last().map_or(0, |s| s.invocations);
    if done < invocations - invocations % SAMPLE_EVERY {
        return Err(format!(
            "{label}: only {done} of {invocations} invocations within {limit:?}"
        ));
    }
    Ok(Soak {
        label,
        invocations,
        elapsed,
        samples: outcome.samples,
    })
}

/// The soak's markdown section.
pub(crate) fn render(results: &Results, command: &str) -> String {
    let n = results.invocations;
    let mut out = String::new();
    out.push_str(&format!(
        "### Soak: {n} invocations per function, a unique trace id each\n\n\
         `{command}`\n\n\
         Function RSS (`VmRSS`, KiB) and open file descriptors, sampled every {SAMPLE_EVERY} \
         invocations; growth is from the first sample (after {SAMPLE_EVERY} invocations of \
         warm-up) to the last.\n\n\
         | function | RSS at {first} | RSS at {mid} | RSS at {n} | growth | fds at {first} / {mid} / {n} | invocations/s |\n\
         | --- | ---: | ---: | ---: | ---: | --- | ---: |\n",
        first = SAMPLE_EVERY,
        mid = mid_point(n),
    ));
    for soak in &results.soaks {
        let first = soak.samples.first();
        let mid = soak.at(mid_point(n));
        let last = soak.samples.last();
        let rss = |s: Option<&ResourceSample>| s.map_or("-".to_owned(), |s| s.rss_kib.to_string());
        let fds = |s: Option<&ResourceSample>| s.map_or("-".to_owned(), |s| s.fds.to_string());
        let growth = match (first, last) {
            (Some(a), Some(b)) => format!("{:+}", b.rss_kib as i64 - a.rss_kib as i64),
            _ => "-".to_owned(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {growth} | {} / {} / {} | {:.0} |\n",
            soak.label,
            rss(first),
            rss(mid),
            rss(last),
            fds(first),
            fds(mid),
            fds(last),
            soak.invocations as f64 / soak.elapsed.as_secs_f64(),
        ));
    }
    if let Some(raw) = results.raw_peak_kib {
        out.push_str(&format!(
            "\nPeak RSS (`VmHWM`) after {PEAK_AT} invocations: raw hyper loop {raw} KiB"
        ));
        for soak in &results.soaks {
            if let Some(s) = soak.at(PEAK_AT) {
                out.push_str(&format!(
                    "; {} {} KiB ({:.2}x)",
                    soak.label,
                    s.peak_rss_kib,
                    s.peak_rss_kib as f64 / raw as f64
                ));
            }
        }
        out.push_str(".\n");
    }
    out
}

/// The sample closest to the middle of `n` invocations.
fn mid_point(n: u64) -> u64 {
    (n / 2 / SAMPLE_EVERY).max(1) * SAMPLE_EVERY
}
