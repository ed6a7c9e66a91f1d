//! `lambda-rs`: the command line for functions and extensions written with lambda-runtime:
//! create (`new`), build and package (`build`), run locally (`invoke`, `serve`, `watch`).
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

mod build;
mod cli;
#[cfg(test)]
mod doc_commands;
mod invoke;
mod listen;
mod new;
mod remote;
mod samples;
mod serve;
mod watch;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::New(args) => new::run(args),
        Command::Build(args) => build::run(args),
        Command::Invoke(args) => block_on(invoke::run(args)),
        Command::Serve(args) => block_on(serve::run(args)),
        Command::Watch(args) => block_on(watch::run(args)),
    }
}

/// Runs `future` on a small multi-threaded tokio runtime (the emulator's servers and the
/// function's output readers run beside the command's own work).
pub(crate) fn block_on(future: impl std::future::Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(future),
        Err(error) => {
            eprintln!("lambda-rs: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The exit code of a usage error (as clap's own).
pub(crate) const USAGE_ERROR: u8 = 2;
