//! `echo` on the official `lambda_runtime` crate from crates.io, as its documentation writes a
//! function (`#[tokio::main]`, the multi-threaded runtime). Same handler as `ours-echo`.
use official_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(echo)).await
}
