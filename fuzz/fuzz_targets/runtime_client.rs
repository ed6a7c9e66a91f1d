//! The runtime against a Runtime API that answers `next` with arbitrary bytes: the runtime
//! reports what it can, or ends with a `RuntimeError`; it never panics or hangs. A loopback stub
//! writes the input as the raw HTTP response to the first `next`, answers 202 to posts, and
//! hangs up on a second `next` (so `run` returns).
#![no_main]

use std::time::Duration;

use lambda_runtime::client::Endpoint;
use lambda_runtime::{service_fn, Config, Error, LambdaEvent, Runtime};
use libfuzzer_sys::fuzz_target;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = lambda_rs_fuzz::runtime();
}

async fn stub(listener: TcpListener, answer: Vec<u8>) {
    let mut answered = false;
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let _ = stream.set_nodelay(true);
        let mut buffer = Vec::new();
        while let Ok(Some(request)) = lambda_rs_fuzz::read_request(&mut stream, &mut buffer).await {
            if request.line.starts_with("GET") {
                if !answered {
                    answered = true;
                    let _ = stream.write_all(&answer).await;
                }
                // Hang up: the runtime sees the response end (or a second `next` fail).
                break;
            }
            let _ = stream
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    RUNTIME.with(|rt| {
        rt.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            let address = listener.local_addr().expect("local address");
            let server = tokio::spawn(stub(listener, data.to_vec()));
            let endpoint = Endpoint::parse(&address.to_string()).expect("an endpoint");
            let handler = service_fn(|event: LambdaEvent<serde_json::Value>| async move {
                Ok::<_, Error>(event.payload)
            });
            let run = Runtime::new(endpoint, Config::default()).run(handler);
            let result = tokio::time::timeout(Duration::from_secs(5), run).await;
            server.abort();
            match result {
                Ok(Ok(())) => panic!("run() returned Ok although the API went away"),
                Ok(Err(error)) => {
                    let _ = format!("{error:?}");
                }
                Err(_) => panic!("the runtime hung on a response of {} bytes", data.len()),
            }
        })
    })
});
