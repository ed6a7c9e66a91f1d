//! Kinesis Data Streams records, batch failures and tumbling windows (feature `kinesis`).
//!
//! Lambda reads a stream's shards and calls the function with a [`KinesisEvent`]. Record data
//! is decoded from base64 into bytes ([`Base64Data`]); arrival times keep the form Kinesis
//! sent ([`EpochSeconds`]). With `ReportBatchItemFailures` on, return a
//! [`StreamsEventResponse`] naming the first record that failed; with a tumbling window, the
//! event is a [`KinesisTimeWindowEvent`] and the response a [`TimeWindowEventResponse`].

pub use crate::time_window::{
    BatchItemFailure, StreamsEventResponse, TimeWindow, TimeWindowEvent, TimeWindowEventResponse,
    TimeWindowState,
};

use crate::encodings::{Base64Data, EpochSeconds};
use lambda_events_derive::event;

/// A batch of Kinesis records from one shard.
///
/// ```
/// use lambda_events::kinesis::{KinesisEvent, StreamsEventResponse};
///
/// let json = r#"{"Records":[{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"1",
///     "sequenceNumber":"49590338271490256608559692538361571095921575989136588898",
///     "data":"SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==","approximateArrivalTimestamp":1545084650.987},
///     "eventSource":"aws:kinesis","eventVersion":"1.0","eventName":"aws:kinesis:record",
///     "eventID":"shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
///     "awsRegion":"us-east-2",
///     "eventSourceARN":"arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"}]}"#;
/// let event: KinesisEvent = serde_json::from_str(json)?;
/// let mut response = StreamsEventResponse::default();
/// for record in &event.records {
///     if std::str::from_utf8(&record.kinesis.data).is_err() {
///         response = StreamsEventResponse::failed_from(&record.kinesis.sequence_number);
///         break;
///     }
/// }
/// assert!(response.batch_item_failures.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
pub struct KinesisEvent {
    /// The records.
    #[serde(rename = "Records")]
    pub records: Vec<KinesisEventRecord>,
}

/// A batch of Kinesis records of a tumbling window.
pub type KinesisTimeWindowEvent = TimeWindowEvent<KinesisEventRecord>;

/// One record with its event metadata.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisEventRecord {
    /// The record.
    pub kinesis: KinesisRecord,
    /// `aws:kinesis`.
    pub event_source: Option<String>,
    /// Version of the event format, `1.0`.
    pub event_version: Option<String>,
    /// `<shard ID>:<sequence number>`.
    #[serde(rename = "eventID")]
    pub event_id: Option<String>,
    /// `aws:kinesis:record`.
    pub event_name: Option<String>,
    /// ARN of the role Lambda used to read the stream.
    pub invoke_identity_arn: Option<String>,
    /// Region of the stream.
    pub aws_region: Option<String>,
    /// ARN of the stream (or of the consumer, with enhanced fan-out).
    #[serde(rename = "eventSourceARN")]
    pub event_source_arn: Option<String>,
}

/// A Kinesis data record.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisRecord {
    /// Version of the record format, `1.0`.
    pub kinesis_schema_version: Option<String>,
    /// Partition key the producer gave.
    pub partition_key: String,
    /// Sequence number within the shard: the `itemIdentifier` to report when it fails.
    pub sequence_number: String,
    /// The data blob (base64 on the wire).
    pub data: Base64Data,
    /// When the record reached the stream, in seconds since the Unix epoch (with
    /// milliseconds as a fraction).
    pub approximate_arrival_timestamp: EpochSeconds,
    /// `KMS` when the stream encrypts records at rest (Lambda hands over decrypted data).
    pub encryption_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn records_round_trip() {
        let event: KinesisEvent = round_trip(&fixture("kinesis/records.json"));
        assert_eq!(event.records.len(), 2);
        let record = &event.records[0];
        assert_eq!(record.kinesis.data.0, b"Hello, this is a test.");
        assert_eq!(record.kinesis.partition_key, "1");
        assert_eq!(
            record.kinesis.sequence_number,
            "49590338271490256608559692538361571095921575989136588898"
        );
        let arrival = &record.kinesis.approximate_arrival_timestamp;
        assert_eq!(arrival.as_f64(), 1545084650.987);
        let since_epoch = arrival
            .to_system_time()
            .unwrap()
            .duration_since(UNIX_EPOCH)
            .unwrap();
        // Within a microsecond: 1545084650.987 has no exact binary representation.
        assert!(
            since_epoch.abs_diff(Duration::from_millis(1545084650987)) < Duration::from_micros(1)
        );
        assert_eq!(event.records[1].kinesis.data.0, b"This is only a test.");
        assert_eq!(
            record.event_source_arn.as_deref(),
            Some("arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream")
        );
    }

    #[test]
    fn encrypted_record_round_trips() {
        let event: KinesisEvent = round_trip(&fixture("kinesis/encrypted.json"));
        assert_eq!(
            event.records[0].kinesis.encryption_type.as_deref(),
            Some("KMS")
        );
        assert_eq!(event.records[0].kinesis.data.0, b"{\"temperature\":21}");
    }

    #[test]
    fn time_window_event_round_trips() {
        let event: KinesisTimeWindowEvent = round_trip(&fixture("kinesis/time-window.json"));
        assert_eq!(event.window.end.0, "2020-12-09T07:06:00Z");
        assert_eq!(event.state.as_ref().unwrap()["1"], 282);
        assert_eq!(event.shard_id, "shardId-000000000006");
        assert_eq!(event.records[0].kinesis.data.0, b"Hello, this is a test.");
    }

    #[test]
    fn window_response_carries_state_and_failures() {
        let mut response = TimeWindowEventResponse::default();
        response.state.insert("1".into(), 283.into());
        response
            .batch_item_failures
            .push(BatchItemFailure::new("4959"));
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({"state": {"1": 283}, "batchItemFailures": [{"itemIdentifier": "4959"}]})
        );
    }

    #[test]
    fn bad_base64_data_is_an_error_with_its_path() {
        let json = fixture("kinesis/records.json").replace(
            "\"data\": \"VGhpcyBpcyBvbmx5IGEgdGVzdC4=\"",
            "\"data\": \"not base64!\"",
        );
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, KinesisEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "Records[1].kinesis.data");
    }

    #[test]
    fn number_for_partition_key_is_an_error_with_its_path() {
        let json = fixture("kinesis/records.json").replacen(
            "\"partitionKey\": \"1\"",
            "\"partitionKey\": 1",
            1,
        );
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, KinesisEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "Records[0].kinesis.partitionKey");
    }
}
