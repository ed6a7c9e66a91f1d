//! Streaming responses: a body sent to Lambda chunk by chunk as the handler produces it.
//!
//! A handler returns a [`StreamResponse`] holding any [`http_body::Body`] (and is run with
//! [`run`](crate::run) or a [`Runtime`](crate::Runtime) like any other). The runtime POSTs it with `Lambda-Runtime-Function-Response-Mode:
//! streaming` and chunked transfer encoding; hyper pulls one frame at a time as the connection
//! can take it, so memory stays bounded whatever the response's size.
//!
//! An error from the body (or a panic while producing it) after the first byte cannot change the
//! status any more: it is sent as the HTTP/1.1 trailers `Lambda-Runtime-Function-Error-Type` and
//! `Lambda-Runtime-Function-Error-Body` (the base64 of the error JSON), and the stream ends.
//!
//! For HTTP callers (function URLs, API Gateway response streaming),
//! [`StreamResponse::from_http`] puts the status, headers and cookies in the JSON prelude Lambda
//! expects, followed by the 8-NUL delimiter; each is sent as its own chunk.

use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine as _;
use bytes::{Buf, Bytes};
use http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use http_body::{Body, Frame, SizeHint};

use crate::client::BoxError;
use crate::diagnostic::{Diagnostic, ErrorCategory};
use crate::panic::catch;
use crate::protocol::runtime::headers;

/// The content type of a streamed response carrying an HTTP prelude.
pub const HTTP_INTEGRATION_CONTENT_TYPE: &str =
    "application/vnd.awslambda.http-integration-response";

/// The delimiter between the HTTP prelude and the body: 8 NUL bytes.
const PRELUDE_DELIMITER: &[u8] = &[0u8; 8];

/// A response streamed to the caller as it is produced.
///
/// ```no_run
/// use bytes::Bytes;
/// use http_body_util::StreamBody;
/// use lambda_runtime::{service_fn, streaming::StreamResponse, Error, LambdaEvent};
/// use std::convert::Infallible;
///
/// async fn handler(_: LambdaEvent<serde_json::Value>) -> Result<StreamResponse<http_body_util::Full<Bytes>>, Error> {
///     Ok(StreamResponse::new(http_body_util::Full::new(Bytes::from("streamed"))).with_content_type("text/plain"))
/// }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Error> {
///     lambda_runtime::run(service_fn(handler)).await?;
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct StreamResponse<B> {
    pub(crate) content_type: HeaderValue,
    pub(crate) prelude: Option<Bytes>,
    pub(crate) body: B,
}

impl<B> StreamResponse<B> {
    /// Streams `body` with the content type `application/octet-stream`.
    pub fn new(body: B) -> Self {
        StreamResponse {
            content_type: HeaderValue::from_static("application/octet-stream"),
            prelude: None,
            body,
        }
    }

    /// Sets the content type the caller sees. A value that is not a valid header value is
    /// ignored (the previous content type is kept).
    pub fn with_content_type(mut self, content_type: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(content_type) {
            self.content_type = value;
        }
        self
    }

    /// Streams an HTTP response to an HTTP caller (a function URL or API Gateway with response
    /// streaming): its status, headers and `Set-Cookie` values go into the prelude, its body
    /// follows the delimiter.
    ///
    /// ```
    /// use lambda_runtime::streaming::StreamResponse;
    ///
    /// let response = http::Response::builder()
    ///     .status(201)
    ///     .header("content-type", "text/plain")
    ///     .header("set-cookie", "a=1")
    ///     .body(http_body_util::Full::new(bytes::Bytes::from("hi")))
    ///     .unwrap();
    /// let streamed = StreamResponse::from_http(response);
    /// assert_eq!(
    ///     streamed.prelude_json().unwrap(),
    ///     r#"{"statusCode":201,"headers":{"content-type":"text/plain"},"cookies":["a=1"]}"#
    /// );
    /// ```
    pub fn from_http(response: http::Response<B>) -> Self {
        let (parts, body) = response.into_parts();
        let prelude = http_prelude(parts.status, &parts.headers);
        StreamResponse {
            content_type: HeaderValue::from_static(HTTP_INTEGRATION_CONTENT_TYPE),
            prelude: Some(Bytes::from(prelude)),
            body,
        }
    }

    /// The HTTP prelude, for responses made with [`from_http`](StreamResponse::from_http).
    pub fn prelude_json(&self) -> Option<&str> {
        self.prelude
            .as_deref()
            .and_then(|p| std::str::from_utf8(p).ok())
    }
}

/// `{"statusCode":..,"headers":{..},"cookies":[..]}`: repeated headers are joined with `,`
/// except `Set-Cookie`, whose values are the cookies.
fn http_prelude(status: http::StatusCode, headers: &HeaderMap) -> Vec<u8> {
    let mut map = serde_json::Map::new();
    let mut cookies = Vec::new();
    for name in headers.keys() {
        let values = headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        if name == SET_COOKIE {
            cookies.extend(values.map(serde_json::Value::String));
        } else {
            let joined: Vec<String> = values.collect();
            map.insert(name.as_str().to_owned(), joined.join(",").into());
        }
    }
    let mut prelude = Vec::with_capacity(64);
    prelude.extend_from_slice(b"{\"statusCode\":");
    prelude.extend_from_slice(status.as_u16().to_string().as_bytes());
    prelude.extend_from_slice(b",\"headers\":");
    prelude.extend_from_slice(
        serde_json::to_string(&map)
            .unwrap_or_else(|_| "{}".into())
            .as_bytes(),
    );
    prelude.extend_from_slice(b",\"cookies\":");
    prelude.extend_from_slice(
        serde_json::to_string(&cookies)
            .unwrap_or_else(|_| "[]".into())
            .as_bytes(),
    );
    prelude.push(b'}');
    prelude
}

enum State {
    Prelude(Bytes),
    Delimiter,
    Body,
    Done,
}

pin_project_lite::pin_project! {
    /// The body the runtime POSTs for a [`StreamResponse`]: prelude and delimiter (if any), the
    /// handler's frames, and error trailers if the handler's body fails.
    pub(crate) struct LambdaStreamBody<B> {
        state: State,
        #[pin]
        body: B,
    }
}

impl<B> LambdaStreamBody<B> {
    pub(crate) fn new(prelude: Option<Bytes>, body: B) -> Self {
        LambdaStreamBody {
            state: match prelude {
                Some(p) => State::Prelude(p),
                None => State::Body,
            },
            body,
        }
    }
}

impl<B> Body for LambdaStreamBody<B>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let mut this = self.project();
        loop {
            match this.state {
                State::Prelude(prelude) => {
                    let prelude = std::mem::take(prelude);
                    *this.state = State::Delimiter;
                    return Poll::Ready(Some(Ok(Frame::data(prelude))));
                }
                State::Delimiter => {
                    *this.state = State::Body;
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                        PRELUDE_DELIMITER,
                    )))));
                }
                State::Done => return Poll::Ready(None),
                State::Body => {}
            }
            let polled = catch(|| this.body.as_mut().poll_frame(cx));
            let frame = match polled {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(None)) => {
                    *this.state = State::Done;
                    return Poll::Ready(None);
                }
                Ok(Poll::Ready(Some(Ok(frame)))) => frame,
                Ok(Poll::Ready(Some(Err(e)))) => {
                    *this.state = State::Done;
                    let diagnostic = Diagnostic::from(e.into());
                    let category = diagnostic.function_category();
                    tracing::error!(
                        errorType = diagnostic.error_type(),
                        "the response stream failed: {}",
                        diagnostic.error_message()
                    );
                    return Poll::Ready(Some(Ok(Frame::trailers(error_trailers(
                        &diagnostic,
                        &category,
                    )))));
                }
                Err(panic) => {
                    *this.state = State::Done;
                    let category = ErrorCategory::Panic;
                    let diagnostic = category
                        .diagnostic(format!("the handler panicked while streaming: {panic}"));
                    tracing::error!(
                        errorType = diagnostic.error_type(),
                        "{}",
                        diagnostic.error_message()
                    );
                    let name = category.as_str().unwrap_or("Runtime.HandlerPanic");
                    return Poll::Ready(Some(Ok(Frame::trailers(error_trailers(
                        &diagnostic,
                        name,
                    )))));
                }
            };
            match frame.into_data() {
                Ok(mut data) => {
                    let bytes = data.copy_to_bytes(data.remaining());
                    if !bytes.is_empty() {
                        return Poll::Ready(Some(Ok(Frame::data(bytes))));
                    }
                }
                // The handler's own trailers are not part of Lambda's protocol: dropped.
                Err(_trailers) => {}
            }
        }
    }

    fn size_hint(&self) -> SizeHint {
        // Always unknown: the body must go out chunked, so that trailers can follow it.
        SizeHint::default()
    }
}

fn error_trailers(diagnostic: &Diagnostic, category: &str) -> HeaderMap {
    let mut trailers = HeaderMap::with_capacity(2);
    if let Ok(value) = HeaderValue::from_str(category) {
        trailers.insert(headers::FUNCTION_ERROR_TYPE, value);
    }
    let body = base64::engine::general_purpose::STANDARD.encode(diagnostic.to_json());
    if let Ok(value) = HeaderValue::from_str(&body) {
        trailers.insert(headers::FUNCTION_ERROR_BODY, value);
    }
    trailers
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[test]
    fn prelude_joins_repeated_headers_and_lifts_cookies() {
        let mut headers = HeaderMap::new();
        headers.append("x-a", HeaderValue::from_static("1"));
        headers.append("x-a", HeaderValue::from_static("2"));
        headers.append(SET_COOKIE, HeaderValue::from_static("s=1; Secure"));
        headers.append(SET_COOKIE, HeaderValue::from_static("t=2"));
        let prelude = http_prelude(http::StatusCode::NOT_FOUND, &headers);
        assert_eq!(
            String::from_utf8(prelude).unwrap(),
            r#"{"statusCode":404,"headers":{"x-a":"1,2"},"cookies":["s=1; Secure","t=2"]}"#
        );
    }

    #[tokio::test]
    async fn http_stream_sends_prelude_delimiter_and_body_as_separate_chunks() {
        let response = http::Response::builder()
            .status(200)
            .body(http_body_util::Full::new(Bytes::from("body")))
            .unwrap();
        let streamed = StreamResponse::from_http(response);
        let mut body = LambdaStreamBody::new(streamed.prelude, streamed.body);
        let mut chunks = Vec::new();
        while let Some(frame) = body.frame().await {
            chunks.push(frame.unwrap().into_data().unwrap());
        }
        assert_eq!(
            chunks,
            [
                Bytes::from(r#"{"statusCode":200,"headers":{},"cookies":[]}"#),
                Bytes::from_static(&[0; 8]),
                Bytes::from("body"),
            ]
        );
    }
}
