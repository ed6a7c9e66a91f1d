//! An OTLP/HTTP receiver on loopback that decodes the protobuf (`opentelemetry-proto`): what the
//! OpenTelemetry tests (`tests/opentelemetry.rs`) export to.
#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as ProtoValue;
use opentelemetry_proto::tonic::common::v1::KeyValue as ProtoKeyValue;
use prost::Message;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A span as the receiver decoded it.
#[derive(Debug, Clone)]
pub struct ReceivedSpan {
    pub name: String,
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: String,
    pub kind: i32,
    pub attributes: HashMap<String, Value>,
    pub status_code: i32,
    /// The attributes of the resource the span was exported with (`service.name`, ...).
    pub resource: HashMap<String, Value>,
    /// When the span started, in Unix nanoseconds (the exporting process's clock).
    pub start_unix_nano: u64,
    /// When the export carrying this span arrived at the receiver, in Unix nanoseconds.
    pub received_unix_nano: u64,
}

/// What happened, in order: exports arriving at the receiver, and marks the handler leaves.
#[derive(Debug, Clone)]
pub enum Entry {
    Export(Vec<ReceivedSpan>),
    Mark(String),
}

pub type Log = Arc<Mutex<Vec<Entry>>>;

/// An OTLP/HTTP receiver on loopback: decodes `ExportTraceServiceRequest` protobufs posted to
/// `/v1/traces` and appends their spans to the log. Stops when dropped.
pub struct Receiver {
    pub address: SocketAddr,
    pub log: Log,
    task: JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    pub async fn start(log: Log) -> Receiver {
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

    pub fn endpoint(&self) -> String {
        format!("http://{}/v1/traces", self.address)
    }

    /// The log as one line per entry: the mark's text, or `N spans` for an export.
    pub fn order(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|entry| match entry {
                Entry::Mark(mark) => mark.clone(),
                Entry::Export(spans) => format!("{} spans", spans.len()),
            })
            .collect()
    }

    /// Waits (at most `bound`) until `count` spans have arrived; returns them all.
    pub async fn wait_for_spans(
        &self,
        count: usize,
        bound: std::time::Duration,
    ) -> Vec<ReceivedSpan> {
        let deadline = tokio::time::Instant::now() + bound;
        loop {
            let spans = self.spans();
            if spans.len() >= count || tokio::time::Instant::now() >= deadline {
                return spans;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    pub fn spans(&self) -> Vec<ReceivedSpan> {
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
    let received_unix_nano = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut spans = Vec::new();
    for resource_spans in export.resource_spans {
        let resource = attributes(
            resource_spans
                .resource
                .map_or_else(Vec::new, |r| r.attributes),
        );
        let all = resource_spans.scope_spans.into_iter().flat_map(|s| s.spans);
        spans.extend(all.map(|span| ReceivedSpan {
            name: span.name,
            trace_id: hex(&span.trace_id),
            span_id: hex(&span.span_id),
            parent_span_id: hex(&span.parent_span_id),
            kind: span.kind,
            attributes: attributes(span.attributes),
            status_code: span.status.map_or(0, |s| s.code),
            resource: resource.clone(),
            start_unix_nano: span.start_time_unix_nano,
            received_unix_nano,
        }));
    }
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
