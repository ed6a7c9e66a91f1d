//! The local HTTP listener Lambda delivers log and telemetry batches to.
//!
//! One hyper server, bound once, serves every connection concurrently and routes by path:
//! `/logs` to the logs processor and `/telemetry` to the telemetry processor. A batch is answered
//! 200 once its processor accepted it, 500 when the processor failed (Lambda then delivers it
//! again), and 400 when it is not a JSON array; the listener keeps serving either way. One
//! malformed element does not cost the rest of its batch: it reaches the processor as a
//! [`RecordBody::Malformed`](crate::RecordBody::Malformed) record, beside the records that parsed,
//! and the batch is answered 200.
//!
//! In Lambda the subscription's destination is `http://sandbox.localdomain:PORT/...`. For local
//! runs the host can be changed with [`ListenerConfig::with_host`] or the
//! `LAMBDA_EXTENSION_LISTENER_HOST` environment variable.

use std::convert::Infallible;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::processor::BatchProcessor;
use crate::records::Record;

/// The port Lambda reserves for its own APIs; a listener may not use it.
pub const RESERVED_PORT: u16 = 9001;

/// The host Lambda resolves to the execution environment.
pub const SANDBOX_HOST: &str = "sandbox.localdomain";

/// Overrides the destination host (for local runs whose environment cannot resolve
/// `sandbox.localdomain`).
pub const LISTENER_HOST_VAR: &str = "LAMBDA_EXTENSION_LISTENER_HOST";

/// The path logs batches are delivered to.
pub const LOGS_ROUTE: &str = "/logs";

/// The path telemetry batches are delivered to.
pub const TELEMETRY_ROUTE: &str = "/telemetry";

/// How long resolving the listener's host may take.
const HOST_LOOKUP_LIMIT: Duration = Duration::from_secs(1);

/// The largest batch accepted: Lambda sends up to `2 * maxBytes` plus metadata (maxBytes is at
/// most 1 MiB).
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

/// Where the listener listens and what address Lambda is told.
///
/// ```
/// use lambda_extension::ListenerConfig;
///
/// let config = ListenerConfig::new().with_port(8080).with_host("127.0.0.1");
/// assert_eq!(config.port(), 8080);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerConfig {
    host: String,
    port: u16,
}

impl Default for ListenerConfig {
    fn default() -> Self {
        ListenerConfig::new()
    }
}

impl ListenerConfig {
    /// Host `sandbox.localdomain` (or `LAMBDA_EXTENSION_LISTENER_HOST` if set) and port 0: the
    /// system picks a free port, which avoids clashes between extensions (Lambda allows any port
    /// but 9001).
    pub fn new() -> Self {
        let host = std::env::var(LISTENER_HOST_VAR)
            .ok()
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| SANDBOX_HOST.to_owned());
        ListenerConfig { host, port: 0 }
    }

    /// The port to listen on (0: any free port). 9001 is refused when binding.
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The host put in the destination URI, and bound: an IP address as is, a name as it
    /// resolves (127.0.0.1 if it does not, as on a laptop).
    pub fn with_host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The configured port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The configured host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The address to bind: the host itself if it is an IP address, else what it resolves to
    /// (in Lambda, `sandbox.localdomain` is the environment's own address), else loopback (a
    /// local run, where the emulator delivers `sandbox.localdomain` batches to 127.0.0.1).
    async fn bind_address(&self) -> SocketAddr {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = host.parse::<IpAddr>() {
            return SocketAddr::new(ip, self.port);
        }
        let lookup = tokio::net::lookup_host((host, self.port));
        match tokio::time::timeout(HOST_LOOKUP_LIMIT, lookup).await {
            Ok(Ok(mut addresses)) => {
                if let Some(address) = addresses.next() {
                    return address;
                }
            }
            Ok(Err(e)) => tracing::debug!(host, error = %e, "the listener host does not resolve"),
            Err(_) => tracing::debug!(host, "resolving the listener host timed out"),
        }
        tracing::debug!(host, "listening on 127.0.0.1 (not in Lambda)");
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.port)
    }
}

/// The listener could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum ListenerError {
    /// Port 9001 was asked for.
    ReservedPort,
    /// Binding failed (the port is in use, or the address is not local).
    Bind {
        /// The address tried.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

impl fmt::Display for ListenerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenerError::ReservedPort => write!(
                f,
                "the listener cannot use port {RESERVED_PORT}: Lambda reserves it for its own APIs; \
                 choose another port or 0 for any free port"
            ),
            ListenerError::Bind { address, .. } => write!(
                f,
                "cannot listen for logs and telemetry on {address} (choose another port with \
                 `with_listener_port`, or 0 for any free port)"
            ),
        }
    }
}

impl std::error::Error for ListenerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ListenerError::Bind { source, .. } => Some(source),
            ListenerError::ReservedPort => None,
        }
    }
}

#[derive(Debug, Default)]
struct Routes {
    logs: Option<BatchProcessor>,
    telemetry: Option<BatchProcessor>,
}

/// A running listener. Dropping it stops the server and its connections.
///
/// ```no_run
/// use lambda_extension::{BatchProcessor, Listener, ListenerConfig, Record};
/// use lambda_extension::tower::service_fn;
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let telemetry = BatchProcessor::new(service_fn(|batch: Vec<Record>| async move {
///     Ok::<(), lambda_extension::Error>(())
/// }));
/// let listener = Listener::bind(&ListenerConfig::new().with_host("127.0.0.1"), None, Some(telemetry)).await?;
/// println!("subscribe with {}", listener.telemetry_uri());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Listener {
    local_addr: SocketAddr,
    host: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Listener {
    /// Binds the listener once and starts serving on the current tokio runtime.
    pub async fn bind(
        config: &ListenerConfig,
        logs: Option<BatchProcessor>,
        telemetry: Option<BatchProcessor>,
    ) -> Result<Listener, ListenerError> {
        if config.port == RESERVED_PORT {
            return Err(ListenerError::ReservedPort);
        }
        let address = config.bind_address().await;
        let tcp = TcpListener::bind(address)
            .await
            .map_err(|source| ListenerError::Bind { address, source })?;
        let local_addr = tcp
            .local_addr()
            .map_err(|source| ListenerError::Bind { address, source })?;
        let routes = Arc::new(Routes { logs, telemetry });
        let server = tokio::spawn(serve(tcp, routes));
        Ok(Listener {
            local_addr,
            host: config.host.clone(),
            server,
        })
    }

    /// The address bound (with the port the system chose, if it was 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The destination URI for the Logs API subscription.
    pub fn logs_uri(&self) -> String {
        self.uri(LOGS_ROUTE)
    }

    /// The destination URI for the Telemetry API subscription.
    pub fn telemetry_uri(&self) -> String {
        self.uri(TELEMETRY_ROUTE)
    }

    fn uri(&self, route: &str) -> String {
        let host = &self.host;
        let port = self.local_addr.port();
        if host.contains(':') && !host.starts_with('[') {
            format!("http://[{host}]:{port}{route}")
        } else {
            format!("http://{host}:{port}{route}")
        }
    }
}

/// The accept loop: one task per connection, all owned by a `JoinSet` so that stopping the
/// server stops them too.
async fn serve(tcp: TcpListener, routes: Arc<Routes>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = tcp.accept() => match accepted {
                Ok((stream, _)) => {
                    let routes = routes.clone();
                    connections.spawn(async move {
                        let service = hyper::service::service_fn(move |request| {
                            let routes = routes.clone();
                            async move { Ok::<_, Infallible>(handle(&routes, request).await) }
                        });
                        let connection = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service);
                        if let Err(e) = connection.await {
                            tracing::debug!(error = %e, "listener connection ended with an error");
                        }
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "the logs/telemetry listener could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn handle(routes: &Routes, request: Request<Incoming>) -> Response<Full<Bytes>> {
    if request.method() != Method::POST && request.method() != Method::PUT {
        return reply(StatusCode::METHOD_NOT_ALLOWED, "use POST or PUT");
    }
    let path = request.uri().path();
    let (processor, kind) = match path.trim_end_matches('/') {
        LOGS_ROUTE => (routes.logs.as_ref(), "logs"),
        TELEMETRY_ROUTE => (routes.telemetry.as_ref(), "telemetry"),
        _ => (None, ""),
    };
    let Some(processor) = processor else {
        return reply(StatusCode::NOT_FOUND, "no processor for this path");
    };
    let body = match Limited::new(request.into_body(), MAX_BATCH_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            tracing::error!(
                kind,
                "a {kind} batch is larger than {MAX_BATCH_BYTES} bytes: refused"
            );
            return reply(StatusCode::PAYLOAD_TOO_LARGE, "batch too large");
        }
        Err(e) => {
            tracing::debug!(kind, error = %e, "reading a batch failed");
            return reply(StatusCode::BAD_REQUEST, "the body could not be read");
        }
    };
    let batch: Vec<Record> = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(e) => {
            tracing::error!(kind, error = %e, "a {kind} batch is not a JSON array: answered 400");
            return reply(StatusCode::BAD_REQUEST, &format!("not a JSON array: {e}"));
        }
    };
    let count = batch.len();
    let malformed = batch.iter().filter(|r| r.is_malformed()).count();
    if malformed > 0 {
        tracing::warn!(
            kind,
            records = count,
            malformed,
            "a {kind} batch holds elements that are not {{time, type, record}} objects: delivered as RecordBody::Malformed"
        );
    }
    match processor.process(batch).await {
        Ok(()) => reply(StatusCode::OK, ""),
        Err(e) => {
            tracing::error!(kind, records = count, error = %e, "the {kind} processor failed: answered 500, Lambda will deliver the batch again");
            reply(StatusCode::INTERNAL_SERVER_ERROR, "the processor failed")
        }
    }
}

fn reply(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::copy_from_slice(message.as_bytes())));
    *response.status_mut() = status;
    response
}
