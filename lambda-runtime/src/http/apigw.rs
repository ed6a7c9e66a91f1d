//! API Gateway: REST APIs (and HTTP APIs with payload 1.0), WebSocket APIs and HTTP APIs
//! with payload 2.0 (whose shape function URLs share).

use std::collections::HashMap;

use http::header::COOKIE;
use lambda_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayV2HttpRequest, ApiGatewayWebsocketProxyRequest,
};

use super::builder::{query_pairs, Builder};
use super::ext::RequestContext;
use super::request::{LambdaRequest, RequestError};
use super::source::Source;

pub(super) fn rest(mut event: ApiGatewayProxyRequest) -> Result<LambdaRequest, RequestError> {
    let mut b = Builder::new(Source::ApiGatewayV1, event.http_method, &event.path);
    b.header_maps(event.headers.as_ref(), event.multi_value_headers.as_ref())?;
    b.decoded_query(query_pairs(
        event.multi_value_query_string_parameters.as_ref(),
        event.query_string_parameters.as_ref(),
    ));
    b.params(event.path_parameters.take(), event.stage_variables.take());
    b.stage(event.request_context.stage.as_deref().unwrap_or_default());
    let context = RequestContext::ApiGatewayV1(Box::new(event.request_context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}

pub(super) fn websocket(
    mut event: ApiGatewayWebsocketProxyRequest,
) -> Result<LambdaRequest, RequestError> {
    let method = if event.body.is_some() { "POST" } else { "GET" };
    let mut b = Builder::new(Source::WebSocket, method.to_owned(), "/");
    b.header_maps(event.headers.as_ref(), event.multi_value_headers.as_ref())?;
    b.decoded_query(query_pairs(
        event.multi_value_query_string_parameters.as_ref(),
        event.query_string_parameters.as_ref(),
    ));
    b.params(event.path_parameters.take(), event.stage_variables.take());
    b.stage(event.request_context.stage.as_deref().unwrap_or_default());
    let context = RequestContext::WebSocket(Box::new(event.request_context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}

/// The parts HTTP API (2.0) and function URL requests share.
pub(super) struct V2Parts<'a> {
    pub(super) method: &'a str,
    pub(super) raw_path: &'a str,
    pub(super) raw_query: &'a str,
    pub(super) headers: &'a HashMap<String, String>,
    pub(super) cookies: Option<&'a [String]>,
}

pub(super) fn v2_builder(
    source: Source,
    parts: V2Parts<'_>,
    stage: &str,
) -> Result<Builder, RequestError> {
    // HTTP APIs put a named stage in front of rawPath: the path the routes see has none.
    let path = match stage {
        "$default" | "" => parts.raw_path,
        stage => strip_stage(parts.raw_path, stage),
    };
    let mut b = Builder::new(source, parts.method.to_owned(), path);
    b.stage(stage);
    b.raw_query(parts.raw_query);
    b.headers(parts.headers)?;
    if let Some(cookies) = parts.cookies.filter(|c| !c.is_empty()) {
        b.headers.remove(COOKIE);
        b.header(COOKIE.as_str(), &cookies.join("; "))?;
    }
    Ok(b)
}

fn strip_stage<'a>(path: &'a str, stage: &str) -> &'a str {
    let rest = path.strip_prefix('/').and_then(|p| p.strip_prefix(stage));
    match rest {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

pub(super) fn http_api(mut event: ApiGatewayV2HttpRequest) -> Result<LambdaRequest, RequestError> {
    let ctx = &event.request_context;
    let parts = V2Parts {
        method: &ctx.http.method,
        raw_path: &event.raw_path,
        raw_query: event.raw_query_string.as_deref().unwrap_or_default(),
        headers: &event.headers,
        cookies: event.cookies.as_deref(),
    };
    let stage = ctx.stage.as_deref().unwrap_or("$default");
    let mut b = v2_builder(Source::ApiGatewayV2, parts, stage)?;
    b.params(event.path_parameters.take(), event.stage_variables.take());
    let context = RequestContext::ApiGatewayV2(Box::new(event.request_context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_stage_is_stripped_only_as_a_whole_leading_segment() {
        assert_eq!(strip_stage("/prod/items", "prod"), "/items");
        assert_eq!(strip_stage("/prod", "prod"), "/");
        assert_eq!(
            strip_stage("/production/items", "prod"),
            "/production/items"
        );
        assert_eq!(strip_stage("/items", "prod"), "/items");
    }
}
