//! OpenTelemetry end to end: a function wrapped in `OpenTelemetryLayer` runs against the
//! emulator's Runtime API, exports over OTLP/HTTP (opentelemetry-otlp with `PlainHttpClient`) to
//! a real OTLP/HTTP receiver on loopback that decodes the protobuf, and the test reads what
//! arrived there. The first test runs the function in this process; the second runs the
//! `opentelemetry` example's `main` as the function process of a `lambda_emulator::Environment`
//! (this test binary, started again with only `example_function_process`).

mod common {
    pub mod otlp;
}

#[path = "../../examples/examples/opentelemetry.rs"]
mod example;

use std::time::Duration;

use common::otlp::{Entry, Log, ReceivedSpan, Receiver};
use lambda_emulator::{Environment, FunctionConfig, Invocation, Outcome, RuntimeApi};
use lambda_runtime::client::Endpoint;
use lambda_runtime::opentelemetry::{
    FaasTrigger, Flusher, LambdaSpanProcessor, OpenTelemetryLayer, PlainHttpClient,
};
use lambda_runtime::{service_fn, Config, Error, LambdaEvent, Runtime};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;
use serde_json::{json, Value};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer as _;

/// Every wait in these tests is bounded by this.
const BOUND: Duration = Duration::from_secs(20);

/// The function's pieces: a tracer provider exporting to the receiver through
/// `LambdaSpanProcessor`, and its flusher.
fn telemetry(
    receiver: &Receiver,
) -> (SdkTracerProvider, Flusher<opentelemetry_otlp::SpanExporter>) {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(PlainHttpClient::new())
        .with_endpoint(receiver.endpoint())
        .build()
        .unwrap();
    let processor = LambdaSpanProcessor::new(exporter);
    let flusher = processor.flusher();
    let provider = SdkTracerProvider::builder()
        .with_span_processor(processor)
        .build();
    (provider, flusher)
}

fn runtime_for(api: &RuntimeApi) -> Runtime {
    let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
    Runtime::new(endpoint, Config::default())
}

const TRACE: &str = "5759e988bd862e3fe1be46a994272793";
const PARENT: &str = "53995c3f42cd8ad8";

fn xray(parent: &str) -> String {
    format!(
        "Root=1-{}-{};Parent={parent};Sampled=1",
        &TRACE[..8],
        &TRACE[8..]
    )
}

#[tokio::test]
async fn invocation_span_is_a_child_of_the_xray_parent_with_faas_attributes_and_the_handler_span_below_it(
) {
    let log = Log::default();
    let receiver = Receiver::start(log.clone()).await;
    let (provider, flusher) = telemetry(&receiver);
    // `tracing` spans go to OpenTelemetry; the runtime's own span stays out of the trace.
    let subscriber = tracing_subscriber::registry().with(
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("test"))
            .with_filter(tracing_subscriber::filter::filter_fn(|meta| {
                !meta.target().starts_with("lambda_runtime")
            })),
    );
    let _default = tracing::subscriber::set_default(subscriber);

    let api = RuntimeApi::start().await.unwrap();
    let marks = log.clone();
    let handler = service_fn(move |event: LambdaEvent<Value>| {
        let marks = marks.clone();
        async move {
            marks
                .lock()
                .unwrap()
                .push(Entry::Mark(event.context.request_id.clone()));
            let span = tracing::info_span!("handler work", item = 7);
            let _entered = span.enter();
            if event.payload["fail"] == true {
                return Err(Error::from("failed on purpose"));
            }
            Ok::<_, Error>(json!({ "ok": true }))
        }
    });
    let runtime = runtime_for(&api)
        .layer(OpenTelemetryLayer::new(provider.tracer("lambda")).with_trigger(FaasTrigger::Pubsub))
        .after_response(move || flusher.flush_and_log());
    let runtime = tokio::spawn(runtime.run(handler));

    for (payload, parent) in [
        (json!({}), PARENT),
        (json!({"fail": true}), "0123456789abcdef"),
    ] {
        let outcome = tokio::time::timeout(
            BOUND,
            api.invoke(Invocation {
                trace_id: Some(xray(parent)),
                request_id: Some(format!("request-{parent}")),
                ..Invocation::from(payload)
            }),
        )
        .await
        .unwrap();
        assert!(
            matches!(outcome, Outcome::Response(_) | Outcome::Error(_)),
            "{outcome:?}"
        );
    }
    // The caller has the last answer as soon as it is posted; the flush follows it.
    receiver.wait_for_spans(4, BOUND).await;

    // Each invocation's spans reached the receiver before the next invocation started.
    assert_eq!(
        receiver.order(),
        [
            format!("request-{PARENT}"),
            "2 spans".to_owned(),
            "request-0123456789abcdef".to_owned(),
            "2 spans".to_owned()
        ]
    );

    let spans = receiver.spans();
    assert_eq!(spans.len(), 4, "{spans:#?}");
    let by_name =
        |name: &str| -> Vec<&ReceivedSpan> { spans.iter().filter(|s| s.name == name).collect() };
    let invocations = by_name("function");
    let work = by_name("handler work");
    assert_eq!((invocations.len(), work.len()), (2, 2), "{spans:#?}");

    let first = invocations[0];
    assert_eq!(first.trace_id, TRACE);
    assert_eq!(first.parent_span_id, PARENT);
    assert_eq!(first.kind, 5, "SPAN_KIND_CONSUMER for a pubsub trigger");
    let expected = json!({
        "faas.invocation_id": format!("request-{PARENT}"),
        "faas.trigger": "pubsub",
        "faas.coldstart": true,
        "faas.name": "function",
        "faas.version": "$LATEST",
        "cloud.provider": "aws",
        "cloud.region": "us-east-1",
        "cloud.resource_id": "arn:aws:lambda:us-east-1:012345678912:function:function",
        "cloud.account.id": "012345678912",
    });
    assert_eq!(serde_json::to_value(&first.attributes).unwrap(), expected);
    assert_eq!(first.status_code, 0, "unset on success");
    assert_eq!(work[0].trace_id, TRACE);
    assert_eq!(
        work[0].parent_span_id, first.span_id,
        "the handler's span is a child of the invocation's"
    );

    let second = invocations[1];
    assert_eq!(second.parent_span_id, "0123456789abcdef");
    assert_eq!(second.attributes["faas.coldstart"], json!(false));
    assert_eq!(
        second.status_code, 2,
        "STATUS_CODE_ERROR for a handler error"
    );
    assert_eq!(work[1].parent_span_id, second.span_id);

    runtime.abort();
    drop(api);
}

/// Set in the environment of the function process `example_function_process` runs as.
const RUN_EXAMPLE: &str = "LAMBDA_RUNTIME_TEST_RUN_OTEL_EXAMPLE";

/// The function process of the next test (does nothing in a normal test run).
#[test]
fn example_function_process() {
    if std::env::var_os(RUN_EXAMPLE).is_some() {
        example::main().unwrap();
    }
}

fn xray_header(trace: &str, parent: &str, sampled: u8) -> String {
    format!(
        "Root=1-{}-{};Parent={parent};Sampled={sampled}",
        &trace[..8],
        &trace[8..]
    )
}

#[tokio::test]
async fn example_exports_each_sampled_invocation_over_otlp_before_the_next_one_starts() {
    let receiver = Receiver::start(Log::default()).await;
    // This test binary, running only `example_function_process`: the example's `main`.
    let mut config = FunctionConfig::new(
        std::env::current_exe().unwrap(),
        ["--exact", "example_function_process", "--nocapture"],
    );
    config.function_name = "orders".to_owned();
    config.timeout = Duration::from_secs(10);
    config.env = vec![
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT".to_owned(),
            format!("http://{}", receiver.address),
        ),
        (RUN_EXAMPLE.to_owned(), "1".to_owned()),
    ];
    let environment = Environment::start(config).await.unwrap();

    let traces = [
        ("5759e988bd862e3fe1be46a994272793", "53995c3f42cd8ad8", 1),
        ("6759e988bd862e3fe1be46a994272794", "63995c3f42cd8ad9", 1),
        ("7759e988bd862e3fe1be46a994272795", "73995c3f42cd8ada", 0),
        ("8759e988bd862e3fe1be46a994272796", "83995c3f42cd8adb", 1),
    ];
    for (i, (trace, parent, sampled)) in traces.iter().enumerate() {
        let invocation = Invocation {
            trace_id: Some(xray_header(trace, parent, *sampled)),
            ..Invocation::from(json!({ "order_id": i, "items": 2 }))
        };
        let outcome = tokio::time::timeout(BOUND, environment.invoke(invocation))
            .await
            .unwrap();
        match outcome {
            Outcome::Response(response) => assert_eq!(
                response.json().unwrap(),
                json!({ "order_id": i, "total_cents": 2500 })
            ),
            other => panic!("invocation {i} failed: {other:?}"),
        }
    }
    // Three sampled invocations, two spans each (the invocation's and the handler's child);
    // `Sampled=0` is respected by the default (parent-based) sampler.
    let spans = receiver.wait_for_spans(6, BOUND).await;
    environment.shutdown().await;
    assert_eq!(spans.len(), 6, "{spans:#?}");

    let invocations: Vec<_> = spans.iter().filter(|s| s.name == "orders").collect();
    let children: Vec<_> = spans.iter().filter(|s| s.name == "price order").collect();
    assert_eq!((invocations.len(), children.len()), (3, 3), "{spans:#?}");
    for (span, (trace, parent, _)) in invocations.iter().zip([traces[0], traces[1], traces[3]]) {
        assert_eq!(span.trace_id, trace);
        assert_eq!(span.parent_span_id, parent);
        assert_eq!(span.attributes["faas.name"], json!("orders"));
        assert_eq!(span.attributes["faas.trigger"], json!("other"));
        assert_eq!(
            span.attributes["cloud.resource_id"],
            json!("arn:aws:lambda:us-east-1:012345678912:function:orders")
        );
        assert_eq!(span.resource["service.name"], json!("orders"));
        let child = children
            .iter()
            .find(|c| c.parent_span_id == span.span_id)
            .expect("the handler's span is a child of the invocation's");
        assert_eq!(child.trace_id, trace);
    }
    assert_eq!(invocations[0].attributes["faas.coldstart"], json!(true));
    assert_eq!(invocations[1].attributes["faas.coldstart"], json!(false));
    // Each invocation's spans arrived before the next invocation started: flushed after its
    // response, before the runtime asked for the next event.
    assert!(
        invocations[0].received_unix_nano < invocations[1].start_unix_nano,
        "{invocations:#?}"
    );
    assert!(
        invocations[1].received_unix_nano < invocations[2].start_unix_nano,
        "{invocations:#?}"
    );
}
