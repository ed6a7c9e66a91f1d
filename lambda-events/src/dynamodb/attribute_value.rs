//! [`AttributeValue`]: one DynamoDB value in its typed wire form.

use crate::encodings::Base64Data;
use lambda_events_derive::event;
use std::collections::HashMap;

/// A DynamoDB item (or key, or image): attribute values by attribute name.
pub type Item = HashMap<String, AttributeValue>;

/// A DynamoDB attribute value, as it appears in stream records: an object with one key naming
/// the type (`{"S": "text"}`, `{"N": "12.5"}`, `{"M": {..}}`, ...).
///
/// Numbers (`N`, `NS`) are kept as the decimal strings DynamoDB sends, so no precision is lost;
/// [`from_item`](super::from_item) parses them into the field types of a struct.
///
/// ```
/// use lambda_events::dynamodb::AttributeValue;
///
/// let value: AttributeValue = serde_json::from_str(r#"{"N": "101"}"#)?;
/// assert_eq!(value, AttributeValue::N("101".into()));
/// assert_eq!(value.as_n::<u32>(), Some(101));
/// assert_eq!(serde_json::to_string(&AttributeValue::Bool(true))?, r#"{"BOOL":true}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
pub enum AttributeValue {
    /// A string.
    #[serde(rename = "S")]
    S(String),
    /// A number, as its decimal string (up to 38 significant digits).
    #[serde(rename = "N")]
    N(String),
    /// Binary data (base64 on the wire).
    #[serde(rename = "B")]
    B(Base64Data),
    /// A string set.
    #[serde(rename = "SS")]
    Ss(Vec<String>),
    /// A number set, as decimal strings.
    #[serde(rename = "NS")]
    Ns(Vec<String>),
    /// A binary set.
    #[serde(rename = "BS")]
    Bs(Vec<Base64Data>),
    /// A map of attribute values.
    #[serde(rename = "M")]
    M(HashMap<String, AttributeValue>),
    /// A list of attribute values.
    #[serde(rename = "L")]
    L(Vec<AttributeValue>),
    /// Null; DynamoDB always sends `{"NULL": true}`.
    #[serde(rename = "NULL")]
    Null(bool),
    /// A boolean.
    #[serde(rename = "BOOL")]
    Bool(bool),
}

impl AttributeValue {
    /// The string of an `S` value.
    pub fn as_s(&self) -> Option<&str> {
        match self {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }

    /// The number of an `N` value, parsed as `T` (`None` when it is not an `N` or does not
    /// parse as `T`).
    pub fn as_n<T: std::str::FromStr>(&self) -> Option<T> {
        match self {
            AttributeValue::N(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The bytes of a `B` value.
    pub fn as_b(&self) -> Option<&[u8]> {
        match self {
            AttributeValue::B(b) => Some(&b.0),
            _ => None,
        }
    }

    /// The value of a `BOOL`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttributeValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The attributes of an `M` value.
    pub fn as_m(&self) -> Option<&Item> {
        match self {
            AttributeValue::M(m) => Some(m),
            _ => None,
        }
    }

    /// The elements of an `L` value.
    pub fn as_l(&self) -> Option<&[AttributeValue]> {
        match self {
            AttributeValue::L(l) => Some(l),
            _ => None,
        }
    }

    /// Whether this is `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self, AttributeValue::Null(_))
    }

    /// The DynamoDB type descriptor: `S`, `N`, `B`, `SS`, `NS`, `BS`, `M`, `L`, `NULL` or
    /// `BOOL`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Null(_) => "NULL",
            AttributeValue::Bool(_) => "BOOL",
        }
    }
}

impl From<String> for AttributeValue {
    fn from(s: String) -> Self {
        AttributeValue::S(s)
    }
}

impl From<&str> for AttributeValue {
    fn from(s: &str) -> Self {
        AttributeValue::S(s.to_owned())
    }
}

impl From<bool> for AttributeValue {
    fn from(b: bool) -> Self {
        AttributeValue::Bool(b)
    }
}

impl From<Vec<u8>> for AttributeValue {
    fn from(bytes: Vec<u8>) -> Self {
        AttributeValue::B(Base64Data(bytes))
    }
}

impl From<Item> for AttributeValue {
    fn from(item: Item) -> Self {
        AttributeValue::M(item)
    }
}

impl From<Vec<AttributeValue>> for AttributeValue {
    fn from(list: Vec<AttributeValue>) -> Self {
        AttributeValue::L(list)
    }
}

macro_rules! number_from {
    ($($t:ty),*) => {$(
        impl From<$t> for AttributeValue {
            fn from(n: $t) -> Self {
                AttributeValue::N(n.to_string())
            }
        }
    )*};
}

number_from!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
