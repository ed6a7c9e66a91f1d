//! One port, four APIs: requests are routed to the Runtime API's endpoints, the Extensions
//! API, or the Logs and Telemetry APIs.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;

use super::endpoints::{init_error, invocation_error, next, response};
use super::recording::record;
use super::Shared;
use crate::extensions_api::{self, EXTENSIONS_API_PREFIX};
use crate::server::{self, Body, CloseConnection};
use crate::telemetry;
use crate::wire;

pub(super) async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Body>, CloseConnection> {
    if shared.record.load(Ordering::Relaxed) {
        record(&shared, &request);
    }
    let path = request.uri().path().to_string();
    if path.trim_end_matches('/') == telemetry::TELEMETRY_PATH
        || path.trim_end_matches('/') == telemetry::LOGS_PATH
    {
        return Ok(telemetry::handle(&shared.telemetry, &shared.extensions, &path, request).await);
    }
    if let Some(route) = path.strip_prefix(EXTENSIONS_API_PREFIX) {
        return Ok(extensions_api::handle(&shared.extensions, route, request).await);
    }
    let Some(route) = path.strip_prefix(wire::RUNTIME_API_PREFIX) else {
        return Ok(not_found(&path));
    };
    let segments: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    let method = request.method().clone();
    match (segments.as_slice(), method) {
        (["runtime", "invocation", "next"], Method::GET) => next(&shared).await,
        (["runtime", "invocation", id, "response"], Method::POST) if !id.is_empty() => {
            response(&shared, id, request).await
        }
        (["runtime", "invocation", id, "error"], Method::POST) if !id.is_empty() => {
            Ok(invocation_error(&shared, id, request).await)
        }
        (["runtime", "init", "error"], Method::POST) => Ok(init_error(&shared, request).await),
        (["runtime", "invocation", "next"], _)
        | (["runtime", "invocation", _, "response" | "error"], _)
        | (["runtime", "init", "error"], _) => Ok(server::error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            &format!("{} is not allowed on {path}", request.method()),
        )),
        _ => Ok(not_found(&path)),
    }
}

fn not_found(path: &str) -> Response<Body> {
    server::error_response(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("no such route: {path}; the Runtime API serves /2018-06-01/runtime/..."),
    )
}
