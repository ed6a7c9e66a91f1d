//! The Shutdown phase and the reset after a crash or a timeout.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::{unix_ms, Core, Generation};
use crate::extensions_api::ShutdownReason;

impl Core {
    /// Resets after a crash or timeout: kills the runtime, sends SHUTDOWN (with the reason) to
    /// the extensions, kills them past the limit. The next invocation re-initialises.
    pub(super) async fn reset(&self, generation: &Arc<Generation>, reason: ShutdownReason) {
        let mut current = self.runtime.lock().await;
        let is_current = current
            .as_ref()
            .is_some_and(|current| Arc::ptr_eq(&current.generation, generation));
        if is_current {
            *current = None;
        }
        drop(current);
        self.stop_generation(generation, reason).await;
        self.api.queue().resume();
    }

    /// The Shutdown phase for `generation`, once: a later call waits until the first is over.
    pub(super) async fn stop_generation(&self, generation: &Generation, reason: ShutdownReason) {
        // A generation retired by a timeout or failure shuts down for that reason.
        let reason = generation.retired.get().copied().unwrap_or(reason);
        generation
            .stopped
            .get_or_init(|| self.shut_down(generation, reason))
            .await;
    }

    async fn shut_down(&self, generation: &Generation, reason: ShutdownReason) {
        let began = Instant::now();
        let (external, internal) = self.api.extensions().counts();
        let runtime_limit = if internal > 0 {
            Duration::from_millis(500)
        } else {
            Duration::from_millis(300)
        };
        let total_limit = if external > 0 {
            Duration::from_secs(2)
        } else {
            runtime_limit
        };
        // A runtime that crashed or timed out is killed at once; at spindown it gets SIGTERM.
        let grace = match reason {
            ShutdownReason::Spindown => runtime_limit,
            _ => Duration::ZERO,
        };
        generation.runtime.stop(grace).await;
        if generation.extensions.is_empty() {
            return;
        }
        let deadline = began + total_limit;
        // Subscribers get what is buffered (the last report...) before SHUTDOWN, using at most
        // half of the time left.
        self.flusher
            .flush(Instant::now() + deadline.saturating_duration_since(Instant::now()) / 2)
            .await;
        let remaining = deadline.saturating_duration_since(Instant::now());
        self.api
            .extensions()
            .dispatch_shutdown(reason.as_str(), unix_ms(SystemTime::now() + remaining));
        let subscribed: Vec<String> = self
            .api
            .extensions()
            .with(|inner| inner.shutdown_subscribers());
        for (name, extension) in &generation.extensions {
            if !subscribed.contains(name) {
                // Not registered for SHUTDOWN: nothing to wait for.
                extension.stop(Duration::ZERO).await;
            } else if tokio::time::timeout_at(deadline, extension.wait())
                .await
                .is_err()
            {
                extension.stop(Duration::ZERO).await;
            }
        }
    }
}
