//! The HTTP/1.1 server loop shared by every API the emulator serves: bind once, accept, serve each
//! connection with keep-alive, stop on shutdown or drop.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

/// The response body type of every emulator endpoint.
pub(crate) type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// A body made of one buffer.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed_unsync()
}

/// A response with `status` and a JSON body.
pub(crate) fn json_response(status: StatusCode, body: Bytes) -> Response<Body> {
    let mut response = Response::new(full(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A Lambda-style JSON error response.
pub(crate) fn error_response(
    status: StatusCode,
    error_type: &str,
    message: &str,
) -> Response<Body> {
    json_response(status, crate::wire::error_body(error_type, message))
}

/// Returned by a handler to drop the connection without answering (fault injection).
#[derive(Debug)]
pub(crate) struct CloseConnection;

impl std::fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed on purpose by the emulator")
    }
}

impl std::error::Error for CloseConnection {}

/// A running server; dropping it stops accepting and closes every connection.
#[derive(Debug)]
pub(crate) struct ServerHandle {
    address: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl ServerHandle {
    pub(crate) fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops the server and waits until every connection is closed.
    pub(crate) async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// What every listener bounds, so that no client can knock the emulator over: idle or
/// half-open connections are closed, and connections are capped.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The longest wait for a request's complete head, counted from the moment the
    /// connection is ready for a request: it also closes keep-alive connections idle that
    /// long. (A request already being handled, such as a long-polling `next`, is not idle.)
    pub(crate) header_read_timeout: Duration,
    /// Open connections per listener; past it, a new connection is answered 503 and closed.
    pub(crate) max_connections: usize,
    /// Whether a request whose client closed its side after sending it is still handled
    /// (`true` for invocations, which run even if the caller hangs up; `false` for the
    /// Runtime API, where a `next` from a runtime that went away must not take an event).
    pub(crate) half_close: bool,
}

impl Limits {
    /// The invoke endpoint's: callers' idle keep-alive connections close after a minute.
    pub(crate) const INVOKE: Limits = Limits {
        header_read_timeout: Duration::from_secs(60),
        max_connections: 512,
        half_close: true,
    };

    /// The Runtime, Extensions and Telemetry APIs': a runtime's connection is idle while its
    /// handler runs (between `next` and the response POST), which may last Lambda's longest
    /// timeout, 15 minutes.
    pub(crate) const RUNTIME: Limits = Limits {
        header_read_timeout: Duration::from_secs(16 * 60),
        max_connections: 512,
        half_close: false,
    };
}

/// Binds `address` and serves `handler` on every accepted connection, within the invoke
/// endpoint's [`Limits`] (any front door callers use).
pub(crate) async fn bind<F, Fut>(address: SocketAddr, handler: F) -> std::io::Result<ServerHandle>
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Body>, CloseConnection>> + Send + 'static,
{
    bind_with(address, Limits::INVOKE, handler).await
}

/// Binds `address` and serves `handler` on every accepted connection, within `limits`.
pub(crate) async fn bind_with<F, Fut>(
    address: SocketAddr,
    limits: Limits,
    handler: F,
) -> std::io::Result<ServerHandle>
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Body>, CloseConnection>> + Send + 'static,
{
    let listener = TcpListener::bind(address).await?;
    let address = listener.local_addr()?;
    let (stop, stop_rx) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, limits, handler, stop_rx));
    Ok(ServerHandle {
        address,
        stop,
        task: Some(task),
    })
}

/// The address of the client a request came from (a request extension): one per connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub(crate) SocketAddr);

/// Answers a connection over the cap with a 503 and closes it, without waiting long.
async fn refuse(mut stream: TcpStream) {
    let body = crate::wire::aws_error_body(
        StatusCode::SERVICE_UNAVAILABLE,
        "the emulator has too many open connections on this port; retry, or close idle ones",
    );
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         x-amzn-errortype: ServiceException\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    // The client's request head is read first (briefly), so that it sees an answer to its
    // request rather than a connection closed under it.
    let mut request = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut request)).await;
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&body).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

async fn accept_loop<F, Fut>(
    listener: TcpListener,
    limits: Limits,
    handler: F,
    mut stop: watch::Receiver<bool>,
) where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Body>, CloseConnection>> + Send + 'static,
{
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|stopped| *stopped) => break,
        };
        // Reap finished connection tasks so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
        let stream = match accepted {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of file descriptors or a reset during the handshake: back off briefly.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let (stream, peer) = stream;
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            connections.spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        let mut stop = stop.clone();
        connections.spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(Peer(peer));
                handler(request)
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .half_close(limits.half_close)
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = stop.wait_for(|stopped| *stopped) => {}
            }
        });
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHORT: Limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        max_connections: 3,
        half_close: false,
    };

    async fn ok_server() -> ServerHandle {
        bind_with("127.0.0.1:0".parse().unwrap(), SHORT, |_request| async {
            Ok(json_response(StatusCode::OK, Bytes::from_static(b"{}")))
        })
        .await
        .unwrap()
    }

    /// Reads until the server closes the connection; the bytes it sent.
    async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
        let mut received = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received))
            .await
            .expect("the server did not close the connection")
            .unwrap();
        received
    }

    const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nhost: x\r\n\r\n";

    #[tokio::test]
    async fn silent_half_open_and_idle_connections_are_closed() {
        let server = ok_server().await;
        let mut silent = TcpStream::connect(server.address()).await.unwrap();
        let mut half = TcpStream::connect(server.address()).await.unwrap();
        half.write_all(b"GET / HTTP/1.1\r\nhost").await.unwrap();
        let mut idle = TcpStream::connect(server.address()).await.unwrap();
        idle.write_all(REQUEST).await.unwrap();
        assert!(until_closed(&mut silent).await.is_empty());
        let half_answer = until_closed(&mut half).await;
        assert!(!half_answer.starts_with(b"HTTP/1.1 200"));
        // The keep-alive connection was answered, then closed once idle.
        assert!(until_closed(&mut idle)
            .await
            .starts_with(b"HTTP/1.1 200 OK"));
    }

    #[tokio::test]
    async fn connections_over_the_cap_get_503_and_service_resumes() {
        let server = ok_server().await;
        let mut held = Vec::new();
        for _ in 0..SHORT.max_connections {
            held.push(TcpStream::connect(server.address()).await.unwrap());
        }
        let mut over = TcpStream::connect(server.address()).await.unwrap();
        let refused = String::from_utf8(until_closed(&mut over).await).unwrap();
        assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
        assert!(
            refused.contains("x-amzn-errortype: ServiceException"),
            "{refused}"
        );
        assert!(
            refused.ends_with(r#""Type":"Service"}"#) || refused.contains(r#""Type":"Service""#)
        );
        // The held connections time out; then a normal request is served.
        for stream in &mut held {
            until_closed(stream).await;
        }
        let mut normal = TcpStream::connect(server.address()).await.unwrap();
        normal.write_all(REQUEST).await.unwrap();
        let mut head = [0u8; 15];
        normal.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 200 OK");
    }
}
