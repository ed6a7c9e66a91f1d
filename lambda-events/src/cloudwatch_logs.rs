//! CloudWatch Logs subscription events (feature `cloudwatch-logs`).
//!
//! A subscription filter with a Lambda destination invokes the function asynchronously with a
//! [`LogsEvent`] whose `awslogs.data` is a compressed, base64-encoded JSON document: gzip as
//! CloudWatch Logs sends it, or zlib as some tools and older samples write it (the form is
//! recognised from the stream's header, [`Compression`]). This module decodes it while the
//! event is decoded, into [`LogsData`], and encodes it back when the event is serialized. A
//! payload that is not base64, not gzip or zlib, or not the expected JSON is a serde error at
//! `awslogs.data`, never a panic.
//!
//! Subscriptions to Kinesis or Firehose carry the same gzip JSON in each record's data:
//! decode it with [`LogsData::from_gzip`] (or [`LogsData::decompress`] for either form).
//!
//! A round trip is exact: when the payload was not changed, the base64 text it came in is
//! written back as it was; a changed payload is compressed again in the form it came in.

use crate::encodings::EpochMillis;
use base64::Engine;
use lambda_events_derive::event;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{self, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};

/// Largest decompressed payload accepted, far above the largest event Lambda accepts (gzip
/// compresses logs about tenfold), so that a hostile payload cannot exhaust memory.
const MAX_DECOMPRESSED_BYTES: u64 = 64 * 1024 * 1024;

/// A CloudWatch Logs subscription event.
///
/// ```
/// use lambda_events::cloudwatch_logs::{LogEvent, LogsData, LogsEvent};
///
/// // Build a payload as CloudWatch Logs would, then decode the event.
/// let data = LogsData {
///     message_type: "DATA_MESSAGE".into(),
///     log_group: "/aws/lambda/echo".into(),
///     log_events: vec![LogEvent { message: "hello".into(), ..Default::default() }],
///     ..Default::default()
/// };
/// let json = serde_json::to_string(&LogsEvent::new(data))?;
/// assert!(json.starts_with(r#"{"awslogs":{"data":"H4sI"#)); // base64 of a gzip header
///
/// let event: LogsEvent = serde_json::from_str(&json)?;
/// assert_eq!(event.aws_logs.data.log_events[0].message, "hello");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
pub struct LogsEvent {
    /// The payload.
    #[serde(rename = "awslogs")]
    pub aws_logs: AwsLogs,
}

impl LogsEvent {
    /// An event carrying `data` (for tests and local invocations).
    // `..Default::default()` fills the `other` map that feature `catch-all-fields` adds.
    #[allow(clippy::needless_update)]
    pub fn new(data: LogsData) -> Self {
        LogsEvent {
            aws_logs: AwsLogs {
                data,
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// The `awslogs` object: the decoded payload.
#[derive(Debug, Clone, Default)]
pub struct AwsLogs {
    /// The payload, decoded from base64 and gzip (or zlib) on input and encoded back on
    /// output.
    pub data: LogsData,
    /// Fields this version of the type does not know, kept for a lossless round trip
    /// (feature `catch-all-fields`).
    #[cfg(feature = "catch-all-fields")]
    pub other: serde_json::Map<String, serde_json::Value>,
    /// How `data` came: its compression and its text, to write it back the same way.
    wire: Wire,
}

/// The form `awslogs.data` came in.
#[derive(Debug, Clone, Default)]
struct Wire {
    compression: Compression,
    /// The base64 text as received, written back while `data` is unchanged.
    text: Option<String>,
}

/// How a CloudWatch Logs payload is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compression {
    /// gzip (RFC 1952), as CloudWatch Logs sends it; what new payloads are written in.
    #[default]
    Gzip,
    /// zlib (RFC 1950), as some tools and samples write it.
    Zlib,
}

impl Compression {
    /// The form of a compressed stream, from its header: gzip starts `1f 8b`; zlib with a
    /// deflate method byte (`x8`) and a header checksum that is a multiple of 31.
    pub fn detect(compressed: &[u8]) -> Option<Compression> {
        match compressed {
            [0x1f, 0x8b, ..] => Some(Compression::Gzip),
            [cmf, flg, ..]
                if cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0 =>
            {
                Some(Compression::Zlib)
            }
            _ => None,
        }
    }
}

impl AwsLogs {
    /// The compression the payload came in (gzip for a payload built here).
    pub fn compression(&self) -> Compression {
        self.wire.compression
    }

    /// Writes the payload with `compression` from now on.
    pub fn set_compression(&mut self, compression: Compression) {
        if compression != self.wire.compression {
            self.wire = Wire {
                compression,
                text: None,
            };
        }
    }
}

impl PartialEq for AwsLogs {
    /// Equal payloads (and unknown fields): the wire form does not count.
    fn eq(&self, other: &Self) -> bool {
        #[cfg(feature = "catch-all-fields")]
        if self.other != other.other {
            return false;
        }
        self.data == other.data
    }
}

/// The decoded payload: log events of one log stream that matched a subscription filter.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LogsData {
    /// `DATA_MESSAGE`, or `CONTROL_MESSAGE` for the health checks CloudWatch Logs sends to
    /// Kinesis and Firehose destinations.
    pub message_type: String,
    /// Account of the log group.
    pub owner: String,
    /// Log group name.
    pub log_group: String,
    /// Log stream name.
    pub log_stream: String,
    /// Names of the subscription filters that matched.
    pub subscription_filters: Vec<String>,
    /// The log events.
    pub log_events: Vec<LogEvent>,
    /// `ACCOUNT_LEVEL_POLICY` for account-level subscription policies.
    pub policy_level: Option<String>,
}

impl LogsData {
    /// Decodes the gzip-compressed JSON that CloudWatch Logs puts in Kinesis and Firehose
    /// records (and, base64-encoded, in `awslogs.data`).
    pub fn from_gzip(compressed: &[u8]) -> Result<LogsData, LogsDataError> {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(compressed)
            .take(MAX_DECOMPRESSED_BYTES + 1)
            .read_to_end(&mut json)
            .map_err(|e| LogsDataError::Gzip(e.to_string()))?;
        if json.len() as u64 > MAX_DECOMPRESSED_BYTES {
            return Err(LogsDataError::TooLarge);
        }
        serde_json::from_slice(&json).map_err(|e| LogsDataError::Json(e.to_string()))
    }

    /// Decodes gzip- or zlib-compressed JSON, recognising the form from its header.
    pub fn decompress(compressed: &[u8]) -> Result<(LogsData, Compression), LogsDataError> {
        match Compression::detect(compressed) {
            Some(Compression::Zlib) => {
                let mut json = Vec::new();
                flate2::read::ZlibDecoder::new(compressed)
                    .take(MAX_DECOMPRESSED_BYTES + 1)
                    .read_to_end(&mut json)
                    .map_err(|e| LogsDataError::Gzip(e.to_string()))?;
                if json.len() as u64 > MAX_DECOMPRESSED_BYTES {
                    return Err(LogsDataError::TooLarge);
                }
                let data = serde_json::from_slice(&json)
                    .map_err(|e| LogsDataError::Json(e.to_string()))?;
                Ok((data, Compression::Zlib))
            }
            // gzip, or neither: the gzip decoder names what is wrong with the header.
            _ => Ok((LogsData::from_gzip(compressed)?, Compression::Gzip)),
        }
    }

    /// Encodes the payload as gzip-compressed JSON.
    pub fn to_gzip(&self) -> Result<Vec<u8>, LogsDataError> {
        self.compress(Compression::Gzip)
    }

    /// Encodes the payload as compressed JSON in the form given.
    pub fn compress(&self, compression: Compression) -> Result<Vec<u8>, LogsDataError> {
        let json = serde_json::to_vec(self).map_err(|e| LogsDataError::Json(e.to_string()))?;
        let out = Vec::with_capacity(json.len() / 4);
        let written = match compression {
            Compression::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(out, Default::default());
                encoder.write_all(&json).and_then(|()| encoder.finish())
            }
            Compression::Zlib => {
                let mut encoder = flate2::write::ZlibEncoder::new(out, Default::default());
                encoder.write_all(&json).and_then(|()| encoder.finish())
            }
        };
        written.map_err(|e| LogsDataError::Gzip(e.to_string()))
    }
}

/// A log event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    /// Unique ID of the event.
    pub id: String,
    /// When the event occurred, in milliseconds since the Unix epoch.
    pub timestamp: EpochMillis,
    /// The log message.
    pub message: String,
    /// Fields extracted by a space-delimited filter pattern, by name.
    pub extracted_fields: Option<HashMap<String, String>>,
}

/// Why a CloudWatch Logs payload did not decode (or encode).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogsDataError {
    /// The payload is not base64.
    Base64(String),
    /// The payload is not a gzip or zlib stream (or compressing failed).
    Gzip(String),
    /// The decompressed payload is not the JSON of [`LogsData`].
    Json(String),
    /// The decompressed payload exceeds 64 MiB.
    TooLarge,
}

impl fmt::Display for LogsDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogsDataError::Base64(e) => write!(
                f,
                "the CloudWatch Logs payload is not valid base64 ({e}); `awslogs.data` must be \
                 the base64 of a gzip stream, as CloudWatch Logs sends it"
            ),
            LogsDataError::Gzip(e) => write!(
                f,
                "the CloudWatch Logs payload is not a valid gzip (or zlib) stream ({e}); \
                 CloudWatch Logs always compresses it, so the event did not come from a \
                 subscription filter or was altered"
            ),
            LogsDataError::Json(e) => write!(
                f,
                "the decompressed CloudWatch Logs payload is not the expected JSON ({e}); it \
                 must hold messageType, owner, logGroup, logStream, subscriptionFilters and \
                 logEvents"
            ),
            LogsDataError::TooLarge => write!(
                f,
                "the decompressed CloudWatch Logs payload exceeds {} MiB, far more than any \
                 real subscription event; refusing to decode it",
                MAX_DECOMPRESSED_BYTES / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for LogsDataError {}

/// Serde for `awslogs`: `data` is base64 of gzip (or zlib) of JSON; decode errors are
/// reported at `awslogs.data`.
mod wire {
    use super::*;
    use serde::{Deserialize, Serialize};

    /// `awslogs.data` decoded, with the text it came as.
    struct Payload {
        data: LogsData,
        wire: Wire,
    }

    #[derive(Deserialize)]
    struct AwsLogsIn {
        data: Payload,
        #[cfg(feature = "catch-all-fields")]
        #[serde(flatten)]
        other: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Serialize)]
    struct AwsLogsOut<'a> {
        data: PayloadOut<'a>,
        #[cfg(feature = "catch-all-fields")]
        #[serde(flatten)]
        other: &'a serde_json::Map<String, serde_json::Value>,
    }

    struct PayloadOut<'a>(&'a AwsLogs);

    impl<'de> Deserialize<'de> for AwsLogs {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let logs = AwsLogsIn::deserialize(deserializer)?;
            Ok(AwsLogs {
                data: logs.data.data,
                #[cfg(feature = "catch-all-fields")]
                other: logs.other,
                wire: logs.data.wire,
            })
        }
    }

    impl Serialize for AwsLogs {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            AwsLogsOut {
                data: PayloadOut(self),
                #[cfg(feature = "catch-all-fields")]
                other: &self.other,
            }
            .serialize(serializer)
        }
    }

    fn decode(text: &str) -> Result<(LogsData, Compression), LogsDataError> {
        let compressed = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| LogsDataError::Base64(e.to_string()))?;
        LogsData::decompress(&compressed)
    }

    impl Serialize for PayloadOut<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let logs = self.0;
            // The text as received, while it still holds the same payload (checked by
            // decoding it again: serializing a received event is rare, decoding is not).
            if let Some(text) = &logs.wire.text {
                if decode(text).is_ok_and(|(data, _)| data == logs.data) {
                    return serializer.serialize_str(text);
                }
            }
            let compressed = logs
                .data
                .compress(logs.wire.compression)
                .map_err(ser::Error::custom)?;
            serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(compressed))
        }
    }

    impl<'de> Deserialize<'de> for Payload {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_str(PayloadVisitor)
        }
    }

    struct PayloadVisitor;

    impl Visitor<'_> for PayloadVisitor {
        type Value = Payload;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a base64 string of gzip-compressed CloudWatch Logs JSON")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Payload, E> {
            let (data, compression) = decode(text).map_err(E::custom)?;
            Ok(Payload {
                data,
                wire: Wire {
                    compression,
                    text: Some(text.to_owned()),
                },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::fixture;
    use proptest::prelude::*;

    /// The JSON inside `awslogs.data` of an event in JSON form.
    fn decoded_payload(event: &serde_json::Value) -> serde_json::Value {
        let text = event["awslogs"]["data"].as_str().unwrap();
        let compressed = base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap();
        let mut json = String::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_string(&mut json)
            .unwrap();
        serde_json::from_str(&json).unwrap()
    }

    fn error_of(json: &str) -> serde_path_to_error::Error<serde_json::Error> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize::<_, LogsEvent>(de).unwrap_err()
    }

    #[test]
    fn subscription_event_decodes_and_encodes_back_the_same_payload() {
        let json = fixture("cloudwatch_logs/subscription.json");
        let event: LogsEvent = serde_json::from_str(&json).unwrap();
        let data = &event.aws_logs.data;
        assert_eq!(data.message_type, "DATA_MESSAGE");
        assert_eq!(data.owner, "123456789012");
        assert_eq!(data.log_group, "/aws/lambda/echo-nodejs");
        assert_eq!(
            data.subscription_filters,
            ["LambdaStream_cloudwatchlogs-node"]
        );
        let log_event = &data.log_events[0];
        assert_eq!(
            log_event.id,
            "34622316099697884706540976068822859012661220141643892546"
        );
        assert_eq!(log_event.timestamp.as_i64(), 1552518348220);
        assert!(log_event.message.starts_with("REPORT RequestId: 6234bffe"));

        let input: serde_json::Value = serde_json::from_str(&json).unwrap();
        let output = serde_json::to_value(&event).unwrap();
        assert_eq!(decoded_payload(&output), decoded_payload(&input));
        let documented: serde_json::Value =
            serde_json::from_str(&fixture("cloudwatch_logs/subscription-data.json")).unwrap();
        assert_eq!(decoded_payload(&input), documented);
    }

    #[test]
    fn extracted_fields_and_policy_level_round_trip() {
        let data: LogsData =
            crate::test_util::round_trip(&fixture("cloudwatch_logs/extracted-fields-data.json"));
        assert_eq!(data.policy_level.as_deref(), Some("ACCOUNT_LEVEL_POLICY"));
        let fields = data.log_events[0].extracted_fields.as_ref().unwrap();
        assert_eq!(fields["status"], "404");
    }

    #[test]
    fn kinesis_record_data_decodes_with_from_gzip() {
        let data: LogsData =
            serde_json::from_str(&fixture("cloudwatch_logs/subscription-data.json")).unwrap();
        let compressed = data.to_gzip().unwrap();
        assert_eq!(&compressed[..2], &[0x1f, 0x8b]);
        assert_eq!(LogsData::from_gzip(&compressed).unwrap(), data);
    }

    #[test]
    fn bad_base64_is_an_error_at_awslogs_data() {
        let err = error_of(r#"{"awslogs":{"data":"not base64!"}}"#);
        assert_eq!(err.path().to_string(), "awslogs.data");
        assert!(err.to_string().contains("not valid base64"), "{err}");
    }

    #[test]
    fn base64_that_is_not_gzip_is_an_error_at_awslogs_data() {
        let err = error_of(r#"{"awslogs":{"data":"aGVsbG8gd29ybGQ="}}"#);
        assert_eq!(err.path().to_string(), "awslogs.data");
        assert!(
            err.to_string()
                .contains("not a valid gzip (or zlib) stream"),
            "{err}"
        );
    }

    #[test]
    fn zlib_payload_decodes_and_is_written_back_as_zlib() {
        let data: LogsData =
            serde_json::from_str(&fixture("cloudwatch_logs/subscription-data.json")).unwrap();
        let zlib = data.compress(Compression::Zlib).unwrap();
        assert_eq!(Compression::detect(&zlib), Some(Compression::Zlib));
        let text = base64::engine::general_purpose::STANDARD.encode(&zlib);
        let json = format!(r#"{{"awslogs":{{"data":"{text}"}}}}"#);
        let mut event: LogsEvent = crate::test_util::round_trip(&json);
        assert_eq!(event.aws_logs.compression(), Compression::Zlib);
        assert_eq!(event.aws_logs.data, data);

        // A changed payload is compressed again, still as zlib.
        event.aws_logs.data.log_events.clear();
        let output = serde_json::to_value(&event).unwrap();
        let written = base64::engine::general_purpose::STANDARD
            .decode(output["awslogs"]["data"].as_str().unwrap())
            .unwrap();
        assert_eq!(Compression::detect(&written), Some(Compression::Zlib));
        let (back, form) = LogsData::decompress(&written).unwrap();
        assert_eq!(form, Compression::Zlib);
        assert!(back.log_events.is_empty());
    }

    #[test]
    fn gzip_payload_text_is_written_back_exactly() {
        let json = fixture("cloudwatch_logs/subscription.json");
        let event: LogsEvent = crate::test_util::round_trip(&json);
        assert_eq!(event.aws_logs.compression(), Compression::Gzip);
    }

    #[test]
    fn truncated_gzip_is_an_error_at_awslogs_data() {
        let data: LogsData =
            serde_json::from_str(&fixture("cloudwatch_logs/subscription-data.json")).unwrap();
        let compressed = data.to_gzip().unwrap();
        let cut =
            base64::engine::general_purpose::STANDARD.encode(&compressed[..compressed.len() / 2]);
        let err = error_of(&format!(r#"{{"awslogs":{{"data":"{cut}"}}}}"#));
        assert_eq!(err.path().to_string(), "awslogs.data");
        assert!(err.to_string().contains("gzip"), "{err}");
    }

    #[test]
    fn gzip_of_other_json_is_an_error_at_awslogs_data() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), Default::default());
        encoder.write_all(br#"{"messageType": 5}"#).unwrap();
        let text = base64::engine::general_purpose::STANDARD.encode(encoder.finish().unwrap());
        let err = error_of(&format!(r#"{{"awslogs":{{"data":"{text}"}}}}"#));
        assert_eq!(err.path().to_string(), "awslogs.data");
        assert!(err.to_string().contains("not the expected JSON"), "{err}");
    }

    #[test]
    fn number_instead_of_payload_string_is_an_error_at_awslogs_data() {
        let err = error_of(r#"{"awslogs":{"data":12}}"#);
        assert_eq!(err.path().to_string(), "awslogs.data");
    }

    proptest! {
        #[test]
        fn any_payload_round_trips_through_the_event(
            group in ".*",
            filters in prop::collection::vec(".*", 0..3),
            events in prop::collection::vec((".*", any::<i64>(), ".*"), 0..5),
        ) {
            let data = LogsData {
                message_type: "DATA_MESSAGE".into(),
                owner: "123456789012".into(),
                log_group: group,
                log_stream: "stream".into(),
                subscription_filters: filters,
                log_events: events
                    .into_iter()
                    .map(|(id, ts, message)| LogEvent {
                        id,
                        timestamp: EpochMillis::from_millis(ts),
                        message,
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            };
            for compression in [Compression::Gzip, Compression::Zlib] {
                let mut event = LogsEvent::new(data.clone());
                event.aws_logs.set_compression(compression);
                let json = serde_json::to_string(&event).unwrap();
                let back: LogsEvent = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(back.aws_logs.compression(), compression);
                prop_assert_eq!(&back.aws_logs.data, &data);
                prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
            }
        }

        #[test]
        fn any_string_as_payload_gives_an_error_or_data_never_a_panic(text in ".*") {
            let json = serde_json::json!({"awslogs": {"data": text}}).to_string();
            let _ = serde_json::from_str::<LogsEvent>(&json);
        }

        #[test]
        fn any_bytes_as_gzip_give_an_error_or_data_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let mut with_header = vec![0x1f, 0x8b, 0x08, 0x00];
            with_header.extend(bytes);
            let _ = LogsData::from_gzip(&with_header);
        }
    }
}
