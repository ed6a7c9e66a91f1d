//! The Init phase: extension init (start and register every extension), runtime init and
//! function init (until the runtime and every extension call `next`), with the init limit.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::watch;
use tokio::time::Instant;

use super::outcomes::{exit_error, extension_crash, timed_out};
use super::{Core, Current, Generation};
use crate::extensions_api::ShutdownReason;
use crate::extensions_api::{ExtensionError, ExtensionErrorKind};
use crate::function_config::FunctionConfig;
use crate::invocation::{ErrorReport, Outcome};
use crate::logs::LogSource;
use crate::platform::{PhaseStatus, PlatformEvent};
use crate::process::{ExitInfo, RunningProcess};

/// Why an Init phase failed.
#[derive(Debug)]
pub(super) enum InitFailure {
    /// The command could not be started.
    Spawn(std::io::Error),
    /// The runtime POSTed `/runtime/init/error`.
    Reported(ErrorReport),
    /// The runtime exited before its first `next`.
    Exited(ExitInfo),
    /// No `next` within the limit.
    TimedOut,
    /// An extension could not be started.
    ExtensionSpawn(String, std::io::Error),
    /// An extension exited during Init.
    ExtensionExited(String, ExitInfo),
    /// An extension reported an init (or exit) error.
    ExtensionReported(ExtensionError),
}

impl InitFailure {
    /// The error type INIT_REPORT names (`None` for a timeout, whose status says it).
    fn error_type(&self) -> Option<String> {
        Some(match self {
            InitFailure::Spawn(_) => "Runtime.InvalidEntrypoint".to_string(),
            InitFailure::Reported(report) => report
                .error_type_header
                .clone()
                .or_else(|| report.error_type())
                .unwrap_or_else(|| "Runtime.Unknown".to_string()),
            InitFailure::Exited(_) => "Runtime.ExitError".to_string(),
            InitFailure::TimedOut => return None,
            InitFailure::ExtensionSpawn(..) => "Extension.LaunchError".to_string(),
            InitFailure::ExtensionExited(..) => "Extension.Crash".to_string(),
            InitFailure::ExtensionReported(error) => match error.kind {
                ExtensionErrorKind::Init => "Extension.InitError".to_string(),
                ExtensionErrorKind::Exit => "Extension.ExitError".to_string(),
            },
        })
    }
}

impl Core {
    /// The running, initialised generation, starting one if there is none.
    pub(super) async fn ready(
        &self,
        request_id: &str,
        timeout: Duration,
    ) -> Result<Arc<Generation>, Outcome> {
        let mut current = self.runtime.lock().await;
        if let Some(running) = current.take() {
            if !running.generation.broken() {
                let generation = Arc::clone(&running.generation);
                *current = Some(running);
                return Ok(generation);
            }
            self.stop_generation(&running.generation, ShutdownReason::Failure)
                .await;
        }
        // Past the init limit Lambda retries Init once, within the invocation's timeout.
        let result = match self.init_once(self.config.init_timeout).await {
            Err(InitFailure::TimedOut) => self.init_once(timeout).await,
            other => other,
        };
        match result {
            Ok((generation, init_duration)) => {
                *current = Some(Current {
                    generation: Arc::clone(&generation),
                    unreported_init: Some(init_duration),
                });
                Ok(generation)
            }
            Err(failure) => Err(init_outcome(&self.config, request_id, timeout, failure)),
        }
    }

    async fn init_once(&self, limit: Duration) -> Result<(Arc<Generation>, Duration), InitFailure> {
        let began = Instant::now();
        let deadline = began + limit;
        self.api.clear_init_error();
        let queue = self.api.queue();
        // Like Lambda, no invocation reaches the runtime before Init is complete.
        queue.set_pause_on_hand_out(false);
        queue.pause();
        let extensions = self.api.extensions();
        let executables = match &self.config.extensions_dir {
            Some(dir) => list_executables(dir),
            None => Vec::new(),
        };
        extensions.begin_init(executables.iter().map(|(name, _)| name.clone()).collect());
        self.api.telemetry().begin_init();
        let env = self.config.reserved_variables(self.api.address());
        self.events.emit(PlatformEvent::InitStart {
            time: SystemTime::now(),
        });

        // Extension init: start every extension and wait for all of them to register.
        let (exit_tx, extension_exit) = watch::channel(None);
        let exit_tx = Arc::new(exit_tx);
        let mut spawned = Vec::new();
        let mut failure = None;
        for (name, path) in executables {
            match RunningProcess::spawn(
                &path.into_os_string(),
                &[],
                &env,
                Arc::clone(&self.logs),
                LogSource::Extension(name.clone()),
            ) {
                Ok(process) => {
                    let process = Arc::new(process);
                    let watcher = Arc::clone(&process);
                    let exits = Arc::clone(&exit_tx);
                    let watched_name = name.clone();
                    tokio::spawn(async move {
                        let exit = watcher.wait().await;
                        exits.send_if_modified(|first| {
                            first.is_none() && {
                                *first = Some((watched_name, exit));
                                true
                            }
                        });
                    });
                    spawned.push((name, process));
                }
                Err(error) => {
                    failure = Some(InitFailure::ExtensionSpawn(name, error));
                    break;
                }
            }
        }
        let extension_exited = |receiver: &watch::Receiver<Option<(String, ExitInfo)>>| {
            let mut receiver = receiver.clone();
            async move {
                let first = match receiver.wait_for(Option::is_some).await {
                    Ok(exit) => exit.clone(),
                    Err(_) => None,
                };
                match first {
                    Some(exit) => exit,
                    None => std::future::pending().await,
                }
            }
        };
        if failure.is_none() {
            failure = tokio::select! {
                biased;
                _ = extensions.wait_until(|inner| inner.externals_registered() || inner.first_error().is_some()) => {
                    extensions.with(|inner| inner.first_error().cloned()).map(InitFailure::ExtensionReported)
                }
                (name, exit) = extension_exited(&extension_exit) => Some(
                    // An extension that reported an error and then exited failed with that error.
                    extensions
                        .with(|inner| inner.first_error().cloned())
                        .map_or(InitFailure::ExtensionExited(name, exit), InitFailure::ExtensionReported),
                ),
                _ = tokio::time::sleep_until(deadline) => Some(InitFailure::TimedOut),
            };
        }

        // Runtime init and function init: until the runtime and every extension call next.
        let mut polls = self.api.polls();
        let polls_before = *polls.borrow_and_update();
        let mut runtime = None;
        if failure.is_none() {
            match RunningProcess::spawn(
                &self.config.program,
                &self.config.args,
                &env,
                Arc::clone(&self.logs),
                LogSource::Function,
            ) {
                Ok(process) => runtime = Some(Arc::new(process)),
                Err(error) => failure = Some(InitFailure::Spawn(error)),
            }
        }
        if let (None, Some(runtime)) = (&failure, &runtime) {
            let mut init_errors = self.api.init_error_receiver();
            let everyone_ready = async {
                let _ = polls.wait_for(|polls| *polls > polls_before).await;
                extensions
                    .wait_until(|inner| inner.all_waiting() || inner.first_error().is_some())
                    .await;
            };
            failure = tokio::select! {
                biased;
                report = init_errors.wait_for(Option::is_some) => match report {
                    Ok(report) => Some(InitFailure::Reported(report.clone().unwrap_or_else(unreachable_report))),
                    Err(_) => Some(InitFailure::TimedOut),
                },
                _ = everyone_ready => {
                    extensions.with(|inner| inner.first_error().cloned()).map(InitFailure::ExtensionReported)
                }
                _ = extensions.wait_until(|inner| inner.first_error().is_some()) => {
                    extensions.with(|inner| inner.first_error().cloned()).map(InitFailure::ExtensionReported)
                }
                exit = runtime.wait() => Some(InitFailure::Exited(exit)),
                (name, exit) = extension_exited(&extension_exit) => Some(
                    // An extension that reported an error and then exited failed with that error.
                    extensions
                        .with(|inner| inner.first_error().cloned())
                        .map_or(InitFailure::ExtensionExited(name, exit), InitFailure::ExtensionReported),
                ),
                _ = tokio::time::sleep_until(deadline) => Some(InitFailure::TimedOut),
            };
        }
        extensions.close_registration();
        self.api.telemetry().end_init();

        match (failure, runtime) {
            (None, Some(runtime)) => {
                for (name, events) in extensions.with(|inner| inner.registrations()) {
                    self.events.emit(PlatformEvent::Extension {
                        time: SystemTime::now(),
                        name,
                        state: "Ready".to_string(),
                        events,
                    });
                }
                self.init_done(PhaseStatus::Success, began, None);
                let single = self.config.max_concurrency <= 1;
                queue.set_pause_on_hand_out(single && extensions.has_invoke_subscribers());
                queue.resume();
                let generation = Generation {
                    runtime,
                    extensions: spawned,
                    extension_exit,
                    stopped: tokio::sync::OnceCell::new(),
                    retired: std::sync::OnceLock::new(),
                };
                Ok((Arc::new(generation), began.elapsed()))
            }
            (failure, runtime) => {
                let failure = failure.unwrap_or(InitFailure::TimedOut);
                let status = match failure {
                    InitFailure::TimedOut => PhaseStatus::Timeout,
                    _ => PhaseStatus::Error,
                };
                self.init_done(status, began, failure.error_type());
                queue.resume();
                if let Some(runtime) = runtime {
                    runtime.stop(Duration::ZERO).await;
                }
                for (_, extension) in spawned {
                    extension.stop(Duration::ZERO).await;
                }
                Err(failure)
            }
        }
    }

    fn init_done(&self, status: PhaseStatus, began: Instant, error_type: Option<String>) {
        self.events.emit(PlatformEvent::InitRuntimeDone {
            time: SystemTime::now(),
            status,
        });
        self.events.emit(PlatformEvent::InitReport {
            time: SystemTime::now(),
            status,
            duration: began.elapsed(),
            error_type,
        });
    }
}

/// Executable files in `dir`, sorted by name (Lambda starts extensions in name order).
fn list_executables(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|entry| is_executable(&entry.path()))
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .collect();
    found.sort();
    found
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

fn unreachable_report() -> ErrorReport {
    ErrorReport::environment(None, "Runtime.Unknown", "init error report missing")
}

fn init_outcome(
    config: &FunctionConfig,
    request_id: &str,
    timeout: Duration,
    failure: InitFailure,
) -> Outcome {
    match failure {
        InitFailure::Spawn(error) => Outcome::Error(ErrorReport::environment(
            Some(request_id),
            "Runtime.InvalidEntrypoint",
            &format!(
                "RequestId: {request_id} Error: fork/exec {}: {error}",
                config.program.to_string_lossy()
            ),
        )),
        InitFailure::Reported(mut report) => {
            report.request_id = Some(request_id.to_string());
            Outcome::Error(report)
        }
        InitFailure::Exited(exit) => exit_error(request_id, exit),
        InitFailure::TimedOut => timed_out(request_id, timeout),
        InitFailure::ExtensionSpawn(name, error) => Outcome::Error(ErrorReport::environment(
            Some(request_id),
            "Extension.LaunchError",
            &format!("RequestId: {request_id} Error: cannot start extension {name}: {error}"),
        )),
        InitFailure::ExtensionExited(name, exit) => extension_crash(request_id, &name, exit),
        InitFailure::ExtensionReported(error) => {
            let kind = match error.kind {
                ExtensionErrorKind::Init => "Extension.InitError",
                ExtensionErrorKind::Exit => "Extension.ExitError",
            };
            Outcome::Error(ErrorReport::environment(
                Some(request_id),
                kind,
                &format!(
                    "RequestId: {request_id} Error: extension {} reported {}",
                    error.name, error.error_type
                ),
            ))
        }
    }
}
