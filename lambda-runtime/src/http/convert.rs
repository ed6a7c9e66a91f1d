//! Recognising an HTTP event's source and converting it, through that source's module, to a
//! [`LambdaRequest`].

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::request::{LambdaRequest, RequestError};
use super::source::Source;
use super::{alb, apigw, function_url, probe, vpc_lattice};

impl LambdaRequest {
    /// Converts an event from its JSON bytes, as the runtime receives it.
    ///
    /// The source is recognised from the bytes by a probe that skips every value but the few
    /// the table of [`Source::detect`] needs, and the source's event type is deserialized
    /// straight from the bytes: no intermediate `serde_json::Value`. An event the fast path
    /// cannot take or refuses (not JSON, unrecognised, not fitting its source's type, a shape
    /// the probe leaves alone, an invalid header) goes through [`LambdaRequest::from_value`],
    /// so the errors are the same as there.
    ///
    /// ```
    /// use lambda_runtime::http::{LambdaRequest, RequestError, Source};
    ///
    /// let event = br#"{"requestContext": {"elb": {"targetGroupArn": "arn"}},
    ///     "httpMethod": "GET", "path": "/items", "headers": {}, "body": "", "isBase64Encoded": false}"#;
    /// let request = LambdaRequest::from_slice(event).unwrap();
    /// assert_eq!(request.source(), Source::Alb);
    /// assert_eq!(request.into_http().uri(), "/items");
    ///
    /// let err = LambdaRequest::from_slice(b"{\"Records\": [").unwrap_err();
    /// assert!(matches!(err, RequestError::Json(_)));
    /// ```
    pub fn from_slice(event: &[u8]) -> Result<Self, RequestError> {
        // The whole event is checked to be UTF-8 once (the value path refuses it otherwise, even
        // in fields the conversion skips), which spares serde_json a check per string.
        let fast = std::str::from_utf8(event)
            .ok()
            .and_then(|text| Some((text, probe::detect(text.as_bytes())?)))
            .and_then(|(text, source)| convert(source, text).ok());
        match fast {
            Some(request) => Ok(request),
            // Refusals come from the value path, which also settles what JSON leaves open
            // (a repeated key: the value path keeps its last value).
            None => LambdaRequest::from_value(
                serde_json::from_slice(event).map_err(RequestError::Json)?,
            ),
        }
    }

    /// Converts an event already parsed as JSON.
    pub fn from_value(event: Value) -> Result<Self, RequestError> {
        let source = Source::detect(&event)?;
        convert(source, event)
    }
}

/// Converts an event of `source`, read as that source's type by `event`.
fn convert(source: Source, event: impl ReadEvent) -> Result<LambdaRequest, RequestError> {
    match source {
        Source::ApiGatewayV1 => apigw::rest(event.read(source)?),
        Source::ApiGatewayV2 => apigw::http_api(event.read(source)?),
        Source::WebSocket => apigw::websocket(event.read(source)?),
        Source::Alb => alb::alb(event.read(source)?),
        Source::FunctionUrl => function_url::function_url(event.read(source)?),
        Source::VpcLatticeV1 => vpc_lattice::lattice_v1(event.read(source)?),
        Source::VpcLatticeV2 => vpc_lattice::lattice_v2(event.read(source)?),
    }
}

/// Where a source's event is read from: the event's text (the fast path, whose errors are only
/// a signal to take the value path) or a parsed value.
trait ReadEvent {
    fn read<T: DeserializeOwned>(self, source: Source) -> Result<T, RequestError>;
}

impl ReadEvent for &str {
    fn read<T: DeserializeOwned>(self, source: Source) -> Result<T, RequestError> {
        serde_json::from_str(self).map_err(|e| RequestError::Malformed {
            source,
            error: e.to_string(),
        })
    }
}

impl ReadEvent for Value {
    fn read<T: DeserializeOwned>(self, source: Source) -> Result<T, RequestError> {
        typed(source, self)
    }
}

impl<'de> Deserialize<'de> for LambdaRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let event = Value::deserialize(deserializer)?;
        LambdaRequest::from_value(event).map_err(D::Error::custom)
    }
}

/// The event as its source's type, with the path of a failing field.
///
/// The fast path deserializes from the borrowed `Value` without tracking the path (the tracker
/// allocates every map key it passes, which made it the adapter's largest cost); only an event
/// that fails is deserialized again with `serde_path_to_error` to name the failing field.
fn typed<T: DeserializeOwned>(source: Source, event: Value) -> Result<T, RequestError> {
    if let Ok(typed) = T::deserialize(&event) {
        return Ok(typed);
    }
    serde_path_to_error::deserialize(event).map_err(|e| {
        let path = e.path().to_string();
        RequestError::Malformed {
            source,
            error: format!("at `{path}`: {}", e.into_inner()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every HTTP request among `lambda-events`' fixtures, with its bytes.
    fn http_fixtures() -> Vec<(String, Vec<u8>)> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../lambda-events/fixtures");
        let mut found = Vec::new();
        for dir in ["alb", "apigw", "lambda_function_urls", "vpc_lattice"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let value: Value = serde_json::from_slice(&bytes).unwrap();
                let is_request =
                    value.get("requestContext").is_some() || value.get("raw_path").is_some();
                if is_request && Source::detect(&value).is_ok() {
                    found.push((path.display().to_string(), bytes));
                }
            }
        }
        assert!(found.len() >= 15, "{}", found.len());
        found
    }

    /// What a converted request holds, to compare two conversions.
    fn assert_same(file: &str, a: LambdaRequest, b: LambdaRequest) {
        assert_eq!(a.source(), b.source(), "{file}");
        assert_eq!(a.stage(), b.stage(), "{file}");
        assert_eq!(a.is_multi_value(), b.is_multi_value(), "{file}");
        let (a, b) = (a.into_http(), b.into_http());
        assert_eq!(a.method(), b.method(), "{file}");
        assert_eq!(a.uri(), b.uri(), "{file}");
        assert_eq!(a.headers(), b.headers(), "{file}");
        assert_eq!(a.body().as_bytes(), b.body().as_bytes(), "{file}");
        use super::super::{PathParameters, QueryParameters, RequestContext, StageVariables};
        let (a, b) = (a.extensions(), b.extensions());
        assert_eq!(
            a.get::<RequestContext>(),
            b.get::<RequestContext>(),
            "{file}"
        );
        assert_eq!(
            a.get::<QueryParameters>(),
            b.get::<QueryParameters>(),
            "{file}"
        );
        assert_eq!(
            a.get::<PathParameters>(),
            b.get::<PathParameters>(),
            "{file}"
        );
        assert_eq!(
            a.get::<StageVariables>(),
            b.get::<StageVariables>(),
            "{file}"
        );
    }

    #[test]
    fn every_http_fixture_takes_the_fast_path_and_converts_as_from_value_does() {
        for (file, bytes) in http_fixtures() {
            assert!(
                probe::detect(&bytes).is_some(),
                "{file}: the probe cannot tell"
            );
            let fast = LambdaRequest::from_slice(&bytes).unwrap();
            let slow = LambdaRequest::from_value(serde_json::from_slice(&bytes).unwrap()).unwrap();
            assert_same(&file, fast, slow);
        }
    }

    #[test]
    fn from_slice_errors_are_those_of_from_value() {
        let mut missing_method: Value = serde_json::from_str(
            r#"{"version": "2.0", "rawPath": "/", "requestContext": {"http": {"path": "/"}}}"#,
        )
        .unwrap();
        let bytes = missing_method.to_string();
        let err = LambdaRequest::from_slice(bytes.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .contains("at `requestContext.http`: missing field `method`"),
            "{err}"
        );
        missing_method["requestContext"]["http"]["method"] = "GE T".into();
        let err = LambdaRequest::from_slice(missing_method.to_string().as_bytes()).unwrap_err();
        assert!(err.to_string().contains("method `GE T`"), "{err}");
        // REST requires `path` (a WebSocket event, of the same shape, does not).
        let err = LambdaRequest::from_slice(br#"{"httpMethod": "GET", "requestContext": {}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("missing field `path`"), "{err}");
        let websocket =
            br#"{"requestContext": {"connectionId": "c", "eventType": "MESSAGE", "routeKey": "$default"}}"#;
        assert_eq!(
            LambdaRequest::from_slice(websocket).unwrap().source(),
            Source::WebSocket
        );
        let err = LambdaRequest::from_slice(br#"{"Records": []}"#).unwrap_err();
        assert!(matches!(err, RequestError::Unrecognized(_)), "{err}");
        let err = LambdaRequest::from_slice(b"{\"requestContext\": {\"elb\": {}}, ").unwrap_err();
        assert!(matches!(err, RequestError::Json(_)), "{err}");
        assert!(err.to_string().contains("not JSON"), "{err}");
        // A header value no HTTP request can hold.
        let bytes = br#"{"requestContext": {"elb": {"targetGroupArn": "arn"}}, "httpMethod": "GET", "path": "/",
            "headers": {"x-bad": "a\u0000b"}, "isBase64Encoded": false}"#;
        let err = LambdaRequest::from_slice(bytes).unwrap_err();
        assert!(
            err.to_string().contains("header value `x-bad: a\0b`"),
            "{err}"
        );
    }

    #[test]
    fn fields_the_conversion_skips_are_held_to_what_the_value_path_accepts() {
        let event = |query: &[u8]| {
            let mut bytes = br#"{"version": "2.0", "rawPath": "/", "headers": {},
                "requestContext": {"http": {"method": "GET"}}, "queryStringParameters": {"a": ""#
                .to_vec();
            bytes.extend_from_slice(query);
            bytes.extend_from_slice(br#""}}"#);
            bytes
        };
        for query in [b"\xff".as_slice(), b"\\ud800", b"\\ud800\\udc00", b"ok"] {
            let bytes = event(query);
            let fast = LambdaRequest::from_slice(&bytes).map(|r| r.source());
            let slow = serde_json::from_slice::<LambdaRequest>(&bytes).map(|r| r.source());
            assert_eq!(
                fast.is_ok(),
                slow.is_ok(),
                "{}",
                String::from_utf8_lossy(&bytes)
            );
        }
        // Not UTF-8: the error says it is not JSON.
        let err = LambdaRequest::from_slice(&event(b"\xff")).unwrap_err();
        assert!(matches!(err, RequestError::Json(_)), "{err}");
    }

    #[test]
    fn a_repeated_header_key_is_settled_as_the_value_path_settles_it() {
        // Found by the `http_request` fuzz target: the first `x` cannot be a header value, the
        // last one can; the value path keeps the last, so the request converts.
        let bytes = br#"{"raw_path": "/", "method": "GET",
            "headers": {"x": "a\nb", "x": "ok"}, "is_base64_encoded": false}"#;
        let request = LambdaRequest::from_slice(bytes).unwrap().into_http();
        assert_eq!(request.headers()["x"], "ok");
    }

    fn alb_event(method: &str, path: &str) -> Value {
        json!({
            "requestContext": {"elb": {"targetGroupArn": "arn"}},
            "httpMethod": method, "path": path, "body": "", "isBase64Encoded": false
        })
    }

    #[test]
    fn invalid_method_is_an_error_not_a_panic() {
        let err = LambdaRequest::from_value(alb_event("GE T", "/")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the Application Load Balancer request cannot be an HTTP request: method `GE T`"
        );
    }

    #[test]
    fn path_with_characters_a_uri_cannot_hold_is_escaped() {
        let request = LambdaRequest::from_value(alb_event("GET", "/a b/ü"))
            .unwrap()
            .into_http();
        assert_eq!(request.uri(), "/a%20b/%C3%BC");
    }

    #[test]
    fn unpadded_base64_body_is_accepted() {
        let mut event = alb_event("POST", "/");
        event["body"] = "aGk".into();
        event["isBase64Encoded"] = true.into();
        let request = LambdaRequest::from_value(event).unwrap().into_http();
        assert_eq!(request.body().as_bytes(), b"hi");
    }

    #[test]
    fn function_url_event_with_null_account_and_request_ids_converts() {
        // The shape cargo-lambda's function URL passthrough sends under `cargo lambda watch`.
        let event = json!({
            "version": "2.0", "rawPath": "/hello", "rawQueryString": "a=1",
            "headers": {"host": "localhost:9000"},
            "requestContext": {
                "accountId": null, "apiId": null, "domainName": null, "domainPrefix": null,
                "requestId": null, "routeKey": "$default", "stage": "$default", "time": null,
                "timeEpoch": null,
                "http": {"method": "GET", "path": "/hello", "protocol": null, "sourceIp": null,
                         "userAgent": null}
            },
            "isBase64Encoded": false
        });
        let request = LambdaRequest::from_value(event).unwrap();
        assert_eq!(request.source(), Source::ApiGatewayV2);
        let request = request.into_http();
        assert_eq!(request.uri(), "/hello?a=1");
    }

    #[test]
    fn rest_event_without_account_id_or_identity_converts() {
        let event = json!({
            "httpMethod": "GET", "path": "/items", "headers": {"accept": "*/*"},
            "requestContext": {"accountId": null, "requestId": null, "stage": "prod"},
            "isBase64Encoded": false
        });
        let request = LambdaRequest::from_value(event).unwrap();
        assert_eq!(request.stage(), Some("prod"));
        assert_eq!(request.into_http().uri(), "/items");
    }

    #[test]
    fn rest_headers_are_the_union_of_headers_and_multi_value_headers() {
        let event = json!({
            "httpMethod": "GET", "path": "/",
            "headers": {"Accept": "text/plain", "X-Only-Single": "1"},
            "multiValueHeaders": {"accept": ["text/plain", "text/html"], "X-Only-Multi": ["2"]},
            "requestContext": {"stage": "prod"},
            "isBase64Encoded": false
        });
        let request = LambdaRequest::from_value(event).unwrap().into_http();
        let headers = request.headers();
        let accept: Vec<_> = headers.get_all("accept").iter().collect();
        assert_eq!(accept, ["text/plain", "text/html"]);
        assert_eq!(headers["x-only-single"], "1");
        assert_eq!(headers["x-only-multi"], "2");
    }

    #[test]
    fn rest_event_carrying_a_connection_id_is_rest_not_websocket() {
        let event = json!({
            "httpMethod": "POST", "path": "/orders", "body": "{}",
            "requestContext": {"connectionId": "abc=", "stage": "prod", "requestId": "r"},
            "isBase64Encoded": false
        });
        let request = LambdaRequest::from_value(event).unwrap();
        assert_eq!(request.source(), Source::ApiGatewayV1);
        let request = request.into_http();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/orders");
    }
}
