//! The request events as the adapter reads them: each source's fields that the conversion uses,
//! with the headers read straight into an [`http::HeaderMap`] as the JSON is parsed.
//!
//! The `lambda-events` types of these sources keep headers in a `HashMap<String, String>`,
//! which cost the adapter two `String`s and a hash insertion per header and then a copy into
//! the `HeaderMap`, the largest part of a request's conversion. The request contexts, which
//! the handler reads through [`RequestContext`](super::RequestContext), are the `lambda-events`
//! types. A field is required here exactly where the `lambda-events` type requires it, so an
//! event is accepted or refused (with the same field path in the error) as there.

use std::collections::HashMap;
use std::fmt;

use http::header::{HeaderMap, HeaderName, HeaderValue};
use lambda_events::alb::AlbTargetGroupRequestContext;
use lambda_events::apigw::{ApiGatewayProxyRequestContext, ApiGatewayWebsocketRequestContext};
use lambda_events::encodings::{
    MultiValueQueryStringParameters, QueryStringParameters, StringOrList,
};
use lambda_events::vpc_lattice::VpcLatticeRequestContext;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A REST API (payload 1.0) request: `ApiGatewayProxyRequest`'s fields.
pub(super) type Rest = V1<ApiGatewayProxyRequestContext, String>;

/// A WebSocket API request: `ApiGatewayWebsocketProxyRequest`'s fields (its `path` and
/// `httpMethod` are optional; the conversion does not use them).
pub(super) type WebSocket = V1<ApiGatewayWebsocketRequestContext, Option<String>>;

/// The payload 1.0 shape REST and WebSocket requests share: `C` is the request context, `P`
/// the type of `path` and `httpMethod` (`String`: required; `Option<String>`: a missing key is
/// `None`, as serde reads a missing `Option`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct V1<C, P> {
    pub(super) path: P,
    pub(super) http_method: P,
    #[serde(default)]
    pub(super) headers: Headers,
    #[serde(default)]
    pub(super) multi_value_headers: Headers,
    #[serde(default)]
    pub(super) query_string_parameters: Option<QueryStringParameters>,
    #[serde(default)]
    pub(super) multi_value_query_string_parameters: Option<MultiValueQueryStringParameters>,
    #[serde(default)]
    pub(super) path_parameters: Option<HashMap<String, String>>,
    #[serde(default)]
    pub(super) stage_variables: Option<HashMap<String, String>>,
    pub(super) request_context: C,
    #[serde(default)]
    pub(super) body: Option<String>,
    #[serde(default)]
    pub(super) is_base64_encoded: bool,
}

/// An HTTP API (payload 2.0) or function URL request, `C` being its request context:
/// `ApiGatewayV2HttpRequest`'s and `LambdaFunctionUrlRequest`'s fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct V2<C> {
    #[allow(dead_code)] // Required, as in `lambda-events`; the probe has read it.
    pub(super) version: String,
    pub(super) raw_path: String,
    #[serde(default)]
    pub(super) raw_query_string: Option<String>,
    #[serde(default)]
    pub(super) cookies: Option<Vec<String>>,
    #[serde(default)]
    pub(super) headers: Headers,
    #[serde(default)]
    pub(super) path_parameters: Option<HashMap<String, String>>,
    #[serde(default)]
    pub(super) stage_variables: Option<HashMap<String, String>>,
    pub(super) request_context: C,
    #[serde(default)]
    pub(super) body: Option<String>,
    #[serde(default)]
    pub(super) is_base64_encoded: bool,
}

/// An Application Load Balancer request: `AlbTargetGroupRequest`'s fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Alb {
    pub(super) http_method: String,
    pub(super) path: String,
    #[serde(default)]
    pub(super) query_string_parameters: Option<QueryStringParameters>,
    #[serde(default)]
    pub(super) multi_value_query_string_parameters: Option<MultiValueQueryStringParameters>,
    #[serde(default)]
    pub(super) headers: Headers,
    #[serde(default)]
    pub(super) multi_value_headers: Headers,
    pub(super) request_context: AlbTargetGroupRequestContext,
    #[serde(default)]
    pub(super) is_base64_encoded: bool,
    #[serde(default)]
    pub(super) body: Option<String>,
}

/// A VPC Lattice request, event version 1: `VpcLatticeRequestV1`'s fields.
#[derive(Deserialize)]
pub(super) struct LatticeV1 {
    pub(super) raw_path: String,
    pub(super) method: String,
    #[serde(default)]
    pub(super) headers: Headers,
    #[serde(default)]
    pub(super) query_string_parameters: Option<QueryStringParameters>,
    #[serde(default)]
    pub(super) body: Option<String>,
    #[serde(default)]
    pub(super) is_base64_encoded: bool,
}

/// A VPC Lattice request, event version 2: `VpcLatticeRequestV2`'s fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LatticeV2 {
    #[allow(dead_code)] // Required, as in `lambda-events`.
    pub(super) version: String,
    pub(super) path: String,
    pub(super) method: String,
    #[serde(default)]
    pub(super) headers: Headers,
    #[serde(default)]
    pub(super) query_string_parameters: Option<HashMap<String, StringOrList>>,
    #[serde(default)]
    pub(super) body: Option<String>,
    #[serde(default)]
    pub(super) is_base64_encoded: bool,
    pub(super) request_context: VpcLatticeRequestContext,
}

/// A header map of an event (`headers` or `multiValueHeaders`), read into a `HeaderMap`: each
/// value a string or a list of strings (`null`, for the map or a value, is none).
#[derive(Debug, Default)]
pub(super) struct Headers {
    pub(super) map: HeaderMap,
    /// Whether the event had the map (not absent, not `null`), empty or not.
    pub(super) present: bool,
    /// The first header that no HTTP request can hold; the conversion refuses the event.
    pub(super) invalid: Option<InvalidHeader>,
}

/// A header name or value that `http` refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct InvalidHeader {
    /// `"header name"` or `"header value"`.
    pub(super) what: &'static str,
    pub(super) name: String,
    pub(super) value: String,
}

impl Headers {
    /// The union of `multiValueHeaders` (`self`) and `headers` (`single`), as API Gateway REST,
    /// WebSocket and ALB events carry them: every value of `multiValueHeaders`, plus each
    /// header of `headers` that it does not name (compared without regard to case). API
    /// Gateway fills both maps from the same request, but events built by other tools (or
    /// edited by hand) may carry a header in only one.
    pub(super) fn union(mut self, single: Headers) -> Result<HeaderMap, InvalidHeader> {
        if self.map.is_empty() && self.invalid.is_none() {
            return single.into_map();
        }
        if let Some(invalid) = self.invalid {
            return Err(invalid);
        }
        if let Some(invalid) = single.invalid {
            let known = HeaderName::from_bytes(invalid.name.as_bytes())
                .is_ok_and(|name| self.map.contains_key(name));
            if !known {
                return Err(invalid);
            }
        }
        // `HeaderMap` yields a name with its first value and `None` with the others.
        let mut adding: Option<HeaderName> = None;
        for (name, value) in single.map {
            if let Some(name) = name {
                adding = (!self.map.contains_key(&name)).then_some(name);
            }
            if let Some(name) = &adding {
                self.map.append(name.clone(), value);
            }
        }
        Ok(self.map)
    }

    /// The map, unless a header was invalid.
    pub(super) fn into_map(self) -> Result<HeaderMap, InvalidHeader> {
        match self.invalid {
            Some(invalid) => Err(invalid),
            None => Ok(self.map),
        }
    }
}

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Headers, D::Error> {
        deserializer.deserialize_option(MapOrNull)
    }
}

struct MapOrNull;

impl<'de> Visitor<'de> for MapOrNull {
    type Value = Headers;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of header names to a string or a list of strings")
    }

    fn visit_none<E: de::Error>(self) -> Result<Headers, E> {
        Ok(Headers::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Headers, E> {
        Ok(Headers::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Headers, D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
        let mut headers = Headers {
            present: true,
            ..Headers::default()
        };
        headers.map.reserve(map.size_hint().unwrap_or(16));
        while let Some(name) = map.next_key_seed(Name)? {
            map.next_value_seed(Values {
                headers: &mut headers,
                name,
            })?;
        }
        Ok(headers)
    }
}

/// A header name: the `HeaderName`, or the text `http` refuses.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Result<HeaderName, String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Name {
    type Value = Result<HeaderName, String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a header name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(HeaderName::from_bytes(name.as_bytes()).map_err(|_| name.to_owned()))
    }
}

/// The value(s) of one header, appended to the map as they are read.
struct Values<'h> {
    headers: &'h mut Headers,
    name: Result<HeaderName, String>,
}

impl Values<'_> {
    /// Appends `value` under `name` (taken: the last value of the header), or notes the first
    /// invalid header.
    fn push(headers: &mut Headers, name: Result<HeaderName, &str>, value: &str) {
        if headers.invalid.is_some() {
            return;
        }
        let invalid = |what, name: &str| InvalidHeader {
            what,
            name: name.to_owned(),
            value: value.to_owned(),
        };
        match (name, HeaderValue::from_str(value)) {
            (Ok(name), Ok(value)) => {
                headers.map.append(name, value);
            }
            (Ok(name), Err(_)) => headers.invalid = Some(invalid("header value", name.as_str())),
            (Err(name), _) => headers.invalid = Some(invalid("header name", name)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Values<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Values<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a header value: a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        let Values { headers, name } = self;
        match name {
            Ok(name) => Values::push(headers, Ok(name), value),
            Err(text) => Values::push(headers, Err(&text), value),
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(()) = seq.next_element_seed(OneValue(&mut self))? {}
        Ok(())
    }
}

/// One string of a header's list of values.
struct OneValue<'v, 'h>(&'v mut Values<'h>);

impl<'de> DeserializeSeed<'de> for OneValue<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for OneValue<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a header value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        let values = self.0;
        match &values.name {
            Ok(name) => Values::push(values.headers, Ok(name.clone()), value),
            Err(text) => Values::push(values.headers, Err(text), value),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_events::apigw::ApiGatewayV2HttpRequestContext;
    use lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayV2HttpRequest};

    fn fixture(path: &str) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../lambda-events/fixtures/");
        std::fs::read_to_string(format!("{root}{path}")).unwrap()
    }

    #[test]
    fn headers_are_those_lambda_events_reads() {
        let json = fixture("apigw/v2_request.json");
        let typed: ApiGatewayV2HttpRequest = serde_json::from_str(&json).unwrap();
        let wire: V2<ApiGatewayV2HttpRequestContext> = serde_json::from_str(&json).unwrap();
        let map = wire.headers.into_map().unwrap();
        assert_eq!(map.len(), typed.headers.len());
        for (name, value) in &typed.headers {
            assert_eq!(map[name.as_str()], value.as_str(), "{name}");
        }
        let json = fixture("apigw/v1_proxy_request.json");
        let typed: ApiGatewayProxyRequest = serde_json::from_str(&json).unwrap();
        let wire: Rest = serde_json::from_str(&json).unwrap();
        let map = wire.multi_value_headers.union(wire.headers).unwrap();
        for (name, values) in typed.multi_value_headers.iter().flatten() {
            let got: Vec<_> = map
                .get_all(name.as_str())
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect();
            assert_eq!(got, *values, "{name}");
        }
        assert_eq!(wire.request_context, typed.request_context);
    }

    #[test]
    fn a_map_or_a_value_may_be_null_and_a_value_a_list() {
        let headers: Headers = serde_json::from_str("null").unwrap();
        assert!(!headers.present && headers.map.is_empty());
        let headers: Headers =
            serde_json::from_str(r#"{"a": "1", "b": ["2", "3"], "c": null, "d": []}"#).unwrap();
        assert!(headers.present);
        let map = headers.into_map().unwrap();
        assert_eq!(map["a"], "1");
        let b: Vec<_> = map.get_all("b").iter().collect();
        assert_eq!(b, ["2", "3"]);
        assert!(!map.contains_key("c") && !map.contains_key("d"));
        let err = serde_json::from_str::<Headers>(r#"{"a": 1}"#).unwrap_err();
        assert!(
            err.to_string().contains("a string or a list of strings"),
            "{err}"
        );
    }

    #[test]
    fn the_first_invalid_header_is_kept_for_the_conversion_to_refuse() {
        let headers: Headers =
            serde_json::from_str(r#"{"ok": "1", "bad name": "2", "x": "a\u0000b"}"#).unwrap();
        assert_eq!(
            headers.into_map().unwrap_err(),
            InvalidHeader {
                what: "header name",
                name: "bad name".into(),
                value: "2".into()
            }
        );
        let headers: Headers = serde_json::from_str(r#"{"x": ["ok", "a\u0000b"]}"#).unwrap();
        let invalid = headers.into_map().unwrap_err();
        assert_eq!(
            (invalid.what, invalid.value.as_str()),
            ("header value", "a\0b")
        );
    }

    #[test]
    fn union_takes_every_multi_value_and_single_values_of_other_names() {
        let multi: Headers =
            serde_json::from_str(r#"{"accept": ["text/plain", "text/html"], "X-Multi": ["2"]}"#)
                .unwrap();
        let single: Headers =
            serde_json::from_str(r#"{"Accept": "text/html", "X-Single": "1", "bad name": "1"}"#)
                .unwrap();
        // An invalid header that only `headers` has is refused.
        assert_eq!(multi.union(single).unwrap_err().name, "bad name".to_owned());
        let multi: Headers =
            serde_json::from_str(r#"{"accept": ["text/plain", "text/html"], "X-Multi": ["2"]}"#)
                .unwrap();
        let single: Headers =
            serde_json::from_str(r#"{"Accept": "text/html", "X-Single": "1", "x-single": "3"}"#)
                .unwrap();
        let map = multi.union(single).unwrap();
        let accept: Vec<_> = map.get_all("accept").iter().collect();
        assert_eq!(accept, ["text/plain", "text/html"]);
        let single: Vec<_> = map.get_all("x-single").iter().collect();
        assert_eq!(single, ["1", "3"]);
        assert_eq!(map["x-multi"], "2");
        // No multi-value map (or an empty one): the single-value map as it is.
        let single: Headers = serde_json::from_str(r#"{"a": "1"}"#).unwrap();
        let map = Headers::default().union(single).unwrap();
        assert_eq!(map["a"], "1");
    }
}
