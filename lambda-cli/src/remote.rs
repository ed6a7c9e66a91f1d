//! `lambda-rs invoke --address HOST:PORT`: invoke a running `serve` or `watch` over its invoke
//! endpoint, as any Lambda client would.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use lambda_emulator::{ErrorReport, FunctionResponse, Outcome};

use crate::listen;

const INVOKE_PATH: &str = "/2015-03-31/functions/function/invocations";
/// How long to wait for a connection to the endpoint.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// POSTs `payload` to the invoke endpoint at `address` and returns what the caller sees, or a
/// message saying why the endpoint could not be reached.
pub(crate) async fn invoke(address: &str, payload: Bytes) -> Result<Outcome, String> {
    let candidates = listen::client_addresses(address).map_err(|error| error.to_string())?;
    let mut failures = Vec::new();
    for candidate in candidates {
        match post(candidate, address, payload.clone()).await {
            Ok(outcome) => return Ok(outcome),
            Err(error) => failures.push(format!("{candidate}: {error}")),
        }
    }
    Err(format!(
        "cannot invoke {address} ({}); is `lambda-rs serve` or `watch` running there?",
        failures.join("; ")
    ))
}

async fn post(target: SocketAddr, host: &str, payload: Bytes) -> Result<Outcome, String> {
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(target))
        .await
        .map_err(|_| "connection timed out".to_owned())?
        .map_err(|error| error.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    tokio::spawn(connection);
    let request = http::Request::post(INVOKE_PATH)
        .header(http::header::HOST, host)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Full::new(payload))
        .map_err(|error| error.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| error.to_string())?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| format!("the answer broke off: {error}"))?
        .to_bytes();
    let request_id = parts
        .headers
        .get("x-amzn-requestid")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if parts.status != http::StatusCode::OK {
        return Err(format!(
            "the endpoint answered {}: {}",
            parts.status,
            String::from_utf8_lossy(&body)
        ));
    }
    if parts.headers.contains_key("x-amz-function-error") {
        return Ok(Outcome::Error(ErrorReport {
            request_id: Some(request_id),
            error_type_header: None,
            body,
            headers: parts.headers,
        }));
    }
    Ok(Outcome::Response(FunctionResponse {
        request_id,
        body,
        headers: parts.headers,
        streamed: false,
        trailers: None,
        chunks: Vec::new(),
    }))
}
