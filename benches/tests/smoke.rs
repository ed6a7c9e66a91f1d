//! The harness builds and works: the bench server drives a few invocations of our runtime, in
//! process, and measures them.
use std::time::Duration;

use benches::server::{BenchServer, End, Plan};
use lambda_runtime::Endpoint;
use lambda_runtime::{service_fn, Config, Error, LambdaEvent, Runtime};
use serde_json::Value;

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[tokio::test(flavor = "current_thread")]
async fn bench_server_measures_our_runtime_echoing_events() {
    let event = benches::events::small();
    let server = BenchServer::start(Plan {
        event: event.clone(),
        warmup: 3,
        measured: 20,
        end: End::Park,
        unique_trace_ids: false,
        sample_every: 0,
    })
    .await
    .unwrap();
    server.watch(std::process::id());
    let endpoint = Endpoint::parse(&server.addr().to_string()).unwrap();
    let runtime = Runtime::new(endpoint, Config::default());
    let outcome = tokio::select! {
        outcome = server.finish(Duration::from_secs(8)) => outcome,
        result = runtime.run(service_fn(echo)) => panic!("the runtime stopped: {result:?}"),
    };
    assert_eq!(outcome.errors, 0);
    assert_eq!(outcome.connections, 1);
    let first: Value = serde_json::from_slice(&outcome.first_body.unwrap()).unwrap();
    assert_eq!(first, serde_json::from_slice::<Value>(&event).unwrap());
    let measured = outcome.measured.expect("the measured window completed");
    assert_eq!(measured.invocations, 20);
    assert_eq!(measured.latencies_ns.len(), 20);
    assert!(measured.child_cpu.is_some() && measured.server_cpu.is_some());
    assert!(measured.child_peak_rss_kib.unwrap() > 0);
    assert!(measured.per_second() > 0.0);
}

#[tokio::test(flavor = "current_thread")]
async fn bench_server_ends_with_a_500_when_told_to_fail() {
    let server = BenchServer::start(Plan {
        event: benches::events::small(),
        warmup: 1,
        measured: 2,
        end: End::Fail,
        unique_trace_ids: false,
        sample_every: 0,
    })
    .await
    .unwrap();
    let endpoint = Endpoint::parse(&server.addr().to_string()).unwrap();
    let runtime = Runtime::new(endpoint, Config::default());
    let result = tokio::time::timeout(Duration::from_secs(8), runtime.run(service_fn(echo)))
        .await
        .expect("the runtime exits on the 500");
    let error = result.unwrap_err().to_string();
    assert!(error.contains("500"), "{error}");
    let outcome = server.finish(Duration::from_secs(1)).await;
    assert_eq!(outcome.measured.unwrap().invocations, 2);
}
