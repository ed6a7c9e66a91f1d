//! Recorded Runtime API requests, for tests that assert on what a runtime sent.

use std::net::SocketAddr;

use http::{HeaderMap, HeaderValue, Method, Request};
use hyper::body::Incoming;

use super::Shared;
use crate::server;

/// How many recorded requests are kept (when recording).
const KEPT_REQUESTS: usize = 10_000;

/// A request the runtime made to the Runtime API, as recorded for assertions.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path and query, e.g. `/2018-06-01/runtime/invocation/next`.
    pub path: String,
    /// The request headers.
    pub headers: HeaderMap,
    /// The client's address: requests made on one connection share it.
    pub peer: Option<SocketAddr>,
}

/// Keeps a copy of `request`'s head. The header values are copied out: a parsed value shares
/// the connection's read buffer, and keeping it would keep that buffer (and the bodies read
/// into it) alive.
pub(super) fn record(shared: &Shared, request: &Request<Incoming>) {
    let headers: HeaderMap = request
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            HeaderValue::from_bytes(value.as_bytes())
                .ok()
                .map(|value| (name.clone(), value))
        })
        .collect();
    let recorded = RecordedRequest {
        method: request.method().clone(),
        path: request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        headers,
        peer: request.extensions().get::<server::Peer>().map(|p| p.0),
    };
    let mut requests = shared
        .requests
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if requests.len() >= KEPT_REQUESTS {
        requests.pop_front();
    }
    requests.push_back(recorded);
}
