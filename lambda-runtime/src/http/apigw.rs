//! API Gateway: REST APIs (and HTTP APIs with payload 1.0), WebSocket APIs and HTTP APIs
//! with payload 2.0 (whose shape function URLs share).

use http::header::COOKIE;
use lambda_events::apigw::ApiGatewayV2HttpRequestContext;

use super::builder::{query_pairs, Builder};
use super::ext::RequestContext;
use super::request::{LambdaRequest, RequestError};
use super::source::Source;
use super::wire;

pub(super) fn rest(mut event: wire::Rest) -> Result<LambdaRequest, RequestError> {
    let (method, path) = (
        std::mem::take(&mut event.http_method),
        std::mem::take(&mut event.path),
    );
    let mut b = v1_builder(Source::ApiGatewayV1, method, &path, &mut event)?;
    b.stage(event.request_context.stage.as_deref().unwrap_or_default());
    let context = RequestContext::ApiGatewayV1(Box::new(event.request_context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}

pub(super) fn websocket(mut event: wire::WebSocket) -> Result<LambdaRequest, RequestError> {
    let method = if event.body.is_some() { "POST" } else { "GET" };
    let mut b = v1_builder(Source::WebSocket, method.to_owned(), "/", &mut event)?;
    b.stage(event.request_context.stage.as_deref().unwrap_or_default());
    let context = RequestContext::WebSocket(Box::new(event.request_context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}

/// The builder of a payload 1.0 request (REST or WebSocket): headers, query, path parameters
/// and stage variables taken out of `event`.
fn v1_builder<C, P>(
    source: Source,
    method: String,
    path: &str,
    event: &mut wire::V1<C, P>,
) -> Result<Builder, RequestError> {
    let mut b = Builder::new(source, method, path);
    let single = std::mem::take(&mut event.headers);
    b.set_headers(std::mem::take(&mut event.multi_value_headers).union(single))?;
    b.decoded_query(query_pairs(
        event.multi_value_query_string_parameters.as_ref(),
        event.query_string_parameters.as_ref(),
    ));
    b.params(event.path_parameters.take(), event.stage_variables.take());
    Ok(b)
}

/// The builder of an HTTP API (2.0) or function URL request: `method` is the context's
/// `http.method`, `stage` its stage (`$default` for function URLs).
pub(super) fn v2_builder<C>(
    source: Source,
    event: &mut wire::V2<C>,
    method: &str,
    stage: &str,
) -> Result<Builder, RequestError> {
    // HTTP APIs put a named stage in front of rawPath: the path the routes see has none.
    let path = match stage {
        "$default" | "" => event.raw_path.as_str(),
        stage => strip_stage(&event.raw_path, stage),
    };
    let mut b = Builder::new(source, method.to_owned(), path);
    b.stage(stage);
    b.raw_query(event.raw_query_string.as_deref().unwrap_or_default());
    b.set_headers(std::mem::take(&mut event.headers).into_map())?;
    if let Some(cookies) = event.cookies.as_ref().filter(|c| !c.is_empty()) {
        b.replace_header(COOKIE, &cookies.join("; "))?;
    }
    b.params(event.path_parameters.take(), event.stage_variables.take());
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

pub(super) fn http_api(
    mut event: wire::V2<ApiGatewayV2HttpRequestContext>,
) -> Result<LambdaRequest, RequestError> {
    let context = std::mem::take(&mut event.request_context);
    let stage = context.stage.as_deref().unwrap_or("$default");
    let b = v2_builder(
        Source::ApiGatewayV2,
        &mut event,
        &context.http.method,
        stage,
    )?;
    let context = RequestContext::ApiGatewayV2(Box::new(context));
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
