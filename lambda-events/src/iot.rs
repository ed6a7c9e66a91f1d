//! AWS IoT button, 1-Click, custom authorizer and pre-provisioning hook events.
//!
//! IoT rules that invoke Lambda pass the (SQL-selected) message itself as the event, so it has
//! no fixed shape: use your own type or `serde_json::Value` for those. This module covers the
//! events whose shape AWS defines:
//!
//! - [`IoTButtonEvent`]: an AWS IoT Button press;
//! - [`IoTOneClickEvent`]: an AWS IoT 1-Click device event;
//! - [`IoTCustomAuthorizerRequest`] and [`IoTCustomAuthorizerResponse`]: a custom authorizer
//!   (the response's policies are [`crate::iam::PolicyDocument`]s, so this feature turns on
//!   `iam`);
//! - [`IoTPreProvisioningHookRequest`] and [`IoTPreProvisioningHookResponse`]: fleet
//!   provisioning's pre-provisioning hook.
//!
//! ```
//! use lambda_events::iam::{Effect, PolicyDocument, Statement};
//! use lambda_events::iot::{IoTCustomAuthorizerRequest, IoTCustomAuthorizerResponse};
//!
//! fn authorize(request: &IoTCustomAuthorizerRequest) -> IoTCustomAuthorizerResponse {
//!     let mqtt = request.protocol_data.as_ref().and_then(|p| p.mqtt.as_ref());
//!     let password_ok = mqtt
//!         .and_then(|m| m.password.as_deref())
//!         .is_some_and(|password| password == b"test");
//!     let client = mqtt.and_then(|m| m.client_id.clone()).unwrap_or_default();
//!     IoTCustomAuthorizerResponse {
//!         is_authenticated: password_ok,
//!         principal_id: Some("device123".into()),
//!         disconnect_after_in_seconds: Some(3600),
//!         refresh_after_in_seconds: Some(300),
//!         policy_documents: vec![PolicyDocument {
//!             version: "2012-10-17".into(),
//!             statement: vec![Statement {
//!                 effect: Effect::Allow,
//!                 action: Some("iot:Connect".into()),
//!                 resource: Some(format!("arn:aws:iot:us-east-1:123456789012:client/{client}").into()),
//!                 ..Default::default()
//!             }],
//!             ..Default::default()
//!         }],
//!         ..Default::default()
//!     }
//! }
//! # let request: IoTCustomAuthorizerRequest = serde_json::from_str(
//! #     r#"{"protocolData":{"mqtt":{"password":"dGVzdA==","clientId":"c1"}}}"#).unwrap();
//! # let response = authorize(&request);
//! # assert!(response.is_authenticated);
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

use crate::encodings::{Base64Data, EpochMillis, Headers};
use crate::iam::PolicyDocument;

/// How a button was pressed.
#[event]
#[derive(Eq, Hash)]
pub enum ClickType {
    /// A short press.
    #[serde(rename = "SINGLE")]
    Single,
    /// Two presses in a row.
    #[serde(rename = "DOUBLE")]
    Double,
    /// A press held down.
    #[serde(rename = "LONG")]
    Long,
    /// A value this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// A press of an AWS IoT Button (the original Dash-style button).
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct IoTButtonEvent {
    /// The serial number of the button.
    pub serial_number: String,
    /// How the button was pressed.
    pub click_type: ClickType,
    /// The battery voltage, such as `2000mV`.
    pub battery_voltage: Option<String>,
}

/// An event from an AWS IoT 1-Click device.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickEvent {
    /// What the device reported.
    pub device_event: IoTOneClickDeviceEvent,
    /// The device.
    pub device_info: IoTOneClickDeviceInfo,
    /// The placement the device belongs to.
    pub placement_info: Option<IoTOneClickPlacementInfo>,
}

/// The `deviceEvent` of a 1-Click event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickDeviceEvent {
    /// The button press, for button devices.
    pub button_clicked: Option<IoTOneClickButtonClicked>,
}

/// A 1-Click button press.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickButtonClicked {
    /// How the button was pressed.
    pub click_type: ClickType,
    /// When the device reported the press (RFC 3339).
    pub reported_time: Option<String>,
}

/// The `deviceInfo` of a 1-Click event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickDeviceInfo {
    /// The device's attributes.
    #[serde(default)]
    pub attributes: HashMap<String, String>,
    /// The device type, such as `button`.
    #[serde(rename = "type")]
    pub device_type: Option<String>,
    /// The device ID.
    pub device_id: String,
    /// The remaining life of the device, in percent.
    pub remaining_life: Option<f64>,
}

/// The `placementInfo` of a 1-Click event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickPlacementInfo {
    /// The project of the placement.
    pub project_name: Option<String>,
    /// The name of the placement.
    pub placement_name: Option<String>,
    /// The placement's attributes.
    #[serde(default)]
    pub attributes: HashMap<String, String>,
    /// The placement's devices: template device name to device ID.
    #[serde(default)]
    pub devices: HashMap<String, String>,
}

/// The request AWS IoT Core sends to a custom authorizer.
///
/// Fields not relevant to the connection (another protocol's data, a token that was not sent)
/// are absent.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTCustomAuthorizerRequest {
    /// The token the device sent, if the authorizer has a token key name.
    pub token: Option<String>,
    /// Whether the device gateway validated the token's signature.
    pub signature_verified: Option<bool>,
    /// The protocols of the request: `tls`, `http`, `mqtt`.
    #[serde(default)]
    pub protocols: Vec<String>,
    /// Data of each protocol.
    pub protocol_data: Option<IoTProtocolData>,
    /// Data about the connection.
    pub connection_metadata: Option<IoTConnectionMetadata>,
}

/// The `protocolData` of a custom authorizer request.
#[event(keep_nulls)]
pub struct IoTProtocolData {
    /// TLS data.
    pub tls: Option<IoTTlsContext>,
    /// HTTP data.
    pub http: Option<IoTHttpContext>,
    /// MQTT CONNECT data.
    pub mqtt: Option<IoTMqttContext>,
}

/// TLS data of a custom authorizer request.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTTlsContext {
    /// The server name indication (SNI) host name.
    pub server_name: Option<String>,
}

/// HTTP data of a custom authorizer request.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTHttpContext {
    /// The request headers.
    pub headers: Option<Headers>,
    /// The raw query string, including its leading `?`.
    pub query_string: Option<String>,
}

/// MQTT CONNECT data of a custom authorizer request.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTMqttContext {
    /// The user name of the CONNECT packet.
    pub username: Option<String>,
    /// The password of the CONNECT packet (base64 on the wire, decoded here).
    pub password: Option<Base64Data>,
    /// The client ID, when the device sent one.
    pub client_id: Option<String>,
}

/// The `connectionMetadata` of a custom authorizer request.
#[event(keep_nulls)]
pub struct IoTConnectionMetadata {
    /// The connection ID, for logging.
    pub id: Option<String>,
}

/// What a custom authorizer returns.
#[event]
#[serde(rename_all = "camelCase")]
pub struct IoTCustomAuthorizerResponse {
    /// Whether the request is authenticated.
    pub is_authenticated: bool,
    /// An identifier of the principal in logs: 1 to 128 letters and digits.
    pub principal_id: Option<String>,
    /// The IoT Core policies that authorize the connection (up to 10).
    #[serde(default)]
    pub policy_documents: Vec<PolicyDocument>,
    /// The longest the connection may stay open, in seconds (300 to 86 400).
    pub disconnect_after_in_seconds: Option<u32>,
    /// How long IoT Core caches the policies before calling the authorizer again, in seconds
    /// (300 to 86 400).
    pub refresh_after_in_seconds: Option<u32>,
}

/// The request AWS IoT sends to a fleet provisioning pre-provisioning hook.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTPreProvisioningHookRequest {
    /// The ID of the claim certificate the device connected with.
    pub claim_certificate_id: Option<String>,
    /// The ID of the certificate being provisioned.
    pub certificate_id: Option<String>,
    /// The PEM of the certificate being provisioned.
    pub certificate_pem: Option<String>,
    /// The ARN of the provisioning template.
    pub template_arn: Option<String>,
    /// The MQTT client ID of the device.
    pub client_id: Option<String>,
    /// The `parameters` of the device's `RegisterThing` request.
    #[serde(default)]
    pub parameters: HashMap<String, String>,
}

/// What a pre-provisioning hook returns.
#[event]
#[serde(rename_all = "camelCase")]
pub struct IoTPreProvisioningHookResponse {
    /// Whether the device may be provisioned.
    pub allow_provisioning: bool,
    /// Values to add to (or replace in) the `RegisterThing` parameters.
    pub parameter_overrides: Option<HashMap<String, String>>,
}

/// The event an AWS IoT Events detector model's Lambda action sends (invoked asynchronously).
///
/// ```
/// use lambda_events::iot::IoTEventsEvent;
///
/// let json = r#"{"event": {"eventName": "overheated", "eventTime": 1700000000000,
///   "payload": {"detector": {"detectorModelName": "boiler", "detectorModelVersion": "2",
///     "keyValue": "boiler-7"},
///   "eventTriggerDetails": {"triggerType": "Message", "inputName": "temperature",
///     "messageId": "m-1"},
///   "actionExecutionId": "a-1",
///   "state": {"variables": {"limit": 90}, "stateName": "Hot", "timers": {}}}}}"#;
/// let event: IoTEventsEvent = serde_json::from_str(json).unwrap();
/// assert_eq!(event.event.payload.state.unwrap().state_name.as_deref(), Some("Hot"));
/// ```
#[event]
pub struct IoTEventsEvent {
    /// The event of the detector model that ran the action.
    pub event: IoTEventsEventDetail,
}

/// The event that ran an IoT Events Lambda action.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTEventsEventDetail {
    /// The event's name in the detector model.
    pub event_name: String,
    /// When the event happened, in milliseconds since the Unix epoch.
    pub event_time: Option<EpochMillis>,
    /// The detector, the trigger and the detector's state.
    pub payload: IoTEventsPayload,
}

/// What an IoT Events action is told about the detector.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTEventsPayload {
    /// The detector model and instance.
    pub detector: Option<IoTEventsDetector>,
    /// The input that triggered the event.
    pub event_trigger_details: Option<IoTEventsTriggerDetails>,
    /// Unique ID of this execution of the action.
    pub action_execution_id: Option<String>,
    /// The detector's state when the event happened.
    pub state: Option<IoTEventsDetectorState>,
}

/// A detector model and the instance (key value) of it.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTEventsDetector {
    /// The detector model's name.
    pub detector_model_name: Option<String>,
    /// The detector model's version.
    pub detector_model_version: Option<String>,
    /// The key that identifies the detector instance.
    pub key_value: Option<String>,
}

/// The input that triggered an IoT Events event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTEventsTriggerDetails {
    /// `Message`, `Timer` or another trigger type.
    pub trigger_type: Option<String>,
    /// The input's name.
    pub input_name: Option<String>,
    /// The input message's ID.
    pub message_id: Option<String>,
    /// The timer's name, for timer triggers.
    pub timer_name: Option<String>,
}

/// A detector's state: its name, variables and timers.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct IoTEventsDetectorState {
    /// The state's name.
    pub state_name: Option<String>,
    /// The detector's variables.
    pub variables: Option<serde_json::Map<String, serde_json::Value>>,
    /// The detector's timers.
    pub timers: Option<serde_json::Map<String, serde_json::Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::Effect;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn button_fixture_round_trips() {
        let event: IoTButtonEvent = round_trip(&fixture("iot/button.json"));
        assert_eq!(event.serial_number, "G030JF055364XVRB");
        assert_eq!(event.click_type, ClickType::Single);
        assert_eq!(event.battery_voltage.as_deref(), Some("2000mV"));
    }

    #[test]
    fn unknown_click_type_is_kept() {
        let event: IoTButtonEvent = round_trip(r#"{"serialNumber":"G030","clickType":"TRIPLE"}"#);
        assert_eq!(event.click_type, ClickType::Other("TRIPLE".into()));
    }

    #[test]
    fn one_click_fixture_round_trips() {
        let event: IoTOneClickEvent = round_trip(&fixture("iot/one_click.json"));
        let clicked = event.device_event.button_clicked.as_ref().unwrap();
        assert_eq!(clicked.click_type, ClickType::Single);
        assert_eq!(
            clicked.reported_time.as_deref(),
            Some("2018-05-04T23:26:33.747Z")
        );
        assert_eq!(event.device_info.device_id, "G030PMXXXXXXXXXX");
        assert_eq!(event.device_info.remaining_life, Some(5.0));
        let placement = event.placement_info.as_ref().unwrap();
        assert_eq!(placement.attributes["location"], "Seattle");
        assert_eq!(placement.devices["myButton"], "G030PMXXXXXXXXXX");
    }

    #[test]
    fn custom_authorizer_request_fixture_round_trips() {
        let request: IoTCustomAuthorizerRequest =
            round_trip(&fixture("iot/custom_authorizer_request.json"));
        assert_eq!(request.token.as_deref(), Some("aToken"));
        assert_eq!(request.signature_verified, Some(true));
        assert_eq!(request.protocols, ["tls", "http", "mqtt"]);
        let data = request.protocol_data.as_ref().unwrap();
        let mqtt = data.mqtt.as_ref().unwrap();
        assert_eq!(mqtt.username.as_deref(), Some("myUserName"));
        assert_eq!(mqtt.password.as_deref(), Some(&b"myPassword"[..]));
        assert_eq!(mqtt.client_id.as_deref(), Some("myClientId"));
        let http = data.http.as_ref().unwrap();
        assert_eq!(
            http.headers.as_ref().unwrap()["x-amz-customauthorizer-name"],
            "MyAuthorizer"
        );
        assert_eq!(
            data.tls.as_ref().unwrap().server_name.as_deref(),
            Some("example.com")
        );
        assert_eq!(
            request.connection_metadata.unwrap().id.as_deref(),
            Some("d0adaaa7-b22d-4545-923c-30eb1f8c8e2e")
        );
    }

    #[test]
    fn bad_base64_password_is_a_serde_error_with_its_path() {
        let json = r#"{"protocolData":{"mqtt":{"password":"not base64!"}}}"#;
        let de = &mut serde_json::Deserializer::from_str(json);
        let err =
            serde_path_to_error::deserialize::<_, IoTCustomAuthorizerRequest>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "protocolData.mqtt.password");
    }

    #[test]
    fn custom_authorizer_response_fixture_round_trips() {
        let response: IoTCustomAuthorizerResponse =
            round_trip(&fixture("iot/custom_authorizer_response.json"));
        assert!(response.is_authenticated);
        assert_eq!(response.principal_id.as_deref(), Some("principalId"));
        assert_eq!(response.disconnect_after_in_seconds, Some(3600));
        assert_eq!(response.refresh_after_in_seconds, Some(300));
        let statements = &response.policy_documents[0].statement;
        assert_eq!(statements.len(), 4);
        assert_eq!(statements[0].effect, Effect::Allow);
        assert_eq!(statements[0].action, Some("iot:Connect".into()));
    }

    #[test]
    fn pre_provisioning_hook_fixtures_round_trip() {
        let request: IoTPreProvisioningHookRequest =
            round_trip(&fixture("iot/pre_provisioning_hook_request.json"));
        assert_eq!(
            request.template_arn.as_deref(),
            Some("arn:aws:iot:us-east-1:1234567890:provisioningtemplate/MyTemplate")
        );
        assert_eq!(request.parameters["SerialNumber"], "ABC123");
        let response: IoTPreProvisioningHookResponse =
            round_trip(&fixture("iot/pre_provisioning_hook_response.json"));
        assert!(response.allow_provisioning);
        assert_eq!(
            response.parameter_overrides.unwrap()["DeviceLocation"],
            "Seattle"
        );
    }
}
