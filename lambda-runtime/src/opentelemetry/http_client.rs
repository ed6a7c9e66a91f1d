//! An OTLP/HTTP transport over this crate's hyper connection: plain HTTP, no TLS.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use http::{Request, Response, Uri};
use opentelemetry_http::{HttpClient, HttpError};

use crate::client::{Client, Endpoint, RequestBody};

/// An [`HttpClient`] for `opentelemetry-otlp`'s HTTP exporter that sends over one plain-HTTP/1.1
/// keep-alive connection, driven in the exporting task (no background task, no TLS stack).
///
/// It serves `http://` endpoints such as a collector running as a Lambda extension on
/// `localhost:4318`; an `https://` endpoint is refused with an error that says so. It needs a
/// tokio runtime, which [`Flusher::flush`](super::Flusher::flush) provides.
///
/// ```no_run
/// use lambda_runtime::opentelemetry::PlainHttpClient;
/// use opentelemetry_otlp::{SpanExporter, WithHttpConfig};
///
/// // Reads OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318).
/// let exporter = SpanExporter::builder()
///     .with_http()
///     .with_http_client(PlainHttpClient::new())
///     .build()?;
/// # Ok::<(), opentelemetry_otlp::ExporterBuildError>(())
/// ```
#[derive(Debug, Default)]
pub struct PlainHttpClient {
    /// The idle connection, taken out while a request is in flight (a second, concurrent request
    /// opens its own connection).
    idle: Mutex<Option<Client>>,
}

impl PlainHttpClient {
    /// A client with no connection yet: it connects on the first request.
    pub fn new() -> Self {
        PlainHttpClient::default()
    }

    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let (parts, body) = request.into_parts();
        let authority = target(&parts.uri)?;
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let mut client = match idle {
            Some(client) if client.endpoint().authority() == authority_with_port(&parts.uri) => {
                client
            }
            _ => Client::new(Endpoint::parse(authority)?),
        };
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .parse::<Uri>()?;
        let mut outgoing = client.request_to(parts.method, path, RequestBody::Full(body));
        for (name, value) in &parts.headers {
            outgoing.headers_mut().insert(name, value.clone());
        }
        let response = client.send(outgoing).await?;
        *self.idle.lock().unwrap_or_else(PoisonError::into_inner) = Some(client);
        Ok(response)
    }
}

/// The `host:port` of an `http://` URI.
fn target(uri: &Uri) -> Result<&str, PlainHttpError> {
    match uri.scheme_str() {
        Some("http") => {}
        Some(other) => return Err(PlainHttpError::UnsupportedScheme(other.to_owned())),
        None => return Err(PlainHttpError::NotAbsolute(uri.to_string())),
    }
    uri.authority()
        .map(|a| a.as_str())
        .ok_or_else(|| PlainHttpError::NotAbsolute(uri.to_string()))
}

fn authority_with_port(uri: &Uri) -> String {
    let host = uri.host().unwrap_or_default();
    format!("{host}:{}", uri.port_u16().unwrap_or(80))
}

impl HttpClient for PlainHttpClient {
    fn send_bytes<'life0, 'async_trait>(
        &'life0 self,
        request: Request<Bytes>,
    ) -> Pin<Box<dyn Future<Output = Result<Response<Bytes>, HttpError>> + Send + 'async_trait>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(self.send(request))
    }
}

/// A request [`PlainHttpClient`] cannot send.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlainHttpError {
    /// The endpoint is not `http://` (TLS is not built in).
    UnsupportedScheme(String),
    /// The request URI has no scheme and host.
    NotAbsolute(String),
}

impl std::fmt::Display for PlainHttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlainHttpError::UnsupportedScheme(scheme) => write!(
                f,
                "PlainHttpClient sends plain HTTP only, not `{scheme}`: point OTEL_EXPORTER_OTLP_ENDPOINT at an http:// collector (e.g. a collector extension on http://localhost:4318), or give the exporter a TLS-capable client"
            ),
            PlainHttpError::NotAbsolute(uri) => write!(
                f,
                "the OTLP request URI `{uri}` has no http://host: set OTEL_EXPORTER_OTLP_ENDPOINT to a URL such as http://localhost:4318"
            ),
        }
    }
}

impl std::error::Error for PlainHttpError {}

#[cfg(test)]
mod tests {
    use super::*;

    async fn send(uri: &str) -> Result<Response<Bytes>, HttpError> {
        let request = Request::post(uri)
            .body(Bytes::from_static(b"spans"))
            .unwrap();
        PlainHttpClient::new().send_bytes(request).await
    }

    #[tokio::test]
    async fn https_endpoints_are_refused_with_what_to_do() {
        let error = send("https://collector.example:4318/v1/traces")
            .await
            .unwrap_err();
        let error = error.downcast::<PlainHttpError>().unwrap();
        assert_eq!(*error, PlainHttpError::UnsupportedScheme("https".into()));
        assert!(error.to_string().contains("http://localhost:4318"));
    }

    #[tokio::test]
    async fn relative_uris_are_refused() {
        let error = send("/v1/traces").await.unwrap_err();
        let error = error.downcast::<PlainHttpError>().unwrap();
        assert_eq!(*error, PlainHttpError::NotAbsolute("/v1/traces".into()));
    }

    #[tokio::test]
    async fn an_unreachable_collector_is_an_error_not_a_hang() {
        // Bind then drop: nothing listens on this port any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let uri = format!("http://127.0.0.1:{port}/v1/traces");
        let result = tokio::time::timeout(std::time::Duration::from_secs(10), send(&uri)).await;
        assert!(result.unwrap().is_err());
    }
}
