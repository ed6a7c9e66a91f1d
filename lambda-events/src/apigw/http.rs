//! HTTP API proxy integration, payload format 2.0.

use std::collections::HashMap;

use lambda_events_derive::event;
use serde_json::Value;

use super::ApiGatewayClientCert;
use crate::encodings::{EpochMillis, Headers, QueryStringParameters};

/// A request from an HTTP API Lambda integration with payload format 2.0.
///
/// Repeated headers and query parameters arrive joined with commas; cookies arrive apart in
/// [`cookies`](Self::cookies). Header names are lower case.
///
/// ```
/// use lambda_events::apigw::ApiGatewayV2HttpRequest;
///
/// let json = r#"{
///   "version": "2.0", "routeKey": "$default", "rawPath": "/my/path",
///   "rawQueryString": "a=1", "headers": {"host": "id.execute-api.us-east-1.amazonaws.com"},
///   "requestContext": {"accountId": "123456789012", "apiId": "api-id",
///     "domainName": "id.execute-api.us-east-1.amazonaws.com", "domainPrefix": "id",
///     "http": {"method": "GET", "path": "/my/path", "protocol": "HTTP/1.1",
///              "sourceIp": "203.0.113.1", "userAgent": "curl/8.0"},
///     "requestId": "id", "routeKey": "$default", "stage": "$default",
///     "time": "12/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390},
///   "isBase64Encoded": false
/// }"#;
/// let request: ApiGatewayV2HttpRequest = serde_json::from_str(json).unwrap();
/// assert_eq!(request.request_context.http.method, "GET");
/// assert_eq!(request.raw_query_string.as_deref(), Some("a=1"));
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpRequest {
    /// The payload format version, `"2.0"`.
    pub version: String,
    /// The route that matched, for example `"GET /pets/{id}"` or `"$default"`.
    pub route_key: Option<String>,
    /// The request path, with the stage for named stages (without an API mapping's base path).
    pub raw_path: String,
    /// The query string as the client sent it, without `?` (empty when there is none).
    #[serde(default)]
    pub raw_query_string: Option<String>,
    /// The `Cookie` header split into its cookies.
    pub cookies: Option<Vec<String>>,
    /// The headers, lower-case names; repeated headers joined with commas.
    #[serde(default)]
    pub headers: Headers,
    /// Query string parameters; repeated names joined with commas.
    pub query_string_parameters: Option<QueryStringParameters>,
    /// Values of the route's path variables.
    pub path_parameters: Option<HashMap<String, String>>,
    /// The stage variables.
    pub stage_variables: Option<HashMap<String, String>>,
    /// Who called, how, and what the authorizer said.
    pub request_context: ApiGatewayV2HttpRequestContext,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64.
    #[serde(default)]
    pub is_base64_encoded: bool,
}

/// The `requestContext` of an HTTP API (format 2.0) request or authorizer request.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpRequestContext {
    /// The AWS account that owns the API.
    pub account_id: Option<String>,
    /// The API identifier.
    pub api_id: Option<String>,
    /// The mutual-TLS authentication data, when mTLS is enabled.
    pub authentication: Option<ApiGatewayV2Authentication>,
    /// What the route's authorizer (JWT, Lambda or IAM) passed on.
    pub authorizer: Option<ApiGatewayV2RequestAuthorizer>,
    /// The full domain name used to invoke the API.
    pub domain_name: Option<String>,
    /// The first label of `domain_name`.
    pub domain_prefix: Option<String>,
    /// The HTTP request line and client.
    pub http: ApiGatewayV2HttpDescription,
    /// The API Gateway request identifier.
    pub request_id: Option<String>,
    /// The route that matched.
    pub route_key: Option<String>,
    /// The stage, `"$default"` for the default stage.
    pub stage: Option<String>,
    /// The request time in CLF format (`12/Mar/2020:19:03:58 +0000`).
    pub time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    pub time_epoch: Option<EpochMillis>,
}

/// The HTTP part of an HTTP API request context (`requestContext.http`).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpDescription {
    /// The HTTP method, upper case.
    pub method: String,
    /// The request path.
    pub path: String,
    /// The protocol, for example `HTTP/1.1`.
    pub protocol: Option<String>,
    /// The source IP address of the TCP connection to API Gateway.
    pub source_ip: Option<String>,
    /// The `User-Agent` of the caller.
    pub user_agent: Option<String>,
}

/// Mutual-TLS data of an HTTP API request (`requestContext.authentication`).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2Authentication {
    /// The client certificate.
    pub client_cert: Option<ApiGatewayClientCert>,
}

/// What the authorizer of an HTTP API route passed on (`requestContext.authorizer`): one of
/// `jwt`, `lambda` or `iam`, depending on the authorizer type.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2RequestAuthorizer {
    /// A JWT authorizer's claims and scopes.
    pub jwt: Option<ApiGatewayV2JwtAuthorizer>,
    /// The `context` a Lambda authorizer returned.
    pub lambda: Option<HashMap<String, Value>>,
    /// The caller of an IAM-authorized route.
    pub iam: Option<ApiGatewayV2IamAuthorizer>,
    /// The principal a Lambda authorizer returned with an IAM policy (format 1.0 responses).
    pub principal_id: Option<String>,
    /// How long the authorizer took, in milliseconds.
    pub integration_latency: Option<u64>,
}

/// The JWT part of an HTTP API authorizer context.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2JwtAuthorizer {
    /// The token's claims. API Gateway passes every claim as a string.
    #[serde(default)]
    pub claims: HashMap<String, String>,
    /// The token's scopes (`null` when the token has none).
    pub scopes: Option<Vec<String>>,
}

/// The IAM caller of an HTTP API route or function URL with `AWS_IAM` authorization.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2IamAuthorizer {
    /// The caller's access key.
    pub access_key: Option<String>,
    /// The caller's AWS account.
    pub account_id: Option<String>,
    /// The caller's principal identifier.
    pub caller_id: Option<String>,
    /// The Cognito identity, when the credentials came from an identity pool.
    pub cognito_identity: Option<ApiGatewayV2CognitoIdentity>,
    /// The caller's AWS Organizations identifier.
    pub principal_org_id: Option<String>,
    /// The caller's ARN.
    pub user_arn: Option<String>,
    /// The caller's user identifier.
    pub user_id: Option<String>,
}

/// The Cognito identity of an IAM caller.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2CognitoIdentity {
    /// The authentication methods references.
    #[serde(default)]
    pub amr: Vec<String>,
    /// The identity.
    pub identity_id: Option<String>,
    /// The identity pool.
    pub identity_pool_id: Option<String>,
}

/// The response of an HTTP API integration with payload format 2.0.
///
/// Each entry of [`cookies`](Self::cookies) becomes a `Set-Cookie` header. [`Default`] is a
/// `200` with no headers and no body.
///
/// ```
/// use lambda_events::apigw::ApiGatewayV2HttpResponse;
///
/// let response = ApiGatewayV2HttpResponse {
///     cookies: Some(vec!["session=abc; Secure; HttpOnly".to_owned()]),
///     body: Some("{\"ok\":true}".to_owned()),
///     ..Default::default()
/// };
/// let json = serde_json::to_value(&response).unwrap();
/// assert_eq!(json["statusCode"], 200);
/// assert_eq!(json["cookies"][0], "session=abc; Secure; HttpOnly");
/// ```
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpResponse {
    /// The HTTP status code.
    pub status_code: u16,
    /// Response headers; a header with several values is joined with commas.
    pub headers: Option<Headers>,
    /// Cookies, one `Set-Cookie` header each.
    pub cookies: Option<Vec<String>>,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64.
    pub is_base64_encoded: Option<bool>,
}

impl Default for ApiGatewayV2HttpResponse {
    fn default() -> Self {
        ApiGatewayV2HttpResponse {
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
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn request_with_jwt_and_lambda_authorizers_round_trips() {
        let r: ApiGatewayV2HttpRequest = round_trip(&fixture("apigw/v2_request.json"));
        assert_eq!(r.version, "2.0");
        assert_eq!(r.route_key, Some("$default".to_owned()));
        assert_eq!(r.raw_path, "/my/path");
        assert_eq!(
            r.raw_query_string,
            Some("parameter1=value1&parameter1=value2&parameter2=value".to_owned())
        );
        assert_eq!(
            r.cookies.as_deref(),
            Some(&["cookie1".to_owned(), "cookie2".to_owned()][..])
        );
        assert_eq!(r.headers["header2"], "value1,value2");
        assert_eq!(
            r.query_string_parameters.as_ref().unwrap()["parameter1"],
            "value1,value2"
        );
        assert_eq!(r.body.as_deref(), Some("Hello from Lambda"));
        let ctx = &r.request_context;
        assert_eq!(ctx.http.method, "POST");
        assert_eq!(ctx.http.source_ip, Some("192.0.2.1".to_owned()));
        assert_eq!(ctx.http.user_agent, Some("agent".to_owned()));
        assert_eq!(
            ctx.domain_name,
            Some("id.execute-api.us-east-1.amazonaws.com".to_owned())
        );
        assert_eq!(
            ctx.time_epoch.as_ref().unwrap().to_system_time(),
            Some(UNIX_EPOCH + Duration::from_millis(1583348638390))
        );
        let authorizer = ctx.authorizer.as_ref().unwrap();
        let jwt = authorizer.jwt.as_ref().unwrap();
        assert_eq!(jwt.claims["claim1"], "value1");
        assert_eq!(jwt.scopes.as_ref().unwrap(), &["scope1", "scope2"]);
        assert_eq!(
            authorizer.lambda.as_ref().unwrap()["exampleKey1"],
            "exampleValue1"
        );
        let cert = ctx
            .authentication
            .as_ref()
            .unwrap()
            .client_cert
            .as_ref()
            .unwrap();
        assert_eq!(cert.issuer_dn.as_deref(), Some("Example issuer"));
    }

    #[test]
    fn base64_request_with_cookies_round_trips() {
        let r: ApiGatewayV2HttpRequest = round_trip(&fixture("apigw/v2_request_base64.json"));
        assert!(r.is_base64_encoded);
        assert_eq!(r.raw_query_string, Some("".to_owned()));
        assert_eq!(r.query_string_parameters, None);
        assert_eq!(r.cookies.as_ref().unwrap()[1], "regStatus=pre-register");
        assert_eq!(r.request_context.stage, Some("default".to_owned()));
        assert_eq!(
            r.request_context.http.path,
            "/default/nodejs-apig-function-1G3XMPLZXVXYI"
        );
        assert_eq!(
            r.request_context.request_id,
            Some("JKJaXmPLvHcEsha=".to_owned())
        );
        use base64::Engine as _;
        let body = base64::engine::general_purpose::STANDARD
            .decode(r.body.as_deref().unwrap())
            .unwrap();
        assert_eq!(body, b"{\"greeting\":\"hello\"}");
    }

    #[test]
    fn request_with_iam_authorizer_round_trips() {
        let r: ApiGatewayV2HttpRequest = round_trip(&fixture("apigw/v2_request_iam.json"));
        let iam = r
            .request_context
            .authorizer
            .as_ref()
            .unwrap()
            .iam
            .as_ref()
            .unwrap();
        assert_eq!(iam.account_id.as_deref(), Some("111122223333"));
        assert_eq!(
            iam.user_arn.as_deref(),
            Some("arn:aws:iam::111122223333:user/example-user")
        );
        let identity = iam.cognito_identity.as_ref().unwrap();
        assert_eq!(identity.amr, ["authenticated"]);
    }

    #[test]
    fn response_with_cookies_round_trips() {
        let r: ApiGatewayV2HttpResponse = round_trip(&fixture("apigw/v2_response.json"));
        assert_eq!(r.status_code, 201);
        assert_eq!(r.cookies.as_ref().unwrap().len(), 2);
        assert_eq!(
            r.headers.as_ref().unwrap()["content-type"],
            "application/json"
        );
        assert_eq!(r.is_base64_encoded, Some(false));
    }
}
