//! Amazon MSK and self-managed Apache Kafka events (feature `kafka`).
//!
//! Lambda consumes Kafka topics and calls the function with a [`KafkaEvent`]: records grouped
//! by `<topic>-<partition>`. Keys and values arrive base64-encoded and are decoded into bytes;
//! header values arrive as arrays of byte numbers (signed, as Java writes them, or unsigned)
//! and are decoded into [`KafkaHeaderValue`]s.

use crate::encodings::{Base64Data, EpochMillis};
use lambda_events_derive::event;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// A batch of Kafka records from an MSK cluster (`aws:kafka`) or a self-managed cluster
/// (`SelfManagedKafka`).
///
/// ```
/// use lambda_events::kafka::KafkaEvent;
///
/// let json = r#"{"eventSource":"aws:kafka","bootstrapServers":"b-1.demo.kafka.us-east-1.amazonaws.com:9092",
///     "records":{"mytopic-0":[{"topic":"mytopic","partition":0,"offset":15,
///         "timestamp":1545084650987,"timestampType":"CREATE_TIME",
///         "value":"SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==",
///         "headers":[{"headerKey":[104,101,97,100,101,114,86,97,108,117,101]}]}]}}"#;
/// let event: KafkaEvent = serde_json::from_str(json)?;
/// for record in event.records.values().flatten() {
///     assert_eq!(record.value.as_deref(), Some(&b"Hello, this is a test."[..]));
///     assert_eq!(record.header("headerKey"), Some(&b"headerValue"[..]));
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KafkaEvent {
    /// `aws:kafka` (MSK) or `SelfManagedKafka` (`aws:SelfManagedKafka` in some samples).
    pub event_source: String,
    /// ARN of the MSK cluster.
    pub event_source_arn: Option<String>,
    /// Comma-separated bootstrap brokers.
    pub bootstrap_servers: Option<String>,
    /// The records, by `<topic>-<partition>`.
    pub records: HashMap<String, Vec<KafkaRecord>>,
}

/// A Kafka record.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KafkaRecord {
    /// Topic name.
    pub topic: String,
    /// Partition number (a numeric string, as in older samples, is accepted and written back as
    /// a number).
    #[serde(deserialize_with = "integer_or_numeric_string")]
    pub partition: i64,
    /// Offset within the partition.
    pub offset: i64,
    /// Record timestamp, in milliseconds since the Unix epoch.
    pub timestamp: EpochMillis,
    /// `CREATE_TIME` or `LOG_APPEND_TIME`.
    pub timestamp_type: Option<String>,
    /// The key (base64 on the wire); absent for records without a key.
    pub key: Option<Base64Data>,
    /// The value (base64 on the wire); absent for tombstones.
    pub value: Option<Base64Data>,
    /// Headers, in order; each object holds one header.
    #[serde(default)]
    pub headers: Vec<HashMap<String, KafkaHeaderValue>>,
    /// Schema registry metadata of the key.
    pub key_schema_metadata: Option<KafkaSchemaMetadata>,
    /// Schema registry metadata of the value.
    pub value_schema_metadata: Option<KafkaSchemaMetadata>,
}

impl KafkaRecord {
    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find_map(|h| h.get(name))
            .map(KafkaHeaderValue::as_bytes)
    }
}

/// Schema registry metadata of a key or value.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct KafkaSchemaMetadata {
    /// `AVRO`, `PROTOBUF` or `JSON`.
    pub data_format: Option<String>,
    /// ID of the schema.
    pub schema_id: Option<String>,
}

/// A header value: bytes that travel as a JSON array of numbers, or as a string.
///
/// Lambda writes them as Java does, as signed bytes (`-61` for `0xC3`); unsigned numbers are
/// accepted too, and some producers (and AWS samples) send the value as a JSON string, read as
/// its UTF-8 bytes. The value is written back the way it was read (a string stays a string;
/// an array is signed if any number was negative), so a round trip keeps the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct KafkaHeaderValue {
    bytes: Vec<u8>,
    form: HeaderForm,
}

/// How a [`KafkaHeaderValue`] was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
enum HeaderForm {
    #[default]
    Unsigned,
    Signed,
    Text,
}

impl KafkaHeaderValue {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The bytes as UTF-8 text, when they are.
    pub fn to_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}

impl From<Vec<u8>> for KafkaHeaderValue {
    /// A header value written as unsigned numbers.
    fn from(bytes: Vec<u8>) -> Self {
        KafkaHeaderValue {
            bytes,
            form: HeaderForm::Unsigned,
        }
    }
}

impl Serialize for KafkaHeaderValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.form == HeaderForm::Text {
            if let Ok(text) = std::str::from_utf8(&self.bytes) {
                return serializer.serialize_str(text);
            }
        }
        let mut seq = serializer.serialize_seq(Some(self.bytes.len()))?;
        for &byte in &self.bytes {
            if self.form == HeaderForm::Signed {
                seq.serialize_element(&(byte as i8))?;
            } else {
                seq.serialize_element(&byte)?;
            }
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for KafkaHeaderValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;

        impl<'de> Visitor<'de> for BytesVisitor {
            type Value = KafkaHeaderValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of byte values from -128 to 255, or a string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<KafkaHeaderValue, E> {
                Ok(KafkaHeaderValue {
                    bytes: text.as_bytes().to_vec(),
                    form: HeaderForm::Text,
                })
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<KafkaHeaderValue, E> {
                Ok(KafkaHeaderValue {
                    bytes: text.into_bytes(),
                    form: HeaderForm::Text,
                })
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KafkaHeaderValue, A::Error> {
                let mut value = KafkaHeaderValue {
                    bytes: Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096)),
                    form: HeaderForm::Unsigned,
                };
                while let Some(n) = seq.next_element::<i64>()? {
                    let byte = match n {
                        0..=255 => n as u8,
                        -128..=-1 => {
                            value.form = HeaderForm::Signed;
                            n as i8 as u8
                        }
                        _ => {
                            return Err(de::Error::invalid_value(
                                de::Unexpected::Signed(n),
                                &"a byte value from -128 to 255",
                            ))
                        }
                    };
                    value.bytes.push(byte);
                }
                Ok(value)
            }
        }

        deserializer.deserialize_any(BytesVisitor)
    }
}

/// Reads an integer given as a JSON number or as a string of digits.
fn integer_or_numeric_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    struct IntegerVisitor;

    impl Visitor<'_> for IntegerVisitor {
        type Value = i64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer or a string of digits")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            v.parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    deserializer.deserialize_any(IntegerVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};
    use proptest::prelude::*;

    #[test]
    fn msk_event_round_trips() {
        let event: KafkaEvent = round_trip(&fixture("kafka/msk.json"));
        assert_eq!(event.event_source, "aws:kafka");
        assert!(event
            .event_source_arn
            .as_deref()
            .unwrap()
            .starts_with("arn:aws:kafka:"));
        let record = &event.records["mytopic-0"][0];
        assert_eq!(record.topic, "mytopic");
        assert_eq!(record.partition, 0);
        assert_eq!(record.offset, 15);
        assert_eq!(record.timestamp.as_i64(), 1545084650987);
        assert_eq!(record.timestamp_type.as_deref(), Some("CREATE_TIME"));
        assert_eq!(record.value.as_ref().unwrap().0, b"Hello, this is a test.");
        assert_eq!(record.key.as_ref().unwrap().0, b"mykey");
        assert_eq!(record.header("headerKey"), Some(&b"headerValue"[..]));
        assert_eq!(record.header("missing"), None);
    }

    #[test]
    fn self_managed_event_round_trips() {
        let event: KafkaEvent = round_trip(&fixture("kafka/self-managed.json"));
        assert_eq!(event.event_source, "SelfManagedKafka");
        assert!(event.event_source_arn.is_none());
        assert!(event
            .bootstrap_servers
            .as_deref()
            .unwrap()
            .contains(":9092,"));
        let records = &event.records["mytopic-0"];
        assert_eq!(records.len(), 1);
        assert_eq!(
            records[0].headers[0]["headerKey"].to_str(),
            Some("headerValue")
        );
    }

    #[test]
    fn signed_header_bytes_decode_and_round_trip() {
        let event: KafkaEvent = round_trip(&fixture("kafka/signed-headers.json"));
        let record = &event.records["orders-3"][0];
        assert_eq!(
            record.header("test-header"),
            Some("hello-world-ë".as_bytes())
        );
        assert_eq!(record.header("plain"), Some(&b"ok"[..]));
        let schema = record.value_schema_metadata.as_ref().unwrap();
        assert_eq!(schema.data_format.as_deref(), Some("AVRO"));
    }

    #[test]
    fn header_value_sent_as_a_string_is_read_as_its_bytes_and_kept_a_string() {
        let mut json: serde_json::Value = serde_json::from_str(&fixture("kafka/msk.json")).unwrap();
        json["records"]["mytopic-0"][0]["headers"][0]["headerKey"] = "headerValue".into();
        let event: KafkaEvent = round_trip(&json.to_string());
        let record = &event.records["mytopic-0"][0];
        assert_eq!(record.header("headerKey"), Some(&b"headerValue"[..]));
    }

    #[test]
    fn partition_as_string_of_older_samples_parses() {
        let json = fixture("kafka/msk.json").replace("\"partition\": 0", "\"partition\": \"0\"");
        let event: KafkaEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(event.records["mytopic-0"][0].partition, 0);
    }

    #[test]
    fn header_number_out_of_byte_range_is_an_error_with_its_path() {
        let json = fixture("kafka/msk.json").replacen("104,", "1004,", 1);
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, KafkaEvent>(de).unwrap_err();
        assert_eq!(
            err.path().to_string(),
            "records.mytopic-0[0].headers[0].headerKey"
        );
    }

    #[test]
    fn bad_base64_value_is_an_error_with_its_path() {
        let json = fixture("kafka/msk.json").replace(
            "\"value\": \"SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==\"",
            "\"value\": \"SGVsbG8@\"",
        );
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, KafkaEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "records.mytopic-0[0].value");
    }

    proptest! {
        #[test]
        fn any_header_bytes_round_trip_signed_or_unsigned(bytes in prop::collection::vec(any::<u8>(), 0..32), signed in any::<bool>()) {
            let numbers: Vec<i64> = bytes
                .iter()
                .map(|&b| if signed { i64::from(b as i8) } else { i64::from(b) })
                .collect();
            let json = serde_json::to_string(&numbers).unwrap();
            let value: KafkaHeaderValue = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(value.as_bytes(), &bytes[..]);
            prop_assert_eq!(serde_json::to_string(&value).unwrap(), json);
        }

        #[test]
        fn any_header_string_round_trips_as_a_string(text in ".*") {
            let json = serde_json::to_string(&text).unwrap();
            let value: KafkaHeaderValue = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(value.as_bytes(), text.as_bytes());
            prop_assert_eq!(serde_json::to_string(&value).unwrap(), json);
        }
    }
}
