//! `lambda-rs watch`: rebuild on change and restart the function under the emulator.

use std::process::ExitCode;

use crate::cli::WatchArgs;

/// Runs `lambda-rs watch` (not yet implemented).
pub(crate) fn run(_args: WatchArgs) -> ExitCode {
    eprintln!(
        "lambda-rs: watch is not yet implemented; use `lambda-rs build` and `lambda-rs serve`"
    );
    ExitCode::FAILURE
}
