//! Decoding items into Rust values: a serde `Deserializer` over [`AttributeValue`].

use super::{AttributeValue, Item, ItemError};
use serde::de::{
    self, value::BorrowedStrDeserializer, DeserializeSeed, Deserializer, EnumAccess,
    IntoDeserializer, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;

/// Decodes an item (such as a stream record's `NewImage`) into `T`.
///
/// Attributes map to fields by name. `N` values are parsed into the numeric type of the
/// field (without going through `f64`, so 64-bit integers keep every digit), `NULL` and
/// missing attributes become `None`, `SS`/`NS`/`BS`/`L` become sequences, `B` becomes bytes
/// (or a `Vec<u8>`), `M` becomes a struct or map, and `S` also fills unit enum variants. String
/// fields may borrow from the item.
///
/// ```
/// use lambda_events::dynamodb::{from_item, AttributeValue, Item};
///
/// #[derive(serde::Deserialize)]
/// struct Order {
///     id: u64,
///     customer: String,
///     note: Option<String>,
/// }
///
/// let item = Item::from([
///     ("id".to_owned(), AttributeValue::N("9007199254740993".into())),
///     ("customer".to_owned(), AttributeValue::S("jane".into())),
/// ]);
/// let order: Order = from_item(&item)?;
/// assert_eq!(order.id, 9_007_199_254_740_993);
/// assert_eq!(order.note, None);
/// # Ok::<(), lambda_events::dynamodb::ItemError>(())
/// ```
pub fn from_item<'a, T: de::Deserialize<'a>>(item: &'a Item) -> Result<T, ItemError> {
    T::deserialize(MapDeserializer {
        iter: item.iter(),
        value: None,
    })
}

/// Decodes one attribute value into `T` (see [`from_item`]).
pub fn from_attribute_value<'a, T: de::Deserialize<'a>>(
    value: &'a AttributeValue,
) -> Result<T, ItemError> {
    T::deserialize(value)
}

/// Numeric requests on an `N` go to [`Number`], which parses the digits for the exact type
/// asked for; on other types they fall back to `deserialize_any` (and a type error).
macro_rules! attribute_number_methods {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
            match self {
                AttributeValue::N(n) => Number(n).$method(visitor),
                _ => self.deserialize_any(visitor),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for &'de AttributeValue {
    type Error = ItemError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        match self {
            AttributeValue::S(s) => visitor.visit_borrowed_str(s),
            AttributeValue::N(n) => Number(n).deserialize_any(visitor),
            AttributeValue::B(b) => visitor.visit_borrowed_bytes(&b.0),
            AttributeValue::Ss(items) => visitor.visit_seq(Seq(items.iter().map(Element::Str))),
            AttributeValue::Ns(items) => {
                visitor.visit_seq(Seq(items.iter().map(|n| Element::Number(n))))
            }
            AttributeValue::Bs(items) => {
                visitor.visit_seq(Seq(items.iter().map(|b| Element::Bytes(&b.0))))
            }
            AttributeValue::M(map) => visitor.visit_map(MapDeserializer {
                iter: map.iter(),
                value: None,
            }),
            AttributeValue::L(items) => visitor.visit_seq(Seq(items.iter().map(Element::Value))),
            AttributeValue::Null(_) => visitor.visit_unit(),
            AttributeValue::Bool(b) => visitor.visit_bool(*b),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        match self {
            AttributeValue::Null(_) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ItemError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        match self {
            // A number read into a string field keeps its exact digits.
            AttributeValue::N(n) => visitor.visit_borrowed_str(n),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        match self {
            // `Vec<u8>` fields ask for a sequence.
            AttributeValue::B(b) => {
                visitor.visit_seq(Seq(b.0.iter().map(|byte| Element::U8(*byte))))
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ItemError> {
        match self {
            AttributeValue::S(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            AttributeValue::M(map) if map.len() == 1 => match map.iter().next() {
                Some((variant, value)) => visitor.visit_enum(Variant { variant, value }),
                None => Err(de::Error::invalid_length(0, &"a map with one key")),
            },
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        visitor.visit_unit()
    }

    attribute_number_methods! {
        deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64, deserialize_i128,
        deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64, deserialize_u128,
        deserialize_f32, deserialize_f64
    }

    forward_to_deserialize_any! {
        bool char bytes byte_buf unit unit_struct tuple tuple_struct map struct identifier
    }
}

/// How serde describes a value in an "invalid type" error.
fn unexpected(value: &AttributeValue) -> de::Unexpected<'_> {
    match value {
        AttributeValue::S(s) => de::Unexpected::Str(s),
        AttributeValue::N(_) => de::Unexpected::Other("a DynamoDB number (N)"),
        AttributeValue::B(b) => de::Unexpected::Bytes(&b.0),
        AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_) => {
            de::Unexpected::Other("a DynamoDB set")
        }
        AttributeValue::M(_) => de::Unexpected::Map,
        AttributeValue::L(_) => de::Unexpected::Seq,
        AttributeValue::Null(_) => de::Unexpected::Unit,
        AttributeValue::Bool(b) => de::Unexpected::Bool(*b),
    }
}

/// A DynamoDB number (`N` or an element of `NS`), parsed on demand for the requested type.
struct Number<'de>(&'de str);

impl Number<'_> {
    fn bad(&self, expected: &'static str) -> ItemError {
        ItemError::BadNumber {
            value: self.0.to_owned(),
            expected,
        }
    }

    /// `self` as an integer of type `T`: parsed directly, or through `f64` when DynamoDB wrote
    /// it with an exponent or a fraction that is zero (`1E+3`, `12.0`).
    fn integer<T>(&self, expected: &'static str) -> Result<T, ItemError>
    where
        T: std::str::FromStr + TryFrom<i128>,
    {
        if let Ok(n) = self.0.parse::<T>() {
            return Ok(n);
        }
        let float: f64 = self.0.parse().map_err(|_| self.bad(expected))?;
        // Integral floats within ±2^127 convert exactly to i128.
        if float.fract() != 0.0 || float.abs() >= 1.7e38 {
            return Err(self.bad(expected));
        }
        T::try_from(float as i128).map_err(|_| self.bad(expected))
    }

    fn float(&self) -> Result<f64, ItemError> {
        self.0.parse().map_err(|_| self.bad("f64"))
    }
}

macro_rules! number_methods {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
            visitor.$visit(self.integer::<$t>(stringify!($t))?)
        }
    )*};
}

impl<'de> Deserializer<'de> for Number<'de> {
    type Error = ItemError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        if let Ok(n) = self.0.parse::<i64>() {
            visitor.visit_i64(n)
        } else if let Ok(n) = self.0.parse::<u64>() {
            visitor.visit_u64(n)
        } else if let Ok(n) = self.0.parse::<i128>() {
            visitor.visit_i128(n)
        } else {
            visitor.visit_f64(self.float()?)
        }
    }

    number_methods! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_i128 visit_i128 i128,
        deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16, deserialize_u32 visit_u32 u32,
        deserialize_u64 visit_u64 u64, deserialize_u128 visit_u128 u128
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        visitor.visit_f32(self.0.parse().map_err(|_| self.bad("f32"))?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ItemError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool char bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// An element of a list or set.
enum Element<'de> {
    Value(&'de AttributeValue),
    Str(&'de String),
    Number(&'de str),
    Bytes(&'de [u8]),
    U8(u8),
}

/// A sequence of elements.
struct Seq<I>(I);

impl<'de, I: Iterator<Item = Element<'de>>> SeqAccess<'de> for Seq<I> {
    type Error = ItemError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ItemError> {
        let Some(element) = self.0.next() else {
            return Ok(None);
        };
        match element {
            Element::Value(value) => seed.deserialize(value),
            Element::Str(s) => seed.deserialize(BorrowedStrDeserializer::new(s)),
            Element::Number(n) => seed.deserialize(Number(n)),
            Element::Bytes(b) => seed.deserialize(de::value::BorrowedBytesDeserializer::new(b)),
            Element::U8(byte) => seed.deserialize(byte.into_deserializer()),
        }
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        match self.0.size_hint() {
            (low, Some(high)) if low == high => Some(low),
            _ => None,
        }
    }
}

/// The attributes of an item or an `M` value.
struct MapDeserializer<'de> {
    iter: std::collections::hash_map::Iter<'de, String, AttributeValue>,
    value: Option<&'de AttributeValue>,
}

impl<'de> MapAccess<'de> for MapDeserializer<'de> {
    type Error = ItemError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ItemError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ItemError> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom(
                "a map value was requested before its key",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

impl<'de> Deserializer<'de> for MapDeserializer<'de> {
    type Error = ItemError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ItemError> {
        visitor.visit_map(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// An enum variant written as a one-key `M`: `{"Variant": value}`.
struct Variant<'de> {
    variant: &'de String,
    value: &'de AttributeValue,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = ItemError;
    type Variant = &'de AttributeValue;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, &'de AttributeValue), ItemError> {
        let variant = seed.deserialize(BorrowedStrDeserializer::new(self.variant))?;
        Ok((variant, self.value))
    }
}

impl<'de> VariantAccess<'de> for &'de AttributeValue {
    type Error = ItemError;

    fn unit_variant(self) -> Result<(), ItemError> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ItemError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ItemError> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ItemError> {
        self.deserialize_any(visitor)
    }
}
