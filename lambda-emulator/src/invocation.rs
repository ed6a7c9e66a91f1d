//! What goes into an invocation and what comes out of it.

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;

/// One invocation of the function: the event payload and the optional context Lambda passes with it.
///
/// Most callers build one from the payload alone (`&str`, `String`, `Vec<u8>`, [`Bytes`] or a
/// [`serde_json::Value`]) and set the other fields only when a test needs them.
///
/// ```
/// use std::time::Duration;
/// use lambda_emulator::Invocation;
///
/// let plain = Invocation::from(r#"{"name":"world"}"#);
/// assert!(plain.request_id.is_none());
///
/// let detailed = Invocation {
///     request_id: Some("8476a536-e9f4-11e8-9739-2dfe598c3fcd".to_string()),
///     timeout: Some(Duration::from_secs(1)),
///     tenant_id: Some("tenant-a".to_string()),
///     ..Invocation::from(serde_json::json!({ "name": "world" }))
/// };
/// assert_eq!(detailed.payload, plain.payload);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    /// The event bytes, passed to the runtime unchanged.
    pub payload: Bytes,
    /// The request id; a random UUID-shaped id is generated when `None`.
    pub request_id: Option<String>,
    /// How long the function may run; the server's default timeout when `None`.
    pub timeout: Option<Duration>,
    /// The X-Ray trace header; an unsampled trace header is generated when `None`.
    pub trace_id: Option<String>,
    /// Mobile SDK client context, sent as JSON in `Lambda-Runtime-Client-Context`.
    pub client_context: Option<serde_json::Value>,
    /// Cognito identity, sent as JSON in `Lambda-Runtime-Cognito-Identity`.
    pub cognito_identity: Option<serde_json::Value>,
    /// Tenant id, sent in `Lambda-Runtime-Aws-Tenant-Id`.
    pub tenant_id: Option<String>,
}

impl Invocation {
    /// An invocation of `payload` with every optional field unset.
    pub fn new(payload: impl Into<Bytes>) -> Invocation {
        Invocation {
            payload: payload.into(),
            ..Invocation::default()
        }
    }
}

impl From<&str> for Invocation {
    fn from(payload: &str) -> Invocation {
        Invocation::new(Bytes::copy_from_slice(payload.as_bytes()))
    }
}

impl From<String> for Invocation {
    fn from(payload: String) -> Invocation {
        Invocation::new(payload)
    }
}

impl From<Vec<u8>> for Invocation {
    fn from(payload: Vec<u8>) -> Invocation {
        Invocation::new(payload)
    }
}

impl From<Bytes> for Invocation {
    fn from(payload: Bytes) -> Invocation {
        Invocation::new(payload)
    }
}

impl From<serde_json::Value> for Invocation {
    fn from(payload: serde_json::Value) -> Invocation {
        Invocation::new(payload.to_string())
    }
}

/// How an invocation ended.
///
/// ```no_run
/// # async fn demo(api: lambda_emulator::RuntimeApi) {
/// use lambda_emulator::Outcome;
///
/// match api.invoke(r#"{"name":"world"}"#).await {
///     Outcome::Response(response) => println!("{}", String::from_utf8_lossy(&response.body)),
///     Outcome::Error(report) => println!("error {:?}: {:?}", report.error_type(), report.error_message()),
///     Outcome::Timeout { request_id, after } => println!("{request_id} timed out after {after:?}"),
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The runtime POSTed a response.
    Response(FunctionResponse),
    /// The runtime POSTed an error, or the environment failed the invocation (for example
    /// `Runtime.ExitError` when the runtime process died).
    Error(ErrorReport),
    /// No answer came before the deadline.
    Timeout {
        /// The invocation's request id.
        request_id: String,
        /// The timeout that elapsed.
        after: Duration,
    },
}

impl Outcome {
    /// The response, if the invocation succeeded.
    pub fn response(&self) -> Option<&FunctionResponse> {
        match self {
            Outcome::Response(response) => Some(response),
            _ => None,
        }
    }

    /// The body a caller of the function sees: the response body on success, the error JSON
    /// otherwise (for a timeout, Lambda's `Sandbox.Timedout` error).
    ///
    /// ```
    /// use std::time::Duration;
    /// use lambda_emulator::Outcome;
    ///
    /// let outcome = Outcome::Timeout { request_id: "id-1".into(), after: Duration::from_secs(3) };
    /// assert_eq!(
    ///     outcome.caller_body(),
    ///     r#"{"errorMessage":"RequestId: id-1 Error: Task timed out after 3.00 seconds","errorType":"Sandbox.Timedout"}"#
    /// );
    /// ```
    pub fn caller_body(&self) -> Bytes {
        match self {
            Outcome::Response(response) => response.body.clone(),
            Outcome::Error(report) => report.body.clone(),
            Outcome::Timeout { request_id, after } => crate::wire::error_body(
                "Sandbox.Timedout",
                &format!(
                    "RequestId: {request_id} Error: Task timed out after {:.2} seconds",
                    after.as_secs_f64()
                ),
            ),
        }
    }

    /// The error report, if the invocation failed with one.
    pub fn error(&self) -> Option<&ErrorReport> {
        match self {
            Outcome::Error(report) => Some(report),
            _ => None,
        }
    }
}

/// A response the runtime POSTed to `/runtime/invocation/{id}/response`.
///
/// ```
/// use lambda_emulator::FunctionResponse;
///
/// let response = FunctionResponse {
///     request_id: "id".into(),
///     body: bytes::Bytes::from_static(b"\"hello\""),
///     headers: http::HeaderMap::new(),
///     streamed: false,
///     trailers: None,
///     chunks: Vec::new(),
/// };
/// assert_eq!(response.json(), Some(serde_json::json!("hello")));
/// ```
#[derive(Debug, Clone)]
pub struct FunctionResponse {
    /// The invocation's request id.
    pub request_id: String,
    /// The response body (for a streamed response, every chunk concatenated).
    pub body: Bytes,
    /// The headers of the runtime's POST.
    pub headers: http::HeaderMap,
    /// Whether the runtime used `Lambda-Runtime-Function-Response-Mode: streaming`.
    pub streamed: bool,
    /// The trailers of a streamed response, if it sent any.
    pub trailers: Option<http::HeaderMap>,
    /// The data chunks of a streamed response, as they arrived (empty for a buffered one).
    pub chunks: Vec<Bytes>,
}

impl FunctionResponse {
    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The `Lambda-Runtime-Function-Error-Type` trailer of a streamed response that failed midway.
    pub fn trailer_error_type(&self) -> Option<String> {
        header_string(self.trailers.as_ref()?, &crate::wire::FUNCTION_ERROR_TYPE)
    }
}

/// An error the runtime reported (to `/runtime/invocation/{id}/error` or `/runtime/init/error`),
/// or one the environment produced for an invocation.
///
/// ```
/// use lambda_emulator::ErrorReport;
///
/// let report = ErrorReport {
///     request_id: Some("id".into()),
///     error_type_header: Some("Runtime.Unknown".into()),
///     body: bytes::Bytes::from_static(br#"{"errorType":"MyError","errorMessage":"boom"}"#),
///     headers: http::HeaderMap::new(),
/// };
/// assert_eq!(report.error_type().as_deref(), Some("MyError"));
/// assert_eq!(report.error_message().as_deref(), Some("boom"));
/// ```
#[derive(Debug, Clone)]
pub struct ErrorReport {
    /// The invocation's request id (`None` for an init error).
    pub request_id: Option<String>,
    /// The `Lambda-Runtime-Function-Error-Type` header, exactly as sent.
    pub error_type_header: Option<String>,
    /// The error body, exactly as sent.
    pub body: Bytes,
    /// The headers of the runtime's POST.
    pub headers: HeaderMap,
}

impl ErrorReport {
    /// An error produced by the environment itself (the runtime crashed, ...).
    pub(crate) fn environment(request_id: Option<&str>, error_type: &str, message: &str) -> Self {
        ErrorReport {
            request_id: request_id.map(str::to_string),
            error_type_header: Some(error_type.to_string()),
            body: crate::wire::error_body(error_type, message),
            headers: HeaderMap::new(),
        }
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body's `errorType`, if the body is a JSON object with a string `errorType`.
    pub fn error_type(&self) -> Option<String> {
        self.json_string("errorType")
    }

    /// The body's `errorMessage`, if the body is a JSON object with a string `errorMessage`.
    pub fn error_message(&self) -> Option<String> {
        self.json_string("errorMessage")
    }

    fn json_string(&self, key: &str) -> Option<String> {
        self.json()?.get(key)?.as_str().map(str::to_string)
    }
}

pub(crate) fn header_string(headers: &HeaderMap, name: &http::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}
