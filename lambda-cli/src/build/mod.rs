//! `lambda-rs build`: a `bootstrap` (or extension) for provided.al2 / provided.al2023.

use std::process::ExitCode;

use crate::cli::BuildArgs;

/// Runs `lambda-rs build` (not yet implemented).
pub(crate) fn run(_args: BuildArgs) -> ExitCode {
    eprintln!("lambda-rs: build is not yet implemented");
    ExitCode::FAILURE
}
