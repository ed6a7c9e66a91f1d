//! Lambda authorizers (custom authorizers): the requests API Gateway sends them and the
//! responses they return.

use std::collections::HashMap;

use lambda_events_derive::event;
use serde_json::Value;

use super::{
    ApiGatewayProxyRequestContext, ApiGatewayV2HttpRequestContext,
    ApiGatewayWebsocketRequestContext,
};
use crate::encodings::{
    Headers, MultiValueHeaders, MultiValueQueryStringParameters, QueryStringParameters,
};
use crate::iam::PolicyDocument;

/// The input of a `REQUEST` authorizer on a WebSocket API's `$connect` route: the
/// connection request's headers and query string, with the WebSocket request context.
/// Answer with an [`ApiGatewayAuthorizerResponse`].
///
/// ```
/// use lambda_events::apigw::ApiGatewayWebsocketAuthorizerRequest;
///
/// let json = r#"{"type": "REQUEST",
///   "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/production/$connect",
///   "headers": {"Auth": "secret"}, "queryStringParameters": {"token": "abc"},
///   "requestContext": {"routeKey": "$connect", "eventType": "CONNECT",
///     "connectionId": "XfGLwewLtjMCKmg=", "apiId": "abcdef1234", "stage": "production"}}"#;
/// let request: ApiGatewayWebsocketAuthorizerRequest = serde_json::from_str(json).unwrap();
/// assert_eq!(request.request_context.event_type.as_deref(), Some("CONNECT"));
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayWebsocketAuthorizerRequest {
    /// `REQUEST`.
    #[serde(rename = "type")]
    pub kind: String,
    /// ARN of the `$connect` route being authorized.
    pub method_arn: String,
    /// Headers of the connection request.
    pub headers: Option<Headers>,
    /// Headers of the connection request with all values.
    pub multi_value_headers: Option<MultiValueHeaders>,
    /// Query string parameters of the connection request.
    pub query_string_parameters: Option<QueryStringParameters>,
    /// Query string parameters of the connection request with all values.
    pub multi_value_query_string_parameters: Option<MultiValueQueryStringParameters>,
    /// The stage variables.
    pub stage_variables: Option<HashMap<String, String>>,
    /// The connection and caller.
    pub request_context: ApiGatewayWebsocketRequestContext,
}

/// The input of a `TOKEN` authorizer: the token from the configured header.
///
/// ```
/// use lambda_events::apigw::ApiGatewayTokenAuthorizerRequest;
///
/// let json = r#"{"type": "TOKEN", "authorizationToken": "allow",
///   "methodArn": "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/"}"#;
/// let request: ApiGatewayTokenAuthorizerRequest = serde_json::from_str(json).unwrap();
/// assert_eq!(request.authorization_token, "allow");
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayTokenAuthorizerRequest {
    /// `"TOKEN"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The caller's token, from the token source header.
    pub authorization_token: String,
    /// The ARN of the method being called.
    pub method_arn: String,
}

/// The input of a `REQUEST` authorizer of a REST API, or of an HTTP API authorizer with
/// payload format 1.0: the request parameters and context.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayRequestAuthorizerRequest {
    /// `"1.0"` for HTTP API authorizers; absent for REST APIs.
    pub version: Option<String>,
    /// `"REQUEST"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The ARN of the method being called.
    pub method_arn: String,
    /// The identity sources joined with commas (HTTP API format 1.0).
    pub identity_source: Option<String>,
    /// The same as `identity_source` (HTTP API format 1.0).
    pub authorization_token: Option<String>,
    /// The resource path template.
    pub resource: Option<String>,
    /// The request path.
    pub path: Option<String>,
    /// The HTTP method.
    pub http_method: Option<String>,
    /// Single-value headers.
    pub headers: Option<Headers>,
    /// Headers with all values.
    pub multi_value_headers: Option<MultiValueHeaders>,
    /// Single-value query string parameters.
    pub query_string_parameters: Option<QueryStringParameters>,
    /// Query string parameters with all values.
    pub multi_value_query_string_parameters: Option<MultiValueQueryStringParameters>,
    /// Values of the path template's variables.
    pub path_parameters: Option<HashMap<String, String>>,
    /// The stage variables.
    pub stage_variables: Option<HashMap<String, String>>,
    /// The request context (no `authorizer` entry, as the authorizer has not run yet).
    pub request_context: Option<ApiGatewayProxyRequestContext>,
}

/// The input of an HTTP API Lambda authorizer with payload format 2.0.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2AuthorizerRequest {
    /// `"2.0"`.
    pub version: String,
    /// `"REQUEST"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The ARN of the route being called.
    pub route_arn: String,
    /// The values of the configured identity sources, in order.
    pub identity_source: Option<Vec<String>>,
    /// The route that matched.
    pub route_key: String,
    /// The request path.
    pub raw_path: String,
    /// The query string as the client sent it.
    #[serde(default)]
    pub raw_query_string: String,
    /// The `Cookie` header split into its cookies.
    pub cookies: Option<Vec<String>>,
    /// The headers, lower-case names.
    pub headers: Option<Headers>,
    /// Query string parameters; repeated names joined with commas.
    pub query_string_parameters: Option<QueryStringParameters>,
    /// The request context.
    pub request_context: ApiGatewayV2HttpRequestContext,
    /// Values of the route's path variables.
    pub path_parameters: Option<HashMap<String, String>>,
    /// The stage variables.
    pub stage_variables: Option<HashMap<String, String>>,
}

/// The response of an authorizer as an IAM policy: REST API authorizers (`TOKEN` and
/// `REQUEST`) and HTTP API authorizers without simple responses.
///
/// ```
/// use lambda_events::apigw::ApiGatewayAuthorizerResponse;
/// use lambda_events::iam::{Effect, PolicyDocument, Statement};
///
/// let response = ApiGatewayAuthorizerResponse {
///     principal_id: "user".to_owned(),
///     policy_document: PolicyDocument {
///         version: "2012-10-17".to_owned(),
///         statement: vec![Statement {
///             effect: Effect::Allow,
///             action: Some("execute-api:Invoke".into()),
///             resource: Some("arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/".into()),
///             ..Default::default()
///         }],
///         ..Default::default()
///     },
///     context: Some([("tenant".to_owned(), "acme".into())].into()),
///     ..Default::default()
/// };
/// let json = serde_json::to_value(&response).unwrap();
/// assert_eq!(json["policyDocument"]["Statement"][0]["Effect"], "Allow");
/// assert_eq!(json["context"]["tenant"], "acme");
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayAuthorizerResponse {
    /// The principal, available to the integration as `requestContext.authorizer.principalId`.
    pub principal_id: String,
    /// Which methods the caller may invoke.
    pub policy_document: PolicyDocument,
    /// Values passed to the integration in `requestContext.authorizer`. REST APIs accept only
    /// strings, numbers and booleans here (they arrive as strings).
    pub context: Option<HashMap<String, Value>>,
    /// The API key of a usage plan, when the API's key source is `AUTHORIZER`.
    pub usage_identifier_key: Option<String>,
}

/// The "simple response" of an HTTP API authorizer with payload format 2.0.
///
/// ```
/// use lambda_events::apigw::ApiGatewayV2SimpleAuthorizerResponse;
///
/// let response = ApiGatewayV2SimpleAuthorizerResponse { is_authorized: true, ..Default::default() };
/// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"isAuthorized":true}"#);
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2SimpleAuthorizerResponse {
    /// Whether the request may go on.
    pub is_authorized: bool,
    /// Values passed to the integration in `requestContext.authorizer.lambda`.
    pub context: Option<HashMap<String, Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Effect, StringOrList};
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn token_request_round_trips() {
        let r: ApiGatewayTokenAuthorizerRequest =
            round_trip(&fixture("apigw/authorizer_token_request.json"));
        assert_eq!(r.kind, "TOKEN");
        assert_eq!(r.authorization_token, "allow");
        assert_eq!(
            r.method_arn,
            "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/"
        );
    }

    #[test]
    fn rest_request_authorizer_request_round_trips() {
        let r: ApiGatewayRequestAuthorizerRequest =
            round_trip(&fixture("apigw/authorizer_request_v1.json"));
        assert_eq!(r.kind, "REQUEST");
        assert_eq!(r.headers.as_ref().unwrap()["HeaderAuth1"], "headerValue1");
        assert_eq!(
            r.query_string_parameters.as_ref().unwrap()["QueryString1"],
            "queryValue1"
        );
        assert_eq!(r.path_parameters.as_ref().map(HashMap::len), Some(0));
        let ctx = r.request_context.as_ref().unwrap();
        assert_eq!(ctx.resource_id.as_deref(), Some("05c7jb"));
        assert_eq!(
            ctx.identity.as_ref().unwrap().api_key.as_deref(),
            Some("my-api-key")
        );
    }

    #[test]
    fn http_api_request_authorizer_v1_request_round_trips() {
        let r: ApiGatewayRequestAuthorizerRequest =
            round_trip(&fixture("apigw/authorizer_request_v1_http_api.json"));
        assert_eq!(r.version.as_deref(), Some("1.0"));
        assert_eq!(r.identity_source.as_deref(), Some("user1,123"));
        assert_eq!(r.authorization_token.as_deref(), Some("user1,123"));
        let ctx = r.request_context.as_ref().unwrap();
        let cert = ctx.identity.as_ref().unwrap().client_cert.as_ref().unwrap();
        assert_eq!(cert.client_cert_pem.as_deref(), Some("CERT_CONTENT"));
    }

    #[test]
    fn http_api_request_authorizer_v2_request_round_trips() {
        let r: ApiGatewayV2AuthorizerRequest =
            round_trip(&fixture("apigw/authorizer_request_v2.json"));
        assert_eq!(r.version, "2.0");
        assert_eq!(r.identity_source.as_ref().unwrap(), &["user1", "123"]);
        assert_eq!(
            r.route_arn,
            "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request"
        );
        assert_eq!(r.request_context.http.method, "POST");
        assert_eq!(r.request_context.authorizer, None);
    }

    #[test]
    fn iam_policy_response_round_trips() {
        let r: ApiGatewayAuthorizerResponse =
            round_trip(&fixture("apigw/authorizer_iam_response.json"));
        assert_eq!(r.principal_id, "user");
        let statement = &r.policy_document.statement[0];
        assert_eq!(statement.effect, Effect::Deny);
        assert_eq!(
            statement.action,
            Some(StringOrList::One("execute-api:Invoke".into()))
        );
        assert_eq!(r.context.as_ref().unwrap()["numberKey"], "1");
        assert_eq!(r.usage_identifier_key.as_deref(), Some("my-api-key"));
    }

    #[test]
    fn simple_response_round_trips() {
        let r: ApiGatewayV2SimpleAuthorizerResponse =
            round_trip(&fixture("apigw/authorizer_simple_response.json"));
        assert!(r.is_authorized);
        let context = r.context.as_ref().unwrap();
        assert_eq!(context["numberKey"], 1);
        assert_eq!(context["arrayKey"], serde_json::json!(["value1", "value2"]));
    }
}
