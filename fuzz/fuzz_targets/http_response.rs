//! The HTTP adapter's response shaping: any status, headers and body become a response of the
//! event source's type that serializes to JSON. Input: source byte, multi-value byte, two status
//! bytes, header lines, a NUL, then the body.
#![no_main]

use bytes::Bytes;
use lambda_runtime::http::{LambdaResponse, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [source, multi, hi, lo, rest @ ..] = data else {
        return;
    };
    let source = Source::ALL[*source as usize % Source::ALL.len()];
    let status = u16::from_be_bytes([*hi, *lo]);
    let Ok(status) = http::StatusCode::from_u16(status) else {
        return;
    };
    let (head, body) = match rest.iter().position(|&b| b == 0) {
        Some(nul) => (&rest[..nul], &rest[nul + 1..]),
        None => (rest, &[][..]),
    };
    let mut response = http::Response::new(Bytes::copy_from_slice(body));
    *response.status_mut() = status;
    *response.headers_mut() = lambda_rs_fuzz::headers(head);
    let shaped = LambdaResponse::from_http(source, multi & 1 == 1, response);
    let json = serde_json::to_value(&shaped).expect("a shaped response serializes");
    assert!(json.is_object(), "{source:?}: {json}");
});
