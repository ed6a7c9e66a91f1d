//! Runs the built function in the local Lambda emulator with a function URL request.

use lambda_emulator::{Environment, FunctionConfig, Outcome};
use serde_json::json;

#[tokio::test]
async fn get_hello_answers_json() {
    let function = FunctionConfig::new(env!("CARGO_BIN_EXE_{{name}}"), Vec::<String>::new());
    let environment = Environment::start(function).await.unwrap();
    // A function URL request (payload format 2.0), as Lambda delivers it.
    let request = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/hello/world",
        "rawQueryString": "",
        "headers": { "accept": "application/json" },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.lambda-url.us-east-1.on.aws",
            "domainPrefix": "abc123",
            "http": {
                "method": "GET",
                "path": "/hello/world",
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "test"
            },
            "requestId": "id",
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 1767225600000u64
        },
        "isBase64Encoded": false
    });
    let outcome = environment.invoke(request).await;
    environment.shutdown().await;
    let Outcome::Response(response) = outcome else {
        panic!("the function failed: {outcome:?}")
    };
    let reply: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(reply["statusCode"], 200, "{reply}");
    let body: serde_json::Value = serde_json::from_str(reply["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, json!({ "greeting": "Hello, world!" }));
}
