//! VPC Lattice target groups, event structure versions 1 and 2.

use lambda_events::vpc_lattice::{VpcLatticeRequestV1, VpcLatticeRequestV2};

use super::builder::{query_pairs, Builder};
use super::ext::RequestContext;
use super::request::{LambdaRequest, RequestError};
use super::source::Source;

pub(super) fn lattice_v1(event: VpcLatticeRequestV1) -> Result<LambdaRequest, RequestError> {
    let (path, raw_query) = match event.raw_path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (event.raw_path.as_str(), None),
    };
    let mut b = Builder::new(Source::VpcLatticeV1, event.method.clone(), path);
    b.headers(&event.headers)?;
    match raw_query {
        Some(raw) => b.raw_query(raw),
        None => b.decoded_query(query_pairs(None, event.query_string_parameters.as_ref())),
    }
    // Version 1 events carry no request context.
    b.build(None, event.body, event.is_base64_encoded)
}

pub(super) fn lattice_v2(event: VpcLatticeRequestV2) -> Result<LambdaRequest, RequestError> {
    let mut b = Builder::new(Source::VpcLatticeV2, event.method.clone(), &event.path);
    let mut names: Vec<&String> = event.headers.keys().collect();
    names.sort();
    for name in names {
        for value in event.headers[name].iter() {
            b.header(name, value)?;
        }
    }
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
