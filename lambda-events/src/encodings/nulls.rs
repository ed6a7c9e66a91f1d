//! Explicit `null`s kept as they came: the support of `#[event(keep_nulls)]`.
//!
//! AWS sends some optional fields as `null` in one event and leaves them out of another (the
//! caller identity of an API Gateway REST request is all `null`s, that of a WebSocket message
//! carries only `sourceIp`). A struct declared `#[event(keep_nulls)]` remembers, in its
//! [`ExplicitNulls`] field, which of its `None` fields came as `null`, and writes exactly those
//! back as `null`: the round trip is exact both ways.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Which optional fields of an event came as an explicit `null` (rather than absent), so that
/// serializing writes them back as `null`.
///
/// Set by deserialization; a field that holds `Some` is written with its value whatever this
/// says. It takes no part in equality: two events with the same values are equal whether a
/// `None` came as `null` or as a missing key. [`clear`](Self::clear) it to write every `None`
/// field as absent.
#[derive(Clone, Copy, Default)]
pub struct ExplicitNulls(u64);

impl ExplicitNulls {
    /// Whether no field came as `null`.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// Forgets the explicit `null`s: every `None` field is then left out on output.
    pub fn clear(&mut self) {
        self.0 = 0;
    }

    /// Records that the optional field numbered `bit` came as `null`.
    #[doc(hidden)]
    pub fn insert(&mut self, bit: u32) {
        self.0 |= 1 << bit;
    }

    /// Whether the optional field numbered `bit` came as `null`.
    #[doc(hidden)]
    pub fn contains(&self, bit: u32) -> bool {
        self.0 & (1 << bit) != 0
    }
}

impl PartialEq for ExplicitNulls {
    /// Always true: where a `None` came from does not make two events different.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ExplicitNulls {}

impl fmt::Debug for ExplicitNulls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExplicitNulls({:#b})", self.0)
    }
}

/// An optional field as read: absent, `null`, or a value. Generated code only.
#[doc(hidden)]
#[derive(Default)]
pub enum Tri<T> {
    /// The key was missing.
    #[default]
    Absent,
    /// The key was `null`.
    Null,
    /// The key had a value.
    Value(T),
}

impl<T> Tri<T> {
    /// A missing key (the default, without a `T: Default` bound).
    #[doc(hidden)]
    pub fn absent() -> Self {
        Tri::Absent
    }

    /// The field's value; a `null` is recorded in `nulls` as `bit`.
    #[doc(hidden)]
    pub fn into_option(self, nulls: &mut ExplicitNulls, bit: u32) -> Option<T> {
        match self {
            Tri::Absent => None,
            Tri::Null => {
                nulls.insert(bit);
                None
            }
            Tri::Value(value) => Some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tri<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TriVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for TriVisitor<T> {
            type Value = Tri<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Tri<T>, E> {
                Ok(Tri::Null)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Tri<T>, E> {
                Ok(Tri::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tri<T>, D::Error> {
                T::deserialize(d).map(Tri::Value)
            }
        }
        deserializer.deserialize_option(TriVisitor(std::marker::PhantomData))
    }
}

/// An optional field to write: its value, or `null` when it came as `null` (or is marked
/// `#[event(null)]`). Generated code only.
#[doc(hidden)]
pub struct NullOr<'a, T> {
    value: &'a Option<T>,
    null: bool,
}

impl<'a, T> NullOr<'a, T> {
    /// The field `value`; `null` says whether a `None` is written as `null`.
    #[doc(hidden)]
    pub fn new(value: &'a Option<T>, null: bool) -> Self {
        NullOr { value, null }
    }

    /// Whether the field is left out: `None`, and not written as `null`.
    #[doc(hidden)]
    pub fn skip(&self) -> bool {
        self.value.is_none() && !self.null
    }
}

impl<T: Serialize> Serialize for NullOr<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Some(value) => serializer.serialize_some(value),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_recorded_and_cleared() {
        let mut nulls = ExplicitNulls::default();
        assert!(nulls.is_empty());
        nulls.insert(0);
        nulls.insert(63);
        assert!(nulls.contains(0) && nulls.contains(63) && !nulls.contains(1));
        assert_eq!(nulls, ExplicitNulls::default());
        nulls.clear();
        assert!(nulls.is_empty());
    }

    #[test]
    fn tri_tells_null_from_absent() {
        let mut nulls = ExplicitNulls::default();
        let null: Tri<String> = serde_json::from_str("null").unwrap();
        assert_eq!(null.into_option(&mut nulls, 3), None);
        assert!(nulls.contains(3));
        let value: Tri<String> = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(value.into_option(&mut nulls, 4), Some("x".to_owned()));
        assert_eq!(Tri::<String>::Absent.into_option(&mut nulls, 5), None);
        assert!(!nulls.contains(4) && !nulls.contains(5));
    }
}
