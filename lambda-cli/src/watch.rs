//! `lambda-rs watch`: build the function, run it under the emulator, and on every source change
//! rebuild it and restart it. The invoke endpoint and the HTTP front stay up across restarts; a
//! failed build is shown and the previous build keeps serving.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use cargo_metadata::{Message, TargetKind};
use lambda_emulator::{Environment, FunctionConfig};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};
use tokio::sync::mpsc;

use crate::cli::WatchArgs;
use crate::serve::{self, stop, wait_for_stop_signal};
use crate::USAGE_ERROR;

/// How long the file system must be quiet before a rebuild (an editor's save is several events).
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The package being watched, and how to build it.
#[derive(Debug)]
struct Package {
    /// The package's directory (its `src/` and `Cargo.toml` are watched).
    dir: PathBuf,
    /// `cargo build` arguments selecting the package and its binary.
    build_args: Vec<OsString>,
    /// The binary's name.
    bin: String,
}

/// Runs `lambda-rs watch` until Ctrl-C or SIGTERM.
pub(crate) async fn run(args: WatchArgs) -> ExitCode {
    let package = match locate(&args).await {
        Ok(package) => package,
        Err(message) => {
            eprintln!("lambda-rs: {message}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    // The emulator runs a copy of the binary, replaced only by a successful build: a rebuild in
    // progress (or a failed one) never leaves it without a program to start.
    let staged = match staging_path(&package) {
        Ok(path) => path,
        Err(message) => {
            eprintln!("lambda-rs: {message}");
            return ExitCode::FAILURE;
        }
    };
    match build(&package).await {
        Ok(built) => {
            if let Err(message) = stage(&built.executable, &staged) {
                eprintln!("lambda-rs: {message}");
                return ExitCode::FAILURE;
            }
        }
        Err(message) => {
            eprintln!("lambda-rs: {message}; fix it and run watch again");
            return ExitCode::FAILURE;
        }
    }
    let config = match args
        .settings
        .into_config(FunctionConfig::new(&staged, Vec::<OsString>::new()))
    {
        Ok(config) => config,
        Err(error) => {
            eprintln!("lambda-rs: {error}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let (environment, endpoints) = match serve::start(config, args.port, &args.http).await {
        Ok(started) => started,
        Err(code) => return code,
    };
    let (changes, mut changed) = mpsc::unbounded_channel();
    let debouncer = new_debouncer(DEBOUNCE, move |result: DebounceEventResult| {
        let _ = changes.send(result);
    });
    let mut debouncer = match debouncer {
        Ok(debouncer) => debouncer,
        Err(error) => {
            eprintln!("lambda-rs: cannot watch the file system: {error}");
            return ExitCode::FAILURE;
        }
    };
    for (path, mode) in watched(&package.dir) {
        if let Err(error) = debouncer.watcher().watch(&path, mode) {
            eprintln!("lambda-rs: cannot watch {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!(
        "lambda-rs: watching {} for changes",
        package.dir.join("src").display()
    );
    let stop_signal = wait_for_stop_signal();
    tokio::pin!(stop_signal);
    loop {
        tokio::select! {
            _ = &mut stop_signal => break,
            change = changed.recv() => {
                let Some(change) = change else { break };
                if let Err(error) = change {
                    eprintln!("lambda-rs: file watch error: {error}");
                    continue;
                }
                rebuild(&package, &staged, &environment).await;
                // Changes made while building were built too.
                while changed.try_recv().is_ok() {}
            }
        }
    }
    eprintln!("lambda-rs: shutting down");
    drop(debouncer);
    endpoints.shutdown().await;
    stop(environment).await;
    if let Some(dir) = staged.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    ExitCode::SUCCESS
}

/// Rebuilds; on success swaps the staged binary and restarts the function.
async fn rebuild(package: &Package, staged: &Path, environment: &Environment) {
    eprintln!("lambda-rs: change detected, rebuilding {}", package.bin);
    match build(package).await {
        // Nothing was recompiled: the running build is current.
        Ok(Built { fresh: true, .. }) => eprintln!("lambda-rs: up to date"),
        Ok(built) => match stage(&built.executable, staged) {
            Ok(()) => {
                environment.reload().await;
                eprintln!("lambda-rs: rebuilt; the next invocation runs the new build");
            }
            Err(message) => eprintln!("lambda-rs: {message}; still serving the previous build"),
        },
        Err(message) => eprintln!("lambda-rs: {message}; still serving the previous build"),
    }
}

/// What to watch in the package directory: `src/` (recursively), `Cargo.toml`, `build.rs`.
fn watched(dir: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    let mut paths = vec![(dir.join("src"), RecursiveMode::Recursive)];
    for file in ["Cargo.toml", "build.rs"] {
        let path = dir.join(file);
        if path.exists() {
            paths.push((path, RecursiveMode::NonRecursive));
        }
    }
    paths
}

fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Finds the package and binary to watch (as `build` does: `cargo metadata`).
async fn locate(args: &WatchArgs) -> Result<Package, String> {
    let (package, bin, manifest_path) = (
        args.package.clone(),
        args.bin.clone(),
        args.manifest_path.clone(),
    );
    let located = tokio::task::spawn_blocking(move || {
        crate::build::locate(crate::build::Wanted {
            package: package.as_deref(),
            bin: bin.as_deref(),
            manifest_path: manifest_path.as_deref(),
        })
    })
    .await
    .map_err(|error| format!("cannot read the cargo workspace: {error}"))?;
    let (_, selection) = located.map_err(|error| error.to_string())?;
    let mut build_args: Vec<OsString> = vec!["build".into()];
    if let Some(manifest) = &args.manifest_path {
        build_args.push("--manifest-path".into());
        build_args.push(manifest.clone().into());
    }
    build_args.extend([
        "-p".into(),
        selection.package.clone().into(),
        "--bin".into(),
        selection.bin.clone().into(),
    ]);
    if args.release {
        build_args.push("--release".into());
    }
    build_args.extend(args.cargo_args.iter().cloned());
    Ok(Package {
        dir: selection.dir,
        build_args,
        bin: selection.bin,
    })
}

/// A successful build.
#[derive(Debug)]
struct Built {
    executable: PathBuf,
    /// Nothing was recompiled.
    fresh: bool,
}

/// Runs `cargo build`, showing its diagnostics on stderr; a message when the build failed.
async fn build(package: &Package) -> Result<Built, String> {
    let args = package.build_args.clone();
    let bin = package.bin.clone();
    tokio::task::spawn_blocking(move || build_blocking(&args, &bin))
        .await
        .map_err(|error| format!("the build did not finish: {error}"))?
}

fn build_blocking(args: &[OsString], bin: &str) -> Result<Built, String> {
    let mut child = std::process::Command::new(cargo())
        .args(args)
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let mut built = None;
    if let Some(stdout) = child.stdout.take() {
        for message in Message::parse_stream(std::io::BufReader::new(stdout)).flatten() {
            if let Message::CompilerArtifact(artifact) = message {
                if artifact.target.name == bin && artifact.target.kind.contains(&TargetKind::Bin) {
                    if let Some(executable) = artifact.executable {
                        built = Some(Built {
                            executable: executable.into_std_path_buf(),
                            fresh: artifact.fresh,
                        });
                    }
                }
            }
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("cargo did not finish: {error}"))?;
    if !status.success() {
        return Err("the build failed (errors above)".into());
    }
    built.ok_or_else(|| format!("cargo built no executable for `{bin}`"))
}

/// Where the emulator's copy of the binary lives: a directory of this process under the
/// system's temporary directory (removed at exit).
fn staging_path(package: &Package) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("lambda-rs-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    Ok(dir.join(&package.bin))
}

/// Copies `executable` over `staged` atomically (a copy, then a rename), keeping its mode.
fn stage(executable: &Path, staged: &Path) -> Result<(), String> {
    let partial = staged.with_extension("partial");
    std::fs::copy(executable, &partial)
        .and_then(|_| std::fs::rename(&partial, staged))
        .map_err(|error| {
            format!(
                "cannot copy {} to {}: {error}",
                executable.display(),
                staged.display()
            )
        })
}
