//! Runs the built function in the local Lambda emulator and checks its answers.

use lambda_emulator::{Environment, FunctionConfig, Outcome};
use serde_json::json;

#[tokio::test]
async fn greets_by_name() {
    let function = FunctionConfig::new(env!("CARGO_BIN_EXE_{{name}}"), Vec::<String>::new());
    let environment = Environment::start(function).await.unwrap();
    let outcome = environment.invoke(json!({ "name": "world" })).await;
    environment.shutdown().await;
    let Outcome::Response(response) = outcome else {
        panic!("the function failed: {outcome:?}")
    };
    let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body, json!({ "greeting": "Hello, world!" }));
}
