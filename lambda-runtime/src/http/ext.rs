//! What the adapter puts in each request's extensions, and [`RequestExt`] to read it.

use lambda_events::alb::AlbTargetGroupRequestContext;
use lambda_events::apigw::{
    ApiGatewayProxyRequestContext, ApiGatewayV2HttpRequestContext,
    ApiGatewayWebsocketRequestContext,
};
use lambda_events::lambda_function_urls::LambdaFunctionUrlRequestContext;
use lambda_events::vpc_lattice::VpcLatticeRequestContext;

use crate::Context;

/// The typed `requestContext` of the event a request came from: authorizer claims, caller
/// identity, stage, request id, as the source sent them.
///
/// ```
/// use lambda_runtime::http::{RequestContext, RequestExt};
///
/// fn caller_ip(request: &http::Request<lambda_runtime::http::Body>) -> Option<String> {
///     match request.request_context()? {
///         RequestContext::ApiGatewayV1(ctx) => ctx.identity.as_ref()?.source_ip.clone(),
///         RequestContext::ApiGatewayV2(ctx) => ctx.http.source_ip.clone(),
///         RequestContext::FunctionUrl(ctx) => ctx.http.source_ip.clone(),
///         _ => None,
///     }
/// }
/// # let _ = caller_ip;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RequestContext {
    /// API Gateway REST API (or HTTP API with payload format 1.0).
    ApiGatewayV1(Box<ApiGatewayProxyRequestContext>),
    /// API Gateway HTTP API, payload format 2.0.
    ApiGatewayV2(Box<ApiGatewayV2HttpRequestContext>),
    /// API Gateway WebSocket API.
    WebSocket(Box<ApiGatewayWebsocketRequestContext>),
    /// Application Load Balancer.
    Alb(AlbTargetGroupRequestContext),
    /// Lambda function URL.
    FunctionUrl(Box<LambdaFunctionUrlRequestContext>),
    /// VPC Lattice, event structure version 2 (version 1 has no request context).
    VpcLatticeV2(Box<VpcLatticeRequestContext>),
}

impl RequestContext {
    /// The request id the source assigned (API Gateway and function URLs), which is not the
    /// Lambda invocation's request id.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            RequestContext::ApiGatewayV1(ctx) => ctx.request_id.as_deref(),
            RequestContext::ApiGatewayV2(ctx) => ctx.request_id.as_deref(),
            RequestContext::WebSocket(ctx) => ctx.request_id.as_deref(),
            RequestContext::FunctionUrl(ctx) => ctx.request_id.as_deref(),
            RequestContext::Alb(_) | RequestContext::VpcLatticeV2(_) => None,
        }
    }

    /// The API Gateway stage (`None` for other sources).
    pub fn stage(&self) -> Option<&str> {
        match self {
            RequestContext::ApiGatewayV1(ctx) => ctx.stage.as_deref(),
            RequestContext::ApiGatewayV2(ctx) => ctx.stage.as_deref(),
            RequestContext::WebSocket(ctx) => ctx.stage.as_deref(),
            _ => None,
        }
    }
}

/// Name-value pairs in the order the source gave them; a name may repeat.
///
/// ```
/// use lambda_runtime::http::Params;
///
/// let params = Params::from_iter([("tag", "a"), ("tag", "b"), ("page", "2")]);
/// assert_eq!(params.get("tag"), Some("a"));
/// assert_eq!(params.get_all("tag").collect::<Vec<_>>(), ["a", "b"]);
/// assert_eq!(params.get("missing"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// No pairs.
    pub const fn new() -> Self {
        Params(Vec::new())
    }

    /// The first value for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value for `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every pair, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Params(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }
}

macro_rules! params_extension {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name(pub Params);

        impl std::ops::Deref for $name {
            type Target = Params;
            fn deref(&self) -> &Params {
                &self.0
            }
        }
    };
}

params_extension!(
    /// The path parameters API Gateway matched (`pathParameters`), as a request extension.
    PathParameters
);
params_extension!(
    /// The stage variables of the API Gateway stage (`stageVariables`), as a request extension.
    StageVariables
);
params_extension!(
    /// The query parameters, decoded once, every value of every name, as a request extension.
    QueryParameters
);

static EMPTY: Params = Params::new();

/// Reads what the adapter attached to a request: the Lambda [`Context`], the source's typed
/// [`RequestContext`], path parameters, stage variables and query parameters.
///
/// Implemented for `http::Request<B>` whatever the body type, so it works on the request an
/// axum handler receives as well as on the adapter's own.
///
/// ```
/// use lambda_runtime::http::{Body, RequestExt};
///
/// async fn handler(request: http::Request<Body>) -> http::Response<String> {
///     let id = request.lambda_context().map(|c| c.request_id.clone()).unwrap_or_default();
///     let page = request.query_parameters().get("page").unwrap_or("1").to_owned();
///     http::Response::new(format!("invocation {id}, page {page}"))
/// }
/// # let _ = handler;
/// ```
pub trait RequestExt {
    /// The context of the Lambda invocation that carried this request.
    fn lambda_context(&self) -> Option<&Context>;
    /// The typed request context of the source.
    fn request_context(&self) -> Option<&RequestContext>;
    /// The path parameters API Gateway matched (empty for other sources).
    fn path_parameters(&self) -> &Params;
    /// The stage variables (empty outside API Gateway).
    fn stage_variables(&self) -> &Params;
    /// The query parameters, decoded.
    fn query_parameters(&self) -> &Params;
}

impl<B> RequestExt for http::Request<B> {
    fn lambda_context(&self) -> Option<&Context> {
        self.extensions().get()
    }

    fn request_context(&self) -> Option<&RequestContext> {
        self.extensions().get()
    }

    fn path_parameters(&self) -> &Params {
        self.extensions()
            .get::<PathParameters>()
            .map_or(&EMPTY, |p| &p.0)
    }

    fn stage_variables(&self) -> &Params {
        self.extensions()
            .get::<StageVariables>()
            .map_or(&EMPTY, |p| &p.0)
    }

    fn query_parameters(&self) -> &Params {
        self.extensions()
            .get::<QueryParameters>()
            .map_or(&EMPTY, |p| &p.0)
    }
}
