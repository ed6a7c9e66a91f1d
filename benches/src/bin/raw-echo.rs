//! The physical limit: a hand-written hyper 1 client doing `GET next` / `POST response` on one
//! keep-alive connection, driven in the loop's own task on a current-thread runtime, with no
//! framework. The handler does what `ours-echo` does (parse the event as a JSON value and
//! serialize it again), so the difference to `ours-echo` is the framework's cost alone.
//!
//! No error reports, no context, no panic guard: it exits on the first unexpected thing.
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HOST};
use http::{HeaderValue, Method, Request};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

type Error = Box<dyn std::error::Error + Send + Sync>;
type Connection = http1::Connection<TokioIo<TcpStream>, Full<Bytes>>;

const NEXT: &str = "/2018-06-01/runtime/invocation/next";

/// Polls `future` and the connection together in this task until `future` completes.
async fn drive<F: Future>(conn: &mut Connection, future: F) -> Result<F::Output, Error> {
    let mut future = pin!(future);
    poll_fn(|cx| {
        if let Poll::Ready(out) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(out));
        }
        match Pin::new(&mut *conn).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(_) => Poll::Ready(Err("the Runtime API closed the connection".into())),
        }
    })
    .await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let authority = std::env::var("AWS_LAMBDA_RUNTIME_API")?;
    let host = HeaderValue::from_str(&authority)?;
    let stream = TcpStream::connect(authority.as_str()).await?;
    stream.set_nodelay(true)?;
    let (mut sender, mut conn) = http1::handshake(TokioIo::new(stream)).await?;
    loop {
        let next = Request::get(NEXT)
            .header(HOST, host.clone())
            .body(Full::new(Bytes::new()))?;
        drive(&mut conn, sender.ready()).await??;
        let response = drive(&mut conn, sender.send_request(next)).await??;
        let (parts, body) = response.into_parts();
        let body = drive(&mut conn, body.collect()).await??.to_bytes();
        let id = parts
            .headers
            .get("lambda-runtime-aws-request-id")
            .ok_or("no request id")?
            .to_str()?;
        let event: serde_json::Value = serde_json::from_slice(&body)?;
        let output = Bytes::from(serde_json::to_vec(&event)?);
        let post = Request::builder()
            .method(Method::POST)
            .uri(format!("/2018-06-01/runtime/invocation/{id}/response"))
            .header(HOST, host.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(output))?;
        drive(&mut conn, sender.ready()).await??;
        let response = drive(&mut conn, sender.send_request(post)).await??;
        drive(&mut conn, response.into_body().collect()).await??;
    }
}
