//! The migrate user trigger.

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{CognitoUserPoolEvent, UserAttributes};

/// The migrate user trigger event: a user who is not in the pool signs in or resets their
/// password, and the function may create them from another directory (`userName` in the event
/// is the name they entered).
pub type MigrateUserEvent = CognitoUserPoolEvent<MigrateUserRequest, MigrateUserResponse>;

/// The `request` of a migrate user event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct MigrateUserRequest {
    /// The password the user entered (`UserMigration_Authentication` only).
    pub password: Option<String>,
    /// The `ValidationData` of the request.
    pub validation_data: Option<HashMap<String, String>>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
}

/// The `response` of a migrate user event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct MigrateUserResponse {
    /// The attributes to create the user with (`username` is not one of them).
    pub user_attributes: Option<UserAttributes>,
    /// `CONFIRMED` (the user can sign in) or `RESET_REQUIRED` (they must change their password).
    pub final_user_status: Option<String>,
    /// `SUPPRESS` to send no welcome message, or `RESEND` to resend it to an existing user.
    pub message_action: Option<String>,
    /// Where to send the welcome message: `EMAIL` and/or `SMS`.
    pub desired_delivery_mediums: Option<Vec<String>>,
    /// Whether to move an email or phone alias that another user already has to this user.
    pub force_alias_creation: Option<bool>,
    /// Whether to turn on SMS MFA for the user.
    #[serde(rename = "enableSMSMFA")]
    pub enable_sms_mfa: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::CognitoTriggerSource;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn migrate_user_fixture_round_trips() {
        let event: MigrateUserEvent = round_trip(&fixture("cognito/migrate_user.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::UserMigrationAuthentication
        );
        assert_eq!(event.user_name.as_deref(), Some("legacyuser"));
        assert_eq!(event.request.password.as_deref(), Some("Passw0rd!"));
        let response = &event.response;
        assert_eq!(
            response.user_attributes.as_ref().unwrap()["email"],
            "legacy@example.com"
        );
        assert_eq!(response.final_user_status.as_deref(), Some("CONFIRMED"));
        assert_eq!(response.message_action.as_deref(), Some("SUPPRESS"));
        assert_eq!(
            response.desired_delivery_mediums.as_ref().unwrap(),
            &["EMAIL"]
        );
        assert_eq!(response.force_alias_creation, Some(false));
        assert_eq!(response.enable_sms_mfa, Some(false));
    }
}
