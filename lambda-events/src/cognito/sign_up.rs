//! Sign-up triggers: pre sign-up and post confirmation.

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{CognitoUserPoolEvent, UserAttributes};

/// The pre sign-up trigger event.
pub type PreSignUpEvent = CognitoUserPoolEvent<PreSignUpRequest, PreSignUpResponse>;

/// The `request` of a pre sign-up event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpRequest {
    /// The attributes of the new user (for a federated user, those mapped from the provider).
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The `ValidationData` of the `SignUp` or `AdminCreateUser` request: temporary data for
    /// this trigger, not stored on the user.
    pub validation_data: Option<HashMap<String, String>>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
}

/// The `response` of a pre sign-up event.
///
/// Cognito ignores these for `PreSignUp_AdminCreateUser`.
#[event]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpResponse {
    /// Confirm the user without a confirmation code.
    pub auto_confirm_user: Option<bool>,
    /// Mark the user's phone number verified (it must be set).
    pub auto_verify_phone: Option<bool>,
    /// Mark the user's email address verified (it must be set).
    pub auto_verify_email: Option<bool>,
}

/// The post confirmation trigger event.
pub type PostConfirmationEvent =
    CognitoUserPoolEvent<PostConfirmationRequest, PostConfirmationResponse>;

/// The `request` of a post confirmation event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PostConfirmationRequest {
    /// The attributes of the confirmed user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
}

/// The `response` of a post confirmation event: Cognito expects no values.
#[event]
pub struct PostConfirmationResponse {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::CognitoTriggerSource;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn pre_sign_up_fixture_round_trips() {
        let event: PreSignUpEvent = round_trip(&fixture("cognito/pre_signup.json"));
        assert_eq!(event.version, "1");
        assert_eq!(event.trigger_source, CognitoTriggerSource::PreSignUpSignUp);
        assert_eq!(event.region, "us-east-1");
        assert_eq!(event.user_pool_id, "us-east-1_EXAMPLE");
        assert_eq!(event.user_name.as_deref(), Some("testuser"));
        assert_eq!(
            event.caller_context.client_id.as_deref(),
            Some("1example23456789")
        );
        assert_eq!(
            event.request.user_attributes["custom:domain"],
            "example.com"
        );
        assert_eq!(
            event.request.validation_data.as_ref().unwrap()["referral"],
            "friend"
        );
        assert_eq!(event.response.auto_confirm_user, Some(false));
    }

    #[test]
    fn pre_sign_up_response_serializes_only_what_was_set() {
        let response = PreSignUpResponse {
            auto_confirm_user: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"autoConfirmUser":true}"#
        );
    }

    #[test]
    fn post_confirmation_fixture_round_trips() {
        let event: PostConfirmationEvent = round_trip(&fixture("cognito/post_confirmation.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::PostConfirmationConfirmSignUp
        );
        assert_eq!(
            event.request.user_attributes["cognito:user_status"],
            "CONFIRMED"
        );
        assert_eq!(event.request.client_metadata.unwrap()["source"], "web");
    }

    #[test]
    fn boolean_user_attributes_are_read_and_written_back_as_booleans() {
        let event: PreSignUpEvent =
            round_trip(&fixture("cognito/pre_signup_boolean_attributes.json"));
        let attributes = &event.request.user_attributes;
        assert_eq!(attributes["phone_number_verified"].as_bool(), Some(true));
        assert_eq!(attributes["email_verified"], "false");
        assert!(!attributes["email_verified"].is_string());
        assert!(attributes["email"].is_string());
    }
}
