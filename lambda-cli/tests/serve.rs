//! `serve --http` (the HTTP front beside the invoke endpoint), `--host localhost` (both
//! loopbacks), and `invoke --sample`, `--list-samples` and `--address`, end to end against the
//! emulator's Python fixture runtime (which answers the event it gets).

// The emulator's shared test helpers (one copy, used by every crate).
#[path = "../../lambda-emulator/tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::process::{Command, Output, Stdio};

use common::fixture;
use http::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr};

const INVOKE: &str = "/2015-03-31/functions/function/invocations";

fn lambda_rs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lambda-rs"))
        .args(args)
        .output()
        .expect("run lambda-rs")
}

fn runtime_py() -> String {
    fixture("runtime.py").display().to_string()
}

/// A running `lambda-rs serve` with the Python runtime, and the addresses it printed.
struct Serve {
    child: Child,
    doors: Vec<SocketAddr>,
    fronts: Vec<SocketAddr>,
}

impl Serve {
    async fn start(flags: &[&str]) -> Serve {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lambda-rs"))
            .arg("serve")
            .args(flags)
            .args(["--", "python3", &runtime_py()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let (mut doors, mut fronts) = (Vec::new(), Vec::new());
        let addresses = if flags.contains(&"localhost") && ipv6_loopback() {
            2
        } else {
            1
        };
        let expected_fronts = if flags.contains(&"--http") {
            addresses
        } else {
            0
        };
        // The banner: the invoke endpoint's lines, then the HTTP front's.
        while doors.len() < addresses || fronts.len() < expected_fronts {
            let line = next_line(&mut lines).await;
            if let Some(rest) = line.strip_prefix("lambda-rs: listening on http://") {
                doors.push(rest.split('/').next().unwrap().parse().unwrap());
            } else if let Some(rest) = line.strip_prefix("lambda-rs: HTTP front") {
                let url = rest.split_once("http://").unwrap().1;
                fronts.push(url.trim_end_matches('/').parse().unwrap());
            } else {
                panic!("unexpected banner line: {line}");
            }
        }
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Serve {
            child,
            doors,
            fronts,
        }
    }

    async fn stop(mut self) {
        let pid = self.child.id().unwrap().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let status = common::bounded(self.child.wait()).await.unwrap();
        assert_eq!(status.code(), Some(0));
    }
}

fn ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

async fn next_line(lines: &mut Lines<BufReader<ChildStderr>>) -> String {
    common::bounded(lines.next_line())
        .await
        .unwrap()
        .expect("stderr ended")
}

#[tokio::test]
async fn serve_with_http_answers_curl_through_the_front_and_the_invoke_endpoint() {
    let serve = Serve::start(&["--port", "0", "--http", "0", "--http-format", "apigw-v2"]).await;
    let reply = common::request(serve.fronts[0], Method::GET, "/hello?x=1", &[], "").await;
    // The fixture echoes the event: an HTTP API payload 2.0 event, answered as a 200 JSON body.
    assert_eq!(reply.status, StatusCode::OK);
    let event = reply.json();
    assert_eq!(event["rawPath"], "/hello");
    assert_eq!(event["queryStringParameters"], json!({"x": "1"}));
    assert!(event["requestContext"]["domainName"]
        .as_str()
        .unwrap()
        .contains(".execute-api."));
    let reply = common::request(serve.doors[0], Method::POST, INVOKE, &[], r#"{"a":1}"#).await;
    assert_eq!(reply.body, r#"{"a":1}"#);
    serve.stop().await;
}

#[tokio::test]
async fn localhost_listens_on_both_loopbacks_on_one_port() {
    let serve = Serve::start(&["--port", "0", "--http", "0", "--host", "localhost"]).await;
    assert!(serve.doors[0].ip().is_loopback() && serve.doors[0].is_ipv4());
    assert!(serve.fronts[0].is_ipv4());
    // ::1 is served too where the machine has IPv6 loopback (a warning says so otherwise).
    if ipv6_loopback() {
        assert_eq!(serve.doors.len(), 2, "{:?}", serve.doors);
        assert!(serve.doors[1].is_ipv6());
        assert_eq!(serve.doors[1].port(), serve.doors[0].port());
        assert_eq!(serve.fronts[1].port(), serve.fronts[0].port());
        for door in &serve.doors {
            let reply = common::request(*door, Method::POST, INVOKE, &[], r#"{"via":"ip"}"#).await;
            assert_eq!(reply.body, r#"{"via":"ip"}"#, "{door}");
        }
        let reply = common::request(serve.fronts[1], Method::GET, "/v6", &[], "").await;
        assert_eq!(reply.json()["rawPath"], "/v6");
        // A client given `localhost` (::1 first) reaches it.
        let address = format!("localhost:{}", serve.doors[0].port());
        let output = lambda_rs(&["invoke", "--address", &address, "--event", r#"{"n":6}"#]);
        assert_eq!(String::from_utf8_lossy(&output.stdout), "{\"n\":6}\n");
        assert_eq!(output.status.code(), Some(0));
    }
    serve.stop().await;
}

#[tokio::test]
async fn invoke_address_invokes_a_running_serve() {
    let serve = Serve::start(&["--port", "0"]).await;
    let address = serve.doors[0].to_string();
    let output = lambda_rs(&[
        "invoke",
        "--address",
        &address,
        "--event",
        r#"{"remote":true}"#,
    ]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"remote\":true}\n"
    );
    assert_eq!(output.status.code(), Some(0));
    // A function error: the error JSON on stdout, exit 1.
    let output = lambda_rs(&[
        "invoke",
        "--address",
        &address,
        "--event",
        r#"{"action":"error"}"#,
    ]);
    let error: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["errorType"], "ValueError");
    assert_eq!(output.status.code(), Some(1));
    // A sample event, sent to the running function.
    let output = lambda_rs(&["invoke", "--address", &address, "--sample", "sqs/receive"]);
    let echoed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(echoed, fixture_event("sqs/receive.json"));
    // A command after -- makes no sense with --address.
    let output = lambda_rs(&["invoke", "--address", &address, "--", "python3"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("drop the command"));
    serve.stop().await;
}

#[test]
fn invoke_address_with_nothing_listening_says_so() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = unused.local_addr().unwrap().to_string();
    drop(unused);
    let output = lambda_rs(&["invoke", "--address", &address]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is `lambda-rs serve` or `watch` running there?"),
        "{stderr}"
    );
    let output = lambda_rs(&["invoke", "--address", "nowhere"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an IP address"));
}

fn fixture_event(path: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../lambda-events/fixtures")
        .join(path);
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn invoke_sample_sends_the_aws_sample_event() {
    let output = lambda_rs(&[
        "invoke",
        "--sample",
        "apigw/v2_request",
        "--",
        "python3",
        &runtime_py(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let echoed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(echoed, fixture_event("apigw/v2_request.json"));

    let output = lambda_rs(&["invoke", "--sample", "nope", "--", "python3", &runtime_py()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--list-samples"));
    let output = lambda_rs(&["invoke", "--sample", "s3", "--", "python3", &runtime_py()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("choose one of: s3/delete"));
}

#[test]
fn list_samples_prints_one_kind_per_line() {
    let output = lambda_rs(&["invoke", "--list-samples"]);
    assert_eq!(output.status.code(), Some(0));
    let list = String::from_utf8_lossy(&output.stdout);
    for kind in [
        "sqs/receive",
        "apigw/v1_proxy_request",
        "alb/request",
        "s3/put",
    ] {
        assert!(list.lines().any(|line| line == kind), "{kind} in\n{list}");
    }
    assert!(!list.contains("response"));
}
