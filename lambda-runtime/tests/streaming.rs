//! Streamed responses against the emulator's Runtime API, over real HTTP on loopback.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body::{Body, Frame};
use lambda_emulator::{Outcome, RuntimeApi};
use lambda_runtime::streaming::StreamResponse;
use lambda_runtime::Endpoint;
use lambda_runtime::{service_fn, Config, Diagnostic, Error, LambdaEvent, Runtime};
use serde_json::{json, Value};

/// A body that yields its steps one per poll, waking itself in between (as a slow producer
/// would), and can fail or panic partway.
struct Steps(VecDeque<Step>);

enum Step {
    Chunk(&'static str),
    Fail(Diagnostic),
    Panic,
}

impl Body for Steps {
    type Data = Bytes;
    type Error = Diagnostic;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Diagnostic>>> {
        match self.0.pop_front() {
            None => Poll::Ready(None),
            Some(Step::Chunk(s)) => {
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(s.as_bytes())))))
            }
            Some(Step::Fail(d)) => Poll::Ready(Some(Err(d))),
            Some(Step::Panic) => panic!("the producer broke"),
        }
    }
}

async fn start_streaming_runtime() -> (RuntimeApi, tokio::task::JoinHandle<()>) {
    let api = RuntimeApi::start().await.unwrap();
    let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
    let service = service_fn(|event: LambdaEvent<Value>| async move {
        let steps: VecDeque<Step> = match event.payload["mode"].as_str() {
            Some("fail") => [
                Step::Chunk("partial "),
                Step::Fail(Diagnostic::new("StreamBroke", "the source went away")),
                Step::Chunk("never sent"),
            ]
            .into(),
            Some("panic") => [Step::Chunk("partial "), Step::Panic].into(),
            Some("http") => {
                let response = http::Response::builder()
                    .status(201)
                    .header("content-type", "text/plain")
                    .header("set-cookie", "session=1")
                    .body(Steps([Step::Chunk("hello "), Step::Chunk("http")].into()))
                    .unwrap();
                return Ok::<_, Error>(StreamResponse::from_http(response));
            }
            _ => [
                Step::Chunk("one "),
                Step::Chunk("two "),
                Step::Chunk("three"),
            ]
            .into(),
        };
        Ok(StreamResponse::new(Steps(steps)).with_content_type("text/plain"))
    });
    let runtime = tokio::spawn(async move {
        let _ = Runtime::new(endpoint, Config::default()).run(service).await;
    });
    (api, runtime)
}

fn streamed(outcome: Outcome) -> lambda_emulator::FunctionResponse {
    match outcome {
        Outcome::Response(r) => {
            assert!(r.streamed, "the response was not streamed: {r:?}");
            r
        }
        other => panic!("expected a streamed response, got {other:?}"),
    }
}

#[tokio::test]
async fn streamed_response_is_posted_in_streaming_mode() {
    let (api, runtime) = start_streaming_runtime().await;
    let response = streamed(api.invoke(json!({})).await);
    assert_eq!(response.body, "one two three");
    assert_eq!(
        response.headers["lambda-runtime-function-response-mode"],
        "streaming"
    );
    assert_eq!(response.headers["content-type"], "text/plain");
    assert_eq!(response.headers["transfer-encoding"], "chunked");
    assert_eq!(response.trailer_error_type(), None);
    runtime.abort();
}

#[tokio::test]
async fn error_after_the_first_byte_is_sent_as_trailers() {
    let (api, runtime) = start_streaming_runtime().await;
    let response = streamed(api.invoke(json!({"mode": "fail"})).await);
    assert_eq!(response.body, "partial ");
    assert_eq!(
        response.trailer_error_type().as_deref(),
        Some("Function.StreamBroke")
    );
    let trailers = response.trailers.as_ref().unwrap();
    let encoded = trailers["lambda-runtime-function-error-body"]
        .to_str()
        .unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&decoded).unwrap(),
        json!({"errorType": "StreamBroke", "errorMessage": "the source went away"})
    );
    // The loop goes on.
    assert_eq!(streamed(api.invoke(json!({})).await).body, "one two three");
    runtime.abort();
}

#[tokio::test]
async fn panic_while_streaming_ends_the_stream_with_panic_trailers() {
    let (api, runtime) = start_streaming_runtime().await;
    let response = streamed(api.invoke(json!({"mode": "panic"})).await);
    assert_eq!(response.body, "partial ");
    assert_eq!(
        response.trailer_error_type().as_deref(),
        Some("Runtime.HandlerPanic")
    );
    assert_eq!(streamed(api.invoke(json!({})).await).body, "one two three");
    runtime.abort();
}

#[tokio::test]
async fn http_stream_starts_with_the_prelude_and_the_delimiter() {
    let (api, runtime) = start_streaming_runtime().await;
    let response = streamed(
        tokio::time::timeout(Duration::from_secs(10), api.invoke(json!({"mode": "http"})))
            .await
            .unwrap(),
    );
    assert_eq!(
        response.headers["content-type"],
        "application/vnd.awslambda.http-integration-response"
    );
    let mut expected =
        br#"{"statusCode":201,"headers":{"content-type":"text/plain"},"cookies":["session=1"]}"#
            .to_vec();
    expected.extend_from_slice(&[0; 8]);
    expected.extend_from_slice(b"hello http");
    assert_eq!(response.body, expected);
    // The prelude and the delimiter are chunks of their own, before the body's.
    assert_eq!(
        response.chunks[0],
        r#"{"statusCode":201,"headers":{"content-type":"text/plain"},"cookies":["session=1"]}"#
    );
    assert_eq!(response.chunks[1], [0u8; 8].as_slice());
    assert_eq!(response.chunks[2..], ["hello ", "http"]);
    runtime.abort();
}

#[tokio::test]
async fn stream_cut_off_midway_ends_that_invocation_and_the_loop_continues() {
    let (api, runtime) = start_streaming_runtime().await;
    // As when the caller goes away: the connection carrying the stream is dropped midway.
    api.faults().cut_next_stream_after(4);
    match api.invoke(json!({})).await {
        Outcome::Error(report) => {
            assert_eq!(
                report.error_type().as_deref(),
                Some("Runtime.TruncatedResponse")
            )
        }
        other => panic!("expected a truncated response, got {other:?}"),
    }
    assert!(!runtime.is_finished(), "the runtime stopped");
    assert_eq!(streamed(api.invoke(json!({})).await).body, "one two three");
    runtime.abort();
}
