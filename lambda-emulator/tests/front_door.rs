//! The invoke endpoint (RIE / Invoke API compatible) in front of a real Python runtime.

mod common;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use common::{bounded, python_function, Client};
use http::{Method, StatusCode};
use http_body_util::BodyExt;
use lambda_emulator::{Environment, FrontDoor, FunctionConfig};
use serde_json::json;

const INVOKE: &str = "/2015-03-31/functions/function/invocations";
const STREAM: &str = "/2021-11-15/functions/function/response-streaming-invocations";

struct Setup {
    environment: Arc<Environment>,
    door: FrontDoor,
}

impl Setup {
    async fn new(config: FunctionConfig) -> Setup {
        let environment = Arc::new(Environment::start(config).await.unwrap());
        let door = FrontDoor::start(Arc::clone(&environment), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        Setup { environment, door }
    }

    async fn post(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> common::Reply {
        Client::connect(self.door.address())
            .await
            .post(path, headers, body)
            .await
    }

    async fn stop(self) {
        self.door.shutdown().await;
        if let Ok(environment) = Arc::try_unwrap(self.environment) {
            bounded(environment.shutdown()).await;
        }
    }
}

#[tokio::test]
async fn invoke_returns_200_with_the_response_body() {
    let setup = Setup::new(python_function(&[])).await;
    let reply = setup.post(INVOKE, &[], r#"{"hello":"world"}"#).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, r#"{"hello":"world"}"#);
    assert_eq!(reply.header("x-amz-executed-version"), Some("$LATEST"));
    assert_eq!(reply.header("x-amzn-requestid").unwrap().len(), 36);
    assert!(reply.header("x-amz-function-error").is_none());
    setup.stop().await;
}

#[tokio::test]
async fn function_error_returns_200_with_unhandled_and_the_error_json() {
    let setup = Setup::new(python_function(&[])).await;
    let reply = setup.post(INVOKE, &[], r#"{"action":"error"}"#).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("x-amz-function-error"), Some("Unhandled"));
    assert_eq!(
        reply.json(),
        json!({"errorType": "ValueError", "errorMessage": "bad input", "stackTrace": []})
    );
    setup.stop().await;
}

#[tokio::test]
async fn crash_returns_runtime_exit_error() {
    let setup = Setup::new(python_function(&[])).await;
    let reply = setup
        .post(INVOKE, &[], r#"{"action":"crash","code":9}"#)
        .await;
    let request_id = reply.header("x-amzn-requestid").unwrap().to_string();
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("x-amz-function-error"), Some("Unhandled"));
    assert_eq!(
        reply.json(),
        json!({
            "errorType": "Runtime.ExitError",
            "errorMessage": format!("RequestId: {request_id} Error: Runtime exited with error: exit status 9"),
        })
    );
    // The environment was reset: the next invoke works on a fresh runtime.
    assert_eq!(setup.post(INVOKE, &[], "1").await.body, "1");
    setup.stop().await;
}

#[tokio::test]
async fn timeout_returns_sandbox_timedout() {
    let mut config = python_function(&[]);
    config.timeout = Duration::from_millis(500);
    let setup = Setup::new(config).await;
    let reply = setup
        .post(INVOKE, &[], r#"{"action":"sleep","seconds":30}"#)
        .await;
    let request_id = reply.header("x-amzn-requestid").unwrap().to_string();
    assert_eq!(reply.header("x-amz-function-error"), Some("Unhandled"));
    assert_eq!(
        reply.json(),
        json!({
            "errorType": "Sandbox.Timedout",
            "errorMessage": format!("RequestId: {request_id} Error: Task timed out after 0.50 seconds"),
        })
    );
    assert_eq!(setup.post(INVOKE, &[], "2").await.body, "2");
    setup.stop().await;
}

#[tokio::test]
async fn event_invocation_returns_202_at_once_and_runs_queued() {
    let setup = Setup::new(python_function(&[])).await;
    let reply = setup
        .post(
            INVOKE,
            &[("x-amz-invocation-type", "Event")],
            r#"{"action":"log","lines":["ran in the background"]}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert!(reply.body.is_empty());
    bounded(async {
        while !setup
            .environment
            .logs()
            .iter()
            .any(|line| line.text == "ran in the background")
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    setup.stop().await;
}

#[tokio::test]
async fn dry_run_returns_204_without_running_the_function() {
    let setup = Setup::new(python_function(&[])).await;
    let reply = setup
        .post(INVOKE, &[("x-amz-invocation-type", "DryRun")], "{}")
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert!(setup.environment.runtime_api().requests().is_empty());
    setup.stop().await;
}

#[tokio::test]
async fn bad_invocation_headers_get_400() {
    let setup = Setup::new(python_function(&[])).await;
    let bad_type = setup
        .post(INVOKE, &[("x-amz-invocation-type", "Later")], "{}")
        .await;
    assert_eq!(bad_type.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_type.json()["errorType"],
        "InvalidParameterValueException"
    );
    let bad_context = setup
        .post(INVOKE, &[("x-amz-client-context", "%%%")], "{}")
        .await;
    assert_eq!(bad_context.status, StatusCode::BAD_REQUEST);
    assert!(bad_context.json()["errorMessage"]
        .as_str()
        .unwrap()
        .contains("base64"));
    setup.stop().await;
}

#[tokio::test]
async fn client_context_tenant_and_trace_headers_reach_the_runtime() {
    let setup = Setup::new(python_function(&[])).await;
    let context = base64::engine::general_purpose::STANDARD.encode(r#"{"custom":{"user":"ann"}}"#);
    let trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    let reply = setup
        .post(
            INVOKE,
            &[
                ("x-amz-client-context", &context),
                ("x-amz-tenant-id", "tenant-7"),
                ("x-amzn-trace-id", trace),
            ],
            r#"{"action":"headers"}"#,
        )
        .await;
    let headers = reply.json();
    assert_eq!(
        headers["lambda-runtime-client-context"],
        r#"{"custom":{"user":"ann"}}"#
    );
    assert_eq!(headers["lambda-runtime-aws-tenant-id"], "tenant-7");
    assert_eq!(headers["lambda-runtime-trace-id"], trace);
    assert_eq!(
        headers["lambda-runtime-aws-request-id"],
        reply.header("x-amzn-requestid").unwrap()
    );
    setup.stop().await;
}

#[tokio::test]
async fn unknown_functions_and_routes_get_404_and_large_payloads_413() {
    let mut config = python_function(&[]);
    config.function_name = "my-fn".into();
    let setup = Setup::new(config).await;
    let by_name = setup
        .post("/2015-03-31/functions/my-fn/invocations", &[], "\"n\"")
        .await;
    assert_eq!(by_name.body, "\"n\"");
    let other = setup
        .post("/2015-03-31/functions/other/invocations", &[], "{}")
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.json()["errorType"], "ResourceNotFoundException");
    let route = setup.post("/nothing", &[], "{}").await;
    assert_eq!(route.status, StatusCode::NOT_FOUND);
    let large = setup
        .post(
            INVOKE,
            &[],
            vec![b' '; lambda_emulator::MAX_REQUEST_BYTES + 1],
        )
        .await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(large.json()["errorType"], "RequestTooLargeException");
    setup.stop().await;
}

#[tokio::test]
async fn concurrent_invokes_queue_and_all_get_their_own_answer() {
    let setup = Setup::new(python_function(&[])).await;
    let replies = bounded(async {
        tokio::join!(
            setup.post(INVOKE, &[], "\"a\""),
            setup.post(INVOKE, &[], "\"b\""),
            setup.post(INVOKE, &[], "\"c\"")
        )
    })
    .await;
    assert_eq!(replies.0.body, "\"a\"");
    assert_eq!(replies.1.body, "\"b\"");
    assert_eq!(replies.2.body, "\"c\"");
    setup.stop().await;
}

#[tokio::test]
async fn streaming_invocation_passes_chunks_through_as_they_arrive() {
    let setup = Setup::new(python_function(&[])).await;
    let gate = std::env::temp_dir().join(format!("lambda-emulator-gate-{}", std::process::id()));
    let _ = std::fs::remove_file(&gate);
    let event = json!({"action": "stream", "chunks": ["first", "second"], "gate": gate});
    let mut client = Client::connect(setup.door.address()).await;
    let response = client
        .send_streaming(
            Method::POST,
            STREAM,
            &[("te", "trailers")],
            common::full(event.to_string()),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    // The function sends "second" only once the gate exists, and we open the gate only after
    // "first" reached us: this passes only if chunks are forwarded as they arrive.
    let first = bounded(body.frame())
        .await
        .unwrap()
        .unwrap()
        .into_data()
        .unwrap();
    assert_eq!(first, "first");
    std::fs::write(&gate, b"open").unwrap();
    let rest = bounded(body.collect()).await.unwrap().to_bytes();
    std::fs::remove_file(&gate).unwrap();
    assert_eq!(rest, "second");
    setup.stop().await;
}

#[tokio::test]
async fn streaming_error_trailer_is_passed_to_the_caller() {
    let setup = Setup::new(python_function(&[])).await;
    let event =
        json!({"action": "stream", "chunks": ["partial"], "error_type": "Runtime.StreamError"});
    let reply = Client::connect(setup.door.address())
        .await
        .send(
            Method::POST,
            STREAM,
            &[("te", "trailers")],
            common::full(event.to_string()),
        )
        .await;
    assert_eq!(reply.body, "partial");
    let trailers = reply.trailers.expect("trailers");
    assert_eq!(
        trailers.get("lambda-runtime-function-error-type").unwrap(),
        "Runtime.StreamError"
    );
    setup.stop().await;
}

#[tokio::test]
async fn streaming_endpoint_returns_a_buffered_answer_whole() {
    let setup = Setup::new(python_function(&[])).await;
    let reply = setup.post(STREAM, &[], r#"{"buffered":true}"#).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, r#"{"buffered":true}"#);
    setup.stop().await;
}

#[tokio::test]
async fn invoke_answers_while_an_extension_is_still_busy_with_the_invoke() {
    let extensions = common::ExtensionsSetup::new(&["ext-hold"]);
    let setup = Setup::new(extensions.function(&[])).await;
    let reply = setup.post(INVOKE, &[], "1").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "1");
    // The extension is still holding the INVOKE event.
    assert!(!extensions
        .recorded("ext-hold")
        .iter()
        .any(|e| e.get("released").is_some()));
    std::fs::write(extensions.records.path.join("release"), b"").unwrap();
    setup.stop().await;
    assert!(extensions
        .recorded("ext-hold")
        .iter()
        .any(|e| e.get("released").is_some()));
}
