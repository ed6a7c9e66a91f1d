//! `lambda-rs serve`: keep the function running in the emulator behind the invoke endpoint.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use lambda_emulator::{Environment, FrontDoor};

use crate::cli::ServeArgs;
use crate::USAGE_ERROR;

/// Runs `lambda-rs serve` until Ctrl-C or SIGTERM.
pub(crate) async fn run(args: ServeArgs) -> ExitCode {
    let config = match args.function.into_config() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("lambda-rs: {error}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let environment = match Environment::start(config).await {
        Ok(environment) => Arc::new(environment),
        Err(error) => {
            eprintln!("lambda-rs: cannot start the Runtime API on 127.0.0.1: {error}");
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
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let door = match FrontDoor::start(Arc::clone(&environment), address).await {
        Ok(door) => door,
        Err(error) => {
            eprintln!("lambda-rs: cannot listen on {address}: {error} (choose another --port)");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "lambda-rs: listening on http://{}/2015-03-31/functions/function/invocations",
        door.address()
    );
    wait_for_stop_signal().await;
    eprintln!("lambda-rs: shutting down");
    door.shutdown().await;
    match Arc::try_unwrap(environment) {
        Ok(environment) => environment.shutdown().await,
        // An Event invocation still holds the environment: dropping it kills the runtime.
        Err(environment) => drop(environment),
    }
    ExitCode::SUCCESS
}

/// Ctrl-C, or SIGTERM on Unix.
pub(crate) async fn wait_for_stop_signal() {
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
