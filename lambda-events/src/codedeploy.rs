//! AWS CodeDeploy lifecycle hook events, and the deployment and instance state-change events.
//!
//! - A Lambda or ECS deployment calls a validation hook (`BeforeAllowTraffic`,
//!   `AfterAllowTraffic`, ...) with a [`CodeDeployLifecycleEvent`]. The function reports the
//!   result itself with `PutLifecycleEventHookExecutionStatus`, passing both IDs.
//! - CodeDeploy sends `CodeDeploy Deployment State-change Notification` and `CodeDeploy Instance
//!   State-change Notification` events to EventBridge. Their details are
//!   [`CodeDeployDeploymentDetail`] and [`CodeDeployInstanceDetail`]; with the `eventbridge`
//!   feature, `CodeDeployDeploymentEvent` and `CodeDeployInstanceEvent` name the whole
//!   events.
//!
//! ```
//! use lambda_events::codedeploy::CodeDeployLifecycleEvent;
//!
//! fn status_call(event: &CodeDeployLifecycleEvent) -> (&str, &str, &str) {
//!     // Arguments of PutLifecycleEventHookExecutionStatus.
//!     (&event.deployment_id, &event.lifecycle_event_hook_execution_id, "Succeeded")
//! }
//! # let event: CodeDeployLifecycleEvent = serde_json::from_str(
//! #     r#"{"DeploymentId":"d-1","LifecycleEventHookExecutionId":"e"}"#).unwrap();
//! # assert_eq!(status_call(&event).0, "d-1");
//! ```

use lambda_events_derive::event;

/// The event a CodeDeploy lifecycle hook function receives.
#[event]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeployLifecycleEvent {
    /// The deployment ID, such as `d-ABCD1234`.
    pub deployment_id: String,
    /// The ID of this hook execution, to pass back with the status.
    pub lifecycle_event_hook_execution_id: String,
}

/// The state of a deployment or an instance in a state-change event.
#[event]
#[derive(Eq, Hash)]
pub enum CodeDeployState {
    /// The deployment or instance deployment started.
    #[serde(rename = "START")]
    Start,
    /// It succeeded.
    #[serde(rename = "SUCCESS")]
    Success,
    /// It failed.
    #[serde(rename = "FAILURE")]
    Failure,
    /// It was stopped.
    #[serde(rename = "STOP")]
    Stop,
    /// A blue/green deployment is ready to reroute traffic.
    #[serde(rename = "READY")]
    Ready,
    /// A state this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// The `detail` of a `CodeDeploy Deployment State-change Notification`.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct CodeDeployDeploymentDetail {
    /// The application.
    pub application: String,
    /// The deployment ID.
    pub deployment_id: String,
    /// The deployment group.
    pub deployment_group: String,
    /// The ID of the instance group of the deployment.
    pub instance_group_id: Option<String>,
    /// The Region of the deployment.
    pub region: Option<String>,
    /// The new state.
    pub state: CodeDeployState,
    /// More about a failure, as CodeDeploy writes it (a JSON document in a string).
    pub additional_information: Option<String>,
}

/// The `detail` of a `CodeDeploy Instance State-change Notification`.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct CodeDeployInstanceDetail {
    /// The instance ID.
    pub instance_id: String,
    /// The application.
    pub application: String,
    /// The deployment ID.
    pub deployment_id: String,
    /// The deployment group.
    pub deployment_group: String,
    /// The ID of the instance group of the deployment.
    pub instance_group_id: Option<String>,
    /// The Region of the deployment.
    pub region: Option<String>,
    /// The new state of the deployment on this instance.
    pub state: CodeDeployState,
}

/// A `CodeDeploy Deployment State-change Notification` event (feature `eventbridge`).
#[cfg(feature = "eventbridge")]
pub type CodeDeployDeploymentEvent =
    crate::eventbridge::EventBridgeEvent<CodeDeployDeploymentDetail>;

/// A `CodeDeploy Instance State-change Notification` event (feature `eventbridge`).
#[cfg(feature = "eventbridge")]
pub type CodeDeployInstanceEvent = crate::eventbridge::EventBridgeEvent<CodeDeployInstanceDetail>;

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
    fn lifecycle_hook_fixture_round_trips() {
        let event: CodeDeployLifecycleEvent =
            round_trip(&fixture("codedeploy/lifecycle_hook.json"));
        assert_eq!(event.deployment_id, "d-ABCDEF123");
        assert!(event
            .lifecycle_event_hook_execution_id
            .starts_with("eyJlbmNyeXB0ZWREYXRh"));
    }

    #[test]
    fn deployment_detail_round_trips() {
        let detail: CodeDeployDeploymentDetail =
            round_trip(&detail_of("codedeploy/deployment_state_change.json"));
        assert_eq!(detail.state, CodeDeployState::Success);
        assert_eq!(detail.deployment_id, "d-123456789");
        assert_eq!(detail.deployment_group, "myDeploymentGroup");
    }

    #[test]
    fn instance_detail_round_trips() {
        let detail: CodeDeployInstanceDetail =
            round_trip(&detail_of("codedeploy/instance_state_change.json"));
        assert_eq!(detail.instance_id, "i-0000000aaaaaaaaaa");
        assert_eq!(detail.state, CodeDeployState::Success);
    }

    #[test]
    fn failure_detail_keeps_additional_information() {
        let detail: CodeDeployDeploymentDetail =
            round_trip(&detail_of("codedeploy/deployment_failure.json"));
        assert_eq!(detail.state, CodeDeployState::Failure);
        let info: serde_json::Value =
            serde_json::from_str(detail.additional_information.as_deref().unwrap()).unwrap();
        assert_eq!(info["deploymentOverview"]["Failed"], 1);
    }

    #[cfg(feature = "eventbridge")]
    #[test]
    fn deployment_event_fixture_round_trips() {
        let event: CodeDeployDeploymentEvent =
            round_trip(&fixture("codedeploy/deployment_state_change.json"));
        assert_eq!(event.source, "aws.codedeploy");
        assert_eq!(
            event.detail_type.as_deref(),
            Some("CodeDeploy Deployment State-change Notification")
        );
        assert_eq!(event.detail.application, "myApplication");
    }

    #[cfg(feature = "eventbridge")]
    #[test]
    fn instance_event_fixture_round_trips() {
        let event: CodeDeployInstanceEvent =
            round_trip(&fixture("codedeploy/instance_state_change.json"));
        assert_eq!(event.resources.as_ref().unwrap().len(), 3);
        assert_eq!(event.detail.deployment_id, "d-123456789");
    }
}
