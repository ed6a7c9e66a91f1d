//! Encoding Rust values as items: a serde `Serializer` that produces [`AttributeValue`]s.

use super::{AttributeValue, Item, ItemError};
use crate::encodings::Base64Data;
use serde::ser::{self, Serialize};

/// Encodes `value` (a struct or map) as an item.
///
/// Numbers become `N`, strings and characters `S`, byte buffers `B` (fields marked with
/// `serde_bytes`; a plain `Vec<u8>` is a list of numbers), `bool` `BOOL`, `None` and `()`
/// `NULL`, sequences and tuples `L`, structs and maps `M`; a unit enum variant is its name as
/// `S`, other variants a one-key `M`. Sets (`SS`, `NS`, `BS`) are never produced: build
/// those with [`AttributeValue`] directly. Add `#[serde(skip_serializing_if =
/// "Option::is_none")]` to leave absent fields out instead of writing `NULL`.
///
/// ```
/// use lambda_events::dynamodb::{from_item, to_item, AttributeValue};
///
/// #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// struct Order {
///     id: u64,
///     lines: Vec<String>,
/// }
///
/// let order = Order { id: 7, lines: vec!["book".into()] };
/// let item = to_item(&order)?;
/// assert_eq!(item["id"], AttributeValue::N("7".into()));
/// assert_eq!(item["lines"], AttributeValue::L(vec![AttributeValue::S("book".into())]));
/// assert_eq!(from_item::<Order>(&item)?, order);
/// # Ok::<(), lambda_events::dynamodb::ItemError>(())
/// ```
pub fn to_item<T: Serialize + ?Sized>(value: &T) -> Result<Item, ItemError> {
    match value.serialize(AttributeValueSerializer)? {
        AttributeValue::M(item) => Ok(item),
        other => Err(ItemError::NotAnItem {
            found: other.type_name(),
        }),
    }
}

/// Encodes one value as an attribute value (see [`to_item`]).
pub fn to_attribute_value<T: Serialize + ?Sized>(value: &T) -> Result<AttributeValue, ItemError> {
    value.serialize(AttributeValueSerializer)
}

/// The serializer behind [`to_item`].
struct AttributeValueSerializer;

fn number(n: impl ToString) -> Result<AttributeValue, ItemError> {
    Ok(AttributeValue::N(n.to_string()))
}

fn float(f: f64) -> Result<AttributeValue, ItemError> {
    if f.is_finite() {
        number(f)
    } else {
        Err(ItemError::NonFiniteNumber)
    }
}

impl ser::Serializer for AttributeValueSerializer {
    type Ok = AttributeValue;
    type Error = ItemError;
    type SerializeSeq = ListSerializer;
    type SerializeTuple = ListSerializer;
    type SerializeTupleStruct = ListSerializer;
    type SerializeTupleVariant = VariantSerializer<ListSerializer>;
    type SerializeMap = MapSerializer;
    type SerializeStruct = MapSerializer;
    type SerializeStructVariant = VariantSerializer<MapSerializer>;

    fn serialize_bool(self, v: bool) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_i128(self, v: i128) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_u128(self, v: u128) -> Result<AttributeValue, ItemError> {
        number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<AttributeValue, ItemError> {
        // Through f32's own shortest form, not f64's longer expansion of the same value.
        if v.is_finite() {
            number(v)
        } else {
            Err(ItemError::NonFiniteNumber)
        }
    }
    fn serialize_f64(self, v: f64) -> Result<AttributeValue, ItemError> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::S(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::S(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::B(Base64Data(v.to_vec())))
    }
    fn serialize_none(self) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::Null(true))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<AttributeValue, ItemError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::Null(true))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::Null(true))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::S(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<AttributeValue, ItemError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::M(Item::from([(
            variant.to_owned(),
            value.serialize(self)?,
        )])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListSerializer, ItemError> {
        Ok(ListSerializer(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<ListSerializer, ItemError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<ListSerializer, ItemError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantSerializer<ListSerializer>, ItemError> {
        Ok(VariantSerializer {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapSerializer, ItemError> {
        Ok(MapSerializer {
            item: Item::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapSerializer, ItemError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantSerializer<MapSerializer>, ItemError> {
        Ok(VariantSerializer {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

/// Collects the elements of an `L`.
struct ListSerializer(Vec<AttributeValue>);

impl ListSerializer {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ItemError> {
        self.0.push(value.serialize(AttributeValueSerializer)?);
        Ok(())
    }
}

impl ser::SerializeSeq for ListSerializer {
    type Ok = AttributeValue;
    type Error = ItemError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ItemError> {
        self.push(value)
    }
    fn end(self) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::L(self.0))
    }
}

impl ser::SerializeTuple for ListSerializer {
    type Ok = AttributeValue;
    type Error = ItemError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ItemError> {
        self.push(value)
    }
    fn end(self) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::L(self.0))
    }
}

impl ser::SerializeTupleStruct for ListSerializer {
    type Ok = AttributeValue;
    type Error = ItemError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ItemError> {
        self.push(value)
    }
    fn end(self) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::L(self.0))
    }
}

/// Collects the attributes of an `M`.
struct MapSerializer {
    item: Item,
    key: Option<String>,
}

impl ser::SerializeMap for MapSerializer {
    type Ok = AttributeValue;
    type Error = ItemError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ItemError> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ItemError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value was written before its key"))?;
        self.item
            .insert(key, value.serialize(AttributeValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::M(self.item))
    }
}

impl ser::SerializeStruct for MapSerializer {
    type Ok = AttributeValue;
    type Error = ItemError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ItemError> {
        self.item
            .insert(key.to_owned(), value.serialize(AttributeValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<AttributeValue, ItemError> {
        Ok(AttributeValue::M(self.item))
    }
}

/// Wraps the value of a tuple or struct variant in a one-key `M`.
struct VariantSerializer<S> {
    variant: &'static str,
    inner: S,
}

impl<S> VariantSerializer<S> {
    fn wrap(variant: &'static str, value: AttributeValue) -> AttributeValue {
        AttributeValue::M(Item::from([(variant.to_owned(), value)]))
    }
}

impl ser::SerializeTupleVariant for VariantSerializer<ListSerializer> {
    type Ok = AttributeValue;
    type Error = ItemError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ItemError> {
        self.inner.push(value)
    }
    fn end(self) -> Result<AttributeValue, ItemError> {
        Ok(Self::wrap(self.variant, AttributeValue::L(self.inner.0)))
    }
}

impl ser::SerializeStructVariant for VariantSerializer<MapSerializer> {
    type Ok = AttributeValue;
    type Error = ItemError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ItemError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<AttributeValue, ItemError> {
        Ok(Self::wrap(self.variant, AttributeValue::M(self.inner.item)))
    }
}

/// Serializes a map key as an attribute name: strings, characters and integers.
struct KeySerializer;

fn key_not_string<T>() -> Result<T, ItemError> {
    Err(ItemError::KeyNotString)
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = ItemError;
    type SerializeSeq = ser::Impossible<String, ItemError>;
    type SerializeTuple = ser::Impossible<String, ItemError>;
    type SerializeTupleStruct = ser::Impossible<String, ItemError>;
    type SerializeTupleVariant = ser::Impossible<String, ItemError>;
    type SerializeMap = ser::Impossible<String, ItemError>;
    type SerializeStruct = ser::Impossible<String, ItemError>;
    type SerializeStructVariant = ser::Impossible<String, ItemError>;

    fn serialize_str(self, v: &str) -> Result<String, ItemError> {
        Ok(v.to_owned())
    }
    fn serialize_char(self, v: char) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, ItemError> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, ItemError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, ItemError> {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_f32(self, _v: f32) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_f64(self, _v: f64) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_none(self) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_unit(self) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, ItemError> {
        key_not_string()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ItemError> {
        key_not_string()
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ItemError> {
        key_not_string()
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ItemError> {
        key_not_string()
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ItemError> {
        key_not_string()
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ItemError> {
        key_not_string()
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, ItemError> {
        key_not_string()
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ItemError> {
        key_not_string()
    }
}
