//! `echo` on our runtime with the `opentelemetry` feature's layer: one span per invocation
//! (FaaS attributes, parent from the X-Ray header), held by `LambdaSpanProcessor` and flushed
//! after every response to an exporter that discards the batch. The difference to `ours-echo`
//! is the cost of the span, its processor and the flush hook; not of an export over the network.
use lambda_runtime::opentelemetry::{LambdaSpanProcessor, OpenTelemetryLayer};
use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider, SpanData, SpanExporter};
use serde_json::Value;

/// Accepts every batch and drops it.
#[derive(Debug)]
struct Discard;

impl SpanExporter for Discard {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        drop(batch);
        Ok(())
    }
}

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let processor = LambdaSpanProcessor::new(Discard);
    let flusher = processor.flusher();
    // Every span recorded and exported, whatever the bench server's trace header says.
    let provider = SdkTracerProvider::builder()
        .with_sampler(Sampler::AlwaysOn)
        .with_span_processor(processor)
        .build();
    Runtime::from_env()?
        .layer(OpenTelemetryLayer::new(provider.tracer("bench")))
        .after_response(move || flusher.flush_and_log())
        .run(service_fn(echo))
        .await?;
    Ok(())
}
