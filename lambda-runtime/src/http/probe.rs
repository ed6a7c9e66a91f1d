//! Recognising an HTTP event's source from its bytes, without building a JSON value, so that
//! the source's event type can then be deserialized straight from the same bytes.
//!
//! The probe reads the event's top-level keys in order, skips every value but the few that
//! [`DEFINING_FIELDS`] looks at, and stops as soon as the table is decided: an ALB event, whose
//! `requestContext` usually comes first, is recognised without reading its headers. What it
//! cannot tell (not JSON, a `requestContext` that is not an object, a `version` that is not a
//! plain string, no source at all) it leaves to [`Source::detect`], which says why.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::source::{decide, is_function_url_domain, Decision, Field, Source};

/// The source of the event in `event`, or `None` when the probe cannot tell (the caller then
/// takes the [`Source::detect`] path).
pub(super) fn detect(event: &[u8]) -> Option<Source> {
    let mut decided = None;
    let mut de = serde_json::Deserializer::from_slice(event);
    // On a decision the visitor stops reading with an error (serde has no other way to leave a
    // map half read) after putting the source in `decided`.
    let _ = de.deserialize_map(ProbeVisitor {
        decided: Some(&mut decided),
    });
    decided
}

/// What the probe has read of the keys [`DEFINING_FIELDS`] looks at.
#[derive(Default)]
struct Keys<'a> {
    /// `None`: not read (yet); `Some(None)`: `null`; `Some(Some(_))`: an object.
    request_context: Option<Option<ContextKeys<'a>>>,
    /// `None`: not read (yet).
    version: Option<Option<&'a str>>,
    http_method: bool,
    raw_path: bool,
    method: bool,
    /// Whether the whole object has been read: an unread key is then absent.
    complete: bool,
}

impl Keys<'_> {
    /// Whether `field` is present (`None`: not known yet), as [`Source::detect`] tells it from
    /// a JSON value.
    fn known(&self, field: &Field) -> Option<bool> {
        let seen = |flag: bool| (flag || self.complete).then_some(flag);
        let context = || match &self.request_context {
            Some(context) => Some(context.as_ref()),
            None if self.complete => Some(None),
            None => None,
        };
        match *field {
            Field::Top("requestContext") => seen(self.request_context.is_some()),
            Field::Top("httpMethod") => seen(self.http_method),
            Field::Top("raw_path") => seen(self.raw_path),
            Field::Top("method") => seen(self.method),
            // A key the probe does not read: the test `every_defining_field_is_probed` fails.
            Field::Top(_) => Some(false),
            Field::Context(key) => context().map(|c| c.is_some_and(|c| c.has(key))),
            Field::Version2 => match self.version {
                Some(version) => Some(version == Some("2.0")),
                None => seen(false),
            },
            Field::FunctionUrlDomain => context().map(|c| {
                c.and_then(|c| c.domain_name)
                    .is_some_and(is_function_url_domain)
            }),
        }
    }
}

/// The keys of `requestContext` that [`DEFINING_FIELDS`] looks at.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContextKeys<'a> {
    #[serde(default, deserialize_with = "present_key")]
    elb: bool,
    #[serde(default, deserialize_with = "present_key")]
    service_network_arn: bool,
    #[serde(default, deserialize_with = "present_key")]
    http: bool,
    #[serde(default, deserialize_with = "present_key")]
    connection_id: bool,
    #[serde(default, deserialize_with = "present_key")]
    event_type: bool,
    #[serde(default, borrow)]
    domain_name: Option<&'a str>,
}

impl ContextKeys<'_> {
    fn has(&self, key: &str) -> bool {
        match key {
            "elb" => self.elb,
            "serviceNetworkArn" => self.service_network_arn,
            "http" => self.http,
            "connectionId" => self.connection_id,
            "eventType" => self.event_type,
            "domainName" => self.domain_name.is_some(),
            // A key the probe does not read: the test `every_defining_field_is_probed` fails.
            _ => false,
        }
    }
}

/// A key that is there, whatever its value (`null` included), skipped without being read.
fn present_key<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(deserializer).map(present)
}

/// A value skipped: its key is present.
fn present(_: IgnoredAny) -> bool {
    true
}

/// A top-level key the probe reads.
enum Key {
    RequestContext,
    Version,
    HttpMethod,
    RawPath,
    Method,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "requestContext" => Key::RequestContext,
                    "version" => Key::Version,
                    "httpMethod" => Key::HttpMethod,
                    "raw_path" => Key::RawPath,
                    "method" => Key::Method,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads the top-level object into [`Keys`]; with `decided`, only until the table is decided.
struct ProbeVisitor<'s> {
    decided: Option<&'s mut Option<Source>>,
}

/// The error that stops the probe once it has decided.
const DECIDED: &str = "decided";

impl<'de> Visitor<'de> for ProbeVisitor<'_> {
    type Value = Keys<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Keys<'de>, A::Error> {
        let mut keys = Keys::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::RequestContext => keys.request_context = Some(map.next_value()?),
                Key::Version => keys.version = Some(map.next_value()?),
                Key::HttpMethod => keys.http_method = present(map.next_value::<IgnoredAny>()?),
                Key::RawPath => keys.raw_path = present(map.next_value::<IgnoredAny>()?),
                Key::Method => keys.method = present(map.next_value::<IgnoredAny>()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            }
            if let Some(decided) = self.decided.as_deref_mut() {
                if let Decision::Source(source) = decide(|field| keys.known(field)) {
                    *decided = Some(source);
                    return Err(de::Error::custom(DECIDED));
                }
            }
        }
        keys.complete = true;
        if let Some(decided) = self.decided {
            if let Decision::Source(source) = decide(|field| keys.known(field)) {
                *decided = Some(source);
            }
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::source::DEFINING_FIELDS;
    use serde_json::json;

    #[test]
    fn every_defining_field_is_probed() {
        for (source, fields) in &DEFINING_FIELDS {
            for field in *fields {
                let event = match *field {
                    Field::Top(key) => json!({ key: null }),
                    Field::Context(key) => json!({"requestContext": { key: null }}),
                    Field::Version2 => json!({"version": "2.0"}),
                    Field::FunctionUrlDomain => json!({"requestContext": {
                        "domainName": "abc.lambda-url.us-east-1.on.aws"
                    }}),
                };
                let bytes = event.to_string();
                let mut de = serde_json::Deserializer::from_str(&bytes);
                let keys = de.deserialize_map(ProbeVisitor { decided: None }).unwrap();
                assert_eq!(
                    keys.known(field),
                    Some(true),
                    "{source:?}: the probe misses {event}"
                );
            }
        }
    }

    #[test]
    fn the_probe_agrees_with_the_value_table() {
        let events = [
            json!({"httpMethod": "GET", "requestContext": {"elb": {}}}),
            json!({"requestContext": {"elb": {}}, "httpMethod": "GET", "headers": {"a": "b"}}),
            json!({"version": "2.0", "requestContext": {"serviceNetworkArn": "a"}}),
            json!({"version": "2.0", "requestContext": {"http": {}, "domainName": "x.lambda-url.us-east-1.on.aws"}}),
            json!({"requestContext": {"http": {}, "domainName": "x.lambda-url.us-east-1.on.aws"}, "version": "2.0"}),
            json!({"version": "2.0", "requestContext": {"http": {}, "domainName": null}}),
            json!({"version": "1.0", "requestContext": {"http": {}}, "httpMethod": "GET"}),
            json!({"requestContext": {"http": {}}, "httpMethod": "GET", "version": "1.0"}),
            json!({"requestContext": {"connectionId": "c", "eventType": "MESSAGE"}, "httpMethod": "POST"}),
            json!({"requestContext": {"connectionId": "c"}, "body": "x"}),
            json!({"requestContext": {"connectionId": "c"}, "httpMethod": "GET", "path": "/"}),
            json!({"httpMethod": null, "requestContext": null}),
            json!({"httpMethod": "GET", "requestContext": {"connectionId": null}}),
            json!({"raw_path": "/", "method": "GET", "headers": {"a": ["b"]}}),
            json!({"method": "GET", "requestContext": {}, "raw_path": "/"}),
            json!({"requestContext": {"elb": null}}),
            json!({"Records": []}),
            json!({}),
        ];
        for event in events {
            // The keys in sorted order (serde_json's `Map`) and reversed: the probe reads them
            // in the order they come.
            for bytes in [event.to_string(), literal_order(&event)] {
                assert_eq!(
                    detect(bytes.as_bytes()),
                    Source::detect(&event).ok(),
                    "{bytes}"
                );
            }
        }
        // Shapes the probe leaves to the value table: it says nothing rather than guess.
        for unusual in [
            r#"{"version": 2.0, "requestContext": {"http": {}}}"#,
            r#"{"requestContext": "elb"}"#,
            r#"[1, 2]"#,
            r#"{"headers": {"a": "b""#,
            "",
        ] {
            assert_eq!(detect(unusual.as_bytes()), None, "{unusual}");
        }
    }

    /// `event` with its top-level keys reversed: a second order for the probe to see.
    fn literal_order(event: &serde_json::Value) -> String {
        let Some(object) = event.as_object() else {
            return event.to_string();
        };
        let entries: Vec<String> = object
            .iter()
            .rev()
            .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(k.as_str())))
            .collect();
        format!("{{{}}}", entries.join(","))
    }

    #[test]
    fn an_alb_event_is_decided_at_its_request_context() {
        // Everything after `requestContext` is left unread: here, JSON that does not parse.
        let event = br#"{"requestContext": {"elb": {"targetGroupArn": "arn"}}, "headers": {"#;
        assert_eq!(detect(event), Some(Source::Alb));
    }
}
