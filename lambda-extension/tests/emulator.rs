//! Extensions against `lambda-emulator`'s Extensions API, with real processes.
//!
//! This test binary plays three parts (`harness = false`):
//! - run by `cargo test`: the test runner below;
//! - run with the argument `function`: a function (an echo handler, optionally with an internal
//!   extension), started by the emulator as the runtime;
//! - run through a symlink in the extensions directory, with `LE_EXTENSION_MODE` set: an
//!   external extension, registering under the symlink's file name as in Lambda.
//!
//! The children write what they saw to the file named by `LE_OUT`, one line per fact.

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use lambda_emulator::{Echo, Environment, FunctionConfig};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use lambda_extension::{
    Buffering, Diagnostic, Error, EventType, Extension, ExtensionError, LogType, NextEvent, Record,
    RecordBody, Service,
};
use lambda_runtime::LambdaEvent;
use serde_json::Value;

/// Every test finishes within this, or fails.
const TEST_LIMIT: Duration = Duration::from_secs(30);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("function") {
        std::process::exit(child(function()));
    }
    if args.len() == 1 {
        if let Ok(mode) = std::env::var("LE_EXTENSION_MODE") {
            std::process::exit(child(external_extension(mode)));
        }
    }
    run_tests(&args[1..]);
}

// ---------------------------------------------------------------------------------------------
// The children.

fn child(part: impl Future<Output = Result<(), String>>) -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            note(&format!("no tokio runtime: {e}"));
            return 2;
        }
    };
    match runtime.block_on(part) {
        Ok(()) => 0,
        Err(e) => {
            note(&format!("EXIT-ERROR {e}"));
            1
        }
    }
}

/// Appends one line to `LE_OUT`.
fn note(line: &str) {
    let Ok(path) = std::env::var("LE_OUT") else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
}

fn note_event(prefix: &str, event: &NextEvent) {
    match event {
        NextEvent::Invoke(invoke) => note(&format!(
            "{prefix}INVOKE {} deadline-ahead={} arn={}",
            invoke.request_id,
            !invoke.time_left().is_zero(),
            invoke.invoked_function_arn
        )),
        NextEvent::Shutdown(shutdown) => note(&format!(
            "{prefix}SHUTDOWN {} deadline-ahead={}",
            shutdown.reason,
            !shutdown.time_left().is_zero()
        )),
        other => note(&format!("{prefix}OTHER {other:?}")),
    }
}

/// An events processor that is never ready: the extension fails during Init.
struct NeverReady;

impl Service<NextEvent> for NeverReady {
    type Response = ();
    type Error = Diagnostic;
    type Future = std::future::Ready<Result<(), Diagnostic>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Diagnostic>> {
        Poll::Ready(Err(Diagnostic::new(
            "BackendUnreachable",
            "cannot reach the backend",
        )))
    }

    fn call(&mut self, _: NextEvent) -> Self::Future {
        std::future::ready(Ok(()))
    }
}

async fn external_extension(mode: String) -> Result<(), String> {
    let recording = lambda_extension::service_fn(|event: NextEvent| async move {
        note_event("", &event);
        Ok::<(), Error>(())
    });
    let extension = match mode.as_str() {
        "events" => Extension::new().with_events_processor(recording),
        "init-error" => Extension::new().with_events_processor(NeverReady),
        "exit-error" => Extension::new().with_events_processor(lambda_extension::service_fn(
            |event: NextEvent| async move {
                note_event("", &event);
                Err::<(), Diagnostic>(Diagnostic::new("ConfigInvalid", "the API key is missing"))
            },
        )),
        "telemetry" => telemetry_extension().with_events_processor(recording),
        "listener-9001" => telemetry_extension().with_listener_port(9001),
        "wrong-name" => Extension::new()
            .with_name("someone-else")
            .with_events_processor(recording),
        other => return Err(format!("unknown mode {other}")),
    };
    let registered = match extension.register().await {
        Ok(registered) => registered,
        Err(e) => {
            if let ExtensionError::Registration {
                status, error_type, ..
            } = &e
            {
                note(&format!("REGISTRATION-REFUSED {status} {error_type}"));
            }
            note(&format!("ERROR {e}"));
            return Err("registration failed".into());
        }
    };
    let r = registered.registration();
    note(&format!(
        "REGISTERED id-present={} {} {} {} {}",
        !r.extension_id.is_empty(),
        r.function_name,
        r.function_version,
        r.handler,
        r.account_id.as_deref().unwrap_or("-")
    ));
    match registered.run().await {
        Ok(()) => {
            note("RUN-RETURNED ok");
            Ok(())
        }
        Err(e) => {
            note(&format!("RUN-RETURNED error: {e}"));
            Err("run failed".into())
        }
    }
}

/// Subscribes to telemetry (refusing the first batch, so Lambda must deliver it again) and to
/// the function's logs, writing one line per record.
fn telemetry_extension() -> Extension {
    let refused = Arc::new(AtomicBool::new(false));
    let fast = Buffering::new().with_timeout_ms(25).unwrap();
    Extension::new()
        .with_telemetry_types(&[LogType::Platform, LogType::Function])
        .with_telemetry_buffering(fast)
        .with_telemetry_processor(lambda_extension::service_fn(move |batch: Vec<Record>| {
            let first_time = !refused.swap(true, Ordering::SeqCst);
            async move {
                if first_time {
                    note(&format!("TELEMETRY-REFUSED {}", describe(&batch[0])));
                    return Err::<(), Error>("the first batch is refused".into());
                }
                for record in &batch {
                    note(&format!("TELEMETRY {}", describe(record)));
                }
                Ok(())
            }
        }))
        .with_log_types(&[LogType::Function])
        .with_logs_buffering(fast)
        .with_logs_processor(lambda_extension::service_fn(
            |batch: Vec<Record>| async move {
                for record in &batch {
                    note(&format!("LOGS {}", describe(record)));
                }
                Ok::<(), Error>(())
            },
        ))
}

fn describe(record: &Record) -> String {
    let detail = match &record.body {
        RecordBody::Report(report) => format!(
            " request={} status={} duration-positive={} memory={}",
            report.request_id,
            report.status.as_ref().map_or("-", |s| s.as_str()),
            report.metrics.duration_ms > 0.0,
            report.metrics.memory_size_mb
        ),
        RecordBody::Start(start) => format!(" request={}", start.request_id),
        RecordBody::Function(line) => format!(" {}", line.message().unwrap_or("<json>")),
        RecordBody::Unknown { .. } => " UNKNOWN".to_string(),
        _ => String::new(),
    };
    format!("{}{detail}", record.body.record_type())
}

async fn function() -> Result<(), String> {
    let handler = lambda_runtime::service_fn(|event: LambdaEvent<Value>| async move {
        println!("function-log {}", event.payload);
        if event.payload["sleep_ms"].is_u64() {
            let ms = event.payload["sleep_ms"].as_u64().unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        Ok::<Value, Error>(event.payload)
    });
    if std::env::var("LE_FUNCTION_MODE").as_deref() == Ok("internal") {
        let extension = Extension::new()
            .internal()
            .with_name("in-process")
            .with_events_processor(lambda_extension::service_fn(
                |event: NextEvent| async move {
                    note_event("INTERNAL ", &event);
                    Ok::<(), Error>(())
                },
            ))
            .register()
            .await
            .map_err(|e| e.to_string())?;
        note("INTERNAL REGISTERED");
        let result = tokio::try_join!(
            async { extension.run().await.map_err(|e| e.to_string()) },
            async {
                lambda_runtime::run(handler)
                    .await
                    .map_err(|e| e.to_string())
            },
        );
        return result.map(drop);
    }
    lambda_runtime::run(handler)
        .await
        .map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// The runner.

type TestFn = fn() -> Pin<Box<dyn Future<Output = ()> + Send>>;

fn run_tests(filters: &[String]) {
    let tests: &[(&str, TestFn)] = &[
        (
            "external_extension_registers_sees_invokes_and_returns_after_shutdown",
            || Box::pin(external_extension_registers_sees_invokes_and_returns_after_shutdown()),
        ),
        (
            "function_timeout_sends_shutdown_with_reason_timeout",
            || Box::pin(function_timeout_sends_shutdown_with_reason_timeout()),
        ),
        ("processor_never_ready_reports_an_init_error", || {
            Box::pin(processor_never_ready_reports_an_init_error())
        }),
        ("listener_on_port_9001_reports_an_init_error", || {
            Box::pin(listener_on_port_9001_reports_an_init_error())
        }),
        ("processor_error_on_invoke_reports_an_exit_error", || {
            Box::pin(processor_error_on_invoke_reports_an_exit_error())
        }),
        (
            "extension_registering_the_wrong_name_gets_a_clear_error",
            || Box::pin(extension_registering_the_wrong_name_gets_a_clear_error()),
        ),
        (
            "telemetry_and_logs_are_delivered_typed_and_a_refused_batch_comes_again",
            || Box::pin(telemetry_and_logs_are_delivered_typed_and_a_refused_batch_comes_again()),
        ),
        ("internal_extension_runs_beside_the_runtime", || {
            Box::pin(internal_extension_runs_beside_the_runtime())
        }),
        (
            "internal_extension_asking_for_shutdown_is_refused_before_any_request",
            || Box::pin(internal_extension_asking_for_shutdown_is_refused_before_any_request()),
        ),
    ];
    let filters: Vec<&String> = filters.iter().filter(|a| !a.starts_with('-')).collect();
    // A last resort: whatever happens, the run ends.
    let overall = TEST_LIMIT * (tests.len() as u32 + 1);
    std::thread::spawn(move || {
        std::thread::sleep(overall);
        eprintln!("the emulator tests did not finish within {overall:?}: aborting");
        std::process::exit(1);
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut failed = Vec::new();
    let mut ran = 0;
    for (name, test) in tests {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        ran += 1;
        let result = runtime.block_on(async {
            let task = tokio::spawn(tokio::time::timeout(TEST_LIMIT, test()));
            task.await
        });
        match result {
            Ok(Ok(())) => println!("test {name} ... ok"),
            Ok(Err(_)) => {
                println!("test {name} ... FAILED (did not finish within {TEST_LIMIT:?})");
                failed.push(*name);
            }
            Err(e) => {
                println!("test {name} ... FAILED ({e})");
                failed.push(*name);
            }
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        ran - failed.len(),
        failed.len()
    );
    if !failed.is_empty() {
        std::process::exit(1);
    }
}

/// A scratch directory with `extensions/NAME` linked to this binary, and the `LE_OUT` file.
struct Scene {
    dir: PathBuf,
}

impl Scene {
    fn new(test: &str, extension: Option<&str>) -> Scene {
        let dir =
            std::env::temp_dir().join(format!("lambda-extension-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("extensions")).unwrap();
        if let Some(name) = extension {
            std::os::unix::fs::symlink(
                std::env::current_exe().unwrap(),
                dir.join("extensions").join(name),
            )
            .unwrap();
        }
        Scene { dir }
    }

    fn config(&self, env: &[(&str, &str)]) -> FunctionConfig {
        let mut config = FunctionConfig::new(std::env::current_exe().unwrap(), ["function"]);
        config.extensions_dir = Some(self.dir.join("extensions"));
        config.echo = if std::env::var_os("LE_ECHO").is_some() {
            Echo::Stderr
        } else {
            Echo::Off
        };
        config.timeout = Duration::from_secs(5);
        config.env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain([("LE_OUT".to_string(), self.out().display().to_string())])
            .collect();
        config
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out.txt")
    }

    fn lines(&self) -> Vec<String> {
        read_lines(&self.out())
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Waits until `LE_OUT` has a line starting with `prefix` (the children write asynchronously);
/// fails with every line written so far if none comes within 10 s.
async fn wait_for_line(scene: &Scene, prefix: &str) -> String {
    let give_up = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let lines = scene.lines();
        if let Some(line) = lines.iter().find(|l| l.starts_with(prefix)) {
            return line.clone();
        }
        if tokio::time::Instant::now() > give_up {
            panic!("no line starting with `{prefix}` came; the lines: {lines:#?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits (up to 10 s) until an extension reported an error to the emulator.
async fn wait_for_extension_error(
    environment: &Environment,
) -> Vec<lambda_emulator::ExtensionError> {
    let give_up = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let errors = environment.runtime_api().extension_errors();
        if !errors.is_empty() || tokio::time::Instant::now() > give_up {
            return errors;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn external_extension_registers_sees_invokes_and_returns_after_shutdown() {
    let scene = Scene::new("events", Some("ext-events"));
    let environment = Environment::start(scene.config(&[("LE_EXTENSION_MODE", "events")]))
        .await
        .unwrap();
    for payload in [r#"{"n":1}"#, r#"{"n":2}"#] {
        let outcome = environment.invoke(payload).await;
        assert_eq!(
            outcome.response().map(|r| r.body.clone()),
            Some(payload.into()),
            "{outcome:?}"
        );
    }
    environment.shutdown().await;
    wait_for_line(&scene, "RUN-RETURNED").await;
    let lines = scene.lines();
    assert_eq!(
        lines[0],
        "REGISTERED id-present=true function $LATEST bootstrap 012345678912"
    );
    let invokes: Vec<&String> = lines.iter().filter(|l| l.starts_with("INVOKE ")).collect();
    assert_eq!(invokes.len(), 2, "{lines:?}");
    for line in invokes {
        assert!(line.contains("deadline-ahead=true"), "{line}");
        assert!(
            line.ends_with("arn=arn:aws:lambda:us-east-1:012345678912:function:function")
                || line.contains("arn=arn:aws:lambda:"),
            "{line}"
        );
    }
    assert!(
        lines.contains(&"SHUTDOWN spindown deadline-ahead=true".to_string()),
        "{lines:?}"
    );
    assert_eq!(lines.last().map(String::as_str), Some("RUN-RETURNED ok"));
}

async fn function_timeout_sends_shutdown_with_reason_timeout() {
    let scene = Scene::new("timeout", Some("ext-timeout"));
    let mut config = scene.config(&[("LE_EXTENSION_MODE", "events")]);
    config.timeout = Duration::from_secs(1);
    let environment = Environment::start(config).await.unwrap();
    let outcome = environment.invoke(r#"{"sleep_ms":5000}"#).await;
    assert!(outcome.response().is_none(), "{outcome:?}");
    let shutdown = wait_for_line(&scene, "SHUTDOWN ").await;
    assert_eq!(shutdown, "SHUTDOWN timeout deadline-ahead=true");
    assert_eq!(
        wait_for_line(&scene, "RUN-RETURNED").await,
        "RUN-RETURNED ok"
    );
    environment.shutdown().await;
}

async fn processor_never_ready_reports_an_init_error() {
    let scene = Scene::new("init-error", Some("ext-init-error"));
    let environment = Environment::start(scene.config(&[("LE_EXTENSION_MODE", "init-error")]))
        .await
        .unwrap();
    let outcome = environment.invoke("{}").await;
    assert!(outcome.response().is_none(), "{outcome:?}");
    let errors = wait_for_extension_error(&environment).await;
    let error = errors
        .iter()
        .find(|e| e.name == "ext-init-error")
        .unwrap_or_else(|| panic!("no error reported: {errors:?}"));
    assert_eq!(error.kind, lambda_emulator::ExtensionErrorKind::Init);
    assert_eq!(error.error_type, "Extension.BackendUnreachable");
    assert_eq!(
        error.body,
        r#"{"errorType":"BackendUnreachable","errorMessage":"cannot reach the backend","stackTrace":[]}"#
    );
    // Lambda (and the emulator) stop the extension once it reported: nothing more to see.
    environment.shutdown().await;
}

async fn listener_on_port_9001_reports_an_init_error() {
    let scene = Scene::new("listener-9001", Some("ext-listener-9001"));
    let environment = Environment::start(scene.config(&[("LE_EXTENSION_MODE", "listener-9001")]))
        .await
        .unwrap();
    let outcome = environment.invoke("{}").await;
    assert!(outcome.response().is_none(), "{outcome:?}");
    let errors = wait_for_extension_error(&environment).await;
    let error = errors
        .iter()
        .find(|e| e.name == "ext-listener-9001")
        .unwrap_or_else(|| panic!("no error reported: {errors:?}"));
    assert_eq!(error.kind, lambda_emulator::ExtensionErrorKind::Init);
    assert_eq!(error.error_type, "Extension.ListenerFailed");
    let body: Value = serde_json::from_slice(&error.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "errorType": "ListenerFailed",
            "errorMessage": "the listener cannot use port 9001: Lambda reserves it for its own APIs; \
                             choose another port or 0 for any free port",
            "stackTrace": []
        })
    );
    environment.shutdown().await;
}

async fn processor_error_on_invoke_reports_an_exit_error() {
    let scene = Scene::new("exit-error", Some("ext-exit-error"));
    let environment = Environment::start(scene.config(&[("LE_EXTENSION_MODE", "exit-error")]))
        .await
        .unwrap();
    let _ = environment.invoke("{}").await;
    wait_for_line(&scene, "INVOKE ").await;
    let errors = wait_for_extension_error(&environment).await;
    let error = errors
        .iter()
        .find(|e| e.name == "ext-exit-error")
        .unwrap_or_else(|| panic!("no error reported: {errors:?}"));
    assert_eq!(error.kind, lambda_emulator::ExtensionErrorKind::Exit);
    assert_eq!(error.error_type, "Extension.ConfigInvalid");
    assert_eq!(
        error.body,
        r#"{"errorType":"ConfigInvalid","errorMessage":"the API key is missing","stackTrace":[]}"#
    );
    environment.shutdown().await;
}

async fn extension_registering_the_wrong_name_gets_a_clear_error() {
    let scene = Scene::new("wrong-name", Some("ext-wrong-name"));
    let environment = Environment::start(scene.config(&[("LE_EXTENSION_MODE", "wrong-name")]))
        .await
        .unwrap();
    let outcome = environment.invoke("{}").await;
    assert!(outcome.response().is_none(), "{outcome:?}");
    let refused = wait_for_line(&scene, "REGISTRATION-REFUSED").await;
    assert!(
        refused.starts_with("REGISTRATION-REFUSED 403 Extension."),
        "{refused}"
    );
    let error = wait_for_line(&scene, "ERROR ").await;
    assert!(
        error.starts_with(
            "ERROR Lambda refused to register the extension `someone-else` (403 Extension."
        ),
        "{error}"
    );
    assert!(
        error.ends_with(
            "an external extension must register with its executable's file name in /opt/extensions"
        ),
        "{error}"
    );
    environment.shutdown().await;
}

async fn telemetry_and_logs_are_delivered_typed_and_a_refused_batch_comes_again() {
    let scene = Scene::new("telemetry", Some("ext-telemetry"));
    let environment = Environment::start(scene.config(&[
        ("LE_EXTENSION_MODE", "telemetry"),
        // The listener binds loopback only, and tells the emulator so.
        ("LAMBDA_EXTENSION_LISTENER_HOST", "127.0.0.1"),
    ]))
    .await
    .unwrap();
    let outcome = environment.invoke(r#"{"n":7}"#).await;
    assert!(outcome.response().is_some(), "{outcome:?}");
    let report = wait_for_line(&scene, "TELEMETRY platform.report").await;
    let logs = wait_for_line(&scene, "LOGS function").await;
    environment.shutdown().await;
    wait_for_line(&scene, "RUN-RETURNED").await;
    let lines = scene.lines();

    let request_id = lines
        .iter()
        .find_map(|l| l.strip_prefix("INVOKE "))
        .and_then(|l| l.split(' ').next())
        .unwrap()
        .to_string();
    assert_eq!(
        report,
        format!("TELEMETRY platform.report request={request_id} status=success duration-positive=true memory=128")
    );
    assert!(
        lines.contains(&format!("TELEMETRY platform.start request={request_id}")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&r#"TELEMETRY function function-log {"n":7}"#.to_string()),
        "{lines:?}"
    );
    assert_eq!(logs, r#"LOGS function function-log {"n":7}"#);
    assert!(!lines.iter().any(|l| l.contains("UNKNOWN")), "{lines:?}");
    // The refused batch was delivered again: its first record arrived after all.
    let refused = lines
        .iter()
        .find_map(|l| l.strip_prefix("TELEMETRY-REFUSED "))
        .unwrap_or_else(|| panic!("no batch was refused: {lines:?}"));
    assert!(
        lines.contains(&format!("TELEMETRY {refused}")),
        "{refused} never came again: {lines:?}"
    );
}

async fn internal_extension_runs_beside_the_runtime() {
    let scene = Scene::new("internal", None);
    let environment = Environment::start(scene.config(&[("LE_FUNCTION_MODE", "internal")]))
        .await
        .unwrap();
    let outcome = environment.invoke(r#"{"hello":"world"}"#).await;
    assert_eq!(
        outcome.response().map(|r| r.body.clone()),
        Some(r#"{"hello":"world"}"#.into()),
        "{outcome:?}"
    );
    let line = wait_for_line(&scene, "INTERNAL INVOKE").await;
    assert!(line.contains("deadline-ahead=true"), "{line}");
    assert_eq!(scene.lines()[0], "INTERNAL REGISTERED");
    environment.shutdown().await;
}

async fn internal_extension_asking_for_shutdown_is_refused_before_any_request() {
    // Port 9 (discard) on loopback: nothing is ever sent, as the check comes first.
    let err = Extension::new()
        .internal()
        .with_name("in-process")
        .with_events(&[EventType::Invoke, EventType::Shutdown])
        .with_runtime_api("127.0.0.1:9")
        .register()
        .await
        .unwrap_err();
    assert!(matches!(err, ExtensionError::InternalShutdown { .. }));
    assert_eq!(
        err.to_string(),
        "the internal extension `in-process` asked for SHUTDOWN events: Lambda gives them only to \
         external extensions (executables in /opt/extensions); register internal extensions for INVOKE only"
    );
}
