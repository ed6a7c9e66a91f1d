//! The invoke endpoint callers use, compatible with AWS's Runtime Interface Emulator and the
//! Lambda Invoke API: `POST /2015-03-31/functions/{name}/invocations` and
//! `POST /2021-11-15/functions/{name}/response-streaming-invocations`.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body::Frame;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use serde_json::json;
use tokio::sync::mpsc;

use crate::environment::Environment;
use crate::event_stream;
use crate::invocation::{Invocation, Outcome};
use crate::queue::StreamEvent;
use crate::server::{self, Body, CloseConnection, ServerHandle};
use crate::tail::TailRecorder;

/// The largest request payload accepted (Lambda's synchronous invocation limit, 6 MB).
pub const MAX_REQUEST_BYTES: usize = 6 * 1024 * 1024;

const INVOCATION_TYPE: HeaderName = HeaderName::from_static("x-amz-invocation-type");
const CLIENT_CONTEXT: HeaderName = HeaderName::from_static("x-amz-client-context");
const TENANT_ID: HeaderName = HeaderName::from_static("x-amz-tenant-id");
const TRACE_ID: HeaderName = HeaderName::from_static("x-amzn-trace-id");
const FUNCTION_ERROR: HeaderName = HeaderName::from_static("x-amz-function-error");
const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
const EXECUTED_VERSION: HeaderName = HeaderName::from_static("x-amz-executed-version");
const ERROR_TYPE: HeaderName = HeaderName::from_static("x-amzn-errortype");
const LOG_TYPE: HeaderName = HeaderName::from_static("x-amz-log-type");
const LOG_RESULT: HeaderName = HeaderName::from_static("x-amz-log-result");
/// `plain` asks the streaming endpoint for the runtime's bytes as a plain chunked body (with
/// the runtime's trailers) instead of the event-stream encoding.
const STREAM_ENCODING: HeaderName = HeaderName::from_static("x-lambda-emulator-stream-encoding");
/// The trailer carrying a streamed error's JSON, base64-encoded.
const ERROR_BODY_TRAILER: HeaderName =
    HeaderName::from_static("lambda-runtime-function-error-body");

/// A running invoke endpoint in front of an [`Environment`]. Dropping it, or
/// [`shutdown`](FrontDoor::shutdown), stops it (the environment lives on).
///
/// ```no_run
/// use std::sync::Arc;
/// use lambda_emulator::{Environment, FrontDoor, FunctionConfig};
///
/// # async fn demo() -> std::io::Result<()> {
/// let environment = Arc::new(Environment::start(FunctionConfig::new("./bootstrap", Vec::<String>::new())).await?);
/// let door = FrontDoor::start(environment, "127.0.0.1:9000".parse().unwrap()).await?;
/// println!("curl -d '{{}}' http://{}/2015-03-31/functions/function/invocations", door.address());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct FrontDoor {
    server: ServerHandle,
}

impl FrontDoor {
    /// Binds `address` (use port 0 for an ephemeral port) and serves invocations of
    /// `environment`'s function. The function answers to the name `function` (like RIE) and to
    /// its configured name.
    pub async fn start(
        environment: Arc<Environment>,
        address: SocketAddr,
    ) -> std::io::Result<FrontDoor> {
        let server = server::bind(address, move |request| {
            handle(Arc::clone(&environment), request)
        })
        .await?;
        Ok(FrontDoor { server })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// Stops accepting invocations and closes open connections.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// The invocation modes of `X-Amz-Invocation-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InvocationType {
    RequestResponse,
    Event,
    DryRun,
}

async fn handle(
    environment: Arc<Environment>,
    request: Request<Incoming>,
) -> Result<Response<Body>, CloseConnection> {
    let path = request.uri().path().to_string();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (streaming, name) = match segments.as_slice() {
        ["2015-03-31", "functions", name, "invocations"] => (false, *name),
        ["2021-11-15", "functions", name, "response-streaming-invocations"] => (true, *name),
        _ => {
            return Ok(aws_error(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                &format!(
                    "no such route: {path}; invoke with POST /2015-03-31/functions/function/invocations"
                ),
            ))
        }
    };
    if request.method() != Method::POST {
        return Ok(aws_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "UnknownOperationException",
            "invoke with POST",
        ));
    }
    let config = environment.config();
    if name != "function" && name != config.function_name && name != config.function_arn() {
        return Ok(aws_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFoundException",
            &format!(
                "Function not found: {name}; this emulator runs `{}` (or use the name `function`)",
                config.function_name
            ),
        ));
    }
    let (parts, body) = request.into_parts();
    let (invocation_type, invocation) = match parse_invocation(&parts.headers) {
        Ok(parsed) => parsed,
        Err(response) => return Ok(response),
    };
    let wants_tail = match parts.headers.get(LOG_TYPE).map(HeaderValue::as_bytes) {
        None | Some(b"None") => false,
        Some(b"Tail") => true,
        Some(other) => {
            return Ok(invalid(&format!(
                "X-Amz-Log-Type `{}` is not one of None, Tail",
                String::from_utf8_lossy(other)
            )))
        }
    };
    let payload = match read_payload(body).await.and_then(json_payload) {
        Ok(payload) => payload,
        Err(response) => return Ok(response),
    };
    let invocation = Invocation {
        payload,
        ..invocation
    };
    let request_id = invocation.request_id.clone().unwrap_or_default();
    Ok(match invocation_type {
        InvocationType::DryRun => with_request_id(empty(StatusCode::NO_CONTENT), &request_id),
        InvocationType::Event => {
            tokio::spawn(async move { environment.invoke(invocation).await });
            with_request_id(empty(StatusCode::ACCEPTED), &request_id)
        }
        // As in Lambda, a synchronous invocation runs to its end even if its caller hangs up
        // (which drops this future): it runs in a task of its own, and only its answer is lost.
        InvocationType::RequestResponse if streaming => {
            // The SDKs read the event-stream encoding; a plain chunked body only on request.
            let plain = parts
                .headers
                .get(STREAM_ENCODING)
                .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"plain"));
            let tail = (wants_tail && !plain).then(|| TailRecorder::start(&environment));
            let invoked =
                tokio::spawn(async move { environment.invoke_streaming(invocation).await });
            match invoked.await {
                Ok(Ok((headers, events))) if plain => {
                    streamed_response(&headers, events, &request_id)
                }
                Ok(Ok((_, events))) => event_stream_response(events, tail, &request_id),
                Ok(Err(outcome)) if plain => outcome_response(&outcome, &request_id),
                Ok(Err(outcome)) => event_stream_outcome(&outcome, tail, &request_id).await,
                Err(failed) => internal_error(&failed),
            }
        }
        InvocationType::RequestResponse => {
            let tail = wants_tail.then(|| TailRecorder::start(&environment));
            let invoked = tokio::spawn(async move { environment.invoke(invocation).await });
            match invoked.await {
                Ok(outcome) => {
                    let mut response = outcome_response(&outcome, &request_id);
                    if let Some(tail) = tail {
                        let log = tail.finish(&request_id).await;
                        if let Ok(value) = HeaderValue::from_str(&log) {
                            response.headers_mut().insert(LOG_RESULT, value);
                        }
                    }
                    response
                }
                Err(failed) => internal_error(&failed),
            }
        }
    })
}

/// The emulator itself failed while running an invocation (a bug: it panicked).
fn internal_error(failed: &tokio::task::JoinError) -> Response<Body> {
    aws_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ServiceException",
        &format!("the emulator failed while running the invocation: {failed}; please report it"),
    )
}

/// Reads the invocation headers into an [`Invocation`] (without payload).
#[allow(clippy::result_large_err)]
fn parse_invocation(headers: &HeaderMap) -> Result<(InvocationType, Invocation), Response<Body>> {
    let invocation_type = match headers.get(INVOCATION_TYPE).map(HeaderValue::as_bytes) {
        None | Some(b"RequestResponse") => InvocationType::RequestResponse,
        Some(b"Event") => InvocationType::Event,
        Some(b"DryRun") => InvocationType::DryRun,
        Some(other) => {
            return Err(invalid(&format!(
                "X-Amz-Invocation-Type `{}` is not one of RequestResponse, Event, DryRun",
                String::from_utf8_lossy(other)
            )))
        }
    };
    let client_context = match headers.get(CLIENT_CONTEXT) {
        None => None,
        Some(value) => {
            Some(decode_client_context(value.as_bytes()).map_err(|message| invalid(&message))?)
        }
    };
    let text = |name: &HeaderName| {
        headers
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
    };
    Ok((
        invocation_type,
        Invocation {
            request_id: Some(crate::ids::request_id()),
            client_context,
            tenant_id: text(&TENANT_ID),
            trace_id: text(&TRACE_ID),
            ..Invocation::default()
        },
    ))
}

/// The status a request with `headers` gets from the header checks, before the function runs
/// (200: they describe an invocation). For the fuzz targets in `fuzz/`.
pub fn invoke_headers_status(headers: &HeaderMap) -> StatusCode {
    match parse_invocation(headers) {
        Ok(_) => StatusCode::OK,
        Err(response) => response.status(),
    }
}

fn decode_client_context(value: &[u8]) -> Result<serde_json::Value, String> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|error| format!("X-Amz-Client-Context is not valid base64: {error}"))?;
    serde_json::from_slice(&decoded)
        .map_err(|error| format!("X-Amz-Client-Context does not decode to JSON: {error}"))
}

fn invalid(message: &str) -> Response<Body> {
    aws_error(
        StatusCode::BAD_REQUEST,
        "InvalidParameterValueException",
        message,
    )
}

/// An error as the Lambda service answers it: the exception's name in `x-amzn-ErrorType`
/// (the SDKs raise the exception of that name) and `{"Type", "message"}` in the body.
fn aws_error(status: StatusCode, exception: &'static str, message: &str) -> Response<Body> {
    let mut response = server::json_response(status, crate::wire::aws_error_body(status, message));
    response
        .headers_mut()
        .insert(ERROR_TYPE, HeaderValue::from_static(exception));
    response
}

/// Checks that the payload is JSON, as Lambda does before any code runs (400
/// `InvalidRequestContentException`). An empty payload is an empty event, `{}` (the AWS CLI
/// invokes without `--payload` that way).
#[allow(clippy::result_large_err)]
fn json_payload(payload: Bytes) -> Result<Bytes, Response<Body>> {
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(Bytes::from_static(b"{}"));
    }
    let parsed = match std::str::from_utf8(&payload) {
        Ok(text) => serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| e.to_string()),
        Err(error) => Err(format!("the payload is not UTF-8: {error}")),
    };
    match parsed {
        Ok(_) => Ok(payload),
        Err(error) => Err(aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContentException",
            &format!("Could not parse request body into json: {error}"),
        )),
    }
}

async fn read_payload(mut body: Incoming) -> Result<Bytes, Response<Body>> {
    let mut buffer = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| invalid(&format!("cannot read the payload: {error}")))?;
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > MAX_REQUEST_BYTES {
                return Err(aws_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "RequestTooLargeException",
                    &format!("Request must be smaller than {MAX_REQUEST_BYTES} bytes for the InvokeFunction operation"),
                ));
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(buffer.freeze())
}

fn empty(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(server::full(Bytes::new()));
    *response.status_mut() = status;
    response
}

fn with_request_id(mut response: Response<Body>, request_id: &str) -> Response<Body> {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
        .headers_mut()
        .insert(EXECUTED_VERSION, HeaderValue::from_static("$LATEST"));
    response
}

/// What the Invoke API answers for an outcome: 200 always; errors flagged by
/// `X-Amz-Function-Error: Unhandled`.
fn outcome_response(outcome: &Outcome, request_id: &str) -> Response<Body> {
    let mut response = server::json_response(StatusCode::OK, outcome.caller_body());
    if !matches!(outcome, Outcome::Response(_)) {
        response
            .headers_mut()
            .insert(FUNCTION_ERROR, HeaderValue::from_static("Unhandled"));
    }
    with_request_id(response, request_id)
}

fn streamed_response(
    runtime_headers: &HeaderMap,
    events: mpsc::Receiver<StreamEvent>,
    request_id: &str,
) -> Response<Body> {
    let mut response = Response::new(EventsBody { events }.boxed_unsync());
    let content_type = runtime_headers
        .get(http::header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream"));
    let headers = response.headers_mut();
    headers.insert(http::header::CONTENT_TYPE, content_type);
    headers.insert(
        http::header::TRAILER,
        HeaderValue::from_static(
            "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
        ),
    );
    with_request_id(response, request_id)
}

/// An InvokeWithResponseStream answer in the event-stream encoding, fed by the runtime's
/// stream as it arrives: `PayloadChunk` events, then `InvokeComplete`.
fn event_stream_response(
    mut events: mpsc::Receiver<StreamEvent>,
    tail: Option<TailRecorder>,
    request_id: &str,
) -> Response<Body> {
    let (sender, messages) = mpsc::channel::<Bytes>(16);
    let id = request_id.to_string();
    tokio::spawn(async move {
        let mut completion = event_stream::Completion::default();
        while let Some(event) = events.recv().await {
            match event {
                StreamEvent::Data(chunk) => {
                    for piece in chunk.chunks(event_stream::MAX_CHUNK) {
                        // A caller that went away: the runtime's stream still drains.
                        let _ = sender.send(event_stream::payload_chunk(piece)).await;
                    }
                }
                StreamEvent::Trailers(trailers) => {
                    if let Some(error_type) = trailers.get(crate::wire::FUNCTION_ERROR_TYPE) {
                        let error_type = String::from_utf8_lossy(error_type.as_bytes());
                        let details = trailers
                            .get(ERROR_BODY_TRAILER)
                            .and_then(|body| {
                                base64::engine::general_purpose::STANDARD
                                    .decode(body.as_bytes())
                                    .ok()
                            })
                            .map(|body| String::from_utf8_lossy(&body).into_owned())
                            .unwrap_or_else(|| json!({ "errorType": error_type }).to_string());
                        completion.error_code = Some("Unhandled".to_string());
                        completion.error_details = Some(details);
                    }
                }
                StreamEvent::Broken(message) => {
                    let error_type = if message.contains("Task timed out") {
                        "Sandbox.Timedout"
                    } else {
                        "Runtime.TruncatedResponse"
                    };
                    completion.error_code = Some("Unhandled".to_string());
                    completion.error_details = Some(
                        json!({ "errorType": error_type, "errorMessage": message }).to_string(),
                    );
                }
            }
        }
        if let Some(tail) = tail {
            completion.log_result = Some(tail.finish(&id).await);
        }
        let _ = sender
            .send(event_stream::invoke_complete(&completion))
            .await;
    });
    event_stream_headers(
        Response::new(MessagesBody { messages }.boxed_unsync()),
        request_id,
    )
}

/// An answer that came whole (a buffered response, an error, a timeout) on the streaming
/// endpoint, in the event-stream encoding.
async fn event_stream_outcome(
    outcome: &Outcome,
    tail: Option<TailRecorder>,
    request_id: &str,
) -> Response<Body> {
    let mut body = BytesMut::new();
    let mut completion = event_stream::Completion::default();
    match outcome {
        Outcome::Response(response) => {
            for piece in response.body.chunks(event_stream::MAX_CHUNK) {
                body.extend_from_slice(&event_stream::payload_chunk(piece));
            }
        }
        _ => {
            completion.error_code = Some("Unhandled".to_string());
            completion.error_details =
                Some(String::from_utf8_lossy(&outcome.caller_body()).into_owned());
        }
    }
    if let Some(tail) = tail {
        completion.log_result = Some(tail.finish(request_id).await);
    }
    body.extend_from_slice(&event_stream::invoke_complete(&completion));
    event_stream_headers(Response::new(server::full(body.freeze())), request_id)
}

fn event_stream_headers(mut response: Response<Body>, request_id: &str) -> Response<Body> {
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(event_stream::CONTENT_TYPE),
    );
    with_request_id(response, request_id)
}

/// A body of event-stream messages, sent as they are encoded.
struct MessagesBody {
    messages: mpsc::Receiver<Bytes>,
}

impl http_body::Body for MessagesBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.messages
            .poll_recv(cx)
            .map(|message| message.map(|bytes| Ok(Frame::data(bytes))))
    }
}

/// A response body fed by the runtime's stream as it arrives.
struct EventsBody {
    events: mpsc::Receiver<StreamEvent>,
}

impl http_body::Body for EventsBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.events.poll_recv(cx).map(|event| {
            event.map(|event| match event {
                StreamEvent::Data(chunk) => Ok(Frame::data(chunk)),
                StreamEvent::Trailers(trailers) => Ok(Frame::trailers(trailers)),
                StreamEvent::Broken(message) => Err(std::io::Error::other(message)),
            })
        })
    }
}
