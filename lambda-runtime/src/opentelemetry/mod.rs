//! OpenTelemetry traces for Lambda functions (feature `opentelemetry`).
//!
//! Three pieces, each usable on its own:
//!
//! - [`OpenTelemetryLayer`]: a tower layer that makes one span per invocation following
//!   OpenTelemetry's FaaS semantic conventions, child of the invocation's X-Ray trace header.
//! - [`LambdaSpanProcessor`] and its [`Flusher`]: ended spans wait in memory and are exported
//!   after each response is posted, before the runtime asks for the next invocation (Lambda may
//!   freeze the process as soon as it asks), bounded in time ([`DEFAULT_FLUSH_TIMEOUT`]).
//! - [`PlainHttpClient`]: the HTTP transport for `opentelemetry-otlp`'s OTLP/HTTP exporter, over
//!   this crate's own hyper connection (plain HTTP, no TLS stack, no gRPC).
//!
//! And the X-Ray header in both directions: [`parse_xray_header`] (incoming) and
//! [`xray_header`] / [`current_xray_header`] (outgoing calls to other AWS services).
//!
//! ```no_run
//! use lambda_runtime::opentelemetry::{LambdaSpanProcessor, OpenTelemetryLayer, PlainHttpClient};
//! use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
//! use opentelemetry::trace::TracerProvider as _;
//! use opentelemetry_sdk::trace::SdkTracerProvider;
//! use opentelemetry_otlp::WithHttpConfig;
//!
//! async fn handler(event: LambdaEvent<serde_json::Value>) -> Result<serde_json::Value, Error> {
//!     Ok(event.payload)
//! }
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Error> {
//!     // OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318).
//!     let exporter = opentelemetry_otlp::SpanExporter::builder()
//!         .with_http()
//!         .with_http_client(PlainHttpClient::new())
//!         .build()?;
//!     let processor = LambdaSpanProcessor::new(exporter);
//!     let flusher = processor.flusher();
//!     let provider = SdkTracerProvider::builder().with_span_processor(processor).build();
//!     Runtime::from_env()?
//!         .layer(OpenTelemetryLayer::new(provider.tracer("my-function")))
//!         .after_response(move || flusher.flush_and_log())
//!         .run(service_fn(handler))
//!         .await?;
//!     Ok(())
//! }
//! ```
//!
//! The `opentelemetry` example adds `tracing` spans inside the handler (through
//! `tracing-opentelemetry`) and a resource named after the function.
//!
//! # Sampling
//!
//! The span's parent carries the X-Ray sampling decision. Lambda sends `Sampled=0` when active
//! tracing is off, and the SDK's default sampler (parent-based) then records nothing: turn on
//! active tracing, or choose a sampler such as `Sampler::AlwaysOn` that ignores the parent.
mod http_client;
mod layer;
mod processor;
mod xray;

pub use http_client::{PlainHttpClient, PlainHttpError};
pub use layer::{FaasTrigger, InvocationSpan, OpenTelemetryLayer, OpenTelemetryService};
pub use processor::{
    FlushError, Flusher, LambdaSpanProcessor, DEFAULT_FLUSH_TIMEOUT, DEFAULT_MAX_SPANS,
};
pub use xray::{
    current_xray_header, parse_xray_header, xray_header, XrayHeaderError, XRAY_TRACE_HEADER,
};
