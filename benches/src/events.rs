//! The benchmark events: a small one (~100 B) and a large one (~256 KB), both JSON objects with a
//! `name` field so that `hello` functions accept them too.

use bytes::Bytes;

/// A ~100-byte event.
pub fn small() -> Bytes {
    Bytes::from_static(
        br#"{"name":"world","id":1234567,"active":true,"score":98.5,"tags":["a","b"],"region":"eu-west-1"}"#,
    )
}

/// A ~256 KB event: an SQS-like batch of records (strings, numbers, nested objects), compact.
pub fn large() -> Bytes {
    const TARGET: usize = 256 * 1024;
    let mut out = String::with_capacity(TARGET + 1024);
    out.push_str(r#"{"name":"world","Records":["#);
    let mut i = 0u32;
    while out.len() < TARGET - 600 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            concat!(
                r#"{{"messageId":"059f36b4-87a3-44ab-83d2-{i:012}","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a{i}","#,
                r#""body":"Hello from SQS number {i}, with some padding text to look like a real payload.","#,
                r#""attributes":{{"ApproximateReceiveCount":"1","SentTimestamp":"{ts}","SenderId":"AIDAIENQZJOLO23YVJ4VO","#,
                r#""ApproximateFirstReceiveTimestamp":"{ts}"}},"messageAttributes":{{}},"md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","#,
                r#""eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:my-queue","awsRegion":"us-east-2","size":{size}}}"#
            ),
            i = i,
            ts = 1_545_082_649_183u64 + u64::from(i),
            size = 1000 + i,
        ));
        i += 1;
    }
    out.push_str("]}");
    Bytes::from(out)
}

/// `GET /hello/world` as API Gateway HTTP API (payload format 2.0) sends it to a function, with
/// the headers a browser request carries.
pub fn apigw_v2_hello() -> Bytes {
    Bytes::from_static(
        br#"{"version":"2.0","routeKey":"$default","rawPath":"/hello/world","rawQueryString":"","headers":{"accept":"text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8","accept-encoding":"gzip, deflate, br","accept-language":"en-US,en;q=0.9","content-length":"0","host":"r3pmxmplak.execute-api.us-east-2.amazonaws.com","user-agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36","x-amzn-trace-id":"Root=1-5e6722a7-cc56xmpl46db7ae02d4da47e","x-forwarded-for":"205.255.255.176","x-forwarded-port":"443","x-forwarded-proto":"https"},"requestContext":{"accountId":"123456789012","apiId":"r3pmxmplak","domainName":"r3pmxmplak.execute-api.us-east-2.amazonaws.com","domainPrefix":"r3pmxmplak","http":{"method":"GET","path":"/hello/world","protocol":"HTTP/1.1","sourceIp":"205.255.255.176","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"},"requestId":"JKJaXmPLvHcESHA=","routeKey":"$default","stage":"$default","time":"10/Mar/2020:05:16:23 +0000","timeEpoch":1583817383220},"isBase64Encoded":false}"#,
    )
}

/// `GET /hello/world` as an Application Load Balancer sends it to a function (single-value
/// headers), with the headers a browser request carries.
pub fn alb_hello() -> Bytes {
    Bytes::from_static(
        br#"{"requestContext":{"elb":{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a"}},"httpMethod":"GET","path":"/hello/world","queryStringParameters":{},"headers":{"accept":"text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8","accept-encoding":"gzip","accept-language":"en-US,en;q=0.9","connection":"keep-alive","host":"lambda-alb-123578498.us-east-2.elb.amazonaws.com","upgrade-insecure-requests":"1","user-agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36","x-amzn-trace-id":"Root=1-5c536348-3d683b8b04734faae651f476","x-forwarded-for":"72.12.164.125","x-forwarded-port":"80","x-forwarded-proto":"http"},"body":"","isBase64Encoded":false}"#,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_json_objects_of_the_announced_sizes() {
        let small = small();
        let large = large();
        assert!((80..=120).contains(&small.len()), "{}", small.len());
        assert!(
            (250 * 1024..=256 * 1024).contains(&large.len()),
            "{}",
            large.len()
        );
        for event in [small, large] {
            let value: serde_json::Value = serde_json::from_slice(&event).unwrap();
            assert_eq!(value["name"], "world");
        }
    }

    #[test]
    fn http_events_are_get_hello_world() {
        let v2: serde_json::Value = serde_json::from_slice(&apigw_v2_hello()).unwrap();
        assert_eq!(v2["version"], "2.0");
        assert_eq!(v2["requestContext"]["http"]["method"], "GET");
        assert_eq!(v2["rawPath"], "/hello/world");
        let alb: serde_json::Value = serde_json::from_slice(&alb_hello()).unwrap();
        assert_eq!(alb["httpMethod"], "GET");
        assert_eq!(alb["path"], "/hello/world");
        assert!(alb["requestContext"]["elb"]["targetGroupArn"].is_string());
    }
}
