//! Graceful shutdown: run cleanup code when Lambda retires the execution environment.
//!
//! Lambda sends the runtime `SIGTERM` at shutdown only when at least one extension is registered,
//! and then waits up to 500 ms (internal extensions) before `SIGKILL`. [`graceful_shutdown`]
//! registers a no-op internal extension, so that the signal comes, and runs your future when it
//! does: flush buffered telemetry, close connections. Call it before the runtime starts (Lambda
//! accepts extension registrations only during initialization).
//!
//! ```no_run
//! use lambda_runtime::{service_fn, Error, LambdaEvent};
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Error> {
//!     lambda_runtime::shutdown::graceful_shutdown(async {
//!         eprintln!("flushing before the environment goes away");
//!     })
//!     .await?;
//!     lambda_runtime::run(service_fn(|event: LambdaEvent<serde_json::Value>| async move {
//!         Ok::<_, Error>(event.payload)
//!     }))
//!     .await?;
//!     Ok(())
//! }
//! ```

use std::future::Future;

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use tokio::signal::unix::{signal, SignalKind};

use crate::client::{Client, Endpoint, RequestBody};
use crate::error::{RuntimeError, RUNTIME_API_VAR};
use crate::extension_api::ExtensionClient;
use crate::protocol::extension::Call;

/// The name the no-op internal extension registers under.
pub const EXTENSION_NAME: &str = "lambda-runtime-graceful-shutdown";

/// Registers a no-op internal extension with the Runtime API named by `AWS_LAMBDA_RUNTIME_API`,
/// then spawns a task that runs `on_shutdown` when the process receives `SIGTERM` and exits the
/// process (status 0) after it. See the module docs.
pub async fn graceful_shutdown<F>(on_shutdown: F) -> Result<(), RuntimeError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let address = std::env::var(RUNTIME_API_VAR).map_err(|_| RuntimeError::NotInLambda)?;
    graceful_shutdown_at(Endpoint::parse(&address)?, on_shutdown, || {
        std::process::exit(0)
    })
    .await
}

/// [`graceful_shutdown`] against a given endpoint, with what to do once `on_shutdown` is done.
pub(crate) async fn graceful_shutdown_at<F>(
    endpoint: Endpoint,
    on_shutdown: F,
    then: fn(),
) -> Result<(), RuntimeError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let call = Call::Register.describe();
    // Install the handler before registering: from then on SIGTERM may come at any time.
    let mut sigterm = signal(SignalKind::terminate()).map_err(RuntimeError::Signal)?;
    let mut api = ExtensionClient::new(Client::new(endpoint));
    let response = api
        .register(
            HeaderValue::from_static(EXTENSION_NAME),
            Bytes::from_static(br#"{"events":[]}"#),
            false,
        )
        .await
        .map_err(|source| RuntimeError::Api { call, source })?;
    if response.status() != StatusCode::OK {
        return Err(RuntimeError::Status {
            call,
            status: response.status(),
            body: String::from_utf8_lossy(response.body()).into_owned(),
        });
    }
    if api.identifier().is_none() {
        return Err(RuntimeError::Status {
            call,
            status: response.status(),
            body: "the answer has no Lambda-Extension-Identifier header".to_owned(),
        });
    }
    tokio::spawn(async move {
        // An extension signals the end of its initialization by asking for its next event; with no
        // events subscribed, the answer never comes, and the connection just waits.
        let next = async {
            if let Err(e) = api.send(Call::Next, RequestBody::Empty, None).await {
                tracing::warn!(error = %crate::report::Report::new(&e), "the graceful-shutdown extension lost its connection");
            }
            std::future::pending::<()>().await
        };
        tokio::select! {
            _ = next => {}
            _ = sigterm.recv() => {
                tracing::info!("SIGTERM received: running the graceful shutdown handler");
                on_shutdown.await;
                then();
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    static HANDLER_RAN: AtomicBool = AtomicBool::new(false);
    static EXITED: AtomicBool = AtomicBool::new(false);

    #[tokio::test]
    async fn sigterm_runs_the_handler_after_registering_an_internal_extension() {
        let api = lambda_emulator::RuntimeApi::start().await.unwrap();
        let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
        graceful_shutdown_at(
            endpoint,
            async { HANDLER_RAN.store(true, Ordering::SeqCst) },
            || EXITED.store(true, Ordering::SeqCst),
        )
        .await
        .unwrap();

        // Registered under its name, with no events, and waiting for its next event.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let requests = api.requests();
            let register = requests.iter().find(|r| r.path == Call::Register.path());
            let next = requests.iter().find(|r| r.path == Call::Next.path());
            if let (Some(register), Some(next)) = (register, next) {
                assert_eq!(register.headers["lambda-extension-name"], EXTENSION_NAME);
                assert!(next.headers.contains_key("lambda-extension-identifier"));
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no register/next: {requests:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(!HANDLER_RAN.load(Ordering::SeqCst));

        // The handler is installed for this process: SIGTERM goes to it, not to the default action.
        let status = std::process::Command::new("kill")
            .args(["-TERM", &std::process::id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while !EXITED.load(Ordering::SeqCst) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the handler did not run"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(HANDLER_RAN.load(Ordering::SeqCst));
    }
}
