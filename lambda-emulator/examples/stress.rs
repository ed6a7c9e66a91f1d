//! A bounded load probe of the emulator's `serve` path (an [`Environment`] behind a
//! [`FrontDoor`], in this process): memory over many invokes, half-open connections, and
//! callers that hang up. Figures go to BENCHMARKS.md ("Emulator") and RELIABILITY.md.
//!
//! ```text
//! cargo build --release -p benches --bin ours-echo
//! cargo run --release -p lambda-emulator --example stress -- \
//!     --invokes 1000000 --event-bytes 100000 --half-open 1000 --abandoned 200 \
//!     -- target/release/ours-echo
//! ```
//!
//! Every phase is bounded: the probe exits with an error if one overruns.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use lambda_emulator::{Echo, Environment, FrontDoor, FunctionConfig, PlatformEvent};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const INVOKE: &str = "/2015-03-31/functions/function/invocations";

type Failure = Box<dyn std::error::Error>;

struct Options {
    invokes: u64,
    event_bytes: usize,
    half_open: usize,
    abandoned: usize,
    command: Vec<String>,
}

fn parse() -> Result<Options, Failure> {
    let mut options = Options {
        invokes: 100_000,
        event_bytes: 100_000,
        half_open: 1000,
        abandoned: 200,
        command: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || -> Result<u64, Failure> {
            Ok(args
                .next()
                .ok_or(format!("{arg} needs a number"))?
                .parse()?)
        };
        match arg.as_str() {
            "--invokes" => options.invokes = number()?,
            "--event-bytes" => options.event_bytes = usize::try_from(number()?)?,
            "--half-open" => options.half_open = usize::try_from(number()?)?,
            "--abandoned" => options.abandoned = usize::try_from(number()?)?,
            "--" => {
                options.command = args.by_ref().collect();
            }
            other => return Err(format!("unknown option {other}; see the file's header").into()),
        }
    }
    if options.command.is_empty() {
        return Err("give the function's command after `--`".into());
    }
    Ok(options)
}

/// A line of `/proc/self/status`, in KiB.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}

fn mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Open file descriptors of this process.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |dir| dir.count())
}

struct Caller {
    sender: http1::SendRequest<Full<Bytes>>,
}

impl Caller {
    async fn connect(address: SocketAddr) -> Result<Caller, Failure> {
        let stream = TcpStream::connect(address).await?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(Caller { sender })
    }

    async fn invoke(&mut self, event: Bytes) -> Result<(StatusCode, Bytes), Failure> {
        let request = Request::builder()
            .method(Method::POST)
            .uri(INVOKE)
            .header("host", "localhost")
            .body(Full::new(event))?;
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        Ok((status, response.into_body().collect().await?.to_bytes()))
    }
}

async fn bounded<T>(
    what: &str,
    limit: Duration,
    work: impl std::future::Future<Output = T>,
) -> Result<T, Failure> {
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| format!("{what} took longer than {limit:?}").into())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let options = parse()?;
    let mut config = FunctionConfig::new(&options.command[0], options.command[1..].iter());
    config.echo = Echo::Off;
    config.timeout = Duration::from_secs(30);
    let environment = Arc::new(Environment::start(config).await?);
    let door = FrontDoor::start(Arc::clone(&environment), "127.0.0.1:0".parse()?).await?;
    let address = door.address();
    let mut events = environment.platform_events();
    // Platform events are counted as they come, like `serve` prints them.
    let reports = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counted = Arc::clone(&reports);
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if let PlatformEvent::Report { .. } = event {
                counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    });

    // 1. Memory over many invokes of one event size.
    let payload = format!(
        r#"{{"data":"{}"}}"#,
        "x".repeat(options.event_bytes.saturating_sub(11))
    );
    let event = Bytes::from(payload);
    let mut caller = Caller::connect(address).await?;
    let began = Instant::now();
    println!(
        "## memory: {} invokes of {} B events",
        options.invokes,
        event.len()
    );
    println!("| invokes | RSS MiB | peak RSS MiB | fds | invokes/s |");
    println!("|---:|---:|---:|---:|---:|");
    let step = (options.invokes / 10).max(1);
    let mut window = Instant::now();
    for n in 1..=options.invokes {
        let (status, body) = bounded(
            "an invoke",
            Duration::from_secs(60),
            caller.invoke(event.clone()),
        )
        .await??;
        if status != StatusCode::OK || body.len() != event.len() {
            return Err(format!("invoke {n}: {status}, {} bytes back", body.len()).into());
        }
        if n % step == 0 || n == options.invokes {
            let rate = step as f64 / window.elapsed().as_secs_f64();
            window = Instant::now();
            println!(
                "| {n} | {:.1} | {:.1} | {} | {rate:.0} |",
                mib(status_kb("VmRSS:")),
                mib(status_kb("VmHWM:")),
                open_fds()
            );
        }
    }
    println!("({:.1} s)\n", began.elapsed().as_secs_f64());
    drop(caller);

    // 2. Half-open connections: opened, a partial request head sent, then silence.
    println!("## half-open connections: {}", options.half_open);
    let fds_before = open_fds();
    let mut held = Vec::with_capacity(options.half_open);
    let mut refused = 0;
    for _ in 0..options.half_open {
        let mut stream = TcpStream::connect(address).await?;
        stream
            .write_all(b"POST /2015-03-31/functions/function/invocations HTTP/1.1\r\nhost")
            .await?;
        held.push(stream);
    }
    // Connections over the cap are answered 503 and closed at once.
    for stream in &mut held {
        let mut byte = [0u8; 12];
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(5), stream.read(&mut byte)).await
        {
            if n > 0 && byte.starts_with(b"HTTP/1.1 503") {
                refused += 1;
            }
        }
    }
    let while_held = Instant::now();
    let normal = Caller::connect(address).await?.invoke(event.clone()).await;
    let normal = match normal {
        Ok((status, _)) => format!("{status}"),
        Err(error) => format!("failed: {error}"),
    };
    println!(
        "over the cap and refused with 503: {refused}; a normal invoke meanwhile: {normal} after {:.1} ms",
        while_held.elapsed().as_secs_f64() * 1000.0
    );
    let closing = Instant::now();
    let mut closed = 0;
    bounded(
        "closing the half-open connections",
        Duration::from_secs(180),
        async {
            for stream in &mut held {
                let mut rest = Vec::new();
                let _ = stream.read_to_end(&mut rest).await;
                closed += 1;
            }
        },
    )
    .await?;
    println!(
        "all {closed} closed by the emulator within {:.1} s; fds before {fds_before}, with them open {}",
        closing.elapsed().as_secs_f64(),
        fds_before + options.half_open * 2
    );
    drop(held);
    let (status, _) = Caller::connect(address)
        .await?
        .invoke(event.clone())
        .await?;
    println!("a normal invoke afterwards: {status}\n");

    // 3. Callers that hang up before their answer.
    println!("## callers hanging up: {}", options.abandoned);
    let before = reports.load(std::sync::atomic::Ordering::Relaxed);
    let small = r#"{"abandoned":true}"#;
    for _ in 0..options.abandoned {
        let mut stream = TcpStream::connect(address).await?;
        let request = format!(
            "POST {INVOKE} HTTP/1.1\r\nhost: localhost\r\ncontent-length: {}\r\n\r\n{small}",
            small.len()
        );
        stream.write_all(request.as_bytes()).await?;
        drop(stream);
    }
    let ran = bounded("the abandoned invokes", Duration::from_secs(120), async {
        loop {
            let ran = reports.load(std::sync::atomic::Ordering::Relaxed) - before;
            if ran >= options.abandoned as u64 {
                return ran;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    match ran {
        Ok(ran) => println!(
            "{ran} of {} ran to their end (REPORT emitted)",
            options.abandoned
        ),
        Err(_) => println!(
            "only {} of {} ran within 120 s",
            reports.load(std::sync::atomic::Ordering::Relaxed) - before,
            options.abandoned
        ),
    }
    door.shutdown().await;
    if let Ok(environment) = Arc::try_unwrap(environment) {
        environment.shutdown().await;
    }
    Ok(())
}
