//! Values AWS sends in more than one JSON form (one string or a list; a string, a number or a
//! boolean), kept in the form they came in.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A JSON value that AWS sends either as one string or as an array of strings, such as the
/// `Action` and `Resource` of an IAM policy statement.
///
/// It is written back in the form it was read in, so a round trip is exact; use
/// [`iter`](Self::iter) to treat both forms alike.
///
/// ```
/// use lambda_events::encodings::StringOrList;
///
/// let one: StringOrList = serde_json::from_str(r#""s3:GetObject""#).unwrap();
/// let many: StringOrList = serde_json::from_str(r#"["s3:GetObject","s3:PutObject"]"#).unwrap();
/// assert_eq!(one.iter().collect::<Vec<_>>(), ["s3:GetObject"]);
/// assert_eq!(many.iter().count(), 2);
/// assert_eq!(serde_json::to_string(&one).unwrap(), r#""s3:GetObject""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringOrList {
    /// A single JSON string.
    One(String),
    /// A JSON array of strings (possibly of length one or zero).
    Many(Vec<String>),
}

impl StringOrList {
    /// Every string, in order: one for [`StringOrList::One`], all for [`StringOrList::Many`].
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (one, many): (Option<&String>, &[String]) = match self {
            StringOrList::One(s) => (Some(s), &[]),
            StringOrList::Many(v) => (None, v),
        };
        one.into_iter().chain(many).map(String::as_str)
    }

    /// The first string, if any.
    pub fn first(&self) -> Option<&str> {
        self.iter().next()
    }

    /// Whether any of the strings equals `value`.
    pub fn contains(&self, value: &str) -> bool {
        self.iter().any(|s| s == value)
    }
}

impl Default for StringOrList {
    /// An empty array.
    fn default() -> Self {
        StringOrList::Many(Vec::new())
    }
}

impl From<&str> for StringOrList {
    fn from(s: &str) -> Self {
        StringOrList::One(s.to_owned())
    }
}

impl From<String> for StringOrList {
    fn from(s: String) -> Self {
        StringOrList::One(s)
    }
}

impl From<Vec<String>> for StringOrList {
    fn from(v: Vec<String>) -> Self {
        StringOrList::Many(v)
    }
}

impl Serialize for StringOrList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            StringOrList::One(s) => serializer.serialize_str(s),
            StringOrList::Many(v) => v.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for StringOrList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StringOrListVisitor;
        impl<'de> Visitor<'de> for StringOrListVisitor {
            type Value = StringOrList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<StringOrList, E> {
                Ok(StringOrList::One(s.to_owned()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<StringOrList, E> {
                Ok(StringOrList::One(s))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<StringOrList, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(StringOrList::Many(items))
            }
        }
        deserializer.deserialize_any(StringOrListVisitor)
    }
}

/// A scalar that AWS documents as a string but sometimes sends as a JSON number or boolean,
/// such as Cognito's `"phone_number_verified": true` or Amazon MQ's `"expiration": 0`.
///
/// It reads as text ([`as_str`](Self::as_str), `Deref<Target = str>`, comparisons with `&str`)
/// and is written back in the JSON form it came in, so a round trip is exact. A value built
/// from a `String` or `&str` is written as a JSON string. Objects, arrays and `null` are a
/// serde error.
///
/// ```
/// use lambda_events::encodings::LooseString;
///
/// let flag: LooseString = serde_json::from_str("true").unwrap();
/// assert_eq!(flag, "true");
/// assert_eq!(serde_json::to_string(&flag).unwrap(), "true");
///
/// let text: LooseString = serde_json::from_str(r#""true""#).unwrap();
/// assert_eq!(text, "true");
/// assert_eq!(serde_json::to_string(&text).unwrap(), r#""true""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct LooseString {
    text: String,
    form: ScalarForm,
}

/// The JSON form a [`LooseString`] arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
enum ScalarForm {
    #[default]
    String,
    Bool,
    Number,
}

impl LooseString {
    /// The value as text (`"true"` for the JSON boolean `true`, `"12"` for the number `12`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the value arrived as a JSON string (not as a number or boolean).
    pub fn is_string(&self) -> bool {
        self.form == ScalarForm::String
    }

    /// The value as a boolean, when it is `true` or `false` (as a boolean or as text).
    pub fn as_bool(&self) -> Option<bool> {
        self.text.parse().ok()
    }
}

impl std::ops::Deref for LooseString {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for LooseString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<String> for LooseString {
    fn from(text: String) -> Self {
        LooseString {
            text,
            form: ScalarForm::String,
        }
    }
}

impl From<&str> for LooseString {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

impl From<bool> for LooseString {
    /// A value written as a JSON boolean.
    fn from(value: bool) -> Self {
        LooseString {
            text: value.to_string(),
            form: ScalarForm::Bool,
        }
    }
}

impl PartialEq<str> for LooseString {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for LooseString {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl Serialize for LooseString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.form {
            ScalarForm::String => serializer.serialize_str(&self.text),
            ScalarForm::Bool => serializer.serialize_bool(self.text == "true"),
            // The text came from a JSON number: write that number again (std's float parsing is
            // exact, so a float read and re-written is the same float).
            ScalarForm::Number => {
                if let Ok(n) = self.text.parse::<i64>() {
                    serializer.serialize_i64(n)
                } else if let Ok(n) = self.text.parse::<u64>() {
                    serializer.serialize_u64(n)
                } else if let Ok(f) = self.text.parse::<f64>() {
                    serializer.serialize_f64(f)
                } else {
                    serializer.serialize_str(&self.text)
                }
            }
        }
    }
}

impl<'de> Deserialize<'de> for LooseString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LooseVisitor;
        impl Visitor<'_> for LooseVisitor {
            type Value = LooseString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or a boolean")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<LooseString, E> {
                Ok(s.into())
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<LooseString, E> {
                Ok(s.into())
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<LooseString, E> {
                Ok(b.into())
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<LooseString, E> {
                Ok(number(n.to_string()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<LooseString, E> {
                Ok(number(n.to_string()))
            }
            fn visit_f64<E: de::Error>(self, f: f64) -> Result<LooseString, E> {
                if f.is_finite() {
                    Ok(number(format!("{f:?}")))
                } else {
                    Err(E::custom("a number must be finite"))
                }
            }
        }
        fn number(text: String) -> LooseString {
            LooseString {
                text,
                form: ScalarForm::Number,
            }
        }
        deserializer.deserialize_any(LooseVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::from_value;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn string_or_list_keeps_its_form() {
        for input in [json!("a"), json!(["a", "b"]), json!([]), json!(["a"])] {
            let v: StringOrList = from_value(input.clone()).unwrap();
            assert_eq!(serde_json::to_value(&v).unwrap(), input);
        }
        let err = from_value::<StringOrList>(json!(["a", 1])).unwrap_err();
        assert!(err.contains("expected a string"), "{err}");
        assert!(from_value::<StringOrList>(json!(true)).is_err());
    }

    #[test]
    fn loose_string_keeps_string_number_and_boolean_forms() {
        for input in [
            json!("a"),
            json!(true),
            json!(false),
            json!(12),
            json!(-3),
            json!(1.5),
            json!("true"),
        ] {
            let v: LooseString = from_value(input.clone()).unwrap();
            assert_eq!(serde_json::to_value(&v).unwrap(), input);
        }
        let v: LooseString = from_value(json!(true)).unwrap();
        assert_eq!(v, "true");
        assert_eq!(v.as_bool(), Some(true));
        assert!(!v.is_string());
        for bad in [json!(null), json!([]), json!({})] {
            let err = from_value::<LooseString>(bad).unwrap_err();
            assert!(err.contains("a string, a number or a boolean"), "{err}");
        }
    }

    proptest! {
        #[test]
        fn string_or_list_round_trips(items in proptest::collection::vec(".*", 0..5), one in any::<bool>()) {
            let input = if one && !items.is_empty() { json!(items[0]) } else { json!(items) };
            let v: StringOrList = serde_json::from_value(input.clone()).unwrap();
            prop_assert_eq!(serde_json::to_value(&v).unwrap(), input);
        }

        #[test]
        fn loose_string_round_trips_any_scalar(text in ".*", n in any::<i64>(), f in -1e15f64..1e15, b in any::<bool>(), pick in 0u8..4) {
            let input = match pick {
                0 => json!(text),
                1 => json!(n),
                2 => json!(f),
                _ => json!(b),
            };
            let v: LooseString = serde_json::from_value(input.clone()).unwrap();
            prop_assert_eq!(serde_json::to_value(&v).unwrap(), input);
        }
    }
}
