//! `hello` on the official `lambda_runtime` crate from crates.io (`#[tokio::main]`, as its
//! documentation writes a function). Same handler as `ours-hello`.
use official_runtime::{run, service_fn, Error, LambdaEvent};
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

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(hello)).await
}
