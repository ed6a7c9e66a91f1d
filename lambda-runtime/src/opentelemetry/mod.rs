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
