//! AWS Config rule events.
//!
//! A custom Config rule invokes its function with a [`ConfigEvent`]. Two of its fields are JSON
//! documents carried as strings: `invokingEvent` and `ruleParameters`. They are kept as the
//! strings AWS sent (so the event round-trips exactly) and parsed on demand with
//! [`ConfigEvent::invoking_event`] and [`ConfigEvent::rule_parameters`].
//!
//! ```
//! use lambda_events::config::{ConfigEvent, MessageType};
//! use std::collections::HashMap;
//!
//! fn evaluate(event: &ConfigEvent) -> Result<&'static str, serde_json::Error> {
//!     let params: HashMap<String, String> = event.rule_parameters()?;
//!     let invoking = event.invoking_event()?;
//!     if invoking.message_type == Some(MessageType::ScheduledNotification) {
//!         return Ok("NOT_APPLICABLE");
//!     }
//!     let item = invoking.configuration_item.unwrap_or_default();
//!     let wanted = params.get("desiredInstanceType").map(String::as_str);
//!     let actual = item.configuration.as_ref().and_then(|c| c["instanceType"].as_str());
//!     Ok(if event.event_left_scope == Some(true) {
//!         "NOT_APPLICABLE"
//!     } else if actual == wanted {
//!         "COMPLIANT"
//!     } else {
//!         "NON_COMPLIANT"
//!     })
//! }
//! # let event = ConfigEvent {
//! #     invoking_event: r#"{"messageType":"ScheduledNotification"}"#.into(),
//! #     ..Default::default()
//! # };
//! # assert_eq!(evaluate(&event).unwrap(), "NOT_APPLICABLE");
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;
use serde::de::DeserializeOwned;

/// The event AWS Config sends to a custom rule's function.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ConfigEvent {
    /// The event that triggered the evaluation, a JSON document in a string; parse it with
    /// [`invoking_event`](Self::invoking_event).
    pub invoking_event: String,
    /// The rule's parameters, a JSON object in a string; parse it with
    /// [`rule_parameters`](Self::rule_parameters).
    pub rule_parameters: Option<String>,
    /// The token to pass to `PutEvaluations`.
    pub result_token: Option<String>,
    /// Whether the resource left the rule's scope (then report `NOT_APPLICABLE`).
    pub event_left_scope: Option<bool>,
    /// The ARN of the IAM role assigned to AWS Config.
    pub execution_role_arn: Option<String>,
    /// The ARN of the rule.
    pub config_rule_arn: Option<String>,
    /// The name of the rule.
    pub config_rule_name: Option<String>,
    /// The ID of the rule.
    pub config_rule_id: Option<String>,
    /// The ID of the account that owns the rule.
    pub account_id: Option<String>,
    /// The event format version, such as `1.0`.
    pub version: Option<String>,
    /// `DETECTIVE` or `PROACTIVE`, for rules that evaluate in both modes.
    pub evaluation_mode: Option<String>,
}

impl ConfigEvent {
    /// Parses `invokingEvent`.
    pub fn invoking_event(&self) -> Result<ConfigInvokingEvent, serde_json::Error> {
        serde_json::from_str(&self.invoking_event)
    }

    /// Parses `ruleParameters` into `T` (for instance `HashMap<String, String>` or a struct of
    /// your own). An absent `ruleParameters` parses as the empty object `{}`.
    pub fn rule_parameters<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.rule_parameters.as_deref().unwrap_or("{}"))
    }
}

/// What triggered an evaluation.
#[event]
pub enum MessageType {
    /// A resource's configuration changed; the event has a `configurationItem`.
    ConfigurationItemChangeNotification,
    /// A change too large to include; the event has a `configurationItemSummary`.
    OversizedConfigurationItemChangeNotification,
    /// A periodic evaluation.
    ScheduledNotification,
    /// A type this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// The parsed `invokingEvent` of a [`ConfigEvent`].
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ConfigInvokingEvent {
    /// What triggered the evaluation.
    pub message_type: Option<MessageType>,
    /// The resource's configuration, for a configuration change.
    pub configuration_item: Option<ConfigurationItem>,
    /// A summary of the configuration, for an oversized configuration change.
    pub configuration_item_summary: Option<ConfigurationItem>,
    /// What changed since the previous configuration item.
    pub configuration_item_diff: Option<serde_json::Value>,
    /// When the notification was created (RFC 3339).
    pub notification_creation_time: Option<String>,
    /// The notification format version.
    pub record_version: Option<String>,
    /// The account ID, for a periodic evaluation.
    pub aws_account_id: Option<String>,
}

/// A configuration item (or its summary, for oversized changes).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationItem {
    /// The account that owns the resource.
    pub aws_account_id: Option<String>,
    /// The ARN of the resource.
    #[serde(rename = "ARN")]
    pub arn: Option<String>,
    /// The Region of the resource.
    pub aws_region: Option<String>,
    /// The Availability Zone of the resource.
    pub availability_zone: Option<String>,
    /// The resource type, such as `AWS::EC2::Instance`.
    pub resource_type: Option<String>,
    /// The resource ID, such as `i-00000000`.
    pub resource_id: Option<String>,
    /// The resource name, if it has one.
    pub resource_name: Option<String>,
    /// When the resource was created (RFC 3339).
    pub resource_creation_time: Option<String>,
    /// When the configuration was recorded (RFC 3339).
    pub configuration_item_capture_time: Option<String>,
    /// `OK`, `ResourceDiscovered`, `ResourceNotRecorded`, `ResourceDeleted` or
    /// `ResourceDeletedNotRecorded`.
    pub configuration_item_status: Option<String>,
    /// The version of the configuration item format.
    pub configuration_item_version: Option<String>,
    /// An ID that orders the configuration items of a resource.
    pub configuration_state_id: Option<i64>,
    /// The MD5 hash of the configuration state.
    pub configuration_state_md5_hash: Option<String>,
    /// `CREATE`, `UPDATE` or `DELETE` (in summaries).
    pub change_type: Option<String>,
    /// The resource's tags.
    pub tags: Option<HashMap<String, String>>,
    /// Resources this one is related to.
    pub relationships: Option<Vec<ConfigRelationship>>,
    /// CloudTrail event IDs related to the change.
    pub related_events: Option<Vec<String>>,
    /// The service-specific description of the resource.
    pub configuration: Option<serde_json::Value>,
    /// Additional service-specific configuration attributes.
    pub supplementary_configuration: Option<serde_json::Value>,
}

/// A relationship between two resources.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ConfigRelationship {
    /// The related resource's ID.
    pub resource_id: Option<String>,
    /// The related resource's name.
    pub resource_name: Option<String>,
    /// The related resource's type.
    pub resource_type: Option<String>,
    /// The kind of relationship, such as `Is attached to ElasticIp`.
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn change_triggered_fixture_round_trips_and_parses() {
        let event: ConfigEvent = round_trip(&fixture("config/change_triggered.json"));
        assert_eq!(event.result_token.as_deref(), Some("myResultToken"));
        assert_eq!(event.event_left_scope, Some(false));
        assert_eq!(
            event.config_rule_name.as_deref(),
            Some("change-triggered-config-rule")
        );

        let invoking = event.invoking_event().unwrap();
        assert_eq!(
            invoking.message_type,
            Some(MessageType::ConfigurationItemChangeNotification)
        );
        let item = invoking.configuration_item.unwrap();
        assert_eq!(item.resource_type.as_deref(), Some("AWS::EC2::Instance"));
        assert_eq!(
            item.arn.as_deref(),
            Some("arn:aws:ec2:us-east-2:123456789012:instance/i-00000000")
        );
        assert_eq!(item.tags.unwrap()["Foo"], "Bar");
        let relationship = &item.relationships.unwrap()[0];
        assert_eq!(
            relationship.resource_id.as_deref(),
            Some("eipalloc-00000000")
        );
        assert_eq!(item.configuration.unwrap()["foo"], "bar");

        let params: HashMap<String, String> = event.rule_parameters().unwrap();
        assert_eq!(params["myParameterKey"], "myParameterValue");
    }

    #[test]
    fn oversized_fixture_parses_the_summary() {
        let event: ConfigEvent = round_trip(&fixture("config/oversized.json"));
        let invoking = event.invoking_event().unwrap();
        assert_eq!(
            invoking.message_type,
            Some(MessageType::OversizedConfigurationItemChangeNotification)
        );
        let summary = invoking.configuration_item_summary.unwrap();
        assert_eq!(summary.change_type.as_deref(), Some("UPDATE"));
        assert_eq!(summary.configuration_state_id, Some(0));
        assert_eq!(summary.resource_name, None);
    }

    #[test]
    fn periodic_fixture_parses_a_scheduled_notification() {
        let event: ConfigEvent = round_trip(&fixture("config/periodic.json"));
        let invoking = event.invoking_event().unwrap();
        assert_eq!(
            invoking.message_type,
            Some(MessageType::ScheduledNotification)
        );
        assert_eq!(invoking.aws_account_id.as_deref(), Some("123456789012"));
        assert_eq!(invoking.configuration_item, None);
    }

    #[test]
    fn unknown_message_type_is_kept() {
        let invoking: ConfigInvokingEvent =
            serde_json::from_str(r#"{"messageType":"SomethingNew"}"#).unwrap();
        assert_eq!(
            invoking.message_type,
            Some(MessageType::Other("SomethingNew".into()))
        );
        assert_eq!(
            serde_json::to_string(&invoking).unwrap(),
            r#"{"messageType":"SomethingNew"}"#
        );
    }

    #[test]
    fn malformed_invoking_event_is_an_error_not_a_panic() {
        let event = ConfigEvent {
            invoking_event: "{not json".into(),
            rule_parameters: Some("[]".into()),
            ..Default::default()
        };
        assert!(event.invoking_event().is_err());
        assert!(event.rule_parameters::<HashMap<String, String>>().is_err());
    }

    #[test]
    fn absent_rule_parameters_parse_as_an_empty_object() {
        let event = ConfigEvent::default();
        let params: HashMap<String, String> = event.rule_parameters().unwrap();
        assert!(params.is_empty());
    }
}
