//! The HTTP front in front of a runtime we did not write in Rust (the Python fixture, which
//! answers the event it gets): what the function receives, and the 502 for an unusable answer.
//! The Rust examples behind it (axum, streaming with and without prelude) are tested in the
//! examples crate (`examples/tests/http_front.rs`).

mod common;

use std::sync::Arc;

use common::{bounded, python_function, Client};
use http::{Method, StatusCode};
use lambda_emulator::{Environment, HttpFormat, HttpFront};

async fn start(format: HttpFormat) -> (Arc<Environment>, HttpFront) {
    let environment = Arc::new(Environment::start(python_function(&[])).await.unwrap());
    let front = HttpFront::start(
        Arc::clone(&environment),
        "127.0.0.1:0".parse().unwrap(),
        format,
    )
    .await
    .unwrap();
    (environment, front)
}

async fn stop(environment: Arc<Environment>, front: HttpFront) {
    front.shutdown().await;
    if let Ok(environment) = Arc::try_unwrap(environment) {
        bounded(environment.shutdown()).await;
    }
}

#[tokio::test]
async fn function_url_request_reaches_the_function_as_a_payload_v2_event() {
    let (environment, front) = start(HttpFormat::FunctionUrl).await;
    let mut client = Client::connect(front.address()).await;
    let reply = client
        .send(
            Method::PUT,
            "/items/7?tag=a&tag=b",
            &[
                ("cookie", "session=1; theme=dark"),
                ("content-type", "application/json"),
            ],
            common::full(r#"{"name":"seven"}"#),
        )
        .await;
    // The echo answer has no statusCode: payload 2.0 makes it a 200 JSON body.
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let event = reply.json();
    assert_eq!(event["version"], "2.0");
    assert_eq!(event["rawPath"], "/items/7");
    assert_eq!(event["rawQueryString"], "tag=a&tag=b");
    assert_eq!(event["queryStringParameters"]["tag"], "a,b");
    assert_eq!(
        event["cookies"],
        serde_json::json!(["session=1", "theme=dark"])
    );
    assert_eq!(event["body"], r#"{"name":"seven"}"#);
    assert_eq!(event["isBase64Encoded"], false);
    let context = &event["requestContext"];
    assert_eq!(context["http"]["method"], "PUT");
    assert_eq!(context["http"]["sourceIp"], "127.0.0.1");
    assert!(context["domainName"]
        .as_str()
        .unwrap()
        .contains(".lambda-url."));
    // The request id the function saw is the one the caller gets back.
    assert_eq!(
        reply.header("x-amzn-requestid"),
        context["requestId"].as_str()
    );
    stop(environment, front).await;
}

#[tokio::test]
async fn an_answer_without_status_code_is_a_502_for_a_rest_api() {
    let (environment, front) = start(HttpFormat::ApiGatewayV1).await;
    let reply = Client::connect(front.address())
        .await
        .get("/anything")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert_eq!(
        reply.json(),
        serde_json::json!({"message": "Internal server error"})
    );
    let why = reply.header("x-lambda-emulator-error").unwrap();
    assert!(why.contains("statusCode"), "{why}");
    stop(environment, front).await;
}

#[tokio::test]
async fn a_request_body_over_6_mb_is_refused_with_413() {
    let (environment, front) = start(HttpFormat::FunctionUrl).await;
    let reply = Client::connect(front.address())
        .await
        .post("/upload", &[], vec![b'x'; 6 * 1024 * 1024 + 1])
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.json()["message"], "Request Entity Too Large");
    stop(environment, front).await;
}
