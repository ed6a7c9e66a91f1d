//! The emulator's Runtime API server (`/2018-06-01/...` and the Extensions, Logs and Telemetry
//! APIs on the same port) fed arbitrary bytes on a connection: it answers or closes, never
//! panics, and keeps serving the next connection.
#![no_main]

use std::net::SocketAddr;
use std::time::Duration;

use lambda_emulator::RuntimeApi;
use libfuzzer_sys::fuzz_target;

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = lambda_rs_fuzz::runtime();
    static API: (RuntimeApi, SocketAddr) = RUNTIME.with(|rt| rt.block_on(async {
        let api = RuntimeApi::start().await.expect("the emulator's Runtime API starts");
        let address = api.address();
        (api, address)
    }));
}

fuzz_target!(|data: &[u8]| {
    let address = API.with(|(_, address)| *address);
    RUNTIME.with(|rt| {
        rt.block_on(async {
            // `next` waits for an invocation: give each exchange a short time, then hang up.
            lambda_rs_fuzz::exchange(address, data, Duration::from_millis(20)).await;
        })
    })
});
