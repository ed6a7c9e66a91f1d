//! The invocation loop against the emulator's Runtime API, over real HTTP on loopback.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lambda_emulator::{ErrorReport, Invocation, Outcome, RuntimeApi};
use lambda_runtime::Endpoint;
use lambda_runtime::{
    service_fn, Config, Diagnostic, Error, LambdaEvent, Runtime, RuntimeError, Service,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::task::JoinHandle;

/// A Runtime API and a runtime serving `service` against it in a task of this test.
struct Harness {
    api: RuntimeApi,
    runtime: JoinHandle<Result<(), RuntimeError>>,
}

impl Harness {
    async fn start<S, T, R>(service: S) -> Harness
    where
        S: Service<LambdaEvent<T>, Response = R> + Send + 'static,
        S::Future: Send,
        S::Error: Into<Diagnostic>,
        T: serde::de::DeserializeOwned + Send + 'static,
        R: Serialize + Send + 'static,
    {
        let api = RuntimeApi::start().await.expect("the Runtime API starts");
        let runtime = tokio::spawn(runtime_for(&api).run(service));
        Harness { api, runtime }
    }

    async fn invoke(&self, invocation: impl Into<Invocation>) -> Outcome {
        self.api.invoke(invocation).await
    }

    /// How `run()` ended (bounded: the test fails rather than hangs).
    async fn run_result(self) -> Result<(), RuntimeError> {
        match tokio::time::timeout(Duration::from_secs(10), self.runtime).await {
            Ok(joined) => joined.expect("the runtime task does not panic"),
            Err(_) => panic!("run() did not return within 10 s"),
        }
    }
}

fn runtime_for(api: &RuntimeApi) -> Runtime {
    let endpoint = Endpoint::parse(&api.address().to_string()).expect("a valid address");
    Runtime::new(endpoint, Config::default())
}

fn response_json(outcome: &Outcome) -> Value {
    match outcome {
        Outcome::Response(r) => r.json().expect("the response is JSON"),
        other => panic!("expected a response, got {other:?}"),
    }
}

fn error_report(outcome: Outcome) -> ErrorReport {
    match outcome {
        Outcome::Error(report) => report,
        other => panic!("expected an error report, got {other:?}"),
    }
}

#[derive(Deserialize)]
struct Greet {
    name: String,
}

#[derive(Serialize)]
struct Greeting {
    message: String,
}

async fn greet(event: LambdaEvent<Greet>) -> Result<Greeting, Error> {
    Ok(Greeting {
        message: format!("Hello, {}!", event.payload.name),
    })
}

#[tokio::test]
async fn typed_handler_answers_each_invocation_with_its_json() {
    let h = Harness::start(service_fn(greet)).await;
    for name in ["world", "Lambda", "again"] {
        let outcome = h.invoke(json!({ "name": name })).await;
        assert_eq!(
            response_json(&outcome),
            json!({ "message": format!("Hello, {name}!") })
        );
        let response = outcome.response().unwrap();
        assert_eq!(response.headers["content-type"], "application/json");
        assert!(!response.streamed);
    }
}

#[tokio::test]
async fn invocations_share_one_keep_alive_connection_that_names_the_runtime() {
    let h = Harness::start(service_fn(greet)).await;
    for _ in 0..5 {
        response_json(&h.invoke(json!({"name": "ua"})).await);
    }
    let requests = h.api.requests();
    assert!(requests.len() >= 10, "{requests:?}");
    let first_peer = requests[0].peer.expect("the peer is recorded");
    for request in requests {
        assert_eq!(
            request.peer,
            Some(first_peer),
            "a second connection was opened"
        );
        let ua = request.headers["user-agent"].to_str().unwrap();
        assert_eq!(ua, concat!("lambda-runtime-rs/", env!("CARGO_PKG_VERSION")));
        assert!(request.headers.contains_key("host"));
    }
}

#[tokio::test]
async fn context_carries_every_invocation_header() {
    let h = Harness::start(service_fn(|event: LambdaEvent<Value>| async move {
        let ctx = event.context;
        Ok::<_, Error>(json!({
            "requestId": ctx.request_id,
            "arn": ctx.invoked_function_arn,
            "trace": ctx.xray_trace_id,
            "tenant": ctx.tenant_id,
            "app": ctx.client_context.as_ref().map(|c| c.client.app_title.clone()),
            "custom": ctx.client_context.as_ref().map(|c| c.custom.clone()),
            "pool": ctx.identity.as_ref().map(|i| i.cognito_identity_pool_id.clone()),
            "remainingPositive": ctx.remaining() > Duration::ZERO,
            "remainingAtMost5s": ctx.remaining() <= Duration::from_secs(5),
        }))
    }))
    .await;
    let outcome = h
        .invoke(Invocation {
            request_id: Some("req-42".into()),
            timeout: Some(Duration::from_secs(5)),
            trace_id: Some("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1".into()),
            tenant_id: Some("tenant-a".into()),
            client_context: Some(json!({
                "client": {"installationId": "i", "appTitle": "Shop", "appVersionName": "1.2",
                           "appVersionCode": "12", "appPackageName": "com.example.shop"},
                "custom": {"cart": "3"},
                "env": {"platform": "Android"}
            })),
            cognito_identity: Some(json!({"cognitoIdentityId": "us-east-1:abc", "cognitoIdentityPoolId": "us-east-1:pool"})),
            ..Invocation::from(json!({}))
        })
        .await;
    assert_eq!(
        response_json(&outcome),
        json!({
            "requestId": "req-42",
            "arn": "arn:aws:lambda:us-east-1:012345678912:function:function",
            "trace": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            "tenant": "tenant-a",
            "app": "Shop",
            "custom": {"cart": "3"},
            "pool": "us-east-1:pool",
            "remainingPositive": true,
            "remainingAtMost5s": true,
        })
    );
}

/// Counts handler calls, to show which invocations reached the handler.
fn counting_greeter(
    calls: Arc<AtomicUsize>,
) -> impl Service<
    LambdaEvent<Greet>,
    Response = Greeting,
    Error = Error,
    Future = impl Future<Output = Result<Greeting, Error>> + Send,
> + Send
       + 'static {
    service_fn(move |event: LambdaEvent<Greet>| {
        calls.fetch_add(1, Ordering::SeqCst);
        greet(event)
    })
}

#[tokio::test]
async fn event_that_is_not_json_is_reported_and_the_loop_continues() {
    let calls = Arc::new(AtomicUsize::new(0));
    let h = Harness::start(counting_greeter(calls.clone())).await;
    let report = error_report(h.invoke("{not json").await);
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InvalidEvent")
    );
    assert_eq!(report.error_type().as_deref(), Some("Runtime.InvalidEvent"));
    let message = report.error_message().unwrap();
    assert!(message.contains("does not fit"), "{message}");
    assert!(message.contains("key must be a string"), "{message}");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler is not called");

    response_json(&h.invoke(json!({"name": "next"})).await);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn event_of_the_wrong_shape_names_the_failing_field() {
    #[derive(Deserialize)]
    struct Order {
        #[allow(dead_code)]
        items: Vec<Item>,
    }
    #[derive(Deserialize)]
    struct Item {
        #[allow(dead_code)]
        quantity: u32,
    }
    let h = Harness::start(service_fn(|_: LambdaEvent<Order>| async {
        Ok::<_, Error>("ok")
    }))
    .await;
    let report = error_report(
        h.invoke(json!({"items": [{"quantity": 1}, {"quantity": "two"}]}))
            .await,
    );
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InvalidEvent")
    );
    let message = report.error_message().unwrap();
    assert!(message.contains("at `items[1].quantity`"), "{message}");
    assert!(
        message.contains("invalid type: string \"two\""),
        "{message}"
    );

    let report = error_report(h.invoke(r#"{"items": []} trailing"#).await);
    assert!(report
        .error_message()
        .unwrap()
        .contains("trailing characters"));
}

#[derive(Debug)]
enum OrderError {
    OutOfStock(String),
}

impl From<OrderError> for Diagnostic {
    fn from(e: OrderError) -> Diagnostic {
        match e {
            OrderError::OutOfStock(sku) => {
                Diagnostic::new("OutOfStock", format!("{sku} is out of stock"))
            }
        }
    }
}

#[tokio::test]
async fn handler_error_is_reported_with_its_chosen_type() {
    let h = Harness::start(service_fn(|event: LambdaEvent<Value>| async move {
        match event.payload["sku"].as_str() {
            Some(sku) => Err(OrderError::OutOfStock(sku.to_owned())),
            None => Ok("fine"),
        }
    }))
    .await;
    let report = error_report(h.invoke(json!({"sku": "A-1"})).await);
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Function.OutOfStock")
    );
    assert_eq!(
        report.body,
        r#"{"errorType":"OutOfStock","errorMessage":"A-1 is out of stock"}"#
    );
    assert_eq!(report.headers["content-type"], "application/json");
    assert_eq!(response_json(&h.invoke(json!({})).await), json!("fine"));
}

#[tokio::test]
async fn boxed_error_is_reported_as_error_with_its_causes() {
    let h = Harness::start(service_fn(|_: LambdaEvent<Value>| async {
        let parse: Result<u32, _> = "x".parse::<u32>();
        parse.map_err(Error::from)
    }))
    .await;
    let report = error_report(h.invoke(json!({})).await);
    assert_eq!(report.error_type_header.as_deref(), Some("Function.Error"));
    assert_eq!(
        report.json().unwrap(),
        json!({"errorType": "Error", "errorMessage": "invalid digit found in string"})
    );
}

#[tokio::test]
async fn panicking_handler_reports_error_and_keeps_serving() {
    let h = Harness::start(service_fn(|event: LambdaEvent<Value>| {
        if event.payload["where"] == "sync" {
            panic!("boom before the future");
        }
        async move {
            if event.payload["where"] == "async" {
                panic!("boom inside the future");
            }
            Ok::<_, Error>(event.payload)
        }
    }))
    .await;
    for (place, message) in [
        ("sync", "boom before the future"),
        ("async", "boom inside the future"),
    ] {
        let report = error_report(h.invoke(json!({ "where": place })).await);
        assert_eq!(
            report.error_type_header.as_deref(),
            Some("Runtime.HandlerPanic")
        );
        assert_eq!(
            report.error_message().as_deref(),
            Some(format!("the handler panicked: {message}").as_str())
        );
    }
    assert_eq!(
        response_json(&h.invoke(json!({"where": "nowhere"})).await),
        json!({"where": "nowhere"})
    );
}

#[tokio::test]
async fn response_that_cannot_serialize_is_reported() {
    let h = Harness::start(service_fn(|_: LambdaEvent<Value>| async {
        // JSON object keys must be strings: this map cannot be serialized.
        let mut map = HashMap::new();
        map.insert(vec![1u8], 1);
        Ok::<_, Error>(map)
    }))
    .await;
    let report = error_report(h.invoke(json!({})).await);
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InvalidResponse")
    );
    assert!(report
        .error_message()
        .unwrap()
        .contains("could not be serialized to JSON: key must be a string"));
}

#[tokio::test]
async fn oversized_response_is_reported_as_response_size_too_large() {
    let h = Harness::start(service_fn(|event: LambdaEvent<Value>| async move {
        let size = event.payload["size"].as_u64().unwrap_or(0) as usize;
        Ok::<_, Error>("x".repeat(size))
    }))
    .await;
    let report = error_report(h.invoke(json!({"size": 7 * 1024 * 1024})).await);
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Function.ResponseSizeTooLarge")
    );
    assert_eq!(
        report.error_type().as_deref(),
        Some("Function.ResponseSizeTooLarge")
    );
    assert!(report.error_message().unwrap().contains("7340034 bytes"));
    // Just under the limit (6 291 556 bytes including the two quotes) still goes through.
    let ok = h.invoke(json!({"size": 6_291_554})).await;
    assert_eq!(ok.response().unwrap().body.len(), 6_291_556);
}

#[tokio::test]
async fn next_answered_500_ends_run_with_a_typed_error() {
    let h = Harness::start(service_fn(greet)).await;
    h.api.faults().fail_next_with_status(500);
    match h.run_result().await {
        Err(RuntimeError::Status { call, status, .. }) => {
            assert_eq!(call, "next");
            assert_eq!(status, 500);
        }
        other => panic!("expected a status error, got {other:?}"),
    }
}

#[tokio::test]
async fn connection_refused_ends_run_with_a_typed_error() {
    // Bind and drop a listener to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = Endpoint::parse(&format!("127.0.0.1:{port}")).unwrap();
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        Runtime::new(endpoint, Config::default()).run(service_fn(greet)),
    )
    .await
    .expect("run() returns promptly");
    match result {
        Err(e @ RuntimeError::Api { call: "next", .. }) => {
            assert!(format!("{e:?}").contains("cannot connect"), "{e:?}");
        }
        other => panic!("expected a connection error, got {other:?}"),
    }
}

#[tokio::test]
async fn dropped_connection_on_next_is_retried_on_a_new_connection() {
    let h = Harness::start(service_fn(greet)).await;
    response_json(&h.invoke(json!({"name": "before"})).await);
    h.api.faults().close_next_connection();
    assert_eq!(
        response_json(&h.invoke(json!({"name": "after"})).await),
        json!({"message": "Hello, after!"})
    );
}

#[tokio::test]
async fn failed_initialization_is_reported_to_init_error() {
    let api = RuntimeApi::start().await.unwrap();
    let mut runtime = runtime_for(&api);
    let result: Result<(), RuntimeError> = runtime
        .init(async { Err(Diagnostic::new("ConfigError", "DATABASE_URL is not set")) })
        .await;
    match result {
        Err(RuntimeError::Init(d)) => assert_eq!(d.error_type(), "ConfigError"),
        other => panic!("expected an init error, got {other:?}"),
    }
    let report = api
        .init_error(Duration::from_secs(5))
        .await
        .expect("an init error was posted");
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Function.ConfigError")
    );
    assert_eq!(
        report.body,
        r#"{"errorType":"ConfigError","errorMessage":"DATABASE_URL is not set"}"#
    );
}

#[tokio::test]
async fn panicking_initialization_is_reported_to_init_error() {
    let api = RuntimeApi::start().await.unwrap();
    let mut runtime = runtime_for(&api);
    let result = runtime
        .init(async {
            if std::hint::black_box(true) {
                panic!("no config");
            }
            Ok::<u8, Diagnostic>(1)
        })
        .await;
    assert!(matches!(result, Err(RuntimeError::Init(_))));
    let report = api.init_error(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InitPanic")
    );
    assert!(report.error_message().unwrap().contains("no config"));
}

#[tokio::test]
async fn successful_initialization_is_not_reported() {
    let api = RuntimeApi::start().await.unwrap();
    let mut runtime = runtime_for(&api);
    let value = runtime
        .init(async { Ok::<_, Diagnostic>(7) })
        .await
        .unwrap();
    assert_eq!(value, 7);
    assert!(api.init_error(Duration::from_millis(200)).await.is_none());
}

#[test]
fn outside_lambda_the_error_says_how_to_run_locally() {
    let message = RuntimeError::NotInLambda.to_string();
    assert!(
        message.contains("AWS_LAMBDA_RUNTIME_API is not set"),
        "{message}"
    );
    assert!(message.contains("lambda-rs invoke"), "{message}");
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        assert!(matches!(
            Runtime::from_env(),
            Err(RuntimeError::NotInLambda)
        ));
    }
}

#[tokio::test]
async fn next_dropped_twice_in_a_row_ends_run_with_a_typed_error() {
    let h = Harness::start(service_fn(greet)).await;
    h.api.faults().close_next_connection();
    h.api.faults().close_next_connection();
    h.api.faults().close_next_connection();
    match h.run_result().await {
        Err(e @ RuntimeError::Api { call: "next", .. }) => {
            assert!(format!("{e:?}").contains("connection"), "{e:?}");
        }
        other => panic!("expected a connection error, got {other:?}"),
    }
}

#[tokio::test]
async fn response_refused_with_4xx_is_logged_and_the_loop_continues() {
    let h = Harness::start(service_fn(greet)).await;
    // A request id with a slash makes the runtime post to a path the Runtime API does not know
    // (404): that invocation is never answered, and the runtime serves the next one.
    let lost = h
        .invoke(Invocation {
            request_id: Some("not/a-route".into()),
            timeout: Some(Duration::from_millis(500)),
            ..Invocation::from(json!({"name": "lost"}))
        })
        .await;
    assert!(matches!(lost, Outcome::Timeout { .. }), "{lost:?}");
    assert_eq!(
        response_json(&h.invoke(json!({"name": "found"})).await),
        json!({"message": "Hello, found!"})
    );
}

#[tokio::test]
async fn max_concurrency_invocations_are_in_flight_at_once() {
    use lambda_emulator::RuntimeApiConfig;
    const SLOTS: usize = 4;
    let api = RuntimeApi::start_with(RuntimeApiConfig {
        max_concurrency: SLOTS,
        ..RuntimeApiConfig::default()
    })
    .await
    .unwrap();
    let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
    let config = Config::from_lookup(|name| {
        (name == "AWS_LAMBDA_MAX_CONCURRENCY").then(|| SLOTS.to_string())
    });
    assert_eq!(config.max_concurrency, SLOTS);
    // Every handler waits until all SLOTS invocations are in flight: this only completes if the
    // runtime really runs them at the same time.
    let barrier = Arc::new(tokio::sync::Barrier::new(SLOTS));
    let service = service_fn(move |event: LambdaEvent<Value>| {
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            Ok::<_, Error>(json!({"n": event.payload["n"], "id": event.context.request_id}))
        }
    });
    let runtime = tokio::spawn(Runtime::new(endpoint, config).run(service));
    let (a, b, c, d) = tokio::join!(
        api.invoke(json!({ "n": 0 })),
        api.invoke(json!({ "n": 1 })),
        api.invoke(json!({ "n": 2 })),
        api.invoke(json!({ "n": 3 })),
    );
    for (n, outcome) in [a, b, c, d].iter().enumerate() {
        assert_eq!(response_json(outcome)["n"], n);
    }
    runtime.abort();
}

#[tokio::test]
async fn garbled_deadline_is_reported_for_that_invocation_and_the_loop_continues() {
    let calls = Arc::new(AtomicUsize::new(0));
    let h = Harness::start(counting_greeter(calls.clone())).await;
    h.api
        .faults()
        .override_next_header("Lambda-Runtime-Deadline-Ms", Some("soon"));
    let report = error_report(h.invoke(json!({"name": "late"})).await);
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InvalidContext")
    );
    assert_eq!(
        report.error_message().as_deref(),
        Some("the lambda-runtime-deadline-ms header `soon` is not a Unix time in milliseconds")
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler is not called");
    response_json(&h.invoke(json!({"name": "on time"})).await);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn invocation_without_a_request_id_is_skipped_and_the_next_is_served() {
    let calls = Arc::new(AtomicUsize::new(0));
    let h = Harness::start(counting_greeter(calls.clone())).await;
    h.api
        .faults()
        .override_next_header("Lambda-Runtime-Aws-Request-Id", None);
    // Nobody can answer an invocation without an id: it times out...
    let lost = h
        .invoke(Invocation {
            timeout: Some(Duration::from_millis(500)),
            ..Invocation::from(json!({"name": "anonymous"}))
        })
        .await;
    assert!(matches!(lost, Outcome::Timeout { .. }), "{lost:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler is not called");
    // ...and the runtime goes on polling: the next, well-formed invocation is served.
    assert_eq!(
        response_json(&h.invoke(json!({"name": "named"})).await),
        json!({"message": "Hello, named!"})
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(!h.runtime.is_finished(), "run() is still serving");
}
