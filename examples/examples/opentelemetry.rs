//! OpenTelemetry traces: one span per invocation, exported over OTLP/HTTP after each response.
//!
//! The invocation's span follows OpenTelemetry's FaaS semantic conventions and is the child of
//! the invocation's X-Ray trace; the `tracing` spans inside the handler are its children. Spans
//! go to `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`, where a collector running
//! as a Lambda extension listens; the other standard `OTEL_*` variables apply too) and are
//! flushed after each response is posted, before the runtime asks for the next invocation.
//!
//! Lambda sends `Sampled=0` when the function's active tracing is off, and the default sampler
//! follows that decision: set `OTEL_TRACES_SAMPLER=always_on` to trace every invocation anyway.
//!
//! ```text
//! cargo build -p examples --example opentelemetry --features opentelemetry
//! OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_TRACES_SAMPLER=always_on \
//!   cargo run -p lambda-cli -- invoke --event '{"order_id":42,"items":3}' -- target/debug/examples/opentelemetry
//! ```
use lambda_runtime::opentelemetry::{
    current_xray_header, LambdaSpanProcessor, OpenTelemetryLayer, PlainHttpClient,
};
use lambda_runtime::{service_fn, Config, Error, LambdaEvent, Runtime};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithHttpConfig;
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::Resource;
use serde::{Deserialize, Serialize};
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

#[derive(Deserialize)]
struct Order {
    order_id: u64,
    items: u32,
}

#[derive(Serialize)]
struct Receipt {
    order_id: u64,
    total_cents: u64,
}

async fn handler(event: LambdaEvent<Order>) -> Result<Receipt, Error> {
    let order = event.payload;
    // A child of the invocation's span.
    let total_cents = price(&order)
        .instrument(tracing::info_span!(
            "price order",
            order.id = order.order_id
        ))
        .await;
    // A call to another AWS service carries the trace on in its X-Amzn-Trace-Id header.
    if let Some(header) = current_xray_header() {
        tracing::info!(x_amzn_trace_id = %header, "trace header for downstream calls");
    }
    Ok(Receipt {
        order_id: order.order_id,
        total_cents,
    })
}

async fn price(order: &Order) -> u64 {
    tracing::info!(items = order.items, "pricing");
    u64::from(order.items) * 1_250
}

// `pub(crate)`: lambda-runtime's `opentelemetry` test runs this very function as its function
// process, under the emulator, against a loopback OTLP receiver.
#[tokio::main(flavor = "current_thread")]
pub(crate) async fn main() -> Result<(), Error> {
    let config = Config::from_env();
    // OTLP over HTTP/protobuf, sent by this crate's own HTTP/1.1 client.
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(PlainHttpClient::new())
        .build()?;
    let processor = LambdaSpanProcessor::new(exporter);
    let flusher = processor.flusher();
    let mut resource = Resource::builder();
    if std::env::var_os("OTEL_SERVICE_NAME").is_none() {
        resource = resource.with_service_name(config.function_name.clone());
    }
    let provider = SdkTracerProvider::builder()
        .with_span_processor(processor)
        .with_resource(resource.build())
        .build();

    // Logs to stdout, and `tracing` spans to OpenTelemetry. The runtime's own span is left out:
    // the invocation's span stands for it.
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .without_time(),
        )
        .with(
            tracing_opentelemetry::layer()
                .with_tracer(provider.tracer("opentelemetry-example"))
                .with_filter(tracing_subscriber::filter::filter_fn(|meta| {
                    !meta.target().starts_with("lambda_runtime")
                })),
        )
        .init();

    Runtime::from_env()?
        .layer(OpenTelemetryLayer::new(provider.tracer("lambda")))
        .after_response(move || flusher.flush_and_log())
        .run(service_fn(handler))
        .await?;
    Ok(())
}
