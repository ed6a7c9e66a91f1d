//! OpenTelemetry end to end: a function wrapped in `OpenTelemetryLayer` runs against the
//! emulator's Runtime API, exports over OTLP/HTTP (opentelemetry-otlp with `PlainHttpClient`) to
//! a real OTLP/HTTP receiver on loopback that decodes the protobuf, and the test reads what
//! arrived there.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use lambda_emulator::{Invocation, Outcome, RuntimeApi};
use lambda_runtime::client::Endpoint;
use lambda_runtime::opentelemetry::{
    FaasTrigger, Flusher, LambdaSpanProcessor, OpenTelemetryLayer, PlainHttpClient,
};
use lambda_runtime::tower::ServiceBuilder;
use lambda_runtime::{service_fn, Config, Error, LambdaEvent, Runtime};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as ProtoValue;
use opentelemetry_proto::tonic::common::v1::KeyValue as ProtoKeyValue;
use opentelemetry_sdk::trace::SdkTracerProvider;
use prost::Message;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer as _;

/// Every wait in these tests is bounded by this.
const BOUND: Duration = Duration::from_secs(20);

/// A span as the receiver decoded it.
#[derive(Debug, Clone)]
struct ReceivedSpan {
    name: String,
    trace_id: String,
    span_id: String,
    parent_span_id: String,
    kind: i32,
    attributes: HashMap<String, Value>,
    status_code: i32,
}

/// What happened, in order: exports arriving at the receiver, and marks the handler leaves.
#[derive(Debug, Clone)]
enum Entry {
    Export(Vec<ReceivedSpan>),
    Mark(String),
}

type Log = Arc<Mutex<Vec<Entry>>>;

/// An OTLP/HTTP receiver on loopback: decodes `ExportTraceServiceRequest` protobufs posted to
/// `/v1/traces` and appends their spans to the log. Stops when dropped.
struct Receiver {
    address: SocketAddr,
    log: Log,
    task: JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    async fn start(log: Log) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let task_log = log.clone();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let log = task_log.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let log = log.clone();
                        async move { Ok::<_, Infallible>(receive(request, &log).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Receiver { address, log, task }
    }

    fn endpoint(&self) -> String {
        format!("http://{}/v1/traces", self.address)
    }

    fn spans(&self) -> Vec<ReceivedSpan> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter_map(|entry| match entry {
                Entry::Export(spans) => Some(spans.clone()),
                Entry::Mark(_) => None,
            })
            .flatten()
            .collect()
    }
}

async fn receive(request: Request<Incoming>, log: &Log) -> Response<Full<Bytes>> {
    let reply = |status: StatusCode, body: Vec<u8>| {
        Response::builder()
            .status(status)
            .header("content-type", "application/x-protobuf")
            .body(Full::new(Bytes::from(body)))
            .unwrap()
    };
    let protobuf = request
        .headers()
        .get("content-type")
        .is_some_and(|v| v == "application/x-protobuf");
    if request.uri().path() != "/v1/traces" || !protobuf {
        return reply(StatusCode::NOT_FOUND, Vec::new());
    }
    let body = request.into_body().collect().await.unwrap().to_bytes();
    let Ok(export) = ExportTraceServiceRequest::decode(body) else {
        return reply(StatusCode::BAD_REQUEST, Vec::new());
    };
    let spans = export
        .resource_spans
        .into_iter()
        .flat_map(|r| r.scope_spans)
        .flat_map(|s| s.spans)
        .map(|span| ReceivedSpan {
            name: span.name,
            trace_id: hex(&span.trace_id),
            span_id: hex(&span.span_id),
            parent_span_id: hex(&span.parent_span_id),
            kind: span.kind,
            attributes: attributes(span.attributes),
            status_code: span.status.map_or(0, |s| s.code),
        })
        .collect();
    log.lock().unwrap().push(Entry::Export(spans));
    reply(
        StatusCode::OK,
        ExportTraceServiceResponse::default().encode_to_vec(),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn attributes(list: Vec<ProtoKeyValue>) -> HashMap<String, Value> {
    list.into_iter()
        .map(|kv| {
            let value = match kv.value.and_then(|v| v.value) {
                Some(ProtoValue::StringValue(s)) => json!(s),
                Some(ProtoValue::BoolValue(b)) => json!(b),
                Some(ProtoValue::IntValue(i)) => json!(i),
                Some(ProtoValue::DoubleValue(d)) => json!(d),
                other => json!(format!("{other:?}")),
            };
            (kv.key, value)
        })
        .collect()
}

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
    let service = ServiceBuilder::new()
        .layer(OpenTelemetryLayer::new(provider.tracer("lambda")).with_trigger(FaasTrigger::Pubsub))
        .service(handler);
    let runtime = tokio::spawn(runtime_for(&api).run(service));

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
        tokio::time::timeout(BOUND, flusher.flush())
            .await
            .unwrap()
            .unwrap();
    }

    // Each invocation's spans reached the receiver before the next invocation started.
    let order: Vec<String> = log
        .lock()
        .unwrap()
        .iter()
        .map(|entry| match entry {
            Entry::Mark(request_id) => request_id.clone(),
            Entry::Export(spans) => format!("{} spans", spans.len()),
        })
        .collect();
    assert_eq!(
        order,
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
