//! Application Load Balancer target groups, single-value and multi-value.

use super::builder::{query_pairs, Builder};
use super::encoding::{decode_component, encode_raw_query};
use super::ext::{Params, QueryParameters, RequestContext};
use super::request::{LambdaRequest, RequestError};
use super::source::Source;
use super::wire;

pub(super) fn alb(event: wire::Alb) -> Result<LambdaRequest, RequestError> {
    let mut b = Builder::new(Source::Alb, event.http_method, &event.path);
    b.multi_value =
        event.multi_value_headers.present || event.multi_value_query_string_parameters.is_some();
    b.set_headers(event.multi_value_headers.union(event.headers))?;
    // ALB passes the parameters as the client sent them, not decoded.
    let raw = query_pairs(
        event.multi_value_query_string_parameters.as_ref(),
        event.query_string_parameters.as_ref(),
    );
    let joined: Vec<String> = raw.iter().map(|(n, v)| format!("{n}={v}")).collect();
    b.query = encode_raw_query(&joined.join("&"));
    b.extensions.insert(QueryParameters(Params::from_iter(
        raw.iter()
            .map(|(n, v)| (decode_component(n), decode_component(v))),
    )));
    let context = RequestContext::Alb(event.request_context);
    b.build(Some(context), event.body, event.is_base64_encoded)
}
