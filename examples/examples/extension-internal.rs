//! A function with an internal extension that flushes the function's metrics after each
//! invocation.
//!
//! The handler hands a metric line to the extension through a channel. The extension, on each
//! INVOKE, waits for that line (or the invocation's deadline) and "flushes" it (here: prints
//! it); Lambda ends the invocation once both the function and the extension have called `next`,
//! so the flush is part of the invocation, not a background task that a frozen environment would
//! cut short.
//!
//! Register the extension before starting the runtime: Lambda accepts registrations only before
//! the runtime's first `next`.
//!
//! ```text
//! cargo build --release --example extension-internal
//! cargo run -p lambda-cli -- invoke --event '{"name":"world"}' -- target/release/examples/extension-internal
//! ```
use std::sync::Arc;

use lambda_extension::{Extension, NextEvent};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Mutex};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let (metrics_tx, metrics_rx) = mpsc::unbounded_channel::<String>();
    let metrics_rx = Arc::new(Mutex::new(metrics_rx));

    let extension = Extension::new()
        .internal()
        .with_name("metrics-flusher")
        .with_events_processor(lambda_extension::service_fn(move |event: NextEvent| {
            let metrics_rx = metrics_rx.clone();
            async move {
                if let NextEvent::Invoke(invoke) = event {
                    let wait = tokio::time::sleep(invoke.time_left());
                    let mut rx = metrics_rx.lock().await;
                    tokio::select! {
                        Some(line) = rx.recv() => println!("[metrics-flusher] flushed: {line}"),
                        _ = wait => println!("[metrics-flusher] {}: no metrics before the deadline", invoke.request_id),
                    }
                }
                Ok::<(), lambda_extension::Error>(())
            }
        }))
        .register()
        .await?;

    let handler = service_fn(move |event: LambdaEvent<Value>| {
        let metrics_tx = metrics_tx.clone();
        async move {
            let name = event.payload["name"]
                .as_str()
                .unwrap_or("stranger")
                .to_owned();
            let metric = json!({ "requestId": event.context.request_id, "greeted": 1 });
            let _ = metrics_tx.send(metric.to_string());
            Ok::<Value, Error>(json!({ "message": format!("Hello, {name}!") }))
        }
    });

    tokio::try_join!(
        async { extension.run().await.map_err(Error::from) },
        async { lambda_runtime::run(handler).await.map_err(Error::from) },
    )?;
    Ok(())
}
