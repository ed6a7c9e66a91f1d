//! Amazon SNS notifications (feature `sns`).
//!
//! SNS invokes a subscribed function asynchronously with an [`SnsEvent`]. The `Message` is a
//! `String` by default; `SnsEvent<Json<T>>` decodes it as JSON into `T` (see [`Json`]).
//!
//! Also here: [`SnsNotification`], the JSON an SNS topic puts in the body of an SQS message
//! (without raw message delivery), and [`CloudWatchAlarmNotification`], the `Message` of a
//! CloudWatch alarm that notifies a topic ([`SnsCloudWatchAlarmEvent`]).

pub use crate::json_body::Json;

use crate::encodings::Rfc3339Timestamp;
use lambda_events_derive::event;
use std::collections::HashMap;

/// The notifications SNS delivers to a function (one per invocation in practice).
///
/// ```
/// use lambda_events::sns::{Json, SnsEvent};
///
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct Signup {
///     email: String,
/// }
///
/// let json = r#"{"Records":[{"EventVersion":"1.0","EventSource":"aws:sns",
///     "EventSubscriptionArn":"arn:aws:sns:us-east-2:123456789012:signups:21be56ed",
///     "Sns":{"Type":"Notification","MessageId":"95df01b4","TopicArn":"arn:aws:sns:us-east-2:123456789012:signups",
///            "Message":"{\"email\":\"jane@example.com\"}","Timestamp":"2019-01-02T12:45:07.000Z"}}]}"#;
/// let event: SnsEvent<Json<Signup>> = serde_json::from_str(json)?;
/// assert_eq!(event.records[0].sns.message.email, "jane@example.com");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
pub struct SnsEvent<M = String> {
    /// The notifications.
    #[serde(rename = "Records")]
    pub records: Vec<SnsRecord<M>>,
}

/// One notification, as delivered to a function.
#[event(keep_nulls)]
pub struct SnsRecord<M = String> {
    /// Version of the record format, `1.0`.
    #[serde(rename = "EventVersion")]
    pub event_version: Option<String>,
    /// ARN of the subscription that delivered the notification.
    #[serde(rename = "EventSubscriptionArn")]
    pub event_subscription_arn: Option<String>,
    /// Always `aws:sns`.
    #[serde(rename = "EventSource")]
    pub event_source: Option<String>,
    /// The notification.
    #[serde(rename = "Sns")]
    pub sns: SnsMessage<M>,
}

/// An SNS notification as delivered to a function.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct SnsMessage<M = String> {
    /// `Notification`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Unique ID of the published message.
    pub message_id: String,
    /// ARN of the topic.
    pub topic_arn: String,
    /// Subject given to `Publish`, when there was one.
    pub subject: Option<String>,
    /// The message: a `String`, or `Json<T>` to decode it as JSON.
    pub message: M,
    /// When the message was published (ISO 8601).
    pub timestamp: Rfc3339Timestamp,
    /// Version of the signature scheme: `1` (SHA1) or `2` (SHA256).
    pub signature_version: Option<String>,
    /// Base64 signature of the notification.
    pub signature: Option<String>,
    /// URL of the certificate that signed the notification, spelled `SigningCertUrl` (as
    /// Lambda sends it). See [`SnsMessage::certificate_url`] for either spelling.
    pub signing_cert_url: Option<String>,
    /// The same URL spelled `SigningCertURL`, as some senders and samples write it; kept
    /// apart so that it is written back as it came.
    #[serde(rename = "SigningCertURL")]
    pub signing_cert_url_upper: Option<String>,
    /// URL that unsubscribes the endpoint from the topic (`UnsubscribeUrl`).
    pub unsubscribe_url: Option<String>,
    /// The same URL spelled `UnsubscribeURL`.
    #[serde(rename = "UnsubscribeURL")]
    pub unsubscribe_url_upper: Option<String>,
    /// Attributes the publisher set on the message.
    #[serde(default)]
    pub message_attributes: HashMap<String, SnsMessageAttribute>,
}

impl<M> SnsMessage<M> {
    /// The URL of the signing certificate, in whichever spelling it came.
    pub fn certificate_url(&self) -> Option<&str> {
        self.signing_cert_url
            .as_deref()
            .or(self.signing_cert_url_upper.as_deref())
    }

    /// The unsubscribe URL, in whichever spelling it came.
    pub fn unsubscribe_link(&self) -> Option<&str> {
        self.unsubscribe_url
            .as_deref()
            .or(self.unsubscribe_url_upper.as_deref())
    }
}

/// A message attribute set by the publisher.
#[event]
#[serde(rename_all = "PascalCase")]
pub struct SnsMessageAttribute {
    /// `String`, `String.Array`, `Number` or `Binary` (optionally with a custom suffix).
    #[serde(rename = "Type")]
    pub kind: String,
    /// The value as text (base64 for `Binary`, a JSON array for `String.Array`).
    pub value: String,
}

/// The JSON an SNS topic writes into the body of an SQS message (when raw message delivery is
/// off), or POSTs to an HTTP endpoint. Decode an SQS body with
/// `SqsEvent<Json<SnsNotification>>`, or `SnsNotification<Json<T>>` to decode the message too.
///
/// It differs from [`SnsMessage`] in the spelling of `SigningCertURL` and `UnsubscribeURL`.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct SnsNotification<M = String> {
    /// `Notification`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Unique ID of the published message.
    pub message_id: String,
    /// ARN of the topic.
    pub topic_arn: String,
    /// Subject given to `Publish`, when there was one.
    pub subject: Option<String>,
    /// The message: a `String`, or `Json<T>` to decode it as JSON.
    pub message: M,
    /// When the message was published (ISO 8601).
    pub timestamp: Rfc3339Timestamp,
    /// Version of the signature scheme: `1` (SHA1) or `2` (SHA256).
    pub signature_version: Option<String>,
    /// Base64 signature of the notification.
    pub signature: Option<String>,
    /// URL of the certificate that signed the notification.
    #[serde(rename = "SigningCertURL")]
    pub signing_cert_url: Option<String>,
    /// URL that unsubscribes the endpoint from the topic.
    #[serde(rename = "UnsubscribeURL")]
    pub unsubscribe_url: Option<String>,
    /// Attributes the publisher set on the message.
    pub message_attributes: Option<HashMap<String, SnsMessageAttribute>>,
}

/// An SNS event whose messages are CloudWatch alarm state changes.
pub type SnsCloudWatchAlarmEvent = SnsEvent<Json<CloudWatchAlarmNotification>>;

/// The message a CloudWatch alarm publishes to its SNS topic when its state changes.
#[event(keep_nulls)]
pub struct CloudWatchAlarmNotification {
    /// Alarm name.
    #[serde(rename = "AlarmName")]
    pub alarm_name: String,
    /// Alarm description.
    #[serde(rename = "AlarmDescription")]
    pub alarm_description: Option<String>,
    /// Account of the alarm.
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: Option<String>,
    /// When the alarm configuration was last changed.
    #[serde(rename = "AlarmConfigurationUpdatedTimestamp")]
    pub alarm_configuration_updated_timestamp: Option<String>,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    #[serde(rename = "NewStateValue")]
    pub new_state_value: String,
    /// Why the state changed, in words.
    #[serde(rename = "NewStateReason")]
    pub new_state_reason: Option<String>,
    /// When the state changed, such as `2021-07-14T23:20:50.708+0000`.
    #[serde(rename = "StateChangeTime")]
    pub state_change_time: Option<String>,
    /// Region name in words, such as `US East (Ohio)`.
    #[serde(rename = "Region")]
    pub region: Option<String>,
    /// ARN of the alarm.
    #[serde(rename = "AlarmArn")]
    pub alarm_arn: Option<String>,
    /// State before the change.
    #[serde(rename = "OldStateValue")]
    pub old_state_value: Option<String>,
    /// Actions run on transition to `OK`.
    #[serde(rename = "OKActions")]
    pub ok_actions: Option<Vec<String>>,
    /// Actions run on transition to `ALARM`.
    #[serde(rename = "AlarmActions")]
    pub alarm_actions: Option<Vec<String>>,
    /// Actions run on transition to `INSUFFICIENT_DATA`.
    #[serde(rename = "InsufficientDataActions")]
    pub insufficient_data_actions: Option<Vec<String>>,
    /// The metric and threshold the alarm watches (absent for composite alarms).
    #[serde(rename = "Trigger")]
    pub trigger: Option<CloudWatchAlarmTrigger>,
}

/// The metric condition of a metric alarm.
#[event(keep_nulls)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchAlarmTrigger {
    /// Metric name.
    pub metric_name: Option<String>,
    /// Metric namespace, such as `AWS/Lambda`.
    pub namespace: Option<String>,
    /// `Statistic` or `ExtendedStatistic`.
    pub statistic_type: Option<String>,
    /// Statistic, such as `SUM` or `AVERAGE`.
    pub statistic: Option<String>,
    /// Percentile statistic, such as `p99`, for `ExtendedStatistic`.
    pub extended_statistic: Option<String>,
    /// Unit of the metric, when set.
    pub unit: Option<String>,
    /// Dimensions of the metric.
    pub dimensions: Option<Vec<CloudWatchAlarmDimension>>,
    /// Period in seconds.
    pub period: Option<u64>,
    /// Number of periods evaluated.
    pub evaluation_periods: Option<u64>,
    /// Number of breaching periods that trigger the alarm.
    pub datapoints_to_alarm: Option<u64>,
    /// Comparison, such as `GreaterThanOrEqualToThreshold`.
    pub comparison_operator: Option<String>,
    /// The threshold.
    pub threshold: Option<f64>,
    /// How missing data is treated, such as `missing` or `notBreaching`.
    pub treat_missing_data: Option<String>,
    /// Percentile alarms with few samples: `evaluate` or `ignore`, or empty.
    pub evaluate_low_sample_count_percentile: Option<String>,
}

/// A metric dimension (lower-case keys on the wire).
#[event]
pub struct CloudWatchAlarmDimension {
    /// Dimension name.
    pub name: String,
    /// Dimension value.
    pub value: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Signup {
        email: String,
        plan: String,
    }

    #[test]
    fn notification_round_trips() {
        let event: SnsEvent = round_trip(&fixture("sns/notification.json"));
        let record = &event.records[0];
        assert_eq!(record.event_source.as_deref(), Some("aws:sns"));
        let sns = &record.sns;
        assert_eq!(sns.message, "Hello from SNS!");
        assert_eq!(sns.subject.as_deref(), Some("TestInvoke"));
        assert_eq!(
            sns.topic_arn,
            "arn:aws:sns:us-east-2:123456789012:sns-lambda"
        );
        assert_eq!(sns.timestamp.0, "2019-01-02T12:45:07.000Z");
        assert_eq!(sns.message_attributes["Test"].kind, "String");
        assert_eq!(sns.message_attributes["Test"].value, "TestString");
        assert_eq!(sns.message_attributes["TestBinary"].kind, "Binary");
    }

    #[test]
    fn json_message_decodes_into_a_user_type() {
        let event: SnsEvent<Json<Signup>> = round_trip(&fixture("sns/json-message.json"));
        assert_eq!(
            event.records[0].sns.message.0,
            Signup {
                email: "jane@example.com".into(),
                plan: "pro".into()
            }
        );
        assert_eq!(event.records[0].sns.subject, None);
    }

    #[test]
    fn cloudwatch_alarm_message_decodes() {
        let json = fixture("sns/cloudwatch-alarm.json");
        round_trip::<SnsEvent>(&json);
        let event: SnsCloudWatchAlarmEvent = serde_json::from_str(&json).unwrap();
        // The message is written back as compact JSON with the keys in field order: same value.
        let message_value = |event: &serde_json::Value| -> serde_json::Value {
            serde_json::from_str(event["Records"][0]["Sns"]["Message"].as_str().unwrap()).unwrap()
        };
        let input: serde_json::Value = serde_json::from_str(&json).unwrap();
        let output = serde_json::to_value(&event).unwrap();
        assert_eq!(message_value(&output), message_value(&input));

        let alarm = &event.records[0].sns.message;
        assert_eq!(alarm.alarm_name, "lambda-canary-alarm");
        assert_eq!(alarm.new_state_value, "ALARM");
        assert_eq!(alarm.old_state_value.as_deref(), Some("OK"));
        let trigger = alarm.trigger.as_ref().unwrap();
        assert_eq!(trigger.metric_name.as_deref(), Some("Errors"));
        assert_eq!(trigger.threshold, Some(1.0));
        assert_eq!(
            trigger.dimensions.as_ref().unwrap()[0].value,
            "lambda-canary"
        );
    }

    #[test]
    fn notification_in_an_sqs_body_round_trips() {
        let notification: SnsNotification = round_trip(&fixture("sns/sqs-body.json"));
        assert_eq!(notification.kind, "Notification");
        assert_eq!(notification.message, "Hello from SNS!");
        assert_eq!(
            notification.signing_cert_url.as_deref(),
            Some("https://sns.us-east-2.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem")
        );
    }

    #[test]
    fn number_for_message_is_an_error_with_its_path() {
        let json = fixture("sns/notification.json")
            .replace("\"Message\": \"Hello from SNS!\"", "\"Message\": 12");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, SnsEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "Records[0].Sns.Message");
    }

    #[test]
    fn both_spellings_of_the_certificate_url_are_kept() {
        let event: SnsEvent = round_trip(&fixture("sns/signing-cert-url-caps.json"));
        let message = &event.records[0].sns;
        assert_eq!(message.signing_cert_url, None);
        assert!(message.signing_cert_url_upper.is_some());
        assert_eq!(
            message.certificate_url(),
            message.signing_cert_url_upper.as_deref()
        );
        assert!(message.unsubscribe_link().is_some());
    }
}
