//! A client built once during initialization and shared by every invocation.
//!
//! Initialization that fails (here: `GREETING_FILE` names a file that cannot be read) is reported
//! to Lambda's `/runtime/init/error`, and the process exits non-zero, as Lambda expects.
//!
//! ```text
//! cargo build --example shared-state
//! cargo run -p lambda-cli -- invoke --event '{"name":"world"}' -- target/debug/examples/shared-state
//! cargo run -p lambda-cli -- invoke --env GREETING_FILE=/nonexistent --event '{}' -- target/debug/examples/shared-state
//! ```
use std::sync::atomic::{AtomicU64, Ordering};

use lambda_runtime::{service_fn, Diagnostic, Error, LambdaEvent, Runtime};
use serde::{Deserialize, Serialize};

/// Expensive to build, cheap to share: stands in for an SDK client or a connection pool.
struct Greeter {
    template: String,
    served: AtomicU64,
}

impl Greeter {
    async fn load() -> Result<Greeter, Diagnostic> {
        let template = match std::env::var("GREETING_FILE") {
            Ok(path) => tokio::fs::read_to_string(&path).await.map_err(|e| {
                Diagnostic::new(
                    "ConfigError",
                    format!("cannot read GREETING_FILE {path}: {e}"),
                )
            })?,
            Err(_) => "Hello, {name}!".to_owned(),
        };
        Ok(Greeter {
            template,
            served: AtomicU64::new(0),
        })
    }
}

#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    name: String,
}

#[derive(Serialize)]
struct Response {
    message: String,
    invocation: u64,
}

async fn greet(greeter: &Greeter, event: LambdaEvent<Request>) -> Result<Response, Error> {
    let invocation = greeter.served.fetch_add(1, Ordering::Relaxed) + 1;
    tracing::info!(invocation, "greeting {}", event.payload.name);
    Ok(Response {
        message: greeter.template.replace("{name}", &event.payload.name),
        invocation,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // One JSON object per line when the function's log format is JSON (AWS_LAMBDA_LOG_FORMAT).
    lambda_runtime::logging::init_default_subscriber();
    let mut runtime = Runtime::from_env()?;
    let greeter = runtime.init(Greeter::load()).await?;
    runtime
        .run(service_fn(|event| greet(&greeter, event)))
        .await?;
    Ok(())
}
