//! The examples behind the emulator's HTTP front (`lambda_emulator::HttpFront`), answered over
//! a real HTTP client on loopback: an axum app through every event format, and both forms of a
//! streamed response (with the HTTP integration prelude, and a plain `StreamResponse` stream).
//!
//! `cargo test -p examples` builds the example binaries these tests run.

#[path = "../../lambda-emulator/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{bounded, Client};
use http::{Method, StatusCode};
use http_body_util::BodyExt;
use lambda_emulator::{Echo, Environment, FunctionConfig, HttpFormat, HttpFront};
use serde_json::json;

/// The example binary `name`, built next to this test by `cargo test -p examples`.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/debug/deps/http_front-HASH -> target/debug/examples/NAME
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("examples")
        .join(name);
    assert!(
        path.is_file(),
        "{} is not built: run `cargo test -p examples` (it builds the examples)",
        path.display()
    );
    path
}

struct Front {
    environment: Arc<Environment>,
    front: HttpFront,
}

impl Front {
    async fn start(example_name: &str, format: HttpFormat) -> Front {
        let mut config = FunctionConfig::new(example(example_name), Vec::<String>::new());
        config.echo = Echo::Off;
        config.timeout = Duration::from_secs(10);
        let environment = Arc::new(Environment::start(config).await.unwrap());
        let front = HttpFront::start(
            Arc::clone(&environment),
            "127.0.0.1:0".parse().unwrap(),
            format,
        )
        .await
        .unwrap();
        Front { environment, front }
    }

    async fn client(&self) -> Client {
        Client::connect(self.front.address()).await
    }

    async fn stop(self) {
        self.front.shutdown().await;
        if let Ok(environment) = Arc::try_unwrap(self.environment) {
            bounded(environment.shutdown()).await;
        }
    }
}

#[tokio::test]
async fn axum_app_answers_like_behind_a_function_url() {
    let front = Front::start("http-axum", HttpFormat::FunctionUrl).await;
    let mut client = front.client().await;

    let reply = client.get("/books/7").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let book = reply.json();
    assert_eq!(book["id"], 7);
    assert_eq!(book["title"], "Book 7");
    assert_eq!(
        book["invocation"].as_str(),
        reply.header("x-amzn-requestid")
    );

    let reply = client.get("/books?page=2&per_page=5").await;
    assert_eq!(reply.json(), json!({"page": 2, "perPage": 5, "books": []}));

    let reply = client
        .post(
            "/books",
            &[("content-type", "application/json")],
            r#"{"title":"Dune"}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.json(), json!({"id": 42, "title": "Dune"}));

    let reply = client.get("/whoami").await;
    assert_eq!(
        reply.json(),
        json!({"source": "function URL", "ip": "127.0.0.1"})
    );

    let reply = client.get("/no/such/route").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    front.stop().await;
}

#[tokio::test]
async fn axum_app_sees_the_source_each_format_plays() {
    let cases = [
        (HttpFormat::ApiGatewayV2, "HTTP API"),
        (HttpFormat::ApiGatewayV1, "REST API"),
        (HttpFormat::Alb, "ALB"),
        (HttpFormat::AlbMultiValue, "ALB"),
    ];
    for (format, source) in cases {
        let front = Front::start("http-axum", format).await;
        let mut client = front.client().await;
        let reply = client.get("/whoami").await;
        assert_eq!(reply.status, StatusCode::OK, "{format}");
        assert_eq!(reply.json()["source"], source, "{format}");
        let reply = client
            .post(
                "/books",
                &[("content-type", "application/json")],
                r#"{"title":"Emma"}"#,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{format}");
        assert_eq!(reply.json()["title"], "Emma", "{format}");
        let reply = client.get("/books?page=3").await;
        assert_eq!(reply.json()["page"], 3, "{format}");
        front.stop().await;
    }
}

/// Reads the body frame by frame: (elapsed since the request, text) for each data frame.
async fn frames(response: http::Response<hyper::body::Incoming>) -> Vec<(Duration, String)> {
    let started = Instant::now();
    let mut body = response.into_body();
    let mut frames = Vec::new();
    while let Some(frame) = bounded(body.frame()).await {
        if let Ok(data) = frame.unwrap().into_data() {
            frames.push((started.elapsed(), String::from_utf8(data.to_vec()).unwrap()));
        }
    }
    frames
}

#[tokio::test]
async fn streamed_response_with_prelude_streams_with_its_status_and_headers() {
    let front = Front::start("http-streaming", HttpFormat::FunctionUrl).await;
    let mut client = front.client().await;
    let response = client
        .send_streaming(Method::GET, "/events", &[], common::full(""))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/event-stream",
        "the prelude's headers, not the runtime's content type"
    );
    let frames = frames(response).await;
    let text: String = frames.iter().map(|(_, text)| text.as_str()).collect();
    let expected: String = (1..=5).map(|n| format!("data: tick {n}\n\n")).collect();
    assert_eq!(text, expected);
    // Streamed, not buffered: the first tick arrives well before the last (2 s later).
    let first = frames.first().unwrap().0;
    let last = frames.last().unwrap().0;
    assert!(
        last - first >= Duration::from_millis(1500),
        "frames: {frames:?}"
    );

    // A buffered route of the same streaming app.
    let reply = client.get("/status").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"status": "ok"}));
    front.stop().await;
}

#[tokio::test]
async fn plain_stream_without_prelude_is_passed_through_as_the_body() {
    let front = Front::start("streaming", HttpFormat::FunctionUrl).await;
    let mut client = front.client().await;
    let response = client
        .send_streaming(Method::GET, "/", &[], common::full(""))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/plain");
    let frames = frames(response).await;
    let text: String = frames.iter().map(|(_, text)| text.as_str()).collect();
    assert_eq!(text, "line 1 of 3\nline 2 of 3\nline 3 of 3\n");
    assert!(
        frames.len() >= 2,
        "the lines arrive as they are produced: {frames:?}"
    );
    front.stop().await;
}

#[tokio::test]
async fn a_function_error_is_a_502_with_a_json_message() {
    // `error` expects an order, not an HTTP event: its handler fails.
    let front = Front::start("error", HttpFormat::FunctionUrl).await;
    let reply = front.client().await.get("/orders").await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert_eq!(reply.json(), json!({"message": "Internal Server Error"}));
    assert!(reply.header("x-lambda-emulator-error").is_some());
    front.stop().await;
}
