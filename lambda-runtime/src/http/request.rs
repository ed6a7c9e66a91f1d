//! The converted request and the conversion's error: a leaf module (it imports no source's
//! conversion), so that every per-source module can use both without an import circle.
//! The conversion itself is in `convert.rs`.

use std::fmt;

use http::Uri;

use super::body::Body;
use super::encoding::encode_path;
use super::source::{Source, UnrecognizedEvent};

/// An HTTP request delivered as a Lambda event by any [`Source`], converted to an
/// [`http::Request`].
///
/// The runtime builds it with [`LambdaRequest::from_slice`]: the source is recognised from the
/// event's keys (the table of [`Source::detect`]), the event is deserialized from its bytes
/// straight into the source's fields (headers into an `http::HeaderMap` as they are read; the
/// request context as its `lambda-events` type) and then made an `http::Request<Body>` with:
///
/// - the method, and the path as the client sent it, without the API Gateway stage (see
///   [`Adapter::with_stage_prefix`](super::Adapter::with_stage_prefix) to keep it);
/// - the query string, every value of every name, escaped so that it decodes once to what
///   the client sent;
/// - every header with all its values; HTTP API and function URL cookies joined into one
///   `Cookie` header;
/// - the body, base64-decoded when the event says `isBase64Encoded`;
/// - extensions read with [`RequestExt`](super::RequestExt): the [`RequestContext`](super::RequestContext), path
///   parameters, stage variables and query parameters.
///
/// It also implements `Deserialize` (through a `serde_json::Value`, then
/// [`LambdaRequest::from_value`]), for events that are already values.
///
/// An event from no known source, one that does not fit its source's type, or a body that is
/// not valid base64 fails with a [`RequestError`] saying which; the runtime
/// reports it as the invocation's `Runtime.InvalidEvent` error and goes on.
///
/// ```
/// use lambda_runtime::http::{LambdaRequest, RequestExt, Source};
///
/// let event = serde_json::json!({
///     "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1"}},
///     "httpMethod": "GET", "path": "/items", "queryStringParameters": {"q": "a%20b"},
///     "headers": {"accept": "text/plain"}, "body": "", "isBase64Encoded": false
/// });
/// let request: LambdaRequest = serde_json::from_value(event).unwrap();
/// assert_eq!(request.source(), Source::Alb);
/// let request = request.into_http();
/// assert_eq!(request.uri(), "/items?q=a%20b");
/// assert_eq!(request.query_parameters().get("q"), Some("a b"));
/// ```
#[derive(Debug)]
pub struct LambdaRequest {
    source: Source,
    request: http::Request<Body>,
    stage: Option<String>,
    multi_value: bool,
}

impl LambdaRequest {
    pub(super) fn new(
        source: Source,
        request: http::Request<Body>,
        stage: Option<String>,
        multi_value: bool,
    ) -> Self {
        LambdaRequest {
            source,
            request,
            stage,
            multi_value,
        }
    }

    /// The source the request came through.
    pub fn source(&self) -> Source {
        self.source
    }

    /// The API Gateway stage, unless it is `$default` (`None` for other sources).
    pub fn stage(&self) -> Option<&str> {
        self.stage.as_deref()
    }

    /// Whether the request used multi-value headers or query parameters (ALB target groups
    /// with multi-value headers on, which then expect `multiValueHeaders` in the response).
    pub fn is_multi_value(&self) -> bool {
        self.multi_value
    }

    /// The request, with the path as the client sent it (no stage).
    pub fn into_http(self) -> http::Request<Body> {
        self.request
    }

    /// The request, with the API Gateway stage (if any, and not `$default`) put in front of
    /// the path: `/prod/items` rather than `/items`.
    pub fn into_http_with_stage(self) -> http::Request<Body> {
        let mut request = self.request;
        if let Some(stage) = &self.stage {
            let path_and_query = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let prefixed = format!("{}{path_and_query}", encode_path(stage));
            if let Ok(uri) = prefixed.parse::<Uri>() {
                *request.uri_mut() = uri;
            }
        }
        request
    }
}

/// Why an event could not be turned into an HTTP request.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// The event is not JSON ([`LambdaRequest::from_slice`]).
    Json(serde_json::Error),
    /// The event is from none of the accepted sources.
    Unrecognized(UnrecognizedEvent),
    /// The event has the keys of `source` but does not fit its type.
    Malformed {
        /// The source the event was recognised as.
        source: Source,
        /// The failing field and what is wrong with it.
        error: String,
    },
    /// `isBase64Encoded` is true but the body is not base64.
    InvalidBase64 {
        /// The source of the event.
        source: Source,
        /// The decoding error.
        error: base64::DecodeError,
    },
    /// The method, path or a header cannot be part of an HTTP request.
    InvalidHttp {
        /// The source of the event.
        source: Source,
        /// What is invalid, with the value.
        what: String,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Transparent: the inner error says it all (and source() skips it).
            RequestError::Unrecognized(e) => e.fmt(f),
            RequestError::Json(_) => f.write_str(
                "the event is not JSON: an HTTP function takes the JSON events its sources send",
            ),
            RequestError::Malformed { source, error } => write!(
                f,
                "the event has the keys of a {source} request but does not fit one: {error}"
            ),
            RequestError::InvalidBase64 { source, .. } => write!(
                f,
                "the {source} request says `isBase64Encoded: true` but its body is not valid \
                 base64; check the binary media types and whatever built the event"
            ),
            RequestError::InvalidHttp { source, what } => {
                write!(f, "the {source} request cannot be an HTTP request: {what}")
            }
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::Unrecognized(e) => e.source(),
            RequestError::InvalidBase64 { error, .. } => Some(error),
            RequestError::Json(error) => Some(error),
            _ => None,
        }
    }
}

impl From<UnrecognizedEvent> for RequestError {
    fn from(e: UnrecognizedEvent) -> Self {
        RequestError::Unrecognized(e)
    }
}
