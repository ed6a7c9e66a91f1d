//! Recognising an HTTP event's source from its bytes, without parsing it, so that the source's
//! event type can then be deserialized straight from the same bytes.
//!
//! The probe walks the event's top-level keys in order, skips every value but the few that
//! [`DEFINING_FIELDS`] looks at (without validating or decoding them: the deserialization that
//! follows does that), and stops as soon as the table is decided: an ALB event, whose
//! `requestContext` usually comes first, is recognised without reading its headers.
//!
//! It answers only where its answer is the one [`Source::detect`] would give on the parsed
//! event. Anything else (not a JSON object, an escaped key or value it would have to compare,
//! a `requestContext` that is not an object, no source at all) is `None`, and the caller takes
//! the [`Source::detect`] path, which says why. An event that is not valid JSON may get an
//! answer: its deserialization then fails, and the caller takes that path too.

use memchr::{memchr2, memchr3};

use super::source::{decide, is_function_url_domain, Decision, Field, Source};

/// The source of the event in `event`, or `None` when the probe cannot tell (the caller then
/// takes the [`Source::detect`] path).
pub(super) fn detect(event: &[u8]) -> Option<Source> {
    let mut scan = Scan {
        bytes: event,
        at: 0,
    };
    match scan.event(true)? {
        (_, Decision::Source(source)) => Some(source),
        (_, Decision::Undecided | Decision::NoSource) => None,
    }
}

/// What the probe has read of the keys [`DEFINING_FIELDS`] looks at.
#[derive(Debug, Default)]
struct Keys<'a> {
    /// `None`: not read (yet); `Some(None)`: `null`; `Some(Some(_))`: an object.
    request_context: Option<Option<ContextKeys<'a>>>,
    /// `None`: not read (yet); `Some(None)`: not a string.
    version: Option<Option<&'a [u8]>>,
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
                Some(version) => Some(version == Some(b"2.0".as_slice())),
                None => seen(false),
            },
            Field::FunctionUrlDomain => context().map(|c| {
                c.and_then(|c| c.domain_name)
                    .and_then(|d| std::str::from_utf8(d).ok())
                    .is_some_and(is_function_url_domain)
            }),
        }
    }
}

/// The keys of `requestContext` that [`DEFINING_FIELDS`] looks at.
#[derive(Debug, Default)]
struct ContextKeys<'a> {
    elb: bool,
    service_network_arn: bool,
    http: bool,
    connection_id: bool,
    event_type: bool,
    /// A string `domainName`'s text.
    domain_name: Option<&'a [u8]>,
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

/// A cursor over the event's bytes. Every method returns `None` on anything it does not
/// expect, which ends the probe without an answer.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    /// Reads the top-level object; with `stop_early`, only until the table is decided.
    fn event(&mut self, stop_early: bool) -> Option<(Keys<'a>, Decision)> {
        let mut keys = Keys::default();
        self.open(b'{')?;
        while let Some(key) = self.key()? {
            match key {
                b"requestContext" => keys.request_context = Some(self.context()?),
                b"version" => keys.version = Some(self.string_or_skip()?),
                b"httpMethod" => keys.http_method = self.skip().map(|()| true)?,
                b"raw_path" => keys.raw_path = self.skip().map(|()| true)?,
                b"method" => keys.method = self.skip().map(|()| true)?,
                _ => {
                    self.skip()?;
                    continue;
                }
            }
            if stop_early {
                if let Decision::Source(source) = decide(|field| keys.known(field)) {
                    return Some((keys, Decision::Source(source)));
                }
            }
        }
        keys.complete = true;
        let decision = decide(|field| keys.known(field));
        Some((keys, decision))
    }

    /// `requestContext`: `null`, or an object whose keys are noted.
    fn context(&mut self) -> Option<Option<ContextKeys<'a>>> {
        self.whitespace();
        if self.literal(b"null") {
            return Some(None);
        }
        let mut context = ContextKeys::default();
        self.open(b'{')?;
        while let Some(key) = self.key()? {
            match key {
                b"elb" => context.elb = true,
                b"serviceNetworkArn" => context.service_network_arn = true,
                b"http" => context.http = true,
                b"connectionId" => context.connection_id = true,
                b"eventType" => context.event_type = true,
                b"domainName" => {
                    context.domain_name = self.string_or_skip()?;
                    continue;
                }
                _ => {}
            }
            self.skip()?;
        }
        Some(Some(context))
    }

    /// Opens an object or array: `open` after optional whitespace.
    fn open(&mut self, open: u8) -> Option<()> {
        self.whitespace();
        (self.next()? == open).then_some(())
    }

    /// The next key of an object just opened or after a value: `Some(None)` at its end. A key
    /// with an escape is refused (comparing it would need decoding).
    fn key(&mut self) -> Option<Option<&'a [u8]>> {
        self.whitespace();
        match self.peek()? {
            b'}' => {
                self.at += 1;
                return Some(None);
            }
            b',' => {
                self.at += 1;
                self.whitespace();
            }
            _ => {}
        }
        let key = self.plain_string()?;
        self.whitespace();
        (self.next()? == b':').then_some(Some(key))
    }

    /// A string's text, or `None` for any other value (skipped); an escaped string is refused.
    fn string_or_skip(&mut self) -> Option<Option<&'a [u8]>> {
        self.whitespace();
        if self.peek()? == b'"' {
            return self.plain_string().map(Some);
        }
        self.skip().map(|()| None)
    }

    /// A string without escapes, its text between the quotes.
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        if self.next()? != b'"' {
            return None;
        }
        let start = self.at;
        let end = start + memchr2(b'"', b'\\', self.bytes.get(start..)?)?;
        if self.bytes[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        Some(&self.bytes[start..end])
    }

    /// Skips one value of any kind without reading it.
    fn skip(&mut self) -> Option<()> {
        self.whitespace();
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => self.skip_nested(b'{', b'}'),
            b'[' => self.skip_nested(b'[', b']'),
            // A number, `true`, `false` or `null`: up to the next delimiter.
            _ => {
                let rest = self.bytes.get(self.at..)?;
                let len = rest
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
                self.at += len;
                (len > 0).then_some(())
            }
        }
    }

    /// Skips an object (`{`, `}`) or an array (`[`, `]`). Outside strings, braces balance among
    /// themselves and brackets among themselves, so counting one pair is enough.
    fn skip_nested(&mut self, open: u8, close: u8) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let found = self.at + memchr3(b'"', open, close, self.bytes.get(self.at..)?)?;
            self.at = found;
            match self.bytes[found] {
                b'"' => self.skip_string()?,
                byte => {
                    self.at += 1;
                    if byte == open {
                        depth += 1;
                    } else {
                        depth -= 1;
                        if depth == 0 {
                            return Some(());
                        }
                    }
                }
            }
        }
    }

    /// Skips a string, escapes included.
    fn skip_string(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            let stop = self.at + memchr2(b'"', b'\\', self.bytes.get(self.at..)?)?;
            if self.bytes[stop] == b'"' {
                self.at = stop + 1;
                return Some(());
            }
            // The escaped character (`\uXXXX`'s hex digits need no care).
            self.at = stop + 2;
        }
    }

    fn literal(&mut self, literal: &[u8]) -> bool {
        let found = self
            .bytes
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(literal));
        if found {
            self.at += literal.len();
        }
        found
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::source::DEFINING_FIELDS;
    use serde_json::json;

    fn scan_all(event: &str) -> Option<(Keys<'_>, Decision)> {
        Scan {
            bytes: event.as_bytes(),
            at: 0,
        }
        .event(false)
    }

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
                let (keys, _) = scan_all(&bytes).unwrap();
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
            json!({"version": "2.0", "requestContext": {"http": {"a": [1, {"b": "}"}]}, "domainName": 5}}),
            json!({"version": 2.0, "requestContext": {"http": {}}, "httpMethod": "GET"}),
            json!({"version": "1.0", "requestContext": {"http": {}}, "httpMethod": "GET"}),
            json!({"requestContext": {"http": {}}, "httpMethod": "GET", "version": "1.0"}),
            json!({"requestContext": {"connectionId": "c", "eventType": "MESSAGE"}, "httpMethod": "POST"}),
            json!({"requestContext": {"connectionId": "c"}, "body": "x"}),
            json!({"requestContext": {"connectionId": "c"}, "httpMethod": "GET", "path": "/"}),
            json!({"httpMethod": null, "requestContext": null}),
            json!({"httpMethod": "GET", "requestContext": {"connectionId": null}}),
            json!({"raw_path": "/", "method": "GET", "headers": {"a": ["b", "c\"d\\"]}}),
            json!({"method": "GET", "requestContext": {}, "raw_path": "/"}),
            json!({"body": "{\"requestContext\": {\"elb\": {}}}", "httpMethod": true, "requestContext": {"x": [true, false, null, -1.5e3]}}),
            json!({"requestContext": {"elb": null}}),
            json!({"Records": []}),
            json!({}),
        ];
        for event in events {
            // The keys sorted (serde_json's `Map`), reversed, and pretty-printed: the probe
            // reads them in the order they come.
            let pretty = serde_json::to_string_pretty(&event).unwrap();
            for bytes in [event.to_string(), reversed(&event), pretty] {
                assert_eq!(
                    detect(bytes.as_bytes()),
                    Source::detect(&event).ok(),
                    "{bytes}"
                );
            }
        }
        // Shapes the probe leaves to the value table: it says nothing rather than guess.
        for unusual in [
            r#"{"requestContext": "elb"}"#,
            r#"{"request\u0043ontext": {"elb": {}}}"#,
            r#"{"version": "2\u002e0", "requestContext": {"http": {}}}"#,
            r#"[1, 2]"#,
            r#"{"headers": {"a": "b""#,
            r#"{"headers": {"a": "b}"#,
            "",
            "{",
        ] {
            assert_eq!(detect(unusual.as_bytes()), None, "{unusual}");
        }
    }

    /// `event` with its top-level keys in reverse order.
    fn reversed(event: &serde_json::Value) -> String {
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
    fn any_prefix_of_any_fixture_is_answered_without_a_panic() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../lambda-events/fixtures");
        let mut events = vec![br#"{"a": "b\\"#.to_vec(), br#"{"a": ["\\"#.to_vec()];
        for dir in ["alb", "apigw", "lambda_function_urls", "vpc_lattice"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                events.push(std::fs::read(entry.unwrap().path()).unwrap());
            }
        }
        for event in &events {
            let whole = detect(event);
            for end in 0..event.len() {
                if let Some(source) = detect(&event[..end]) {
                    // A prefix decides only what the whole event decides.
                    assert_eq!(Some(source), whole, "{}", String::from_utf8_lossy(event));
                }
            }
        }
    }

    #[test]
    fn an_alb_event_is_decided_at_its_request_context() {
        // Everything after `requestContext` is left unread: here, JSON that does not parse.
        let event = br#"{"requestContext": {"elb": {"targetGroupArn": "arn"}}, "headers": {"#;
        assert_eq!(detect(event), Some(Source::Alb));
    }
}
