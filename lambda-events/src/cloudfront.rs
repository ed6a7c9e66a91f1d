//! CloudFront Lambda@Edge: viewer and origin request and response events, and what the
//! function returns.
//!
//! Headers have CloudFront's own shape: a map from the lower-case header name to a list of
//! `{"key": "Original-Case-Name", "value": "..."}` entries ([`CloudFrontHeaders`]).

use std::collections::HashMap;

use lambda_events_derive::event;

/// A Lambda@Edge event: always one record.
///
/// ```
/// use lambda_events::cloudfront::CloudFrontEvent;
///
/// let json = r#"{"Records": [{"cf": {
///   "config": {"distributionDomainName": "d111111abcdef8.cloudfront.net",
///     "distributionId": "EDFDVBD6EXAMPLE", "eventType": "viewer-request", "requestId": "r"},
///   "request": {"clientIp": "203.0.113.178", "method": "GET", "querystring": "",
///     "uri": "/", "headers": {"host": [{"key": "Host", "value": "d111111abcdef8.cloudfront.net"}]}}}}]}"#;
/// let event: CloudFrontEvent = serde_json::from_str(json).unwrap();
/// let request = event.records[0].cf.request.as_ref().unwrap();
/// assert_eq!(request.headers["host"][0].value, "d111111abcdef8.cloudfront.net");
/// ```
#[event]
pub struct CloudFrontEvent {
    /// The records; Lambda@Edge sends exactly one.
    #[serde(rename = "Records")]
    pub records: Vec<CloudFrontRecord>,
}

/// One Lambda@Edge record.
#[event]
pub struct CloudFrontRecord {
    /// The distribution, the request and (for response events) the response.
    pub cf: CloudFrontPayload,
}

/// The `cf` object of a record.
#[event]
pub struct CloudFrontPayload {
    /// Which distribution and trigger.
    pub config: CloudFrontConfig,
    /// The request (in every event type).
    pub request: Option<CloudFrontRequest>,
    /// The response (viewer-response and origin-response events).
    pub response: Option<CloudFrontResponse>,
}

/// The distribution and trigger of a Lambda@Edge event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CloudFrontConfig {
    /// The domain name of the distribution (`d111111abcdef8.cloudfront.net`).
    pub distribution_domain_name: String,
    /// The distribution identifier.
    pub distribution_id: String,
    /// `viewer-request`, `origin-request`, `origin-response` or `viewer-response`.
    pub event_type: String,
    /// The request identifier, the `x-amz-cf-id` of the viewer request.
    pub request_id: String,
}

/// CloudFront's header map: lower-case name to the list of values with their original names.
pub type CloudFrontHeaders = HashMap<String, Vec<CloudFrontHeader>>;

/// One header value in [`CloudFrontHeaders`].
#[event]
pub struct CloudFrontHeader {
    /// The header name in its original case (optional in what a function returns).
    pub key: Option<String>,
    /// The value.
    pub value: String,
}

/// A request as CloudFront passes it to, and accepts it back from, a Lambda@Edge function.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CloudFrontRequest {
    /// The viewer's IP address.
    pub client_ip: String,
    /// The query string without `?` (empty when there is none).
    #[serde(default)]
    pub querystring: String,
    /// The path.
    pub uri: String,
    /// The HTTP method.
    pub method: String,
    /// The headers.
    #[serde(default)]
    pub headers: CloudFrontHeaders,
    /// The body, when "include body" is enabled for the trigger.
    pub body: Option<CloudFrontBody>,
    /// The origin the request goes to (origin-request events).
    pub origin: Option<CloudFrontOrigin>,
}

/// The request body of a Lambda@Edge event.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CloudFrontBody {
    /// Whether CloudFront truncated the body (it passes at most 40 KB to viewer triggers,
    /// 1 MB to origin triggers).
    #[serde(default)]
    pub input_truncated: bool,
    /// `read-only` in the event; `replace` in a returned request to replace the body.
    pub action: String,
    /// `base64` or `text`.
    pub encoding: String,
    /// The body, encoded as `encoding` says.
    pub data: String,
}

/// The origin of an origin-request event: either a custom (HTTP) origin or an S3 origin.
#[event]
pub struct CloudFrontOrigin {
    /// A custom origin.
    pub custom: Option<CloudFrontCustomOrigin>,
    /// An S3 origin.
    pub s3: Option<CloudFrontS3Origin>,
}

/// A custom (HTTP) origin.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CloudFrontCustomOrigin {
    /// Headers CloudFront adds to requests to this origin.
    #[serde(default)]
    pub custom_headers: CloudFrontHeaders,
    /// The origin's domain name.
    pub domain_name: String,
    /// The keep-alive timeout in seconds.
    pub keepalive_timeout: Option<u64>,
    /// The origin path prefix.
    #[serde(default)]
    pub path: String,
    /// The port.
    pub port: Option<u16>,
    /// `http` or `https`.
    pub protocol: Option<String>,
    /// The read timeout in seconds.
    pub read_timeout: Option<u64>,
    /// The TLS versions allowed, for example `["TLSv1.2"]`.
    pub ssl_protocols: Option<Vec<String>>,
}

/// An S3 origin.
#[event]
#[serde(rename_all = "camelCase")]
pub struct CloudFrontS3Origin {
    /// `origin-access-identity` or `none`.
    pub auth_method: Option<String>,
    /// Headers CloudFront adds to requests to this origin.
    #[serde(default)]
    pub custom_headers: CloudFrontHeaders,
    /// The bucket's domain name.
    pub domain_name: String,
    /// The origin path prefix.
    #[serde(default)]
    pub path: String,
    /// The bucket's region.
    pub region: Option<String>,
}

/// A response as CloudFront passes it to a response trigger, or as a function returns it
/// (from any trigger, to answer without going further).
///
/// ```
/// use lambda_events::cloudfront::{CloudFrontHeader, CloudFrontResponse};
///
/// let redirect = CloudFrontResponse {
///     status: "302".to_owned(),
///     status_description: Some("Found".to_owned()),
///     headers: [("location".to_owned(), vec![CloudFrontHeader {
///         key: Some("Location".to_owned()),
///         value: "https://example.com/".to_owned(),
///         ..Default::default()
///     }])].into(),
///     ..Default::default()
/// };
/// assert_eq!(serde_json::to_value(&redirect).unwrap()["status"], "302");
/// ```
#[event]
#[serde(rename_all = "camelCase")]
pub struct CloudFrontResponse {
    /// The status code as a string, for example `"200"`.
    pub status: String,
    /// The reason phrase.
    pub status_description: Option<String>,
    /// The headers.
    #[serde(default)]
    pub headers: CloudFrontHeaders,
    /// The body of a generated response.
    pub body: Option<String>,
    /// `text` or `base64` for a generated body.
    pub body_encoding: Option<String>,
}

/// What a request trigger returns: the (possibly modified) request to forward, or a response
/// to send without going to the origin. Serialized as the inner object.
#[event]
#[serde(untagged)]
pub enum CloudFrontRequestResult {
    /// Forward this request.
    Request(Box<CloudFrontRequest>),
    /// Answer with this response.
    Response(CloudFrontResponse),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn viewer_request_round_trips() {
        let e: CloudFrontEvent = round_trip(&fixture("cloudfront/viewer_request.json"));
        let cf = &e.records[0].cf;
        assert_eq!(cf.config.event_type, "viewer-request");
        assert_eq!(cf.config.distribution_id, "EDFDVBD6EXAMPLE");
        let request = cf.request.as_ref().unwrap();
        assert_eq!(request.client_ip, "203.0.113.178");
        assert_eq!(request.uri, "/");
        assert_eq!(request.method, "GET");
        let ua = &request.headers["user-agent"][0];
        assert_eq!(ua.key.as_deref(), Some("User-Agent"));
        assert_eq!(ua.value, "curl/7.66.0");
        assert_eq!(cf.response, None);
    }

    #[test]
    fn origin_request_with_custom_origin_and_body_round_trips() {
        let e: CloudFrontEvent = round_trip(&fixture("cloudfront/origin_request.json"));
        let request = e.records[0].cf.request.as_ref().unwrap();
        let custom = request.origin.as_ref().unwrap().custom.as_ref().unwrap();
        assert_eq!(custom.domain_name, "example.org");
        assert_eq!(custom.port, Some(443));
        assert_eq!(custom.ssl_protocols.as_ref().unwrap(), &["TLSv1.2"]);
        let body = request.body.as_ref().unwrap();
        assert_eq!(body.encoding, "base64");
        assert!(!body.input_truncated);
    }

    #[test]
    fn origin_response_round_trips() {
        let e: CloudFrontEvent = round_trip(&fixture("cloudfront/origin_response.json"));
        let response = e.records[0].cf.response.as_ref().unwrap();
        assert_eq!(response.status, "200");
        assert_eq!(response.status_description.as_deref(), Some("OK"));
        assert_eq!(
            response.headers["content-type"][0].value,
            "text/html; charset=UTF-8"
        );
        assert_eq!(e.records[0].cf.config.event_type, "origin-response");
    }

    #[test]
    fn request_result_serializes_as_the_inner_object() {
        let result = CloudFrontRequestResult::Response(CloudFrontResponse {
            status: "403".into(),
            ..Default::default()
        });
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            serde_json::json!({"status": "403", "headers": {}})
        );
        let e: CloudFrontEvent = round_trip(&fixture("cloudfront/viewer_request.json"));
        let request = e.records[0].cf.request.clone().unwrap();
        let back: CloudFrontRequestResult =
            serde_json::from_value(serde_json::to_value(&request).unwrap()).unwrap();
        assert_eq!(back, CloudFrontRequestResult::Request(Box::new(request)));
    }
}
