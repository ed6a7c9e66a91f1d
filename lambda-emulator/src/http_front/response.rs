//! The function's answer turned into the HTTP response the caller of a function URL, API
//! Gateway or an ALB receives.

use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::{Map, Value};

use super::HttpFormat;

/// An HTTP response ready to be sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HttpResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Why a function's answer cannot be turned into an HTTP response (the caller gets a 502).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BadResponse {
    /// Payload 1.0 and ALB need a JSON object.
    NotAnObject,
    /// No `statusCode`, where the format needs one.
    NoStatusCode,
    /// `statusCode` is not a number from 100 to 599.
    InvalidStatusCode(String),
    /// A header name or value that HTTP does not allow.
    InvalidHeader(String),
    /// A field of the wrong JSON type.
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    /// `isBase64Encoded` is true but the body is not base64.
    InvalidBase64(String),
    /// A streamed response's prelude is not the JSON object it should be.
    InvalidPrelude(String),
}

impl fmt::Display for BadResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadResponse::NotAnObject => f.write_str(
                "the function's response is not a JSON object; return {\"statusCode\":200,\"body\":\"...\"}",
            ),
            BadResponse::NoStatusCode => {
                f.write_str("the function's response has no `statusCode`; add one (e.g. 200)")
            }
            BadResponse::InvalidStatusCode(value) => {
                write!(f, "`statusCode` {value} is not an HTTP status from 100 to 599")
            }
            BadResponse::InvalidHeader(name) => {
                write!(f, "the response header `{name}` is not a valid HTTP header")
            }
            BadResponse::WrongType { field, expected } => {
                write!(f, "`{field}` in the function's response must be {expected}")
            }
            BadResponse::InvalidBase64(error) => write!(
                f,
                "`isBase64Encoded` is true but `body` is not base64 ({error}); encode the body or set it to false"
            ),
            BadResponse::InvalidPrelude(error) => write!(
                f,
                "the streamed response's prelude is not a JSON object with `statusCode`, `headers` and `cookies` ({error})"
            ),
        }
    }
}

impl std::error::Error for BadResponse {}

/// The HTTP response for a buffered function response `body`, as `format` reads it.
///
/// Payload 2.0 (function URLs, HTTP APIs) takes any answer that is not a JSON object with a
/// `statusCode` as a `200` JSON body; payload 1.0 and ALBs need `statusCode`.
pub(crate) fn from_function(format: HttpFormat, body: &[u8]) -> Result<HttpResponse, BadResponse> {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let object = match parsed {
        Some(Value::Object(object)) if object.contains_key("statusCode") => object,
        _ if format.is_payload_v2() => {
            let mut headers = HeaderMap::new();
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            return Ok(HttpResponse {
                status: StatusCode::OK,
                headers,
                body: Bytes::copy_from_slice(body),
            });
        }
        Some(Value::Object(_)) => return Err(BadResponse::NoStatusCode),
        _ => return Err(BadResponse::NotAnObject),
    };
    let status = status_code(object.get("statusCode"))?;
    let mut headers = HeaderMap::new();
    // Multi-value headers first: a name in both keeps the multi-value list (API Gateway's rule).
    if !format.is_payload_v2() {
        if let Some(multi) = object_field(&object, "multiValueHeaders")? {
            for (name, values) in multi {
                let Value::Array(values) = values else {
                    return Err(BadResponse::WrongType {
                        field: "multiValueHeaders",
                        expected: "an object of arrays of strings",
                    });
                };
                for value in values {
                    append(&mut headers, name, value)?;
                }
            }
        }
    }
    if let Some(single) = object_field(&object, "headers")? {
        for (name, value) in single {
            if !headers.contains_key(name.as_str()) {
                append(&mut headers, name, value)?;
            }
        }
    }
    if format.is_payload_v2() {
        for cookie in cookies(&object)? {
            append(&mut headers, "set-cookie", &Value::String(cookie))?;
        }
    }
    let text = match object.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(_) => {
            return Err(BadResponse::WrongType {
                field: "body",
                expected: "a string",
            })
        }
    };
    let base64 = match object.get("isBase64Encoded") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(flag)) => *flag,
        Some(_) => {
            return Err(BadResponse::WrongType {
                field: "isBase64Encoded",
                expected: "true or false",
            })
        }
    };
    let body = if base64 {
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(|error| BadResponse::InvalidBase64(error.to_string()))?
            .into()
    } else {
        Bytes::from(text)
    };
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// The status and headers of a streamed response's prelude
/// (`{"statusCode":..,"headers":{..},"cookies":[..]}`).
pub(crate) fn from_prelude(prelude: &[u8]) -> Result<(StatusCode, HeaderMap), BadResponse> {
    let object = match serde_json::from_slice::<Value>(prelude) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(BadResponse::InvalidPrelude("not a JSON object".into())),
        Err(error) => return Err(BadResponse::InvalidPrelude(error.to_string())),
    };
    let status = match object.get("statusCode") {
        None | Some(Value::Null) => StatusCode::OK,
        code => status_code(code)?,
    };
    let mut headers = HeaderMap::new();
    if let Some(single) = object_field(&object, "headers")? {
        for (name, value) in single {
            append(&mut headers, name, value)?;
        }
    }
    for cookie in cookies(&object)? {
        append(&mut headers, "set-cookie", &Value::String(cookie))?;
    }
    Ok((status, headers))
}

/// What the caller sees when the function failed, timed out or answered something unusable:
/// `502` with a JSON message, as a function URL or API Gateway answers.
pub(crate) fn bad_gateway(format: HttpFormat) -> HttpResponse {
    let message = match format {
        HttpFormat::ApiGatewayV1 | HttpFormat::ApiGatewayV2 => "Internal server error",
        _ => "Internal Server Error",
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    HttpResponse {
        status: StatusCode::BAD_GATEWAY,
        headers,
        body: Bytes::from(serde_json::json!({ "message": message }).to_string()),
    }
}

fn status_code(value: Option<&Value>) -> Result<StatusCode, BadResponse> {
    let code = match value {
        Some(Value::Number(number)) => number.as_u64(),
        // Some runtimes send the code as a string.
        Some(Value::String(text)) => text.parse::<u64>().ok(),
        None => return Err(BadResponse::NoStatusCode),
        Some(_) => None,
    };
    code.and_then(|code| u16::try_from(code).ok())
        .filter(|code| (100..600).contains(code))
        .and_then(|code| StatusCode::from_u16(code).ok())
        .ok_or_else(|| {
            BadResponse::InvalidStatusCode(value.map(Value::to_string).unwrap_or_default())
        })
}

fn object_field<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Option<&'a Map<String, Value>>, BadResponse> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(BadResponse::WrongType {
            field,
            expected: "a JSON object",
        }),
    }
}

fn cookies(object: &Map<String, Value>) -> Result<Vec<String>, BadResponse> {
    match object.get("cookies") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(values)) => values
            .iter()
            .map(|value| match value {
                Value::String(text) => Ok(text.clone()),
                _ => Err(BadResponse::WrongType {
                    field: "cookies",
                    expected: "an array of strings",
                }),
            })
            .collect(),
        Some(_) => Err(BadResponse::WrongType {
            field: "cookies",
            expected: "an array of strings",
        }),
    }
}

/// Appends a header; numbers and booleans are written as text, as the services do.
fn append(headers: &mut HeaderMap, name: &str, value: &Value) -> Result<(), BadResponse> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        _ => {
            return Err(BadResponse::WrongType {
                field: "headers",
                expected: "an object of strings",
            })
        }
    };
    let invalid = || BadResponse::InvalidHeader(name.to_owned());
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
    let value = HeaderValue::from_str(&text).map_err(|_| invalid())?;
    headers.append(name, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(format: HttpFormat, value: Value) -> Result<HttpResponse, BadResponse> {
        from_function(format, value.to_string().as_bytes())
    }

    #[test]
    fn payload_v2_reads_status_headers_cookies_and_base64_body() {
        let response = parse(
            HttpFormat::FunctionUrl,
            json!({
                "statusCode": 201,
                "headers": {"content-type": "image/png", "x-count": 3},
                "cookies": ["a=1; Path=/", "b=2"],
                "body": "AJ+Slg==",
                "isBase64Encoded": true,
            }),
        )
        .unwrap();
        assert_eq!(response.status, StatusCode::CREATED);
        assert_eq!(response.headers["content-type"], "image/png");
        assert_eq!(response.headers["x-count"], "3");
        let cookies: Vec<_> = response.headers.get_all("set-cookie").iter().collect();
        assert_eq!(cookies, ["a=1; Path=/", "b=2"]);
        assert_eq!(response.body, Bytes::from_static(&[0, 159, 146, 150]));
    }

    #[test]
    fn payload_v2_takes_anything_without_status_code_as_a_json_body() {
        for body in [
            r#"{"hello":"world"}"#,
            r#""text""#,
            "[1,2]",
            "42",
            "not json",
        ] {
            let response = from_function(HttpFormat::ApiGatewayV2, body.as_bytes()).unwrap();
            assert_eq!(response.status, StatusCode::OK);
            assert_eq!(response.headers["content-type"], "application/json");
            assert_eq!(response.body, body);
        }
    }

    #[test]
    fn payload_v1_merges_multi_value_headers_and_needs_a_status_code() {
        let response = parse(
            HttpFormat::ApiGatewayV1,
            json!({
                "statusCode": "404",
                "headers": {"content-type": "text/plain", "x-custom": "single"},
                "multiValueHeaders": {"x-custom": ["one", "two"], "set-cookie": ["a=1", "b=2"]},
                "body": "missing",
            }),
        )
        .unwrap();
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        let custom: Vec<_> = response.headers.get_all("x-custom").iter().collect();
        assert_eq!(custom, ["one", "two"]);
        assert_eq!(response.headers.get_all("set-cookie").iter().count(), 2);
        assert_eq!(response.body, "missing");
        assert_eq!(
            parse(HttpFormat::ApiGatewayV1, json!({"body": "x"})),
            Err(BadResponse::NoStatusCode)
        );
        assert_eq!(
            from_function(HttpFormat::Alb, b"\"text\""),
            Err(BadResponse::NotAnObject)
        );
        // `cookies` belongs to payload 2.0: 1.0 ignores it.
        let response = parse(
            HttpFormat::ApiGatewayV1,
            json!({"statusCode": 200, "cookies": ["a=1"]}),
        )
        .unwrap();
        assert!(response.headers.get("set-cookie").is_none());
    }

    #[test]
    fn unusable_responses_name_what_is_wrong() {
        let cases = [
            (
                json!({"statusCode": 99}),
                BadResponse::InvalidStatusCode("99".into()),
            ),
            (
                json!({"statusCode": "abc"}),
                BadResponse::InvalidStatusCode("\"abc\"".into()),
            ),
            (
                json!({"statusCode": 200, "headers": {"bad name": "x"}}),
                BadResponse::InvalidHeader("bad name".into()),
            ),
            (
                json!({"statusCode": 200, "headers": ["x"]}),
                BadResponse::WrongType {
                    field: "headers",
                    expected: "a JSON object",
                },
            ),
            (
                json!({"statusCode": 200, "body": {"a": 1}}),
                BadResponse::WrongType {
                    field: "body",
                    expected: "a string",
                },
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(
                parse(HttpFormat::Alb, value.clone()),
                Err(expected),
                "{value}"
            );
        }
        let error = parse(
            HttpFormat::FunctionUrl,
            json!({"statusCode": 200, "body": "!!", "isBase64Encoded": true}),
        )
        .unwrap_err();
        assert!(matches!(error, BadResponse::InvalidBase64(_)));
        assert!(error.to_string().contains("isBase64Encoded"), "{error}");
    }

    #[test]
    fn prelude_gives_status_headers_and_cookies() {
        let (status, headers) = from_prelude(
            br#"{"statusCode":418,"headers":{"content-type":"text/plain"},"cookies":["a=1"]}"#,
        )
        .unwrap();
        assert_eq!(status, StatusCode::IM_A_TEAPOT);
        assert_eq!(headers["content-type"], "text/plain");
        assert_eq!(headers["set-cookie"], "a=1");
        let (status, headers) = from_prelude(b"{}").unwrap();
        assert_eq!(status, StatusCode::OK);
        assert!(headers.is_empty());
        assert!(matches!(
            from_prelude(b"[1]"),
            Err(BadResponse::InvalidPrelude(_))
        ));
    }

    #[test]
    fn bad_gateway_is_a_502_with_a_json_message() {
        let response = bad_gateway(HttpFormat::FunctionUrl);
        assert_eq!(response.status, StatusCode::BAD_GATEWAY);
        assert_eq!(response.body, r#"{"message":"Internal Server Error"}"#);
        let response = bad_gateway(HttpFormat::ApiGatewayV1);
        assert_eq!(response.body, r#"{"message":"Internal server error"}"#);
    }
}
