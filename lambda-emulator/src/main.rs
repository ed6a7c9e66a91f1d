//! The `lambda-emulator` command: run a Lambda function locally.
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

mod cli;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use bytes::Bytes;
use lambda_emulator::{Environment, FrontDoor, FunctionConfig, Invocation, Outcome};

use cli::{Command, EventSource};

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let command = match cli::parse(args) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("lambda-emulator: {error}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            print!("{}", cli::USAGE);
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("lambda-emulator {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Invoke { config, event } => run(invoke(config, event)),
        Command::Serve { config, port } => run(serve(config, port)),
    }
}

fn run(future: impl std::future::Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(future),
        Err(error) => {
            eprintln!("lambda-emulator: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

fn read_event(source: Option<EventSource>) -> Result<Bytes, String> {
    match source {
        None => Ok(Bytes::from_static(b"{}")),
        Some(EventSource::Inline(text)) => Ok(Bytes::from(text)),
        Some(EventSource::File(path)) if path.as_os_str() == "-" => {
            let mut buffer = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buffer)
                .map_err(|error| format!("cannot read the event from stdin: {error}"))?;
            Ok(Bytes::from(buffer))
        }
        Some(EventSource::File(path)) => std::fs::read(&path)
            .map(Bytes::from)
            .map_err(|error| format!("cannot read the event file {}: {error}", path.display())),
    }
}

async fn invoke(config: FunctionConfig, event: Option<EventSource>) -> ExitCode {
    let payload = match read_event(event) {
        Ok(payload) => payload,
        Err(message) => {
            eprintln!("lambda-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    let environment = match Environment::start(config).await {
        Ok(environment) => environment,
        Err(error) => {
            eprintln!("lambda-emulator: cannot start the Runtime API on 127.0.0.1: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = environment.invoke(Invocation::new(payload)).await;
    environment.shutdown().await;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&outcome.caller_body());
    let _ = stdout.write_all(b"\n");
    let _ = stdout.flush();
    match outcome {
        Outcome::Response(_) => ExitCode::SUCCESS,
        Outcome::Error(report) => {
            eprintln!(
                "lambda-emulator: the function failed with {} ({})",
                report
                    .error_type()
                    .or(report.error_type_header.clone())
                    .unwrap_or_else(|| "an error".to_string()),
                report.error_message().unwrap_or_default()
            );
            ExitCode::FAILURE
        }
        Outcome::Timeout { after, .. } => {
            eprintln!(
                "lambda-emulator: the function timed out after {:.2} seconds (raise it with --timeout)",
                after.as_secs_f64()
            );
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: FunctionConfig, port: u16) -> ExitCode {
    let environment = match Environment::start(config).await {
        Ok(environment) => Arc::new(environment),
        Err(error) => {
            eprintln!("lambda-emulator: cannot start the Runtime API on 127.0.0.1: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut events = environment.platform_events();
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if let Some(line) = event.cloudwatch_line() {
                eprintln!("{line}");
            }
        }
    });
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let door = match FrontDoor::start(Arc::clone(&environment), address).await {
        Ok(door) => door,
        Err(error) => {
            eprintln!(
                "lambda-emulator: cannot listen on {address}: {error} (choose another --port)"
            );
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "lambda-emulator: listening on http://{}/2015-03-31/functions/function/invocations",
        door.address()
    );
    wait_for_stop_signal().await;
    eprintln!("lambda-emulator: shutting down");
    door.shutdown().await;
    match Arc::try_unwrap(environment) {
        Ok(environment) => environment.shutdown().await,
        // An Event invocation still holds the environment: dropping it kills the runtime.
        Err(environment) => drop(environment),
    }
    ExitCode::SUCCESS
}

/// Ctrl-C, or SIGTERM on Unix.
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
