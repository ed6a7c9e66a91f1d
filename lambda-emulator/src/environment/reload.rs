//! Restarting the function on demand (after a rebuild), with its APIs and front doors kept up.

use super::Environment;
use crate::extensions_api::ShutdownReason;

impl Environment {
    /// Stops the function's processes (the runtime and its external extensions) with a Shutdown
    /// phase of reason `spindown`, so that the next invocation runs a new Init: the program on
    /// disk now (a rebuilt binary) starts anew. The Runtime API, and every
    /// [`FrontDoor`](crate::FrontDoor) and [`HttpFront`](crate::HttpFront) in front of this
    /// environment, stay up.
    ///
    /// Invocations whose extensions are still busy finish first; an invocation the runtime is
    /// still working on is cut short and answered as a crash (`Runtime.ExitError`), so reload
    /// between requests. Does nothing when no runtime is running.
    ///
    /// ```no_run
    /// # async fn demo(environment: lambda_emulator::Environment) {
    /// // ... `cargo build` replaced the binary ...
    /// environment.reload().await;
    /// let outcome = environment.invoke("{}").await; // runs the new binary
    /// # }
    /// ```
    pub async fn reload(&self) {
        let core = &self.core;
        let settling =
            std::mem::take(&mut *core.settling.lock().unwrap_or_else(|p| p.into_inner()));
        for task in settling {
            let _ = task.await;
        }
        // Holding the lock keeps a concurrent invocation from starting the old program again.
        let mut current = core.runtime.lock().await;
        if let Some(running) = current.take() {
            core.stop_generation(&running.generation, ShutdownReason::Spindown)
                .await;
        }
    }
}
