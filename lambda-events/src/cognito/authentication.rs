//! Sign-in triggers: pre authentication, post authentication and inbound federation.

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{CognitoUserPoolEvent, UserAttributes};

/// The pre authentication trigger event.
pub type PreAuthenticationEvent =
    CognitoUserPoolEvent<PreAuthenticationRequest, PreAuthenticationResponse>;

/// The `request` of a pre authentication event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PreAuthenticationRequest {
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// The `ClientMetadata` of the sign-in request (`validationData` on the wire).
    pub validation_data: Option<HashMap<String, String>>,
    /// `true` when the user does not exist and the pool hides that (prevent user existence
    /// errors is on).
    pub user_not_found: Option<bool>,
}

/// The `response` of a pre authentication event: Cognito expects no values (throw an error to
/// deny the sign-in).
#[event]
pub struct PreAuthenticationResponse {}

/// The post authentication trigger event.
pub type PostAuthenticationEvent =
    CognitoUserPoolEvent<PostAuthenticationRequest, PostAuthenticationResponse>;

/// The `request` of a post authentication event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthenticationRequest {
    /// The attributes of the user.
    #[serde(default)]
    pub user_attributes: UserAttributes,
    /// Whether the user signed in on a new device (with device tracking on).
    pub new_device_used: Option<bool>,
    /// The `ClientMetadata` of the request.
    pub client_metadata: Option<HashMap<String, String>>,
}

/// The `response` of a post authentication event: Cognito expects no values.
#[event]
pub struct PostAuthenticationResponse {}

/// The inbound federation trigger event.
pub type InboundFederationEvent =
    CognitoUserPoolEvent<InboundFederationRequest, InboundFederationResponse>;

/// The `request` of an inbound federation event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct InboundFederationRequest {
    /// The name of the identity provider in the user pool.
    pub provider_name: String,
    /// `OIDC`, `SAML`, `Facebook`, `Google`, `SignInWithApple` or `LoginWithAmazon`.
    pub provider_type: String,
    /// What the provider returned.
    pub attributes: InboundFederationAttributes,
}

/// What the identity provider returned, by source. Values are kept as JSON because providers
/// send strings, numbers, booleans and arrays.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct InboundFederationAttributes {
    /// The OAuth token response (OIDC and social providers).
    pub token_response: Option<HashMap<String, serde_json::Value>>,
    /// The decoded claims of the ID token (OIDC and social providers).
    pub id_token: Option<HashMap<String, serde_json::Value>>,
    /// The userInfo endpoint's profile (OIDC and social providers).
    pub user_info: Option<HashMap<String, serde_json::Value>>,
    /// The attributes of the SAML assertion (SAML providers).
    pub saml_response: Option<HashMap<String, serde_json::Value>>,
}

/// The `response` of an inbound federation event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct InboundFederationResponse {
    /// The user attributes to set. Attributes left out are dropped from the profile; an empty
    /// map keeps the mapped attributes unchanged.
    pub user_attributes_to_map: Option<HashMap<String, String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::CognitoTriggerSource;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn pre_authentication_fixture_round_trips() {
        let event: PreAuthenticationEvent = round_trip(&fixture("cognito/pre_authentication.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::PreAuthenticationAuthentication
        );
        assert_eq!(event.request.user_attributes["email"], "jane@example.com");
        assert_eq!(event.request.user_not_found, Some(false));
        assert_eq!(event.request.validation_data.unwrap()["device"], "laptop");
    }

    #[test]
    fn post_authentication_fixture_round_trips() {
        let event: PostAuthenticationEvent =
            round_trip(&fixture("cognito/post_authentication.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::PostAuthenticationAuthentication
        );
        assert_eq!(event.request.new_device_used, Some(true));
        assert_eq!(event.request.user_attributes["email_verified"], "true");
    }

    #[test]
    fn inbound_federation_fixture_round_trips() {
        let event: InboundFederationEvent = round_trip(&fixture("cognito/inbound_federation.json"));
        assert_eq!(
            event.trigger_source,
            CognitoTriggerSource::InboundFederationExternalProvider
        );
        let request = &event.request;
        assert_eq!(request.provider_name, "MyOIDCProvider");
        assert_eq!(request.provider_type, "OIDC");
        let id_token = request.attributes.id_token.as_ref().unwrap();
        assert_eq!(id_token["email_verified"], true);
        assert_eq!(id_token["exp"], 1_736_201_400);
        let tokens = request.attributes.token_response.as_ref().unwrap();
        assert_eq!(tokens["token_type"], "Bearer");
        assert_eq!(event.response.user_attributes_to_map, None);
    }

    #[test]
    fn inbound_federation_response_keeps_the_map() {
        let response = InboundFederationResponse {
            user_attributes_to_map: Some(HashMap::from([(
                "email".to_owned(),
                "jane@example.com".to_owned(),
            )])),
            #[cfg(feature = "catch-all-fields")]
            other: serde_json::Map::new(),
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"userAttributesToMap":{"email":"jane@example.com"}}"#
        );
    }
}
