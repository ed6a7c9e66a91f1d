//! An axum app with response streaming (a function URL with `InvokeMode: RESPONSE_STREAM`,
//! or API Gateway response streaming): `/events` streams a line every half second, `/status`
//! is an ordinary buffered JSON route, in the same app.
//!
//! ```text
//! cargo build --example http-streaming
//! cargo run -p lambda-cli -- invoke --event-file lambda-events/fixtures/lambda_function_urls/request.json \
//!     -- target/debug/examples/http-streaming
//! ```
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use bytes::Bytes;
use http_body::Frame;
use lambda_runtime::Error;
use serde_json::json;
use tokio::sync::mpsc;

/// A body fed by a channel: each message is one chunk.
struct ChannelBody(mpsc::Receiver<Bytes>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|c| Ok(Frame::data(c))))
    }
}

/// Streamed: the caller sees each line as it is sent.
async fn events() -> impl IntoResponse {
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        for n in 1..=5 {
            let event = Bytes::from(format!("data: tick {n}\n\n"));
            if tx.send(event).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    (
        [(CONTENT_TYPE, "text/event-stream")],
        Body::new(ChannelBody(rx)),
    )
}

/// Buffered: one JSON document, in the same streamed response format.
async fn status() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let app = Router::new()
        .route("/events", get(events))
        .route("/status", get(status))
        .route("/my/path", get(status).post(status));
    lambda_runtime::http::run_http_streaming(app).await?;
    Ok(())
}
