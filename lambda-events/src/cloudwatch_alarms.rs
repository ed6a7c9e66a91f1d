//! CloudWatch alarm state changes delivered by an alarm's Lambda action (feature
//! `cloudwatch-alarms`).
//!
//! A metric alarm or a composite alarm with a Lambda action invokes the function
//! asynchronously with a [`CloudWatchAlarmEvent`] on each state change. The configuration
//! differs between the two kinds: [`CloudWatchAlarmConfiguration::metrics`] is set for metric
//! alarms, [`CloudWatchAlarmConfiguration::alarm_rule`] for composite alarms.
//!
//! (Alarms that notify an SNS topic arrive as an SNS event instead: see
//! `sns::SnsCloudWatchAlarmEvent`, feature `sns`.)

use lambda_events_derive::event;
use std::collections::HashMap;

/// An alarm state change.
///
/// ```
/// use lambda_events::cloudwatch_alarms::CloudWatchAlarmEvent;
///
/// let json = r#"{"source":"aws.cloudwatch",
///     "alarmArn":"arn:aws:cloudwatch:us-east-1:444455556666:alarm:high-cpu",
///     "accountId":"444455556666","time":"2023-08-04T12:36:15.490+0000","region":"us-east-1",
///     "alarmData":{"alarmName":"high-cpu",
///         "state":{"value":"ALARM","reason":"test","timestamp":"2023-08-04T12:36:15.490+0000"},
///         "configuration":{"metrics":[]}}}"#;
/// let event: CloudWatchAlarmEvent = serde_json::from_str(json)?;
/// assert_eq!(event.alarm_data.state.value, "ALARM");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmEvent {
    /// `aws.cloudwatch`.
    pub source: String,
    /// ARN of the alarm.
    pub alarm_arn: String,
    /// Account of the alarm.
    pub account_id: String,
    /// When the state changed, such as `2023-08-04T12:36:15.490+0000` (note the offset
    /// without a colon: not RFC 3339).
    pub time: String,
    /// Region of the alarm.
    pub region: String,
    /// The alarm, its new and previous state and its configuration.
    pub alarm_data: CloudWatchAlarmData,
}

/// The alarm of a state change.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmData {
    /// Alarm name.
    pub alarm_name: String,
    /// The new state.
    pub state: CloudWatchAlarmState,
    /// The state before the change.
    pub previous_state: Option<CloudWatchAlarmState>,
    /// The alarm configuration.
    pub configuration: CloudWatchAlarmConfiguration,
}

/// A state of an alarm.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmState {
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub value: String,
    /// Why the alarm is in this state, in words.
    pub reason: Option<String>,
    /// Why the alarm is in this state, as JSON text: see
    /// [`CloudWatchAlarmState::decode_reason_data`].
    pub reason_data: Option<String>,
    /// When the alarm entered this state.
    pub timestamp: String,
    /// What suppressed the actions of a composite alarm: `Alarm`, `ExtensionPeriod` or
    /// `WaitPeriod`.
    pub actions_suppressed_by: Option<String>,
    /// Why the actions were suppressed, in words.
    pub actions_suppressed_reason: Option<String>,
}

impl CloudWatchAlarmState {
    /// Decodes `reasonData`; `None` when the state has none.
    pub fn decode_reason_data(
        &self,
    ) -> Option<Result<CloudWatchAlarmReasonData, serde_json::Error>> {
        self.reason_data.as_deref().map(serde_json::from_str)
    }
}

/// The decoded `reasonData` of a state: the evaluated data points of a metric alarm, or the
/// child alarms that triggered a composite alarm.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmReasonData {
    /// Format version, `1.0` (metric alarms).
    pub version: Option<String>,
    /// When the metric was queried.
    pub query_date: Option<String>,
    /// Start of the evaluated range.
    pub start_date: Option<String>,
    /// Statistic, such as `Average`.
    pub statistic: Option<String>,
    /// Period in seconds.
    pub period: Option<u64>,
    /// Most recent data point values.
    pub recent_datapoints: Option<Vec<f64>>,
    /// Threshold of the alarm.
    pub threshold: Option<f64>,
    /// The data points evaluated.
    pub evaluated_datapoints: Option<Vec<CloudWatchEvaluatedDatapoint>>,
    /// The child alarms that triggered a composite alarm.
    pub triggering_alarms: Option<Vec<CloudWatchTriggeringAlarm>>,
}

/// A data point evaluated by a metric alarm.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchEvaluatedDatapoint {
    /// Time of the data point.
    pub timestamp: String,
    /// Number of samples.
    pub sample_count: Option<f64>,
    /// Value (absent when the data point is missing).
    pub value: Option<f64>,
    /// Threshold the value was compared with.
    pub threshold: Option<f64>,
}

/// A child alarm that triggered a composite alarm.
#[event(keep_nulls)]
pub struct CloudWatchTriggeringAlarm {
    /// ARN of the child alarm.
    pub arn: String,
    /// State of the child alarm.
    pub state: Option<CloudWatchTriggeringAlarmState>,
}

/// State of a child alarm.
#[event(keep_nulls)]
pub struct CloudWatchTriggeringAlarmState {
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub value: String,
    /// When the child alarm entered the state.
    pub timestamp: Option<String>,
}

/// The configuration of an alarm (metric or composite).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmConfiguration {
    /// Description of the alarm.
    pub description: Option<String>,
    /// Metrics and expressions of a metric alarm.
    pub metrics: Option<Vec<CloudWatchMetricDataQuery>>,
    /// Rule of a composite alarm, such as `ALARM(a) OR ALARM(b)`.
    pub alarm_rule: Option<String>,
    /// Alarm whose `ALARM` state suppresses this composite alarm's actions.
    pub actions_suppressor: Option<String>,
    /// Seconds the suppressor may take to go into `ALARM`.
    pub actions_suppressor_wait_period: Option<u64>,
    /// Seconds actions stay suppressed after the suppressor leaves `ALARM`.
    pub actions_suppressor_extension_period: Option<u64>,
}

/// A metric or metric-math expression watched by a metric alarm.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchMetricDataQuery {
    /// ID of the query.
    pub id: String,
    /// The metric and statistic (for a metric).
    pub metric_stat: Option<CloudWatchMetricStat>,
    /// Metric math expression (for an expression).
    pub expression: Option<String>,
    /// Label of the query.
    pub label: Option<String>,
    /// Whether the alarm uses this query's result.
    pub return_data: Option<bool>,
}

/// A metric with its statistic and period.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchMetricStat {
    /// The metric.
    pub metric: CloudWatchMetric,
    /// Period in seconds.
    pub period: u64,
    /// Statistic, such as `Average` or `p99`.
    pub stat: String,
    /// Unit, when set.
    pub unit: Option<String>,
}

/// A metric.
#[event(keep_nulls)]
pub struct CloudWatchMetric {
    /// Namespace, such as `AWS/Lambda`.
    pub namespace: String,
    /// Metric name.
    pub name: String,
    /// Dimensions, by name.
    pub dimensions: Option<HashMap<String, String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn metric_alarm_round_trips() {
        let event: CloudWatchAlarmEvent = round_trip(&fixture("cloudwatch_alarms/metric.json"));
        assert_eq!(event.alarm_data.alarm_name, "lambda-demo-metric-alarm");
        assert_eq!(event.alarm_data.state.value, "ALARM");
        let previous = event.alarm_data.previous_state.as_ref().unwrap();
        assert_eq!(previous.value, "INSUFFICIENT_DATA");
        let reason = previous.decode_reason_data().unwrap().unwrap();
        assert_eq!(reason.threshold, Some(5.0));
        assert_eq!(reason.evaluated_datapoints.as_ref().unwrap().len(), 5);
        let metrics = event.alarm_data.configuration.metrics.as_ref().unwrap();
        let stat = metrics[0].metric_stat.as_ref().unwrap();
        assert_eq!(stat.metric.name, "CallCount");
        assert_eq!(
            stat.metric.dimensions.as_ref().unwrap()["InstanceId"],
            "i-12345678"
        );
        assert_eq!(stat.period, 60);
    }

    #[test]
    fn composite_alarm_round_trips() {
        let event: CloudWatchAlarmEvent = round_trip(&fixture("cloudwatch_alarms/composite.json"));
        let configuration = &event.alarm_data.configuration;
        assert_eq!(
            configuration.alarm_rule.as_deref(),
            Some("ALARM(CompositeDemo.FirstChild) OR ALARM(CompositeDemo.SecondChild)")
        );
        assert_eq!(configuration.actions_suppressor_wait_period, Some(120));
        assert!(configuration.metrics.is_none());
        let reason = event
            .alarm_data
            .state
            .decode_reason_data()
            .unwrap()
            .unwrap();
        let triggering = reason.triggering_alarms.as_ref().unwrap();
        assert_eq!(
            triggering[0].arn,
            "arn:aws:cloudwatch:us-east-1:111122223333:alarm:CompositeDemo.FirstChild"
        );
        let previous = event.alarm_data.previous_state.as_ref().unwrap();
        assert_eq!(
            previous.actions_suppressed_by.as_deref(),
            Some("WaitPeriod")
        );
    }

    #[test]
    fn string_for_period_is_an_error_with_its_path() {
        let json = fixture("cloudwatch_alarms/metric.json")
            .replace("\"period\": 60,", "\"period\": \"60\",");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, CloudWatchAlarmEvent>(de).unwrap_err();
        assert_eq!(
            err.path().to_string(),
            "alarmData.configuration.metrics[0].metricStat.period"
        );
    }
}
