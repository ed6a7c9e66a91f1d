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
}
