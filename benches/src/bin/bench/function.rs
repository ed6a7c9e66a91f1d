//! The function binaries: building, locating and spawning them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Builds the function binaries: the official ones with the `official` feature, ours and the
/// raw loop without it.
pub(crate) fn build() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(["build", "--release", "-p", "benches", "--bins"]);
    if cfg!(feature = "official") {
        command.args(["--features", "official"]);
    }
    eprintln!("bench: building the function binaries ({command:?})");
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo to build the function binaries: {e}"))?;
    if !status.success() {
        return Err(format!("building the function binaries failed ({status})"));
    }
    // Ours and the raw loop again, without the `official` feature: built with it, cargo unifies
    // the official crates' features of tokio, hyper and http into them too (~64 KB of code that
    // they do not use). Each binary is measured as a user would build it.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "benches"])
        .args([
            "--bin",
            "ours-echo",
            "--bin",
            "ours-hello",
            "--bin",
            "raw-echo",
            "--bin",
            "ours-echo-concurrent",
            "--bin",
            "ours-stream",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo to build the function binaries: {e}"))?;
    if !status.success() {
        return Err(format!("building the function binaries failed ({status})"));
    }
    // Ours with the OpenTelemetry layer, in a build of its own for the same reason.
    let status = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "-p",
            "benches",
            "--bin",
            "ours-otel-echo",
        ])
        .args(["--features", "opentelemetry"])
        .status()
        .map_err(|e| format!("cannot run cargo to build the function binaries: {e}"))?;
    if !status.success() {
        return Err(format!("building ours-otel-echo failed ({status})"));
    }
    // Ours with the HTTP adapter (axum), in a build of its own for the same reason.
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "benches", "--bin", "ours-http"])
        .args(["--features", "http"])
        .status()
        .map_err(|e| format!("cannot run cargo to build the function binaries: {e}"))?;
    if !status.success() {
        return Err(format!("building ours-http failed ({status})"));
    }
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "lambda-cli", "--bins"])
        .status()
        .map_err(|e| format!("cannot run cargo to build lambda-rs: {e}"))?;
    if !status.success() {
        return Err(format!("building lambda-rs (lambda-cli) failed ({status})"));
    }
    Ok(())
}

/// One function binary.
#[derive(Debug, Clone)]
pub(crate) struct Function {
    pub(crate) name: &'static str,
    pub(crate) path: PathBuf,
}

impl Function {
    /// Size of the binary file in bytes.
    pub(crate) fn size(&self) -> Option<u64> {
        std::fs::metadata(&self.path).ok().map(|m| m.len())
    }
}

/// The function binaries found next to this driver.
#[derive(Debug, Clone)]
pub(crate) struct Functions {
    pub(crate) raw_echo: Function,
    pub(crate) ours_echo: Function,
    pub(crate) ours_hello: Function,
    /// `ours-echo` with the OpenTelemetry layer (built by the driver; absent with --no-build
    /// unless built before).
    pub(crate) ours_otel_echo: Option<Function>,
    /// The axum `hello` app on our HTTP adapter (built by the driver with the `http` feature).
    pub(crate) ours_http: Option<Function>,
    /// The same axum app on `lambda_http` from crates.io.
    pub(crate) official_http: Option<Function>,
    pub(crate) official_echo: Option<Function>,
    pub(crate) official_hello: Option<Function>,
    /// `--function LABEL=PATH` binaries (echo functions).
    pub(crate) extra: Vec<Function>,
    /// The multi-concurrency and streaming functions of the soak.
    pub(crate) ours_echo_concurrent: Option<Function>,
    pub(crate) ours_stream: Option<Function>,
}

impl Functions {
    pub(crate) fn locate(extra: &[(String, PathBuf)]) -> Result<Functions, String> {
        let exe =
            std::env::current_exe().map_err(|e| format!("cannot locate this program: {e}"))?;
        let dir = exe.parent().unwrap_or(Path::new("."));
        let find = |name: &'static str| {
            let path = dir.join(name);
            path.is_file().then_some(Function { name, path })
        };
        let required = |name: &'static str| {
            find(name).ok_or(format!(
                "{name} is not built next to {}: run `cargo build --release -p benches --bins` (or drop --no-build)",
                exe.display()
            ))
        };
        let official = |name| {
            if cfg!(feature = "official") {
                find(name)
            } else {
                None
            }
        };
        Ok(Functions {
            raw_echo: required("raw-echo")?,
            ours_echo: required("ours-echo")?,
            ours_hello: required("ours-hello")?,
            ours_otel_echo: find("ours-otel-echo"),
            ours_http: find("ours-http"),
            official_http: official("official-http"),
            official_echo: official("official-echo"),
            official_hello: official("official-hello"),
            extra: extra
                .iter()
                .map(|(label, path)| {
                    if path.is_file() {
                        // Labels live as long as the run: leaking a few bytes keeps names &'static.
                        let name: &'static str = Box::leak(label.clone().into_boxed_str());
                        Ok(Function {
                            name,
                            path: path.clone(),
                        })
                    } else {
                        Err(format!("--function {label}: no file at {}", path.display()))
                    }
                })
                .collect::<Result<_, _>>()?,
            ours_echo_concurrent: find("ours-echo-concurrent"),
            ours_stream: find("ours-stream"),
        })
    }

    /// The `echo` functions of the invocation-loop benchmark.
    pub(crate) fn echoes(&self) -> Vec<Function> {
        let mut all = vec![self.raw_echo.clone(), self.ours_echo.clone()];
        all.extend(self.ours_otel_echo.clone());
        all.extend(self.official_echo.clone());
        all.extend(self.extra.iter().cloned());
        all
    }

    /// The functions of the cold-start benchmark.
    pub(crate) fn cold(&self) -> Vec<Function> {
        let mut all = vec![self.raw_echo.clone(), self.ours_hello.clone()];
        all.extend(self.official_hello.clone());
        all.extend(self.extra.iter().cloned());
        all
    }
}

/// A command for `program` with the environment Lambda gives a function, and nothing else.
pub(crate) fn lambda_command(program: &Path, api: SocketAddr) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("AWS_LAMBDA_RUNTIME_API", api.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench")
        .env(
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "2026/01/01/[$LATEST]0123456789abcdef",
        )
        .env("AWS_REGION", "us-east-1")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("LAMBDA_TASK_ROOT", "/var/task")
        .env("_HANDLER", "bootstrap")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Spawns `function` against the API at `api`.
pub(crate) fn spawn(function: &Function, api: SocketAddr) -> Result<Child, String> {
    lambda_command(&function.path, api)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", function.path.display()))
}

/// Kills and reaps a child this driver started.
pub(crate) fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}
