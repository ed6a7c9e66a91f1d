//! Processors: the user's `tower::Service`s, boxed behind named types.
//!
//! Boxing keeps [`Extension`](crate::Extension) free of type parameters, so adding a processor
//! does not change the builder's type. The cost is one allocation per event or batch, next to an
//! HTTP exchange with Lambda for each: negligible.

use std::sync::Arc;

use lambda_runtime::Diagnostic;
use tower::util::BoxService;
use tower::{Service, ServiceExt};

use crate::records::Record;

/// A boxed service taking `Req`, with its error already a [`Diagnostic`].
pub(crate) type BoxProcessor<Req> = BoxService<Req, (), Diagnostic>;

/// Boxes `service`, discarding its response and converting its error.
pub(crate) fn boxed<S, Req>(service: S) -> BoxProcessor<Req>
where
    S: Service<Req> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Diagnostic>,
    Req: 'static,
{
    BoxService::new(service.map_response(|_| ()).map_err(Into::into))
}

/// A processor of record batches, shared by every connection of the listener.
///
/// Readiness and `call` happen under a lock; the returned futures run concurrently, so one slow
/// batch does not hold up another connection's.
///
/// ```
/// use lambda_extension::{BatchProcessor, Record};
/// use lambda_extension::tower::service_fn;
///
/// let processor = BatchProcessor::new(service_fn(|batch: Vec<Record>| async move {
///     println!("{} records", batch.len());
///     Ok::<(), lambda_extension::Error>(())
/// }));
/// # drop(processor);
/// ```
#[derive(Clone)]
pub struct BatchProcessor {
    inner: Arc<tokio::sync::Mutex<BoxProcessor<Vec<Record>>>>,
}

impl std::fmt::Debug for BatchProcessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BatchProcessor")
    }
}

impl BatchProcessor {
    /// Wraps a `Service<Vec<Record>>` whose error converts into a [`Diagnostic`] (as
    /// [`crate::Error`], `String` and `&str` do).
    pub fn new<S>(service: S) -> Self
    where
        S: Service<Vec<Record>> + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Diagnostic>,
    {
        BatchProcessor {
            inner: Arc::new(tokio::sync::Mutex::new(boxed(service))),
        }
    }

    /// Hands `batch` to the service and waits for its verdict.
    pub(crate) async fn process(&self, batch: Vec<Record>) -> Result<(), Diagnostic> {
        let future = {
            let mut service = self.inner.lock().await;
            service.ready().await?.call(batch)
        };
        future.await
    }
}
