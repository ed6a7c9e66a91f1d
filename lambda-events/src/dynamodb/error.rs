//! [`ItemError`]: why an item did not convert to or from a Rust value.

use std::fmt;

/// Why [`from_item`](super::from_item) or [`to_item`](super::to_item) (and their
/// single-value forms) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemError {
    /// The item does not fit the Rust type: a missing attribute, an attribute of another
    /// DynamoDB type, or an error raised by the type's own `Deserialize`/`Serialize`.
    Mismatch(String),
    /// An `N` value that does not fit the numeric field it is decoded into.
    BadNumber {
        /// The number as DynamoDB sent it.
        value: String,
        /// The Rust type it was decoded into, such as `u8`.
        expected: &'static str,
    },
    /// [`to_item`](super::to_item) was given a value that is not a struct or map.
    NotAnItem {
        /// The DynamoDB type the value became instead, such as `S`.
        found: &'static str,
    },
    /// A map key that is not a string, a character or an integer.
    KeyNotString,
    /// A float that is infinite or NaN, which DynamoDB cannot store.
    NonFiniteNumber,
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemError::Mismatch(message) => write!(
                f,
                "the DynamoDB item does not fit the Rust type: {message}; check the field names \
                 and types against the table's attributes (`Option` for attributes some items lack)"
            ),
            ItemError::BadNumber { value, expected } => write!(
                f,
                "the DynamoDB number {value:?} does not fit in {expected}; use a wider type \
                 (or f64, or String to keep every digit)"
            ),
            ItemError::NotAnItem { found } => write!(
                f,
                "a DynamoDB item is a map of attributes, but the value became a {found}; pass a \
                 struct or a map to `to_item`, or use `to_attribute_value` for a single value"
            ),
            ItemError::KeyNotString => write!(
                f,
                "DynamoDB attribute names are strings, but a map key is not a string, a \
                 character or an integer; convert the keys to strings first"
            ),
            ItemError::NonFiniteNumber => write!(
                f,
                "DynamoDB numbers are finite, but a float is infinite or NaN; store it as a \
                 string or leave it out"
            ),
        }
    }
}

impl std::error::Error for ItemError {}

impl serde::de::Error for ItemError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ItemError::Mismatch(msg.to_string())
    }
}

impl serde::ser::Error for ItemError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ItemError::Mismatch(msg.to_string())
    }
}
