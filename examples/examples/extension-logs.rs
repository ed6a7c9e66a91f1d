//! An external extension that subscribes to the function's logs and appends each batch to a
//! file, one JSON line per record.
//!
//! The file is `LOG_FILE` (default `/tmp/function-logs.jsonl`; `/tmp` is writable in Lambda).
//! A write failure answers the batch with 500, so Lambda delivers it again.
//!
//! ```text
//! cargo build --release --example extension-logs
//! mkdir -p opt/extensions && cp target/release/examples/extension-logs opt/extensions/
//! cargo run -p lambda-cli -- serve --extensions-dir opt/extensions -- target/release/examples/echo
//! ```
use std::io::Write;
use std::sync::Arc;

use lambda_extension::{service_fn, Buffering, Error, Extension, LogType, Record, RecordBody};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let path: Arc<str> = std::env::var("LOG_FILE")
        .unwrap_or_else(|_| "/tmp/function-logs.jsonl".to_owned())
        .into();
    // Deliver at least every 100 ms: good for a demo, more requests in production.
    let buffering = Buffering::new().with_timeout_ms(100)?;
    Extension::new()
        .with_log_types(&[LogType::Function])
        .with_logs_buffering(buffering)
        .with_logs_processor(service_fn(move |batch: Vec<Record>| {
            let path = path.clone();
            async move {
                let mut lines = Vec::new();
                for record in batch
                    .iter()
                    .filter(|r| matches!(r.body, RecordBody::Function(_)))
                {
                    serde_json::to_writer(&mut lines, record)?;
                    lines.push(b'\n');
                }
                // Small appends: a blocking write is simpler than a file task and as fast.
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&*path)
                    .and_then(|mut file| file.write_all(&lines))?;
                Ok::<(), Error>(())
            }
        }))
        .run()
        .await?;
    Ok(())
}
