//! The Extensions, Logs and Telemetry API calls an extension makes, and what their answers mean
//! to it. Paths and header names: `lambda_runtime::protocol`; the client:
//! `lambda_runtime::extension_api`, shared with the runtime's graceful-shutdown extension.

use bytes::Bytes;
use http::header::HeaderValue;
use http::Response;
use lambda_runtime::client::{Client, RequestBody};
use lambda_runtime::extension_api::ExtensionClient;
use lambda_runtime::protocol::extension::Call;
use lambda_runtime::Diagnostic;

use crate::error::ExtensionError;
use crate::event::EventType;

/// What Lambda answered to the registration.
///
/// ```
/// # fn demo(registration: &lambda_extension::Registration) {
/// println!("extension {} for {} ({})", registration.extension_id, registration.function_name,
///     registration.function_version);
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Registration {
    /// `Lambda-Extension-Identifier`: sent with every later call.
    pub extension_id: String,
    /// The function's name.
    pub function_name: String,
    /// The function's version, such as `$LATEST`.
    pub function_version: String,
    /// The function's handler setting.
    pub handler: String,
    /// The AWS account id (asked for with `Lambda-Extension-Accept-Feature: accountId`).
    pub account_id: Option<String>,
}

/// The Extensions API over one keep-alive connection, registered.
#[derive(Debug)]
pub(crate) struct ExtensionApi {
    client: ExtensionClient,
}

/// The `{errorType, errorMessage}` Lambda sends with a 4xx.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorResponse {
    #[serde(default)]
    error_type: String,
    #[serde(default)]
    error_message: String,
}

fn error_response(body: &Bytes) -> (String, String) {
    match serde_json::from_slice::<ErrorResponse>(body) {
        Ok(e) => (e.error_type, e.error_message),
        Err(_) => (String::new(), String::from_utf8_lossy(body).into_owned()),
    }
}

impl ExtensionApi {
    /// Registers `name` for `events`.
    pub(crate) async fn register(
        client: Client,
        name: &str,
        events: &[EventType],
    ) -> Result<(ExtensionApi, Registration), ExtensionError> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            events: &'a [EventType],
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            function_name: String,
            #[serde(default)]
            function_version: String,
            #[serde(default)]
            handler: String,
            #[serde(default)]
            account_id: Option<String>,
        }
        let registration_error =
            |status: u16, error_type: String, message: String| ExtensionError::Registration {
                name: name.to_owned(),
                status,
                error_type,
                message,
            };
        let name_header = HeaderValue::from_str(name).map_err(|_| ExtensionError::InvalidName {
            name: name.to_owned(),
        })?;
        let body = serde_json::to_vec(&Body { events }).unwrap_or_default();
        let mut client = ExtensionClient::new(client);
        let response = client
            .register(name_header, Bytes::from(body), true)
            .await?;
        if response.status() != http::StatusCode::OK {
            let (error_type, message) = error_response(response.body());
            return Err(registration_error(
                response.status().as_u16(),
                error_type,
                message,
            ));
        }
        let id = client.identifier().ok_or_else(|| {
            registration_error(
                200,
                "MissingIdentifier".into(),
                "the response has no Lambda-Extension-Identifier header".into(),
            )
        })?;
        let extension_id = id
            .to_str()
            .map_err(|_| {
                registration_error(
                    200,
                    "InvalidIdentifier".into(),
                    "Lambda-Extension-Identifier is not visible ASCII".into(),
                )
            })?
            .to_owned();
        let answer: Answer = serde_json::from_slice(response.body()).map_err(|e| {
            registration_error(
                200,
                "InvalidResponse".into(),
                format!("the body is not the documented JSON: {e}"),
            )
        })?;
        let registration = Registration {
            extension_id,
            function_name: answer.function_name,
            function_version: answer.function_version,
            handler: answer.handler,
            account_id: answer.account_id.filter(|a| !a.is_empty()),
        };
        Ok((ExtensionApi { client }, registration))
    }

    /// `GET next`: blocks until Lambda has an event. The body is returned unparsed.
    pub(crate) async fn next(&mut self) -> Result<Bytes, ExtensionError> {
        let response = self
            .client
            .send(Call::Next, RequestBody::Empty, None)
            .await?;
        expect_status(response, http::StatusCode::OK, Call::Next).map(Response::into_body)
    }

    /// Subscribes to the Logs API (`api` `"Logs"`, [`Call::SubscribeLogs`]) or the Telemetry
    /// API.
    pub(crate) async fn subscribe(
        &mut self,
        api: &'static str,
        call: Call,
        body: Vec<u8>,
    ) -> Result<(), ExtensionError> {
        let response = self
            .client
            .send(call, RequestBody::Full(body.into()), None)
            .await?;
        let status = response.status();
        // 200 in Lambda; 202 "accepted" from some local test environments.
        if status == http::StatusCode::OK || status == http::StatusCode::ACCEPTED {
            return Ok(());
        }
        let (error_type, message) = error_response(response.body());
        Err(ExtensionError::Subscription {
            api,
            status: status.as_u16(),
            error_type,
            message,
        })
    }

    /// Reports `diagnostic` with [`Call::InitError`] or [`Call::ExitError`].
    pub(crate) async fn report_error(
        &mut self,
        call: Call,
        diagnostic: &Diagnostic,
    ) -> Result<(), ExtensionError> {
        let category = diagnostic.category("Extension", "UnknownReason");
        let body = RequestBody::Full(error_body(diagnostic).into());
        let response = self
            .client
            .send(call, body, HeaderValue::from_str(&category).ok())
            .await?;
        expect_status(response, http::StatusCode::ACCEPTED, call).map(drop)
    }
}

fn expect_status(
    response: Response<Bytes>,
    expected: http::StatusCode,
    call: Call,
) -> Result<Response<Bytes>, ExtensionError> {
    if response.status() == expected {
        Ok(response)
    } else {
        Err(ExtensionError::Api {
            call: call.describe(),
            status: response.status().as_u16(),
            body: String::from_utf8_lossy(response.body()).into_owned(),
        })
    }
}

/// `{"errorType","errorMessage","stackTrace"}`, with `stackTrace` always present.
pub(crate) fn error_body(diagnostic: &Diagnostic) -> Vec<u8> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        error_type: &'a str,
        error_message: &'a str,
        stack_trace: &'a [String],
    }
    serde_json::to_vec(&Body {
        error_type: diagnostic.error_type(),
        error_message: diagnostic.error_message(),
        stack_trace: diagnostic.stack_trace(),
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_category_is_extension_dot_reason() {
        let category =
            |t: &str| Diagnostic::new(t.to_owned(), "").category("Extension", "UnknownReason");
        assert_eq!(category("ConfigInvalid"), "Extension.ConfigInvalid");
        assert_eq!(category("Error"), "Extension.Error");
        assert_eq!(category("not a word"), "Extension.UnknownReason");
        assert_eq!(category(""), "Extension.UnknownReason");
    }

    #[test]
    fn error_body_always_has_a_stack_trace() {
        let d = Diagnostic::new("ConfigInvalid", "no API key");
        assert_eq!(
            String::from_utf8(error_body(&d)).unwrap(),
            r#"{"errorType":"ConfigInvalid","errorMessage":"no API key","stackTrace":[]}"#
        );
    }
}
