//! The emulator's invoke endpoint: the request headers (`X-Amz-Invocation-Type`,
//! `X-Amz-Client-Context`, `X-Amz-Tenant-Id`, ...) parse into an invocation or a clear 4xx
//! answer, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let headers = lambda_rs_fuzz::headers(data);
    let status = lambda_emulator::fuzzing::invoke_headers(&headers);
    assert!(status.is_success() || status.is_client_error(), "{status}");
});
