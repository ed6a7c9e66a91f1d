//! `lambda-rs watch`: build the function, run it under the emulator, and on every source change
//! rebuild it and restart it. The invoke endpoint and the HTTP front stay up across restarts; a
//! failed build is shown and the previous build keeps serving.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::time::Duration;

use lambda_emulator::{Environment, FunctionConfig};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;

use crate::cli::WatchArgs;
use crate::serve::{print_platform_lines, stop, wait_for_stop_signal, Endpoints};
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
    let environment = match Environment::start(config).await {
        Ok(environment) => Arc::new(environment),
        Err(error) => {
            eprintln!("lambda-rs: cannot start the Runtime API on 127.0.0.1: {error}");
            return ExitCode::FAILURE;
        }
    };
    print_platform_lines(&environment);
    let endpoints = match Endpoints::start(&environment, args.port, &args.http).await {
        Ok(endpoints) => endpoints,
        Err(message) => {
            eprintln!("lambda-rs: {message}");
            return ExitCode::FAILURE;
        }
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

/// Finds the package and binary to watch with `cargo metadata`.
async fn locate(args: &WatchArgs) -> Result<Package, String> {
    let mut command = tokio::process::Command::new(cargo());
    command.args(["metadata", "--no-deps", "--format-version", "1"]);
    if let Some(manifest) = &args.manifest_path {
        command.arg("--manifest-path").arg(manifest);
    }
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .await
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err("cargo metadata failed (see above): is this a cargo package?".into());
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("cannot read cargo metadata: {error}"))?;
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let current_dir = std::env::current_dir().unwrap_or_default();
    let manifest_dir = |package: &Value| {
        PathBuf::from(package["manifest_path"].as_str().unwrap_or_default())
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let package = match &args.package {
        Some(name) => packages
            .iter()
            .find(|package| package["name"] == name.as_str())
            .ok_or_else(|| format!("no package `{name}` in this workspace"))?,
        None => {
            let explicit = args.manifest_path.as_ref().and_then(|path| {
                let path = path.canonicalize().ok()?;
                packages.iter().find(|package| {
                    package["manifest_path"].as_str().map(PathBuf::from) == Some(path.clone())
                })
            });
            // The package whose directory holds the current directory (the deepest one).
            let here = packages
                .iter()
                .filter(|package| current_dir.starts_with(manifest_dir(package)))
                .max_by_key(|package| manifest_dir(package).components().count());
            explicit.or(here).ok_or(
                "no package here: run watch in the function's directory, or pass -p or --manifest-path",
            )?
        }
    };
    let name = package["name"].as_str().unwrap_or_default().to_owned();
    let bins: Vec<String> = package["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|target| {
            target["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"))
        })
        .filter_map(|target| target["name"].as_str().map(str::to_owned))
        .collect();
    let bin = match (&args.bin, bins.as_slice()) {
        (Some(bin), _) if bins.contains(bin) => bin.clone(),
        (Some(bin), _) => {
            return Err(format!(
                "package `{name}` has no binary `{bin}` (it has: {})",
                bins.join(", ")
            ))
        }
        (None, [only]) => only.clone(),
        (None, []) => return Err(format!("package `{name}` has no binary to run")),
        (None, several) => {
            return Err(format!(
                "package `{name}` has several binaries: choose one with --bin ({})",
                several.join(", ")
            ))
        }
    };
    let mut build_args: Vec<OsString> = vec!["build".into()];
    if let Some(manifest) = &args.manifest_path {
        build_args.push("--manifest-path".into());
        build_args.push(manifest.clone().into());
    }
    build_args.extend([
        "-p".into(),
        name.clone().into(),
        "--bin".into(),
        bin.clone().into(),
    ]);
    if args.release {
        build_args.push("--release".into());
    }
    build_args.extend(args.cargo_args.iter().cloned());
    Ok(Package {
        dir: manifest_dir(package),
        build_args,
        bin,
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
    let mut child = tokio::process::Command::new(cargo())
        .args(&package.build_args)
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let mut executable = None;
    if let Some(stdout) = child.stdout.take() {
        let mut lines = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let Ok(message) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if message["reason"] == "compiler-artifact" && message["target"]["name"] == *package.bin
            {
                if let Some(path) = message["executable"].as_str() {
                    executable = Some((PathBuf::from(path), message["fresh"] == true));
                }
            }
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|error| format!("cargo did not finish: {error}"))?;
    if !status.success() {
        return Err("the build failed (errors above)".into());
    }
    match executable {
        Some((executable, fresh)) => Ok(Built { executable, fresh }),
        None => Err(format!("cargo built no executable for `{}`", package.bin)),
    }
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
