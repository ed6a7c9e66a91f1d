//! Streams `{"mb": N}` megabytes (default 50) or `{"kb": N}` kilobytes in 64 KiB chunks, produced lazily, with our runtime:
//! used to show that a streamed response's memory stays bounded (see BENCHMARKS.md).
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame};
use lambda_runtime::streaming::StreamResponse;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

const CHUNK: usize = 64 * 1024;

/// `remaining` bytes of a repeated 64 KiB block: every frame is a cheap slice of one buffer.
struct Generated {
    block: Bytes,
    remaining: usize,
}

impl Body for Generated {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let n = self.remaining.min(CHUNK);
        self.remaining -= n;
        Poll::Ready(Some(Ok(Frame::data(self.block.slice(..n)))))
    }
}

async fn handler(event: LambdaEvent<Value>) -> Result<StreamResponse<Generated>, Error> {
    // `{"kb": N}` for small streams (the soak benchmark), else `{"mb": N}`.
    let remaining = match event.payload["kb"].as_u64() {
        Some(kb) => kb as usize * 1024,
        None => event.payload["mb"].as_u64().unwrap_or(50) as usize * 1024 * 1024,
    };
    Ok(StreamResponse::new(Generated {
        block: Bytes::from(vec![b'x'; CHUNK]),
        remaining,
    }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await?;
    Ok(())
}
