//! What every source's conversion fills in, and how it becomes an `http::Request`.

use std::collections::HashMap;

use base64::Engine as _;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Extensions, Method, Uri};

use super::body::Body;
use super::encoding::{encode_path, encode_query, encode_raw_query, parse_query};
use super::ext::{Params, PathParameters, QueryParameters, RequestContext, StageVariables};
use super::request::{LambdaRequest, RequestError};
use super::source::Source;
use super::wire::InvalidHeader;

/// The parts of a request as a source's conversion collects them.
pub(super) struct Builder {
    source: Source,
    method: String,
    /// Escaped path.
    path: String,
    /// Escaped query string, without `?`.
    pub(super) query: String,
    pub(super) headers: HeaderMap,
    pub(super) extensions: Extensions,
    stage: Option<String>,
    pub(super) multi_value: bool,
}

impl Builder {
    pub(super) fn new(source: Source, method: String, path: &str) -> Self {
        Builder {
            source,
            method,
            path: encode_path(path),
            query: String::new(),
            headers: HeaderMap::new(),
            extensions: Extensions::new(),
            stage: None,
            multi_value: false,
        }
    }

    /// The headers as the event's `wire` type read them, or the first invalid one.
    pub(super) fn set_headers(
        &mut self,
        headers: Result<HeaderMap, InvalidHeader>,
    ) -> Result<(), RequestError> {
        self.headers = headers.map_err(|invalid| RequestError::InvalidHttp {
            source: self.source,
            what: format!("{} `{}: {}`", invalid.what, invalid.name, invalid.value),
        })?;
        Ok(())
    }

    /// Sets one header, in place of any value it had.
    pub(super) fn replace_header(
        &mut self,
        name: HeaderName,
        value: &str,
    ) -> Result<(), RequestError> {
        let value = HeaderValue::from_str(value).map_err(|_| RequestError::InvalidHttp {
            source: self.source,
            what: format!("header value `{name}: {value}`"),
        })?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Query parameters that the source already decoded.
    pub(super) fn decoded_query(&mut self, pairs: Vec<(&str, &str)>) {
        self.query = encode_query(pairs.iter().copied());
        self.extensions
            .insert(QueryParameters(Params::from_iter(pairs)));
    }

    /// A query string as the client sent it.
    pub(super) fn raw_query(&mut self, raw: &str) {
        self.query = encode_raw_query(raw);
        self.extensions
            .insert(QueryParameters(Params::from_iter(parse_query(raw))));
    }

    pub(super) fn params(
        &mut self,
        path: Option<HashMap<String, String>>,
        stage: Option<HashMap<String, String>>,
    ) {
        if let Some(path) = path {
            self.extensions.insert(PathParameters(sorted(path)));
        }
        if let Some(stage) = stage {
            self.extensions.insert(StageVariables(sorted(stage)));
        }
    }

    pub(super) fn stage(&mut self, stage: &str) {
        if stage != "$default" && !stage.is_empty() {
            self.stage = Some(stage.to_owned());
        }
    }

    pub(super) fn build(
        mut self,
        context: Option<RequestContext>,
        body: Option<String>,
        base64: bool,
    ) -> Result<LambdaRequest, RequestError> {
        let source = self.source;
        let body = decode_body(source, body, base64)?;
        let method =
            Method::from_bytes(self.method.as_bytes()).map_err(|_| RequestError::InvalidHttp {
                source,
                what: format!("method `{}`", self.method),
            })?;
        let uri = if self.query.is_empty() {
            self.path
        } else {
            format!("{}?{}", self.path, self.query)
        };
        let uri: Uri = uri.parse().map_err(|_| RequestError::InvalidHttp {
            source,
            what: format!("path `{uri}`"),
        })?;
        if let Some(context) = context {
            self.extensions.insert(context);
        }
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers;
        *request.extensions_mut() = self.extensions;
        Ok(LambdaRequest::new(
            source,
            request,
            self.stage,
            self.multi_value,
        ))
    }
}

/// Map entries sorted by name: sources send maps, whose order JSON does not keep.
pub(super) fn sorted<V>(map: HashMap<String, V>) -> Params
where
    V: Into<String>,
{
    let mut pairs: Vec<(String, V)> = map.into_iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Params::from_iter(pairs.into_iter().map(|(n, v)| (n, v.into())))
}

/// Pairs from a multi-value map (preferred when present) or a single-value map, sorted by name.
pub(super) fn query_pairs<'a>(
    multi: Option<&'a HashMap<String, Vec<String>>>,
    single: Option<&'a HashMap<String, String>>,
) -> Vec<(&'a str, &'a str)> {
    let mut pairs: Vec<(&str, &str)> = match (multi, single) {
        (Some(multi), _) if !multi.is_empty() => multi
            .iter()
            .flat_map(|(n, vs)| vs.iter().map(move |v| (n.as_str(), v.as_str())))
            .collect(),
        (_, Some(single)) => single
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect(),
        _ => Vec::new(),
    };
    // A stable sort by name keeps the order of a name's values.
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    pairs
}

const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

fn decode_body(source: Source, body: Option<String>, base64: bool) -> Result<Body, RequestError> {
    match body {
        None => Ok(Body::empty()),
        Some(text) if !base64 => Ok(Body::from(text)),
        Some(encoded) => BASE64
            .decode(encoded.trim_end())
            .map(Body::from)
            .map_err(|error| RequestError::InvalidBase64 { source, error }),
    }
}
