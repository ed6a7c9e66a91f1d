//! WebSocket API Lambda proxy integration (`$connect`, `$disconnect`, `$default` and custom
//! routes). The response is an [`ApiGatewayProxyResponse`](super::ApiGatewayProxyResponse).

use std::collections::HashMap;

use lambda_events_derive::event;

use super::{ApiGatewayRequestAuthorizer, ApiGatewayRequestIdentity};
use crate::encodings::{
    EpochMillis, Headers, MultiValueHeaders, MultiValueQueryStringParameters, QueryStringParameters,
};

/// A message or connection event from a WebSocket API.
///
/// Headers and query parameters are only present on `$connect`; `body` only on messages.
/// To reply on the connection, post to the API's `@connections` endpoint with
/// [`connection_id`](ApiGatewayWebsocketRequestContext::connection_id).
///
/// ```
/// use lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
///
/// let json = r#"{"requestContext": {"routeKey": "sendmessage", "eventType": "MESSAGE",
///   "connectionId": "L0SM9cOFvHcCIhw=", "requestId": "L0SM9cOFvHcCIhw=",
///   "apiId": "abcdef1234", "stage": "production", "connectedAt": 1617034367000,
///   "identity": {"sourceIp": "203.0.113.1"}},
///   "body": "{\"action\":\"sendmessage\",\"message\":\"hi\"}", "isBase64Encoded": false}"#;
/// let event: ApiGatewayWebsocketProxyRequest = serde_json::from_str(json).unwrap();
/// assert_eq!(event.request_context.event_type.as_deref(), Some("MESSAGE"));
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayWebsocketProxyRequest {
    /// Payload format version, when a tool or a REST-style integration adds one.
    pub version: Option<String>,
    /// REST-style resource path, sent by some integrations and test tools (kept, not used).
    pub resource: Option<String>,
    /// REST-style request path, sent by some integrations and test tools.
    pub path: Option<String>,
    /// REST-style HTTP method, sent by some integrations and test tools.
    pub http_method: Option<String>,
    /// Headers of the `$connect` request.
    pub headers: Option<Headers>,
    /// Headers of the `$connect` request with all values.
    pub multi_value_headers: Option<MultiValueHeaders>,
    /// Query string parameters of the `$connect` request.
    pub query_string_parameters: Option<QueryStringParameters>,
    /// Query string parameters of the `$connect` request with all values.
    pub multi_value_query_string_parameters: Option<MultiValueQueryStringParameters>,
    /// Path parameters (not used by WebSocket routes; kept when sent).
    pub path_parameters: Option<HashMap<String, String>>,
    /// The stage variables.
    pub stage_variables: Option<HashMap<String, String>>,
    /// The connection, route and caller.
    pub request_context: ApiGatewayWebsocketRequestContext,
    /// The message: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64 (binary frames).
    #[serde(default)]
    pub is_base64_encoded: bool,
}

/// The `requestContext` of a WebSocket event.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayWebsocketRequestContext {
    /// The route that matched: `$connect`, `$disconnect`, `$default` or a custom route key.
    pub route_key: String,
    /// `CONNECT`, `MESSAGE` or `DISCONNECT`.
    pub event_type: Option<String>,
    /// The connection, used to post messages back through `@connections`.
    pub connection_id: String,
    /// The message identifier (messages only).
    pub message_id: Option<String>,
    /// `IN` for events from the client.
    pub message_direction: Option<String>,
    /// The WebSocket close code (`$disconnect` only).
    pub disconnect_status_code: Option<i64>,
    /// The reason of the disconnection (`$disconnect` only).
    pub disconnect_reason: Option<String>,
    /// The API Gateway request identifier.
    pub request_id: Option<String>,
    /// The extended request identifier.
    pub extended_request_id: Option<String>,
    /// The API identifier.
    pub api_id: Option<String>,
    /// The stage.
    pub stage: Option<String>,
    /// The domain name of the API.
    pub domain_name: Option<String>,
    /// The first label of `domain_name`.
    pub domain_prefix: Option<String>,
    /// The AWS account that owns the API (REST-style field some events carry).
    pub account_id: Option<String>,
    /// REST-style resource identifier.
    pub resource_id: Option<String>,
    /// REST-style resource path.
    pub resource_path: Option<String>,
    /// REST-style HTTP method.
    pub http_method: Option<String>,
    /// REST-style request path.
    pub path: Option<String>,
    /// REST-style protocol, such as `HTTP/1.1`.
    pub protocol: Option<String>,
    /// REST-style deployment identifier.
    pub deployment_id: Option<String>,
    /// The request time in CLF format.
    pub request_time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    pub request_time_epoch: Option<EpochMillis>,
    /// When the connection was opened, in milliseconds since the Unix epoch.
    pub connected_at: Option<EpochMillis>,
    /// The caller.
    pub identity: Option<ApiGatewayRequestIdentity>,
    /// What the `$connect` route's authorizer passed on.
    pub authorizer: Option<ApiGatewayRequestAuthorizer>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn connect_event_round_trips() {
        let json = fixture("apigw/websocket_connect.json");
        serde_json::from_str::<ApiGatewayWebsocketProxyRequest>(&json).unwrap();
        let r: ApiGatewayWebsocketProxyRequest = round_trip(&json);
        let ctx = &r.request_context;
        assert_eq!(ctx.route_key, "$connect");
        assert_eq!(ctx.event_type.as_deref(), Some("CONNECT"));
        assert_eq!(ctx.connection_id, "XfGLwewLtjMCKmg=");
        assert_eq!(ctx.connected_at.as_ref().unwrap().as_i64(), 1607854667185);
        assert_eq!(
            ctx.identity.as_ref().unwrap().source_ip.as_deref(),
            Some("203.0.113.0")
        );
        assert_eq!(r.headers.as_ref().unwrap()["Sec-WebSocket-Version"], "13");
        assert_eq!(r.body, None);
    }

    #[test]
    fn message_event_round_trips() {
        let r: ApiGatewayWebsocketProxyRequest =
            round_trip(&fixture("apigw/websocket_message.json"));
        let ctx = &r.request_context;
        assert_eq!(ctx.event_type.as_deref(), Some("MESSAGE"));
        assert_eq!(ctx.message_id.as_deref(), Some("XfGMbdCfNjMCKmg="));
        assert_eq!(
            r.body.as_deref(),
            Some("{\"action\":\"sendmessage\",\"data\":\"hello\"}")
        );
        assert_eq!(r.headers, None);
    }
}
