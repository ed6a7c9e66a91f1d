//! Base64 blobs.

use std::fmt;
use std::ops::{Deref, DerefMut};

use base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Binary data carried in JSON as a string of standard, padded base64 (RFC 4648 §4).
///
/// Deserializing decodes the string and fails with a serde error (carrying the field path) when
/// it is not valid base64; serializing encodes it again. Decoding is strict (padding required,
/// no stray bits), so the encoded form is canonical and a round trip gives back the same string.
///
/// ```
/// use lambda_events::encodings::Base64Data;
///
/// let data: Base64Data = serde_json::from_str(r#""aGVsbG8=""#).unwrap();
/// assert_eq!(&*data, b"hello");
/// assert_eq!(serde_json::to_string(&data).unwrap(), r#""aGVsbG8=""#);
///
/// let bad = serde_json::from_str::<Base64Data>(r#""not base64!""#);
/// assert!(bad.is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Data(pub Vec<u8>);

impl Deref for Base64Data {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl DerefMut for Base64Data {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

impl From<Vec<u8>> for Base64Data {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Data(bytes)
    }
}

impl From<&[u8]> for Base64Data {
    fn from(bytes: &[u8]) -> Self {
        Base64Data(bytes.to_vec())
    }
}

impl From<Base64Data> for Vec<u8> {
    fn from(data: Base64Data) -> Self {
        data.0
    }
}

impl AsRef<[u8]> for Base64Data {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Base64Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Base64Visitor;
        impl Visitor<'_> for Base64Visitor {
            type Value = Base64Data;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string of standard base64")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Base64Data, E> {
                base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .map(Base64Data)
                    .map_err(|e| {
                        E::custom(format_args!(
                            "invalid base64 ({e}): expected standard padded base64 (RFC 4648 §4)"
                        ))
                    })
            }
        }
        deserializer.deserialize_str(Base64Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::from_value;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    #[test]
    fn base64_rejects_invalid_input_with_a_serde_error() {
        let err = from_value::<Base64Data>(json!("not base64!")).unwrap_err();
        assert!(err.contains("invalid base64"), "{err}");
        // Missing padding and stray trailing bits are not canonical: rejected.
        assert!(from_value::<Base64Data>(json!("aGVsbG8")).is_err());
        assert!(from_value::<Base64Data>(json!("aGVsbG9=")).is_err());
        assert!(from_value::<Base64Data>(json!(12)).is_err());
    }

    #[test]
    fn base64_error_carries_the_field_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Record {
            #[allow(dead_code)]
            data: Base64Data,
        }
        let de = &mut serde_json::Deserializer::from_str(r#"{"data":"%%"}"#);
        let err = serde_path_to_error::deserialize::<_, Record>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "data");
    }

    #[test]
    fn base64_empty_string_is_empty_data() {
        let data: Base64Data = from_value(json!("")).unwrap();
        assert!(data.is_empty());
    }

    proptest! {
        #[test]
        fn base64_round_trips_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let json = serde_json::to_value(Base64Data(bytes.clone())).unwrap();
            let back: Base64Data = serde_json::from_value(json.clone()).unwrap();
            prop_assert_eq!(&back.0, &bytes);
            prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
        }

        #[test]
        fn base64_never_panics_on_any_string(s in ".*") {
            let _ = serde_json::from_value::<Base64Data>(Value::String(s));
        }
    }
}
