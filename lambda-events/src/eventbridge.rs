//! Amazon EventBridge (CloudWatch Events) events, scheduled events and typed details of common
//! AWS sources (feature `eventbridge`).
//!
//! Every EventBridge event has the same envelope, [`EventBridgeEvent<T>`], around a `detail`
//! whose shape depends on `source` and `detail-type`. `T` defaults to [`serde_json::Value`];
//! name a type to decode it, either one of this module's ([`Ec2InstanceStateChange`],
//! [`S3ObjectEventDetail`], [`EcsTaskStateChange`], [`CodePipelineStateChange`]) or your own for
//! custom events. A function that receives several kinds can keep `Value` and call
//! [`EventBridgeEvent::decode_detail`] after looking at `source` and `detail_type`.

use crate::encodings::Rfc3339Timestamp;
use lambda_events_derive::event;
use serde::de::DeserializeOwned;

/// An EventBridge event.
///
/// ```
/// use lambda_events::eventbridge::{Ec2InstanceStateChange, EventBridgeEvent};
///
/// let json = r#"{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602",
///     "detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",
///     "account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1",
///     "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
///     "detail":{"instance-id":"i-abcd1111","state":"pending"}}"#;
///
/// let event: EventBridgeEvent<Ec2InstanceStateChange> = serde_json::from_str(json)?;
/// assert_eq!(event.detail.instance_id, "i-abcd1111");
///
/// // Or decode the detail later, once the source is known.
/// let event: EventBridgeEvent = serde_json::from_str(json)?;
/// if event.source == "aws.ec2" {
///     let detail: Ec2InstanceStateChange = event.decode_detail()?;
///     assert_eq!(detail.state, "pending");
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event(keep_nulls)]
pub struct EventBridgeEvent<T = serde_json::Value> {
    /// Version of the envelope, `0`.
    pub version: Option<String>,
    /// Unique ID of the event.
    pub id: Option<String>,
    /// What kind of event this is, such as `Object Created`. Absent in some scheduled and
    /// cross-account events, so it is optional.
    #[serde(rename = "detail-type")]
    pub detail_type: Option<String>,
    /// Who sent the event: `aws.<service>` for AWS services, anything for custom events.
    pub source: String,
    /// Account the event came from.
    pub account: Option<String>,
    /// When the event occurred (ISO 8601, whole seconds).
    pub time: Option<Rfc3339Timestamp>,
    /// Region the event came from.
    pub region: Option<String>,
    /// ARNs of the resources involved.
    pub resources: Option<Vec<String>>,
    /// The event itself; its shape depends on `source` and `detail-type`.
    pub detail: T,
    /// Name of the archive replay, on replayed events.
    #[serde(rename = "replay-name")]
    pub replay_name: Option<String>,
}

impl EventBridgeEvent<serde_json::Value> {
    /// Decodes the untyped `detail` into `D`.
    pub fn decode_detail<D: DeserializeOwned>(&self) -> Result<D, serde_json::Error> {
        D::deserialize(&self.detail)
    }
}

/// The EventBridge envelope under its older name.
pub type CloudWatchEvent<T = serde_json::Value> = EventBridgeEvent<T>;

/// The event of a scheduled rule (`detail-type` `Scheduled Event`, `source` `aws.events`,
/// `detail` `{}`); `resources` holds the rule's ARN.
pub type ScheduledEvent = EventBridgeEvent<serde_json::Map<String, serde_json::Value>>;

/// `EC2 Instance State-change Notification` from `aws.ec2`.
pub type Ec2InstanceStateChangeEvent = EventBridgeEvent<Ec2InstanceStateChange>;

/// `Object Created`, `Object Deleted`, `Object Restore Completed`, ... from `aws.s3` (for
/// buckets with EventBridge notifications on).
pub type S3ObjectEvent = EventBridgeEvent<S3ObjectEventDetail>;

/// `ECS Task State Change` from `aws.ecs`.
pub type EcsTaskStateChangeEvent = EventBridgeEvent<EcsTaskStateChange>;

/// `CodePipeline Pipeline Execution State Change`, `... Stage Execution State Change` and
/// `... Action Execution State Change` from `aws.codepipeline`.
pub type CodePipelineStateChangeEvent = EventBridgeEvent<CodePipelineStateChange>;

/// Detail of `EC2 Instance State-change Notification`.
#[event]
pub struct Ec2InstanceStateChange {
    /// Instance ID.
    #[serde(rename = "instance-id")]
    pub instance_id: String,
    /// New state: `pending`, `running`, `stopping`, `stopped`, `shutting-down` or
    /// `terminated`.
    pub state: String,
}

/// Detail of the S3 object events (`Object Created`, `Object Deleted`, `Object Restore
/// Initiated`, `Object Restore Completed`, `Object Tags Added`, ...).
#[event(keep_nulls)]
pub struct S3ObjectEventDetail {
    /// Version of the detail, `0`.
    pub version: Option<String>,
    /// The bucket.
    pub bucket: S3EventBridgeBucket,
    /// The object.
    pub object: S3EventBridgeObject,
    /// S3 request ID.
    #[serde(rename = "request-id")]
    pub request_id: Option<String>,
    /// Account or AWS service principal that made the request.
    pub requester: Option<String>,
    /// IP address the request came from.
    #[serde(rename = "source-ip-address")]
    pub source_ip_address: Option<String>,
    /// The API call, such as `PutObject`, `CopyObject` or `DeleteObject`.
    pub reason: Option<String>,
    /// On `Object Deleted`: `Permanently Deleted` or `Delete Marker Created`.
    #[serde(rename = "deletion-type")]
    pub deletion_type: Option<String>,
    /// On restore events: when the restored copy expires.
    #[serde(rename = "restore-expiry-time")]
    pub restore_expiry_time: Option<Rfc3339Timestamp>,
    /// On restore and storage-class events: the storage class of the source object.
    #[serde(rename = "source-storage-class")]
    pub source_storage_class: Option<String>,
    /// On `Object Storage Class Changed`: the new storage class.
    #[serde(rename = "destination-storage-class")]
    pub destination_storage_class: Option<String>,
}

/// The bucket of an S3 EventBridge event.
#[event]
pub struct S3EventBridgeBucket {
    /// Bucket name.
    pub name: String,
}

/// The object of an S3 EventBridge event. Unlike S3 notifications, the key is not
/// URL-encoded.
#[event(keep_nulls)]
pub struct S3EventBridgeObject {
    /// Object key.
    pub key: String,
    /// Size in bytes (absent on deletes).
    pub size: Option<u64>,
    /// Entity tag (absent on deletes).
    pub etag: Option<String>,
    /// Version ID, when the bucket is versioned.
    #[serde(rename = "version-id")]
    pub version_id: Option<String>,
    /// Hexadecimal string ordering events on the same key.
    pub sequencer: Option<String>,
}

/// Detail of `ECS Task State Change`.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct EcsTaskStateChange {
    /// ARN of the task.
    pub task_arn: String,
    /// ARN of the cluster.
    pub cluster_arn: String,
    /// ARN of the task definition.
    pub task_definition_arn: Option<String>,
    /// Status the task is in: `PROVISIONING`, `PENDING`, `RUNNING`, `STOPPED`, ...
    pub last_status: String,
    /// Status the task is moving to.
    pub desired_status: Option<String>,
    /// Version of the task's state; increases with each change.
    pub version: Option<u64>,
    /// `EC2`, `FARGATE` or `EXTERNAL`.
    pub launch_type: Option<String>,
    /// Fargate platform version.
    pub platform_version: Option<String>,
    /// Availability Zone of the task.
    pub availability_zone: Option<String>,
    /// Task group, such as `family:my-task` or `service:my-service`.
    pub group: Option<String>,
    /// Who started the task.
    pub started_by: Option<String>,
    /// CPU units of the task, as a string.
    pub cpu: Option<String>,
    /// Memory of the task in MiB, as a string.
    pub memory: Option<String>,
    /// `CONNECTED` or `DISCONNECTED`.
    pub connectivity: Option<String>,
    /// ARN of the container instance (EC2 launch type).
    pub container_instance_arn: Option<String>,
    /// Why the task stopped.
    pub stopped_reason: Option<String>,
    /// Code of why the task stopped, such as `EssentialContainerExited`.
    pub stop_code: Option<String>,
    /// When the task was created.
    pub created_at: Option<Rfc3339Timestamp>,
    /// When the task connected.
    pub connectivity_at: Option<Rfc3339Timestamp>,
    /// When the image pull started.
    pub pull_started_at: Option<Rfc3339Timestamp>,
    /// When the image pull finished.
    pub pull_stopped_at: Option<Rfc3339Timestamp>,
    /// When the task started running.
    pub started_at: Option<Rfc3339Timestamp>,
    /// When the task began stopping.
    pub stopping_at: Option<Rfc3339Timestamp>,
    /// When the task stopped.
    pub stopped_at: Option<Rfc3339Timestamp>,
    /// When the task execution stopped.
    pub execution_stopped_at: Option<Rfc3339Timestamp>,
    /// When this state was recorded.
    pub updated_at: Option<Rfc3339Timestamp>,
    /// Network interfaces and other attachments.
    pub attachments: Option<Vec<EcsAttachment>>,
    /// The containers of the task.
    pub containers: Option<Vec<EcsContainer>>,
    /// Overrides given to `RunTask` (kept as JSON).
    pub overrides: Option<serde_json::Value>,
}

/// An attachment of an ECS task, such as its elastic network interface.
#[event(keep_nulls)]
pub struct EcsAttachment {
    /// Attachment ID.
    pub id: String,
    /// Attachment type, such as `eni`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Status, such as `ATTACHED`.
    pub status: Option<String>,
    /// Name-value details, such as `subnetId` and `privateIPv4Address`.
    pub details: Option<Vec<EcsKeyValue>>,
}

/// A name-value pair.
#[event]
pub struct EcsKeyValue {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// A container of an ECS task.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct EcsContainer {
    /// Container ARN.
    pub container_arn: Option<String>,
    /// Container name.
    pub name: String,
    /// Status of the container.
    pub last_status: Option<String>,
    /// Image the container runs.
    pub image: Option<String>,
    /// Digest of the image.
    pub image_digest: Option<String>,
    /// Docker runtime ID.
    pub runtime_id: Option<String>,
    /// ARN of the task.
    pub task_arn: Option<String>,
    /// Exit code, once stopped.
    pub exit_code: Option<i64>,
    /// Why the container stopped.
    pub reason: Option<String>,
    /// CPU units, as a string.
    pub cpu: Option<String>,
    /// Hard memory limit in MiB, as a string.
    pub memory: Option<String>,
    /// Network interfaces of the container.
    pub network_interfaces: Option<Vec<EcsNetworkInterface>>,
}

/// A network interface of an ECS container.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct EcsNetworkInterface {
    /// ID of the attachment that provides the interface.
    pub attachment_id: Option<String>,
    /// Private IPv4 address.
    pub private_ipv4_address: Option<String>,
    /// IPv6 address.
    pub ipv6_address: Option<String>,
}

/// Detail of the CodePipeline execution state changes, at pipeline, stage or action level
/// (`stage` and `action` tell which).
#[event(keep_nulls)]
pub struct CodePipelineStateChange {
    /// Pipeline name.
    pub pipeline: String,
    /// Pipeline execution ID.
    #[serde(rename = "execution-id")]
    pub execution_id: String,
    /// New state: `STARTED`, `SUCCEEDED`, `FAILED`, `CANCELED`, `RESUMED`, `SUPERSEDED`, ...
    pub state: String,
    /// Version of the pipeline structure (a JSON number such as `1.0`).
    pub version: Option<f64>,
    /// Stage name (stage and action events).
    pub stage: Option<String>,
    /// Action name (action events).
    pub action: Option<String>,
    /// Region of the action (action events).
    pub region: Option<String>,
    /// Type of the action (action events).
    #[serde(rename = "type")]
    pub action_type: Option<CodePipelineActionType>,
    /// What started the execution (pipeline events).
    #[serde(rename = "execution-trigger")]
    pub execution_trigger: Option<CodePipelineExecutionTrigger>,
    /// Attempt number of the execution.
    #[serde(rename = "pipeline-execution-attempt")]
    pub pipeline_execution_attempt: Option<f64>,
    /// Input artifacts of the action (kept as JSON).
    #[serde(rename = "input-artifacts")]
    pub input_artifacts: Option<serde_json::Value>,
    /// Output artifacts of the action (kept as JSON).
    #[serde(rename = "output-artifacts")]
    pub output_artifacts: Option<serde_json::Value>,
}

/// The type of a CodePipeline action.
#[event]
pub struct CodePipelineActionType {
    /// `AWS`, `ThirdParty` or `Custom`.
    pub owner: String,
    /// Provider, such as `CodeDeploy` or `S3`.
    pub provider: String,
    /// Category, such as `Source`, `Build`, `Deploy`.
    pub category: String,
    /// Version of the action type.
    pub version: String,
}

/// What started a pipeline execution.
#[event(keep_nulls)]
pub struct CodePipelineExecutionTrigger {
    /// Such as `StartPipelineExecution`, `Webhook` or `CloudWatchEvent`.
    #[serde(rename = "trigger-type")]
    pub trigger_type: Option<String>,
    /// Details, such as the ARN of the principal that started it.
    #[serde(rename = "trigger-detail")]
    pub trigger_detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn rds_event_with_untyped_detail_round_trips() {
        let event: EventBridgeEvent = round_trip(&fixture("eventbridge/rds-db-instance.json"));
        assert_eq!(event.detail_type.as_deref(), Some("RDS DB Instance Event"));
        assert_eq!(event.source, "aws.rds");
        assert_eq!(event.time.as_ref().unwrap().0, "2020-04-28T07:20:20Z");
        assert_eq!(event.detail["Message"], "Finished DB Instance backup");
    }

    #[test]
    fn scheduled_event_round_trips() {
        let event: ScheduledEvent = round_trip(&fixture("eventbridge/scheduled.json"));
        assert_eq!(event.detail_type.as_deref(), Some("Scheduled Event"));
        assert!(event.detail.is_empty());
        assert_eq!(
            event.resources.as_deref(),
            Some(&["arn:aws:events:us-east-2:123456789012:rule/my-schedule".to_owned()][..])
        );
    }

    #[test]
    fn event_without_detail_type_parses() {
        let json = fixture("eventbridge/scheduled.json")
            .replace("\"detail-type\": \"Scheduled Event\",", "");
        let event: ScheduledEvent = round_trip(&json);
        assert_eq!(event.detail_type, None);
        assert_eq!(event.source, "aws.events");
    }

    #[test]
    fn ec2_state_change_decodes() {
        let event: Ec2InstanceStateChangeEvent =
            round_trip(&fixture("eventbridge/ec2-instance-state-change.json"));
        assert_eq!(event.detail.instance_id, "i-abcd1111");
        assert_eq!(event.detail.state, "pending");
    }

    #[test]
    fn s3_object_created_decodes() {
        let event: S3ObjectEvent = round_trip(&fixture("eventbridge/s3-object-created.json"));
        assert_eq!(event.detail_type.as_deref(), Some("Object Created"));
        let detail = &event.detail;
        assert_eq!(detail.bucket.name, "amzn-s3-demo-bucket1");
        assert_eq!(detail.object.key, "example-key");
        assert_eq!(detail.object.size, Some(5));
        assert_eq!(detail.reason.as_deref(), Some("PutObject"));
    }

    #[test]
    fn s3_object_deleted_decodes() {
        let event: S3ObjectEvent = round_trip(&fixture("eventbridge/s3-object-deleted.json"));
        assert_eq!(
            event.detail.deletion_type.as_deref(),
            Some("Delete Marker Created")
        );
        assert_eq!(event.detail.object.size, None);
    }

    #[test]
    fn ecs_task_state_change_decodes() {
        let event: EcsTaskStateChangeEvent =
            round_trip(&fixture("eventbridge/ecs-task-state-change.json"));
        let task = &event.detail;
        assert_eq!(task.last_status, "RUNNING");
        assert_eq!(task.launch_type.as_deref(), Some("FARGATE"));
        assert_eq!(task.version, Some(4));
        let container = &task.containers.as_ref().unwrap()[0];
        assert_eq!(container.name, "FargateApp");
        let interfaces = container.network_interfaces.as_ref().unwrap();
        assert_eq!(
            interfaces[0].private_ipv4_address.as_deref(),
            Some("10.0.0.139")
        );
        let attachment = &task.attachments.as_ref().unwrap()[0];
        assert_eq!(attachment.details.as_ref().unwrap()[0].name, "subnetId");
    }

    #[test]
    fn codepipeline_pipeline_and_action_changes_decode() {
        let event: CodePipelineStateChangeEvent =
            round_trip(&fixture("eventbridge/codepipeline-pipeline-execution.json"));
        assert_eq!(event.detail.pipeline, "myPipeline");
        assert_eq!(event.detail.state, "STARTED");
        assert_eq!(event.detail.stage, None);
        assert_eq!(
            event
                .detail
                .execution_trigger
                .as_ref()
                .unwrap()
                .trigger_type
                .as_deref(),
            Some("StartPipelineExecution")
        );

        let event: CodePipelineStateChangeEvent =
            round_trip(&fixture("eventbridge/codepipeline-action-execution.json"));
        assert_eq!(event.detail.action.as_deref(), Some("myAction"));
        assert_eq!(
            event.detail.action_type.as_ref().unwrap().provider,
            "CodeDeploy"
        );
    }

    #[test]
    fn custom_detail_decodes_into_a_user_type() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct OrderPlaced {
            #[serde(rename = "orderId")]
            order_id: String,
            total: f64,
        }
        let event: EventBridgeEvent<OrderPlaced> = round_trip(&fixture("eventbridge/custom.json"));
        assert_eq!(event.detail.order_id, "o-1001");
        assert_eq!(event.detail.total, 42.5);

        let untyped: EventBridgeEvent =
            serde_json::from_str(&fixture("eventbridge/custom.json")).unwrap();
        assert_eq!(
            untyped.decode_detail::<OrderPlaced>().unwrap(),
            event.detail
        );
    }

    #[test]
    fn detail_that_does_not_fit_is_an_error_with_its_path() {
        let json = fixture("eventbridge/ec2-instance-state-change.json")
            .replace("\"state\": \"pending\"", "\"state\": 16");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err =
            serde_path_to_error::deserialize::<_, Ec2InstanceStateChangeEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "detail.state");
    }
}
