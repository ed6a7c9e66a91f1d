//! Emulator overhead: time per invoke through `lambda-rs serve`'s RIE-compatible endpoint
//! for `ours-echo`, next to the direct Runtime API exchange with the bench server.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use benches::server::{BenchServer, End, Plan};
use benches::stats::percentile;
use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::function::{self, Functions};

const WARMUP: usize = 50;
pub(crate) const INVOKES: usize = 1_000;
const PATH: &str = "/2015-03-31/functions/function/invocations";

/// Microseconds per invocation, one entry per repetition.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overhead {
    /// Through the emulator: mean client round trip of a sequential invoke.
    pub(crate) emulator_mean_us: Vec<f64>,
    /// Through the emulator: median client round trip.
    pub(crate) emulator_p50_us: Vec<f64>,
    /// Direct: wall time per invocation of the loop against the bench server.
    pub(crate) direct_mean_us: Vec<f64>,
    /// Direct: median latency at the bench server.
    pub(crate) direct_p50_us: Vec<f64>,
}

/// The `lambda-rs` binary (crate lambda-cli) next to this driver, if it was built.
pub(crate) fn locate() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.join("lambda-rs");
    path.is_file().then_some(path)
}

pub(crate) async fn run(reps: usize, functions: &Functions) -> Result<Overhead, String> {
    let emulator = locate().ok_or("lambda-rs is not built next to the driver")?;
    let mut overhead = Overhead::default();
    eprintln!("bench: emulator overhead, {reps} repetitions of {INVOKES} invokes");
    for _ in 0..reps {
        let (mean, p50) = through_emulator(&emulator, functions).await?;
        overhead.emulator_mean_us.push(mean);
        overhead.emulator_p50_us.push(p50);
        let (mean, p50) = direct(functions).await?;
        overhead.direct_mean_us.push(mean);
        overhead.direct_p50_us.push(p50);
    }
    Ok(overhead)
}

async fn direct(functions: &Functions) -> Result<(f64, f64), String> {
    let server = BenchServer::start(Plan {
        event: benches::events::small(),
        warmup: WARMUP as u64,
        measured: INVOKES as u64,
        end: End::Park,
        unique_trace_ids: false,
        sample_every: 0,
    })
    .await
    .map_err(|e| format!("cannot start the bench server: {e}"))?;
    let child = function::spawn(&functions.ours_echo, server.addr())?;
    let outcome = server.finish(Duration::from_secs(60)).await;
    function::stop(child);
    let measured = outcome.measured.ok_or("the direct loop did not finish")?;
    Ok((
        1e6 / measured.per_second(),
        percentile(&measured.latencies_ns, 50.0) as f64 / 1e3,
    ))
}

async fn through_emulator(emulator: &PathBuf, functions: &Functions) -> Result<(f64, f64), String> {
    let mut child = Command::new(emulator)
        .args(["serve", "--port", "0", "--"])
        .arg(&functions.ours_echo.path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", emulator.display()))?;
    let result = invoke_all(&mut child).await;
    // SIGTERM lets the emulator stop its function; SIGKILL if it does not within 5 s.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let started = Instant::now();
    while !matches!(child.try_wait(), Ok(Some(_))) {
        if started.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    result
}

async fn invoke_all(child: &mut Child) -> Result<(f64, f64), String> {
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = mpsc::channel();
    // Drain stderr (one platform line per invocation) so the emulator never blocks on it.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap_or_default().to_owned());
            }
        }
    });
    let address: SocketAddr =
        tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(10)))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|_| "lambda-rs serve did not say where it listens within 10 s")?
            .parse()
            .map_err(|e| format!("unexpected address from lambda-rs serve: {e}"))?;
    let stream = TcpStream::connect(address)
        .await
        .map_err(|e| format!("cannot connect to lambda-rs serve: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    let driver = tokio::spawn(conn);
    let event = benches::events::small();
    let expected: serde_json::Value = serde_json::from_slice(&event).map_err(|e| e.to_string())?;
    let mut times = Vec::with_capacity(INVOKES);
    for i in 0..WARMUP + INVOKES {
        let request = Request::builder()
            .method(Method::POST)
            .uri(PATH)
            .header("host", address.to_string())
            .body(Full::new(event.clone()))
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        sender.ready().await.map_err(|e| e.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("invoke {i} failed: {e}"))?;
        let status = response.status();
        let body: Bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let elapsed = started.elapsed();
        if i == 0 {
            let echoed: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|e| format!("the emulator answered {status} with non-JSON: {e}"))?;
            if !status.is_success() || echoed != expected {
                return Err(format!(
                    "the emulator answered {status}: {}",
                    String::from_utf8_lossy(&body)
                ));
            }
        }
        if i >= WARMUP {
            times.push(elapsed.as_nanos() as u64);
        }
    }
    driver.abort();
    let mean = times.iter().sum::<u64>() as f64 / times.len() as f64 / 1e3;
    times.sort_unstable();
    Ok((mean, percentile(&times, 50.0) as f64 / 1e3))
}
