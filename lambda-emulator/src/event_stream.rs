//! The `application/vnd.amazon.eventstream` encoding of InvokeWithResponseStream answers, as
//! the AWS SDKs read them: `PayloadChunk` events, then one `InvokeComplete`.
//!
//! A message is a prelude (total length and headers length, big-endian `u32`s, and the
//! CRC32 of those 8 bytes), the headers (name length `u8`, name, type 7 = string, value
//! length big-endian `u16`, value), the payload, and the CRC32 of everything before it.

use bytes::{BufMut, Bytes, BytesMut};

/// The content type of an event-stream body.
pub(crate) const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// Header value type 7: a UTF-8 string.
const STRING: u8 = 7;

/// One `PayloadChunk` event carrying `data`.
pub(crate) fn payload_chunk(data: &[u8]) -> Bytes {
    message(
        &[
            (":event-type", "PayloadChunk"),
            (":content-type", "application/octet-stream"),
            (":message-type", "event"),
        ],
        data,
    )
}

/// How the invocation ended, for `InvokeComplete`.
#[derive(Debug, Default)]
pub(crate) struct Completion {
    /// `Unhandled` for a function error, else the environment's error type.
    pub(crate) error_code: Option<String>,
    /// The error, as JSON text.
    pub(crate) error_details: Option<String>,
    /// The base64 tail log, when the caller asked for it.
    pub(crate) log_result: Option<String>,
}

/// The closing `InvokeComplete` event.
pub(crate) fn invoke_complete(completion: &Completion) -> Bytes {
    let mut fields = serde_json::Map::new();
    let mut set = |name: &str, value: &Option<String>| {
        if let Some(value) = value {
            fields.insert(name.to_string(), value.clone().into());
        }
    };
    set("ErrorCode", &completion.error_code);
    set("ErrorDetails", &completion.error_details);
    set("LogResult", &completion.log_result);
    let payload = serde_json::Value::Object(fields).to_string();
    message(
        &[
            (":event-type", "InvokeComplete"),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        payload.as_bytes(),
    )
}

/// One event-stream message with string headers.
fn message(headers: &[(&str, &str)], payload: &[u8]) -> Bytes {
    let headers_len: usize = headers
        .iter()
        .map(|(name, value)| 1 + name.len() + 1 + 2 + value.len())
        .sum();
    let total = 12 + headers_len + payload.len() + 4;
    let mut out = BytesMut::with_capacity(total);
    // Lengths are bounded by the callers (header names and values are short; a payload chunk
    // is at most what one read of the runtime's stream gave), so they fit their fields.
    out.put_u32(total as u32);
    out.put_u32(headers_len as u32);
    out.put_u32(crc32(&out[..8]));
    for (name, value) in headers {
        out.put_u8(name.len() as u8);
        out.put_slice(name.as_bytes());
        out.put_u8(STRING);
        out.put_u16(value.len() as u16);
        out.put_slice(value.as_bytes());
    }
    out.put_slice(payload);
    let checksum = crc32(&out);
    out.put_u32(checksum);
    out.freeze()
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as the event-stream framing uses.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc = TABLE[((crc ^ u32::from(byte)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut crc = n as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                0xEDB8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[n] = crc;
        n += 1;
    }
    table
};

/// The largest payload one message carries: a longer chunk is split (the prelude's total
/// length is a `u32`, and SDKs cap messages at 16 MiB).
pub(crate) const MAX_CHUNK: usize = 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    /// Decodes one message: its headers and payload, checking both checksums.
    fn decode(bytes: &[u8]) -> (Vec<(String, String)>, Vec<u8>) {
        let total = u32::from_be_bytes(bytes[0..4].try_into().unwrap()) as usize;
        let headers_len = u32::from_be_bytes(bytes[4..8].try_into().unwrap()) as usize;
        assert_eq!(total, bytes.len());
        assert_eq!(
            u32::from_be_bytes(bytes[8..12].try_into().unwrap()),
            crc32(&bytes[..8])
        );
        assert_eq!(
            u32::from_be_bytes(bytes[total - 4..].try_into().unwrap()),
            crc32(&bytes[..total - 4])
        );
        let mut headers = Vec::new();
        let mut at = 12;
        while at < 12 + headers_len {
            let name_len = bytes[at] as usize;
            let name = String::from_utf8(bytes[at + 1..at + 1 + name_len].to_vec()).unwrap();
            at += 1 + name_len;
            assert_eq!(bytes[at], STRING);
            let value_len = u16::from_be_bytes([bytes[at + 1], bytes[at + 2]]) as usize;
            let value = String::from_utf8(bytes[at + 3..at + 3 + value_len].to_vec()).unwrap();
            at += 3 + value_len;
            headers.push((name, value));
        }
        (headers, bytes[12 + headers_len..total - 4].to_vec())
    }

    #[test]
    fn payload_chunks_and_invoke_complete_decode_with_valid_checksums() {
        let (headers, payload) = decode(&payload_chunk(b"hello"));
        assert_eq!(headers[0], (":event-type".into(), "PayloadChunk".into()));
        assert_eq!(payload, b"hello");
        let complete = invoke_complete(&Completion {
            error_code: Some("Unhandled".into()),
            error_details: Some("{}".into()),
            log_result: None,
        });
        let (headers, payload) = decode(&complete);
        assert_eq!(headers[0], (":event-type".into(), "InvokeComplete".into()));
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&payload).unwrap(),
            serde_json::json!({"ErrorCode": "Unhandled", "ErrorDetails": "{}"})
        );
    }
}
