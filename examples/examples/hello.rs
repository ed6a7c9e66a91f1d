//! Typed request and response structs.
//!
//! ```text
//! cargo build --example hello
//! cargo run -p lambda-cli -- invoke --event '{"name":"world"}' -- target/debug/examples/hello
//! ```
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Request {
    name: String,
}

#[derive(Serialize)]
struct Response {
    greeting: String,
    request_id: String,
}

async fn hello(event: LambdaEvent<Request>) -> Result<Response, Error> {
    Ok(Response {
        greeting: format!("Hello, {}!", event.payload.name),
        request_id: event.context.request_id,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(hello)).await?;
    Ok(())
}
