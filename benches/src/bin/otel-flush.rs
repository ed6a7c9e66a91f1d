//! How long the after-response flush takes with the real OTLP/HTTP exporter
//! (`opentelemetry-otlp` over `PlainHttpClient`) on a single-threaded tokio runtime, the setup
//! the `opentelemetry` example uses, against an OTLP sink on loopback (another thread) that
//! reads each request and answers `200` with an empty protobuf.
//!
//! ```text
//! cargo run --release -p benches --features opentelemetry --bin otel-flush [-- N]
//! ```
//!
//! Each round ends two spans (an invocation's and one child, like the example), then awaits
//! `Flusher::flush()`; printed: the flush's wall time (p50, p99, max) and the whole process's CPU
//! time per round.
use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use lambda_runtime::opentelemetry::{LambdaSpanProcessor, PlainHttpClient};
use opentelemetry::trace::{Span as _, TraceContextExt, Tracer as _, TracerProvider as _};
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let rounds: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 2_000,
    };
    let sink = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = sink.local_addr()?;
    sink.set_nonblocking(true)?;
    std::thread::spawn(move || serve(sink));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_http_client(PlainHttpClient::new())
            .with_endpoint(format!("http://{address}/v1/traces"))
            .build()?;
        let processor = LambdaSpanProcessor::new(exporter);
        let flusher = processor.flusher();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(processor)
            .build();
        let tracer = provider.tracer("otel-flush");
        let mut flushes = Vec::with_capacity(rounds);
        let cpu_before = cpu_time();
        let started = Instant::now();
        for _ in 0..rounds {
            let invocation = tracer.start("invocation");
            let cx = opentelemetry::Context::new().with_span(invocation);
            tracer.start_with_context("handler work", &cx).end();
            cx.span().end();
            let t = Instant::now();
            let exported = flusher.flush().await?;
            flushes.push(t.elapsed());
            assert_eq!(exported, 2, "both spans exported");
        }
        let wall = started.elapsed();
        let cpu = cpu_time().saturating_sub(cpu_before);
        flushes.sort();
        let pick = |q: f64| flushes[((flushes.len() - 1) as f64 * q) as usize];
        println!("| rounds | flush p50 µs | flush p99 µs | flush max µs | process CPU µs/round | wall µs/round |");
        println!("|---|---|---|---|---|---|");
        println!(
            "| {rounds} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            micros(pick(0.5)),
            micros(pick(0.99)),
            micros(pick(1.0)),
            micros(cpu) / rounds as f64,
            micros(wall) / rounds as f64,
        );
        Ok::<_, Error>(())
    })
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// This process's CPU time (user + system, every thread: the sink's included).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends with ')'): utime is the 14th field, stime 15th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // fields[0] is the state (3rd field), so utime (14th) is fields[11] and stime fields[12].
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// The OTLP sink: one current-thread runtime on its own thread, reads and answers every request.
fn serve(listener: std::net::TcpListener) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
            return;
        };
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(|request: hyper::Request<Incoming>| async move {
                        let _ = request.into_body().collect().await;
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/x-protobuf")
                                .body(Full::new(Bytes::new()))
                                .unwrap_or_default(),
                        )
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
