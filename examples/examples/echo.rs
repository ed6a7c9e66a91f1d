//! Returns the event unchanged: the smallest possible function (used by the benchmarks).
//!
//! ```text
//! cargo build --example echo
//! cargo run -p lambda-cli -- invoke --event '{"any":"json"}' -- target/debug/examples/echo
//! ```
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(echo)).await?;
    Ok(())
}
