//! A streamed response: text sent to the caller line by line, with pauses, as it is produced
//! (`Lambda-Runtime-Function-Response-Mode: streaming`). Memory stays bounded: each chunk is
//! sent before the next is made.
//!
//! ```text
//! cargo build --example streaming
//! cargo run -p lambda-cli -- invoke --event '{"lines": 5}' -- target/debug/examples/streaming
//! ```
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame};
use lambda_runtime::streaming::StreamResponse;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde::Deserialize;
use tokio::sync::mpsc;

#[derive(Deserialize)]
struct Request {
    lines: Option<u32>,
}

/// A body fed by a channel: each message is one chunk; the body ends when the sender is
/// dropped. (`http_body_util::StreamBody` over any `Stream` works as well.)
struct ChannelBody(mpsc::Receiver<Bytes>);

impl Body for ChannelBody {
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

async fn handler(event: LambdaEvent<Request>) -> Result<StreamResponse<ChannelBody>, Error> {
    let lines = event.payload.lines.unwrap_or(3).min(100);
    // A small channel: the producer waits while the connection is busy (backpressure).
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        for n in 1..=lines {
            let line = Bytes::from(format!("line {n} of {lines}\n"));
            if tx.send(line).await.is_err() {
                return; // The caller went away: stop producing.
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    Ok(StreamResponse::new(ChannelBody(rx)).with_content_type("text/plain"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run_streaming(service_fn(handler)).await?;
    Ok(())
}
