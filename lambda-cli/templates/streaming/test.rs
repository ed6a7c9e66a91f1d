//! Runs the built function in the local Lambda emulator and checks the streamed lines.

use lambda_emulator::{Environment, FunctionConfig, Outcome};
use serde_json::json;

#[tokio::test]
async fn streams_the_requested_lines() {
    let function = FunctionConfig::new(env!("CARGO_BIN_EXE_{{name}}"), Vec::<String>::new());
    let environment = Environment::start(function).await.unwrap();
    let outcome = environment.invoke(json!({ "lines": 2 })).await;
    environment.shutdown().await;
    let Outcome::Response(response) = outcome else {
        panic!("the function failed: {outcome:?}")
    };
    assert!(response.streamed);
    assert_eq!(response.body, "line 1 of 2\nline 2 of 2\n");
}
