//! [`Json<T>`]: a JSON document carried inside a JSON string (SQS `body`, SNS `Message`).

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::ser::{self, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// A value of type `T` that travels as a JSON string holding its JSON encoding, such as an SQS
/// message body or an SNS `Message`.
///
/// Use it as the body type parameter of the events that carry one (`SqsEvent<Json<Order>>`,
/// `SnsEvent<Json<Order>>`) to decode every body while the event is decoded; a body that is
/// not JSON for `T` then fails the whole event. To handle bad bodies one by one (and report
/// them as batch item failures), keep the default `String` body and decode each with
/// `serde_json::from_str`.
///
/// On output `T` is encoded as compact JSON, so a round trip keeps the value of the body but
/// not its whitespace or key order.
///
/// ```
/// use lambda_events::json_body::Json;
/// use serde::Deserialize;
///
/// #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
/// struct Order {
///     id: u32,
/// }
///
/// let body: Json<Order> = serde_json::from_str(r#""{\"id\": 7}""#)?;
/// assert_eq!(body.id, 7);
/// assert_eq!(serde_json::to_string(&body)?, r#""{\"id\":7}""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Json<T> {
    fn from(value: T) -> Self {
        Json(value)
    }
}

impl<T: Serialize> Serialize for Json<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(&self.0).map_err(|e| {
            ser::Error::custom(format_args!(
                "cannot encode {} as JSON: {e}",
                std::any::type_name::<T>()
            ))
        })?;
        serializer.serialize_str(&text)
    }
}

impl<'de, T: DeserializeOwned> de::Deserialize<'de> for Json<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(JsonVisitor(PhantomData))
    }
}

struct JsonVisitor<T>(PhantomData<T>);

impl<T: DeserializeOwned> Visitor<'_> for JsonVisitor<T> {
    type Value = Json<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a string holding the JSON of {}",
            std::any::type_name::<T>()
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Json<T>, E> {
        serde_json::from_str(text).map(Json).map_err(|e| {
            E::custom(format_args!(
                "the string does not hold JSON for {}: {e}",
                std::any::type_name::<T>()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Point {
        x: i32,
        y: i32,
    }

    #[test]
    fn decodes_the_json_inside_the_string_and_encodes_it_back() {
        let value: Json<Point> = serde_json::from_str(r#""{ \"x\": 1, \"y\": -2 }""#).unwrap();
        assert_eq!(value.0, Point { x: 1, y: -2 });
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            serde_json::json!("{\"x\":1,\"y\":-2}")
        );
    }

    #[test]
    fn string_that_is_not_json_for_t_is_an_error_naming_t() {
        let err = serde_json::from_str::<Json<Point>>(r#""not json""#).unwrap_err();
        assert!(err.to_string().contains("Point"), "{err}");
        let err = serde_json::from_str::<Json<Point>>(r#""{\"x\":1}""#).unwrap_err();
        assert!(err.to_string().contains("missing field `y`"), "{err}");
    }

    #[test]
    fn a_bare_object_is_not_a_string_and_is_an_error() {
        assert!(serde_json::from_str::<Json<Point>>(r#"{"x":1,"y":2}"#).is_err());
    }

    /// Any JSON value: nulls, booleans, integers, floats, strings, arrays and objects.
    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            // Floats with short mantissas: serde_json (without its `float_roundtrip` feature)
            // may parse long ones one ulp off, which is not what this test is about.
            (-1_000_000..1_000_000i32, 1..10i32)
                .prop_map(|(m, e)| Value::from(f64::from(m) / 2f64.powi(e))),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".*", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn round_trip_keeps_the_value_of_any_json_body(body in any_json()) {
            let wire = serde_json::Value::String(body.to_string());
            let decoded: Json<serde_json::Value> = serde_json::from_value(wire).unwrap();
            prop_assert_eq!(&decoded.0, &body);
            let encoded = serde_json::to_value(&decoded).unwrap();
            let text = encoded.as_str().unwrap();
            prop_assert_eq!(serde_json::from_str::<serde_json::Value>(text).unwrap(), body);
        }
    }
}
