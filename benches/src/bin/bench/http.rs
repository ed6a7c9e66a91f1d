//! The HTTP adapter (`--only http`): CPU per request of an axum `hello` app behind API Gateway
//! HTTP API (v2) and an ALB, on our adapter and (with the `official` feature) on `lambda_http`
//! from crates.io, against the raw loop (`raw-echo`) on the same events.

use std::time::Duration;

use benches::server::{BenchServer, End, Plan};
use bytes::Bytes;

use crate::function::{self, Function, Functions};
use crate::options::Options;

/// One HTTP event of the benchmark.
struct HttpEvent {
    label: &'static str,
    body: Bytes,
}

/// `cpu_us[event][function]`: the function's CPU µs per request, one value per repetition.
pub(crate) struct Results {
    events: Vec<&'static str>,
    functions: Vec<&'static str>,
    cpu_us: Vec<Vec<Vec<f64>>>,
    invocations: u64,
    /// `instructions[event][function]` per request, with `--callgrind`.
    instructions: Option<Vec<Vec<f64>>>,
}

/// (N1, N2) requests of the two callgrind runs per cell.
const CALLGRIND: (u64, u64) = (100, 1_100);

pub(crate) async fn run(options: &Options, functions: &Functions) -> Result<Results, String> {
    let ours = functions.ours_http.clone().ok_or(
        "ours-http is not built: run `cargo build --release -p benches --bin ours-http --features http` (or drop --no-build)",
    )?;
    let mut all = vec![functions.raw_echo.clone(), ours];
    all.extend(functions.official_http.clone());
    let events = [
        HttpEvent {
            label: "API Gateway v2",
            body: benches::events::apigw_v2_hello(),
        },
        HttpEvent {
            label: "ALB",
            body: benches::events::alb_hello(),
        },
    ];
    let (measured, _) = options.invocations();
    let mut cpu_us = vec![vec![Vec::new(); all.len()]; events.len()];
    for rep in 0..options.reps {
        for (e, event) in events.iter().enumerate() {
            for k in 0..all.len() {
                let f = (k + rep) % all.len();
                eprintln!(
                    "bench: http rep {}/{} {} {} x{measured}",
                    rep + 1,
                    options.reps,
                    all[f].name,
                    event.label
                );
                cpu_us[e][f].push(run_one(&all[f], event, measured).await?);
            }
        }
    }
    let mut instructions = None;
    if options.callgrind {
        let mut counts = vec![Vec::new(); events.len()];
        for (e, event) in events.iter().enumerate() {
            for function in &all {
                eprintln!("bench: http callgrind {} {}", function.name, event.label);
                let keep = options.callgrind_out.as_deref();
                counts[e].push(
                    crate::callgrind::per_invocation(function, &event.body, CALLGRIND, keep)
                        .await?,
                );
            }
        }
        instructions = Some(counts);
    }
    Ok(Results {
        events: events.iter().map(|e| e.label).collect(),
        functions: all.iter().map(|f| f.name).collect(),
        cpu_us,
        invocations: measured,
        instructions,
    })
}

/// Runs `function` on `event` and returns its CPU µs per request.
async fn run_one(function: &Function, event: &HttpEvent, measured: u64) -> Result<f64, String> {
    let server = BenchServer::start(Plan {
        event: event.body.clone(),
        warmup: 200,
        measured,
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
    check_response(function.name, &event.body, &first).map_err(|e| fail(&e))?;
    let measured = outcome
        .measured
        .ok_or_else(|| fail("timed out before the last invocation"))?;
    let cpu = measured
        .child_cpu
        .ok_or_else(|| fail("no CPU time (schedstat) for the function"))?;
    Ok(cpu.as_secs_f64() * 1e6 / measured.invocations as f64)
}

/// The raw loop echoes the event; the axum app answers `200` with `Hello, world!`.
fn check_response(function: &str, event: &[u8], response: &[u8]) -> Result<(), String> {
    let response: serde_json::Value =
        serde_json::from_slice(response).map_err(|e| format!("response is not JSON: {e}"))?;
    if function == "raw-echo" {
        let event: serde_json::Value = serde_json::from_slice(event).map_err(|e| e.to_string())?;
        return if response == event {
            Ok(())
        } else {
            Err("the response is not the event".to_owned())
        };
    }
    if response["statusCode"] != 200 || response["body"] != "Hello, world!" {
        return Err(format!("expected 200 `Hello, world!`, got {response}"));
    }
    Ok(())
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The markdown table: median CPU µs per request (min–max over the repetitions) and the ratios
/// ours/raw and ours/official (when `official-http` ran).
pub(crate) fn render(results: &Results, command: &str) -> String {
    let mut out = format!(
        "Command: `{command}`; {} measured requests per run, median of {} runs (min–max).\n\n",
        results.invocations,
        results
            .cpu_us
            .first()
            .and_then(|f| f.first())
            .map_or(0, Vec::len)
    );
    out.push_str("| event |");
    for name in &results.functions {
        out.push_str(&format!(" `{name}` CPU µs/request |"));
    }
    let official = results.functions.len() > 2;
    out.push_str(" ours / raw |");
    if official {
        out.push_str(" ours / official |");
    }
    out.push_str("\n|---|");
    for _ in &results.functions {
        out.push_str("---:|");
    }
    out.push_str(if official { "---:|---:|\n" } else { "---:|\n" });
    for (e, label) in results.events.iter().enumerate() {
        out.push_str(&format!("| {label} |"));
        let mut medians = Vec::new();
        for values in &results.cpu_us[e] {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let m = median(values);
            medians.push(m);
            out.push_str(&format!(" {m:.1} ({min:.1}–{max:.1}) |"));
        }
        let raw = medians.first().copied().unwrap_or(f64::NAN);
        let ours = medians.get(1).copied().unwrap_or(f64::NAN);
        out.push_str(&format!(" {:.2}x |", ours / raw));
        if let Some(theirs) = medians.get(2) {
            out.push_str(&format!(" {:.2}x |", ours / theirs));
        }
        out.push('\n');
    }
    if let Some(instructions) = &results.instructions {
        out.push_str(&format!(
            "\nInstructions per request (callgrind, ({} − {} requests) ÷ {}):\n\n| event |",
            CALLGRIND.1,
            CALLGRIND.0,
            CALLGRIND.1 - CALLGRIND.0
        ));
        for name in &results.functions {
            out.push_str(&format!(" `{name}` |"));
        }
        out.push_str(" ours / raw |\n|---|");
        for _ in &results.functions {
            out.push_str("---:|");
        }
        out.push_str("---:|\n");
        for (e, label) in results.events.iter().enumerate() {
            out.push_str(&format!("| {label} |"));
            for count in &instructions[e] {
                out.push_str(&format!(" {count:.0} |"));
            }
            let ratio = instructions[e][1] / instructions[e][0];
            out.push_str(&format!(" {ratio:.2}x |\n"));
        }
    }
    out
}
