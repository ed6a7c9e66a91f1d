//! A plain HTTP request turned into the event a function URL, API Gateway or an ALB sends.

use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::request::Parts;
use http::HeaderMap;
use serde_json::{json, Map, Value};

use super::HttpFormat;

/// What the service knows about a request besides the request itself.
#[derive(Debug, Clone)]
pub(crate) struct RequestMeta {
    /// The invocation's request id (also the event's `requestContext.requestId`).
    pub(crate) request_id: String,
    /// The client's address.
    pub(crate) source_ip: IpAddr,
    /// The port the client connected to (for `x-forwarded-port`).
    pub(crate) port: u16,
    /// When the request arrived.
    pub(crate) time: SystemTime,
    /// The X-Ray trace header of the invocation (`x-amzn-trace-id`).
    pub(crate) trace_id: String,
    /// The function's region, for domain names and ARNs.
    pub(crate) region: String,
    /// The function's name, for the ALB target group ARN.
    pub(crate) function_name: String,
}

/// The id of the (pretend) URL, API or target group: the same for every request.
const API_ID: &str = "localapi01";
/// The account id API Gateway and ALB events carry (the function ARN's).
const ACCOUNT_ID: &str = "012345678912";

/// The event for `request` with `body`, in `format`.
pub(crate) fn event(format: HttpFormat, request: &Parts, body: &[u8], meta: &RequestMeta) -> Value {
    let headers = forwarded_headers(&request.headers, meta);
    match format {
        HttpFormat::FunctionUrl | HttpFormat::ApiGatewayV2 => {
            payload_v2(format, request, &headers, body, meta)
        }
        HttpFormat::ApiGatewayV1 => payload_v1(request, &headers, body, meta),
        HttpFormat::Alb | HttpFormat::AlbMultiValue => alb(format, request, &headers, body, meta),
    }
}

/// The request's headers plus the ones the service adds (`x-forwarded-*`, `x-amzn-trace-id`),
/// as (lower-case name, value) pairs in order.
fn forwarded_headers(headers: &HeaderMap, meta: &RequestMeta) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut add = |name: &str, value: String| {
        if !headers.contains_key(name) {
            pairs.push((name.to_owned(), value));
        }
    };
    add("x-amzn-trace-id", meta.trace_id.clone());
    add("x-forwarded-for", meta.source_ip.to_string());
    add("x-forwarded-port", meta.port.to_string());
    add("x-forwarded-proto", "http".to_owned());
    pairs
}

/// Payload format 2.0: function URLs and HTTP APIs.
fn payload_v2(
    format: HttpFormat,
    request: &Parts,
    headers: &[(String, String)],
    body: &[u8],
    meta: &RequestMeta,
) -> Value {
    let path = request.uri.path();
    let raw_query = request.uri.query().unwrap_or_default();
    let mut cookies = Vec::new();
    let mut joined = Map::new();
    for (name, value) in headers {
        if name == "cookie" {
            // 2.0 moves cookies out of the headers into their own list.
            cookies.extend(
                value
                    .split(';')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(|c| Value::String(c.to_owned())),
            );
            continue;
        }
        join_into(&mut joined, name, value);
    }
    let mut query = Map::new();
    for (name, value) in query_pairs(raw_query, true) {
        join_into(&mut query, &name, &value);
    }
    let (domain, account) = match format {
        HttpFormat::FunctionUrl => (
            format!("{API_ID}.lambda-url.{}.on.aws", meta.region),
            // What function URLs with auth type NONE send.
            "anonymous",
        ),
        _ => (
            format!("{API_ID}.execute-api.{}.amazonaws.com", meta.region),
            ACCOUNT_ID,
        ),
    };
    let mut event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": joined,
        "requestContext": {
            "accountId": account,
            "apiId": API_ID,
            "domainName": domain,
            "domainPrefix": API_ID,
            "http": {
                "method": request.method.as_str(),
                "path": path,
                "protocol": protocol(request),
                "sourceIp": meta.source_ip.to_string(),
                "userAgent": header(&request.headers, "user-agent"),
            },
            "requestId": meta.request_id,
            "routeKey": "$default",
            "stage": "$default",
            "time": clf_time(meta.time),
            "timeEpoch": epoch_ms(meta.time),
        },
        "isBase64Encoded": false,
    });
    let object = event.as_object_mut().expect("a JSON object literal");
    if !cookies.is_empty() {
        object.insert("cookies".into(), Value::Array(cookies));
    }
    if !query.is_empty() {
        object.insert("queryStringParameters".into(), Value::Object(query));
    }
    if !body.is_empty() {
        let (text, base64) = encode_body(&request.headers, body);
        object.insert("body".into(), Value::String(text));
        object.insert("isBase64Encoded".into(), Value::Bool(base64));
    }
    event
}

/// Payload format 1.0: REST APIs (proxy integration on `/{proxy+}`).
fn payload_v1(
    request: &Parts,
    headers: &[(String, String)],
    body: &[u8],
    meta: &RequestMeta,
) -> Value {
    let path = percent_decode(request.uri.path());
    let (single_headers, multi_headers) = single_and_multi(headers.iter().cloned());
    let (single_query, multi_query) =
        single_and_multi(query_pairs(request.uri.query().unwrap_or_default(), true));
    let proxy = path.trim_start_matches('/');
    let path_parameters = if proxy.is_empty() {
        Value::Null
    } else {
        json!({ "proxy": proxy })
    };
    let (body, base64) = if body.is_empty() {
        (Value::Null, false)
    } else {
        let (text, base64) = encode_body(&request.headers, body);
        (Value::String(text), base64)
    };
    json!({
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": request.method.as_str(),
        "headers": single_headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": non_empty(single_query),
        "multiValueQueryStringParameters": non_empty(multi_query),
        "pathParameters": path_parameters,
        "stageVariables": null,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": format!("{API_ID}.execute-api.{}.amazonaws.com", meta.region),
            "domainPrefix": API_ID,
            "extendedRequestId": meta.request_id,
            "httpMethod": request.method.as_str(),
            "identity": {
                "accessKey": null,
                "accountId": null,
                "caller": null,
                "cognitoAuthenticationProvider": null,
                "cognitoAuthenticationType": null,
                "cognitoIdentityId": null,
                "cognitoIdentityPoolId": null,
                "principalOrgId": null,
                "sourceIp": meta.source_ip.to_string(),
                "user": null,
                "userAgent": header(&request.headers, "user-agent"),
                "userArn": null,
            },
            "path": path,
            "protocol": protocol(request),
            "requestId": meta.request_id,
            "requestTime": clf_time(meta.time),
            "requestTimeEpoch": epoch_ms(meta.time),
            "resourceId": "proxy0",
            "resourcePath": "/{proxy+}",
            "stage": "$default",
        },
        "body": body,
        "isBase64Encoded": base64,
    })
}

/// An Application Load Balancer target group event, with single- or multi-value headers.
fn alb(
    format: HttpFormat,
    request: &Parts,
    headers: &[(String, String)],
    body: &[u8],
    meta: &RequestMeta,
) -> Value {
    // An ALB passes the query string as sent: not decoded.
    let query = query_pairs(request.uri.query().unwrap_or_default(), false);
    let (single_headers, multi_headers) = single_and_multi(headers.iter().cloned());
    let (single_query, multi_query) = single_and_multi(query);
    let (text, base64) = if body.is_empty() {
        (String::new(), false)
    } else {
        encode_body(&request.headers, body)
    };
    let mut event = json!({
        "requestContext": {
            "elb": {
                "targetGroupArn": format!(
                    "arn:aws:elasticloadbalancing:{}:{ACCOUNT_ID}:targetgroup/{}/0123456789abcdef",
                    meta.region, meta.function_name
                ),
            },
        },
        "httpMethod": request.method.as_str(),
        "path": request.uri.path(),
        "body": text,
        "isBase64Encoded": base64,
    });
    let object = event.as_object_mut().expect("a JSON object literal");
    if format == HttpFormat::AlbMultiValue {
        object.insert("multiValueHeaders".into(), Value::Object(multi_headers));
        object.insert(
            "multiValueQueryStringParameters".into(),
            Value::Object(multi_query),
        );
    } else {
        object.insert("headers".into(), Value::Object(single_headers));
        object.insert("queryStringParameters".into(), Value::Object(single_query));
    }
    event
}

/// Adds `value` under `name`, joining repeated names with `,` as payload 2.0 does.
fn join_into(map: &mut Map<String, Value>, name: &str, value: &str) {
    match map.get_mut(name) {
        Some(Value::String(existing)) => {
            existing.push(',');
            existing.push_str(value);
        }
        _ => {
            map.insert(name.to_owned(), Value::String(value.to_owned()));
        }
    }
}

/// The single-value map (the last value wins, as API Gateway and ALB do) and the multi-value
/// map (every value, in order).
fn single_and_multi(
    pairs: impl IntoIterator<Item = (String, String)>,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut single = Map::new();
    let mut multi = Map::new();
    for (name, value) in pairs {
        single.insert(name.clone(), Value::String(value.clone()));
        match multi
            .entry(name)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(values) => values.push(Value::String(value)),
            _ => unreachable!("only arrays are inserted"),
        }
    }
    (single, multi)
}

fn non_empty(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

/// `name=value` pairs of a query string, percent-decoded when `decode`.
fn query_pairs(query: &str, decode: bool) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if decode {
                (percent_decode(name), percent_decode(value))
            } else {
                (name.to_owned(), value.to_owned())
            }
        })
        .collect()
}

/// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as they are.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// The body as the event carries it: text, or base64 (`true`) when the content type is not
/// text or the bytes are not UTF-8.
fn encode_body(headers: &HeaderMap, body: &[u8]) -> (String, bool) {
    let text_type = headers
        .get(http::header::CONTENT_TYPE)
        .is_none_or(|value| is_text(value.to_str().unwrap_or_default()));
    let encoded = headers
        .get(http::header::CONTENT_ENCODING)
        .is_some_and(|value| !value.as_bytes().eq_ignore_ascii_case(b"identity"));
    match std::str::from_utf8(body) {
        Ok(text) if text_type && !encoded => (text.to_owned(), false),
        _ => (base64::engine::general_purpose::STANDARD.encode(body), true),
    }
}

/// Content types a function URL or API Gateway passes as text.
pub(crate) fn is_text(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    kind == "text"
        || (kind == "application"
            && matches!(
                subtype,
                "json"
                    | "xml"
                    | "javascript"
                    | "x-www-form-urlencoded"
                    | "graphql"
                    | "yaml"
                    | "x-ndjson"
            ))
        || subtype.ends_with("+json")
        || subtype.ends_with("+xml")
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default()
}

fn protocol(request: &Parts) -> &'static str {
    match request.version {
        http::Version::HTTP_10 => "HTTP/1.0",
        http::Version::HTTP_2 => "HTTP/2.0",
        _ => "HTTP/1.1",
    }
}

fn epoch_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// The request time as API Gateway writes it: `12/Mar/2020:19:03:58 +0000`.
fn clf_time(time: SystemTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // `2020-03-12T19:03:58.390Z`, rearranged.
    let stamp = crate::clock::rfc3339(time);
    let field = |range: std::ops::Range<usize>| stamp.get(range).unwrap_or("00");
    let month = field(5..7).parse::<usize>().unwrap_or(1).clamp(1, 12);
    format!(
        "{}/{}/{}:{} +0000",
        field(8..10),
        MONTHS[month - 1],
        field(0..4),
        field(11..19)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn meta() -> RequestMeta {
        RequestMeta {
            request_id: "req-1".into(),
            source_ip: "127.0.0.1".parse().unwrap(),
            port: 9001,
            time: UNIX_EPOCH + Duration::from_millis(1_583_348_638_390),
            trace_id: "Root=1-5e66d96f-7491f09xmp179d18acf3d050".into(),
            region: "us-west-2".into(),
            function_name: "hello".into(),
        }
    }

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut builder = http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn function_url_event_has_every_field_aws_sends() {
        let request = parts(
            "POST",
            "/my/path?parameter1=value1&parameter1=value2&parameter2=a%20b",
            &[
                ("user-agent", "agent"),
                ("header2", "value1"),
                ("header2", "value2"),
                ("cookie", "cookie1=a; cookie2=b"),
                ("content-type", "text/plain"),
            ],
        );
        let event = event(
            HttpFormat::FunctionUrl,
            &request,
            b"Hello from client!",
            &meta(),
        );
        assert_eq!(
            event,
            json!({
                "version": "2.0",
                "routeKey": "$default",
                "rawPath": "/my/path",
                "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=a%20b",
                "cookies": ["cookie1=a", "cookie2=b"],
                "headers": {
                    "user-agent": "agent",
                    "header2": "value1,value2",
                    "content-type": "text/plain",
                    "x-amzn-trace-id": "Root=1-5e66d96f-7491f09xmp179d18acf3d050",
                    "x-forwarded-for": "127.0.0.1",
                    "x-forwarded-port": "9001",
                    "x-forwarded-proto": "http",
                },
                "queryStringParameters": {"parameter1": "value1,value2", "parameter2": "a b"},
                "requestContext": {
                    "accountId": "anonymous",
                    "apiId": "localapi01",
                    "domainName": "localapi01.lambda-url.us-west-2.on.aws",
                    "domainPrefix": "localapi01",
                    "http": {
                        "method": "POST",
                        "path": "/my/path",
                        "protocol": "HTTP/1.1",
                        "sourceIp": "127.0.0.1",
                        "userAgent": "agent",
                    },
                    "requestId": "req-1",
                    "routeKey": "$default",
                    "stage": "$default",
                    "time": "04/Mar/2020:19:03:58 +0000",
                    "timeEpoch": 1_583_348_638_390u64,
                },
                "body": "Hello from client!",
                "isBase64Encoded": false,
            })
        );
    }

    #[test]
    fn payload_v2_without_body_query_or_cookies_leaves_them_out() {
        let event = event(
            HttpFormat::ApiGatewayV2,
            &parts("GET", "/", &[]),
            b"",
            &meta(),
        );
        let object = event.as_object().unwrap();
        for absent in ["body", "cookies", "queryStringParameters"] {
            assert!(!object.contains_key(absent), "{absent} in {event}");
        }
        assert_eq!(event["isBase64Encoded"], false);
        assert_eq!(event["rawQueryString"], "");
        assert_eq!(
            event["requestContext"]["domainName"],
            "localapi01.execute-api.us-west-2.amazonaws.com"
        );
        assert_eq!(event["requestContext"]["accountId"], "012345678912");
    }

    #[test]
    fn binary_bodies_are_base64_encoded() {
        let binary = [0u8, 159, 146, 150];
        for format in [
            HttpFormat::FunctionUrl,
            HttpFormat::ApiGatewayV2,
            HttpFormat::ApiGatewayV1,
            HttpFormat::Alb,
        ] {
            let request = parts("POST", "/", &[("content-type", "application/octet-stream")]);
            let event = event(format, &request, &binary, &meta());
            assert_eq!(event["isBase64Encoded"], true, "{format}");
            assert_eq!(event["body"], "AJ+Slg==", "{format}");
            // Text in a binary content type is base64 too; UTF-8 JSON is not.
            let event = event_with(format, "image/png", b"abc");
            assert_eq!(event["body"], "YWJj", "{format}");
            let event = event_with(format, "application/json", b"{\"a\":1}");
            assert_eq!(event["body"], "{\"a\":1}", "{format}");
            assert_eq!(event["isBase64Encoded"], false, "{format}");
        }
    }

    fn event_with(format: HttpFormat, content_type: &str, body: &[u8]) -> Value {
        let request = parts("POST", "/", &[("content-type", content_type)]);
        event(format, &request, body, &meta())
    }

    #[test]
    fn rest_api_event_has_single_and_multi_value_maps() {
        let request = parts(
            "GET",
            "/hello/w%C3%B6rld?name=me&multivalueName=you&multivalueName=me",
            &[("accept", "a"), ("accept", "b"), ("user-agent", "curl/8")],
        );
        let event = event(HttpFormat::ApiGatewayV1, &request, b"", &meta());
        assert_eq!(event["resource"], "/{proxy+}");
        assert_eq!(event["path"], "/hello/wörld");
        assert_eq!(event["httpMethod"], "GET");
        assert_eq!(event["headers"]["accept"], "b");
        assert_eq!(event["multiValueHeaders"]["accept"], json!(["a", "b"]));
        assert_eq!(
            event["queryStringParameters"],
            json!({"name": "me", "multivalueName": "me"})
        );
        assert_eq!(
            event["multiValueQueryStringParameters"],
            json!({"name": ["me"], "multivalueName": ["you", "me"]})
        );
        assert_eq!(event["pathParameters"], json!({"proxy": "hello/wörld"}));
        assert_eq!(event["body"], Value::Null);
        assert_eq!(event["isBase64Encoded"], false);
        let context = &event["requestContext"];
        assert_eq!(context["httpMethod"], "GET");
        assert_eq!(context["identity"]["sourceIp"], "127.0.0.1");
        assert_eq!(context["identity"]["userAgent"], "curl/8");
        assert_eq!(context["requestTime"], "04/Mar/2020:19:03:58 +0000");
        assert_eq!(context["requestTimeEpoch"], 1_583_348_638_390u64);
        assert_eq!(context["requestId"], "req-1");
        // The runtime's HTTP adapter recognises REST events by these two keys.
        assert!(event.get("httpMethod").is_some() && event.get("requestContext").is_some());
        let empty = super::event(
            HttpFormat::ApiGatewayV1,
            &parts("GET", "/", &[]),
            b"",
            &meta(),
        );
        assert_eq!(empty["queryStringParameters"], Value::Null);
        assert_eq!(empty["pathParameters"], Value::Null);
    }

    #[test]
    fn alb_event_keeps_the_query_string_raw_and_uses_the_chosen_value_mode() {
        let request = parts(
            "POST",
            "/lambda?myKey=val1&myKey=val%202",
            &[("x", "1"), ("x", "2")],
        );
        let single = event(HttpFormat::Alb, &request, b"", &meta());
        assert_eq!(
            single["requestContext"]["elb"]["targetGroupArn"],
            "arn:aws:elasticloadbalancing:us-west-2:012345678912:targetgroup/hello/0123456789abcdef"
        );
        assert_eq!(single["queryStringParameters"], json!({"myKey": "val%202"}));
        assert_eq!(single["headers"]["x"], "2");
        assert_eq!(single["body"], "");
        assert!(single.get("multiValueHeaders").is_none());
        let multi = event(HttpFormat::AlbMultiValue, &request, b"", &meta());
        assert_eq!(
            multi["multiValueQueryStringParameters"],
            json!({"myKey": ["val1", "val%202"]})
        );
        assert_eq!(multi["multiValueHeaders"]["x"], json!(["1", "2"]));
        assert!(multi.get("headers").is_none());
    }

    #[test]
    fn percent_decoding_keeps_invalid_escapes() {
        assert_eq!(percent_decode("a%20b%zz%2"), "a b%zz%2");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
        assert_eq!(percent_decode("%FF"), "%FF");
    }

    #[test]
    fn request_time_is_in_api_gateway_format() {
        let time = UNIX_EPOCH + Duration::from_secs(951_782_400 + 3_723); // 2000-02-29 01:02:03
        assert_eq!(clf_time(time), "29/Feb/2000:01:02:03 +0000");
    }
}
