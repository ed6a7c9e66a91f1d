//! Percent-encoding of paths and query strings, in the one place that needs it.
//!
//! Sources differ in what they send: API Gateway REST and WebSocket give query parameters
//! already decoded, HTTP APIs and function URLs give the raw query string, ALB gives raw
//! (undecoded) parameters. Each is turned into a valid URI whose query decodes, once, to what
//! the client sent.

use std::fmt::Write as _;

/// Bytes kept as they are in a path (RFC 3986 `pchar` and `/`); `%` is kept when it starts a
/// valid escape.
fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b)
}

/// Bytes kept in a query string: path bytes and `?`.
fn is_query_byte(b: u8) -> bool {
    is_path_byte(b) || b == b'?'
}

/// Bytes kept in one decoded query key or value (RFC 3986 unreserved).
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Escapes what is not allowed, keeping valid `%XX` escapes (the input is raw, not decoded).
fn escape_raw(raw: &str, keep: fn(u8) -> bool) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    for (i, &b) in bytes.iter().enumerate() {
        let valid_escape = b == b'%'
            && bytes.get(i + 1).copied().and_then(hex_value).is_some()
            && bytes.get(i + 2).copied().and_then(hex_value).is_some();
        if keep(b) || valid_escape {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A path fit for a URI: characters a URI cannot hold are escaped, escapes already there are
/// kept, and a path that does not start with `/` gets one.
pub(crate) fn encode_path(path: &str) -> String {
    let escaped = escape_raw(path, is_path_byte);
    if escaped.starts_with('/') {
        escaped
    } else {
        format!("/{escaped}")
    }
}

/// A raw query string (as the client sent it) fit for a URI.
pub(crate) fn encode_raw_query(query: &str) -> String {
    escape_raw(query, is_query_byte)
}

/// Encodes one decoded query key or value.
pub(crate) fn encode_component(text: &str, out: &mut String) {
    for &b in text.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// A query string from decoded pairs.
pub(crate) fn encode_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        encode_component(key, &mut out);
        out.push('=');
        encode_component(value, &mut out);
    }
    out
}

/// Decodes one raw query key or value: `%XX` escapes and `+` for a space (the form encoding
/// browsers use). An invalid escape is kept as it is; invalid UTF-8 is replaced by U+FFFD.
pub(crate) fn decode_component(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let high = bytes.get(i + 1).copied().and_then(hex_value);
                let low = bytes.get(i + 2).copied().and_then(hex_value);
                if let (Some(h), Some(l)) = (high, low) {
                    out.push(h << 4 | l);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The decoded pairs of a raw query string, in order.
pub(crate) fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => (decode_component(key), decode_component(value)),
            None => (decode_component(pair), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_values_are_escaped_so_they_decode_back_once() {
        let query = encode_query([("q", "a b&c=d"), ("name", "José+%")]);
        assert_eq!(query, "q=a%20b%26c%3Dd&name=Jos%C3%A9%2B%25");
        assert_eq!(
            parse_query(&query),
            [
                ("q".to_owned(), "a b&c=d".to_owned()),
                ("name".to_owned(), "José+%".to_owned())
            ]
        );
    }

    #[test]
    fn raw_query_keeps_its_escapes_and_escapes_what_a_uri_cannot_hold() {
        assert_eq!(encode_raw_query("a=%20b&c=d e|f"), "a=%20b&c=d%20e%7Cf");
        assert_eq!(encode_raw_query("bad=%zz"), "bad=%25zz");
    }

    #[test]
    fn plus_is_a_space_and_invalid_escapes_stay() {
        assert_eq!(decode_component("a+b%2Bc%"), "a b+c%");
        assert_eq!(decode_component("%E2%82%AC"), "€");
    }

    #[test]
    fn path_escapes_spaces_and_non_ascii_but_keeps_escapes() {
        assert_eq!(encode_path("/a b/é/%41"), "/a%20b/%C3%A9/%41");
        assert_eq!(encode_path("relative"), "/relative");
    }
}
