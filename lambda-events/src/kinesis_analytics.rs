//! Kinesis Data Analytics (SQL applications): Lambda as an output destination (feature
//! `kinesis-analytics`).
//!
//! An application with a Lambda output calls the function with a
//! [`KinesisAnalyticsOutputDeliveryEvent`] and expects a
//! [`KinesisAnalyticsOutputDeliveryResponse`] saying, per record, whether delivery succeeded;
//! failed records are retried (`retryHint` counts the attempts).

use crate::encodings::{Base64Data, EpochMillis};
use lambda_events_derive::event;

/// Application output records to deliver.
///
/// ```
/// use lambda_events::kinesis_analytics::{
///     KinesisAnalyticsOutputDeliveryEvent, KinesisAnalyticsOutputDeliveryResponse,
///     KinesisAnalyticsOutputDeliveryResponseRecord,
/// };
///
/// let json = r#"{"invocationId":"invocationIdExample",
///     "applicationArn":"arn:aws:kinesisanalytics:us-east-1:123456789012:application/lambda-test",
///     "records":[{"recordId":"4957","lambdaDeliveryRecordMetadata":{"retryHint":0},
///                 "data":"aGVsbG8gd29ybGQ="}]}"#;
/// let event: KinesisAnalyticsOutputDeliveryEvent = serde_json::from_str(json)?;
/// let response = KinesisAnalyticsOutputDeliveryResponse {
///     records: event
///         .records
///         .iter()
///         .map(|r| KinesisAnalyticsOutputDeliveryResponseRecord::ok(&r.record_id))
///         .collect(),
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_value(&response)?,
///     serde_json::json!({"records": [{"recordId": "4957", "result": "Ok"}]})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsOutputDeliveryEvent {
    /// ID of this invocation.
    pub invocation_id: String,
    /// ARN of the application.
    pub application_arn: String,
    /// The records.
    pub records: Vec<KinesisAnalyticsOutputDeliveryEventRecord>,
}

/// An output record.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsOutputDeliveryEventRecord {
    /// ID of the record: copy it into the response.
    pub record_id: String,
    /// Delivery metadata.
    pub lambda_delivery_record_metadata: Option<LambdaDeliveryRecordMetadata>,
    /// The record (base64 on the wire).
    pub data: Base64Data,
}

/// Delivery metadata of an output record.
#[event]
#[serde(rename_all = "camelCase")]
pub struct LambdaDeliveryRecordMetadata {
    /// How many times delivery of this record was retried.
    pub retry_hint: u64,
}

/// The delivery outcome of each record.
#[event]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsOutputDeliveryResponse {
    /// One record per input record.
    pub records: Vec<KinesisAnalyticsOutputDeliveryResponseRecord>,
}

/// The delivery outcome of one record.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsOutputDeliveryResponseRecord {
    /// The `recordId` of the input record.
    pub record_id: String,
    /// The outcome.
    pub result: DeliveryResult,
}

impl KinesisAnalyticsOutputDeliveryResponseRecord {
    /// Record `record_id` was delivered.
    pub fn ok(record_id: &str) -> Self {
        Self::with_result(record_id, DeliveryResult::Ok)
    }

    /// Record `record_id` was not delivered: the application retries it.
    pub fn delivery_failed(record_id: &str) -> Self {
        Self::with_result(record_id, DeliveryResult::DeliveryFailed)
    }

    fn with_result(record_id: &str, result: DeliveryResult) -> Self {
        KinesisAnalyticsOutputDeliveryResponseRecord {
            record_id: record_id.to_owned(),
            result,
            #[cfg(feature = "catch-all-fields")]
            other: Default::default(),
        }
    }
}

/// The outcome of delivering a record.
#[event]
#[derive(Eq, Hash)]
pub enum DeliveryResult {
    /// Delivered.
    Ok,
    /// Not delivered: retry it.
    DeliveryFailed,
}

/// A Kinesis Data Analytics (SQL) input-preprocessing event for an application that reads a
/// Kinesis data stream. Answer with a [`KinesisAnalyticsInputPreprocessingResponse`].
///
/// ```
/// use lambda_events::kinesis_analytics::KinesisAnalyticsStreamsInputPreprocessingEvent;
///
/// let json = r#"{"invocationId": "invocationIdExample",
///   "applicationArn": "arn:aws:kinesisanalytics:us-east-1:123456789012:application/example",
///   "streamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/example",
///   "records": [{"recordId": "49546986683135544286507457936321625675700192471156785154",
///     "kinesisStreamRecordMetadata": {"sequenceNumber": "49545115243490985018280067714973144582180062593244200961",
///       "partitionKey": "partitionKey-03", "shardId": "shardId-000000000000",
///       "approximateArrivalTimestamp": 1495072949453},
///     "data": "aGVsbG8="}]}"#;
/// let event: KinesisAnalyticsStreamsInputPreprocessingEvent = serde_json::from_str(json).unwrap();
/// assert_eq!(&*event.records[0].data, b"hello");
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsStreamsInputPreprocessingEvent {
    /// ID of this invocation.
    pub invocation_id: String,
    /// ARN of the application.
    pub application_arn: String,
    /// ARN of the source stream.
    pub stream_arn: Option<String>,
    /// The records to preprocess.
    pub records: Vec<KinesisAnalyticsStreamsInputRecord>,
}

/// A record of a [`KinesisAnalyticsStreamsInputPreprocessingEvent`].
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsStreamsInputRecord {
    /// ID of the record, to echo in the response.
    pub record_id: String,
    /// Where the record was in the stream.
    pub kinesis_stream_record_metadata: Option<KinesisStreamRecordMetadata>,
    /// The record (base64 on the wire).
    pub data: Base64Data,
}

/// The Kinesis position of an input record.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisStreamRecordMetadata {
    /// Sequence number of the record.
    pub sequence_number: Option<String>,
    /// Partition key of the record.
    pub partition_key: Option<String>,
    /// The shard.
    pub shard_id: Option<String>,
    /// When the stream received the record, in milliseconds since the Unix epoch.
    pub approximate_arrival_timestamp: Option<EpochMillis>,
}

/// A Kinesis Data Analytics (SQL) input-preprocessing event for an application that reads a
/// Firehose delivery stream. Answer with a [`KinesisAnalyticsInputPreprocessingResponse`].
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsFirehoseInputPreprocessingEvent {
    /// ID of this invocation.
    pub invocation_id: String,
    /// ARN of the application.
    pub application_arn: String,
    /// ARN of the source delivery stream.
    pub stream_arn: Option<String>,
    /// The records to preprocess.
    pub records: Vec<KinesisAnalyticsFirehoseInputRecord>,
}

/// A record of a [`KinesisAnalyticsFirehoseInputPreprocessingEvent`].
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsFirehoseInputRecord {
    /// ID of the record, to echo in the response.
    pub record_id: String,
    /// When Firehose received the record.
    pub kinesis_firehose_record_metadata: Option<KinesisFirehoseRecordMetadata>,
    /// The record (base64 on the wire).
    pub data: Base64Data,
}

/// When Firehose received an input record.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseRecordMetadata {
    /// In milliseconds since the Unix epoch.
    pub approximate_arrival_timestamp: Option<EpochMillis>,
}

/// The response to an input-preprocessing event: one record per input record.
#[event]
pub struct KinesisAnalyticsInputPreprocessingResponse {
    /// The preprocessed records.
    pub records: Vec<KinesisAnalyticsInputPreprocessingResponseRecord>,
}

/// A preprocessed record.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct KinesisAnalyticsInputPreprocessingResponseRecord {
    /// The ID of the input record.
    pub record_id: String,
    /// The outcome for the record.
    pub result: PreprocessingResult,
    /// The preprocessed record (base64 on the wire).
    pub data: Base64Data,
}

/// The outcome of preprocessing a record.
#[event]
#[derive(Eq, Hash)]
pub enum PreprocessingResult {
    /// Preprocessed: `data` goes to the application.
    Ok,
    /// Left out on purpose.
    Dropped,
    /// Could not be preprocessed: the record is treated as an error.
    ProcessingFailed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn output_delivery_event_round_trips() {
        let event: KinesisAnalyticsOutputDeliveryEvent =
            round_trip(&fixture("kinesis_analytics/output-delivery.json"));
        assert_eq!(event.invocation_id, "invocationIdExample");
        let record = &event.records[0];
        assert_eq!(record.data.0, b"hello world");
        assert_eq!(
            record
                .lambda_delivery_record_metadata
                .as_ref()
                .unwrap()
                .retry_hint,
            0
        );
    }

    #[test]
    fn output_delivery_response_round_trips() {
        let response: KinesisAnalyticsOutputDeliveryResponse =
            round_trip(&fixture("kinesis_analytics/output-delivery-response.json"));
        assert_eq!(response.records[0].result, DeliveryResult::Ok);
        assert_eq!(response.records[1].result, DeliveryResult::DeliveryFailed);
        assert_eq!(
            serde_json::to_value(
                KinesisAnalyticsOutputDeliveryResponseRecord::delivery_failed("x")
            )
            .unwrap(),
            serde_json::json!({"recordId": "x", "result": "DeliveryFailed"})
        );
    }

    #[test]
    fn string_retry_hint_is_an_error_with_its_path() {
        let json = fixture("kinesis_analytics/output-delivery.json")
            .replace("\"retryHint\": 0", "\"retryHint\": \"0\"");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, KinesisAnalyticsOutputDeliveryEvent>(de)
            .unwrap_err();
        assert_eq!(
            err.path().to_string(),
            "records[0].lambdaDeliveryRecordMetadata.retryHint"
        );
    }
}
