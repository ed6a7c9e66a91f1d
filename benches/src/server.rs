//! A minimal Runtime API server for measurements.
//!
//! It serves `GET /2018-06-01/runtime/invocation/next` with one pre-built event (a reference-
//! counted [`Bytes`], never copied) and accepts any `POST .../response` or `.../error` with a
//! pre-built `202`. It counts `warmup` invocations, then measures `measured` more: wall time,
//! the latency of each (from handing out `next` to having read the whole response), and — when
//! told the function's process id — the function's CPU time and peak memory, read while the
//! function waits for the `202` of the boundary invocations, so no work of the function leaks in
//! or out of the window. The server's own CPU time over the same window is measured too: it is
//! what the server costs per invocation.
//!
//! After the last invocation, `next` is left unanswered ([`End::Park`]) or answered `500` with
//! `Connection: close` ([`End::Fail`], so that the function exits by itself).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONNECTION, CONTENT_TYPE};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::AbortHandle;

use crate::procfs;

/// What the server answers to `next` once every invocation has been served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Leave `next` pending: the function stays blocked, as in Lambda between invocations.
    Park,
    /// Answer `500` and close the connection: the function exits.
    Fail,
}

/// What to serve.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The event body of every invocation.
    pub event: Bytes,
    /// Invocations served before measuring (at least one is always served).
    pub warmup: u64,
    /// Invocations measured after the warm-up.
    pub measured: u64,
    /// What to do with `next` after the last invocation.
    pub end: End,
    /// Give every invocation its own X-Ray trace id, as Lambda does (else one fixed id).
    pub unique_trace_ids: bool,
    /// Sample the function's memory and file descriptors every this many answered invocations
    /// (0: never), while it waits for that invocation's `202`. Needs [`BenchServer::watch`].
    pub sample_every: u64,
}

/// The function's resources after a number of invocations (see [`Plan::sample_every`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceSample {
    /// Invocations answered so far.
    pub invocations: u64,
    /// Resident set size now (`VmRSS`), KiB.
    pub rss_kib: u64,
    /// Peak resident set size so far (`VmHWM`), KiB.
    pub peak_rss_kib: u64,
    /// Open file descriptors.
    pub fds: u64,
}

/// A figure of the function process at a boundary of the measured window.
#[derive(Debug, Clone, Copy)]
struct Snapshot {
    at: Instant,
    child_cpu: Option<Duration>,
    child_stat: Option<procfs::StatCounters>,
    server_cpu: Option<Duration>,
}

impl Snapshot {
    fn take(pid: Option<u32>) -> Snapshot {
        Snapshot {
            at: Instant::now(),
            child_cpu: pid.and_then(|p| procfs::process_cpu(p).ok()),
            child_stat: pid.and_then(|p| procfs::process_stat(p).ok()),
            server_cpu: procfs::thread_cpu().ok(),
        }
    }
}

/// The measured window of a run.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Invocations in the window.
    pub invocations: u64,
    /// Wall time of the window.
    pub elapsed: Duration,
    /// Each invocation's latency in nanoseconds, sorted.
    pub latencies_ns: Vec<u64>,
    /// The function's CPU time in the window (from `schedstat`), if its pid was given.
    pub child_cpu: Option<Duration>,
    /// The function's CPU time in the window in clock ticks (`utime + stime`), if its pid was
    /// given.
    pub child_ticks: Option<u64>,
    /// The function's minor page faults in the window, if its pid was given.
    pub child_minor_faults: Option<u64>,
    /// The server thread's CPU time in the window.
    pub server_cpu: Option<Duration>,
    /// The function's peak RSS (`VmHWM`, KiB) at the end of the window, if its pid was given.
    pub child_peak_rss_kib: Option<u64>,
}

impl Measured {
    /// Invocations per second over the window.
    pub fn per_second(&self) -> f64 {
        self.invocations as f64 / self.elapsed.as_secs_f64()
    }
}

/// What happened in a run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// When the first `next` request arrived.
    pub first_next: Option<Instant>,
    /// When the first response had been read.
    pub first_response: Option<Instant>,
    /// The body of the first response (or error report).
    pub first_body: Option<Bytes>,
    /// Error reports received (`POST .../error`).
    pub errors: u64,
    /// TCP connections the function opened.
    pub connections: u64,
    /// The measured window, when there was one and it completed.
    pub measured: Option<Measured>,
    /// The resource samples (see [`Plan::sample_every`]).
    pub samples: Vec<ResourceSample>,
}

#[derive(Debug)]
struct State {
    plan: Plan,
    pid: Option<u32>,
    deadline: HeaderValue,
    handed: u64,
    received: u64,
    handed_at: Instant,
    start: Option<Snapshot>,
    latencies_ns: Vec<u64>,
    connections: Vec<AbortHandle>,
    outcome: Outcome,
    done: bool,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    done: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the counters inconsistent enough to matter
        // for a benchmark: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running benchmark server on `127.0.0.1` (an ephemeral port). Dropping it stops it.
#[derive(Debug)]
pub struct BenchServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: AbortHandle,
}

const TRACE_ID: &str = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:bench";
const ACCEPTED: &[u8] = br#"{"status":"OK"}"#;

impl BenchServer {
    /// Binds `127.0.0.1:0` and starts serving `plan` on the current tokio runtime.
    pub async fn start(plan: Plan) -> std::io::Result<BenchServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let deadline_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis()
            + 15 * 60 * 1000;
        let plan = Plan {
            warmup: plan.warmup.max(1),
            ..plan
        };
        let measured_capacity = usize::try_from(plan.measured).unwrap_or(0);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                plan,
                pid: None,
                deadline: HeaderValue::from(deadline_ms as u64),
                handed: 0,
                received: 0,
                handed_at: Instant::now(),
                start: None,
                latencies_ns: Vec::with_capacity(measured_capacity),
                connections: Vec::new(),
                outcome: Outcome::default(),
                done: false,
            }),
            done: Notify::new(),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone())).abort_handle();
        Ok(BenchServer {
            addr,
            shared,
            accept,
        })
    }

    /// The address to give the function as `AWS_LAMBDA_RUNTIME_API`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Measures process `pid` (CPU time and peak memory) at the window's boundaries.
    pub fn watch(&self, pid: u32) {
        self.shared.lock().pid = Some(pid);
    }

    /// Waits until every planned invocation has been answered, or `timeout`; returns what
    /// happened so far either way (`measured` is `None` unless the window completed).
    pub async fn finish(&self, timeout: Duration) -> Outcome {
        let _ = tokio::time::timeout(timeout, async {
            loop {
                let notified = self.shared.done.notified();
                if self.shared.lock().done {
                    return;
                }
                notified.await;
            }
        })
        .await;
        self.shared.lock().outcome.clone()
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        self.accept.abort();
        for connection in self.shared.lock().connections.drain(..) {
            connection.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service_shared = shared.clone();
        let service = service_fn(move |request| handle(service_shared.clone(), request));
        let task = tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        let mut state = shared.lock();
        state.outcome.connections += 1;
        state.connections.push(task.abort_handle());
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if request.method() == Method::GET {
        return next(&shared).await;
    }
    let is_error = request.uri().path().ends_with("/error");
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(status(StatusCode::BAD_REQUEST)),
    };
    let now = Instant::now();
    let mut state = shared.lock();
    state.received += 1;
    if is_error {
        state.outcome.errors += 1;
    }
    let warmup = state.plan.warmup;
    let total = warmup + state.plan.measured;
    if state.received > warmup {
        let latency = now.saturating_duration_since(state.handed_at);
        state.latencies_ns.push(latency.as_nanos() as u64);
    }
    if state.received == 1 {
        state.outcome.first_response = Some(now);
        state.outcome.first_body = Some(body);
    }
    let every = state.plan.sample_every;
    if state.received.checked_rem(every) == Some(0) {
        if let Some(pid) = state.pid {
            let (rss, peak, fds) = (
                procfs::rss_kib(pid),
                procfs::peak_rss_kib(pid),
                procfs::open_fds(pid),
            );
            if let (Ok(rss_kib), Ok(peak_rss_kib), Ok(fds)) = (rss, peak, fds) {
                let invocations = state.received;
                state.outcome.samples.push(ResourceSample {
                    invocations,
                    rss_kib,
                    peak_rss_kib,
                    fds,
                });
            }
        }
    }
    if state.received == warmup && state.plan.measured > 0 {
        state.start = Some(Snapshot::take(state.pid));
    }
    if state.received == total {
        finish_window(&mut state);
        state.done = true;
        shared.done.notify_one();
    }
    drop(state);
    let mut response = Response::new(Full::new(Bytes::from_static(ACCEPTED)));
    *response.status_mut() = StatusCode::ACCEPTED;
    Ok(response)
}

fn finish_window(state: &mut State) {
    let Some(start) = state.start else {
        return;
    };
    let end = Snapshot::take(state.pid);
    let since = |a: Option<Duration>, b: Option<Duration>| Some(b?.saturating_sub(a?));
    let mut latencies_ns = std::mem::take(&mut state.latencies_ns);
    latencies_ns.sort_unstable();
    state.outcome.measured = Some(Measured {
        invocations: state.plan.measured,
        elapsed: end.at - start.at,
        latencies_ns,
        child_cpu: since(start.child_cpu, end.child_cpu),
        child_ticks: match (start.child_stat, end.child_stat) {
            (Some(a), Some(b)) => Some(b.ticks.saturating_sub(a.ticks)),
            _ => None,
        },
        child_minor_faults: match (start.child_stat, end.child_stat) {
            (Some(a), Some(b)) => Some(b.minor_faults.saturating_sub(a.minor_faults)),
            _ => None,
        },
        server_cpu: since(start.server_cpu, end.server_cpu),
        child_peak_rss_kib: state.pid.and_then(|p| procfs::peak_rss_kib(p).ok()),
    });
}

async fn next(shared: &Shared) -> Result<Response<Full<Bytes>>, Infallible> {
    let response = {
        let mut state = shared.lock();
        if state.outcome.first_next.is_none() {
            state.outcome.first_next = Some(Instant::now());
        }
        let total = state.plan.warmup + state.plan.measured;
        if state.handed >= total {
            None
        } else {
            state.handed += 1;
            let mut response = Response::new(Full::new(state.plan.event.clone()));
            let headers = response.headers_mut();
            headers.insert(
                "lambda-runtime-aws-request-id",
                HeaderValue::from(state.handed),
            );
            headers.insert("lambda-runtime-deadline-ms", state.deadline.clone());
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                HeaderValue::from_static(FUNCTION_ARN),
            );
            let trace_id = if state.plan.unique_trace_ids {
                unique_trace_id(state.handed)
            } else {
                HeaderValue::from_static(TRACE_ID)
            };
            headers.insert("lambda-runtime-trace-id", trace_id);
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            state.handed_at = Instant::now();
            Some(response)
        }
    };
    match response {
        Some(response) => Ok(response),
        None => {
            let end = shared.lock().plan.end;
            match end {
                End::Park => std::future::pending().await,
                End::Fail => {
                    let mut response = status(StatusCode::INTERNAL_SERVER_ERROR);
                    response
                        .headers_mut()
                        .insert(CONNECTION, HeaderValue::from_static("close"));
                    Ok(response)
                }
            }
        }
    }
}

/// An X-Ray trace header of Lambda's shape, different for every `n`.
fn unique_trace_id(n: u64) -> HeaderValue {
    let text = format!("Root=1-5759e988-{n:024x};Parent={n:016x};Sampled=1");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(TRACE_ID))
}

fn status(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}
