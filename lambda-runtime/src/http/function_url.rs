//! Lambda function URLs (the HTTP API 2.0 shape, with no stage).

use lambda_events::lambda_function_urls::LambdaFunctionUrlRequestContext;

use super::apigw::v2_builder;
use super::ext::RequestContext;
use super::request::{LambdaRequest, RequestError};
use super::source::Source;
use super::wire;

pub(super) fn function_url(
    mut event: wire::V2<LambdaFunctionUrlRequestContext>,
) -> Result<LambdaRequest, RequestError> {
    let context = std::mem::take(&mut event.request_context);
    let b = v2_builder(
        Source::FunctionUrl,
        &mut event,
        &context.http.method,
        "$default",
    )?;
    let context = RequestContext::FunctionUrl(Box::new(context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}
