//! VPC Lattice target groups, event structure versions 1 and 2.

use super::builder::{query_pairs, Builder};
use super::ext::RequestContext;
use super::request::{LambdaRequest, RequestError};
use super::source::Source;
use super::wire;

pub(super) fn lattice_v1(event: wire::LatticeV1) -> Result<LambdaRequest, RequestError> {
    let (path, raw_query) = match event.raw_path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (event.raw_path.as_str(), None),
    };
    let mut b = Builder::new(Source::VpcLatticeV1, event.method.clone(), path);
    b.set_headers(event.headers.into_map())?;
    match raw_query {
        Some(raw) => b.raw_query(raw),
        None => b.decoded_query(query_pairs(None, event.query_string_parameters.as_ref())),
    }
    // Version 1 events carry no request context.
    b.build(None, event.body, event.is_base64_encoded)
}

pub(super) fn lattice_v2(event: wire::LatticeV2) -> Result<LambdaRequest, RequestError> {
    let mut b = Builder::new(Source::VpcLatticeV2, event.method.clone(), &event.path);
    b.set_headers(event.headers.into_map())?;
    let mut pairs: Vec<(&str, &str)> = event
        .query_string_parameters
        .iter()
        .flatten()
        .flat_map(|(n, vs)| vs.iter().map(move |v| (n.as_str(), v)))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    b.decoded_query(pairs);
    let context = RequestContext::VpcLatticeV2(Box::new(event.request_context));
    b.build(Some(context), event.body, event.is_base64_encoded)
}
