//! REST API proxy integration (payload format 1.0, also used by HTTP APIs set to 1.0).

use std::collections::HashMap;

use lambda_events_derive::event;
use serde_json::Value;

use super::ApiGatewayClientCert;
use crate::encodings::{
    EpochMillis, Headers, MultiValueHeaders, MultiValueQueryStringParameters, QueryStringParameters,
};

/// A request from a REST API Lambda proxy integration (payload format 1.0).
///
/// API Gateway sends `null` for the maps that are empty (`queryStringParameters`,
/// `pathParameters`, ...) and for an empty `body`; they are `None` here, and written back as
/// `null` (always: API Gateway always sends these keys).
///
/// ```
/// use lambda_events::apigw::ApiGatewayProxyRequest;
///
/// let json = r#"{
///   "resource": "/{proxy+}", "path": "/hello/world", "httpMethod": "POST",
///   "headers": {"Content-Type": "application/json"}, "multiValueHeaders": null,
///   "queryStringParameters": {"name": "me"}, "multiValueQueryStringParameters": null,
///   "pathParameters": {"proxy": "hello/world"}, "stageVariables": null,
///   "requestContext": {"accountId": "123456789012", "apiId": "gy415nuibc",
///     "httpMethod": "POST", "requestId": "deef4878", "stage": "testStage",
///     "identity": {"sourceIp": "192.168.196.186"}},
///   "body": "{\"a\": 1}", "isBase64Encoded": false
/// }"#;
/// let request: ApiGatewayProxyRequest = serde_json::from_str(json).unwrap();
/// assert_eq!(request.path, "/hello/world");
/// let identity = request.request_context.identity.as_ref().unwrap();
/// assert_eq!(identity.source_ip.as_deref(), Some("192.168.196.186"));
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayProxyRequest {
    /// `"1.0"` when the request comes from an HTTP API; absent for REST APIs.
    pub version: Option<String>,
    /// The resource path template, for example `/{proxy+}`.
    pub resource: Option<String>,
    /// The request path, without the stage (with the base path of a custom domain mapping).
    pub path: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// Single-value headers: for a repeated header, the last value.
    pub headers: Option<Headers>,
    /// Every header with all its values.
    pub multi_value_headers: Option<MultiValueHeaders>,
    /// Single-value query string parameters: for a repeated name, the last value.
    #[event(null)]
    pub query_string_parameters: Option<QueryStringParameters>,
    /// Every query string parameter with all its values.
    #[event(null)]
    pub multi_value_query_string_parameters: Option<MultiValueQueryStringParameters>,
    /// Values of the path template's variables, for example `{"proxy": "hello/world"}`.
    #[event(null)]
    pub path_parameters: Option<HashMap<String, String>>,
    /// The stage variables of the deployment.
    #[event(null)]
    pub stage_variables: Option<HashMap<String, String>>,
    /// Who called, through which stage, and what the authorizer said.
    pub request_context: ApiGatewayProxyRequestContext,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    #[event(null)]
    pub body: Option<String>,
    /// Whether `body` is base64 (binary media types).
    #[serde(default)]
    pub is_base64_encoded: bool,
}

/// The `requestContext` of a REST API request (the `$context` variables API Gateway passes on).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayProxyRequestContext {
    /// The AWS account that owns the API.
    pub account_id: Option<String>,
    /// The API identifier.
    pub api_id: Option<String>,
    /// The API Gateway request identifier (`x-amzn-RequestId`).
    pub request_id: Option<String>,
    /// The extended request identifier (`x-amz-apigw-id`).
    pub extended_request_id: Option<String>,
    /// The deployment stage.
    pub stage: Option<String>,
    /// The HTTP method.
    pub http_method: Option<String>,
    /// The resource identifier (`null` for HTTP APIs).
    pub resource_id: Option<String>,
    /// The resource path template.
    pub resource_path: Option<String>,
    /// The request path, including the stage.
    pub path: Option<String>,
    /// The protocol, for example `HTTP/1.1`.
    pub protocol: Option<String>,
    /// The full domain name used to invoke the API.
    pub domain_name: Option<String>,
    /// The first label of `domain_name`.
    pub domain_prefix: Option<String>,
    /// The request time in CLF format (`20/Feb/2018:22:48:57 +0000`).
    pub request_time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    pub request_time_epoch: Option<EpochMillis>,
    /// The operation name of the method, if one is configured.
    pub operation_name: Option<String>,
    /// The deployment identifier.
    pub deployment_id: Option<String>,
    /// The caller's identity.
    pub identity: Option<ApiGatewayRequestIdentity>,
    /// What the authorizer (Lambda, Cognito or JWT) passed on, if the method has one.
    pub authorizer: Option<ApiGatewayRequestAuthorizer>,
}

/// The caller's identity in a REST API or WebSocket request (`$context.identity`).
///
/// Every field is optional: which ones are set depends on the authorization type (IAM fills
/// the account and user fields, Cognito identity pools the `cognito*` fields). REST requests
/// carry every field, `null` when unset; WebSocket messages only `sourceIp`: the explicit
/// `null`s are kept as they came ([`explicit_nulls`](Self::explicit_nulls)).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayRequestIdentity {
    /// The source IP address of the TCP connection to API Gateway.
    pub source_ip: Option<String>,
    /// The `User-Agent` of the caller.
    pub user_agent: Option<String>,
    /// The AWS account of the caller (IAM authorization).
    pub account_id: Option<String>,
    /// The AWS access key of the caller (IAM authorization).
    pub access_key: Option<String>,
    /// The API key of a usage plan.
    pub api_key: Option<String>,
    /// The identifier of that API key.
    pub api_key_id: Option<String>,
    /// The principal identifier of the caller (IAM authorization).
    pub caller: Option<String>,
    /// The principal identifier of the user (IAM authorization).
    pub user: Option<String>,
    /// The ARN of the effective user (IAM authorization).
    pub user_arn: Option<String>,
    /// The AWS Organizations identifier of the caller.
    pub principal_org_id: Option<String>,
    /// The Cognito identity pool of the caller.
    pub cognito_identity_pool_id: Option<String>,
    /// The Cognito identity of the caller.
    pub cognito_identity_id: Option<String>,
    /// `authenticated` or `unauthenticated` (Cognito identity pools).
    pub cognito_authentication_type: Option<String>,
    /// The Cognito authentication providers of the caller.
    pub cognito_authentication_provider: Option<String>,
    /// The authentication methods (`amr`) of a Cognito identity, as sent (`null` in most
    /// requests).
    pub cognito_amr: Option<Value>,
    /// The client certificate, when mutual TLS is enabled.
    pub client_cert: Option<ApiGatewayClientCert>,
    /// The VPC of the caller (private APIs).
    pub vpc_id: Option<String>,
    /// The VPC endpoint of the caller (private APIs).
    pub vpce_id: Option<String>,
}

/// What an authorizer passed to the integration (`requestContext.authorizer`).
///
/// For a Lambda authorizer: `principal_id` and the authorizer's `context` entries, which land
/// in [`fields`](Self::fields). For a Cognito user pool authorizer: [`claims`](Self::claims).
///
/// ```
/// use lambda_events::apigw::ApiGatewayRequestAuthorizer;
///
/// let json = r#"{"principalId": "user", "integrationLatency": 12, "tenant": "acme"}"#;
/// let authorizer: ApiGatewayRequestAuthorizer = serde_json::from_str(json).unwrap();
/// assert_eq!(authorizer.principal_id.as_deref(), Some("user"));
/// assert_eq!(authorizer.fields["tenant"], "acme");
/// ```
#[event(closed, keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayRequestAuthorizer {
    /// The principal the Lambda authorizer returned.
    pub principal_id: Option<String>,
    /// How long the authorizer took, in milliseconds.
    pub integration_latency: Option<u64>,
    /// The token claims of a Cognito user pool or JWT authorizer.
    pub claims: Option<HashMap<String, Value>>,
    /// The OAuth scopes of a Cognito user pool or JWT authorizer.
    pub scopes: Option<Vec<String>>,
    /// Every other entry: the `context` map a Lambda authorizer returned.
    #[serde(flatten)]
    pub fields: HashMap<String, Value>,
}

/// The response a REST API (or HTTP API format 1.0, or WebSocket) integration returns.
///
/// [`Default`] is a `200` with no headers and no body.
///
/// ```
/// use lambda_events::apigw::ApiGatewayProxyResponse;
///
/// let response = ApiGatewayProxyResponse {
///     status_code: 201,
///     headers: Some([("Content-Type".to_owned(), "text/plain".to_owned())].into()),
///     body: Some("created".to_owned()),
///     ..Default::default()
/// };
/// let json = serde_json::to_value(&response).unwrap();
/// assert_eq!(json["statusCode"], 201);
/// assert_eq!(json["headers"]["Content-Type"], "text/plain");
/// ```
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayProxyResponse {
    /// The HTTP status code.
    pub status_code: u16,
    /// Single-value headers. Merged with `multi_value_headers`; on a clash the multi-value
    /// entry wins.
    pub headers: Option<Headers>,
    /// Headers with several values each.
    pub multi_value_headers: Option<MultiValueHeaders>,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64 (binary responses).
    pub is_base64_encoded: Option<bool>,
}

impl Default for ApiGatewayProxyResponse {
    fn default() -> Self {
        ApiGatewayProxyResponse {
            status_code: 200,
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

    fn request(name: &str) -> ApiGatewayProxyRequest {
        let json = fixture(name);
        // AWS's own `null`s parse and are written back: exact round trip.
        round_trip(&json)
    }

    #[test]
    fn proxy_request_with_path_and_query_parameters_round_trips() {
        let r = request("apigw/v1_proxy_request.json");
        assert_eq!(r.resource, Some("/{proxy+}".to_owned()));
        assert_eq!(r.path, "/hello/world");
        assert_eq!(r.http_method, "POST");
        assert_eq!(r.body.as_deref(), Some("{\r\n\t\"a\": 1\r\n}"));
        assert!(!r.is_base64_encoded);
        let headers = r.headers.as_ref().unwrap();
        assert_eq!(headers["headerName"], "headerValue");
        let mv = r.multi_value_query_string_parameters.as_ref().unwrap();
        assert_eq!(mv["multivalueName"], ["you", "me"]);
        assert_eq!(r.path_parameters.as_ref().unwrap()["proxy"], "hello/world");
        assert_eq!(
            r.stage_variables.as_ref().unwrap()["stageVariableName"],
            "stageVariableValue"
        );
        let ctx = &r.request_context;
        assert_eq!(ctx.stage, Some("testStage".to_owned()));
        assert_eq!(
            ctx.request_id,
            Some("deef4878-7910-11e6-8f14-25afc3e9ae33".to_owned())
        );
        assert_eq!(
            ctx.identity.as_ref().unwrap().source_ip.as_deref(),
            Some("192.168.196.186")
        );
        assert_eq!(ctx.identity.as_ref().unwrap().user_arn, None);
    }

    #[test]
    fn proxy_request_with_iam_identity_round_trips() {
        let r = request("apigw/v1_proxy_request_iam.json");
        assert_eq!(r.path, "/");
        assert_eq!(r.query_string_parameters, None);
        assert_eq!(r.body, None);
        let ctx = &r.request_context;
        assert_eq!(
            ctx.identity.as_ref().unwrap().user_arn.as_deref(),
            Some("arn:aws:iam::123456789012:user/alice")
        );
        assert_eq!(
            ctx.identity.as_ref().unwrap().access_key.as_deref(),
            Some("IAM_user_access_key")
        );
        assert_eq!(
            ctx.request_time_epoch.as_ref().unwrap().as_i64(),
            1519166937665
        );
        assert_eq!(ctx.path.as_deref(), Some("/test/"));
    }

    #[test]
    fn http_api_payload_1_0_round_trips() {
        let r = request("apigw/v1_http_api_request.json");
        assert_eq!(r.version.as_deref(), Some("1.0"));
        assert_eq!(
            r.multi_value_headers.as_ref().unwrap()["Header2"],
            ["value1", "value2"]
        );
        let ctx = &r.request_context;
        assert_eq!(ctx.stage, Some("$default".to_owned()));
        assert_eq!(ctx.resource_id, None);
        assert_eq!(
            ctx.domain_name.as_deref(),
            Some("id.execute-api.us-east-1.amazonaws.com")
        );
        let cert = ctx.identity.as_ref().unwrap().client_cert.as_ref().unwrap();
        assert_eq!(cert.subject_dn.as_deref(), Some("www.example.com"));
        assert_eq!(
            cert.validity.as_ref().unwrap().not_after.as_deref(),
            Some("Aug  5 09:36:04 2021 GMT")
        );
    }

    #[test]
    fn proxy_request_with_cognito_authorizer_round_trips() {
        let r = request("apigw/v1_proxy_request_cognito.json");
        let authorizer = r.request_context.authorizer.as_ref().unwrap();
        let claims = authorizer.claims.as_ref().unwrap();
        assert_eq!(claims["cognito:username"], "jane");
        assert_eq!(
            r.request_context
                .identity
                .as_ref()
                .unwrap()
                .source_ip
                .as_deref(),
            Some("203.0.113.10")
        );
    }

    #[test]
    fn proxy_request_with_lambda_authorizer_context_round_trips() {
        let r = request("apigw/v1_proxy_request_lambda_authorizer.json");
        let authorizer = r.request_context.authorizer.as_ref().unwrap();
        assert_eq!(authorizer.principal_id.as_deref(), Some("user"));
        assert_eq!(authorizer.integration_latency, Some(61));
        assert_eq!(authorizer.fields["stringKey"], "value");
        assert_eq!(authorizer.fields["numberKey"], "1");
    }

    #[test]
    fn none_is_written_as_null_only_for_the_keys_api_gateway_always_sends() {
        let request = ApiGatewayProxyRequest {
            path: "/".to_owned(),
            http_method: "GET".to_owned(),
            ..Default::default()
        };
        let json = serde_json::to_value(&request).unwrap();
        let object = json.as_object().unwrap();
        // Marked `#[event(null)]`: written as `null`.
        for key in [
            "queryStringParameters",
            "multiValueQueryStringParameters",
            "pathParameters",
            "stageVariables",
            "body",
        ] {
            assert_eq!(object.get(key), Some(&Value::Null), "{key}");
        }
        // Not marked: left out.
        for key in ["version", "resource", "headers", "multiValueHeaders"] {
            assert!(!object.contains_key(key), "{key} written: {json}");
        }
    }

    #[test]
    fn identity_writes_back_the_nulls_that_came_and_no_others() {
        let json = r#"{"sourceIp": "203.0.113.1", "user": null, "userArn": null}"#;
        let mut identity: ApiGatewayRequestIdentity = serde_json::from_str(json).unwrap();
        let out = serde_json::to_value(&identity).unwrap();
        assert_eq!(out, serde_json::from_str::<Value>(json).unwrap());
        // A `null` and a missing key make equal values.
        let sparse: ApiGatewayRequestIdentity =
            serde_json::from_str(r#"{"sourceIp": "203.0.113.1"}"#).unwrap();
        assert_eq!(identity, sparse);
        assert_eq!(
            serde_json::to_string(&sparse).unwrap(),
            r#"{"sourceIp":"203.0.113.1"}"#
        );
        // A field set after reading is written once, with its value.
        identity.user = Some("alice".to_owned());
        let text = serde_json::to_string(&identity).unwrap();
        assert_eq!(text.matches("\"user\"").count(), 1, "{text}");
        assert!(text.contains(r#""user":"alice""#), "{text}");
        assert!(text.contains(r#""userArn":null"#), "{text}");
        // Forgetting the nulls leaves every `None` out.
        identity.explicit_nulls.clear();
        assert!(!serde_json::to_string(&identity)
            .unwrap()
            .contains("userArn"));
    }

    #[test]
    fn a_bad_value_under_keep_nulls_still_names_its_path() {
        let json = r#"{"path": "/", "httpMethod": "GET",
            "requestContext": {"identity": {"sourceIp": 7}}}"#;
        let de = &mut serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, ApiGatewayProxyRequest>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "requestContext.identity.sourceIp");
    }

    #[test]
    fn proxy_response_with_multi_value_headers_round_trips() {
        let r: ApiGatewayProxyResponse = round_trip(&fixture("apigw/v1_proxy_response.json"));
        assert_eq!(r.status_code, 200);
        assert_eq!(
            r.headers.as_ref().unwrap()["Content-Type"],
            "application/json"
        );
        assert_eq!(
            r.multi_value_headers.as_ref().unwrap()["X-Custom-Header"],
            ["My value", "My other value"]
        );
        assert_eq!(r.is_base64_encoded, Some(false));
    }

    #[test]
    fn default_response_is_an_empty_200() {
        let json = serde_json::to_value(ApiGatewayProxyResponse::default()).unwrap();
        assert_eq!(json, serde_json::json!({"statusCode": 200}));
    }

    #[test]
    fn missing_request_context_is_an_error_naming_the_field() {
        let json = r#"{"resource": "/", "path": "/", "httpMethod": "GET"}"#;
        let err = serde_json::from_str::<ApiGatewayProxyRequest>(json).unwrap_err();
        assert!(err.to_string().contains("requestContext"), "{err}");
    }
}
