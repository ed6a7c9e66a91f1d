//! AWS Client VPN connection handler events.
//!
//! A Client VPN endpoint with a client connect handler calls the function (synchronously, with
//! a 30-second timeout) for every new connection, after the user and device are authenticated,
//! with a [`ClientVpnConnectionHandlerRequest`]. The function answers with a
//! [`ClientVpnConnectionHandlerResponse`]; every field of the response is required.
//!
//! ```
//! use lambda_events::clientvpn::{ClientVpnConnectionHandlerRequest, ClientVpnConnectionHandlerResponse};
//!
//! fn handle(request: &ClientVpnConnectionHandlerRequest) -> ClientVpnConnectionHandlerResponse {
//!     if request.platform.as_deref() == Some("ios") {
//!         ClientVpnConnectionHandlerResponse::deny(request, "Mobile devices are not allowed.")
//!     } else {
//!         ClientVpnConnectionHandlerResponse::allow(request)
//!     }
//! }
//! # let request: ClientVpnConnectionHandlerRequest = serde_json::from_str(
//! #     r#"{"connection-id":"cvpn-connection-1","platform":"ios","schema-version":"v3"}"#).unwrap();
//! # let json = serde_json::to_value(handle(&request)).unwrap();
//! # assert_eq!(json["allow"], false);
//! # assert_eq!(json["schema-version"], "v3");
//! ```

use lambda_events_derive::event;

use crate::encodings::StringOrList;

/// The request a Client VPN endpoint sends to its client connect handler.
#[event(keep_nulls)]
#[serde(rename_all = "kebab-case")]
pub struct ClientVpnConnectionHandlerRequest {
    /// The ID of the client connection.
    pub connection_id: String,
    /// The ID of the Client VPN endpoint.
    pub endpoint_id: Option<String>,
    /// The common name of the device's client certificate.
    pub common_name: Option<String>,
    /// The user: the Active Directory user name, or the SAML `NameID`; empty for mutual
    /// authentication.
    pub username: Option<String>,
    /// The operating system platform of the client.
    pub platform: Option<String>,
    /// The operating system version (when the client sends peer info).
    pub platform_version: Option<String>,
    /// The public IP address of the device.
    pub public_ip: Option<String>,
    /// The OpenVPN version of the client.
    pub client_openvpn_version: Option<String>,
    /// The version of the AWS-provided client, when that is the client.
    pub aws_client_version: Option<String>,
    /// The user's groups (Active Directory or IdP groups); empty for mutual authentication.
    /// AWS documents "a list of groups" without fixing the JSON form, so a string and an array
    /// of strings are both accepted and written back as they came.
    pub groups: Option<StringOrList>,
    /// The schema version, such as `v3`.
    pub schema_version: Option<String>,
}

/// The decision a client connect handler returns.
#[event]
#[serde(rename_all = "kebab-case")]
pub struct ClientVpnConnectionHandlerResponse {
    /// Whether to allow the connection.
    pub allow: bool,
    /// The message shown to the client when the connection is denied (up to 255 characters).
    #[serde(default)]
    pub error_msg_on_denied_connection: String,
    /// The device's posture compliance statuses (up to 10 names you define).
    #[serde(default)]
    pub posture_compliance_statuses: Vec<String>,
    /// The schema version; answer with the request's.
    #[serde(default)]
    pub schema_version: String,
}

impl ClientVpnConnectionHandlerResponse {
    /// A response allowing the connection, with the request's schema version.
    pub fn allow(request: &ClientVpnConnectionHandlerRequest) -> Self {
        Self::decide(request, true, String::new())
    }

    /// A response denying the connection, with `message` for the client.
    pub fn deny(request: &ClientVpnConnectionHandlerRequest, message: impl Into<String>) -> Self {
        Self::decide(request, false, message.into())
    }

    fn decide(request: &ClientVpnConnectionHandlerRequest, allow: bool, message: String) -> Self {
        Self {
            allow,
            error_msg_on_denied_connection: message,
            schema_version: request
                .schema_version
                .clone()
                .unwrap_or_else(|| "v3".to_owned()),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn request_fixture_round_trips() {
        let request: ClientVpnConnectionHandlerRequest =
            round_trip(&fixture("clientvpn/request.json"));
        assert_eq!(request.connection_id, "cvpn-connection-04e7e1b2f0daf9460");
        assert_eq!(
            request.endpoint_id.as_deref(),
            Some("cvpn-endpoint-0f4b8c4e0f1a2b3c4")
        );
        assert_eq!(request.common_name.as_deref(), Some("client1.domain.tld"));
        assert_eq!(request.public_ip.as_deref(), Some("10.11.12.13"));
        assert_eq!(request.schema_version.as_deref(), Some("v3"));
        assert_eq!(request.groups, Some(StringOrList::One("vpn-users".into())));
    }

    #[test]
    fn groups_as_an_array_round_trip() {
        let request: ClientVpnConnectionHandlerRequest =
            round_trip(r#"{"connection-id":"cvpn-connection-1","groups":["admins","vpn-users"]}"#);
        assert_eq!(
            request.groups,
            Some(StringOrList::Many(vec![
                "admins".into(),
                "vpn-users".into()
            ]))
        );
    }

    #[test]
    fn response_fixture_round_trips() {
        let response: ClientVpnConnectionHandlerResponse =
            round_trip(&fixture("clientvpn/response.json"));
        assert!(!response.allow);
        assert_eq!(response.posture_compliance_statuses, ["quarantined"]);
        assert_eq!(response.schema_version, "v3");
    }

    #[test]
    fn allow_writes_every_required_field() {
        let request: ClientVpnConnectionHandlerRequest =
            round_trip(&fixture("clientvpn/request.json"));
        let json =
            serde_json::to_value(ClientVpnConnectionHandlerResponse::allow(&request)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "allow": true,
                "error-msg-on-denied-connection": "",
                "posture-compliance-statuses": [],
                "schema-version": "v3"
            })
        );
    }
}
