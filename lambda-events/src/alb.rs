//! Application Load Balancer: requests to a Lambda target group and the responses.
//!
//! With multi-value headers enabled on the target group, ALB sends `multiValueHeaders` and
//! `multiValueQueryStringParameters` instead of the single-value maps, and expects
//! `multiValueHeaders` in the response. Query parameters are passed through as the client
//! sent them (not URL-decoded).

use lambda_events_derive::event;

use crate::encodings::{
    Headers, MultiValueHeaders, MultiValueQueryStringParameters, QueryStringParameters,
};

/// A request from an Application Load Balancer to a Lambda target.
///
/// ```
/// use lambda_events::alb::AlbTargetGroupRequest;
///
/// let json = r#"{"requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda/49e9d65c45c6791a"}},
///   "httpMethod": "GET", "path": "/lambda", "headers": {"host": "example.com"},
///   "body": "", "isBase64Encoded": false}"#;
/// let request: AlbTargetGroupRequest = serde_json::from_str(json).unwrap();
/// assert_eq!(request.path, "/lambda");
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct AlbTargetGroupRequest {
    /// The HTTP method.
    pub http_method: String,
    /// The request path.
    pub path: String,
    /// Query string parameters, not URL-decoded (single-value mode).
    pub query_string_parameters: Option<QueryStringParameters>,
    /// Query string parameters with all values, not URL-decoded (multi-value mode).
    pub multi_value_query_string_parameters: Option<MultiValueQueryStringParameters>,
    /// Headers, lower-case names (single-value mode: the last value of a repeated header).
    pub headers: Option<Headers>,
    /// Headers with all values (multi-value mode).
    pub multi_value_headers: Option<MultiValueHeaders>,
    /// Which target group the request came through.
    pub request_context: AlbTargetGroupRequestContext,
    /// Whether `body` is base64.
    #[serde(default)]
    pub is_base64_encoded: bool,
    /// The body: text, or base64 when `is_base64_encoded` is true (empty when there is none).
    pub body: Option<String>,
}

/// The `requestContext` of an ALB request.
#[event]
#[serde(rename_all = "camelCase")]
pub struct AlbTargetGroupRequestContext {
    /// The load balancer data.
    pub elb: ElbContext,
}

/// The `elb` entry of an ALB request context.
#[event]
#[serde(rename_all = "camelCase")]
pub struct ElbContext {
    /// The ARN of the target group that invoked the function.
    pub target_group_arn: String,
}

/// The response of a Lambda target to an Application Load Balancer.
///
/// Set `headers` in single-value mode and `multi_value_headers` in multi-value mode (ALB
/// ignores the other). [`Default`] is a `200` with no headers and no body.
///
/// ```
/// use lambda_events::alb::AlbTargetGroupResponse;
///
/// let response = AlbTargetGroupResponse {
///     status_description: Some("200 OK".to_owned()),
///     body: Some("<h1>Hello</h1>".to_owned()),
///     ..Default::default()
/// };
/// assert_eq!(serde_json::to_value(&response).unwrap()["statusCode"], 200);
/// ```
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct AlbTargetGroupResponse {
    /// The HTTP status code.
    pub status_code: u16,
    /// The status line text, for example `"200 OK"`.
    pub status_description: Option<String>,
    /// Headers (single-value mode).
    pub headers: Option<Headers>,
    /// Headers with all values (multi-value mode).
    pub multi_value_headers: Option<MultiValueHeaders>,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64.
    pub is_base64_encoded: Option<bool>,
}

impl Default for AlbTargetGroupResponse {
    fn default() -> Self {
        AlbTargetGroupResponse {
            status_code: 200,
            status_description: None,
            headers: None,
            multi_value_headers: None,
            body: None,
            is_base64_encoded: None,
            #[cfg(feature = "catch-all-fields")]
            other: serde_json::Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn single_value_request_round_trips() {
        let r: AlbTargetGroupRequest = round_trip(&fixture("alb/request.json"));
        assert_eq!(r.http_method, "GET");
        assert_eq!(r.path, "/lambda");
        assert_eq!(
            r.query_string_parameters.as_ref().unwrap()["query"],
            "1234ABCD"
        );
        assert_eq!(
            r.headers.as_ref().unwrap()["x-forwarded-for"],
            "72.12.164.125"
        );
        assert_eq!(
            r.request_context.elb.target_group_arn,
            "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a"
        );
        assert_eq!(r.body.as_deref(), Some(""));
        assert!(!r.is_base64_encoded);
    }

    #[test]
    fn multi_value_request_round_trips() {
        let r: AlbTargetGroupRequest = round_trip(&fixture("alb/request_multi_value.json"));
        assert_eq!(r.headers, None);
        assert_eq!(
            r.multi_value_headers.as_ref().unwrap()["cookie"],
            ["a=1", "b=2"]
        );
        assert_eq!(
            r.multi_value_query_string_parameters.as_ref().unwrap()["myKey"],
            ["val1", "val2"]
        );
    }

    #[test]
    fn response_round_trips() {
        let r: AlbTargetGroupResponse = round_trip(&fixture("alb/response.json"));
        assert_eq!(r.status_code, 200);
        assert_eq!(r.status_description.as_deref(), Some("200 OK"));
        assert_eq!(r.headers.as_ref().unwrap()["Content-Type"], "text/html");
        assert_eq!(r.body.as_deref(), Some("<h1>Hello from Lambda!</h1>"));
    }

    #[test]
    fn multi_value_response_round_trips() {
        let r: AlbTargetGroupResponse = round_trip(&fixture("alb/response_multi_value.json"));
        assert_eq!(
            r.multi_value_headers.as_ref().unwrap()["Set-Cookie"],
            [
                "cookie-name=cookie-value;Domain=myweb.com;Secure;HttpOnly",
                "cookie-name=cookie-value;Expires=May 8, 2019"
            ]
        );
    }
}
