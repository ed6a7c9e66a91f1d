//! EC2 Auto Scaling lifecycle events.
//!
//! Auto Scaling sends its events to EventBridge (`source` `aws.autoscaling`):
//!
//! - `EC2 Instance-launch Lifecycle Action` and `EC2 Instance-terminate Lifecycle Action`, when
//!   an instance reaches a lifecycle hook: the detail is an [`AutoScalingLifecycleAction`]. The
//!   function finishes the action with `CompleteLifecycleAction` (the hook and group names, and
//!   the token or instance ID).
//! - `EC2 Instance Launch Successful`, `EC2 Instance Launch Unsuccessful`, `EC2 Instance
//!   Terminate Successful` and `EC2 Instance Terminate Unsuccessful`: the detail is an
//!   [`AutoScalingInstanceActivity`].
//!
//! With the `eventbridge` feature, `AutoScalingLifecycleEvent` and
//! `AutoScalingInstanceActivityEvent` name the whole events. Lifecycle hooks that notify
//! through SNS or SQS instead send the [`AutoScalingLifecycleAction`] itself as the message, with
//! `Service`, `Time`, `AccountId` and `RequestId` added.
//!
//! ```
//! use lambda_events::autoscaling::{AutoScalingLifecycleAction, LifecycleTransition};
//!
//! fn complete_call(action: &AutoScalingLifecycleAction) -> Option<(&str, &str, &str)> {
//!     // Arguments of CompleteLifecycleAction, for launches only.
//!     (action.lifecycle_transition == LifecycleTransition::InstanceLaunching).then(|| {
//!         (
//!             action.lifecycle_hook_name.as_str(),
//!             action.auto_scaling_group_name.as_str(),
//!             action.lifecycle_action_token.as_deref().unwrap_or_default(),
//!         )
//!     })
//! }
//! # let action: AutoScalingLifecycleAction = serde_json::from_str(r#"{"LifecycleHookName":"h",
//! #   "AutoScalingGroupName":"g","LifecycleActionToken":"t",
//! #   "LifecycleTransition":"autoscaling:EC2_INSTANCE_LAUNCHING"}"#).unwrap();
//! # assert_eq!(complete_call(&action), Some(("h", "g", "t")));
//! ```

use std::collections::HashMap;

use lambda_events_derive::event;

/// The transition a lifecycle hook pauses.
#[event]
#[derive(Eq, Hash)]
pub enum LifecycleTransition {
    /// An instance is launching.
    #[serde(rename = "autoscaling:EC2_INSTANCE_LAUNCHING")]
    InstanceLaunching,
    /// An instance is terminating.
    #[serde(rename = "autoscaling:EC2_INSTANCE_TERMINATING")]
    InstanceTerminating,
    /// The test notification sent when a hook is created (SNS and SQS targets).
    #[serde(rename = "autoscaling:TEST_NOTIFICATION")]
    TestNotification,
    /// A transition this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// A lifecycle action: the `detail` of `EC2 Instance-launch Lifecycle Action` and `EC2
/// Instance-terminate Lifecycle Action` events, or the message a hook sends to SNS or SQS.
#[event(no_default)]
#[serde(rename_all = "PascalCase")]
pub struct AutoScalingLifecycleAction {
    /// The token of this action, for `CompleteLifecycleAction`.
    pub lifecycle_action_token: Option<String>,
    /// The Auto Scaling group.
    pub auto_scaling_group_name: String,
    /// The lifecycle hook.
    pub lifecycle_hook_name: String,
    /// The instance.
    #[serde(rename = "EC2InstanceId")]
    pub ec2_instance_id: Option<String>,
    /// The transition being paused.
    pub lifecycle_transition: LifecycleTransition,
    /// The notification metadata configured on the hook.
    pub notification_metadata: Option<String>,
    /// Where the instance comes from: `EC2`, `AutoScalingGroup` or `WarmPool`.
    pub origin: Option<String>,
    /// Where the instance goes: `EC2`, `AutoScalingGroup` or `WarmPool`.
    pub destination: Option<String>,
    /// `AWS Auto Scaling` (SNS and SQS messages).
    pub service: Option<String>,
    /// When the action started (SNS and SQS messages).
    pub time: Option<String>,
    /// The account (SNS and SQS messages).
    pub account_id: Option<String>,
    /// The request ID (SNS and SQS messages).
    pub request_id: Option<String>,
}

/// A scaling activity on an instance: the `detail` of the `EC2 Instance Launch ...` and `EC2
/// Instance Terminate ...` events.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct AutoScalingInstanceActivity {
    /// The activity ID.
    pub activity_id: Option<String>,
    /// The Auto Scaling group.
    pub auto_scaling_group_name: String,
    /// The instance.
    #[serde(rename = "EC2InstanceId")]
    pub ec2_instance_id: Option<String>,
    /// The request ID.
    pub request_id: Option<String>,
    /// The status, such as `InProgress` or `Failed`.
    pub status_code: Option<String>,
    /// More about the status (the reason, for failures).
    pub status_message: Option<String>,
    /// What the activity does.
    pub description: Option<String>,
    /// Why the activity happened.
    pub cause: Option<String>,
    /// When the activity started.
    pub start_time: Option<String>,
    /// When the activity ended.
    pub end_time: Option<String>,
    /// Details such as `Availability Zone` and `Subnet ID`.
    pub details: Option<HashMap<String, String>>,
    /// Where the instance comes from: `EC2`, `AutoScalingGroup` or `WarmPool`.
    pub origin: Option<String>,
    /// Where the instance goes: `EC2`, `AutoScalingGroup` or `WarmPool`.
    pub destination: Option<String>,
}

/// An `EC2 Instance-launch Lifecycle Action` or `EC2 Instance-terminate Lifecycle Action` event
/// (feature `eventbridge`).
#[cfg(feature = "eventbridge")]
pub type AutoScalingLifecycleEvent =
    crate::eventbridge::EventBridgeEvent<AutoScalingLifecycleAction>;

/// An `EC2 Instance Launch Successful` (or `Unsuccessful`), or `EC2 Instance Terminate
/// Successful` (or `Unsuccessful`) event (feature `eventbridge`).
#[cfg(feature = "eventbridge")]
pub type AutoScalingInstanceActivityEvent =
    crate::eventbridge::EventBridgeEvent<AutoScalingInstanceActivity>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    /// The `detail` of an EventBridge fixture, as JSON text.
    fn detail_of(name: &str) -> String {
        let event: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
        event["detail"].to_string()
    }

    #[test]
    fn launch_lifecycle_action_detail_round_trips() {
        let action: AutoScalingLifecycleAction =
            round_trip(&detail_of("autoscaling/launch_lifecycle_action.json"));
        assert_eq!(
            action.lifecycle_transition,
            LifecycleTransition::InstanceLaunching
        );
        assert_eq!(action.auto_scaling_group_name, "my-asg");
        assert_eq!(action.lifecycle_hook_name, "my-lifecycle-hook");
        assert_eq!(
            action.ec2_instance_id.as_deref(),
            Some("i-1234567890abcdef0")
        );
        assert_eq!(
            action.lifecycle_action_token.as_deref(),
            Some("87654321-4321-4321-4321-210987654321")
        );
        assert_eq!(action.origin.as_deref(), Some("EC2"));
        assert_eq!(action.destination.as_deref(), Some("AutoScalingGroup"));
    }

    #[test]
    fn terminate_lifecycle_action_detail_round_trips() {
        let action: AutoScalingLifecycleAction =
            round_trip(&detail_of("autoscaling/terminate_lifecycle_action.json"));
        assert_eq!(
            action.lifecycle_transition,
            LifecycleTransition::InstanceTerminating
        );
        assert_eq!(
            action.notification_metadata.as_deref(),
            Some("{\"drain\":true}")
        );
    }

    #[test]
    fn sqs_lifecycle_message_fixture_round_trips() {
        let action: AutoScalingLifecycleAction =
            round_trip(&fixture("autoscaling/sqs_lifecycle_message.json"));
        assert_eq!(action.service.as_deref(), Some("AWS Auto Scaling"));
        assert_eq!(action.account_id.as_deref(), Some("123456789012"));
        assert_eq!(action.time.as_deref(), Some("2021-01-19T00:36:26.533Z"));
    }

    #[test]
    fn instance_launch_activity_detail_round_trips() {
        let activity: AutoScalingInstanceActivity =
            round_trip(&detail_of("autoscaling/instance_launch_successful.json"));
        assert_eq!(activity.status_code.as_deref(), Some("InProgress"));
        assert_eq!(
            activity.details.as_ref().unwrap()["Subnet ID"],
            "subnet-12345678"
        );
        assert_eq!(
            activity.ec2_instance_id.as_deref(),
            Some("i-1234567890abcdef0")
        );
    }

    #[cfg(feature = "eventbridge")]
    #[test]
    fn lifecycle_event_fixture_round_trips() {
        let event: AutoScalingLifecycleEvent =
            round_trip(&fixture("autoscaling/launch_lifecycle_action.json"));
        assert_eq!(event.source, "aws.autoscaling");
        assert_eq!(
            event.detail_type.as_deref(),
            Some("EC2 Instance-launch Lifecycle Action")
        );
        assert_eq!(event.detail.auto_scaling_group_name, "my-asg");
        let event: AutoScalingLifecycleEvent =
            round_trip(&fixture("autoscaling/terminate_lifecycle_action.json"));
        assert_eq!(
            event.detail.lifecycle_transition,
            LifecycleTransition::InstanceTerminating
        );
    }

    #[cfg(feature = "eventbridge")]
    #[test]
    fn instance_activity_event_fixture_round_trips() {
        let event: AutoScalingInstanceActivityEvent =
            round_trip(&fixture("autoscaling/instance_launch_successful.json"));
        assert_eq!(
            event.detail_type.as_deref(),
            Some("EC2 Instance Launch Successful")
        );
        assert_eq!(
            event.detail.activity_id.as_deref(),
            Some("87654321-4321-4321-4321-210987654321")
        );
    }
}
