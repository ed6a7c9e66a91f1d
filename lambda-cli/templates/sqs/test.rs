//! Runs the built function in the local Lambda emulator with an SQS batch.

use lambda_emulator::{Environment, FunctionConfig, Outcome};
use serde_json::json;

fn message(id: &str, body: &str) -> serde_json::Value {
    json!({
        "messageId": id,
        "receiptHandle": "handle",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1767225600000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1767225600001"
        },
        "messageAttributes": {},
        "md5OfBody": "0",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:orders",
        "awsRegion": "us-east-1"
    })
}

#[tokio::test]
async fn bad_messages_are_reported_as_batch_item_failures() {
    let function = FunctionConfig::new(env!("CARGO_BIN_EXE_{{name}}"), Vec::<String>::new());
    let environment = Environment::start(function).await.unwrap();
    let batch = json!({ "Records": [
        message("good", r#"{"item":"book","quantity":2}"#),
        message("bad", "not an order"),
    ]});
    let outcome = environment.invoke(batch).await;
    environment.shutdown().await;
    let Outcome::Response(response) = outcome else {
        panic!("the function failed: {outcome:?}")
    };
    let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body, json!({ "batchItemFailures": [{ "itemIdentifier": "bad" }] }));
}
