//! The HTTP adapter's request conversion: any JSON event becomes an `http::Request` or a
//! `RequestError`, never a panic; and the fast path from the bytes
//! (`LambdaRequest::from_slice`: the byte probe, then the source's fields read straight from
//! the bytes) gives what the path through a `serde_json::Value` gives.
#![no_main]

use lambda_runtime::http::LambdaRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let slow = serde_json::from_slice::<LambdaRequest>(data);
    let fast = LambdaRequest::from_slice(data);
    match (fast, slow) {
        (Ok(fast), Ok(slow)) => {
            assert_eq!(fast.source(), slow.source());
            assert_eq!(fast.stage(), slow.stage());
            let source = slow.source();
            let _ = slow.stage().map(str::len);
            let (fast, slow) = (fast.into_http_with_stage(), slow.into_http_with_stage());
            assert_eq!(fast.method(), slow.method());
            assert_eq!(fast.uri(), slow.uri());
            assert_eq!(fast.body().as_bytes(), slow.body().as_bytes());
            assert!(
                slow.uri().path().starts_with('/'),
                "{source:?}: {:?}",
                slow.uri()
            );
        }
        (Err(fast), Err(slow)) => {
            let _ = (fast.to_string(), slow.to_string());
        }
        (fast, slow) => panic!(
            "the fast path says {:?}, the value path {:?}",
            fast.map(|r| r.source()),
            slow.map(|r| r.source())
        ),
    }
});
