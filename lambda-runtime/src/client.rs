//! The HTTP client for the Lambda Runtime and Extensions APIs.
//!
//! Both APIs are plain HTTP/1.1 on a loopback address given by `AWS_LAMBDA_RUNTIME_API`. This
//! client keeps one keep-alive connection and drives it *inside the calling task*: there is no
//! background connection task, so a request/response exchange costs no task wake-up or channel hop
//! beyond hyper's own. It is shared by `lambda-runtime` and `lambda-extension`.
//!
//! A [`Client`] is owned by one poller and used with `&mut self`; a multi-concurrency runtime gives
//! each poller its own client and so its own connection.
//!
//! # Not public API
//!
//! This module, [`protocol`](crate::protocol) and [`extension_api`](crate::extension_api) are
//! `#[doc(hidden)]`: they are public only so that `lambda-extension` can share them, and they are
//! **not covered by semver**: they may change in any release. (A separate crate would make ~600
//! lines of hyper plumbing a versioned API of its own, for two users that live in this workspace
//! and are released together; `lambda-extension` depends on the same `lambda-runtime` version.)
//! Of this module, [`Endpoint`] and [`EndpointError`] are public API, re-exported at the crate
//! root: [`Runtime::new`](crate::Runtime::new) takes an `Endpoint`.
//!
//! ```no_run
//! use lambda_runtime::client::{Client, Endpoint, RequestBody};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let endpoint = Endpoint::parse("127.0.0.1:9001")?;
//! let mut client = Client::new(endpoint);
//! let request = client.request(http::Method::GET, "/2018-06-01/runtime/invocation/next", RequestBody::Empty)?;
//! let response = client.send(request).await?;
//! println!("{} {:?}", response.status(), response.body());
//! # Ok(())
//! # }
//! ```

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE, HOST, USER_AGENT};
use http::{Method, Request, Response, Uri};
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The `User-Agent` every request carries: the crate and its version.
pub const USER_AGENT_VALUE: &str = concat!("lambda-runtime-rs/", env!("CARGO_PKG_VERSION"));

/// A boxed error, as carried by streaming request bodies.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where the Runtime API listens: parsed from `AWS_LAMBDA_RUNTIME_API`.
///
/// Lambda sets `host:port`; local tools may set a full URL with a scheme and a base path
/// (`http://127.0.0.1:9000/base`). Both are accepted; only `http` is (the API is never TLS).
///
/// ```
/// use lambda_runtime::client::Endpoint;
///
/// let endpoint = Endpoint::parse("127.0.0.1:9001").unwrap();
/// assert_eq!(endpoint.authority(), "127.0.0.1:9001");
/// assert_eq!(endpoint.path("/2018-06-01/runtime/invocation/next"), "/2018-06-01/runtime/invocation/next");
///
/// let local = Endpoint::parse("http://localhost:8080/lambda/").unwrap();
/// assert_eq!(local.path("/2018-06-01/runtime/invocation/next"), "/lambda/2018-06-01/runtime/invocation/next");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    authority: String,
    base_path: String,
    host_header: HeaderValue,
}

impl Endpoint {
    /// Parses `host:port` or `http://host:port[/base]`.
    pub fn parse(value: &str) -> Result<Self, EndpointError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(EndpointError::Empty);
        }
        let rest = match value.split_once("://") {
            Some(("http", rest)) => rest,
            Some((scheme, _)) => return Err(EndpointError::UnsupportedScheme(scheme.to_owned())),
            None => value,
        };
        let (authority, base_path) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
            None => (rest, ""),
        };
        let uri: Uri = format!("http://{authority}/")
            .parse()
            .map_err(|_| EndpointError::Invalid(value.to_owned()))?;
        let host = uri
            .host()
            .ok_or_else(|| EndpointError::Invalid(value.to_owned()))?;
        let authority = match uri.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => format!("{host}:80"),
        };
        let host_header = HeaderValue::from_str(&authority)
            .map_err(|_| EndpointError::Invalid(value.to_owned()))?;
        Ok(Endpoint {
            authority,
            base_path: base_path.to_owned(),
            host_header,
        })
    }

    /// `host:port`, as connected to and sent in the `Host` header.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The request path for an API path such as `/2018-06-01/runtime/invocation/next`.
    pub fn path(&self, api_path: &str) -> String {
        let mut path = String::with_capacity(self.base_path.len() + api_path.len());
        path.push_str(&self.base_path);
        path.push_str(api_path);
        path
    }
}

/// `AWS_LAMBDA_RUNTIME_API` (or a given endpoint) could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The value is empty.
    Empty,
    /// A scheme other than `http` was given.
    UnsupportedScheme(String),
    /// The value is not `host:port` or `http://host:port[/path]`.
    Invalid(String),
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointError::Empty => f.write_str(
                "the Runtime API address is empty: expected `host:port` (as Lambda sets AWS_LAMBDA_RUNTIME_API)",
            ),
            EndpointError::UnsupportedScheme(s) => write!(
                f,
                "the Runtime API address uses the scheme `{s}`: only plain `http` (or no scheme, `host:port`) is supported"
            ),
            EndpointError::Invalid(v) => write!(
                f,
                "the Runtime API address `{v}` is not `host:port` or `http://host:port[/path]`"
            ),
        }
    }
}

impl std::error::Error for EndpointError {}

/// A failure of one exchange with the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// No TCP connection could be made to the API.
    Connect {
        /// The address that was tried.
        address: String,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The connection failed or was closed by the API before the exchange completed.
    Connection(hyper::Error),
    /// The response body could not be read.
    Body(hyper::Error),
    /// A request could not be built (an id containing characters not allowed in a URL path).
    InvalidRequest(http::Error),
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Connect { address, .. } => write!(
                f,
                "cannot connect to the Lambda API at {address} (is the Runtime API, or lambda-emulator, running?)"
            ),
            ClientError::Connection(_) => f.write_str("the connection to the Lambda API failed"),
            ClientError::Body(_) => f.write_str("reading a response from the Lambda API failed"),
            ClientError::InvalidRequest(_) => f.write_str("cannot build a request to the Lambda API"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Connect { source, .. } => Some(source),
            ClientError::Connection(e) | ClientError::Body(e) => Some(e),
            ClientError::InvalidRequest(e) => Some(e),
        }
    }
}

/// The body of a request to the API.
pub enum RequestBody {
    /// No body (`GET next`, a bare `POST`).
    Empty,
    /// A complete body, sent with `Content-Length`.
    Full(Bytes),
    /// A body produced as it goes, sent with chunked transfer encoding (and trailers, if the body
    /// yields them).
    Stream(Pin<Box<dyn Body<Data = Bytes, Error = BoxError> + Send>>),
}

impl std::fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestBody::Empty => f.write_str("Empty"),
            RequestBody::Full(b) => f.debug_tuple("Full").field(&b.len()).finish(),
            RequestBody::Stream(_) => f.write_str("Stream(..)"),
        }
    }
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.get_mut() {
            RequestBody::Empty => Poll::Ready(None),
            this @ RequestBody::Full(_) => {
                let RequestBody::Full(bytes) = std::mem::replace(this, RequestBody::Empty) else {
                    return Poll::Ready(None);
                };
                Poll::Ready(Some(Ok(Frame::data(bytes))))
            }
            RequestBody::Stream(body) => body.as_mut().poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            RequestBody::Empty => true,
            RequestBody::Full(b) => b.is_empty(),
            RequestBody::Stream(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            RequestBody::Empty => SizeHint::with_exact(0),
            RequestBody::Full(b) => SizeHint::with_exact(b.len() as u64),
            RequestBody::Stream(body) => body.size_hint(),
        }
    }
}

type Connection = http1::Connection<TokioIo<TcpStream>, RequestBody>;

struct Conn {
    sender: http1::SendRequest<RequestBody>,
    driver: Connection,
    /// The driver future has completed; the connection cannot carry another request.
    closed: bool,
}

/// A client for the Runtime and Extensions APIs with one keep-alive connection.
///
/// Connects lazily on the first request and reconnects once, transparently, when the API has
/// closed the idle connection; see the module docs for how the connection is driven.
pub struct Client {
    endpoint: Endpoint,
    address: Option<SocketAddr>,
    conn: Option<Conn>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("connected", &self.conn.is_some())
            .finish()
    }
}

impl Client {
    /// A client for `endpoint`; nothing is connected until the first request.
    pub fn new(endpoint: Endpoint) -> Self {
        Client {
            endpoint,
            address: None,
            conn: None,
        }
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Builds a request for `api_path` with the `Host` and `User-Agent` headers set (and
    /// `Content-Type: application/json` for a full body).
    pub fn request(
        &self,
        method: Method,
        api_path: &str,
        body: RequestBody,
    ) -> Result<Request<RequestBody>, ClientError> {
        Ok(self.request_to(method, self.uri(api_path)?, body))
    }

    /// The request URI of `api_path` (build it once for a path used again and again).
    pub fn uri(&self, api_path: &str) -> Result<Uri, ClientError> {
        Uri::try_from(self.endpoint.path(api_path))
            .map_err(|e| ClientError::InvalidRequest(http::Error::from(e)))
    }

    /// [`request`](Client::request) with a URI from [`uri`](Client::uri).
    pub fn request_to(&self, method: Method, uri: Uri, body: RequestBody) -> Request<RequestBody> {
        let json = matches!(body, RequestBody::Full(_));
        let mut request = Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(HOST, self.endpoint.host_header.clone());
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        if json {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        request
    }

    /// Sends `request` and reads the whole response body.
    ///
    /// A request that hyper did not start to write (the API had closed the idle connection) is
    /// sent again once on a new connection.
    pub async fn send(
        &mut self,
        request: Request<RequestBody>,
    ) -> Result<Response<Bytes>, ClientError> {
        let mut request = request;
        let mut retried = false;
        loop {
            let conn = self.connection().await?;
            let sending = conn.sender.try_send_request(request);
            let sent = drive(conn, sending).await;
            match sent {
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    let body = drive(conn, body.collect()).await;
                    return match body {
                        Ok(collected) => Ok(Response::from_parts(parts, collected.to_bytes())),
                        Err(e) => {
                            self.conn = None;
                            Err(ClientError::Body(e))
                        }
                    };
                }
                Err(mut e) => {
                    self.conn = None;
                    match e.take_message() {
                        Some(unsent) if !retried => {
                            retried = true;
                            request = unsent;
                        }
                        _ => return Err(ClientError::Connection(e.into_error())),
                    }
                }
            }
        }
    }

    /// The live connection, (re)connecting if there is none or the last one closed.
    async fn connection(&mut self) -> Result<&mut Conn, ClientError> {
        if self
            .conn
            .as_ref()
            .is_some_and(|c| c.closed || c.sender.is_closed())
        {
            self.conn = None;
        }
        if self.conn.is_none() {
            self.conn = Some(self.connect().await?);
        }
        match self.conn.as_mut() {
            Some(conn) => Ok(conn),
            None => unreachable_connection(),
        }
    }

    async fn connect(&mut self) -> Result<Conn, ClientError> {
        let connect_error = |source| ClientError::Connect {
            address: self.endpoint.authority.clone(),
            source,
        };
        let address = match self.address {
            Some(a) => a,
            None => {
                let mut addrs = tokio::net::lookup_host(self.endpoint.authority.as_str())
                    .await
                    .map_err(connect_error)?;
                let a = addrs.next().ok_or_else(|| {
                    connect_error(std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "the host name resolved to no address",
                    ))
                })?;
                self.address = Some(a);
                a
            }
        };
        let stream = TcpStream::connect(address).await.map_err(connect_error)?;
        // Requests and responses are small and latency-bound.
        stream.set_nodelay(true).map_err(connect_error)?;
        let (sender, driver) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(ClientError::Connection)?;
        Ok(Conn {
            sender,
            driver,
            closed: false,
        })
    }
}

fn unreachable_connection() -> ! {
    // `connection()` stores `Some` just above; this cannot be reached.
    panic!("lambda-runtime: internal error: connection slot empty after connecting")
}

/// Polls `future` while also driving the connection, in the calling task.
///
/// When the connection finishes (closed by the API), `future` is still polled to completion: it
/// then resolves with hyper's error (or the end of a body that had been fully received).
fn drive<'a, F: Future + 'a>(
    conn: &'a mut Conn,
    future: F,
) -> impl Future<Output = F::Output> + 'a {
    Drive {
        driver: &mut conn.driver,
        closed: &mut conn.closed,
        future,
    }
}

/// Polls the connection once. Not inlined: hyper's whole dispatcher would otherwise be copied
/// into every future `drive` wraps (measured: several KiB of binary size each).
#[inline(never)]
fn poll_driver(driver: &mut Connection, cx: &mut Context<'_>) -> Poll<()> {
    match Pin::new(driver).poll(cx) {
        Poll::Pending => Poll::Pending,
        Poll::Ready(result) => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "Lambda API connection ended");
            }
            Poll::Ready(())
        }
    }
}

pin_project_lite::pin_project! {
    struct Drive<'a, F> {
        driver: &'a mut Connection,
        closed: &'a mut bool,
        #[pin]
        future: F,
    }
}

impl<F: Future> Future for Drive<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let mut future = this.future;
        if let Poll::Ready(out) = future.as_mut().poll(cx) {
            return Poll::Ready(out);
        }
        if !**this.closed && poll_driver(this.driver, cx).is_pending() {
            return Poll::Pending;
        }
        **this.closed = true;
        // The driver is gone: the future now resolves on its own (hyper fails pending requests
        // and ends bodies when the dispatcher drops). Poll it again to register its waker.
        let out = ready!(future.poll(cx));
        Poll::Ready(out)
    }
}
