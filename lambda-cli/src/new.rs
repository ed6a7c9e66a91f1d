//! `lambda-rs new`: write a crate from a template.

use std::process::ExitCode;

use crate::cli::NewArgs;

/// Runs `lambda-rs new` (not yet implemented).
pub(crate) fn run(_args: NewArgs) -> ExitCode {
    eprintln!("lambda-rs: new is not yet implemented");
    ExitCode::FAILURE
}
