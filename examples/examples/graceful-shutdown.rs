//! Cleanup code that runs when Lambda retires the execution environment.
//!
//! ```text
//! cargo build --example graceful-shutdown
//! cargo run -p lambda-cli -- invoke --event '{}' -- target/debug/examples/graceful-shutdown
//! ```
//! The emulator shuts the environment down after the invocation: the function prints
//! `flushed N buffered metrics` on its way out.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Stands in for a metrics client that batches in memory.
    let buffered = Arc::new(AtomicU64::new(0));
    let on_shutdown = {
        let buffered = buffered.clone();
        async move {
            eprintln!(
                "flushed {} buffered metrics",
                buffered.load(Ordering::SeqCst)
            );
        }
    };
    // Before the runtime starts: extensions register during initialization only.
    lambda_runtime::shutdown::graceful_shutdown(on_shutdown).await?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| {
        let buffered = buffered.clone();
        async move {
            buffered.fetch_add(1, Ordering::SeqCst);
            Ok::<_, Error>(event.payload)
        }
    }))
    .await?;
    Ok(())
}
