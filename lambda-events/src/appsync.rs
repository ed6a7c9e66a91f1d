//! AWS AppSync: direct Lambda resolvers (single and batch) and Lambda authorizers.

use std::collections::HashMap;

use lambda_events_derive::event;
use serde_json::Value;

use crate::encodings::Headers;

/// The event of a direct Lambda resolver.
///
/// `A` is the type of the field's arguments and `S` the type of the parent object (`source`);
/// both default to [`serde_json::Value`]. The function returns the field's value as JSON.
///
/// ```
/// use lambda_events::appsync::AppSyncResolverEvent;
///
/// #[derive(serde::Deserialize, serde::Serialize, Default, Debug, Clone, PartialEq)]
/// struct GetPost { id: String }
///
/// let json = r#"{"arguments": {"id": "42"}, "identity": null, "source": null,
///   "request": {"headers": {"host": "example.appsync-api.us-east-1.amazonaws.com"}},
///   "prev": null, "info": {"selectionSetList": ["id"], "selectionSetGraphQL": "{\n  id\n}",
///     "parentTypeName": "Query", "fieldName": "getPost", "variables": {}}, "stash": {}}"#;
/// let event: AppSyncResolverEvent<GetPost> = serde_json::from_str(json).unwrap();
/// assert_eq!(event.arguments.id, "42");
/// assert_eq!(event.info.field_name, "getPost");
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncResolverEvent<A = Value, S = Value> {
    /// The arguments of the GraphQL field.
    pub arguments: A,
    /// The caller (`null` for API key authorization).
    pub identity: Option<AppSyncIdentity>,
    /// The parent object of the field (`null` for root fields).
    pub source: Option<S>,
    /// The HTTP request AppSync received.
    pub request: Option<AppSyncRequest>,
    /// The result of the previous function of a pipeline resolver.
    pub prev: Option<AppSyncPrev>,
    /// The GraphQL field being resolved.
    pub info: AppSyncInfo,
    /// The stash shared by the functions of a pipeline resolver.
    #[serde(default)]
    pub stash: HashMap<String, Value>,
}

/// The events of a batch resolver: one [`AppSyncResolverEvent`] per field to resolve. The
/// function returns a JSON array of results in the same order.
pub type AppSyncBatchResolverEvent<A = Value, S = Value> = Vec<AppSyncResolverEvent<A, S>>;

/// The caller of a resolver. Which fields are present depends on the authorization mode:
/// IAM (`account_id`, `user_arn`, `cognito_identity_*`), Cognito user pools and OIDC (`sub`,
/// `issuer`, `claims`, `username`, `groups`), or a Lambda authorizer (`resolver_context`).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncIdentity {
    /// The subject (user pools, OIDC).
    pub sub: Option<String>,
    /// The token issuer (user pools, OIDC).
    pub issuer: Option<String>,
    /// The user name (IAM, user pools).
    pub username: Option<String>,
    /// The token claims (user pools, OIDC).
    pub claims: Option<HashMap<String, Value>>,
    /// The caller's IP addresses (`X-Forwarded-For`).
    pub source_ip: Option<Vec<String>>,
    /// The default authorization strategy of the user pool (`ALLOW` or `DENY`).
    pub default_auth_strategy: Option<String>,
    /// The user pool groups of the caller.
    pub groups: Option<Vec<String>>,
    /// The AWS account of the caller (IAM).
    pub account_id: Option<String>,
    /// The Cognito identity pool (IAM).
    pub cognito_identity_pool_id: Option<String>,
    /// The Cognito identity (IAM).
    pub cognito_identity_id: Option<String>,
    /// The ARN of the caller (IAM).
    pub user_arn: Option<String>,
    /// `authenticated` or `unauthenticated` (IAM with Cognito).
    pub cognito_identity_auth_type: Option<String>,
    /// The Cognito authentication provider (IAM with Cognito).
    pub cognito_identity_auth_provider: Option<String>,
    /// What a Lambda authorizer returned as `resolverContext`.
    pub resolver_context: Option<HashMap<String, Value>>,
}

/// The HTTP request that AppSync received.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncRequest {
    /// The request headers.
    #[serde(default)]
    pub headers: Headers,
    /// The custom domain name, when the API is called through one.
    pub domain_name: Option<String>,
}

/// The result of the previous function of a pipeline.
#[event]
#[serde(rename_all = "camelCase")]
pub struct AppSyncPrev {
    /// That function's result.
    pub result: Value,
}

/// The GraphQL field being resolved.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncInfo {
    /// The selected fields, as paths (`"author/name"`).
    #[serde(default)]
    pub selection_set_list: Vec<String>,
    /// The selection set as GraphQL text.
    #[serde(rename = "selectionSetGraphQL")]
    pub selection_set_graphql: Option<String>,
    /// The type that owns the field, for example `"Query"`.
    pub parent_type_name: String,
    /// The field name.
    pub field_name: String,
    /// The variables of the operation.
    #[serde(default)]
    pub variables: HashMap<String, Value>,
}

/// The event of an AppSync Lambda authorizer.
///
/// ```
/// use lambda_events::appsync::{AppSyncAuthorizerRequest, AppSyncAuthorizerResponse};
///
/// fn authorize(request: &AppSyncAuthorizerRequest) -> AppSyncAuthorizerResponse {
///     AppSyncAuthorizerResponse {
///         is_authorized: request.authorization_token == "custom-token",
///         ..Default::default()
///     }
/// }
/// # let _ = authorize;
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct AppSyncAuthorizerRequest {
    /// The value of the `Authorization` header.
    pub authorization_token: String,
    /// The operation being authorized.
    pub request_context: AppSyncAuthorizerRequestContext,
    /// The request headers.
    #[serde(default)]
    pub request_headers: Headers,
}

/// The operation an AppSync authorizer is asked about.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncAuthorizerRequestContext {
    /// The GraphQL API.
    pub api_id: String,
    /// The AWS account of the API.
    pub account_id: Option<String>,
    /// The request identifier.
    pub request_id: Option<String>,
    /// The GraphQL document.
    pub query_string: String,
    /// The operation name, when the document names one.
    pub operation_name: Option<String>,
    /// The variables of the operation.
    #[serde(default)]
    pub variables: HashMap<String, Value>,
}

/// The response of an AppSync Lambda authorizer.
#[event]
#[serde(rename_all = "camelCase")]
pub struct AppSyncAuthorizerResponse {
    /// Whether the request may go on.
    pub is_authorized: bool,
    /// Values passed to resolvers as `$ctx.identity.resolverContext`.
    pub resolver_context: Option<HashMap<String, Value>>,
    /// Fields to resolve as `null` for this caller (`"Type.field"` or ARNs).
    pub denied_fields: Option<Vec<String>>,
    /// How long AppSync may cache this response, in seconds.
    pub ttl_override: Option<u64>,
}

/// The event of a resolver written with the legacy `Invoke` request mapping template
/// (`"operation": "Invoke"`, version `2017-02-28`), whose payload is typically the field name
/// and its arguments. `A` is the type of `arguments`.
///
/// ```
/// use lambda_events::appsync::AppSyncLegacyEvent;
///
/// let json = r#"{"field": "getPost", "arguments": {"id": "1"}}"#;
/// let event: AppSyncLegacyEvent = serde_json::from_str(json).unwrap();
/// assert_eq!(event.field, "getPost");
/// assert_eq!(event.arguments.unwrap()["id"], "1");
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
#[serde(bound(deserialize = "A: serde::Deserialize<'de>"))]
pub struct AppSyncLegacyEvent<A = Value> {
    /// The GraphQL field being resolved.
    pub field: String,
    /// The field's arguments.
    pub arguments: Option<A>,
    /// The parent object, when the template passes `$context.source`.
    pub source: Option<Value>,
    /// The caller, when the template passes `$context.identity`.
    pub identity: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn resolver_event_round_trips() {
        let json = fixture("appsync/resolver.json");
        serde_json::from_str::<AppSyncResolverEvent>(&json).unwrap();
        let e: AppSyncResolverEvent = round_trip(&json);
        assert_eq!(e.arguments["id"], "my identifier");
        assert_eq!(e.info.field_name, "getPost");
        assert_eq!(e.info.parent_type_name, "Query");
        assert_eq!(e.info.selection_set_list, ["id", "field1", "field2"]);
        let identity = e.identity.as_ref().unwrap();
        assert_eq!(identity.username.as_deref(), Some("user1"));
        assert_eq!(
            identity.claims.as_ref().unwrap()["email"],
            "user1@example.com"
        );
        assert_eq!(identity.source_ip.as_ref().unwrap(), &["192.0.2.1"]);
        assert_eq!(
            e.request.as_ref().unwrap().headers["host"],
            "abcdefghij.appsync-api.us-east-1.amazonaws.com"
        );
        assert_eq!(e.source, None);
    }

    #[test]
    fn typed_arguments_decode_into_a_user_struct() {
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        struct GetPost {
            id: String,
        }
        // Generic, and its `null`s (`source`, `prev`) written back as they came.
        let e: AppSyncResolverEvent<GetPost> = round_trip(&fixture("appsync/resolver.json"));
        assert_eq!(
            e.arguments,
            GetPost {
                id: "my identifier".into()
            }
        );
    }

    #[test]
    fn batch_resolver_event_round_trips() {
        let events: AppSyncBatchResolverEvent = round_trip(&fixture("appsync/batch_resolver.json"));
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].source.as_ref().unwrap()["id"], "post-1");
        assert_eq!(events[1].info.parent_type_name, "Post");
        assert_eq!(events[1].info.field_name, "author");
    }

    #[test]
    fn authorizer_request_round_trips() {
        let r: AppSyncAuthorizerRequest = round_trip(&fixture("appsync/authorizer_request.json"));
        assert_eq!(r.authorization_token, "ExampleAUTHtoken123123123");
        assert_eq!(r.request_context.api_id, "aaaaaa123123123example123");
        assert_eq!(r.request_context.operation_name.as_deref(), Some("MyQuery"));
        assert_eq!(r.request_headers["content-type"], "application/json");
    }

    #[test]
    fn authorizer_response_round_trips() {
        let r: AppSyncAuthorizerResponse = round_trip(&fixture("appsync/authorizer_response.json"));
        assert!(r.is_authorized);
        assert_eq!(
            r.resolver_context.as_ref().unwrap()["banana"],
            "very yellow"
        );
        assert_eq!(r.denied_fields.as_ref().unwrap().len(), 2);
        assert_eq!(r.ttl_override, Some(10));
    }
}
