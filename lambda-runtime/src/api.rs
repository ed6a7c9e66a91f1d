//! The calls the runtime makes to the Runtime API (paths and headers: [`protocol`](crate::protocol)).

use bytes::Bytes;
use http::{Method, Response};

use crate::client::{Client, ClientError, RequestBody};
use crate::diagnostic::Diagnostic;
use crate::protocol::runtime::{
    headers, invocation_path, InvocationCall, INIT_ERROR, NEXT, STREAMING_RESPONSE_MODE,
    STREAMING_TRAILER,
};

/// The Runtime API, spoken over one [`Client`].
#[derive(Debug)]
pub(crate) struct RuntimeApi {
    client: Client,
    /// The `next` URI, built once: it is requested for every invocation.
    next_uri: Option<http::Uri>,
}

impl RuntimeApi {
    pub(crate) fn new(client: Client) -> Self {
        let next_uri = client.uri(NEXT).ok();
        RuntimeApi { client, next_uri }
    }

    fn next_request(&self) -> Result<http::Request<RequestBody>, ClientError> {
        match &self.next_uri {
            Some(uri) => Ok(self
                .client
                .request_to(Method::GET, uri.clone(), RequestBody::Empty)),
            None => self.client.request(Method::GET, NEXT, RequestBody::Empty),
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
        let mut request = self.client.request(
            Method::POST,
            &invocation_path(request_id, InvocationCall::Response),
            body,
        )?;
        if let Some(content_type) = streamed_content_type {
            let h = request.headers_mut();
            h.insert(http::header::CONTENT_TYPE, content_type);
            h.insert(
                headers::FUNCTION_RESPONSE_MODE,
                http::HeaderValue::from_static(STREAMING_RESPONSE_MODE),
            );
            h.insert(
                http::header::TRANSFER_ENCODING,
                http::HeaderValue::from_static("chunked"),
            );
            h.insert(
                http::header::TRAILER,
                http::HeaderValue::from_static(STREAMING_TRAILER),
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
        let path = invocation_path(request_id, InvocationCall::Error);
        self.post_error(&path, diagnostic, category).await
    }

    /// `POST init/error`.
    pub(crate) async fn report_init_error(
        &mut self,
        diagnostic: &Diagnostic,
        category: &str,
    ) -> Result<Response<Bytes>, ClientError> {
        self.post_error(INIT_ERROR, diagnostic, category).await
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
