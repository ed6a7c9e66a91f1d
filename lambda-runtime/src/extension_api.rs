//! The Extensions API client shared by `lambda-extension` and the runtime's own
//! graceful-shutdown extension: requests built from [`protocol`](crate::protocol), the
//! identifier kept after registration.
//!
//! Not part of `lambda-runtime`'s public API and not covered by semver (see
//! [`client`](crate::client)). Answers are returned as they came: each caller decides what a
//! status means for it.

use bytes::Bytes;
use http::{HeaderValue, Response};

use crate::client::{Client, ClientError, RequestBody};
use crate::protocol::extension::{headers, Call};

/// An extension's connection to the Extensions API (and the Logs and Telemetry APIs).
#[derive(Debug)]
pub struct ExtensionClient {
    client: Client,
    identifier: Option<HeaderValue>,
}

impl ExtensionClient {
    /// A client for an extension not registered yet.
    pub fn new(client: Client) -> Self {
        ExtensionClient {
            client,
            identifier: None,
        }
    }

    /// The `Lambda-Extension-Identifier` Lambda gave at registration.
    pub fn identifier(&self) -> Option<&HeaderValue> {
        self.identifier.as_ref()
    }

    /// `POST /extension/register` as `name` with `body` (`{"events":[..]}`), asking for the
    /// account id if `account_id`. A non-empty `Lambda-Extension-Identifier` in the answer is
    /// kept and sent with every later call.
    pub async fn register(
        &mut self,
        name: HeaderValue,
        body: Bytes,
        account_id: bool,
    ) -> Result<Response<Bytes>, ClientError> {
        let call = Call::Register;
        let mut request =
            self.client
                .request(call.method(), call.path(), RequestBody::Full(body))?;
        let h = request.headers_mut();
        h.insert(headers::NAME, name);
        if account_id {
            h.insert(
                headers::ACCEPT_FEATURE,
                HeaderValue::from_static("accountId"),
            );
        }
        let response = self.client.send(request).await?;
        if response.status().is_success() {
            self.identifier = response
                .headers()
                .get(headers::IDENTIFIER)
                .filter(|id| !id.is_empty())
                .cloned();
        }
        Ok(response)
    }

    /// Makes `call` with `body` (and `Lambda-Extension-Function-Error-Type: error_type`, for the
    /// error reports), with the extension's identifier.
    pub async fn send(
        &mut self,
        call: Call,
        body: RequestBody,
        error_type: Option<HeaderValue>,
    ) -> Result<Response<Bytes>, ClientError> {
        let mut request = self.client.request(call.method(), call.path(), body)?;
        let h = request.headers_mut();
        if let Some(id) = &self.identifier {
            h.insert(headers::IDENTIFIER, id.clone());
        }
        if let Some(error_type) = error_type {
            h.insert(headers::FUNCTION_ERROR_TYPE, error_type);
        }
        self.client.send(request).await
    }
}
