//! `echo` on our runtime with eight invocations in flight (Lambda Managed Instances): the soak
//! benchmark's multi-concurrency function (`Runtime::concurrency`, which the driver also sets
//! through `AWS_LAMBDA_MAX_CONCURRENCY`).
use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
use serde_json::Value;

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    Runtime::from_env()?
        .concurrency(8)
        .run(service_fn(echo))
        .await?;
    Ok(())
}
