//! Amazon MQ events: ActiveMQ and RabbitMQ brokers (feature `mq`).
//!
//! Lambda consumes a broker queue and calls the function with an [`ActiveMqEvent`] (source
//! `aws:mq`) or a [`RabbitMqEvent`] (source `aws:rmq`). Message bodies arrive base64-encoded
//! and are decoded into bytes ([`Base64Data`]).

use crate::encodings::{Base64Data, EpochMillis, LooseString};
use lambda_events_derive::event;
use std::collections::HashMap;

/// A batch of ActiveMQ messages.
///
/// ```
/// use lambda_events::mq::ActiveMqEvent;
///
/// let json = r#"{"eventSource":"aws:mq",
///     "eventSourceArn":"arn:aws:mq:us-east-2:111122223333:broker:test:b-9bcfa592",
///     "messages":[{"messageID":"ID:b-9bcfa592-1:1:1:1:1","messageType":"jms/text-message",
///         "data":"QUJDOkFBQUE=","redelivered":false,
///         "destination":{"physicalName":"testQueue"},"timestamp":1598827811958}]}"#;
/// let event: ActiveMqEvent = serde_json::from_str(json)?;
/// assert_eq!(event.messages[0].data.0, b"ABC:AAAA");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct ActiveMqEvent {
    /// `aws:mq` (`aws:amq` in older samples).
    pub event_source: String,
    /// ARN of the broker.
    pub event_source_arn: String,
    /// The messages.
    pub messages: Vec<ActiveMqMessage>,
}

/// An ActiveMQ (JMS) message.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ActiveMqMessage {
    /// JMS message ID.
    #[serde(rename = "messageID")]
    pub message_id: String,
    /// `jms/text-message` or `jms/bytes-message`.
    pub message_type: String,
    /// The body (base64 on the wire).
    pub data: Base64Data,
    /// ID of the connection that sent the message.
    pub connection_id: Option<String>,
    /// Whether the message was delivered before (absent in some AWS samples).
    pub redelivered: Option<bool>,
    /// Whether the message is persistent.
    pub persistent: Option<bool>,
    /// JMS delivery mode: 1 non-persistent, 2 persistent.
    pub delivery_mode: Option<u8>,
    /// JMS priority, 0 to 9.
    pub priority: Option<u8>,
    /// JMS correlation ID.
    pub correlation_id: Option<String>,
    /// Destination for replies.
    pub reply_to: Option<String>,
    /// JMS type of the message.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// When the message expires, in milliseconds since the Unix epoch (`0`: never); AWS sends
    /// a number or a string, and it is written back in the form it came in.
    pub expiration: Option<EpochMillis>,
    /// The queue the message came from.
    pub destination: ActiveMqDestination,
    /// When the message was sent, in milliseconds since the Unix epoch.
    pub timestamp: Option<EpochMillis>,
    /// When the broker received the message.
    pub broker_in_time: Option<EpochMillis>,
    /// When the broker dispatched the message.
    pub broker_out_time: Option<EpochMillis>,
    /// Application properties of the message, as strings.
    pub properties: Option<HashMap<String, String>>,
}

/// The queue of an ActiveMQ message.
#[event]
pub struct ActiveMqDestination {
    /// Queue name (`physicalname` in older samples is accepted too).
    #[serde(rename = "physicalName", alias = "physicalname")]
    pub physical_name: String,
}

/// A batch of RabbitMQ messages, by queue.
///
/// ```
/// use lambda_events::mq::RabbitMqEvent;
///
/// let json = r#"{"eventSource":"aws:rmq","eventSourceArn":"arn:aws:mq:us-west-2:111122223333:broker:pizzaBroker:b-9bcfa592",
///     "rmqMessagesByQueue":{"pizzaQueue::/":[{"basicProperties":{"contentType":"text/plain",
///         "headers":{"header1":{"bytes":[118,97,108,117,101,49]}},"deliveryMode":1,"bodySize":6},
///         "redelivered":false,"data":"cGl6emEh"}]}}"#;
/// let event: RabbitMqEvent = serde_json::from_str(json)?;
/// let message = &event.rmq_messages_by_queue["pizzaQueue::/"][0];
/// assert_eq!(message.data.0, b"pizza!");
/// assert_eq!(message.basic_properties.header_bytes("header1").as_deref(), Some(&b"value1"[..]));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct RabbitMqEvent {
    /// `aws:rmq`.
    pub event_source: String,
    /// ARN of the broker.
    pub event_source_arn: String,
    /// The messages, by `<queue>::<virtual host>`.
    pub rmq_messages_by_queue: HashMap<String, Vec<RabbitMqMessage>>,
}

/// A RabbitMQ (AMQP 0-9-1) message.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct RabbitMqMessage {
    /// The AMQP basic properties.
    pub basic_properties: RabbitMqBasicProperties,
    /// Whether the message was delivered before (absent in some AWS samples).
    pub redelivered: Option<bool>,
    /// The body (base64 on the wire).
    pub data: Base64Data,
}

/// The AMQP basic properties of a message.
///
/// Lambda sends every property, `null` when the message does not set it; so every `None` is
/// written back as `null`.
#[event(nulls, keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct RabbitMqBasicProperties {
    /// MIME type of the body.
    pub content_type: Option<String>,
    /// Encoding of the body.
    pub content_encoding: Option<String>,
    /// Application headers. String values arrive as `{"bytes": [..]}` (see
    /// [`RabbitMqBasicProperties::header_bytes`]); numbers, booleans and tables as JSON.
    pub headers: Option<HashMap<String, serde_json::Value>>,
    /// 1 non-persistent, 2 persistent.
    pub delivery_mode: Option<u8>,
    /// Priority, 0 to 9.
    pub priority: Option<u8>,
    /// Correlation ID.
    pub correlation_id: Option<String>,
    /// Queue for replies.
    pub reply_to: Option<String>,
    /// Time to live in milliseconds: a string per AMQP, though AWS also sends a number; written
    /// back in the form it came in.
    pub expiration: Option<LooseString>,
    /// Message ID.
    pub message_id: Option<String>,
    /// Send time, as formatted by the broker, such as `Jan 1, 1970, 12:33:41 AM`.
    pub timestamp: Option<String>,
    /// Message type.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// ID of the user that sent the message.
    pub user_id: Option<String>,
    /// ID of the sending application.
    pub app_id: Option<String>,
    /// Cluster ID.
    pub cluster_id: Option<String>,
    /// Size of the body in bytes.
    pub body_size: Option<u64>,
}

impl RabbitMqBasicProperties {
    /// The bytes of a string header (sent as `{"bytes": [..]}`); `None` when the header is
    /// absent or of another type.
    pub fn header_bytes(&self, name: &str) -> Option<Vec<u8>> {
        let bytes = self.headers.as_ref()?.get(name)?.get("bytes")?.as_array()?;
        bytes
            .iter()
            .map(|b| {
                // Java sends signed bytes: -128..=127 (and some brokers 0..=255).
                let n = b.as_i64()?;
                u8::try_from(n)
                    .ok()
                    .or_else(|| i8::try_from(n).ok().map(|s| s as u8))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn activemq_event_round_trips() {
        let json = fixture("mq/activemq.json");
        let event: ActiveMqEvent = round_trip(&json);
        // The documented nulls parse.
        assert_eq!(serde_json::from_str::<ActiveMqEvent>(&json).unwrap(), event);
        assert_eq!(event.event_source, "aws:mq");
        let text = &event.messages[0];
        assert_eq!(text.message_type, "jms/text-message");
        assert_eq!(text.data.0, b"ABC:AAAA");
        assert_eq!(text.destination.physical_name, "testQueue");
        assert_eq!(text.timestamp.as_ref().unwrap().as_i64(), 1598827811958);
        assert_eq!(text.properties.as_ref().unwrap()["index"], "1");
        assert_eq!(text.reply_to, None);
        let bytes = &event.messages[1];
        assert_eq!(bytes.message_type, "jms/bytes-message");
        assert_eq!(bytes.persistent, Some(false));
    }

    #[test]
    fn lower_case_physicalname_of_older_samples_parses() {
        let json = fixture("mq/activemq.json").replace("physicalName", "physicalname");
        let event: ActiveMqEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(event.messages[0].destination.physical_name, "testQueue");
    }

    #[test]
    fn rabbitmq_event_round_trips() {
        let json = fixture("mq/rabbitmq.json");
        // Every basic property is written back, `null` when unset (`#[event(nulls)]`).
        let event: RabbitMqEvent = round_trip(&json);
        assert_eq!(serde_json::from_str::<RabbitMqEvent>(&json).unwrap(), event);
        let message = &event.rmq_messages_by_queue["pizzaQueue::/"][0];
        assert_eq!(
            message.data.0,
            b"{\"timeout\":0,\"data\":\"CZrmf0Gw8Ov4bqLQxD4E\"}"
        );
        let properties = &message.basic_properties;
        assert_eq!(properties.content_type.as_deref(), Some("text/plain"));
        assert_eq!(properties.header_bytes("header1").unwrap(), b"value1");
        assert_eq!(properties.header_bytes("numberInHeader"), None);
        assert_eq!(properties.headers.as_ref().unwrap()["numberInHeader"], 10);
        assert_eq!(properties.body_size, Some(80));
        assert_eq!(properties.user_id.as_deref(), Some("AIDACKCEVSQ6C2EXAMPLE"));
    }

    #[test]
    fn signed_header_bytes_decode() {
        let properties: RabbitMqBasicProperties =
            serde_json::from_str(r#"{"headers":{"h":{"bytes":[104,-61,-85]}}}"#).unwrap();
        assert_eq!(properties.header_bytes("h").unwrap(), "hë".as_bytes());
    }

    #[test]
    fn bad_base64_body_is_an_error_with_its_path() {
        let json = fixture("mq/activemq.json").replace("QUJDOkFBQUE=", "QUJDOkFBQUE");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, ActiveMqEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "messages[0].data");
    }

    #[test]
    fn numeric_expiration_and_missing_redelivered_are_kept_as_sent() {
        let event: ActiveMqEvent = round_trip(&fixture("mq/activemq-numeric-expiration.json"));
        assert_eq!(event.messages[0].expiration.as_ref().unwrap().as_i64(), 0);
        assert_eq!(event.messages[0].redelivered, None);
        assert!(!event.messages[1].expiration.as_ref().unwrap().is_string());
        let event: RabbitMqEvent = round_trip(&fixture("mq/rabbitmq-numeric-expiration.json"));
        let message = event.rmq_messages_by_queue.values().next().unwrap();
        assert_eq!(
            message[0].basic_properties.expiration.as_ref().unwrap(),
            "60000"
        );
    }
}
