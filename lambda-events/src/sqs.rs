//! Amazon SQS messages and the batch-item-failures response (feature `sqs`).
//!
//! Lambda polls the queue and calls the function with an [`SqsEvent`]: a batch of messages.
//! With `ReportBatchItemFailures` on the event source mapping, the function returns an
//! [`SqsBatchResponse`] naming the messages that failed; the others are deleted from the queue.
//!
//! The message body is a `String` by default. `SqsEvent<Json<T>>` decodes every body as JSON
//! into `T` (see [`Json`]); a body that does not fit then fails the whole batch, so keep `String`
//! and decode each body yourself when bad messages should be reported one by one.

pub use crate::json_body::Json;

use crate::encodings::Base64Data;
use lambda_events_derive::event;
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A batch of SQS messages.
///
/// ```
/// use lambda_events::sqs::{Json, SqsBatchResponse, SqsEvent};
///
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct Order {
///     id: u64,
/// }
///
/// let json = r#"{"Records":[
///     {"messageId":"m1","body":"{\"id\":1}","attributes":{},"messageAttributes":{}},
///     {"messageId":"m2","body":"oops","attributes":{},"messageAttributes":{}}]}"#;
///
/// // Decode each body separately and report the bad ones.
/// let event: SqsEvent = serde_json::from_str(json)?;
/// let failed = event
///     .records
///     .iter()
///     .filter(|m| serde_json::from_str::<Order>(&m.body).is_err())
///     .map(|m| m.message_id.clone());
/// let response = SqsBatchResponse::from_identifiers(failed);
/// assert_eq!(response.batch_item_failures[0].item_identifier, "m2");
///
/// // Or decode every body up front: one bad body fails the whole event.
/// assert!(serde_json::from_str::<SqsEvent<Json<Order>>>(json).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
pub struct SqsEvent<B = String> {
    /// The messages, up to the batch size of the event source mapping.
    #[serde(rename = "Records")]
    pub records: Vec<SqsMessage<B>>,
}

/// One SQS message.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SqsMessage<B = String> {
    /// Message ID: the `itemIdentifier` to report when the message fails.
    pub message_id: String,
    /// Receipt handle of this delivery.
    pub receipt_handle: Option<String>,
    /// The body: a `String`, or `Json<T>` to decode it as JSON.
    pub body: B,
    /// MD5 digest of the body.
    pub md5_of_body: Option<String>,
    /// MD5 digest of the message attributes, when the message has some.
    pub md5_of_message_attributes: Option<String>,
    /// System attributes (`ApproximateReceiveCount`, `SentTimestamp`, `SenderId`,
    /// `MessageGroupId`, `AWSTraceHeader`, ...), all strings. See the accessors on this type.
    #[serde(default)]
    pub attributes: HashMap<String, String>,
    /// Attributes the sender set on the message.
    #[serde(default)]
    pub message_attributes: HashMap<String, SqsMessageAttribute>,
    /// Always `aws:sqs`.
    pub event_source: Option<String>,
    /// ARN of the queue.
    #[serde(rename = "eventSourceARN")]
    pub event_source_arn: Option<String>,
    /// Region of the queue.
    pub aws_region: Option<String>,
}

impl<B> SqsMessage<B> {
    /// How many times the message has been received (`ApproximateReceiveCount`); more than
    /// one means an earlier attempt failed or timed out.
    pub fn approximate_receive_count(&self) -> Option<u32> {
        self.attributes.get("ApproximateReceiveCount")?.parse().ok()
    }

    /// When the message was sent to the queue (`SentTimestamp`).
    pub fn sent_timestamp(&self) -> Option<SystemTime> {
        self.epoch_millis_attribute("SentTimestamp")
    }

    /// When the message was first received from the queue (`ApproximateFirstReceiveTimestamp`).
    pub fn approximate_first_receive_timestamp(&self) -> Option<SystemTime> {
        self.epoch_millis_attribute("ApproximateFirstReceiveTimestamp")
    }

    /// Message group of a FIFO queue message (`MessageGroupId`).
    pub fn message_group_id(&self) -> Option<&str> {
        self.attributes.get("MessageGroupId").map(String::as_str)
    }

    /// X-Ray trace header of the sender (`AWSTraceHeader`).
    pub fn aws_trace_header(&self) -> Option<&str> {
        self.attributes.get("AWSTraceHeader").map(String::as_str)
    }

    fn epoch_millis_attribute(&self, name: &str) -> Option<SystemTime> {
        let millis: u64 = self.attributes.get(name)?.parse().ok()?;
        UNIX_EPOCH.checked_add(Duration::from_millis(millis))
    }
}

/// A message attribute set by the sender.
#[event]
#[serde(rename_all = "camelCase")]
pub struct SqsMessageAttribute {
    /// Value of a `String` or `Number` attribute (numbers are sent as strings).
    pub string_value: Option<String>,
    /// Value of a `Binary` attribute.
    pub binary_value: Option<Base64Data>,
    /// Reserved by SQS, always empty.
    pub string_list_values: Option<Vec<String>>,
    /// Reserved by SQS, always empty.
    pub binary_list_values: Option<Vec<Base64Data>>,
    /// `String`, `Number` or `Binary`, optionally followed by `.` and a custom type.
    pub data_type: String,
}

/// The response that reports which messages of a batch failed (the event source mapping
/// must have `ReportBatchItemFailures` on). Lambda deletes the other messages; the failed ones
/// become visible again after the visibility timeout. An empty list means the whole batch
/// succeeded.
#[event]
#[serde(rename_all = "camelCase")]
pub struct SqsBatchResponse {
    /// The failed messages.
    pub batch_item_failures: Vec<SqsBatchItemFailure>,
}

impl SqsBatchResponse {
    /// A response that reports the messages with these IDs as failed.
    // `..Default::default()` fills the `other` map that feature `catch-all-fields` adds.
    #[allow(clippy::needless_update)]
    pub fn from_identifiers<I, S>(message_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SqsBatchResponse {
            batch_item_failures: message_ids
                .into_iter()
                .map(SqsBatchItemFailure::new)
                .collect(),
            ..Default::default()
        }
    }
}

/// A message that failed.
#[event]
#[serde(rename_all = "camelCase")]
pub struct SqsBatchItemFailure {
    /// The `messageId` of the message. Lambda fails the whole batch when it is empty or not
    /// in the batch.
    pub item_identifier: String,
}

impl SqsBatchItemFailure {
    /// The failure of message `message_id`.
    // `..Default::default()` fills the `other` map that feature `catch-all-fields` adds.
    #[allow(clippy::needless_update)]
    pub fn new(message_id: impl Into<String>) -> Self {
        SqsBatchItemFailure {
            item_identifier: message_id.into(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Order {
        #[serde(rename = "orderId")]
        order_id: String,
        quantity: u32,
    }

    #[test]
    fn standard_queue_batch_round_trips() {
        let event: SqsEvent = round_trip(&fixture("sqs/receive.json"));
        assert_eq!(event.records.len(), 2);
        let message = &event.records[0];
        assert_eq!(message.message_id, "059f36b4-87a3-44ab-83d2-661975830a7d");
        assert_eq!(message.body, "Test message.");
        assert_eq!(
            message.event_source_arn.as_deref(),
            Some("arn:aws:sqs:us-east-2:123456789012:my-queue")
        );
        assert_eq!(message.approximate_receive_count(), Some(1));
        assert_eq!(
            message.sent_timestamp(),
            Some(UNIX_EPOCH + Duration::from_millis(1545082649183))
        );
        assert_eq!(message.attributes["SenderId"], "AIDAIENQZJOLO23YVJ4VO");
        assert_eq!(message.message_group_id(), None);
    }

    #[test]
    fn fifo_queue_batch_round_trips() {
        let event: SqsEvent = round_trip(&fixture("sqs/receive-fifo.json"));
        let message = &event.records[0];
        assert_eq!(message.message_group_id(), Some("1"));
        assert_eq!(message.attributes["SequenceNumber"], "18849496460467696128");
        assert_eq!(message.attributes["MessageDeduplicationId"], "1");
    }

    #[test]
    fn message_attributes_of_every_type_round_trip() {
        let event: SqsEvent = round_trip(&fixture("sqs/message-attributes.json"));
        let message = &event.records[0];
        let attributes = &message.message_attributes;
        assert_eq!(attributes["Author"].data_type, "String");
        assert_eq!(attributes["Author"].string_value.as_deref(), Some("Jane"));
        assert_eq!(attributes["Retries"].data_type, "Number");
        assert_eq!(attributes["Retries"].string_value.as_deref(), Some("3"));
        assert_eq!(
            attributes["Thumbnail"].binary_value.as_ref().unwrap().0,
            b"\x89PNG"
        );
        assert_eq!(
            message.aws_trace_header(),
            Some("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
        );
        assert_eq!(
            message.md5_of_message_attributes.as_deref(),
            Some("2b4e4c43e4d65e2e53ac2bee1b4dc6d5")
        );
    }

    #[test]
    fn json_bodies_decode_into_a_user_type() {
        let event: SqsEvent<Json<Order>> = round_trip(&fixture("sqs/json-bodies.json"));
        let orders: Vec<&Order> = event.records.iter().map(|m| &m.body.0).collect();
        assert_eq!(
            orders,
            [
                &Order {
                    order_id: "o-1001".into(),
                    quantity: 2
                },
                &Order {
                    order_id: "o-1002".into(),
                    quantity: 1
                }
            ]
        );
    }

    #[test]
    fn orders_batch_of_the_example_round_trips() {
        let event: SqsEvent = round_trip(&fixture("sqs/orders-batch.json"));
        let decoded: Vec<bool> = event
            .records
            .iter()
            .map(|m| serde_json::from_str::<Order>(&m.body).is_ok())
            .collect();
        assert_eq!(decoded, [true, false, true, false]);
    }

    #[test]
    fn a_body_that_does_not_fit_is_an_error_with_its_path() {
        let json = fixture("sqs/receive.json");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, SqsEvent<Json<Order>>>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "Records[0].body");
        assert!(err.to_string().contains("Order"), "{err}");
    }

    #[test]
    fn number_for_message_id_is_an_error_with_its_path() {
        let json = fixture("sqs/receive.json").replace(
            "\"messageId\": \"2e1424d4-f796-459a-8184-9c92662be6da\"",
            "\"messageId\": 7",
        );
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, SqsEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "Records[1].messageId");
    }

    #[test]
    fn batch_response_lists_failed_message_ids() {
        let response = SqsBatchResponse::from_identifiers(["m-2", "m-5"]);
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({
                "batchItemFailures": [{"itemIdentifier": "m-2"}, {"itemIdentifier": "m-5"}]
            })
        );
        let empty = SqsBatchResponse::default();
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"batchItemFailures":[]}"#
        );
    }

    #[test]
    fn batch_response_fixture_round_trips() {
        let response: SqsBatchResponse = round_trip(&fixture("sqs/batch-response.json"));
        assert_eq!(
            response.batch_item_failures[0].item_identifier,
            "2e1424d4-f796-459a-8184-9c92662be6da"
        );
    }
}
