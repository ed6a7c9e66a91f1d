//! One `next` loop over one connection: `next`, call the service, `response` or `error`, the
//! after-response hook, again.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use bytes::Bytes;
use http::{Response, StatusCode};
use serde::de::DeserializeOwned;
use tower::Service;
use tracing::Instrument;

use crate::api::RuntimeApi;
use crate::client::RequestBody;
use crate::context::{Context, ContextError};
use crate::diagnostic::{Diagnostic, ErrorCategory};
use crate::error::RuntimeError;
use crate::event::LambdaEvent;
use crate::panic::{catch, CatchUnwind};
use crate::protocol::runtime::headers;
use crate::response::{FunctionResponse, Outgoing};
use crate::trace_env;
use crate::Config;

/// The after-response hook, boxed once: its future is one allocation per invocation, and only
/// when a hook is set.
pub(crate) type AfterResponse =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// What every poller of a runtime shares.
pub(crate) struct Shared<'a, S, T> {
    pub(crate) config: Arc<Config>,
    /// Turns an event's bytes into the service's event type ([`Mode::decode`](crate::mode::Mode::decode)).
    pub(crate) decode: fn(&[u8]) -> Result<T, Diagnostic>,
    /// The per-invocation service. Locked only inside one poll, to check readiness and call it
    /// in the same step (never across an `.await`), so pollers in one task never contend.
    pub(crate) service: &'a Mutex<S>,
    pub(crate) after_response: Option<&'a AfterResponse>,
    /// Whether serializable responses are streamed too.
    pub(crate) streaming: bool,
    /// Whether to export `_X_AMZN_TRACE_ID` (single concurrency only).
    pub(crate) export_trace_env: bool,
}

/// One `next` loop over one connection.
pub(crate) struct Poller {
    pub(crate) api: RuntimeApi,
}

impl Poller {
    /// Serves invocations until the Runtime API fails.
    pub(crate) async fn run<S, T>(mut self, shared: &Shared<'_, S, T>) -> Result<(), RuntimeError>
    where
        S: Service<LambdaEvent<T>>,
        S::Response: FunctionResponse,
        S::Error: Into<Diagnostic>,
    {
        if shared.export_trace_env {
            // Adds the name to `environ` now, before any handler runs (see `trace_env`).
            trace_env::export(None);
        }
        loop {
            let next = match self.api.next().await {
                Ok(response) => response,
                Err(source) => {
                    return Err(RuntimeError::Api {
                        call: "next",
                        source,
                    })
                }
            };
            if !next.status().is_success() {
                return Err(status_error("next", next));
            }
            let (parts, body) = next.into_parts();
            let context = match Context::from_headers(&parts.headers, shared.config.clone()) {
                Ok(context) => context,
                Err(e @ ContextError::MissingRequestId) => {
                    // Nothing can be posted for it; the Runtime API times it out. Serving the
                    // next invocation is better than exiting (which would cost a cold start).
                    tracing::error!("{e}; skipping it and asking for the next invocation");
                    continue;
                }
                Err(e) => {
                    let request_id = parts
                        .headers
                        .get(&headers::REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let diagnostic = ErrorCategory::InvalidContext
                        .diagnostic(crate::report::Report::new(&e).to_string());
                    self.report(&request_id, diagnostic, ErrorCategory::InvalidContext)
                        .await?;
                    after_response(shared).await;
                    continue;
                }
            };
            if shared.export_trace_env {
                trace_env::export(context.xray_trace_id.as_deref());
            }
            let span = tracing::info_span!(
                "Lambda runtime invoke",
                requestId = %context.request_id,
                xrayTraceId = context.xray_trace_id.as_deref().unwrap_or_default(),
            );
            let request_id = context.request_id.clone();
            // The event's bytes and the handler's response are freed only after the POST: freed
            // before it, they leave the top of the heap free for the allocator to hand back to
            // the system, only to fault it in again for the next large event (BENCHMARKS.md).
            let mut held = None;
            // One instrumented future for the whole invocation: the handler and the answer.
            async {
                let outcome = invoke(shared.service, shared.decode, context, &body)
                    .await
                    .and_then(|response| response.encode(shared.streaming, &mut held));
                match outcome {
                    Ok(outgoing) => self.respond(&request_id, outgoing).await,
                    Err((diagnostic, category)) => {
                        self.report(&request_id, diagnostic, category).await
                    }
                }
            }
            .instrument(span)
            .await?;
            drop(held);
            drop(body);
            after_response(shared).await;
        }
    }

    /// Posts a response. A 413 to a buffered one becomes a `Function.ResponseSizeTooLarge` error
    /// report. A streamed response whose connection fails midway (the caller went away, or the
    /// API cut the stream) is logged and the loop continues on a new connection.
    async fn respond(&mut self, request_id: &str, outgoing: Outgoing) -> Result<(), RuntimeError> {
        let (size, sent) = match outgoing {
            Outgoing::Buffered(body) => {
                let size = body.len();
                let sent = self
                    .api
                    .respond(request_id, RequestBody::Full(body), None)
                    .await;
                (Some(size), sent)
            }
            Outgoing::Streamed { body, content_type } => {
                let sent = self.api.respond(request_id, body, Some(content_type)).await;
                (None, sent)
            }
        };
        let response = match (sent, size) {
            (Ok(response), _) => response,
            (Err(source), Some(_)) => {
                return Err(RuntimeError::Api {
                    call: "response",
                    source,
                })
            }
            (Err(e), None) => {
                tracing::warn!(error = %crate::report::Report::new(&e), "the streamed response was cut off");
                return Ok(());
            }
        };
        match (response.status(), size) {
            (StatusCode::PAYLOAD_TOO_LARGE, Some(size)) => {
                let diagnostic = ErrorCategory::ResponseSizeTooLarge.diagnostic(format!(
                    "the response is {size} bytes, over the Runtime API's limit: {}",
                    body_text(response.body())
                ));
                self.report(request_id, diagnostic, ErrorCategory::ResponseSizeTooLarge)
                    .await
            }
            _ => check_or_log(response, "response"),
        }
    }

    /// Posts an error report for one invocation (and logs it).
    async fn report(
        &mut self,
        request_id: &str,
        diagnostic: Diagnostic,
        category: ErrorCategory,
    ) -> Result<(), RuntimeError> {
        tracing::error!(
            errorType = diagnostic.error_type(),
            "{}",
            diagnostic.error_message()
        );
        let header = match category.as_str() {
            Some(fixed) => std::borrow::Cow::Borrowed(fixed),
            None => diagnostic.function_category(),
        };
        let response = self
            .api
            .report_error(request_id, &diagnostic, &header)
            .await
            .map_err(|source| RuntimeError::Api {
                call: "error",
                source,
            })?;
        check_or_log(response, "error")
    }
}

/// Runs the after-response hook, if any (a panic in it is logged, not fatal).
async fn after_response<S, T>(shared: &Shared<'_, S, T>) {
    if let Some(hook) = shared.after_response {
        if let Err(panic) = CatchUnwind::new(hook()).await {
            tracing::error!("the after-response hook panicked: {panic}");
        }
    }
}

/// One invocation: deserialize, call the service (guarding against panics).
async fn invoke<S, T>(
    service: &Mutex<S>,
    decode: fn(&[u8]) -> Result<T, Diagnostic>,
    context: Context,
    body: &[u8],
) -> Result<S::Response, (Diagnostic, ErrorCategory)>
where
    S: Service<LambdaEvent<T>>,
    S::Error: Into<Diagnostic>,
{
    let payload: T = decode(body).map_err(|d| (d, ErrorCategory::InvalidEvent))?;
    let handler_error = |e: S::Error| (e.into(), ErrorCategory::Handler);
    let panicked = |message: String| {
        (
            ErrorCategory::Panic.diagnostic(format!("the handler panicked: {message}")),
            ErrorCategory::Panic,
        )
    };
    let mut event = Some(LambdaEvent::new(payload, context));
    // Readiness and the call in one step under the lock: the readiness a poller saw is the one
    // its call uses, even when other pollers share the service.
    let future = std::future::poll_fn(|cx| {
        let mut service = service
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match catch(|| service.poll_ready(cx)) {
            Err(message) => Poll::Ready(Err(panicked(message))),
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(Err(e))) => Poll::Ready(Err(handler_error(e))),
            Ok(Poll::Ready(Ok(()))) => match event.take() {
                Some(event) => Poll::Ready(catch(|| service.call(event)).map_err(panicked)),
                None => Poll::Ready(Err(panicked("polled after completion".to_owned()))),
            },
        }
    })
    .await?;
    CatchUnwind::new(future)
        .await
        .map_err(panicked)?
        .map_err(handler_error)
}

/// Deserializes the event. The fast path is plain `serde_json`; only when it fails is the event
/// parsed again with `serde_path_to_error` to name the failing field.
pub(crate) fn deserialize<T: DeserializeOwned>(body: &[u8]) -> Result<T, Diagnostic> {
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut *de) {
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path.is_empty() || path == "." {
                format!("{inner}")
            } else {
                format!("at `{path}`: {inner}")
            }
        }
        // Parsed with the path tracker but not without it: trailing characters.
        Ok(_) => match de.end() {
            Err(e) => e.to_string(),
            Ok(()) => "the event is not valid JSON".to_owned(),
        },
    };
    Err(ErrorCategory::InvalidEvent.diagnostic(format!(
        "the event does not fit {}: {error}",
        std::any::type_name::<T>()
    )))
}

/// A 2xx passes; 5xx (or any status on a call with no recovery) is fatal.
pub(crate) fn check(response: Response<Bytes>, call: &'static str) -> Result<(), RuntimeError> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(status_error(call, response))
    }
}

/// A 2xx passes; a 4xx (a stale or unknown request id) is logged and the loop continues; a 5xx is
/// fatal.
fn check_or_log(response: Response<Bytes>, call: &'static str) -> Result<(), RuntimeError> {
    let status = response.status();
    if status.is_client_error() {
        tracing::warn!(
            status = status.as_u16(),
            "the Runtime API refused `{call}`: {}",
            body_text(response.body())
        );
        return Ok(());
    }
    check(response, call)
}

fn status_error(call: &'static str, response: Response<Bytes>) -> RuntimeError {
    RuntimeError::Status {
        call,
        status: response.status(),
        body: body_text(response.body()),
    }
}

fn body_text(body: &[u8]) -> String {
    let end = body.len().min(1024);
    String::from_utf8_lossy(&body[..end]).into_owned()
}
