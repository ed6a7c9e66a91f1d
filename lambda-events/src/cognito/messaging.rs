//! Messaging triggers: custom message, custom email sender and custom SMS sender.

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{CognitoUserPoolEvent, UserAttributes};
use crate::encodings::Base64Data;

/// The custom message trigger event.
pub type CustomMessageEvent = CognitoUserPoolEvent<CustomMessageRequest, CustomMessageResponse>;

/// The `request` of a custom message event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomMessageRequest {
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The placeholder (`{####}`) your message must contain where the code (or temporary
    /// password) goes.
    pub code_parameter: Option<String>,
    /// The placeholder for a verification link, for link-based email verification.
    pub link_parameter: Option<String>,
    /// The placeholder (`{username}`) for the user name, in messages to new users.
    pub username_parameter: Option<String>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
}

/// The `response` of a custom message event: the messages to send instead of the pool's.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomMessageResponse {
    /// The SMS text; it must contain the request's `codeParameter`.
    pub sms_message: Option<String>,
    /// The email body (HTML allowed); it must contain the request's `codeParameter`.
    pub email_message: Option<String>,
    /// The email subject.
    pub email_subject: Option<String>,
}

/// The custom email sender trigger event.
pub type CustomEmailSenderEvent =
    CognitoUserPoolEvent<CustomEmailSenderRequest, CustomEmailSenderResponse>;

/// The `request` of a custom email sender event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomEmailSenderRequest {
    /// The request type, `customEmailSenderRequestV1`.
    #[serde(rename = "type")]
    pub request_type: Option<String>,
    /// The code or temporary password, encrypted with the pool's KMS key by the AWS Encryption
    /// SDK (base64 on the wire, decoded here: pass the bytes to the SDK's `decrypt`). Absent for
    /// notifications without a code.
    pub code: Option<Base64Data>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
}

/// The `response` of a custom email sender event: Cognito expects no values.
#[event]
pub struct CustomEmailSenderResponse {}

/// The custom SMS sender trigger event.
pub type CustomSmsSenderEvent =
    CognitoUserPoolEvent<CustomSmsSenderRequest, CustomSmsSenderResponse>;

/// The `request` of a custom SMS sender event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomSmsSenderRequest {
    /// The request type, `customSMSSenderRequestV1`.
    #[serde(rename = "type")]
    pub request_type: Option<String>,
    /// The code or temporary password, encrypted with the pool's KMS key by the AWS Encryption
    /// SDK (base64 on the wire, decoded here: pass the bytes to the SDK's `decrypt`).
    pub code: Option<Base64Data>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
}

/// The `response` of a custom SMS sender event: Cognito expects no values.
#[event]
pub struct CustomSmsSenderResponse {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::CognitoTriggerSource;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn custom_message_fixture_with_nulls_round_trips() {
        let json = fixture("cognito/custom_message.json");
        let with_nulls: CustomMessageEvent = serde_json::from_str(&json).unwrap();
        let event: CustomMessageEvent = round_trip(&json);
        assert_eq!(with_nulls, event);
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::CustomMessageSignUp
        );
        assert_eq!(event.request.code_parameter.as_deref(), Some("{####}"));
        assert_eq!(
            event.request.username_parameter.as_deref(),
            Some("{username}")
        );
        assert_eq!(event.response, CustomMessageResponse::default());
    }

    #[test]
    fn custom_message_response_fixture_round_trips() {
        let event: CustomMessageEvent =
            round_trip(&fixture("cognito/custom_message_response.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::CustomMessageAdminCreateUser
        );
        let response = &event.response;
        assert_eq!(
            response.sms_message.as_deref(),
            Some(
                "Welcome to the service. Your user name is {username} Temporary password is {####}"
            )
        );
        assert_eq!(
            response.email_subject.as_deref(),
            Some("Welcome to the service")
        );
    }

    #[test]
    fn custom_email_sender_fixture_decodes_the_ciphertext() {
        let event: CustomEmailSenderEvent =
            round_trip(&fixture("cognito/custom_email_sender.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::CustomEmailSenderSignUp
        );
        let request = &event.request;
        assert_eq!(
            request.request_type.as_deref(),
            Some("customEmailSenderRequestV1")
        );
        let code = request.code.as_ref().unwrap();
        assert_eq!(&code[..3], &[1, 2, 3]);
        assert_eq!(&code[3..21], b"AWS-Encryption-SDK");
        assert_eq!(&code[code.len() - 2..], &[0x00, 0xff]);
        assert_eq!(request.user_attributes["email"], "jane@example.com");
    }

    #[test]
    fn custom_sms_sender_fixture_round_trips() {
        let event: CustomSmsSenderEvent = round_trip(&fixture("cognito/custom_sms_sender.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::CustomSmsSenderAuthentication
        );
        assert_eq!(
            event.request.request_type.as_deref(),
            Some("customSMSSenderRequestV1")
        );
        assert!(event.request.code.is_some());
        assert_eq!(
            event.request.user_attributes["phone_number"],
            "+12065550100"
        );
    }

    #[test]
    fn custom_sender_code_that_is_not_base64_is_an_error() {
        let json = fixture("cognito/custom_sms_sender.json").replace(
            "AQIDQVdTLUVuY3J5cHRpb24tU0RLLWNpcGhlcnRleHQtRVhBTVBMRQD/",
            "%%%",
        );
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, CustomSmsSenderEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "request.code");
    }
}
