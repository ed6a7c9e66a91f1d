//! Lambda's timing and records: when a caller is answered, what the platform reports, and in
//! which order lines and platform records appear.

mod common;

use std::time::{Duration, Instant};

use common::{bounded, ExtensionsSetup, Listener};
use lambda_emulator::{
    Environment, Invocation, LogSource, Outcome, PhaseStatus, PlatformEvent, ShutdownReason,
};
use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedReceiver;

/// The next event for `request_id` that `pick` selects.
async fn next_for<T>(
    events: &mut UnboundedReceiver<PlatformEvent>,
    pick: impl Fn(&PlatformEvent) -> Option<T>,
) -> T {
    bounded(async {
        loop {
            let event = events.recv().await.expect("platform events end");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    })
    .await
}

/// Lines each invocation prints.
const LINES: usize = 1000;

#[tokio::test]
async fn function_lines_are_captured_before_their_invocations_runtime_done() {
    lines_come_before_runtime_done(common::python_function(&[])).await;
}

#[tokio::test]
async fn awslambdaric_lines_are_captured_before_their_invocations_runtime_done() {
    lines_come_before_runtime_done(common::awslambdaric_function("handle")).await;
}

async fn lines_come_before_runtime_done(config: lambda_emulator::FunctionConfig) {
    let environment = Environment::start(config).await.unwrap();
    let mut events = environment.platform_events();
    for n in 0..20 {
        let id = format!("lines-{n}");
        // More than a pipe holds: the last lines are still in the pipe when the answer comes.
        let lines: Vec<String> = (0..LINES)
            .map(|line| format!("{id} line {line} {}", "x".repeat(200)))
            .collect();
        let outcome = bounded(environment.invoke(Invocation {
            request_id: Some(id.clone()),
            ..Invocation::from(json!({"action": "log", "lines": lines}))
        }))
        .await;
        assert_eq!(outcome.response().unwrap().body, r#""logged""#);
        let done_at = next_for(&mut events, |event| match event {
            PlatformEvent::RuntimeDone {
                request_id, time, ..
            } if *request_id == id => Some(*time),
            _ => None,
        })
        .await;
        let captured: Vec<_> = environment
            .logs()
            .into_iter()
            .filter(|line| line.source == LogSource::Function && line.text.starts_with(&id))
            .collect();
        // Every line was read before runtimeDone (and thus before END/REPORT) was emitted.
        assert_eq!(captured.len(), LINES, "invocation {n}");
        assert!(
            captured.iter().all(|line| line.time <= done_at),
            "invocation {n}: a line was captured after runtimeDone"
        );
    }
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn with_an_extension_a_timeout_is_answered_and_reported_at_the_timeout() {
    let setup = ExtensionsSetup::new(&["ext-ok"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    bounded(environment.init()).await.unwrap();
    let mut events = environment.platform_events();
    let began = Instant::now();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("slow".into()),
        timeout: Some(Duration::from_secs(1)),
        ..Invocation::from(json!({"action": "sleep", "seconds": 3}))
    }))
    .await;
    let answered_after = began.elapsed();
    assert!(matches!(outcome, Outcome::Timeout { .. }), "{outcome:?}");
    // Not after the handler's 3 s, nor after the extension's Shutdown phase.
    assert!(
        answered_after < Duration::from_millis(1900),
        "answered after {answered_after:?}"
    );
    let (status, duration, memory) = next_for(&mut events, |event| match event {
        PlatformEvent::Report {
            request_id,
            status,
            duration,
            max_memory_used_mb,
            ..
        } if request_id == "slow" => Some((*status, *duration, *max_memory_used_mb)),
        _ => None,
    })
    .await;
    assert_eq!(status, PhaseStatus::Timeout);
    assert!(
        duration >= Duration::from_secs(1) && duration < Duration::from_millis(1500),
        "REPORT duration {duration:?} for a 1 s timeout"
    );
    // Measured before the runtime was killed.
    assert!(memory.unwrap_or(0) > 0, "no Max Memory Used");
    // The environment still resets: the next invocation runs on a fresh runtime.
    let again = bounded(environment.invoke("2")).await;
    assert_eq!(again.response().unwrap().body, "2");
    bounded(environment.shutdown()).await;
    let reasons: Vec<Value> = setup
        .recorded("ext-ok")
        .into_iter()
        .filter(|e| e["eventType"] == "SHUTDOWN")
        .map(|e| e["shutdownReason"].clone())
        .collect();
    assert_eq!(reasons, [json!("timeout"), json!("spindown")]);
}

#[tokio::test]
async fn with_an_extension_a_crash_is_answered_at_once() {
    // ext-stubborn ignores SHUTDOWN: its Shutdown phase lasts the whole 2 s limit.
    let setup = ExtensionsSetup::new(&["ext-stubborn"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    bounded(environment.init()).await.unwrap();
    let began = Instant::now();
    let outcome = bounded(environment.invoke(json!({"action": "crash", "code": 2}))).await;
    let answered_after = began.elapsed();
    assert_eq!(
        outcome.error().unwrap().error_type().as_deref(),
        Some("Runtime.ExitError")
    );
    assert!(
        answered_after < Duration::from_millis(1500),
        "answered after {answered_after:?}"
    );
    bounded(environment.shutdown()).await;
    let recorded = setup.recorded("ext-stubborn");
    assert_eq!(
        recorded.last().unwrap()["shutdownReason"],
        ShutdownReason::Failure.as_str()
    );
}

/// The records a subscriber got for `request_id`, by type.
fn records_for<'a>(records: &'a [Value], kind: &str, request_id: &str) -> Vec<&'a Value> {
    records
        .iter()
        .filter(|r| r["type"] == kind && r["record"]["requestId"] == request_id)
        .collect()
}

#[tokio::test]
async fn a_timed_out_invocations_runtime_done_and_report_reach_its_extension_before_shutdown() {
    let listener = Listener::start().await;
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    // Batches go out after 30 s: only the flush before SHUTDOWN can deliver them.
    let environment = Environment::start(setup.function(&[
        ("FIXTURE_TELEMETRY_URI", &listener.uri()),
        ("FIXTURE_TELEMETRY_TIMEOUT_MS", "30000"),
    ]))
    .await
    .unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("late".into()),
        timeout: Some(Duration::from_millis(500)),
        ..Invocation::from(json!({"action": "sleep", "seconds": 5}))
    }))
    .await;
    assert!(matches!(outcome, Outcome::Timeout { .. }), "{outcome:?}");
    let crash = bounded(environment.invoke(Invocation {
        request_id: Some("crashed".into()),
        ..Invocation::from(json!({"action": "crash", "code": 3}))
    }))
    .await;
    assert!(crash.error().is_some(), "{crash:?}");
    bounded(environment.shutdown()).await;
    let records = listener.snapshot();
    for (id, status) in [("late", "timeout"), ("crashed", "error")] {
        let done = records_for(&records, "platform.runtimeDone", id);
        assert_eq!(done.len(), 1, "{id}: {records:?}");
        assert_eq!(done[0]["record"]["status"], status);
        let report = records_for(&records, "platform.report", id);
        assert_eq!(report.len(), 1, "{id}: {records:?}");
        assert_eq!(report[0]["record"]["status"], status);
        let start = records
            .iter()
            .position(|r| r["type"] == "platform.start" && r["record"]["requestId"] == id);
        let report_at = records
            .iter()
            .position(|r| r["type"] == "platform.report" && r["record"]["requestId"] == id);
        assert!(start < report_at, "{id}: report before start");
    }
    // Each invocation ran in its own environment; each extension instance saw SHUTDOWN.
    let reasons: Vec<Value> = setup
        .recorded("ext-telemetry")
        .into_iter()
        .filter(|e| e["eventType"] == "SHUTDOWN")
        .map(|e| e["shutdownReason"].clone())
        .collect();
    assert_eq!(reasons, [json!("timeout"), json!("failure")]);
}

/// Every CloudWatch line emitted until `last` says so.
async fn lines_until(
    events: &mut UnboundedReceiver<PlatformEvent>,
    last: impl Fn(&str) -> bool,
) -> Vec<String> {
    bounded(async {
        let mut lines = Vec::new();
        loop {
            let event = events.recv().await.expect("platform events end");
            if let Some(line) = event.cloudwatch_line() {
                let done = last(&line);
                lines.push(line);
                if done {
                    return lines;
                }
            }
        }
    })
    .await
}

#[tokio::test]
async fn a_crash_reports_memory_and_its_error_type() {
    let environment = Environment::start(common::python_function(&[]))
        .await
        .unwrap();
    bounded(environment.init()).await.unwrap();
    let mut events = environment.platform_events();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("crash".into()),
        ..Invocation::from(json!({"action": "crash", "code": 2}))
    }))
    .await;
    assert!(outcome.error().is_some());
    let lines = lines_until(&mut events, |line| line.contains("REPORT RequestId: crash")).await;
    let report = lines.last().unwrap();
    assert!(report.contains("\tMax Memory Used: "), "{report}");
    assert!(
        report.ends_with("\tStatus: error\tError Type: Runtime.ExitError"),
        "{report}"
    );
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn an_invoke_whose_init_failed_gets_init_report_start_end_and_report() {
    let environment = Environment::start(common::python_function(&[("FIXTURE_INIT", "exit")]))
        .await
        .unwrap();
    let mut events = environment.platform_events();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("no-init".into()),
        ..Invocation::from("{}")
    }))
    .await;
    assert_eq!(
        outcome.error().unwrap().error_type().as_deref(),
        Some("Runtime.ExitError")
    );
    let lines = lines_until(&mut events, |line| {
        line.contains("REPORT RequestId: no-init")
    })
    .await;
    assert!(
        lines[0].starts_with("INIT_REPORT Init Duration: ")
            && lines[0].ends_with("\tPhase: init\tStatus: error\tError Type: Runtime.ExitError"),
        "{lines:?}"
    );
    assert_eq!(lines[1], "START RequestId: no-init Version: $LATEST");
    assert!(lines[2].starts_with("END RequestId: no-init\nREPORT RequestId: no-init\t"));
    assert!(
        lines[2].ends_with("\tStatus: error\tError Type: Runtime.ExitError"),
        "{lines:?}"
    );
    bounded(environment.shutdown()).await;
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn shutdown_stops_a_runtimes_forked_workers_before_closing_the_runtime_api() {
    // awslambdaric forks one worker process per concurrent invocation.
    let mut config = common::awslambdaric_function("handle");
    config.max_concurrency = 2;
    let environment = Environment::start(config).await.unwrap();
    let mut workers = std::collections::BTreeSet::new();
    for _ in 0..6 {
        let outcome = bounded(environment.invoke(json!({"action": "pid"}))).await;
        let pid: u32 = serde_json::from_slice::<Value>(&outcome.response().unwrap().body).unwrap()
            ["pid"]
            .as_u64()
            .unwrap() as u32;
        workers.insert(pid);
    }
    let alive = |pid: &u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.contains(") Z "))
    };
    assert!(workers.iter().all(alive), "{workers:?}");
    bounded(environment.shutdown()).await;
    // The workers were stopped with the runtime, not left polling a closed Runtime API
    // (a SIGKILLed process takes a moment to be gone).
    let mut survivors: Vec<u32> = workers.iter().copied().filter(alive).collect();
    for _ in 0..100 {
        if survivors.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        survivors.retain(alive);
    }
    assert!(survivors.is_empty(), "workers still running: {survivors:?}");
}
