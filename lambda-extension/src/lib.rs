//! Write AWS Lambda extensions in Rust: the Extensions, Logs and Telemetry APIs, with your
//! processing as `tower::Service`s.
//!
//! The smallest complete extension counts invocations and prints the count at shutdown:
//!
//! ```no_run
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use std::sync::Arc;
//!
//! use lambda_extension::{service_fn, Error, Extension, NextEvent};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda_extension::ExtensionError> {
//!     let count = Arc::new(AtomicU64::new(0));
//!     Extension::new()
//!         .with_events_processor(service_fn(move |event: NextEvent| {
//!             let count = count.clone();
//!             async move {
//!                 match event {
//!                     NextEvent::Invoke(_) => {
//!                         count.fetch_add(1, Ordering::Relaxed);
//!                     }
//!                     NextEvent::Shutdown(_) => {
//!                         println!("{} invocations", count.load(Ordering::Relaxed));
//!                     }
//!                     _ => {}
//!                 }
//!                 Ok::<(), Error>(())
//!             }
//!         }))
//!         .run()
//!         .await
//! }
//! ```
//!
//! - [`Extension`] registers (named after the executable, as Lambda requires), subscribes to
//!   the Logs and/or Telemetry API when given a processor for them, and loops on `next`.
//!   [`Extension::register`] hands back the [`Registration`] before the loop starts.
//! - Log and telemetry batches arrive on one local [`Listener`] as typed [`Record`]s.
//! - Errors of the events processor are reported to Lambda (`/extension/init/error` before the
//!   first event, `/extension/exit/error` after) and returned from `run`.
//! - [`Extension::internal`] makes an internal extension, run in the function's process next to
//!   `lambda_runtime::run`.
//!
//! The HTTP client is `lambda_runtime::client`, shared with the runtime.
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

pub mod api;
mod error;
mod event;
mod extension;
pub mod listener;
mod processor;
pub mod records;
mod subscription;

pub use api::Registration;
pub use error::{ExtensionError, Stage};
pub use event::{EventType, InvokeEvent, NextEvent, ShutdownEvent, ShutdownReason, Tracing};
pub use extension::{Extension, RegisteredExtension};
pub use lambda_runtime::{Diagnostic, RUNTIME_API_VAR};
pub use listener::{Listener, ListenerConfig, ListenerError};
pub use processor::BatchProcessor;
pub use records::{LogMessage, Record, RecordBody};
pub use subscription::{
    Buffering, BufferingError, BufferingField, LogType, TelemetrySchema, LOGS_SCHEMA_VERSION,
};
pub use tower::{self, service_fn, Service};

/// A boxed error, accepted from every processor (it converts into a [`Diagnostic`]).
pub type Error = lambda_runtime::Error;
