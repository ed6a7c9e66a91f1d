//! Spans held in memory during an invocation and exported after its response.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ::opentelemetry::Context;
use opentelemetry_sdk::error::{OTelSdkError, OTelSdkResult};
use opentelemetry_sdk::trace::{Span, SpanData, SpanExporter, SpanProcessor};
use opentelemetry_sdk::Resource;

/// How long [`Flusher::flush`] waits for the exporter by default.
pub const DEFAULT_FLUSH_TIMEOUT: Duration = Duration::from_millis(500);

/// How many ended spans are held between flushes by default; more are dropped (and counted).
pub const DEFAULT_MAX_SPANS: usize = 2048;

/// A span processor for Lambda: ended spans wait in memory and are exported by
/// [`Flusher::flush`], which the runtime calls after each response is posted and before it asks
/// for the next invocation.
///
/// Why not the SDK's processors: the batch processor exports from its own thread, with a timer
/// that Lambda's freeze between invocations stalls, and needs an HTTP client that brings its own
/// runtime (a blocking client and its thread); its async-runtime variant's `force_flush` blocks
/// the calling thread on a reply from a task, a deadlock when that task needs the same
/// current-thread runtime (the SDK's `TokioCurrentThread` avoids it with yet another thread and
/// runtime). The simple processor exports as each span ends, before the response is posted,
/// adding the export to the caller's latency. Here a span's end costs one push into a `Vec`; the
/// export is one async call on the runtime's own task, bounded in time, at the one moment that
/// adds no latency (see BENCHMARKS.md for both costs).
///
/// ```
/// use lambda_runtime::opentelemetry::LambdaSpanProcessor;
/// use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
///
/// let processor = LambdaSpanProcessor::new(InMemorySpanExporter::default());
/// let flusher = processor.flusher();
/// let provider = SdkTracerProvider::builder().with_span_processor(processor).build();
/// // Then: Runtime::from_env()?.after_response(move || flusher.flush_and_log())
/// # let _ = (provider, flusher);
/// ```
#[derive(Debug)]
pub struct LambdaSpanProcessor<E> {
    shared: Arc<Shared<E>>,
}

#[derive(Debug)]
struct Shared<E> {
    spans: Mutex<Vec<SpanData>>,
    max_spans: usize,
    /// Spans dropped because `max_spans` were already waiting (reported by the next flush).
    dropped: AtomicUsize,
    /// Exports one at a time, as `SpanExporter` requires.
    exporter: tokio::sync::Mutex<E>,
    shut_down: AtomicBool,
}

impl<E: SpanExporter + 'static> LambdaSpanProcessor<E> {
    /// A processor exporting with `exporter` (for example `opentelemetry_otlp::SpanExporter`
    /// over [`PlainHttpClient`](super::PlainHttpClient)).
    pub fn new(exporter: E) -> Self {
        Self::with_max_spans(exporter, DEFAULT_MAX_SPANS)
    }

    /// A processor that holds at most `max_spans` ended spans between two flushes.
    pub fn with_max_spans(exporter: E, max_spans: usize) -> Self {
        LambdaSpanProcessor {
            shared: Arc::new(Shared {
                spans: Mutex::new(Vec::new()),
                max_spans,
                dropped: AtomicUsize::new(0),
                exporter: tokio::sync::Mutex::new(exporter),
                shut_down: AtomicBool::new(false),
            }),
        }
    }

    /// A handle that exports the waiting spans: give it to the runtime's after-response hook.
    pub fn flusher(&self) -> Flusher<E> {
        Flusher {
            shared: self.shared.clone(),
            timeout: DEFAULT_FLUSH_TIMEOUT,
        }
    }
}

impl<E> Shared<E> {
    fn take(&self) -> Vec<SpanData> {
        std::mem::take(&mut *self.spans.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl<E: SpanExporter> SpanProcessor for LambdaSpanProcessor<E> {
    fn on_start(&self, _span: &mut Span, _cx: &Context) {}

    fn on_end(&self, span: SpanData) {
        if !span.span_context.is_sampled() || self.shared.shut_down.load(Ordering::Relaxed) {
            return;
        }
        let mut spans = self
            .shared
            .spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if spans.len() < self.shared.max_spans {
            spans.push(span);
        } else {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Cannot export: an export needs the tokio runtime this call would block. Succeeds when
    /// nothing is waiting; otherwise says to use [`Flusher::flush`].
    fn force_flush(&self) -> OTelSdkResult {
        let waiting = self
            .shared
            .spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        if waiting == 0 {
            return Ok(());
        }
        Err(OTelSdkError::InternalFailure(format!(
            "{waiting} spans are waiting: LambdaSpanProcessor exports only from `Flusher::flush().await` (the after-response hook), never by blocking"
        )))
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        if self.shared.shut_down.swap(true, Ordering::Relaxed) {
            return Err(OTelSdkError::AlreadyShutdown);
        }
        let lost = self.shared.take().len();
        if let Ok(exporter) = self.shared.exporter.try_lock() {
            exporter.shutdown_with_timeout(timeout)?;
        }
        if lost > 0 {
            return Err(OTelSdkError::InternalFailure(format!(
                "{lost} spans were not exported: call `Flusher::flush().await` before shutting the tracer provider down"
            )));
        }
        Ok(())
    }

    fn set_resource(&mut self, resource: &Resource) {
        // Called while the provider is built, before any export can hold the lock.
        if let Ok(mut exporter) = self.shared.exporter.try_lock() {
            exporter.set_resource(resource);
        }
    }
}

/// Exports the spans a [`LambdaSpanProcessor`] holds: call [`flush`](Flusher::flush) after each
/// response (the runtime's after-response hook), and once more at shutdown.
#[derive(Debug)]
pub struct Flusher<E> {
    shared: Arc<Shared<E>>,
    timeout: Duration,
}

impl<E> Clone for Flusher<E> {
    fn clone(&self) -> Self {
        Flusher {
            shared: self.shared.clone(),
            timeout: self.timeout,
        }
    }
}

impl<E: SpanExporter + 'static> Flusher<E> {
    /// Sets how long a flush may take ([`DEFAULT_FLUSH_TIMEOUT`] unless set): past it the export
    /// is abandoned and its spans are lost, so that a slow collector delays the next invocation
    /// by no more than this.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The bound on one flush.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Exports every span ended so far, within the timeout, on the awaiting task; resolves to
    /// how many were exported. Failures are returned, not logged:
    /// [`flush_and_log`](Flusher::flush_and_log) logs them. The future owns what it needs
    /// (`'static`), as an after-response hook requires.
    pub fn flush(&self) -> impl Future<Output = Result<usize, FlushError>> + Send + 'static {
        let shared = self.shared.clone();
        let timeout = self.timeout;
        async move {
            let dropped = shared.dropped.swap(0, Ordering::Relaxed);
            let export = async {
                let exporter = shared.exporter.lock().await;
                let batch = shared.take();
                let count = batch.len();
                if count == 0 {
                    return Ok(0);
                }
                exporter.export(batch).await.map(|()| count)
            };
            let result = match tokio::time::timeout(timeout, export).await {
                Ok(Ok(count)) => Ok(count),
                Ok(Err(source)) => Err(FlushError::Export(source)),
                Err(_) => Err(FlushError::TimedOut(timeout)),
            };
            match (result, dropped) {
                (Ok(_), dropped) if dropped > 0 => Err(FlushError::Dropped(dropped)),
                (result, _) => result,
            }
        }
    }

    /// [`flush`](Flusher::flush), logging a failure as a warning: what the runtime's
    /// after-response hook calls.
    ///
    /// ```no_run
    /// # use lambda_runtime::opentelemetry::Flusher;
    /// # fn hook(flusher: Flusher<opentelemetry_sdk::trace::InMemorySpanExporter>) -> Result<(), lambda_runtime::Error> {
    /// // Each call returns a future that owns what it needs.
    /// let runtime = lambda_runtime::Runtime::from_env()?
    ///     .after_response(move || flusher.flush_and_log());
    /// # let _ = runtime;
    /// # Ok(()) }
    /// ```
    pub fn flush_and_log(&self) -> impl Future<Output = ()> + Send + 'static {
        let flush = self.flush();
        async move {
            if let Err(e) = flush.await {
                tracing::warn!(error = %e, "OpenTelemetry spans were not exported");
            }
        }
    }
}

/// A flush that did not export every span.
#[derive(Debug)]
#[non_exhaustive]
pub enum FlushError {
    /// The exporter failed (the collector refused the spans or could not be reached).
    Export(OTelSdkError),
    /// The export took longer than the flush's timeout and was abandoned.
    TimedOut(Duration),
    /// More spans ended between two flushes than the processor holds; this many were dropped.
    Dropped(usize),
}

impl std::fmt::Display for FlushError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FlushError::Export(e) => write!(
                f,
                "the span exporter failed: {e}; check that the collector at OTEL_EXPORTER_OTLP_ENDPOINT is running"
            ),
            FlushError::TimedOut(timeout) => write!(
                f,
                "the span export took longer than {timeout:?} and was abandoned; raise the flush timeout or check the collector"
            ),
            FlushError::Dropped(n) => write!(
                f,
                "{n} spans were dropped because too many ended between two flushes; flush after every response or raise the processor's max_spans"
            ),
        }
    }
}

impl std::error::Error for FlushError {}

#[cfg(test)]
mod tests {
    use super::*;
    use ::opentelemetry::trace::{Span as _, Tracer, TracerProvider as _};
    use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
    use std::time::Instant;

    fn provider(
        max_spans: usize,
    ) -> (
        SdkTracerProvider,
        Flusher<InMemorySpanExporter>,
        InMemorySpanExporter,
    ) {
        let exporter = InMemorySpanExporter::default();
        let processor = LambdaSpanProcessor::with_max_spans(exporter.clone(), max_spans);
        let flusher = processor.flusher();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(processor)
            .build();
        (provider, flusher, exporter)
    }

    #[tokio::test]
    async fn ended_spans_wait_until_the_flush_exports_them() {
        let (provider, flusher, exporter) = provider(16);
        let tracer = provider.tracer("test");
        tracer.start("one").end();
        tracer.start("two").end();
        assert!(exporter.get_finished_spans().unwrap().is_empty());
        assert_eq!(flusher.flush().await.unwrap(), 2);
        let names: Vec<_> = exporter
            .get_finished_spans()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["one", "two"]);
        assert_eq!(flusher.flush().await.unwrap(), 0);
    }

    #[tokio::test]
    async fn spans_past_the_limit_are_dropped_and_reported() {
        let (provider, flusher, exporter) = provider(2);
        let tracer = provider.tracer("test");
        for _ in 0..5 {
            tracer.start("span").end();
        }
        match flusher.flush().await {
            Err(e @ FlushError::Dropped(3)) => assert!(e.to_string().contains("3 spans")),
            other => panic!("expected 3 dropped, got {other:?}"),
        }
        assert_eq!(exporter.get_finished_spans().unwrap().len(), 2);
    }

    #[derive(Debug)]
    struct Stuck;

    impl SpanExporter for Stuck {
        async fn export(&self, _batch: Vec<SpanData>) -> OTelSdkResult {
            std::future::pending().await
        }
    }

    #[tokio::test]
    async fn a_stuck_exporter_is_abandoned_at_the_timeout() {
        let processor = LambdaSpanProcessor::new(Stuck);
        let flusher = processor.flusher().with_timeout(Duration::from_millis(100));
        let provider = SdkTracerProvider::builder()
            .with_span_processor(processor)
            .build();
        provider.tracer("test").start("span").end();
        let started = Instant::now();
        match flusher.flush().await {
            Err(e @ FlushError::TimedOut(_)) => assert!(e.to_string().contains("100ms")),
            other => panic!("expected a timeout, got {other:?}"),
        }
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }

    #[tokio::test]
    async fn blocking_force_flush_refuses_while_spans_wait_and_never_blocks() {
        let (provider, flusher, _exporter) = provider(16);
        assert!(provider.force_flush().is_ok());
        provider.tracer("test").start("span").end();
        let error = provider.force_flush().unwrap_err().to_string();
        assert!(error.contains("Flusher::flush"), "{error}");
        assert_eq!(flusher.flush().await.unwrap(), 1);
    }
}
