//! A plain HTTP front door: each request becomes the event a function URL, API Gateway or an
//! Application Load Balancer would send, and the function's answer goes back as HTTP (streamed
//! when the function streams).

mod request;
mod response;
mod stream;

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::sync::mpsc;

use self::request::RequestMeta;
use self::response::{BadResponse, HttpResponse};
use self::stream::{PreludeParser, StreamedBody, HTTP_INTEGRATION_RESPONSE};
use crate::environment::Environment;
use crate::invocation::{Invocation, Outcome};
use crate::queue::StreamEvent;
use crate::server::{self, Body, CloseConnection, Peer, ServerHandle};

/// The largest request body accepted (a function URL's limit, 6 MB).
const MAX_BODY_BYTES: usize = crate::front_door::MAX_REQUEST_BYTES;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
/// Why the front answered 502: the emulator's own header (the body stays AWS's generic message).
const EMULATOR_ERROR: HeaderName = HeaderName::from_static("x-lambda-emulator-error");

/// Which service the HTTP front plays: the shape of the events it sends and of the responses
/// it reads.
///
/// ```
/// use lambda_emulator::HttpFormat;
///
/// assert_eq!("apigw-v1".parse::<HttpFormat>().unwrap(), HttpFormat::ApiGatewayV1);
/// assert_eq!(HttpFormat::default().to_string(), "function-url");
/// let error = "rest".parse::<HttpFormat>().unwrap_err();
/// assert!(error.to_string().contains("function-url, apigw-v2, apigw-v1, alb, alb-multi-value"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HttpFormat {
    /// A Lambda function URL (payload format 2.0): `function-url`.
    #[default]
    FunctionUrl,
    /// An API Gateway HTTP API with payload format 2.0: `apigw-v2`.
    ApiGatewayV2,
    /// An API Gateway REST API (payload format 1.0, with `multiValueHeaders` and
    /// `multiValueQueryStringParameters`), a `/{proxy+}` resource: `apigw-v1`.
    ApiGatewayV1,
    /// An Application Load Balancer target group: `alb`.
    Alb,
    /// An ALB target group with multi-value headers turned on: `alb-multi-value`.
    AlbMultiValue,
}

impl HttpFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [HttpFormat; 5] = [
        HttpFormat::FunctionUrl,
        HttpFormat::ApiGatewayV2,
        HttpFormat::ApiGatewayV1,
        HttpFormat::Alb,
        HttpFormat::AlbMultiValue,
    ];

    /// The name the command line uses.
    pub const fn name(self) -> &'static str {
        match self {
            HttpFormat::FunctionUrl => "function-url",
            HttpFormat::ApiGatewayV2 => "apigw-v2",
            HttpFormat::ApiGatewayV1 => "apigw-v1",
            HttpFormat::Alb => "alb",
            HttpFormat::AlbMultiValue => "alb-multi-value",
        }
    }

    fn is_payload_v2(self) -> bool {
        matches!(self, HttpFormat::FunctionUrl | HttpFormat::ApiGatewayV2)
    }
}

impl fmt::Display for HttpFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HttpFormat {
    type Err = UnknownHttpFormat;

    fn from_str(name: &str) -> Result<HttpFormat, UnknownHttpFormat> {
        HttpFormat::ALL
            .into_iter()
            .find(|format| format.name() == name)
            .ok_or_else(|| UnknownHttpFormat(name.to_owned()))
    }
}

/// A name that is not one of the [`HttpFormat`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownHttpFormat(pub String);

impl fmt::Display for UnknownHttpFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown HTTP format `{}`: use one of ", self.0)?;
        for (i, format) in HttpFormat::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(format.name())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownHttpFormat {}

/// A running HTTP front in front of an [`Environment`]: `curl http://ADDRESS/any/path` invokes
/// the function with the event a function URL (or API Gateway, or an ALB: see [`HttpFormat`])
/// would send, and answers with the HTTP response the function returns, streamed when the
/// function streams (with or without the `application/vnd.awslambda.http-integration-response`
/// prelude). A function error, timeout or crash is a `502` with a JSON message, as a function
/// URL answers; the header `x-lambda-emulator-error` says why.
///
/// Dropping it, or [`shutdown`](HttpFront::shutdown), stops it (the environment lives on).
///
/// ```no_run
/// use std::sync::Arc;
/// use lambda_emulator::{Environment, FunctionConfig, HttpFormat, HttpFront};
///
/// # async fn demo() -> std::io::Result<()> {
/// let config = FunctionConfig::new("target/debug/examples/http-axum", Vec::<String>::new());
/// let environment = Arc::new(Environment::start(config).await?);
/// let front = HttpFront::start(environment, "127.0.0.1:9001".parse().unwrap(), HttpFormat::FunctionUrl).await?;
/// println!("curl http://{}/books/7", front.address());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct HttpFront {
    server: ServerHandle,
}

impl HttpFront {
    /// Binds `address` (port 0 picks a free port) and turns every request into an invocation
    /// of `environment`'s function, in `format`.
    pub async fn start(
        environment: Arc<Environment>,
        address: SocketAddr,
        format: HttpFormat,
    ) -> std::io::Result<HttpFront> {
        let server = server::bind(address, move |request| {
            handle(Arc::clone(&environment), format, request)
        })
        .await?;
        Ok(HttpFront { server })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// Stops accepting requests and closes open connections.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

async fn handle(
    environment: Arc<Environment>,
    format: HttpFormat,
    request: Request<Incoming>,
) -> Result<Response<Body>, CloseConnection> {
    let peer = request.extensions().get::<Peer>().map(|peer| peer.0);
    let (parts, body) = request.into_parts();
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    let config = environment.config();
    let meta = RequestMeta {
        request_id: crate::ids::request_id(),
        source_ip: peer.map_or(std::net::Ipv4Addr::LOCALHOST.into(), |peer| peer.ip()),
        port: local_port(&parts.headers),
        time: SystemTime::now(),
        trace_id: crate::ids::trace_header(),
        region: config.region.clone(),
        function_name: config.function_name.clone(),
    };
    let event = request::event(format, &parts, &body, &meta);
    let invocation = Invocation {
        payload: Bytes::from(event.to_string()),
        request_id: Some(meta.request_id.clone()),
        trace_id: Some(meta.trace_id.clone()),
        ..Invocation::default()
    };
    let response = match environment.invoke_streaming(invocation).await {
        Err(Outcome::Response(answer)) => match response::from_function(format, &answer.body) {
            Ok(response) => buffered(response),
            Err(bad) => bad_gateway(format, &bad.to_string()),
        },
        Err(failed) => bad_gateway(format, &failure(&failed)),
        Ok((headers, events)) => streamed(format, &headers, events).await,
    };
    Ok(with_request_id(response, &meta.request_id))
}

/// The port from the `Host` header, for `x-forwarded-port` (80 when it names none).
fn local_port(headers: &HeaderMap) -> u16 {
    headers
        .get(http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(|host| host.rsplit_once(':'))
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or(80)
}

async fn read_body(mut body: Incoming) -> Result<Bytes, Response<Body>> {
    let mut buffer = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(message(StatusCode::BAD_REQUEST, "Bad Request"));
        };
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > MAX_BODY_BYTES {
                return Err(message(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Request Entity Too Large",
                ));
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(buffer.freeze())
}

fn message(status: StatusCode, text: &str) -> Response<Body> {
    server::json_response(
        status,
        Bytes::from(serde_json::json!({ "message": text }).to_string()),
    )
}

/// Why an invocation failed, in one line: `Sandbox.Timedout: RequestId: ... Task timed out`.
fn failure(outcome: &Outcome) -> String {
    let body = outcome.caller_body();
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(json) => format!(
            "{}: {}",
            json["errorType"].as_str().unwrap_or("Error"),
            json["errorMessage"].as_str().unwrap_or_default()
        ),
        Err(_) => String::from_utf8_lossy(&body).into_owned(),
    }
}

fn buffered(response: HttpResponse) -> Response<Body> {
    let mut built = Response::new(server::full(response.body));
    *built.status_mut() = response.status;
    *built.headers_mut() = response.headers;
    built
}

fn bad_gateway(format: HttpFormat, reason: &str) -> Response<Body> {
    let mut response = buffered(response::bad_gateway(format));
    // One line of visible text: control characters become spaces.
    let reason: String = reason
        .chars()
        .take(1000)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if let Ok(value) = HeaderValue::from_bytes(reason.as_bytes()) {
        response.headers_mut().insert(EMULATOR_ERROR, value);
    }
    response
}

fn with_request_id(mut response: Response<Body>, request_id: &str) -> Response<Body> {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// The HTTP response for a streamed answer: status and headers from the prelude when the
/// runtime sent one (content type [`HTTP_INTEGRATION_RESPONSE`]), else `200` with the runtime's
/// content type and the stream as the body. A failure before the first body byte is a 502.
async fn streamed(
    format: HttpFormat,
    runtime_headers: &HeaderMap,
    mut events: mpsc::Receiver<StreamEvent>,
) -> Response<Body> {
    let content_type = runtime_headers.get(http::header::CONTENT_TYPE);
    let with_prelude = content_type.is_some_and(|value| {
        value
            .as_bytes()
            .eq_ignore_ascii_case(HTTP_INTEGRATION_RESPONSE.as_bytes())
    });
    if !with_prelude {
        let first = match events.recv().await {
            Some(StreamEvent::Data(chunk)) => chunk,
            Some(StreamEvent::Trailers(trailers)) => match stream_error(&trailers) {
                Some(error) => return bad_gateway(format, &error),
                None => Bytes::new(),
            },
            Some(StreamEvent::Broken(message)) => return bad_gateway(format, &message),
            None => Bytes::new(),
        };
        let mut response = Response::new(body(first, events));
        let content_type = content_type
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream"));
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, content_type);
        return response;
    }
    let mut parser = PreludeParser::default();
    loop {
        match events.recv().await {
            Some(StreamEvent::Data(chunk)) => match parser.feed(&chunk) {
                Ok(None) => {}
                Ok(Some((prelude, rest))) => {
                    return match response::from_prelude(&prelude) {
                        Ok((status, headers)) => {
                            let mut response = Response::new(body(rest, events));
                            *response.status_mut() = status;
                            *response.headers_mut() = headers;
                            response
                        }
                        Err(bad) => bad_gateway(format, &bad.to_string()),
                    }
                }
                Err(_) => {
                    let bad = BadResponse::InvalidPrelude(format!(
                        "no 8-NUL delimiter within {} bytes",
                        stream::MAX_PRELUDE_BYTES
                    ));
                    return bad_gateway(format, &bad.to_string());
                }
            },
            Some(StreamEvent::Trailers(trailers)) => {
                let reason = stream_error(&trailers).unwrap_or_else(no_delimiter);
                return bad_gateway(format, &reason);
            }
            Some(StreamEvent::Broken(message)) => return bad_gateway(format, &message),
            None => return bad_gateway(format, &no_delimiter()),
        }
    }
}

fn no_delimiter() -> String {
    BadResponse::InvalidPrelude(
        "the stream ended before the 8 NUL bytes that end the prelude".to_owned(),
    )
    .to_string()
}

/// The error a streamed response's trailers report, if any.
fn stream_error(trailers: &HeaderMap) -> Option<String> {
    trailers
        .get(crate::wire::FUNCTION_ERROR_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

fn body(first: Bytes, events: mpsc::Receiver<StreamEvent>) -> Body {
    BodyExt::boxed_unsync(StreamedBody {
        first: Some(first),
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTTP response for a streamed answer made of `events`, with the body read to its end
    /// (`Err` when it ended with an error).
    async fn stream_of(
        content_type: &str,
        events: Vec<StreamEvent>,
    ) -> (Response<()>, Result<Bytes, String>) {
        let (sender, receiver) = mpsc::channel(events.len().max(1));
        for event in events {
            sender.try_send(event).unwrap();
        }
        drop(sender);
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        let response = streamed(HttpFormat::FunctionUrl, &headers, receiver).await;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map(|collected| collected.to_bytes())
            .map_err(|error| error.to_string());
        (Response::from_parts(parts, ()), body)
    }

    fn data(bytes: &'static [u8]) -> StreamEvent {
        StreamEvent::Data(Bytes::from_static(bytes))
    }

    fn error_trailers() -> StreamEvent {
        let mut trailers = HeaderMap::new();
        trailers.insert(
            crate::wire::FUNCTION_ERROR_TYPE,
            HeaderValue::from_static("Runtime.StreamError"),
        );
        StreamEvent::Trailers(trailers)
    }

    #[tokio::test]
    async fn prelude_split_across_chunks_gives_status_headers_and_the_body() {
        let (response, body) = stream_of(
            HTTP_INTEGRATION_RESPONSE,
            vec![
                data(b"{\"statusCode\":20"),
                data(b"2,\"headers\":{\"x-a\":\"1\"},\"cookies\":[\"c=1\"]}\0\0\0"),
                data(b"\0\0\0\0\0first "),
                data(b"second"),
                StreamEvent::Trailers(HeaderMap::new()),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(response.headers()["x-a"], "1");
        assert_eq!(response.headers()["set-cookie"], "c=1");
        assert_eq!(body.unwrap(), "first second");
    }

    #[tokio::test]
    async fn an_error_after_the_first_byte_truncates_the_body() {
        let (response, body) =
            stream_of("text/plain", vec![data(b"partial"), error_trailers()]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/plain");
        let error = body.unwrap_err();
        assert!(error.contains("Runtime.StreamError"), "{error}");
    }

    #[tokio::test]
    async fn failures_before_the_first_byte_are_502() {
        let cases = [
            ("text/plain", vec![error_trailers()], "Runtime.StreamError"),
            (
                "text/plain",
                vec![StreamEvent::Broken(
                    "Task timed out after 1.00 seconds".into(),
                )],
                "Task timed out",
            ),
            (
                HTTP_INTEGRATION_RESPONSE,
                vec![data(b"{\"statusCode\":200}\0\0\0")],
                "ended before the 8 NUL bytes",
            ),
            (
                HTTP_INTEGRATION_RESPONSE,
                vec![data(b"{\"statusCode\":"), error_trailers()],
                "Runtime.StreamError",
            ),
            (
                HTTP_INTEGRATION_RESPONSE,
                vec![data(b"not json\0\0\0\0\0\0\0\0body")],
                "prelude is not a JSON object",
            ),
        ];
        for (content_type, events, reason) in cases {
            let (response, body) = stream_of(content_type, events).await;
            assert_eq!(response.status(), StatusCode::BAD_GATEWAY, "{reason}");
            assert_eq!(body.unwrap(), r#"{"message":"Internal Server Error"}"#);
            let why = response.headers()[&EMULATOR_ERROR].to_str().unwrap();
            assert!(why.contains(reason), "{why}");
        }
    }

    #[tokio::test]
    async fn an_empty_plain_stream_is_an_empty_200() {
        let (response, body) = stream_of("application/octet-stream", vec![]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body.unwrap(), "");
    }
}
