//! Amazon VPC Lattice: requests to a Lambda target group (event structure v1 and v2) and the
//! response.
//!
//! The event version is a setting of the target group. Version 1 uses snake_case field names;
//! version 2 uses camelCase and adds the request context (caller identity, service and target
//! group ARNs).

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lambda_events_derive::event;
use serde_json::Value;

use crate::encodings::{Headers, QueryStringParameters, StringOrList};

/// A VPC Lattice request, event structure version 1.
///
/// ```
/// use lambda_events::vpc_lattice::VpcLatticeRequestV1;
///
/// let json = r#"{"raw_path": "/orders?id=1", "method": "GET", "headers": {"host": "svc.example"},
///   "query_string_parameters": {"id": "1"}, "body": "", "is_base64_encoded": false}"#;
/// let request: VpcLatticeRequestV1 = serde_json::from_str(json).unwrap();
/// assert_eq!(request.method, "GET");
/// ```
#[event(keep_nulls)]
pub struct VpcLatticeRequestV1 {
    /// The path, with the query string.
    pub raw_path: String,
    /// The HTTP method.
    pub method: String,
    /// The headers.
    #[serde(default)]
    pub headers: Headers,
    /// The query string parameters.
    pub query_string_parameters: Option<QueryStringParameters>,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64.
    #[serde(default)]
    pub is_base64_encoded: bool,
}

/// A VPC Lattice request, event structure version 2.
///
/// Header and query parameter values arrive as arrays (one entry per occurrence); a plain
/// string is accepted too, and each is written back as it came (see [`StringOrList`]).
///
/// ```
/// use lambda_events::vpc_lattice::VpcLatticeRequestV2;
///
/// let json = r#"{"version": "2.0", "path": "/", "method": "GET",
///   "headers": {"user-agent": ["curl/7.64.1"]}, "isBase64Encoded": false,
///   "requestContext": {"serviceNetworkArn": "arn:sn", "serviceArn": "arn:svc",
///     "targetGroupArn": "arn:tg", "identity": {"type": "AWS_IAM"},
///     "region": "us-east-2", "timeEpoch": "1690497599177430"}}"#;
/// let request: VpcLatticeRequestV2 = serde_json::from_str(json).unwrap();
/// assert_eq!(request.headers["user-agent"].first(), Some("curl/7.64.1"));
/// assert!(request.request_context.time().is_some());
/// ```
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeRequestV2 {
    /// `"2.0"`.
    pub version: String,
    /// The request path.
    pub path: String,
    /// The HTTP method.
    pub method: String,
    /// The headers, every value of each.
    #[serde(default)]
    pub headers: HashMap<String, StringOrList>,
    /// The query string parameters, every value of each.
    pub query_string_parameters: Option<HashMap<String, StringOrList>>,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
    /// Whether `body` is base64.
    #[serde(default)]
    pub is_base64_encoded: bool,
    /// The service, target group and caller.
    pub request_context: VpcLatticeRequestContext,
}

/// The `requestContext` of a version 2 VPC Lattice request.
#[event]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeRequestContext {
    /// The service network that delivered the request.
    pub service_network_arn: String,
    /// The service that received the request.
    pub service_arn: String,
    /// The target group that invoked the function.
    pub target_group_arn: String,
    /// The caller.
    pub identity: VpcLatticeIdentity,
    /// The region of the target group.
    pub region: String,
    /// The request time in microseconds since the Unix epoch, as a decimal string.
    pub time_epoch: String,
}

impl VpcLatticeRequestContext {
    /// The request time from [`time_epoch`](Self::time_epoch); `None` when it is not a
    /// number of microseconds.
    pub fn time(&self) -> Option<SystemTime> {
        let micros: u64 = self.time_epoch.parse().ok()?;
        UNIX_EPOCH.checked_add(Duration::from_micros(micros))
    }
}

/// The caller of a version 2 VPC Lattice request.
///
/// The fields AWS sends for mutual TLS and organizations (`x509SanDns`, `x509SubjectCn`,
/// `principalOrgID`, ...) are kept in [`fields`](Self::fields) under the names AWS used.
#[event(closed, keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeIdentity {
    /// The VPC the request came from.
    pub source_vpc_arn: Option<String>,
    /// `"AWS_IAM"` when the request was signed, absent otherwise.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The authenticated IAM principal.
    pub principal: Option<String>,
    /// The session name of an assumed role.
    pub session_name: Option<String>,
    /// Every other identity attribute.
    #[serde(flatten)]
    pub fields: HashMap<String, Value>,
}

/// The response of a Lambda target to VPC Lattice (both event versions).
///
/// [`Default`] is a `200` with no headers and no body.
///
/// ```
/// use lambda_events::vpc_lattice::VpcLatticeResponse;
///
/// let response = VpcLatticeResponse { body: Some("ok".to_owned()), ..Default::default() };
/// assert_eq!(serde_json::to_value(&response).unwrap()["statusCode"], 200);
/// ```
#[event(no_default)]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeResponse {
    /// Whether `body` is base64.
    pub is_base64_encoded: Option<bool>,
    /// The HTTP status code.
    pub status_code: u16,
    /// The status line text, for example `"200 OK"`.
    pub status_description: Option<String>,
    /// Response headers.
    pub headers: Option<Headers>,
    /// The body: text, or base64 when `is_base64_encoded` is true.
    pub body: Option<String>,
}

impl Default for VpcLatticeResponse {
    fn default() -> Self {
        VpcLatticeResponse {
            is_base64_encoded: None,
            status_code: 200,
            status_description: None,
            headers: None,
            body: None,
            #[cfg(feature = "catch-all-fields")]
            other: serde_json::Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn v1_request_round_trips() {
        let r: VpcLatticeRequestV1 = round_trip(&fixture("vpc_lattice/request_v1.json"));
        assert_eq!(r.raw_path, "/testpath");
        assert_eq!(r.method, "POST");
        assert_eq!(r.headers["user-agent"], "curl/7.64.1");
        assert_eq!(r.query_string_parameters.as_ref().unwrap()["order-id"], "1");
        assert_eq!(r.body.as_deref(), Some("{\"test\": \"event\"}"));
    }

    #[test]
    fn v2_request_round_trips() {
        let r: VpcLatticeRequestV2 = round_trip(&fixture("vpc_lattice/request_v2.json"));
        assert_eq!(r.version, "2.0");
        assert_eq!(r.path, "/newpath");
        assert_eq!(r.headers["x-forwarded-for"].first(), Some("10.0.0.1"));
        assert_eq!(
            r.query_string_parameters.as_ref().unwrap()["order-id"],
            StringOrList::Many(vec!["1".into(), "2".into()])
        );
        let ctx = &r.request_context;
        assert_eq!(ctx.region, "us-east-2");
        assert_eq!(
            ctx.time(),
            Some(UNIX_EPOCH + Duration::from_micros(1_690_497_599_177_430))
        );
        assert_eq!(ctx.identity.kind.as_deref(), Some("AWS_IAM"));
        assert_eq!(ctx.identity.fields["x509SanDns"], "example.com");
    }

    #[test]
    fn response_round_trips() {
        let r: VpcLatticeResponse = round_trip(&fixture("vpc_lattice/response.json"));
        assert_eq!(r.status_code, 200);
        assert_eq!(r.status_description.as_deref(), Some("200 OK"));
        assert_eq!(
            r.headers.as_ref().unwrap()["Content-Type"],
            "application/text"
        );
    }
}
