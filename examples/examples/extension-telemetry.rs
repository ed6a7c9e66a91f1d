//! An external extension that reads `platform.report` from the Telemetry API and prints each
//! invocation's duration and memory.
//!
//! ```text
//! cargo build --release --example extension-telemetry
//! mkdir -p opt/extensions && cp target/release/examples/extension-telemetry opt/extensions/
//! cargo run -p lambda-cli -- serve --extensions-dir opt/extensions -- target/release/examples/echo
//! ```
use lambda_extension::{service_fn, Error, Extension, ExtensionError, LogType, Record, RecordBody};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ExtensionError> {
    Extension::new()
        .with_telemetry_types(&[LogType::Platform])
        .with_telemetry_processor(service_fn(|batch: Vec<Record>| async move {
            for record in &batch {
                if let RecordBody::Report(report) = &record.body {
                    let m = &report.metrics;
                    println!(
                        "[extension-telemetry] {}: {:.2} ms (billed {} ms{}), memory {} of {} MB",
                        report.request_id,
                        m.duration_ms,
                        m.billed_duration_ms,
                        m.init_duration_ms
                            .map(|d| format!(", init {d:.2} ms"))
                            .unwrap_or_default(),
                        m.max_memory_used_mb,
                        m.memory_size_mb,
                    );
                }
            }
            Ok::<(), Error>(())
        }))
        .run()
        .await
}
