//! `lambda-rs invoke` and `lambda-rs serve` end to end, against the emulator's Python fixtures.

// The emulator's shared test helpers (one copy, used by both crates).
#[path = "../../lambda-emulator/tests/common/mod.rs"]
mod common;

use std::process::{Command, Output};

use common::fixture;

fn lambda_rs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lambda-rs"))
        .args(args)
        .output()
        .expect("run lambda-rs")
}

fn runtime_py() -> String {
    fixture("runtime.py").display().to_string()
}

#[test]
fn invoke_prints_the_response_and_exits_zero() {
    let output = lambda_rs(&[
        "invoke",
        "--event",
        r#"{"hello":"world"}"#,
        "--",
        "python3",
        &runtime_py(),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"hello\":\"world\"}\n"
    );
    assert_eq!(output.status.code(), Some(0));
    // The function's own output goes to stderr, keeping stdout for the response.
    assert!(String::from_utf8_lossy(&output.stderr).contains("init done"));
}

#[test]
fn invoke_reads_the_event_from_a_file() {
    let path = std::env::temp_dir().join(format!("lambda-rs-event-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"from":"file"}"#).unwrap();
    let output = lambda_rs(&[
        "invoke",
        "--event-file",
        path.to_str().unwrap(),
        "--",
        "python3",
        &runtime_py(),
    ]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"from\":\"file\"}\n"
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn invoke_passes_env_flags_and_function_settings() {
    let output = lambda_rs(&[
        "invoke",
        "--env",
        "GREETING=hi",
        "--function-name",
        "cli-fn",
        "--memory",
        "1024",
        "--event",
        r#"{"action":"env","names":["GREETING","AWS_LAMBDA_FUNCTION_NAME","AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]}"#,
        "--",
        "python3",
        &runtime_py(),
    ]);
    let vars: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        vars,
        serde_json::json!({"GREETING": "hi", "AWS_LAMBDA_FUNCTION_NAME": "cli-fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"})
    );
}

#[test]
fn function_error_prints_the_error_json_and_exits_one() {
    let output = lambda_rs(&[
        "invoke",
        "--event",
        r#"{"action":"error"}"#,
        "--",
        "python3",
        &runtime_py(),
    ]);
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["errorType"], "ValueError");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("the function failed with ValueError (bad input)"));
}

#[test]
fn crash_prints_runtime_exit_error_and_exits_one() {
    let output = lambda_rs(&[
        "invoke",
        "--event",
        r#"{"action":"crash","code":5}"#,
        "--",
        "python3",
        &runtime_py(),
    ]);
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["errorType"], "Runtime.ExitError");
    assert!(error["errorMessage"]
        .as_str()
        .unwrap()
        .ends_with("Runtime exited with error: exit status 5"));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn timeout_prints_sandbox_timedout_and_exits_one() {
    let output = lambda_rs(&[
        "invoke",
        "--timeout",
        "0.5",
        "--event",
        r#"{"action":"sleep","seconds":30}"#,
        "--",
        "python3",
        &runtime_py(),
    ]);
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["errorType"], "Sandbox.Timedout");
    assert!(error["errorMessage"]
        .as_str()
        .unwrap()
        .ends_with("Task timed out after 0.50 seconds"));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("timed out after 0.50 seconds"));
}

#[test]
fn init_error_is_printed_and_exits_one() {
    let output = lambda_rs(&[
        "invoke",
        "--env",
        "FIXTURE_INIT=error",
        "--",
        "python3",
        &runtime_py(),
    ]);
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        error,
        serde_json::json!({"errorType": "ConfigError", "errorMessage": "TABLE_NAME is not set"})
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_two_with_a_message() {
    let output = lambda_rs(&["invoke", "--event", "{}"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("-- <COMMAND>..."));
    let help = lambda_rs(&["invoke", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("lambda-rs invoke"));
}

#[tokio::test]
async fn serve_answers_invocations_and_prints_start_end_report_lines() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lambda-rs"))
        .args([
            "serve",
            "--port",
            "0",
            "--memory",
            "256",
            "--",
            "python3",
            &runtime_py(),
        ])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();

    let banner = next_line(&mut lines).await;
    let url = banner
        .strip_prefix("lambda-rs: listening on http://")
        .expect(&banner);
    let (address, path) = url.split_once('/').unwrap();
    let reply = common::request(
        address.parse().unwrap(),
        http::Method::POST,
        &format!("/{path}"),
        &[],
        r#"{"via":"serve"}"#,
    )
    .await;
    assert_eq!(reply.body, r#"{"via":"serve"}"#);
    let request_id = reply.header("x-amzn-requestid").unwrap().to_string();

    let mut seen = Vec::new();
    loop {
        let line = next_line(&mut lines).await;
        let done = line.starts_with("REPORT");
        seen.push(line);
        if done {
            break;
        }
    }
    assert!(seen.contains(&"init done".to_string()), "{seen:?}");
    assert!(
        seen.contains(&format!("START RequestId: {request_id} Version: $LATEST")),
        "{seen:?}"
    );
    assert!(
        seen.contains(&format!("END RequestId: {request_id}")),
        "{seen:?}"
    );
    let report = seen.last().unwrap();
    assert!(
        report.starts_with(&format!("REPORT RequestId: {request_id}\tDuration: ")),
        "{report}"
    );
    assert!(report.contains("\tMemory Size: 256 MB\t"), "{report}");
    assert!(report.contains("\tInit Duration: "), "{report}");

    // SIGTERM stops it cleanly.
    let pid = child.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let status = common::bounded(child.wait()).await.unwrap();
    assert_eq!(status.code(), Some(0));
}

async fn next_line(
    lines: &mut tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStderr>>,
) -> String {
    common::bounded(lines.next_line())
        .await
        .unwrap()
        .expect("stderr ended")
}

#[test]
fn invoke_runs_extensions_from_the_extensions_dir() {
    let setup = common::ExtensionsSetup::new(&["ext-ok"]);
    let record_dir = format!("FIXTURE_EXT_RECORD_DIR={}", setup.records.path.display());
    let output = lambda_rs(&[
        "invoke",
        "--extensions-dir",
        setup.dir.path.to_str().unwrap(),
        "--env",
        &record_dir,
        "--event",
        r#""with extension""#,
        "--",
        "python3",
        &runtime_py(),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "\"with extension\"\n"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("[ext-ok] ext-ok registered"));
    let kinds: Vec<String> = setup
        .recorded("ext-ok")
        .iter()
        .filter_map(|e| e["eventType"].as_str().map(str::to_string))
        .collect();
    assert_eq!(kinds, ["INVOKE", "SHUTDOWN"]);
}
