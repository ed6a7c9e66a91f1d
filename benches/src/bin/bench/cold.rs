//! Cold start: process spawn to the first `GET next`, and to the first response.

use std::time::{Duration, Instant};

use benches::server::{BenchServer, End, Plan};

use crate::function::{self, Function, Functions};
use crate::options::Options;

/// One function's cold starts, in microseconds, one entry per repetition.
#[derive(Debug, Clone)]
pub(crate) struct ColdStarts {
    pub(crate) name: &'static str,
    pub(crate) to_next_us: Vec<f64>,
    pub(crate) to_response_us: Vec<f64>,
}

pub(crate) async fn run(
    options: &Options,
    functions: &Functions,
) -> Result<Vec<ColdStarts>, String> {
    let list = functions.cold();
    let mut results: Vec<ColdStarts> = list
        .iter()
        .map(|f| ColdStarts {
            name: f.name,
            to_next_us: Vec::new(),
            to_response_us: Vec::new(),
        })
        .collect();
    let reps = options.cold_reps();
    eprintln!("bench: cold starts, {reps} each");
    for rep in 0..reps {
        for k in 0..list.len() {
            let f = (k + rep) % list.len();
            let (next, response) = once(&list[f]).await?;
            results[f].to_next_us.push(next);
            results[f].to_response_us.push(response);
        }
    }
    Ok(results)
}

async fn once(function: &Function) -> Result<(f64, f64), String> {
    let server = BenchServer::start(Plan {
        event: benches::events::small(),
        warmup: 1,
        measured: 0,
        end: End::Park,
        unique_trace_ids: false,
        sample_every: 0,
    })
    .await
    .map_err(|e| format!("cannot start the bench server: {e}"))?;
    let mut command = function::lambda_command(&function.path, server.addr());
    let spawned = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", function.path.display()))?;
    let outcome = server.finish(Duration::from_secs(10)).await;
    function::stop(child);
    let us = |t: Option<Instant>| {
        t.map(|t| t.saturating_duration_since(spawned).as_secs_f64() * 1e6)
            .ok_or(format!("{}: no response within 10 s", function.name))
    };
    Ok((us(outcome.first_next)?, us(outcome.first_response)?))
}
