//! `echo` on our runtime: returns the event unchanged (the `echo` example's handler and loop).
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
