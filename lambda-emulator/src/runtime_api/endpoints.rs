//! The Runtime API's own endpoints: `next`, an invocation's response and error, and the init
//! error, with the status codes Lambda answers out-of-phase calls with.

use std::sync::atomic::Ordering;
use std::time::UNIX_EPOCH;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use hyper::body::Incoming;
use tokio::sync::mpsc;

use super::bodies::{body_error_response, forward_stream, read_limited, BodyError, Forwarded};
use super::Shared;
use crate::faults::Fault;
use crate::invocation::{header_string, ErrorReport, FunctionResponse, Outcome};
use crate::queue::{Answer, ClaimError, HandedOut, StreamedAnswer};
use crate::server::{self, Body, CloseConnection};
use crate::wire;

pub(super) fn accepted() -> Response<Body> {
    server::json_response(
        StatusCode::ACCEPTED,
        Bytes::from_static(br#"{"status":"OK"}"#),
    )
}

pub(super) async fn next(shared: &Shared) -> Result<Response<Body>, CloseConnection> {
    let mut header_fault = None;
    match shared.faults.take() {
        Some(Fault::CloseConnection) => return Err(CloseConnection),
        Some(Fault::Status(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Ok(server::error_response(
                status,
                "InjectedFault",
                "fault injected by the emulator's test API",
            ));
        }
        Some(Fault::Header(name, value)) => header_fault = Some((name, value)),
        None => {}
    }
    shared.initialized.store(true, Ordering::Relaxed);
    shared.polls.send_modify(|polls| *polls += 1);
    let handed_out = shared.queue.next().await;
    let mut response = next_response(&shared.function_arn, handed_out);
    if let Some((name, value)) = header_fault {
        match value {
            Some(value) => response.headers_mut().insert(name, value),
            None => response.headers_mut().remove(name),
        };
    }
    Ok(response)
}

fn next_response(function_arn: &str, handed_out: HandedOut) -> Response<Body> {
    let HandedOut {
        request_id,
        invocation,
        deadline,
    } = handed_out;
    let deadline_ms = deadline
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let mut response = server::json_response(StatusCode::OK, invocation.payload);
    let headers = response.headers_mut();
    let mut set = |name: http::HeaderName, value: &[u8]| {
        // A value that is not a valid header (e.g. a newline in a trace id) is left out.
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(name, value);
        }
    };
    set(wire::REQUEST_ID, request_id.as_bytes());
    set(wire::DEADLINE_MS, deadline_ms.to_string().as_bytes());
    set(wire::FUNCTION_ARN, function_arn.as_bytes());
    let trace_id = invocation.trace_id.unwrap_or_else(crate::ids::trace_header);
    set(wire::TRACE_ID, trace_id.as_bytes());
    if let Some(context) = &invocation.client_context {
        set(wire::CLIENT_CONTEXT, context.to_string().as_bytes());
    }
    if let Some(identity) = &invocation.cognito_identity {
        set(wire::COGNITO_IDENTITY, identity.to_string().as_bytes());
    }
    if let Some(tenant_id) = &invocation.tenant_id {
        set(wire::TENANT_ID, tenant_id.as_bytes());
    }
    response
}

fn claim_error_response(error: ClaimError, request_id: &str) -> Response<Body> {
    match error {
        ClaimError::UnknownId => server::error_response(
            StatusCode::BAD_REQUEST,
            "InvalidRequestID",
            &format!("no invocation has request id {request_id}"),
        ),
        ClaimError::InvalidState => server::error_response(
            StatusCode::FORBIDDEN,
            "InvalidStateTransition",
            &format!(
                "invocation {request_id} is not waiting for an answer: it was already answered, \
                 timed out, or has not been handed out by /runtime/invocation/next"
            ),
        ),
    }
}

pub(super) async fn response(
    shared: &Shared,
    request_id: &str,
    request: Request<Incoming>,
) -> Result<Response<Body>, CloseConnection> {
    let guard = match shared.queue.begin_answer(request_id) {
        Ok(guard) => guard,
        Err(error) => return Ok(claim_error_response(error, request_id)),
    };
    let (parts, body) = request.into_parts();
    if let Some(mode) = parts.headers.get(wire::RESPONSE_MODE) {
        if mode.as_bytes().eq_ignore_ascii_case(b"streaming") {
            let (sender, events) = mpsc::channel(64);
            guard.finish(Answer::Stream(StreamedAnswer {
                request_id: request_id.to_string(),
                headers: parts.headers,
                events,
            }));
            let cut_after = shared.faults.take_stream_cut();
            return match forward_stream(body, sender, cut_after).await {
                Forwarded::Complete => Ok(accepted()),
                Forwarded::Cut => Err(CloseConnection),
            };
        }
        if !mode.as_bytes().eq_ignore_ascii_case(b"buffered") {
            return Ok(server::error_response(
                StatusCode::BAD_REQUEST,
                "InvalidResponseModeHeader",
                "Lambda-Runtime-Function-Response-Mode must be `streaming` (or absent)",
            ));
        }
    }
    Ok(
        match read_limited(body, wire::MAX_BUFFERED_RESPONSE_BYTES).await {
            Ok(body) => {
                guard.finish(Answer::Complete(Outcome::Response(FunctionResponse {
                    request_id: request_id.to_string(),
                    body,
                    headers: parts.headers,
                    streamed: false,
                    trailers: None,
                    chunks: Vec::new(),
                })));
                accepted()
            }
            Err(BodyError::TooLarge) => {
                // The invocation stays open so the runtime can still report an error.
                guard.refuse_oversized();
                body_error_response(BodyError::TooLarge)
            }
            // The guard drops here: the invocation stays open.
            Err(error) => body_error_response(error),
        },
    )
}

pub(super) async fn invocation_error(
    shared: &Shared,
    request_id: &str,
    request: Request<Incoming>,
) -> Response<Body> {
    let guard = match shared.queue.begin_answer(request_id) {
        Ok(guard) => guard,
        Err(error) => return claim_error_response(error, request_id),
    };
    let (parts, body) = request.into_parts();
    match read_limited(body, wire::MAX_BUFFERED_RESPONSE_BYTES).await {
        Ok(body) => {
            guard.finish(Answer::Complete(Outcome::Error(ErrorReport {
                request_id: Some(request_id.to_string()),
                error_type_header: header_string(&parts.headers, &wire::FUNCTION_ERROR_TYPE),
                body,
                headers: parts.headers,
            })));
            accepted()
        }
        Err(error) => body_error_response(error),
    }
}

pub(super) async fn init_error(shared: &Shared, request: Request<Incoming>) -> Response<Body> {
    if shared.initialized.load(Ordering::Relaxed) {
        return server::error_response(
            StatusCode::FORBIDDEN,
            "InvalidStateTransition",
            "/runtime/init/error is for failures before the first /runtime/invocation/next; \
             report an invocation's failure to /runtime/invocation/{id}/error",
        );
    }
    let (parts, body) = request.into_parts();
    match read_limited(body, wire::MAX_BUFFERED_RESPONSE_BYTES).await {
        Ok(body) => {
            shared.init_error.send_replace(Some(ErrorReport {
                request_id: None,
                error_type_header: header_string(&parts.headers, &wire::FUNCTION_ERROR_TYPE),
                body,
                headers: parts.headers,
            }));
            accepted()
        }
        Err(error) => body_error_response(error),
    }
}
