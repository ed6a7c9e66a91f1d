//! Pre token generation triggers: version 1 (ID token) and versions 2 and 3 (ID and access
//! tokens).
//!
//! The user pool's `LambdaVersion` for the trigger decides which event the function receives:
//! `V1_0` sends a [`PreTokenGenerationEvent`]; `V2_0` and `V3_0` (which adds machine-to-machine
//! `TokenGeneration_ClientCredentials` events) send a [`PreTokenGenerationV2Event`].

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{CognitoUserPoolEvent, UserAttributes};

/// The groups and IAM roles of the user, or the overrides to apply to them.
#[event]
#[serde(rename_all = "camelCase")]
pub struct GroupConfiguration {
    /// The groups (the `cognito:groups` claim).
    #[serde(default)]
    pub groups_to_override: Vec<String>,
    /// The IAM roles of those groups (the `cognito:roles` claim).
    #[serde(default)]
    pub iam_roles_to_override: Vec<String>,
    /// The preferred IAM role (the `cognito:preferred_role` claim); Cognito sends `null` when
    /// there is none, and `None` is written back as `null`.
    #[event(null)]
    pub preferred_role: Option<String>,
}

/// The pre token generation (`V1_0`) trigger event.
pub type PreTokenGenerationEvent =
    CognitoUserPoolEvent<PreTokenGenerationRequest, PreTokenGenerationResponse>;

/// The `request` of a pre token generation (`V1_0`) event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationRequest {
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The user's current groups and roles.
    pub group_configuration: Option<GroupConfiguration>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
}

/// The `response` of a pre token generation (`V1_0`) event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationResponse {
    /// Changes to the ID token.
    pub claims_override_details: Option<ClaimsOverrideDetails>,
}

/// Changes to the ID token (`V1_0`).
#[event]
#[serde(rename_all = "camelCase")]
pub struct ClaimsOverrideDetails {
    /// Claims to add or replace (string values).
    pub claims_to_add_or_override: Option<HashMap<String, String>>,
    /// Claims to remove.
    pub claims_to_suppress: Option<Vec<String>>,
    /// Replacement groups and roles.
    pub group_override_details: Option<GroupConfiguration>,
}

/// The pre token generation (`V2_0`, `V3_0`) trigger event.
pub type PreTokenGenerationV2Event =
    CognitoUserPoolEvent<PreTokenGenerationV2Request, PreTokenGenerationV2Response>;

/// The `request` of a pre token generation (`V2_0`, `V3_0`) event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationV2Request {
    /// The attributes of the user (empty for machine-to-machine grants).
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The user's current groups and roles.
    pub group_configuration: Option<GroupConfiguration>,
    /// The scopes requested for the access token.
    pub scopes: Option<Vec<String>>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
}

/// The `response` of a pre token generation (`V2_0`, `V3_0`) event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationV2Response {
    /// Changes to the ID and access tokens.
    pub claims_and_scope_override_details: Option<ClaimsAndScopeOverrideDetails>,
}

/// Changes to the ID and access tokens (`V2_0`, `V3_0`).
#[event]
#[serde(rename_all = "camelCase")]
pub struct ClaimsAndScopeOverrideDetails {
    /// Changes to the ID token.
    pub id_token_generation: Option<IdTokenGeneration>,
    /// Changes to the access token.
    pub access_token_generation: Option<AccessTokenGeneration>,
    /// Replacement groups and roles.
    pub group_override_details: Option<GroupConfiguration>,
}

/// Changes to the ID token (`V2_0`, `V3_0`).
#[event]
#[serde(rename_all = "camelCase")]
pub struct IdTokenGeneration {
    /// Claims to add or replace; values may be strings, numbers, booleans, arrays or objects.
    pub claims_to_add_or_override: Option<HashMap<String, serde_json::Value>>,
    /// Claims to remove.
    pub claims_to_suppress: Option<Vec<String>>,
}

/// Changes to the access token (`V2_0`, `V3_0`).
#[event]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenGeneration {
    /// Claims to add or replace; values may be strings, numbers, booleans, arrays or objects.
    pub claims_to_add_or_override: Option<HashMap<String, serde_json::Value>>,
    /// Claims to remove.
    pub claims_to_suppress: Option<Vec<String>>,
    /// Scopes to add to the `scope` claim.
    pub scopes_to_add: Option<Vec<String>>,
    /// Scopes to remove from the `scope` claim.
    pub scopes_to_suppress: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::CognitoTriggerSource;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn v1_fixture_with_nulls_round_trips() {
        let json = fixture("cognito/pre_token_generation.json");
        let with_nulls: PreTokenGenerationEvent = serde_json::from_str(&json).unwrap();
        let event: PreTokenGenerationEvent = round_trip(&json);
        assert_eq!(with_nulls, event);
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::TokenGenerationHostedAuth
        );
        let groups = event.request.group_configuration.as_ref().unwrap();
        assert_eq!(groups.groups_to_override, ["group-A", "group-B"]);
        assert_eq!(groups.preferred_role, None);
        assert_eq!(event.response.claims_override_details, None);
    }

    #[test]
    fn v1_response_fixture_round_trips() {
        let event: PreTokenGenerationEvent =
            round_trip(&fixture("cognito/pre_token_generation_response.json"));
        let details = event.response.claims_override_details.unwrap();
        assert_eq!(
            details.claims_to_add_or_override.unwrap()["my-claim"],
            "my-value"
        );
        assert_eq!(details.claims_to_suppress.unwrap(), ["email"]);
        let overrides = details.group_override_details.unwrap();
        assert_eq!(
            overrides.preferred_role.as_deref(),
            Some("arn:aws:iam::123456789012:role/sns_caller")
        );
    }

    #[test]
    fn v2_fixture_round_trips() {
        let event: PreTokenGenerationV2Event =
            round_trip(&fixture("cognito/pre_token_generation_v2.json"));
        assert_eq!(event.version, "2");
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::TokenGenerationAuthentication
        );
        assert_eq!(event.request.scopes.as_ref().unwrap(), &["openid", "email"]);
        let details = event.response.claims_and_scope_override_details.unwrap();
        let access = details.access_token_generation.unwrap();
        assert_eq!(
            access.scopes_to_add.unwrap(),
            ["openid", "email", "solar-system-data/asteroids.add"]
        );
        assert_eq!(access.scopes_to_suppress.unwrap(), ["phone_number"]);
        let claims = access.claims_to_add_or_override.unwrap();
        assert_eq!(claims["family_name"], "Doe");
        assert_eq!(claims["favorite_numbers"], serde_json::json!([7, 42]));
        let id = details.id_token_generation.unwrap();
        assert_eq!(id.claims_to_add_or_override.unwrap()["is_admin"], true);
        assert_eq!(id.claims_to_suppress.unwrap(), ["email"]);
        assert_eq!(
            details.group_override_details.unwrap().groups_to_override,
            ["new-group-A", "new-group-B"]
        );
    }

    #[test]
    fn m2m_v3_event_without_user_parses() {
        let json = r#"{"version":"3","triggerSource":"TokenGeneration_ClientCredentials",
            "region":"us-east-1","userPoolId":"us-east-1_EXAMPLE",
            "callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"1example23456789"},
            "request":{"userAttributes":{},"groupConfiguration":null,"scopes":["my-api/read"]},
            "response":{"claimsAndScopeOverrideDetails":null}}"#;
        let event: PreTokenGenerationV2Event = serde_json::from_str(json).unwrap_or_else(|e| {
            panic!("{e}");
        });
        assert_eq!(event.user_name, None);
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::TokenGenerationClientCredentials
        );
    }
}
