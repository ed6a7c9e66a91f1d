//! Lambda function URLs (the HTTP API 2.0 shape, with no stage).

use lambda_events::lambda_function_urls::LambdaFunctionUrlRequest;

use super::apigw::{v2_builder, V2Parts};
use super::ext::RequestContext;
use super::request::{LambdaRequest, RequestError};
use super::source::Source;

pub(super) fn function_url(event: LambdaFunctionUrlRequest) -> Result<LambdaRequest, RequestError> {
    let parts = V2Parts {
        method: &event.request_context.http.method,
        raw_path: &event.raw_path,
        raw_query: event.raw_query_string.as_deref().unwrap_or_default(),
        headers: &event.headers,
        cookies: event.cookies.as_deref(),
    };
    let b = v2_builder(Source::FunctionUrl, parts, "$default")?;
    let context = RequestContext::FunctionUrl(Box::new(event.request_context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}
