//! Tumbling windows and batch responses shared by the stream sources (Kinesis, DynamoDB).
//!
//! With a tumbling window on the event source mapping, Lambda calls the function with a
//! [`TimeWindowEvent`]: the records plus the window, the state returned by the previous
//! invocation of the same window, and flags for the final invocation. The function returns a
//! [`TimeWindowEventResponse`] carrying the new state (Lambda treats a response without
//! `state` as a failure). Without windows, a function with `ReportBatchItemFailures` on returns
//! a [`StreamsEventResponse`] naming the first record that failed.

use crate::encodings::Rfc3339Timestamp;
use lambda_events_derive::event;
use std::collections::HashMap;

/// Aggregation state carried from one invocation of a window to the next (at most 1 MB per
/// shard).
pub type TimeWindowState = HashMap<String, serde_json::Value>;

/// A batch of stream records with tumbling-window properties. `R` is the record type:
/// `kinesis::KinesisEventRecord` or `dynamodb::DynamoDbEventRecord`.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct TimeWindowEvent<R> {
    /// The records of this batch.
    #[serde(rename = "Records")]
    pub records: Vec<R>,
    /// The window the records belong to.
    pub window: TimeWindow,
    /// State returned by the previous invocation of this window (absent or empty on the first).
    pub state: Option<TimeWindowState>,
    /// Shard the records came from.
    pub shard_id: String,
    /// ARN of the stream.
    #[serde(rename = "eventSourceARN")]
    pub event_source_arn: String,
    /// Whether this is the last invocation of the window: process the final state.
    pub is_final_invoke_for_window: bool,
    /// Whether the window ended early because the state grew over 1 MB.
    pub is_window_terminated_early: bool,
}

/// Bounds of a tumbling window.
#[event]
pub struct TimeWindow {
    /// Start of the window (ISO 8601).
    pub start: Rfc3339Timestamp,
    /// End of the window (ISO 8601).
    pub end: Rfc3339Timestamp,
}

/// What a function returns from a tumbling-window invocation.
#[event]
#[serde(rename_all = "camelCase")]
pub struct TimeWindowEventResponse {
    /// The aggregation state to pass to the next invocation of the window (always written:
    /// Lambda fails the invocation when it is missing).
    pub state: TimeWindowState,
    /// The records that failed (the first failed record is enough: Lambda retries from it).
    pub batch_item_failures: Vec<BatchItemFailure>,
}

/// What a function returns to report a partial batch failure of a stream (the event source
/// mapping must have `ReportBatchItemFailures` on). An empty list means success.
#[event]
#[serde(rename_all = "camelCase")]
pub struct StreamsEventResponse {
    /// The records that failed.
    pub batch_item_failures: Vec<BatchItemFailure>,
}

impl StreamsEventResponse {
    /// A response that reports the record with this sequence number as failed: Lambda
    /// checkpoints before it and retries from it.
    // `..Default::default()` fills the `other` map that feature `catch-all-fields` adds.
    #[allow(clippy::needless_update)]
    pub fn failed_from(sequence_number: impl Into<String>) -> Self {
        StreamsEventResponse {
            batch_item_failures: vec![BatchItemFailure::new(sequence_number)],
            ..Default::default()
        }
    }
}

/// A record that failed, named by its sequence number.
#[event]
#[serde(rename_all = "camelCase")]
pub struct BatchItemFailure {
    /// Sequence number of the record (`kinesis.sequenceNumber` or `dynamodb.SequenceNumber`).
    /// Lambda fails the whole batch when it is empty or not in the batch.
    pub item_identifier: String,
}

impl BatchItemFailure {
    /// The failure of the record with this sequence number.
    // `..Default::default()` fills the `other` map that feature `catch-all-fields` adds.
    #[allow(clippy::needless_update)]
    pub fn new(sequence_number: impl Into<String>) -> Self {
        BatchItemFailure {
            item_identifier: sequence_number.into(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_response_always_writes_state() {
        let response = TimeWindowEventResponse::default();
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({"state": {}, "batchItemFailures": []})
        );
    }

    #[test]
    fn window_response_round_trips_the_documented_example() {
        let json = r#"{"state": {"1": 282, "2": 715}, "batchItemFailures": []}"#;
        let response: TimeWindowEventResponse = crate::test_util::round_trip(json);
        assert_eq!(response.state["2"], 715);
    }

    #[test]
    fn streams_response_names_the_failed_sequence_number() {
        let response = StreamsEventResponse::failed_from(
            "4959033827149025608559692538361571095921575989136588898",
        );
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({"batchItemFailures": [
                {"itemIdentifier": "4959033827149025608559692538361571095921575989136588898"}
            ]})
        );
    }
}
