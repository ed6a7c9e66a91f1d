//! `echo` on our runtime with `AWS_LAMBDA_MAX_CONCURRENCY` pollers (Lambda Managed Instances):
//! the soak benchmark's `run_concurrent` function.
use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
use serde_json::Value;

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    Runtime::from_env()?
        .run_concurrent(service_fn(echo))
        .await?;
    Ok(())
}
