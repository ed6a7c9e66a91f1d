//! The Runtime API's paths and header names, in one place, and the calls the runtime makes.

use bytes::Bytes;
use http::{Method, Response};

use crate::client::{Client, ClientError, RequestBody};
use crate::diagnostic::Diagnostic;

/// The Runtime API version prefix.
pub const RUNTIME_API_VERSION: &str = "/2018-06-01";

/// `GET`: the next invocation.
pub const NEXT_PATH: &str = "/2018-06-01/runtime/invocation/next";

/// `POST`: an initialization error.
pub const INIT_ERROR_PATH: &str = "/2018-06-01/runtime/init/error";

/// The path of `/runtime/invocation/{id}/{tail}` (`response` or `error`).
pub fn invocation_path(request_id: &str, tail: &str) -> String {
    let mut path = String::with_capacity(48 + request_id.len() + tail.len());
    path.push_str(RUNTIME_API_VERSION);
    path.push_str("/runtime/invocation/");
    path.push_str(request_id);
    path.push('/');
    path.push_str(tail);
    path
}

/// Header names of the Runtime API.
pub mod headers {
    use http::HeaderName;

    /// The request id of an invocation.
    pub const REQUEST_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-request-id");
    /// The invocation's deadline, in Unix epoch milliseconds.
    pub const DEADLINE_MS: HeaderName = HeaderName::from_static("lambda-runtime-deadline-ms");
    /// The ARN the caller invoked.
    pub const INVOKED_FUNCTION_ARN: HeaderName =
        HeaderName::from_static("lambda-runtime-invoked-function-arn");
    /// The X-Ray trace header.
    pub const TRACE_ID: HeaderName = HeaderName::from_static("lambda-runtime-trace-id");
    /// The mobile client context, as JSON.
    pub const CLIENT_CONTEXT: HeaderName = HeaderName::from_static("lambda-runtime-client-context");
    /// The Cognito identity, as JSON.
    pub const COGNITO_IDENTITY: HeaderName =
        HeaderName::from_static("lambda-runtime-cognito-identity");
    /// The tenant id (tenant isolation mode).
    pub const TENANT_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-tenant-id");
    /// The error category of a reported error, `Category.Reason`.
    pub const FUNCTION_ERROR_TYPE: HeaderName =
        HeaderName::from_static("lambda-runtime-function-error-type");
    /// The error body of a streamed response that failed after its first byte (trailer).
    pub const FUNCTION_ERROR_BODY: HeaderName =
        HeaderName::from_static("lambda-runtime-function-error-body");
    /// The response mode of a response (`streaming`).
    pub const FUNCTION_RESPONSE_MODE: HeaderName =
        HeaderName::from_static("lambda-runtime-function-response-mode");
    /// The X-Ray error cause of a reported error.
    pub const XRAY_ERROR_CAUSE: HeaderName =
        HeaderName::from_static("lambda-runtime-function-xray-error-cause");
}

/// The Runtime API, spoken over one [`Client`].
#[derive(Debug)]
pub(crate) struct RuntimeApi {
    client: Client,
    /// The `next` URI, built once: it is requested for every invocation.
    next_uri: Option<http::Uri>,
}

impl RuntimeApi {
    pub(crate) fn new(client: Client) -> Self {
        let next_uri = client.uri(NEXT_PATH).ok();
        RuntimeApi { client, next_uri }
    }

    fn next_request(&self) -> Result<http::Request<RequestBody>, ClientError> {
        match &self.next_uri {
            Some(uri) => Ok(self
                .client
                .request_to(Method::GET, uri.clone(), RequestBody::Empty)),
            None => self
                .client
                .request(Method::GET, NEXT_PATH, RequestBody::Empty),
        }
    }

    pub(crate) fn endpoint(&self) -> &crate::client::Endpoint {
        self.client.endpoint()
    }

    /// `GET next`: blocks (with no timeout) until Lambda has an invocation.
    ///
    /// A connection that drops while waiting is replaced once: asking for the next invocation
    /// again is always safe. A second failure in a row is returned.
    pub(crate) async fn next(&mut self) -> Result<Response<Bytes>, ClientError> {
        let request = self.next_request()?;
        match self.client.send(request).await {
            Err(ClientError::Connection(e) | ClientError::Body(e)) => {
                tracing::warn!(error = %e, "the Runtime API dropped `next`; asking again on a new connection");
                let request = self.next_request()?;
                self.client.send(request).await
            }
            other => other,
        }
    }

    /// `POST response`: a buffered body (`content_type` `None`: JSON), or a streamed one with
    /// the content type the caller sees.
    pub(crate) async fn respond(
        &mut self,
        request_id: &str,
        body: RequestBody,
        streamed_content_type: Option<http::HeaderValue>,
    ) -> Result<Response<Bytes>, ClientError> {
        let mut request =
            self.client
                .request(Method::POST, &invocation_path(request_id, "response"), body)?;
        if let Some(content_type) = streamed_content_type {
            let h = request.headers_mut();
            h.insert(http::header::CONTENT_TYPE, content_type);
            h.insert(
                headers::FUNCTION_RESPONSE_MODE,
                http::HeaderValue::from_static("streaming"),
            );
            h.insert(
                http::header::TRANSFER_ENCODING,
                http::HeaderValue::from_static("chunked"),
            );
            h.insert(
                http::header::TRAILER,
                http::HeaderValue::from_static(
                    "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
                ),
            );
        }
        self.client.send(request).await
    }

    /// `POST error` for an invocation.
    pub(crate) async fn report_error(
        &mut self,
        request_id: &str,
        diagnostic: &Diagnostic,
        category: &str,
    ) -> Result<Response<Bytes>, ClientError> {
        let path = invocation_path(request_id, "error");
        self.post_error(&path, diagnostic, category).await
    }

    /// `POST init/error`.
    pub(crate) async fn report_init_error(
        &mut self,
        diagnostic: &Diagnostic,
        category: &str,
    ) -> Result<Response<Bytes>, ClientError> {
        self.post_error(INIT_ERROR_PATH, diagnostic, category).await
    }

    async fn post_error(
        &mut self,
        path: &str,
        diagnostic: &Diagnostic,
        category: &str,
    ) -> Result<Response<Bytes>, ClientError> {
        let body = RequestBody::Full(Bytes::from(diagnostic.to_json()));
        let mut request = self.client.request(Method::POST, path, body)?;
        if let Ok(value) = http::HeaderValue::from_str(category) {
            request
                .headers_mut()
                .insert(headers::FUNCTION_ERROR_TYPE, value);
        }
        self.client.send(request).await
    }
}
