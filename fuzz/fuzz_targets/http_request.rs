//! The HTTP adapter's request conversion: any JSON event becomes an `http::Request` or a
//! `RequestError`, never a panic.
#![no_main]

use lambda_runtime::http::LambdaRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match serde_json::from_slice::<LambdaRequest>(data) {
        Ok(request) => {
            let source = request.source();
            let _ = request.stage().map(str::len);
            let request = request.into_http_with_stage();
            assert!(
                request.uri().path().starts_with('/'),
                "{source:?}: {:?}",
                request.uri()
            );
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
