//! The invocation span: a tower layer that wraps each invocation in one OpenTelemetry span.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use ::opentelemetry::trace::{SpanKind, Status, TraceContextExt, Tracer};
use ::opentelemetry::{Context, KeyValue};
use tower::{Layer, Service};

use super::xray::parse_xray_header;
use crate::LambdaEvent;

/// What triggered the function, as OpenTelemetry's `faas.trigger` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FaasTrigger {
    /// A change in a data store: S3, DynamoDB Streams, Kinesis.
    Datasource,
    /// An HTTP request: API Gateway, ALB, function URLs, VPC Lattice.
    Http,
    /// A message: SQS, SNS, EventBridge, Kafka, MQ.
    Pubsub,
    /// A schedule: EventBridge Scheduler, scheduled rules.
    Timer,
    /// Anything else, or not known (direct invocations, Step Functions, ...).
    #[default]
    Other,
}

impl FaasTrigger {
    /// The attribute value: `datasource`, `http`, `pubsub`, `timer` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            FaasTrigger::Datasource => "datasource",
            FaasTrigger::Http => "http",
            FaasTrigger::Pubsub => "pubsub",
            FaasTrigger::Timer => "timer",
            FaasTrigger::Other => "other",
        }
    }
}

/// A tower layer that makes one OpenTelemetry span per invocation, following OpenTelemetry's
/// FaaS semantic conventions.
///
/// The span is named after the function and carries `faas.invocation_id`, `faas.trigger`,
/// `faas.coldstart` (true for the first invocation this layer sees, i.e. of the process),
/// `faas.name`, `faas.version`, `cloud.provider` (`aws`), `cloud.region`, `cloud.resource_id`
/// (the invoked ARN) and `cloud.account.id` (from the ARN). Its parent is the invocation's X-Ray
/// trace header ([`parse_xray_header`]); without one, or with a malformed one, it starts a new
/// trace. While the handler runs, the span is the current OpenTelemetry context, so spans the
/// handler starts (with the OpenTelemetry API, or `tracing` spans through
/// `tracing-opentelemetry`) are its children. A handler error sets the span's status to error.
///
/// Export the spans with a [`LambdaSpanProcessor`](super::LambdaSpanProcessor) and flush it
/// after each response: see the [module docs](super).
///
/// ```
/// use lambda_runtime::opentelemetry::{FaasTrigger, OpenTelemetryLayer};
/// use lambda_runtime::tower::{Layer, ServiceBuilder};
/// use lambda_runtime::{service_fn, Error, LambdaEvent};
/// use opentelemetry::trace::TracerProvider as _;
///
/// let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder().build();
/// let handler = ServiceBuilder::new()
///     .layer(OpenTelemetryLayer::new(provider.tracer("my-function")).with_trigger(FaasTrigger::Pubsub))
///     .service(service_fn(|event: LambdaEvent<serde_json::Value>| async move {
///         Ok::<_, Error>(event.payload)
///     }));
/// # let _ = handler;
/// ```
#[derive(Debug, Clone)]
pub struct OpenTelemetryLayer<Tr> {
    tracer: Tr,
    /// Set by `with_trigger`; else inferred from the event type.
    trigger: Option<FaasTrigger>,
    /// Shared by every service this layer makes (each poller's clone): one cold start.
    cold: Arc<AtomicBool>,
}

impl<Tr> OpenTelemetryLayer<Tr> {
    /// A layer whose spans `tracer` starts. The trigger is [`FaasTrigger::Http`] for the HTTP
    /// adapter's events (feature `http`), [`FaasTrigger::Other`] for any other event type unless
    /// set with [`with_trigger`](OpenTelemetryLayer::with_trigger).
    pub fn new(tracer: Tr) -> Self {
        OpenTelemetryLayer {
            tracer,
            trigger: None,
            cold: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Sets `faas.trigger`: what kind of event source invokes this function.
    pub fn with_trigger(mut self, trigger: FaasTrigger) -> Self {
        self.trigger = Some(trigger);
        self
    }
}

impl<S, Tr: Clone> Layer<S> for OpenTelemetryLayer<Tr> {
    type Service = OpenTelemetryService<S, Tr>;

    fn layer(&self, inner: S) -> Self::Service {
        OpenTelemetryService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`OpenTelemetryLayer`] wraps a handler in.
#[derive(Debug, Clone)]
pub struct OpenTelemetryService<S, Tr> {
    inner: S,
    layer: OpenTelemetryLayer<Tr>,
}

impl<S, Tr, T> Service<LambdaEvent<T>> for OpenTelemetryService<S, Tr>
where
    S: Service<LambdaEvent<T>>,
    Tr: Tracer,
    Tr::Span: Send + Sync + 'static,
    T: 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = InvocationSpan<S::Future>;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, event: LambdaEvent<T>) -> Self::Future {
        let trigger = self.layer.trigger.unwrap_or_else(trigger_of::<T>);
        let cx = self.start_span(&event.context, trigger);
        // The span is current while the handler's call builds its future, as while it runs.
        let inner = {
            let _guard = cx.clone().attach();
            self.inner.call(event)
        };
        InvocationSpan { inner, cx }
    }
}

impl<S, Tr> OpenTelemetryService<S, Tr>
where
    Tr: Tracer,
    Tr::Span: Send + Sync + 'static,
{
    /// Starts the invocation's span, child of the X-Ray parent, and returns it as a context.
    fn start_span(&self, context: &crate::Context, trigger: FaasTrigger) -> Context {
        let parent = match context.xray_trace_id.as_deref().map(parse_xray_header) {
            Some(Ok(parent)) => Context::new().with_remote_span_context(parent),
            Some(Err(e)) => {
                tracing::debug!(error = %e, "no parent for the invocation's span");
                Context::new()
            }
            None => Context::new(),
        };
        let config = &context.env_config;
        let arn = context.invoked_function_arn.as_str();
        let cold = self.layer.cold.swap(false, Ordering::Relaxed);
        let mut attributes = Vec::with_capacity(10);
        attributes.extend([
            KeyValue::new("faas.invocation_id", context.request_id.clone()),
            KeyValue::new("faas.trigger", trigger.as_str()),
            KeyValue::new("faas.coldstart", cold),
            KeyValue::new("faas.name", config.function_name.clone()),
            KeyValue::new("faas.version", config.function_version.clone()),
            KeyValue::new("cloud.provider", "aws"),
            KeyValue::new("cloud.region", config.region.clone()),
        ]);
        if !arn.is_empty() {
            attributes.push(KeyValue::new("cloud.resource_id", arn.to_owned()));
        }
        if let Some(account) = account_id(arn) {
            attributes.push(KeyValue::new("cloud.account.id", account.to_owned()));
        }
        let kind = match trigger {
            FaasTrigger::Pubsub => SpanKind::Consumer,
            _ => SpanKind::Server,
        };
        let tracer = &self.layer.tracer;
        let span = tracer
            .span_builder(Cow::Owned(config.function_name.clone()))
            .with_kind(kind)
            .with_attributes(attributes)
            .start_with_context(tracer, &parent);
        parent.with_span(span)
    }
}

/// The trigger the event type tells, when it tells one: the HTTP adapter's requests are `http`.
/// (A comparison of two constants: free after inlining.)
fn trigger_of<T: 'static>() -> FaasTrigger {
    let event = std::any::TypeId::of::<T>();
    #[cfg(feature = "http")]
    if event == std::any::TypeId::of::<crate::http::LambdaRequest>() {
        return FaasTrigger::Http;
    }
    let _ = event;
    FaasTrigger::Other
}

/// The account id in a Lambda ARN: `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
fn account_id(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    if parts.next() != Some("arn") {
        return None;
    }
    let account = parts.nth(3)?;
    (!account.is_empty() && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

pin_project_lite::pin_project! {
    /// The handler's future, run with the invocation's span as the current context; the span
    /// ends when the handler's future completes (or is dropped).
    pub struct InvocationSpan<F> {
        #[pin]
        inner: F,
        cx: Context,
    }
}

impl<F, R, E> Future for InvocationSpan<F>
where
    F: Future<Output = Result<R, E>>,
{
    type Output = Result<R, E>;

    fn poll(self: Pin<&mut Self>, task: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = {
            let _guard = this.cx.clone().attach();
            match this.inner.poll(task) {
                Poll::Ready(result) => result,
                Poll::Pending => return Poll::Pending,
            }
        };
        let span = this.cx.span();
        if result.is_err() {
            span.set_status(Status::error("the handler returned an error"));
        }
        span.end();
        Poll::Ready(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_id_is_the_fifth_field_of_a_lambda_arn() {
        let cases = [
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f",
                Some("123456789012"),
            ),
            (
                "arn:aws:lambda:eu-west-1:210987654321:function:f:live",
                Some("210987654321"),
            ),
            (
                "arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
                Some("123456789012"),
            ),
            ("", None),
            ("not-an-arn", None),
            ("arn:aws:lambda:us-east-1::function:f", None),
            ("arn:aws:lambda:us-east-1:12345abc:function:f", None),
        ];
        for (arn, expected) in cases {
            assert_eq!(account_id(arn), expected, "{arn}");
        }
    }

    #[test]
    fn trigger_values_are_the_semantic_conventions_names() {
        let names: Vec<_> = [
            FaasTrigger::Datasource,
            FaasTrigger::Http,
            FaasTrigger::Pubsub,
            FaasTrigger::Timer,
            FaasTrigger::Other,
        ]
        .iter()
        .map(|t| t.as_str())
        .collect();
        assert_eq!(names, ["datasource", "http", "pubsub", "timer", "other"]);
        assert_eq!(FaasTrigger::default(), FaasTrigger::Other);
    }

    #[test]
    fn the_trigger_is_inferred_from_the_event_type_when_it_tells_one() {
        assert_eq!(trigger_of::<serde_json::Value>(), FaasTrigger::Other);
        #[cfg(feature = "http")]
        assert_eq!(
            trigger_of::<crate::http::LambdaRequest>(),
            FaasTrigger::Http
        );
    }
}
