//! An `http::Response` shaped as the JSON the source it answers expects.

use std::collections::HashMap;

use base64::Engine as _;
use bytes::Bytes;
use http::header::{HeaderMap, CONTENT_ENCODING, CONTENT_TYPE, SET_COOKIE};
use http::response::Parts;
use lambda_events::alb::AlbTargetGroupResponse;
use lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayV2HttpResponse};
use lambda_events::lambda_function_urls::LambdaFunctionUrlResponse;
use lambda_events::vpc_lattice::VpcLatticeResponse;
use serde::{Serialize, Serializer};

use super::source::Source;

/// How the response body is written into the JSON: as text, or as base64 with
/// `isBase64Encoded: true`.
///
/// The adapter decides from the response headers: a body with a `Content-Encoding` (gzip, br,
/// ...) is binary; otherwise `text/*`, `application/json`, `application/xml`,
/// `application/javascript`, `application/x-www-form-urlencoded`, `application/graphql`,
/// `application/yaml` and any `+json`, `+xml` or `+yaml` type are text, other content types
/// are binary, and a body without a content type is text if it is UTF-8. A text body that is
/// not valid UTF-8 is sent as base64 rather than altered.
///
/// To decide yourself, put a `BodyEncoding` in the response's extensions. With axum:
///
/// ```
/// use axum::Extension;
/// use lambda_runtime::http::BodyEncoding;
///
/// async fn report() -> impl axum::response::IntoResponse {
///     // A CSV file the caller must receive as bytes, whatever its content type says.
///     (Extension(BodyEncoding::Base64), [("content-type", "text/csv")], "a,b\n1,2\n")
/// }
/// # let _ = report;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// The body as a JSON string (it must be UTF-8; otherwise base64 is used).
    Text,
    /// The body base64-encoded, with `isBase64Encoded: true`.
    Base64,
}

impl BodyEncoding {
    /// The encoding the adapter chooses for a response with these headers and body, unless
    /// the response carries its own `BodyEncoding` extension.
    ///
    /// ```
    /// use lambda_runtime::http::BodyEncoding;
    ///
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("content-type", "application/problem+json".parse().unwrap());
    /// assert_eq!(BodyEncoding::for_response(&headers, b"{}"), BodyEncoding::Text);
    /// headers.insert("content-encoding", "gzip".parse().unwrap());
    /// assert_eq!(BodyEncoding::for_response(&headers, b"{}"), BodyEncoding::Base64);
    /// ```
    pub fn for_response(headers: &HeaderMap, body: &[u8]) -> BodyEncoding {
        let encoded = headers
            .get(CONTENT_ENCODING)
            .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"));
        if encoded {
            return BodyEncoding::Base64;
        }
        let text = match headers.get(CONTENT_TYPE) {
            Some(content_type) => is_text_type(content_type.to_str().unwrap_or_default()),
            None => true,
        };
        if text && std::str::from_utf8(body).is_ok() {
            BodyEncoding::Text
        } else {
            BodyEncoding::Base64
        }
    }
}

fn is_text_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    kind == "text"
        || (kind == "application"
            && matches!(
                subtype,
                "json"
                    | "xml"
                    | "javascript"
                    | "ecmascript"
                    | "x-javascript"
                    | "x-www-form-urlencoded"
                    | "graphql"
                    | "yaml"
                    | "x-yaml"
                    | "x-ndjson"
            ))
        || subtype.ends_with("+json")
        || subtype.ends_with("+xml")
        || subtype.ends_with("+yaml")
}

/// The JSON response for the source the request came from, as `lambda-events` types.
///
/// The adapter builds it from the service's `http::Response`:
///
/// | Source | Shape |
/// | --- | --- |
/// | REST API (1.0), WebSocket | `statusCode`, `headers` (headers with one value), `multiValueHeaders` (headers with several) |
/// | HTTP API (2.0), function URL | `statusCode`, `headers` (values joined with `,`), `cookies` (the `Set-Cookie` values) |
/// | ALB | `statusCode`, `statusDescription` (`"200 OK"`), `headers`, or `multiValueHeaders` if the request was multi-value |
/// | VPC Lattice | `statusCode`, `statusDescription`, `headers` |
///
/// and `body` with `isBase64Encoded` as [`BodyEncoding`] decides.
///
/// ```
/// use lambda_runtime::http::{LambdaResponse, Source};
///
/// let response = http::Response::builder()
///     .status(404)
///     .header("content-type", "text/plain")
///     .body(bytes::Bytes::from("no such item"))
///     .unwrap();
/// let json = serde_json::to_value(LambdaResponse::from_http(Source::Alb, false, response)).unwrap();
/// assert_eq!(json, serde_json::json!({
///     "statusCode": 404, "statusDescription": "404 Not Found",
///     "headers": {"content-type": "text/plain"},
///     "body": "no such item", "isBase64Encoded": false
/// }));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LambdaResponse {
    /// For REST APIs, HTTP APIs with payload 1.0, and WebSocket APIs.
    ApiGatewayV1(ApiGatewayProxyResponse),
    /// For HTTP APIs with payload 2.0.
    ApiGatewayV2(ApiGatewayV2HttpResponse),
    /// For Application Load Balancers.
    Alb(AlbTargetGroupResponse),
    /// For function URLs.
    FunctionUrl(LambdaFunctionUrlResponse),
    /// For VPC Lattice.
    VpcLattice(VpcLatticeResponse),
}

impl Serialize for LambdaResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            LambdaResponse::ApiGatewayV1(r) => r.serialize(serializer),
            LambdaResponse::ApiGatewayV2(r) => r.serialize(serializer),
            LambdaResponse::Alb(r) => r.serialize(serializer),
            LambdaResponse::FunctionUrl(r) => r.serialize(serializer),
            LambdaResponse::VpcLattice(r) => r.serialize(serializer),
        }
    }
}

impl LambdaResponse {
    /// Shapes `response` for `source`. `multi_value` says whether the request used
    /// multi-value headers (it matters for ALB only).
    pub fn from_http(source: Source, multi_value: bool, response: http::Response<Bytes>) -> Self {
        let (parts, body) = response.into_parts();
        LambdaResponse::from_parts(source, multi_value, parts, &body)
    }

    // `..Default::default()` fills the `other` map the types gain with lambda-events'
    // `catch-all-fields` feature, which another crate of the build may turn on.
    #[allow(clippy::needless_update)]
    pub(crate) fn from_parts(source: Source, multi_value: bool, parts: Parts, body: &[u8]) -> Self {
        let encoding = match parts.extensions.get::<BodyEncoding>() {
            Some(BodyEncoding::Text) if std::str::from_utf8(body).is_ok() => BodyEncoding::Text,
            Some(_) => BodyEncoding::Base64,
            None => BodyEncoding::for_response(&parts.headers, body),
        };
        let base64 = encoding == BodyEncoding::Base64;
        let body = Some(match encoding {
            BodyEncoding::Text => String::from_utf8_lossy(body).into_owned(),
            BodyEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(body),
        });
        let status_code = parts.status.as_u16();
        let headers = &parts.headers;
        match source {
            Source::ApiGatewayV1 | Source::WebSocket => {
                let (single, multi) = split_by_count(headers);
                LambdaResponse::ApiGatewayV1(ApiGatewayProxyResponse {
                    status_code,
                    headers: Some(single),
                    multi_value_headers: (!multi.is_empty()).then_some(multi),
                    body,
                    is_base64_encoded: Some(base64),
                    ..Default::default()
                })
            }
            Source::ApiGatewayV2 => {
                let (headers, cookies) = joined_with_cookies(headers);
                LambdaResponse::ApiGatewayV2(ApiGatewayV2HttpResponse {
                    status_code,
                    headers: Some(headers),
                    cookies: (!cookies.is_empty()).then_some(cookies),
                    body,
                    is_base64_encoded: Some(base64),
                    ..Default::default()
                })
            }
            Source::FunctionUrl => {
                let (headers, cookies) = joined_with_cookies(headers);
                LambdaResponse::FunctionUrl(LambdaFunctionUrlResponse {
                    status_code,
                    headers: Some(headers),
                    cookies: (!cookies.is_empty()).then_some(cookies),
                    body,
                    is_base64_encoded: Some(base64),
                    ..Default::default()
                })
            }
            Source::Alb => {
                let (headers, multi_value_headers) = if multi_value {
                    (None, Some(all_values(headers)))
                } else {
                    (Some(joined(headers, source)), None)
                };
                LambdaResponse::Alb(AlbTargetGroupResponse {
                    status_code,
                    status_description: Some(status_description(parts.status)),
                    headers,
                    multi_value_headers,
                    body,
                    is_base64_encoded: Some(base64),
                    ..Default::default()
                })
            }
            Source::VpcLatticeV1 | Source::VpcLatticeV2 => {
                LambdaResponse::VpcLattice(VpcLatticeResponse {
                    status_code,
                    status_description: Some(status_description(parts.status)),
                    headers: Some(joined(headers, source)),
                    body,
                    is_base64_encoded: Some(base64),
                    ..Default::default()
                })
            }
        }
    }
}

/// `"200 OK"`, or just the code for a status without a standard reason.
fn status_description(status: http::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn values(headers: &HeaderMap, name: &http::HeaderName) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

/// Headers with one value in the first map, headers with several in the second.
fn split_by_count(headers: &HeaderMap) -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let mut single = HashMap::new();
    let mut multi = HashMap::new();
    for name in headers.keys() {
        let mut all = values(headers, name);
        if all.len() == 1 {
            single.insert(name.as_str().to_owned(), all.remove(0));
        } else {
            multi.insert(name.as_str().to_owned(), all);
        }
    }
    (single, multi)
}

fn all_values(headers: &HeaderMap) -> HashMap<String, Vec<String>> {
    headers
        .keys()
        .map(|name| (name.as_str().to_owned(), values(headers, name)))
        .collect()
}

/// Every value of `name` joined with `,` (RFC 9110); one value is taken as it is.
fn joined_values(headers: &HeaderMap, name: &http::HeaderName) -> String {
    let mut values = headers.get_all(name).iter();
    let mut joined = values
        .next()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    for value in values {
        joined.push(',');
        joined.push_str(&String::from_utf8_lossy(value.as_bytes()));
    }
    joined
}

/// One value per header: repeated values joined with `,` (RFC 9110), except `Set-Cookie`,
/// which cannot be joined: its last value is kept, with a warning.
fn joined(headers: &HeaderMap, source: Source) -> HashMap<String, String> {
    let mut map = HashMap::with_capacity(headers.keys_len());
    for name in headers.keys() {
        let cookies = headers.get_all(name).iter().count();
        let value = if name == SET_COOKIE && cookies > 1 {
            tracing::warn!(
                "{source} accepts one Set-Cookie header in single-value mode: only the last of \
                 {cookies} is sent (turn on multi-value headers on the target group to send them all)",
            );
            values(headers, name).pop().unwrap_or_default()
        } else {
            joined_values(headers, name)
        };
        map.insert(name.as_str().to_owned(), value);
    }
    map
}

/// Headers joined with `,`, and the `Set-Cookie` values apart (HTTP API 2.0 and function URLs).
fn joined_with_cookies(headers: &HeaderMap) -> (HashMap<String, String>, Vec<String>) {
    let mut map = HashMap::with_capacity(headers.keys_len());
    let mut cookies = Vec::new();
    for name in headers.keys() {
        if name == SET_COOKIE {
            cookies = values(headers, name);
        } else {
            map.insert(name.as_str().to_owned(), joined_values(headers, name));
        }
    }
    (map, cookies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shaped(
        source: Source,
        multi_value: bool,
        response: http::Response<&'static [u8]>,
    ) -> serde_json::Value {
        let response = response.map(Bytes::from_static);
        serde_json::to_value(LambdaResponse::from_http(source, multi_value, response)).unwrap()
    }

    #[test]
    fn text_types_are_text_and_encoded_or_binary_types_are_base64() {
        let cases = [
            ("text/html; charset=utf-8", None, BodyEncoding::Text),
            ("application/json", None, BodyEncoding::Text),
            ("application/vnd.api+json", None, BodyEncoding::Text),
            ("image/svg+xml", None, BodyEncoding::Text),
            ("application/javascript", None, BodyEncoding::Text),
            ("image/png", None, BodyEncoding::Base64),
            ("application/octet-stream", None, BodyEncoding::Base64),
            ("application/json", Some("gzip"), BodyEncoding::Base64),
            ("text/plain", Some("identity"), BodyEncoding::Text),
        ];
        for (content_type, encoding, expected) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, content_type.parse().unwrap());
            if let Some(e) = encoding {
                headers.insert(CONTENT_ENCODING, e.parse().unwrap());
            }
            assert_eq!(
                BodyEncoding::for_response(&headers, b"x"),
                expected,
                "{content_type} {encoding:?}"
            );
        }
        let none = HeaderMap::new();
        assert_eq!(
            BodyEncoding::for_response(&none, b"plain"),
            BodyEncoding::Text
        );
        assert_eq!(
            BodyEncoding::for_response(&none, &[0xff, 0xfe]),
            BodyEncoding::Base64
        );
    }

    #[test]
    fn an_extension_overrides_the_encoding() {
        let mut response = http::Response::builder()
            .header("content-type", "text/csv")
            .body(&b"a,b"[..])
            .unwrap();
        response.extensions_mut().insert(BodyEncoding::Base64);
        let json = shaped(Source::FunctionUrl, false, response);
        assert_eq!(json["body"], "YSxi");
        assert_eq!(json["isBase64Encoded"], true);
    }

    #[test]
    fn rest_response_splits_single_and_repeated_headers() {
        let response = http::Response::builder()
            .status(201)
            .header("content-type", "application/json")
            .header("set-cookie", "a=1")
            .header("set-cookie", "b=2")
            .body(&b"{}"[..])
            .unwrap();
        assert_eq!(
            shaped(Source::ApiGatewayV1, false, response),
            json!({
                "statusCode": 201,
                "headers": {"content-type": "application/json"},
                "multiValueHeaders": {"set-cookie": ["a=1", "b=2"]},
                "body": "{}",
                "isBase64Encoded": false
            })
        );
    }

    #[test]
    fn alb_multi_value_response_lists_every_value() {
        let response = http::Response::builder()
            .header("set-cookie", "a=1")
            .header("set-cookie", "b=2")
            .body(&b""[..])
            .unwrap();
        assert_eq!(
            shaped(Source::Alb, true, response),
            json!({
                "statusCode": 200,
                "statusDescription": "200 OK",
                "multiValueHeaders": {"set-cookie": ["a=1", "b=2"]},
                "body": "",
                "isBase64Encoded": false
            })
        );
    }
}
