//! An external extension that counts invocations and prints a summary at SHUTDOWN.
//!
//! Lambda starts every executable in `/opt/extensions/`; this one registers under its file name
//! (`extension-basic`), sees each INVOKE, and at SHUTDOWN prints how many it saw and why the
//! environment is going away.
//!
//! ```text
//! cargo build --release --example extension-basic
//! mkdir -p opt/extensions && cp target/release/examples/extension-basic opt/extensions/
//! cargo run -p lambda-cli -- serve --extensions-dir opt/extensions -- target/release/examples/echo
//! ```
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use lambda_extension::{service_fn, Error, Extension, ExtensionError, NextEvent};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ExtensionError> {
    let invocations = Arc::new(AtomicU64::new(0));
    let extension = Extension::new()
        .with_events_processor(service_fn(move |event: NextEvent| {
            let invocations = invocations.clone();
            async move {
                match event {
                    NextEvent::Invoke(invoke) => {
                        let n = invocations.fetch_add(1, Ordering::Relaxed) + 1;
                        println!("[extension-basic] invocation {n}: {}", invoke.request_id);
                    }
                    NextEvent::Shutdown(shutdown) => {
                        println!(
                            "[extension-basic] shutting down ({}) after {} invocations",
                            shutdown.reason,
                            invocations.load(Ordering::Relaxed)
                        );
                    }
                    _ => {}
                }
                Ok::<(), Error>(())
            }
        }))
        .register()
        .await?;
    let registration = extension.registration();
    println!(
        "[extension-basic] registered for {} ({})",
        registration.function_name, registration.function_version
    );
    extension.run().await
}
