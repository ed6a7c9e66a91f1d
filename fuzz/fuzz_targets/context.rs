//! Invocation headers (as a `next` response carries them) into a `Context`: any header set
//! gives a `Context` or a `ContextError`, never a panic; a `Context` holds the headers' values.
#![no_main]

use std::sync::Arc;

use lambda_runtime::{Config, Context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let headers = lambda_rs_fuzz::headers(data);
    match Context::from_headers(&headers, Arc::new(Config::default())) {
        Ok(context) => {
            let sent = headers
                .get("lambda-runtime-aws-request-id")
                .and_then(|v| v.to_str().ok());
            assert_eq!(Some(context.request_id.as_str()), sent);
            let _ = context.remaining();
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
