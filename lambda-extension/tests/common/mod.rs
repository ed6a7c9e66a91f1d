//! Helpers shared by the tests: a loopback HTTP client, processors that report what they got,
//! and a time bound for every test.

#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use lambda_extension::{BatchProcessor, Error, Record};
use lambda_runtime::client::{Client, Endpoint, RequestBody};
use tokio::sync::mpsc;

/// Every test finishes within this, or fails.
pub const TEST_LIMIT: Duration = Duration::from_secs(20);

/// Runs `test` with a time bound.
pub async fn bounded<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(TEST_LIMIT, test)
        .await
        .expect("the test did not finish in time")
}

/// A client for the listener at `addr`.
pub fn client(addr: SocketAddr) -> Client {
    Client::new(Endpoint::parse(&addr.to_string()).unwrap())
}

/// POSTs `body` to `path` and returns the status and body.
pub async fn post(client: &mut Client, path: &str, body: &str) -> (u16, String) {
    let request = client
        .request(
            http::Method::POST,
            path,
            RequestBody::Full(Bytes::copy_from_slice(body.as_bytes())),
        )
        .unwrap();
    let response = client.send(request).await.unwrap();
    (
        response.status().as_u16(),
        String::from_utf8_lossy(response.body()).into_owned(),
    )
}

/// A processor that forwards every batch to the returned receiver and succeeds.
pub fn forwarding_processor() -> (BatchProcessor, mpsc::UnboundedReceiver<Vec<Record>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let processor = BatchProcessor::new(lambda_extension::service_fn(move |batch: Vec<Record>| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(batch);
            Ok::<(), Error>(())
        }
    }));
    (processor, rx)
}
