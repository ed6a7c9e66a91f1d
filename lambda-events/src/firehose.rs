//! Amazon Data Firehose (Kinesis Data Firehose) record transformation (feature `firehose`).
//!
//! A delivery stream with data transformation calls the function with a
//! [`KinesisFirehoseEvent`] and expects a [`KinesisFirehoseResponse`] with one record per input
//! record, same `recordId`, each `Ok` (with the transformed data), `Dropped` or
//! `ProcessingFailed`. With dynamic partitioning, `metadata.partitionKeys` names the partition
//! of each record.

use crate::encodings::{Base64Data, EpochMillis, LooseString};
use lambda_events_derive::event;
use std::collections::HashMap;

/// Records to transform.
///
/// ```
/// use lambda_events::firehose::{KinesisFirehoseEvent, KinesisFirehoseResponse, KinesisFirehoseResponseRecord};
///
/// let json = r#"{"invocationId":"invoked123","deliveryStreamArn":"aws:lambda:events",
///     "region":"us-west-2","records":[{"recordId":"record1",
///     "approximateArrivalTimestamp":1510772160000,"data":"SGVsbG8gV29ybGQ="}]}"#;
/// let event: KinesisFirehoseEvent = serde_json::from_str(json)?;
/// let records = event
///     .records
///     .iter()
///     .map(|r| KinesisFirehoseResponseRecord::ok(&r.record_id, r.data.to_ascii_uppercase()))
///     .collect();
/// let response = KinesisFirehoseResponse { records, ..Default::default() };
/// assert_eq!(
///     serde_json::to_value(&response)?,
///     serde_json::json!({"records": [{"recordId": "record1", "result": "Ok", "data": "SEVMTE8gV09STEQ="}]})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseEvent {
    /// ID of this invocation.
    pub invocation_id: String,
    /// ARN of the delivery stream.
    pub delivery_stream_arn: String,
    /// ARN of the source Kinesis data stream, when the delivery stream reads one.
    pub source_kinesis_stream_arn: Option<String>,
    /// Region of the delivery stream.
    pub region: String,
    /// The records.
    pub records: Vec<KinesisFirehoseEventRecord>,
}

/// A record to transform.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseEventRecord {
    /// ID of the record: copy it into the response record.
    pub record_id: String,
    /// When Firehose received the record, in milliseconds since the Unix epoch.
    pub approximate_arrival_timestamp: EpochMillis,
    /// The data (base64 on the wire).
    pub data: Base64Data,
    /// Kinesis metadata, when the source is a Kinesis data stream.
    pub kinesis_record_metadata: Option<KinesisRecordMetadata>,
}

/// Where a record came from in the source Kinesis data stream.
#[event]
#[serde(rename_all = "camelCase")]
pub struct KinesisRecordMetadata {
    /// Shard ID.
    pub shard_id: String,
    /// Partition key.
    pub partition_key: String,
    /// When the record reached the stream: epoch milliseconds in live events, an ISO 8601
    /// string in AWS's sample event, so it is kept as JSON.
    pub approximate_arrival_timestamp: serde_json::Value,
    /// Sequence number within the shard.
    pub sequence_number: String,
    /// Position within an aggregated record (a number, or an empty string in AWS's sample),
    /// kept as JSON.
    pub subsequence_number: serde_json::Value,
}

/// The transformed records.
#[event]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseResponse {
    /// One record per input record.
    pub records: Vec<KinesisFirehoseResponseRecord>,
}

/// The outcome of one record.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseResponseRecord {
    /// The `recordId` of the input record.
    pub record_id: String,
    /// What happened to the record.
    pub result: KinesisFirehoseResult,
    /// The transformed data (base64 on the wire).
    pub data: Base64Data,
    /// Partition keys, for dynamic partitioning.
    pub metadata: Option<KinesisFirehoseResponseRecordMetadata>,
}

impl KinesisFirehoseResponseRecord {
    /// A record transformed into `data`.
    pub fn ok(record_id: &str, data: impl Into<Vec<u8>>) -> Self {
        Self::with_result(record_id, KinesisFirehoseResult::Ok, data.into())
    }

    /// A record left out of the destination on purpose.
    pub fn dropped(record_id: &str) -> Self {
        Self::with_result(record_id, KinesisFirehoseResult::Dropped, Vec::new())
    }

    /// A record that could not be transformed; Firehose writes `data` (usually the original)
    /// to the error output prefix.
    pub fn processing_failed(record_id: &str, data: impl Into<Vec<u8>>) -> Self {
        Self::with_result(
            record_id,
            KinesisFirehoseResult::ProcessingFailed,
            data.into(),
        )
    }

    /// Sets the dynamic-partitioning keys of the record.
    // `..Default::default()` fills the `other` map that feature `catch-all-fields` adds.
    #[allow(clippy::needless_update)]
    pub fn with_partition_keys(mut self, partition_keys: HashMap<String, String>) -> Self {
        self.metadata = Some(KinesisFirehoseResponseRecordMetadata {
            partition_keys,
            ..Default::default()
        });
        self
    }

    fn with_result(record_id: &str, result: KinesisFirehoseResult, data: Vec<u8>) -> Self {
        KinesisFirehoseResponseRecord {
            record_id: record_id.to_owned(),
            result,
            data: Base64Data(data),
            metadata: None,
            #[cfg(feature = "catch-all-fields")]
            other: Default::default(),
        }
    }
}

/// The outcome of a record.
#[event]
#[derive(Eq, Hash)]
pub enum KinesisFirehoseResult {
    /// Transformed: Firehose delivers `data`.
    Ok,
    /// Dropped on purpose: Firehose delivers nothing and counts it as a success.
    Dropped,
    /// Failed: Firehose writes the record to the error output.
    ProcessingFailed,
}

/// Metadata of a response record.
#[event]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseResponseRecordMetadata {
    /// Dynamic-partitioning keys, by name.
    pub partition_keys: HashMap<String, String>,
}

/// A Firehose data-transformation event whose source is an Amazon MSK cluster: records carry
/// `kafkaRecordValue` instead of `data`. Answer with a [`FirehoseMskResponse`].
///
/// ```
/// use lambda_events::firehose::FirehoseMskEvent;
///
/// let json = r#"{"invocationId": "2e9e6e47-0a18-4b6a-9bde-0e8a6dd2a3ad",
///   "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/msk-stream",
///   "sourceMSKArn": "arn:aws:kafka:us-east-1:123456789012:cluster/orders/6e1b5b8a",
///   "region": "us-east-1",
///   "records": [{"recordId": "49546986683135544286507457936321625675700192471156785154",
///     "approximateArrivalTimestamp": 1716369573887, "kafkaRecordValue": "aGVsbG8=",
///     "mskRecordMetadata": {"offset": "0", "partitionId": "1",
///       "approximateArrivalTimestamp": 1716369573887}}]}"#;
/// let event: FirehoseMskEvent = serde_json::from_str(json).unwrap();
/// assert_eq!(&*event.records[0].kafka_record_value, b"hello");
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct FirehoseMskEvent {
    /// ID of this invocation.
    pub invocation_id: String,
    /// ARN of the delivery stream.
    pub delivery_stream_arn: String,
    /// ARN of the MSK cluster the records came from.
    #[serde(rename = "sourceMSKArn")]
    pub source_msk_arn: Option<String>,
    /// Region of the delivery stream.
    pub region: Option<String>,
    /// The records to transform.
    pub records: Vec<FirehoseMskRecord>,
}

/// A record of a [`FirehoseMskEvent`].
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct FirehoseMskRecord {
    /// ID of the record, to echo in the response.
    pub record_id: String,
    /// When Firehose received the record, in milliseconds since the Unix epoch.
    pub approximate_arrival_timestamp: Option<EpochMillis>,
    /// The Kafka record's value (base64 on the wire).
    pub kafka_record_value: Base64Data,
    /// Where the record was in the topic.
    pub msk_record_metadata: Option<FirehoseMskRecordMetadata>,
}

/// The Kafka position of a [`FirehoseMskRecord`].
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct FirehoseMskRecordMetadata {
    /// Offset of the record in its partition.
    pub offset: Option<LooseString>,
    /// The partition.
    pub partition_id: Option<LooseString>,
    /// When the record was appended to the topic.
    pub approximate_arrival_timestamp: Option<EpochMillis>,
}

/// The response to a [`FirehoseMskEvent`]: one record per input record.
#[event]
pub struct FirehoseMskResponse {
    /// The transformed records.
    pub records: Vec<FirehoseMskResponseRecord>,
}

/// A transformed MSK record.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct FirehoseMskResponseRecord {
    /// The ID of the input record.
    pub record_id: String,
    /// `Ok`, `Dropped` or `ProcessingFailed`.
    pub result: KinesisFirehoseResult,
    /// The transformed value (base64 on the wire).
    pub kafka_record_value: Base64Data,
}

#[cfg(test)]
#[allow(clippy::needless_update)] // Needed when `catch-all-fields` adds `other`.
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn transformation_event_round_trips() {
        let event: KinesisFirehoseEvent = round_trip(&fixture("firehose/transformation.json"));
        assert_eq!(event.invocation_id, "invoked123");
        assert_eq!(event.region, "us-west-2");
        let record = &event.records[0];
        assert_eq!(record.record_id, "record1");
        assert_eq!(record.data.0, b"Hello World");
        assert_eq!(record.approximate_arrival_timestamp.as_i64(), 151077216000);
        let metadata = record.kinesis_record_metadata.as_ref().unwrap();
        assert_eq!(metadata.shard_id, "shardId-000000000000");
        assert_eq!(metadata.subsequence_number, "");
    }

    #[test]
    fn direct_put_event_without_kinesis_metadata_round_trips() {
        let event: KinesisFirehoseEvent = round_trip(&fixture("firehose/direct-put.json"));
        assert!(event.records[0].kinesis_record_metadata.is_none());
        assert_eq!(
            event.records[0].data.0,
            b"{\"ticker_symbol\":\"QXZ\",\"price\":84.51}"
        );
    }

    #[test]
    fn response_round_trips_with_every_result() {
        let response: KinesisFirehoseResponse = round_trip(&fixture("firehose/response.json"));
        let results: Vec<_> = response.records.iter().map(|r| r.result.clone()).collect();
        assert_eq!(
            results,
            [
                KinesisFirehoseResult::Ok,
                KinesisFirehoseResult::Dropped,
                KinesisFirehoseResult::ProcessingFailed
            ]
        );
        let keys = &response.records[0]
            .metadata
            .as_ref()
            .unwrap()
            .partition_keys;
        assert_eq!(keys["customer_id"], "1234");
    }

    #[test]
    fn constructors_write_the_documented_response() {
        let response = KinesisFirehoseResponse {
            records: vec![
                KinesisFirehoseResponseRecord::ok("r1", b"HELLO".to_vec())
                    .with_partition_keys(HashMap::from([("year".into(), "2024".into())])),
                KinesisFirehoseResponseRecord::dropped("r2"),
                KinesisFirehoseResponseRecord::processing_failed("r3", b"x".to_vec()),
            ],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({"records": [
                {"recordId": "r1", "result": "Ok", "data": "SEVMTE8=",
                 "metadata": {"partitionKeys": {"year": "2024"}}},
                {"recordId": "r2", "result": "Dropped", "data": ""},
                {"recordId": "r3", "result": "ProcessingFailed", "data": "eA=="}
            ]})
        );
    }

    #[test]
    fn bad_base64_data_is_an_error_with_its_path() {
        let json = fixture("firehose/transformation.json").replacen(
            "\"data\": \"SGVsbG8gV29ybGQ=\"",
            "\"data\": \"SGVsbG8gV29ybGQ\"",
            1,
        );
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, KinesisFirehoseEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "records[0].data");
    }
}
