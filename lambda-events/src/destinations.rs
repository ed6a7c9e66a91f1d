//! Asynchronous invocation destination records.
//!
//! When an asynchronous invocation succeeds or fails (after its retries), Lambda can send an
//! invocation record to a destination; when that destination is another function, the record
//! is its event: a [`DestinationRecord`]. Event source mappings for Kinesis and DynamoDB
//! streams send a similar record for a failed batch, describing the batch instead of carrying
//! its payload.
//!
//! The record is generic over the original event (`requestPayload`) and the function's result
//! (`responsePayload`); both default to [`serde_json::Value`].
//!
//! ```
//! use lambda_events::destinations::{DestinationCondition, DestinationRecord};
//!
//! #[derive(serde::Deserialize)]
//! struct Order {
//!     order_id: String,
//! }
//!
//! fn failed_order(record: &DestinationRecord<Order>) -> Option<&str> {
//!     match record.request_context.condition {
//!         DestinationCondition::Success => None,
//!         _ => record.request_payload.as_ref().map(|o| o.order_id.as_str()),
//!     }
//! }
//! # let record: DestinationRecord<Order> = serde_json::from_str(r#"{"requestContext":
//! #   {"requestId":"r","functionArn":"f","condition":"RetriesExhausted","approximateInvokeCount":3},
//! #   "requestPayload":{"order_id":"o-1"}}"#).unwrap();
//! # assert_eq!(failed_order(&record), Some("o-1"));
//! ```

use lambda_events_derive::event;

use crate::encodings::Rfc3339Timestamp;

/// An invocation record sent to a destination.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
// Without this bound serde would require `Req: Default` for the `Option<Req>` payloads.
#[serde(bound(deserialize = "Req: serde::Deserialize<'de>, Resp: serde::Deserialize<'de>"))]
pub struct DestinationRecord<Req = serde_json::Value, Resp = serde_json::Value> {
    /// The record format version, `1.0`.
    pub version: Option<String>,
    /// When the record was created.
    pub timestamp: Option<Rfc3339Timestamp>,
    /// The invocation the record is about, and why it was sent.
    pub request_context: DestinationRequestContext,
    /// The original event (absent for stream batches, which are described instead).
    pub request_payload: Option<Req>,
    /// The function's response.
    pub response_context: Option<DestinationResponseContext>,
    /// What the function returned, or its error object.
    pub response_payload: Option<Resp>,
    /// The failed batch, for a Kinesis event source mapping.
    #[serde(rename = "KinesisBatchInfo")]
    pub kinesis_batch_info: Option<StreamBatchInfo>,
    /// The failed batch, for a DynamoDB Streams event source mapping.
    #[serde(rename = "DDBStreamBatchInfo")]
    pub ddb_stream_batch_info: Option<StreamBatchInfo>,
}

/// Why a record was sent.
#[event]
#[derive(Eq, Hash)]
pub enum DestinationCondition {
    /// The invocation succeeded.
    Success,
    /// The invocation failed every attempt (asynchronous invocation).
    RetriesExhausted,
    /// The event was older than the maximum event age (asynchronous invocation).
    EventAgeExceeded,
    /// The batch failed every retry attempt (event source mapping).
    RetryAttemptsExhausted,
    /// A condition this version does not know, kept as sent.
    #[serde(untagged)]
    Other(String),
}

/// The `requestContext` of a record.
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRequestContext {
    /// The request ID of the (last) invocation.
    pub request_id: String,
    /// The ARN of the invoked function (with version or alias).
    pub function_arn: String,
    /// Why the record was sent.
    pub condition: DestinationCondition,
    /// How many times the function was invoked for this event.
    pub approximate_invoke_count: u32,
}

/// The `responseContext` of a record.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct DestinationResponseContext {
    /// The status code of the invocation (200 even for function errors).
    pub status_code: Option<u16>,
    /// The function version that ran.
    pub executed_version: Option<String>,
    /// `Handled` or `Unhandled` when the function failed; absent on success.
    pub function_error: Option<String>,
}

/// A failed stream batch.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct StreamBatchInfo {
    /// The shard the batch came from.
    pub shard_id: String,
    /// The sequence number of the first record.
    pub start_sequence_number: String,
    /// The sequence number of the last record.
    pub end_sequence_number: String,
    /// When the first record arrived.
    pub approximate_arrival_of_first_record: Option<Rfc3339Timestamp>,
    /// When the last record arrived.
    pub approximate_arrival_of_last_record: Option<Rfc3339Timestamp>,
    /// The number of records in the batch.
    pub batch_size: Option<u32>,
    /// The ARN of the stream.
    pub stream_arn: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn failure_record_fixture_round_trips() {
        let record: DestinationRecord = round_trip(&fixture("destinations/async_failure.json"));
        assert_eq!(record.version.as_deref(), Some("1.0"));
        assert_eq!(
            record.timestamp.as_ref().unwrap().to_system_time(),
            Ok(UNIX_EPOCH + Duration::from_millis(1_573_755_365_568))
        );
        let context = &record.request_context;
        assert_eq!(context.condition, DestinationCondition::RetriesExhausted);
        assert_eq!(context.approximate_invoke_count, 3);
        assert_eq!(context.request_id, "e4b46cbf-b738-xmpl-8880-a18cdf61200e");
        let response = record.response_context.as_ref().unwrap();
        assert_eq!(response.status_code, Some(200));
        assert_eq!(response.function_error.as_deref(), Some("Unhandled"));
        assert_eq!(
            record.request_payload.as_ref().unwrap()["ORDER_IDS"][0],
            "9e07af03-ce31-4ff3-xmpl-36dce652cb4f"
        );
    }

    #[test]
    fn success_record_decodes_typed_payloads() {
        #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
        struct Request {
            order_id: String,
        }
        #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
        struct Response {
            shipped: bool,
        }
        let record: DestinationRecord<Request, Response> =
            round_trip(&fixture("destinations/async_success.json"));
        assert_eq!(
            record.request_context.condition,
            DestinationCondition::Success
        );
        assert_eq!(record.request_payload.unwrap().order_id, "o-1234");
        assert_eq!(record.response_payload, Some(Response { shipped: true }));
        assert_eq!(record.response_context.unwrap().function_error, None);
    }

    #[test]
    fn kinesis_batch_record_fixture_round_trips() {
        let record: DestinationRecord = round_trip(&fixture("destinations/kinesis_failure.json"));
        assert_eq!(
            record.request_context.condition,
            DestinationCondition::RetryAttemptsExhausted
        );
        assert_eq!(record.request_payload, None);
        let batch = record.kinesis_batch_info.unwrap();
        assert_eq!(batch.shard_id, "shardId-000000000001");
        assert_eq!(batch.batch_size, Some(500));
        assert_eq!(
            batch.stream_arn.as_deref(),
            Some("arn:aws:kinesis:us-east-2:123456789012:stream/mystream")
        );
    }

    #[test]
    fn dynamodb_batch_record_fixture_round_trips() {
        let record: DestinationRecord = round_trip(&fixture("destinations/dynamodb_failure.json"));
        let batch = record.ddb_stream_batch_info.unwrap();
        assert_eq!(batch.start_sequence_number, "800000000003126276362");
        assert_eq!(
            batch
                .approximate_arrival_of_first_record
                .unwrap()
                .to_system_time(),
            Ok(UNIX_EPOCH + Duration::from_secs(1_573_690_399))
        );
    }

    #[test]
    fn unknown_condition_is_kept() {
        let context: DestinationRequestContext = round_trip(
            r#"{"requestId":"r","functionArn":"f","condition":"PayloadTooLarge","approximateInvokeCount":1}"#,
        );
        assert_eq!(
            context.condition,
            DestinationCondition::Other("PayloadTooLarge".into())
        );
    }
}
