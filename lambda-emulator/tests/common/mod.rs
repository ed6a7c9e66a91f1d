//! Shared test helpers: a small hyper HTTP/1.1 client for loopback, and time bounds.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body::Frame;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;

/// Every test step is bounded by this.
pub const BOUND: Duration = Duration::from_secs(20);

/// Runs `future`, failing the test if it takes longer than [`BOUND`].
pub async fn bounded<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(BOUND, future)
        .await
        .expect("test step took longer than its bound")
}

/// Request body type of the helper client.
pub type Body = UnsyncBoxBody<Bytes, Infallible>;

/// A body of one buffer.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed_unsync()
}

/// A body sent as the given chunks, then the trailers (if any).
pub fn chunked(chunks: &[&'static [u8]], trailers: Option<HeaderMap>) -> Body {
    let mut frames: VecDeque<Frame<Bytes>> = chunks
        .iter()
        .map(|chunk| Frame::data(Bytes::from_static(chunk)))
        .collect();
    if let Some(trailers) = trailers {
        frames.push_back(Frame::trailers(trailers));
    }
    FramesBody { frames }.boxed_unsync()
}

struct FramesBody {
    frames: VecDeque<Frame<Bytes>>,
}

impl http_body::Body for FramesBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.frames.pop_front().map(Ok))
    }
}

/// A received response, fully read.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub trailers: Option<HeaderMap>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("body is JSON")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One keep-alive HTTP/1.1 connection.
pub struct Client {
    address: SocketAddr,
    sender: SendRequest<Body>,
}

impl Client {
    pub async fn connect(address: SocketAddr) -> Client {
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .expect("handshake");
        tokio::spawn(connection);
        Client { address, sender }
    }

    /// Sends a request; `Err` when the connection failed.
    pub async fn try_send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> Result<Reply, hyper::Error> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.address.to_string());
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(body).expect("request");
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let (parts, body) = response.into_parts();
        let collected = body.collect().await?;
        let trailers = collected.trailers().cloned();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body: collected.to_bytes(),
            trailers,
        })
    }

    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> Reply {
        bounded(self.try_send(method, path, headers, body))
            .await
            .expect("request failed")
    }

    /// Sends a request and returns the response with its body unread.
    pub async fn send_streaming(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> http::Response<hyper::body::Incoming> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.address.to_string());
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(body).expect("request");
        bounded(async {
            self.sender.ready().await.expect("connection ready");
            self.sender.send_request(request).await.expect("response")
        })
        .await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Method::GET, path, &[], full(Bytes::new())).await
    }

    pub async fn post(
        &mut self,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Reply {
        self.send(Method::POST, path, headers, full(body)).await
    }
}

/// One request on a fresh connection.
pub async fn request(
    address: SocketAddr,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Reply {
    Client::connect(address)
        .await
        .send(method, path, headers, full(body))
        .await
}

pub const NEXT: &str = "/2018-06-01/runtime/invocation/next";

pub fn response_path(request_id: &str) -> String {
    format!("/2018-06-01/runtime/invocation/{request_id}/response")
}

pub fn error_path(request_id: &str) -> String {
    format!("/2018-06-01/runtime/invocation/{request_id}/error")
}

/// The path of a file in `lambda-emulator/tests/fixtures` (the path works from every workspace
/// crate that includes this module, e.g. lambda-cli's tests).
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../lambda-emulator/tests/fixtures")
        .join(name)
}

/// A function running the standard-library Python runtime `tests/fixtures/runtime.py`, quiet,
/// with `env` added.
pub fn python_function(env: &[(&str, &str)]) -> lambda_emulator::FunctionConfig {
    let mut config = lambda_emulator::FunctionConfig::new("python3", [fixture("runtime.py")]);
    config.echo = lambda_emulator::Echo::Off;
    config.timeout = Duration::from_secs(10);
    config.env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    config
}

/// A scratch directory under the system temp dir, removed on drop.
pub struct Scratch {
    pub path: std::path::PathBuf,
}

impl Scratch {
    pub fn new(label: &str) -> Scratch {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "lambda-emulator-{label}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch { path }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// An extensions directory holding a copy of `tests/fixtures/extension.py` under each name,
/// and a directory where the copies record what they receive.
pub struct ExtensionsSetup {
    pub dir: Scratch,
    pub records: Scratch,
}

impl ExtensionsSetup {
    pub fn new(names: &[&str]) -> ExtensionsSetup {
        let dir = Scratch::new("extensions");
        let records = Scratch::new("records");
        for name in names {
            let target = dir.path.join(name);
            std::fs::copy(fixture("extension.py"), &target).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
        ExtensionsSetup { dir, records }
    }

    /// A Python function configured with these extensions.
    pub fn function(&self, env: &[(&str, &str)]) -> lambda_emulator::FunctionConfig {
        let mut config = python_function(env);
        config.extensions_dir = Some(self.dir.path.clone());
        config.env.push((
            "FIXTURE_EXT_RECORD_DIR".into(),
            self.records.path.display().to_string(),
        ));
        config
    }

    /// The JSON lines extension `name` recorded (without its `identifier` line).
    pub fn recorded(&self, name: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.records.path.join(format!("{name}.jsonl")))
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .filter(|record| record.get("identifier").is_none())
            .collect()
    }
}

/// A Telemetry/Logs API listener on loopback that keeps every record it is POSTed.
pub struct Listener {
    pub address: SocketAddr,
    pub records: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Listener {
    pub async fn start() -> Listener {
        Listener::bind("127.0.0.1:0".parse().unwrap()).await
    }

    pub async fn bind(address: SocketAddr) -> Listener {
        Listener::bind_failing(address, 0).await
    }

    /// A listener that answers 500 to its first `failures` requests.
    pub async fn bind_failing(address: SocketAddr, failures: usize) -> Listener {
        let failures = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(failures));
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let address = listener.local_addr().unwrap();
        let records = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = records.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                let store = store.clone();
                let failures = failures.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |request: http::Request<hyper::body::Incoming>| {
                            let store = store.clone();
                            let failures = failures.clone();
                            async move {
                                let body = request.into_body().collect().await?.to_bytes();
                                let fail = failures
                                    .fetch_update(
                                        std::sync::atomic::Ordering::SeqCst,
                                        std::sync::atomic::Ordering::SeqCst,
                                        |n| n.checked_sub(1),
                                    )
                                    .is_ok();
                                let mut response = http::Response::new(Full::new(Bytes::new()));
                                if fail {
                                    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                                } else {
                                    let batch: Vec<serde_json::Value> =
                                        serde_json::from_slice(&body).unwrap();
                                    store.lock().unwrap().extend(batch);
                                }
                                Ok::<_, hyper::Error>(response)
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Listener {
            address,
            records,
            _task: task,
        }
    }

    /// Waits until a record satisfies `found`.
    pub async fn wait_for(&self, found: impl Fn(&serde_json::Value) -> bool) {
        let records = self.records.clone();
        let _report = Defer(move || {
            if std::thread::panicking() {
                eprintln!("listener records: {:?}", records.lock().map(|r| r.clone()));
            }
        });
        bounded(async {
            while !self.records.lock().unwrap().iter().any(&found) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
    }

    pub fn snapshot(&self) -> Vec<serde_json::Value> {
        self.records.lock().unwrap().clone()
    }

    pub fn uri(&self) -> String {
        format!(
            "http://sandbox.localdomain:{}/telemetry",
            self.address.port()
        )
    }
}

struct Defer<F: FnMut()>(F);

impl<F: FnMut()> Drop for Defer<F> {
    fn drop(&mut self) {
        (self.0)()
    }
}
