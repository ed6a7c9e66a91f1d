//! Lambda function URLs: the request (the HTTP API 2.0 shape) and the response.

use std::collections::HashMap;

use lambda_events_derive::event;

use crate::encodings::{EpochMillis, Headers, QueryStringParameters};

/// A request received through a function URL.
///
/// ```
/// use lambda_events::lambda_function_urls::LambdaFunctionUrlRequest;
///
/// let json = r#"{"version": "2.0", "rawPath": "/", "rawQueryString": "",
///   "headers": {"host": "abc.lambda-url.us-west-2.on.aws"},
///   "requestContext": {"accountId": "anonymous", "apiId": "abc",
///     "domainName": "abc.lambda-url.us-west-2.on.aws", "domainPrefix": "abc",
///     "http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1",
///              "sourceIp": "203.0.113.1", "userAgent": "curl/8.0"},
///     "requestId": "id", "routeKey": "$default", "stage": "$default",
///     "time": "12/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390},
///   "isBase64Encoded": false}"#;
/// let request: LambdaFunctionUrlRequest = serde_json::from_str(json).unwrap();
/// assert_eq!(request.request_context.http.source_ip.as_deref(), Some("203.0.113.1"));
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlRequest {
    /// The payload format version, `"2.0"`.
    pub version: String,
    /// Always `"$default"`.
    pub route_key: Option<String>,
    /// The request path.
    pub raw_path: String,
    /// The query string as the client sent it, without `?`.
    #[serde(default)]
    pub raw_query_string: Option<String>,
    /// The `Cookie` header split into its cookies.
    pub cookies: Option<Vec<String>>,
    /// The headers, lower-case names; repeated headers joined with commas.
    #[serde(default)]
    pub headers: Headers,
    /// Query string parameters; repeated names joined with commas.
    pub query_string_parameters: Option<QueryStringParameters>,
    /// Not used by function URLs (`null` when sent).
    pub path_parameters: Option<HashMap<String, String>>,
    /// Not used by function URLs (`null` when sent).
    pub stage_variables: Option<HashMap<String, String>>,
    /// The caller and the request line.
    pub request_context: LambdaFunctionUrlRequestContext,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64.
    #[serde(default)]
    pub is_base64_encoded: bool,
}

/// The `requestContext` of a function URL request.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlRequestContext {
    /// The AWS account of the caller (`"anonymous"` with auth type `NONE`).
    pub account_id: Option<String>,
    /// The URL identifier.
    pub api_id: Option<String>,
    /// Mutual-TLS data (`null`: function URLs do not support mTLS).
    pub authentication: Option<serde_json::Value>,
    /// The IAM caller, for auth type `AWS_IAM`.
    pub authorizer: Option<LambdaFunctionUrlAuthorizer>,
    /// The domain name of the function URL.
    pub domain_name: Option<String>,
    /// The URL identifier, the first label of `domain_name`.
    pub domain_prefix: Option<String>,
    /// The HTTP request line and client.
    pub http: LambdaFunctionUrlHttp,
    /// The request identifier.
    pub request_id: Option<String>,
    /// Always `"$default"`.
    pub route_key: Option<String>,
    /// Always `"$default"`.
    pub stage: Option<String>,
    /// The request time in CLF format.
    pub time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    pub time_epoch: Option<EpochMillis>,
}

/// The `authorizer` entry of a function URL request context.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlAuthorizer {
    /// The IAM caller.
    pub iam: Option<LambdaFunctionUrlIamAuthorizer>,
}

/// The IAM caller of a function URL with auth type `AWS_IAM`.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlIamAuthorizer {
    /// The caller's access key.
    pub access_key: Option<String>,
    /// The caller's AWS account.
    pub account_id: Option<String>,
    /// The caller's principal identifier.
    pub caller_id: Option<String>,
    /// The Cognito identity of the caller (`null` unless the credentials came from Cognito).
    pub cognito_identity: Option<serde_json::Value>,
    /// The caller's AWS Organizations identifier.
    pub principal_org_id: Option<String>,
    /// The caller's ARN.
    pub user_arn: Option<String>,
    /// The caller's user identifier.
    pub user_id: Option<String>,
}

/// The HTTP part of a function URL request context (`requestContext.http`).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlHttp {
    /// The HTTP method.
    pub method: String,
    /// The request path.
    pub path: String,
    /// The protocol, for example `HTTP/1.1`.
    pub protocol: Option<String>,
    /// The source IP address of the connection.
    pub source_ip: Option<String>,
    /// The `User-Agent` of the caller.
    pub user_agent: Option<String>,
}

/// The response of a function behind a function URL.
///
/// A function may also return any other JSON, which Lambda sends as a `200` JSON body; this
/// type is for full control. [`Default`] is a `200` with no headers and no body.
///
/// ```
/// use lambda_events::lambda_function_urls::LambdaFunctionUrlResponse;
///
/// let response = LambdaFunctionUrlResponse { status_code: 204, ..Default::default() };
/// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"statusCode":204}"#);
/// ```
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlResponse {
    /// The HTTP status code.
    pub status_code: u16,
    /// Response headers.
    pub headers: Option<Headers>,
    /// Cookies, one `Set-Cookie` header each.
    pub cookies: Option<Vec<String>>,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64.
    pub is_base64_encoded: Option<bool>,
}

impl Default for LambdaFunctionUrlResponse {
    fn default() -> Self {
        LambdaFunctionUrlResponse {
            status_code: 200,
            headers: None,
            cookies: None,
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
    fn iam_request_round_trips() {
        let json = fixture("lambda_function_urls/request.json");
        serde_json::from_str::<LambdaFunctionUrlRequest>(&json).unwrap();
        let r: LambdaFunctionUrlRequest = round_trip(&json);
        assert_eq!(r.raw_path, "/my/path");
        assert_eq!(r.cookies.as_ref().unwrap()[0], "cookie1");
        assert_eq!(r.headers["header2"], "value1,value2");
        assert_eq!(r.body.as_deref(), Some("Hello from client!"));
        let ctx = &r.request_context;
        assert_eq!(ctx.http.method, "POST");
        assert_eq!(ctx.http.source_ip, Some("123.123.123.123".to_owned()));
        assert_eq!(
            ctx.domain_name,
            Some("a1b2c3d4e5f6.lambda-url.us-west-2.on.aws".to_owned())
        );
        let iam = ctx.authorizer.as_ref().unwrap().iam.as_ref().unwrap();
        assert_eq!(
            iam.user_arn.as_deref(),
            Some("arn:aws:iam::111122223333:user/example-user")
        );
        assert_eq!(ctx.time_epoch.as_ref().unwrap().as_i64(), 1583348638390);
    }

    #[test]
    fn response_round_trips() {
        let r: LambdaFunctionUrlResponse =
            round_trip(&fixture("lambda_function_urls/response.json"));
        assert_eq!(r.status_code, 201);
        assert_eq!(
            r.headers.as_ref().unwrap()["Content-Type"],
            "application/json"
        );
        assert_eq!(r.cookies.as_ref().unwrap().len(), 2);
        assert_eq!(r.body.as_deref(), Some("{\"message\":\"Hello, world!\"}"));
    }
}
