//! Amazon Cognito user pool triggers and Cognito Sync events.
//!
//! Every user pool trigger receives the same envelope, [`CognitoUserPoolEvent`], with a
//! trigger-specific `request` and `response`; the function returns the event with its
//! `response` filled in. Each trigger has a type alias naming the envelope with its request and
//! response types:
//!
//! | Trigger | Event type | `triggerSource` values |
//! | --- | --- | --- |
//! | Pre sign-up | [`PreSignUpEvent`] | `PreSignUp_SignUp`, `PreSignUp_AdminCreateUser`, `PreSignUp_ExternalProvider` |
//! | Post confirmation | [`PostConfirmationEvent`] | `PostConfirmation_ConfirmSignUp`, `PostConfirmation_ConfirmForgotPassword` |
//! | Pre authentication | [`PreAuthenticationEvent`] | `PreAuthentication_Authentication` |
//! | Post authentication | [`PostAuthenticationEvent`] | `PostAuthentication_Authentication` |
//! | Inbound federation | [`InboundFederationEvent`] | `InboundFederation_ExternalProvider` |
//! | Pre token generation (`V1_0`) | [`PreTokenGenerationEvent`] | `TokenGeneration_*` |
//! | Pre token generation (`V2_0`, `V3_0`) | [`PreTokenGenerationV2Event`] | `TokenGeneration_*` |
//! | Define auth challenge | [`DefineAuthChallengeEvent`] | `DefineAuthChallenge_Authentication` |
//! | Create auth challenge | [`CreateAuthChallengeEvent`] | `CreateAuthChallenge_Authentication` |
//! | Verify auth challenge response | [`VerifyAuthChallengeResponseEvent`] | `VerifyAuthChallengeResponse_Authentication` |
//! | Migrate user | [`MigrateUserEvent`] | `UserMigration_Authentication`, `UserMigration_ForgotPassword` |
//! | Custom message | [`CustomMessageEvent`] | `CustomMessage_*` |
//! | Custom email sender | [`CustomEmailSenderEvent`] | `CustomEmailSender_*` |
//! | Custom SMS sender | [`CustomSmsSenderEvent`] | `CustomSMSSender_*` |
//!
//! Cognito Sync (the older identity pool dataset service) sends a [`CognitoSyncEvent`].
//!
//! ```
//! use lambda_events::cognito::{CognitoTriggerSource, PreSignUpEvent};
//!
//! // Auto-confirm users who sign up with an email address of example.com.
//! fn pre_sign_up(mut event: PreSignUpEvent) -> PreSignUpEvent {
//!     let email = event.request.user_attributes.get("email").map(|v| v.as_str());
//!     if event.trigger_source == CognitoTriggerSource::PreSignUpSignUp
//!         && email.is_some_and(|e| e.ends_with("@example.com"))
//!     {
//!         event.response.auto_confirm_user = Some(true);
//!         event.response.auto_verify_email = Some(true);
//!     }
//!     event
//! }
//! # let event: PreSignUpEvent = serde_json::from_str(r#"{"version":"1",
//! #   "triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"p","userName":"u",
//! #   "callerContext":{"awsSdkVersion":"v","clientId":"c"},
//! #   "request":{"userAttributes":{"email":"jane@example.com"}},"response":{}}"#).unwrap();
//! # assert_eq!(pre_sign_up(event).response.auto_confirm_user, Some(true));
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

use crate::encodings::LooseString;

mod authentication;
mod challenge;
mod messaging;
mod migrate_user;
mod sign_up;
mod sync;
mod token;

pub use authentication::*;
pub use challenge::*;
pub use messaging::*;
pub use migrate_user::*;
pub use sign_up::*;
pub use sync::*;
pub use token::*;

/// A user pool trigger event: the fields common to every trigger, and the trigger's `request`
/// and `response`.
///
/// Use the per-trigger aliases ([`PreSignUpEvent`], [`CustomMessageEvent`], ...) rather than
/// naming the parameters; `CognitoUserPoolEvent<serde_json::Value, serde_json::Value>` accepts
/// any trigger.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct CognitoUserPoolEvent<Req, Resp> {
    /// The version of the trigger event format, such as `1` (or `2` and `3` for pre token
    /// generation events of those versions).
    pub version: String,
    /// What invoked the trigger.
    pub trigger_source: CognitoTriggerSource,
    /// The Region of the user pool.
    pub region: String,
    /// The ID of the user pool.
    pub user_pool_id: String,
    /// The user name of the user (absent for machine-to-machine token generation).
    pub user_name: Option<String>,
    /// Who called the user pool.
    pub caller_context: CallerContext,
    /// The trigger-specific request.
    pub request: Req,
    /// The trigger-specific response, to fill in and return.
    #[serde(default)]
    pub response: Resp,
}

/// The `callerContext` of a user pool trigger event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CallerContext {
    /// The AWS SDK version of the caller.
    pub aws_sdk_version: Option<String>,
    /// The ID of the app client (`CLIENT_ID_NOT_APPLICABLE` when there is none).
    pub client_id: Option<String>,
}

/// The `userAttributes` of a user: attribute name to value.
///
/// Values are strings on the wire, except that Cognito sends some flags as JSON booleans
/// (`"phone_number_verified": true`); a [`LooseString`] reads both and writes back the form
/// it came in.
pub type UserAttributes = HashMap<String, LooseString>;

/// What invoked a user pool trigger: the `triggerSource` of the event.
///
/// Sources this version does not know are kept in [`CognitoTriggerSource::Other`].
#[event]
#[derive(Eq, Hash)]
pub enum CognitoTriggerSource {
    /// Pre sign-up: self-service sign-up.
    #[serde(rename = "PreSignUp_SignUp")]
    PreSignUpSignUp,
    /// Pre sign-up: an administrator creates the user.
    #[serde(rename = "PreSignUp_AdminCreateUser")]
    PreSignUpAdminCreateUser,
    /// Pre sign-up: first sign-in through an external identity provider.
    #[serde(rename = "PreSignUp_ExternalProvider")]
    PreSignUpExternalProvider,
    /// Post confirmation: the user confirmed their sign-up.
    #[serde(rename = "PostConfirmation_ConfirmSignUp")]
    PostConfirmationConfirmSignUp,
    /// Post confirmation: the user confirmed a forgotten-password reset.
    #[serde(rename = "PostConfirmation_ConfirmForgotPassword")]
    PostConfirmationConfirmForgotPassword,
    /// Pre authentication.
    #[serde(rename = "PreAuthentication_Authentication")]
    PreAuthenticationAuthentication,
    /// Post authentication.
    #[serde(rename = "PostAuthentication_Authentication")]
    PostAuthenticationAuthentication,
    /// Inbound federation: sign-in through an external identity provider.
    #[serde(rename = "InboundFederation_ExternalProvider")]
    InboundFederationExternalProvider,
    /// Define auth challenge.
    #[serde(rename = "DefineAuthChallenge_Authentication")]
    DefineAuthChallengeAuthentication,
    /// Create auth challenge.
    #[serde(rename = "CreateAuthChallenge_Authentication")]
    CreateAuthChallengeAuthentication,
    /// Verify auth challenge response.
    #[serde(rename = "VerifyAuthChallengeResponse_Authentication")]
    VerifyAuthChallengeResponseAuthentication,
    /// Pre token generation: sign-in through managed login (the hosted UI).
    #[serde(rename = "TokenGeneration_HostedAuth")]
    TokenGenerationHostedAuth,
    /// Pre token generation: after an authentication flow.
    #[serde(rename = "TokenGeneration_Authentication")]
    TokenGenerationAuthentication,
    /// Pre token generation: after a user created by an administrator sets a password.
    #[serde(rename = "TokenGeneration_NewPasswordChallenge")]
    TokenGenerationNewPasswordChallenge,
    /// Pre token generation: after device authentication.
    #[serde(rename = "TokenGeneration_AuthenticateDevice")]
    TokenGenerationAuthenticateDevice,
    /// Pre token generation: on a token refresh.
    #[serde(rename = "TokenGeneration_RefreshTokens")]
    TokenGenerationRefreshTokens,
    /// Pre token generation (`V3_0`): a machine-to-machine client credentials grant.
    #[serde(rename = "TokenGeneration_ClientCredentials")]
    TokenGenerationClientCredentials,
    /// Migrate user: at sign-in.
    #[serde(rename = "UserMigration_Authentication")]
    UserMigrationAuthentication,
    /// Migrate user: in the forgotten-password flow.
    #[serde(rename = "UserMigration_ForgotPassword")]
    UserMigrationForgotPassword,
    /// Custom message: the sign-up confirmation code.
    #[serde(rename = "CustomMessage_SignUp")]
    CustomMessageSignUp,
    /// Custom message: the temporary password of a user created by an administrator.
    #[serde(rename = "CustomMessage_AdminCreateUser")]
    CustomMessageAdminCreateUser,
    /// Custom message: a resent confirmation code.
    #[serde(rename = "CustomMessage_ResendCode")]
    CustomMessageResendCode,
    /// Custom message: the forgotten-password code.
    #[serde(rename = "CustomMessage_ForgotPassword")]
    CustomMessageForgotPassword,
    /// Custom message: the code for a changed email address or phone number.
    #[serde(rename = "CustomMessage_UpdateUserAttribute")]
    CustomMessageUpdateUserAttribute,
    /// Custom message: the code the user requested to verify an attribute.
    #[serde(rename = "CustomMessage_VerifyUserAttribute")]
    CustomMessageVerifyUserAttribute,
    /// Custom message: the MFA code at sign-in.
    #[serde(rename = "CustomMessage_Authentication")]
    CustomMessageAuthentication,
    /// Custom email sender: the sign-up confirmation code.
    #[serde(rename = "CustomEmailSender_SignUp")]
    CustomEmailSenderSignUp,
    /// Custom email sender: a resent code.
    #[serde(rename = "CustomEmailSender_ResendCode")]
    CustomEmailSenderResendCode,
    /// Custom email sender: the forgotten-password code.
    #[serde(rename = "CustomEmailSender_ForgotPassword")]
    CustomEmailSenderForgotPassword,
    /// Custom email sender: the code for a changed email address.
    #[serde(rename = "CustomEmailSender_UpdateUserAttribute")]
    CustomEmailSenderUpdateUserAttribute,
    /// Custom email sender: the code the user requested to verify an attribute.
    #[serde(rename = "CustomEmailSender_VerifyUserAttribute")]
    CustomEmailSenderVerifyUserAttribute,
    /// Custom email sender: the temporary password of a user created by an administrator.
    #[serde(rename = "CustomEmailSender_AdminCreateUser")]
    CustomEmailSenderAdminCreateUser,
    /// Custom email sender: an account takeover notification.
    #[serde(rename = "CustomEmailSender_AccountTakeOverNotification")]
    CustomEmailSenderAccountTakeOverNotification,
    /// Custom email sender: an email one-time password at sign-in.
    #[serde(rename = "CustomEmailSender_Authentication")]
    CustomEmailSenderAuthentication,
    /// Custom SMS sender: the sign-up confirmation code.
    #[serde(rename = "CustomSMSSender_SignUp")]
    CustomSmsSenderSignUp,
    /// Custom SMS sender: a resent code.
    #[serde(rename = "CustomSMSSender_ResendCode")]
    CustomSmsSenderResendCode,
    /// Custom SMS sender: the forgotten-password code.
    #[serde(rename = "CustomSMSSender_ForgotPassword")]
    CustomSmsSenderForgotPassword,
    /// Custom SMS sender: the code for a changed phone number.
    #[serde(rename = "CustomSMSSender_UpdateUserAttribute")]
    CustomSmsSenderUpdateUserAttribute,
    /// Custom SMS sender: the code the user requested to verify an attribute.
    #[serde(rename = "CustomSMSSender_VerifyUserAttribute")]
    CustomSmsSenderVerifyUserAttribute,
    /// Custom SMS sender: the MFA code at sign-in.
    #[serde(rename = "CustomSMSSender_Authentication")]
    CustomSmsSenderAuthentication,
    /// Custom SMS sender: the temporary password of a user created by an administrator.
    #[serde(rename = "CustomSMSSender_AdminCreateUser")]
    CustomSmsSenderAdminCreateUser,
    /// A source this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn any_trigger_parses_as_untyped_request_and_response() {
        let event: CognitoUserPoolEvent<serde_json::Value, serde_json::Value> =
            round_trip(&fixture("cognito/custom_message.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::CustomMessageSignUp
        );
        assert_eq!(event.request["codeParameter"], "{####}");
    }

    #[test]
    fn trigger_sources_use_the_wire_names() {
        for (source, wire) in [
            (
                CognitoTriggerSource::PreSignUpExternalProvider,
                "PreSignUp_ExternalProvider",
            ),
            (
                CognitoTriggerSource::TokenGenerationRefreshTokens,
                "TokenGeneration_RefreshTokens",
            ),
            (
                CognitoTriggerSource::CustomSmsSenderAuthentication,
                "CustomSMSSender_Authentication",
            ),
            (
                CognitoTriggerSource::VerifyAuthChallengeResponseAuthentication,
                "VerifyAuthChallengeResponse_Authentication",
            ),
        ] {
            let json = serde_json::to_string(&source).unwrap();
            assert_eq!(json, format!("\"{wire}\""));
            assert_eq!(
                serde_json::from_str::<CognitoTriggerSource>(&json).unwrap(),
                source
            );
        }
    }

    #[test]
    fn unknown_trigger_source_is_kept() {
        let source: CognitoTriggerSource = serde_json::from_str(r#""PreSignUp_Passkey""#).unwrap();
        assert_eq!(
            source,
            CognitoTriggerSource::Other("PreSignUp_Passkey".into())
        );
        assert_eq!(
            serde_json::to_string(&source).unwrap(),
            r#""PreSignUp_Passkey""#
        );
    }

    #[test]
    fn missing_response_defaults_to_empty() {
        let json = r#"{"version":"1","triggerSource":"PostAuthentication_Authentication",
            "region":"us-east-1","userPoolId":"us-east-1_EXAMPLE","userName":"jane",
            "callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"c"},
            "request":{"userAttributes":{"sub":"s"}}}"#;
        let event: PostAuthenticationEvent = serde_json::from_str(json).unwrap();
        assert_eq!(event.response, PostAuthenticationResponse::default());
    }
}
