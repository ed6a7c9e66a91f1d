//! Amazon Connect contact flow events.
//!
//! The "Invoke AWS Lambda function" block of a contact flow calls the function (synchronously)
//! with a [`ConnectEvent`]. The function returns a [`ConnectResponse`]: a flat map whose keys
//! the flow reads as `$.External.<key>`.
//!
//! ```
//! use lambda_events::connect::{ConnectEvent, ConnectResponse};
//!
//! fn handle(event: &ConnectEvent) -> ConnectResponse {
//!     let contact = &event.details.contact_data;
//!     let caller = contact
//!         .customer_endpoint
//!         .as_ref()
//!         .and_then(|e| e.address.clone())
//!         .unwrap_or_default();
//!     let mut response = ConnectResponse::new();
//!     response.insert("caller".into(), caller);
//!     response.insert("vip".into(), "false".into());
//!     response
//! }
//! # let event: ConnectEvent = serde_json::from_str(r#"{"Details":{"ContactData":
//! #   {"ContactId":"c","CustomerEndpoint":{"Address":"+15550100","Type":"TELEPHONE_NUMBER"}},
//! #   "Parameters":{}},"Name":"ContactFlowEvent"}"#).unwrap();
//! # assert_eq!(handle(&event)["caller"], "+15550100");
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

/// What a contact flow's Lambda block expects back: a flat map of string keys to string values
/// (the flow's default `STRING_MAP` response validation). Flows set to `JSON` validation also
/// accept nested values: return a `serde_json::Value` for those.
pub type ConnectResponse = HashMap<String, String>;

/// The event a contact flow's Lambda block sends.
#[event]
#[serde(rename_all = "PascalCase")]
pub struct ConnectEvent {
    /// The contact and the block's parameters.
    pub details: ConnectDetails,
    /// The event name; always `ContactFlowEvent`.
    pub name: String,
}

/// The `Details` of a contact flow event.
#[event]
#[serde(rename_all = "PascalCase")]
pub struct ConnectDetails {
    /// The contact being handled.
    pub contact_data: ConnectContactData,
    /// The parameters configured on the block (function input parameters).
    #[serde(default)]
    pub parameters: HashMap<String, String>,
}

/// The contact being handled.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectContactData {
    /// The contact attributes set so far in the flow.
    #[serde(default)]
    pub attributes: HashMap<String, String>,
    /// The Region of the Connect instance.
    pub aws_region: Option<String>,
    /// `VOICE`, `CHAT`, `TASK` or `EMAIL`.
    pub channel: Option<String>,
    /// The ID of this contact.
    pub contact_id: String,
    /// The customer's endpoint (their phone number, for a call).
    pub customer_endpoint: Option<ConnectEndpoint>,
    /// The Customer Profiles ID of the customer.
    pub customer_id: Option<String>,
    /// The contact's description.
    pub description: Option<String>,
    /// The ID of the first contact in a chain of transfers.
    pub initial_contact_id: Option<String>,
    /// `INBOUND`, `OUTBOUND`, `TRANSFER`, `CALLBACK`, `API`, `QUEUE_TRANSFER`, and so on.
    pub initiation_method: Option<String>,
    /// The ARN of the Connect instance.
    #[serde(rename = "InstanceARN")]
    pub instance_arn: Option<String>,
    /// The language of the contact, such as `en-US`.
    pub language_code: Option<String>,
    /// The customer audio streams, when media streaming is on.
    pub media_streams: Option<ConnectMediaStreams>,
    /// The contact's name.
    pub name: Option<String>,
    /// The ID of the previous contact in a chain of transfers.
    pub previous_contact_id: Option<String>,
    /// The queue the contact is in, if any.
    pub queue: Option<ConnectQueue>,
    /// References (links, attachments) attached to the contact, by name.
    pub references: Option<HashMap<String, serde_json::Value>>,
    /// The ID of a related contact.
    pub related_contact_id: Option<String>,
    /// Segment attributes, such as `connect:Subtype`, by name.
    pub segment_attributes: Option<HashMap<String, serde_json::Value>>,
    /// The endpoint the customer contacted (the instance's number, for a call).
    pub system_endpoint: Option<ConnectEndpoint>,
    /// The contact's tags.
    pub tags: Option<HashMap<String, String>>,
}

/// A phone number or other contact endpoint.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectEndpoint {
    /// The address, such as `+12065550100`.
    pub address: Option<String>,
    /// The address type, such as `TELEPHONE_NUMBER`.
    #[serde(rename = "Type")]
    pub endpoint_type: Option<String>,
}

/// A Connect queue.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectQueue {
    /// The ARN of the queue.
    #[serde(rename = "ARN")]
    pub arn: Option<String>,
    /// The name of the queue.
    pub name: Option<String>,
    /// The caller ID used for outbound calls from this queue.
    pub outbound_caller_id: Option<ConnectEndpoint>,
}

/// The media streams of a contact.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectMediaStreams {
    /// The customer's streams.
    pub customer: Option<ConnectCustomerStreams>,
}

/// The customer's media streams.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectCustomerStreams {
    /// The customer's audio stream in Kinesis Video Streams.
    pub audio: Option<ConnectAudioStream>,
}

/// A customer audio stream in Kinesis Video Streams.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectAudioStream {
    /// The ARN of the Kinesis video stream.
    #[serde(rename = "StreamARN")]
    pub stream_arn: Option<String>,
    /// The fragment where streaming started.
    pub start_fragment_number: Option<String>,
    /// When streaming started (Unix milliseconds, as a string).
    pub start_timestamp: Option<String>,
    /// The fragment where streaming stopped.
    pub stop_fragment_number: Option<String>,
    /// When streaming stopped (Unix milliseconds, as a string).
    pub stop_timestamp: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn contact_flow_fixture_round_trips() {
        let event: ConnectEvent = round_trip(&fixture("connect/contact_flow.json"));
        assert_eq!(event.name, "ContactFlowEvent");
        let contact = &event.details.contact_data;
        assert_eq!(contact.channel.as_deref(), Some("VOICE"));
        assert_eq!(contact.contact_id, "4a573372-1f28-4e26-b97b-XXXXXXXXXXXX");
        let customer = contact.customer_endpoint.as_ref().unwrap();
        assert_eq!(customer.address.as_deref(), Some("+1234567890"));
        assert_eq!(customer.endpoint_type.as_deref(), Some("TELEPHONE_NUMBER"));
        assert_eq!(
            contact.queue.as_ref().unwrap().name.as_deref(),
            Some("PasswordReset")
        );
        assert_eq!(
            event.details.parameters["sentAttributeKey"],
            "sentAttributeValue"
        );
    }

    #[test]
    fn media_streams_fixture_with_nulls_round_trips() {
        let json = fixture("connect/media_streams.json");
        let with_nulls: ConnectEvent = serde_json::from_str(&json).unwrap();
        let event: ConnectEvent = round_trip(&json);
        assert_eq!(with_nulls, event);
        let contact = &event.details.contact_data;
        assert_eq!(contact.queue, None);
        assert_eq!(contact.attributes["language"], "en-US");
        let audio = contact
            .media_streams
            .as_ref()
            .and_then(|m| m.customer.as_ref())
            .and_then(|c| c.audio.as_ref())
            .unwrap();
        assert_eq!(audio.start_timestamp.as_deref(), Some("1714363529673"));
        assert_eq!(
            contact.segment_attributes.as_ref().unwrap()["connect:Subtype"]["ValueString"],
            "connect:Telephony"
        );
    }

    #[test]
    fn response_serializes_as_a_flat_map() {
        let response = ConnectResponse::from([("status".to_owned(), "ok".to_owned())]);
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"status":"ok"}"#
        );
    }
}
