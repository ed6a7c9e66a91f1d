//! Recognising an HTTP event's source and converting it, through that source's module, to a
//! [`LambdaRequest`].

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::request::{LambdaRequest, RequestError};
use super::source::Source;
use super::{alb, apigw, function_url, vpc_lattice};

impl LambdaRequest {
    /// Converts an event already parsed as JSON.
    pub fn from_value(event: Value) -> Result<Self, RequestError> {
        let source = Source::detect(&event)?;
        match source {
            Source::ApiGatewayV1 => apigw::rest(typed(source, event)?),
            Source::ApiGatewayV2 => apigw::http_api(typed(source, event)?),
            Source::WebSocket => apigw::websocket(typed(source, event)?),
            Source::Alb => alb::alb(typed(source, event)?),
            Source::FunctionUrl => function_url::function_url(typed(source, event)?),
            Source::VpcLatticeV1 => vpc_lattice::lattice_v1(typed(source, event)?),
            Source::VpcLatticeV2 => vpc_lattice::lattice_v2(typed(source, event)?),
        }
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
