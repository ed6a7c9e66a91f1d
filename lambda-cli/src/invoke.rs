//! `lambda-rs invoke`: run the function once in the emulator and print what the caller sees.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use bytes::Bytes;
use lambda_emulator::{Environment, Invocation, Outcome};

use crate::cli::InvokeArgs;
use crate::USAGE_ERROR;

/// Runs `lambda-rs invoke`: 0 on success, 1 on a function error, crash or timeout, 2 on a usage
/// error.
pub(crate) async fn run(args: InvokeArgs) -> ExitCode {
    let payload = match read_event(args.event, args.event_file) {
        Ok(payload) => payload,
        Err(message) => {
            eprintln!("lambda-rs: {message}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let config = match args.function.into_config() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("lambda-rs: {error}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let environment = match Environment::start(config).await {
        Ok(environment) => environment,
        Err(error) => {
            eprintln!("lambda-rs: cannot start the Runtime API on 127.0.0.1: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = environment.invoke(Invocation::new(payload)).await;
    environment.shutdown().await;
    print_outcome(&outcome)
}

/// Prints the caller's view of `outcome` to stdout (one line) and a summary of a failure to
/// stderr; returns the exit code.
pub(crate) fn print_outcome(outcome: &Outcome) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&outcome.caller_body());
    let _ = stdout.write_all(b"\n");
    let _ = stdout.flush();
    match outcome {
        Outcome::Response(_) => ExitCode::SUCCESS,
        Outcome::Error(report) => {
            eprintln!(
                "lambda-rs: the function failed with {} ({})",
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
                "lambda-rs: the function timed out after {:.2} seconds (raise it with --timeout)",
                after.as_secs_f64()
            );
            ExitCode::FAILURE
        }
    }
}

fn read_event(inline: Option<String>, file: Option<PathBuf>) -> Result<Bytes, String> {
    match (inline, file) {
        (Some(text), _) => Ok(Bytes::from(text)),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut buffer = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buffer)
                .map_err(|error| format!("cannot read the event from stdin: {error}"))?;
            Ok(Bytes::from(buffer))
        }
        (None, Some(path)) => std::fs::read(&path)
            .map(Bytes::from)
            .map_err(|error| format!("cannot read the event file {}: {error}", path.display())),
        (None, None) => Ok(Bytes::from_static(b"{}")),
    }
}
