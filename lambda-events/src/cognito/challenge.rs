//! Custom authentication challenge triggers: define, create and verify auth challenge.

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{CognitoUserPoolEvent, UserAttributes};

/// One challenge of the sign-in session so far.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeResult {
    /// The challenge: `CUSTOM_CHALLENGE`, `PASSWORD_VERIFIER`, `SMS_MFA`, `EMAIL_OTP`,
    /// `SOFTWARE_TOKEN_MFA`, `DEVICE_SRP_AUTH`, `DEVICE_PASSWORD_VERIFIER`, `ADMIN_NO_SRP_AUTH`
    /// or `SRP_A`.
    pub challenge_name: String,
    /// Whether the user answered it correctly.
    pub challenge_result: bool,
    /// The `challengeMetadata` the create auth challenge trigger set, for custom challenges.
    pub challenge_metadata: Option<String>,
}

/// The define auth challenge trigger event.
pub type DefineAuthChallengeEvent =
    CognitoUserPoolEvent<DefineAuthChallengeRequest, DefineAuthChallengeResponse>;

/// The `request` of a define auth challenge event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeRequest {
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The challenges so far, in order.
    #[serde(default)]
    pub session: Vec<ChallengeResult>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
    /// `true` when the user does not exist and the pool hides that.
    pub user_not_found: Option<bool>,
}

/// The `response` of a define auth challenge event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeResponse {
    /// The next challenge to present, such as `CUSTOM_CHALLENGE`.
    pub challenge_name: Option<String>,
    /// `true` to end the sign-in successfully and issue tokens.
    pub issue_tokens: Option<bool>,
    /// `true` to end the sign-in with a failure.
    pub fail_authentication: Option<bool>,
}

/// The create auth challenge trigger event.
pub type CreateAuthChallengeEvent =
    CognitoUserPoolEvent<CreateAuthChallengeRequest, CreateAuthChallengeResponse>;

/// The `request` of a create auth challenge event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeRequest {
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The challenge to create (`CUSTOM_CHALLENGE`).
    pub challenge_name: String,
    /// The challenges so far, in order.
    #[serde(default)]
    pub session: Vec<ChallengeResult>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
    /// `true` when the user does not exist and the pool hides that.
    pub user_not_found: Option<bool>,
}

/// The `response` of a create auth challenge event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeResponse {
    /// Parameters sent to the client (the question, for instance).
    pub public_challenge_parameters: Option<HashMap<String, String>>,
    /// Parameters for the verify auth challenge trigger only (the expected answer).
    pub private_challenge_parameters: Option<HashMap<String, String>>,
    /// A name for the challenge, passed to later triggers in the session.
    pub challenge_metadata: Option<String>,
}

/// The verify auth challenge response trigger event.
pub type VerifyAuthChallengeResponseEvent =
    CognitoUserPoolEvent<VerifyAuthChallengeResponseRequest, VerifyAuthChallengeResponseResponse>;

/// The `request` of a verify auth challenge response event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeResponseRequest {
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The private parameters the create auth challenge trigger set.
    #[serde(default)]
    pub private_challenge_parameters: HashMap<String, String>,
    /// The user's answer.
    pub challenge_answer: String,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
    /// `true` when the user does not exist and the pool hides that.
    pub user_not_found: Option<bool>,
}

/// The `response` of a verify auth challenge response event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeResponseResponse {
    /// Whether the answer is correct.
    pub answer_correct: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::CognitoTriggerSource;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn define_auth_challenge_fixture_round_trips() {
        let event: DefineAuthChallengeEvent =
            round_trip(&fixture("cognito/define_auth_challenge.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::DefineAuthChallengeAuthentication
        );
        let session = &event.request.session;
        assert_eq!(session.len(), 2);
        assert_eq!(session[0].challenge_name, "SRP_A");
        assert!(session[0].challenge_result);
        assert_eq!(
            session[1].challenge_metadata.as_deref(),
            Some("CAPTCHA_CHALLENGE")
        );
        assert!(!session[1].challenge_result);
        assert_eq!(
            event.response.challenge_name.as_deref(),
            Some("CUSTOM_CHALLENGE")
        );
        assert_eq!(event.response.issue_tokens, Some(false));
        assert_eq!(event.response.fail_authentication, Some(false));
    }

    #[test]
    fn create_auth_challenge_fixture_round_trips() {
        let event: CreateAuthChallengeEvent =
            round_trip(&fixture("cognito/create_auth_challenge.json"));
        assert_eq!(event.request.challenge_name, "CUSTOM_CHALLENGE");
        assert_eq!(event.request.user_not_found, Some(false));
        let response = &event.response;
        assert_eq!(
            response.public_challenge_parameters.as_ref().unwrap()["captchaUrl"],
            "url/123.jpg"
        );
        assert_eq!(
            response.private_challenge_parameters.as_ref().unwrap()["answer"],
            "5"
        );
        assert_eq!(
            response.challenge_metadata.as_deref(),
            Some("CAPTCHA_CHALLENGE")
        );
    }

    #[test]
    fn verify_auth_challenge_response_fixture_round_trips() {
        let event: VerifyAuthChallengeResponseEvent =
            round_trip(&fixture("cognito/verify_auth_challenge_response.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::VerifyAuthChallengeResponseAuthentication
        );
        assert_eq!(event.request.challenge_answer, "5");
        assert_eq!(event.request.private_challenge_parameters["answer"], "5");
        assert_eq!(event.response.answer_correct, Some(true));
    }
}
