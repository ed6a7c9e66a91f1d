//! A real AWS SDK (boto3, from the test virtualenv) calling the invoke endpoint: tail logs,
//! AWS-shaped errors raised as the right exceptions, and InvokeWithResponseStream read as the
//! SDK reads it (the event-stream encoding).

mod common;

use std::sync::Arc;

use common::{bounded, fixture, python_function, test_python};
use lambda_emulator::{Environment, FrontDoor, FunctionConfig};
use serde_json::{json, Value};

/// Runs `tests/fixtures/boto3_caller.py SCENARIO` against a fresh endpoint for `config`.
async fn boto3(config: FunctionConfig, scenario: &str) -> Value {
    let environment = Arc::new(Environment::start(config).await.unwrap());
    let door = FrontDoor::start(Arc::clone(&environment), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let output = bounded(
        tokio::process::Command::new(test_python())
            .arg(fixture("boto3_caller.py"))
            .arg(format!("http://{}", door.address()))
            .arg(scenario)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .unwrap();
    door.shutdown().await;
    if let Ok(environment) = Arc::try_unwrap(environment) {
        bounded(environment.shutdown()).await;
    }
    assert!(
        output.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn boto3_invoke_with_log_type_tail_gets_the_invocations_log() {
    let result = boto3(python_function(&[]), "invoke").await;
    assert_eq!(result["status"], 200);
    assert_eq!(result["payload"], r#""logged""#);
    let log = result["log"].as_str().unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines[0].starts_with("START RequestId: "), "{log}");
    assert!(lines.contains(&"hello tail"), "{log}");
    assert!(
        lines.iter().any(|l| l.starts_with("END RequestId: ")),
        "{log}"
    );
    assert!(
        lines.last().unwrap().starts_with("REPORT RequestId: "),
        "{log}"
    );
}

#[tokio::test]
async fn awslambdaric_function_log_reaches_boto3s_tail() {
    let result = boto3(common::awslambdaric_function("handle"), "invoke").await;
    assert_eq!(result["payload"], r#""logged""#);
    let log = result["log"].as_str().unwrap();
    assert!(log.lines().any(|line| line.contains("hello tail")), "{log}");
    assert!(log.starts_with("START RequestId: "), "{log}");
}

#[tokio::test]
async fn boto3_raises_resource_not_found_for_an_unknown_function() {
    let result = boto3(python_function(&[]), "not_found").await;
    assert_eq!(result["code"], "ResourceNotFoundException", "{result}");
    assert_eq!(result["exception"], "ResourceNotFoundException");
    assert_eq!(result["status"], 404);
    assert!(result["message"]
        .as_str()
        .unwrap()
        .starts_with("Function not found: nope"));
}

#[tokio::test]
async fn boto3_raises_invalid_request_content_for_a_payload_that_is_not_json() {
    let result = boto3(python_function(&[]), "bad_json").await;
    assert_eq!(result["code"], "InvalidRequestContentException", "{result}");
    assert_eq!(result["exception"], "InvalidRequestContentException");
    assert_eq!(result["status"], 400);
}

#[tokio::test]
async fn boto3_reads_a_response_stream_as_payload_chunks_then_invoke_complete() {
    let result = boto3(python_function(&[]), "stream").await;
    assert_eq!(result["status"], 200);
    assert_eq!(result["chunks"], json!(["one", "two"]));
    let complete = &result["complete"];
    assert!(complete.get("ErrorCode").is_none(), "{complete}");
    let log = complete["LogResult"].as_str().unwrap();
    assert!(log.starts_with("START RequestId: "), "{log}");
}

#[tokio::test]
async fn boto3_gets_a_streamed_error_in_invoke_complete() {
    let result = boto3(python_function(&[]), "stream_error").await;
    assert_eq!(result["chunks"], json!(["partial"]));
    let complete = &result["complete"];
    assert_eq!(complete["ErrorCode"], "Unhandled", "{complete}");
    assert_eq!(
        serde_json::from_str::<Value>(complete["ErrorDetails"].as_str().unwrap()).unwrap()
            ["errorType"],
        "Function.Broken"
    );
}
