//! Header and query-string maps of the HTTP event sources.

use std::collections::HashMap;

/// Single-value HTTP headers, as API Gateway, ALB and function URLs send them.
///
/// Keys are kept exactly as AWS sent them: HTTP API (v2), function URLs and ALB lower-case them,
/// REST API (v1) keeps the client's spelling. Lookups in this map are therefore case-sensitive;
/// compare with [`str::eq_ignore_ascii_case`] (or convert to an `http::HeaderMap`) when the
/// spelling is not known.
pub type Headers = HashMap<String, String>;

/// Multi-value HTTP headers (`multiValueHeaders`): every value of a repeated header, in order.
///
/// Keys are kept exactly as AWS sent them, as for [`Headers`].
pub type MultiValueHeaders = HashMap<String, Vec<String>>;

/// Single-value query string parameters (`queryStringParameters`).
///
/// Keys and values are kept as AWS sent them. Whether they are URL-decoded depends on the source:
/// API Gateway decodes them, ALB passes them through as the client sent them.
pub type QueryStringParameters = HashMap<String, String>;

/// Multi-value query string parameters (`multiValueQueryStringParameters`), in request order.
///
/// Keys and values are kept as AWS sent them, as for [`QueryStringParameters`].
pub type MultiValueQueryStringParameters = HashMap<String, Vec<String>>;
