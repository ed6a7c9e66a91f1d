//! The invocation loop: each `echo` function serves the small and the large event, repeated and
//! interleaved.

use std::time::Duration;

use benches::server::{BenchServer, End, Plan};
use benches::stats::percentile;
use bytes::Bytes;

use crate::function::{self, Function, Functions};
use crate::options::Options;

/// One event of the benchmark.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) label: &'static str,
    pub(crate) body: Bytes,
    pub(crate) warmup: u64,
    pub(crate) measured: u64,
}

/// One run of one function on one event.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub(crate) per_second: f64,
    pub(crate) p50_us: f64,
    pub(crate) p99_us: f64,
    /// The function's CPU time per invocation (schedstat), µs.
    pub(crate) cpu_us: f64,
    /// The same from `utime + stime` (10 ms ticks), µs.
    pub(crate) ticks_cpu_us: f64,
    /// The server thread's CPU time per invocation, µs.
    pub(crate) server_us: f64,
    /// The function's minor page faults per invocation.
    pub(crate) faults: f64,
    pub(crate) peak_rss_kib: f64,
    pub(crate) connections: u64,
}

/// All samples: `samples[event][function]` holds one sample per repetition.
#[derive(Debug, Clone)]
pub(crate) struct Results {
    pub(crate) events: Vec<Event>,
    pub(crate) functions: Vec<&'static str>,
    pub(crate) samples: Vec<Vec<Vec<Sample>>>,
}

pub(crate) async fn run(options: &Options, functions: &Functions) -> Result<Results, String> {
    let (small, large) = options.invocations();
    let events = vec![
        Event {
            label: "~100 B",
            body: benches::events::small(),
            warmup: 200,
            measured: small,
        },
        Event {
            label: "~256 KB",
            body: benches::events::large(),
            warmup: 20,
            measured: large,
        },
    ];
    let echoes = functions.echoes();
    let mut samples = vec![vec![Vec::new(); echoes.len()]; events.len()];
    for rep in 0..options.reps {
        for (e, event) in events.iter().enumerate() {
            // Rotate the order each repetition so no function always runs first or last.
            for k in 0..echoes.len() {
                let f = (k + rep) % echoes.len();
                let function = &echoes[f];
                eprintln!(
                    "bench: invocations rep {}/{} {} {} x{}",
                    rep + 1,
                    options.reps,
                    function.name,
                    event.label,
                    event.measured
                );
                samples[e][f].push(run_one(function, event).await?);
            }
        }
    }
    Ok(Results {
        functions: echoes.iter().map(|f| f.name).collect(),
        events,
        samples,
    })
}

async fn run_one(function: &Function, event: &Event) -> Result<Sample, String> {
    let server = BenchServer::start(Plan {
        event: event.body.clone(),
        warmup: event.warmup,
        measured: event.measured,
        end: End::Park,
        unique_trace_ids: false,
        sample_every: 0,
    })
    .await
    .map_err(|e| format!("cannot start the bench server: {e}"))?;
    let child = function::spawn(function, server.addr())?;
    server.watch(child.id());
    let outcome = server.finish(Duration::from_secs(300)).await;
    function::stop(child);
    drop(server);
    let fail = |what: &str| format!("{} on the {} event: {what}", function.name, event.label);
    if outcome.errors > 0 {
        return Err(fail(&format!("{} error reports", outcome.errors)));
    }
    let first = outcome.first_body.ok_or_else(|| fail("no response"))?;
    let expected: serde_json::Value =
        serde_json::from_slice(&event.body).map_err(|e| e.to_string())?;
    let echoed: serde_json::Value =
        serde_json::from_slice(&first).map_err(|e| fail(&format!("response is not JSON: {e}")))?;
    if echoed != expected {
        return Err(fail("the response is not the event"));
    }
    let measured = outcome
        .measured
        .ok_or_else(|| fail("timed out before the last invocation"))?;
    let n = measured.invocations as f64;
    let per_inv = |d: Option<Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1e6 / n);
    Ok(Sample {
        per_second: measured.per_second(),
        p50_us: percentile(&measured.latencies_ns, 50.0) as f64 / 1e3,
        p99_us: percentile(&measured.latencies_ns, 99.0) as f64 / 1e3,
        cpu_us: per_inv(measured.child_cpu),
        ticks_cpu_us: measured
            .child_ticks
            .map_or(f64::NAN, |t| t as f64 * 10_000.0 / n),
        server_us: per_inv(measured.server_cpu),
        faults: measured
            .child_minor_faults
            .map_or(f64::NAN, |f| f as f64 / n),
        peak_rss_kib: measured.child_peak_rss_kib.map_or(f64::NAN, |k| k as f64),
        connections: outcome.connections,
    })
}
