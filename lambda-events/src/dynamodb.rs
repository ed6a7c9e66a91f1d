//! DynamoDB Streams records, typed attribute values and tumbling windows (feature
//! `dynamodb`).
//!
//! Lambda reads a table's stream and calls the function with a [`DynamoDbEvent`]. Item images
//! are maps of [`AttributeValue`]s; [`from_item`] decodes them into your own types (and
//! [`to_item`] encodes back). With `ReportBatchItemFailures` on, return a
//! [`StreamsEventResponse`] naming the first record that failed; with a tumbling window, the
//! event is a [`DynamoDbTimeWindowEvent`] and the response a [`TimeWindowEventResponse`].

mod attribute_value;
mod de;
mod error;
mod ser;

pub use crate::time_window::{
    BatchItemFailure, StreamsEventResponse, TimeWindow, TimeWindowEvent, TimeWindowEventResponse,
    TimeWindowState,
};
pub use attribute_value::{AttributeValue, Item};
pub use de::{from_attribute_value, from_item};
pub use error::ItemError;
pub use ser::{to_attribute_value, to_item};

use crate::encodings::EpochSeconds;
use lambda_events_derive::event;

/// A batch of DynamoDB stream records.
///
/// ```
/// use lambda_events::dynamodb::{from_item, DynamoDbEvent};
///
/// #[derive(serde::Deserialize)]
/// struct Message {
///     #[serde(rename = "Id")]
///     id: u32,
///     #[serde(rename = "Message")]
///     text: String,
/// }
///
/// let json = r#"{"Records":[{"eventID":"1","eventName":"INSERT","eventVersion":"1.0",
///     "eventSource":"aws:dynamodb","awsRegion":"us-west-2",
///     "eventSourceARN":"arn:aws:dynamodb:us-west-2:123456789012:table/Messages/stream/2015-06-27T00:48:05.899",
///     "dynamodb":{"Keys":{"Id":{"N":"101"}},
///                 "NewImage":{"Message":{"S":"New item!"},"Id":{"N":"101"}},
///                 "SequenceNumber":"111","SizeBytes":26,"StreamViewType":"NEW_AND_OLD_IMAGES"}}]}"#;
/// let event: DynamoDbEvent = serde_json::from_str(json)?;
/// for record in &event.records {
///     if let Some(image) = &record.dynamodb.new_image {
///         let message: Message = from_item(image)?;
///         assert_eq!((message.id, message.text.as_str()), (101, "New item!"));
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[event]
pub struct DynamoDbEvent {
    /// The stream records.
    #[serde(rename = "Records")]
    pub records: Vec<DynamoDbEventRecord>,
}

/// A batch of stream records of a tumbling window.
pub type DynamoDbTimeWindowEvent = TimeWindowEvent<DynamoDbEventRecord>;

/// One change to a table item.
#[event]
#[serde(rename_all = "camelCase")]
pub struct DynamoDbEventRecord {
    /// Unique ID of the record.
    #[serde(rename = "eventID")]
    pub event_id: String,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub event_name: String,
    /// Version of the record format, such as `1.1`.
    pub event_version: Option<String>,
    /// `aws:dynamodb`.
    pub event_source: Option<String>,
    /// Region of the table.
    pub aws_region: Option<String>,
    /// ARN of the stream.
    #[serde(rename = "eventSourceARN")]
    pub event_source_arn: Option<String>,
    /// The change.
    pub dynamodb: StreamRecord,
    /// Present when DynamoDB itself made the change (a TTL expiry): `Service`,
    /// `dynamodb.amazonaws.com`.
    pub user_identity: Option<DynamoDbUserIdentity>,
    /// `application/json` (records delivered through Kinesis Data Streams).
    pub record_format: Option<String>,
    /// Table name (records delivered through Kinesis Data Streams).
    pub table_name: Option<String>,
}

/// The principal that made a change.
#[event]
#[serde(rename_all = "camelCase")]
pub struct DynamoDbUserIdentity {
    /// `Service`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `dynamodb.amazonaws.com`.
    pub principal_id: String,
}

/// The data of a change: keys, images and stream metadata.
#[event]
#[serde(rename_all = "PascalCase")]
pub struct StreamRecord {
    /// When the change was made, in seconds since the Unix epoch.
    pub approximate_creation_date_time: Option<EpochSeconds>,
    /// `MILLISECOND` or `MICROSECOND` (records delivered through Kinesis Data Streams).
    pub approximate_creation_date_time_precision: Option<String>,
    /// Primary key of the item.
    #[serde(default, skip_serializing_if = "Item::is_empty")]
    pub keys: Item,
    /// The item after the change (`NEW_IMAGE` and `NEW_AND_OLD_IMAGES` streams).
    pub new_image: Option<Item>,
    /// The item before the change (`OLD_IMAGE` and `NEW_AND_OLD_IMAGES` streams).
    pub old_image: Option<Item>,
    /// Sequence number of the record: the `itemIdentifier` to report when it fails.
    pub sequence_number: Option<String>,
    /// Size of the record in bytes.
    pub size_bytes: Option<u64>,
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
    pub stream_view_type: Option<String>,
}

#[cfg(test)]
mod tests;
