//! Telemetry API and Logs API subscriptions, fed by real processes, delivered over HTTP.

mod common;

use common::{bounded, request, ExtensionsSetup, Listener};
use http::{Method, StatusCode};
use lambda_emulator::{Environment, Invocation, RuntimeApi};
use serde_json::{json, Value};

fn of_type<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == kind).collect()
}

#[tokio::test]
async fn telemetry_subscriber_gets_function_lines_and_platform_records_with_real_figures() {
    let listener = Listener::start().await;
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    let environment =
        Environment::start(setup.function(&[("FIXTURE_TELEMETRY_URI", &listener.uri())]))
            .await
            .unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("tel-1".into()),
        ..Invocation::from(json!({"action": "log", "lines": ["hello telemetry", r#"{"level":"INFO","message":"structured"}"#]}))
    }))
    .await;
    assert_eq!(outcome.response().unwrap().body, r#""logged""#);
    listener
        .wait_for(|r| r["type"] == "platform.report" && r["record"]["requestId"] == "tel-1")
        .await;
    listener
        .wait_for(|r| r["type"] == "function" && r["record"] == "hello telemetry")
        .await;
    bounded(environment.shutdown()).await;
    let records = listener.snapshot();

    assert!(records.iter().all(|r| {
        let time = r["time"].as_str().unwrap();
        time.len() == "2026-11-23T11:23:50.123Z".len()
            && time.ends_with('Z')
            && &time[10..11] == "T"
    }));
    assert_eq!(
        of_type(&records, "platform.initStart")[0]["record"],
        json!({"initializationType": "on-demand", "phase": "init"})
    );
    assert_eq!(
        of_type(&records, "platform.initRuntimeDone")[0]["record"]["status"],
        "success"
    );
    assert!(
        of_type(&records, "platform.initReport")[0]["record"]["metrics"]["durationMs"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(
        of_type(&records, "platform.extension")[0]["record"],
        json!({"name": "ext-telemetry", "state": "Ready", "events": ["INVOKE", "SHUTDOWN"]})
    );
    assert_eq!(
        of_type(&records, "platform.telemetrySubscription")[0]["record"],
        json!({"name": "ext-telemetry", "state": "Subscribed", "types": ["platform", "function", "extension"]})
    );
    assert_eq!(
        of_type(&records, "platform.start")[0]["record"],
        json!({"requestId": "tel-1", "version": "$LATEST"})
    );
    let done = &of_type(&records, "platform.runtimeDone")[0]["record"];
    assert_eq!(done["requestId"], "tel-1");
    assert_eq!(done["status"], "success");
    assert_eq!(done["metrics"]["producedBytes"], 8);
    assert!(done["metrics"]["durationMs"].as_f64().unwrap() > 0.0);
    let report = &of_type(&records, "platform.report")[0]["record"];
    assert_eq!(report["status"], "success");
    let metrics = &report["metrics"];
    let duration = metrics["durationMs"].as_f64().unwrap();
    assert_eq!(
        metrics["billedDurationMs"].as_u64().unwrap(),
        duration.ceil() as u64
    );
    assert_eq!(metrics["memorySizeMB"], 128);
    assert!(metrics["maxMemoryUsedMB"].as_u64().unwrap() > 0);
    assert!(metrics["initDurationMs"].as_f64().unwrap() > 0.0);
    assert!(records
        .iter()
        .any(|r| r["type"] == "function" && r["record"] == "init done"));
    assert!(records
        .iter()
        .any(|r| r["type"] == "extension" && r["record"] == "ext-telemetry registered"));
}

#[tokio::test]
async fn logs_api_subscriber_gets_the_2021_03_18_schema() {
    let listener = Listener::start().await;
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    let environment = Environment::start(setup.function(&[
        ("FIXTURE_TELEMETRY_URI", &listener.uri()),
        ("FIXTURE_SUBSCRIBE_API", "logs"),
    ]))
    .await
    .unwrap();
    bounded(environment.invoke(Invocation {
        request_id: Some("logs-1".into()),
        ..Invocation::from("1")
    }))
    .await;
    listener
        .wait_for(|r| r["type"] == "platform.report" && r["record"]["requestId"] == "logs-1")
        .await;
    bounded(environment.shutdown()).await;
    let records = listener.snapshot();
    assert_eq!(
        of_type(&records, "platform.logsSubscription")[0]["record"]["name"],
        "ext-telemetry"
    );
    assert_eq!(
        of_type(&records, "platform.runtimeDone")[0]["record"],
        json!({"requestId": "logs-1", "status": "success"})
    );
    let report = &of_type(&records, "platform.report")[0]["record"];
    assert!(report.get("status").is_none());
    assert_eq!(report["metrics"]["memorySizeMB"], 128);
    // The Logs API has no init records.
    assert!(of_type(&records, "platform.initStart").is_empty());
}

#[tokio::test]
async fn logs_api_subscriber_gets_platform_fault_when_the_runtime_crashes() {
    let listener = Listener::start().await;
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    let environment = Environment::start(setup.function(&[
        ("FIXTURE_TELEMETRY_URI", &listener.uri()),
        ("FIXTURE_SUBSCRIBE_API", "logs"),
    ]))
    .await
    .unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("crash-1".into()),
        ..Invocation::from(r#"{"action": "crash", "code": 3}"#)
    }))
    .await;
    assert_eq!(
        outcome.error().unwrap().error_type().as_deref(),
        Some("Runtime.ExitError")
    );
    listener.wait_for(|r| r["type"] == "platform.fault").await;
    bounded(environment.shutdown()).await;
    let records = listener.snapshot();
    assert_eq!(
        of_type(&records, "platform.fault")[0]["record"],
        "RequestId: crash-1 Process exited before completing request"
    );
}

#[tokio::test]
async fn a_listener_that_is_not_up_yet_gets_the_records_on_retry_and_never_blocks_the_function() {
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = reserved.local_addr().unwrap();
    drop(reserved);
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    let uri = format!("http://sandbox.localdomain:{}/telemetry", address.port());
    let environment = Environment::start(setup.function(&[("FIXTURE_TELEMETRY_URI", &uri)]))
        .await
        .unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("late-1".into()),
        ..Invocation::from("1")
    }))
    .await;
    assert_eq!(outcome.response().unwrap().body, "1");
    let listener = Listener::bind(address).await;
    listener
        .wait_for(|r| r["type"] == "platform.report" && r["record"]["requestId"] == "late-1")
        .await;
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn a_batch_the_listener_keeps_refusing_is_reported_with_platform_logs_dropped() {
    // The first batch (the Init records) fails all 5 attempts; later batches get through and
    // start with platform.logsDropped.
    let listener = Listener::bind_failing("127.0.0.1:0".parse().unwrap(), 5).await;
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    let environment =
        Environment::start(setup.function(&[("FIXTURE_TELEMETRY_URI", &listener.uri())]))
            .await
            .unwrap();
    bounded(environment.invoke(Invocation {
        request_id: Some("d-1".into()),
        ..Invocation::from("1")
    }))
    .await;
    listener
        .wait_for(|r| r["type"] == "platform.logsDropped")
        .await;
    bounded(environment.shutdown()).await;
    let records = listener.snapshot();
    let dropped = &of_type(&records, "platform.logsDropped")[0]["record"];
    assert!(
        dropped["droppedRecords"].as_u64().unwrap() >= 3,
        "{dropped}"
    );
    assert!(dropped["droppedBytes"].as_u64().unwrap() > 0);
    assert!(dropped["reason"].as_str().unwrap().contains("listener"));
    // The Init records were in the dropped batch.
    assert!(of_type(&records, "platform.initStart").is_empty());
}

#[tokio::test]
async fn subscribing_after_init_is_refused() {
    let listener = Listener::start().await;
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    let environment =
        Environment::start(setup.function(&[("FIXTURE_TELEMETRY_URI", &listener.uri())]))
            .await
            .unwrap();
    bounded(environment.invoke("1")).await;
    assert_eq!(
        setup.recorded("ext-telemetry")[1],
        json!({"subscribe": 200})
    );
    let raw = std::fs::read_to_string(setup.records.path.join("ext-telemetry.jsonl")).unwrap();
    let identifier_line: Value = serde_json::from_str(raw.lines().nth(1).unwrap()).unwrap();
    let identifier = identifier_line["identifier"].as_str().unwrap().to_string();
    let body = json!({"schemaVersion": "2022-12-13", "types": ["platform"], "destination": {"protocol": "HTTP", "URI": listener.uri()}});
    let late = request(
        environment.runtime_api().address(),
        Method::PUT,
        "/2022-07-01/telemetry",
        &[("lambda-extension-identifier", &identifier)],
        body.to_string(),
    )
    .await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    assert_eq!(late.json()["errorType"], "Extension.SubscriptionClosed");
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn subscriptions_are_validated_with_clear_400s() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let registered = request(
        address,
        Method::POST,
        "/2020-01-01/extension/register",
        &[("lambda-extension-name", "internal")],
        r#"{"events":["INVOKE"]}"#,
    )
    .await;
    let id = registered
        .header("lambda-extension-identifier")
        .unwrap()
        .to_string();
    let put = |body: Value| {
        let id = id.clone();
        async move {
            request(
                address,
                Method::PUT,
                "/2022-07-01/telemetry",
                &[("lambda-extension-identifier", &id)],
                body.to_string(),
            )
            .await
        }
    };
    let good = json!({"schemaVersion": "2022-07-01", "types": ["platform"], "destination": {"protocol": "HTTP", "URI": "http://sandbox.localdomain:8123/"}});
    let cases = [
        (
            json!({"schemaVersion": "2019-01-01", "types": ["platform"], "destination": good["destination"]}),
            "schemaVersion must be one of 2022-07-01, 2022-12-13, 2025-01-29",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": [], "destination": good["destination"]}),
            "types must be a non-empty array",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["metrics"], "destination": good["destination"]}),
            "unknown type \"metrics\"",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "buffering": {"timeoutMs": 10}, "destination": good["destination"]}),
            "buffering.timeoutMs must be an integer from 25 to 30000",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "buffering": {"maxBytes": 2_000_000}, "destination": good["destination"]}),
            "buffering.maxBytes must be an integer from 262144 to 1048576",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "buffering": {"maxItems": 5}, "destination": good["destination"]}),
            "buffering.maxItems must be an integer from 1000 to 10000",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "destination": {"protocol": "TCP"}}),
            "a TCP destination needs a port",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "destination": {"protocol": "TCP", "port": 9001}}),
            "port 9001 is reserved",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "destination": {"protocol": "UDP"}}),
            "destination must be",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "destination": {"protocol": "HTTP", "URI": "http://sandbox.localdomain:9001/"}}),
            "port 9001 is reserved",
        ),
        (
            json!({"schemaVersion": "2022-07-01", "types": ["platform"], "destination": {"protocol": "HTTP", "URI": "http://example.com:80/"}}),
            "use sandbox.localdomain",
        ),
    ];
    for (body, message) in cases {
        let reply = put(body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.json()["errorType"], "ValidationError");
        assert!(
            reply.json()["errorMessage"]
                .as_str()
                .unwrap()
                .contains(message),
            "{}",
            reply.json()
        );
    }
    let not_json = request(
        address,
        Method::PUT,
        "/2022-07-01/telemetry",
        &[("lambda-extension-identifier", &id)],
        "{",
    )
    .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    let no_id = request(
        address,
        Method::PUT,
        "/2022-07-01/telemetry",
        &[],
        good.to_string(),
    )
    .await;
    assert_eq!(no_id.status, StatusCode::FORBIDDEN);
    assert_eq!(no_id.json()["errorType"], "Extension.MissingHeader");
    let unknown = request(
        address,
        Method::PUT,
        "/2022-07-01/telemetry",
        &[("lambda-extension-identifier", "x")],
        good.to_string(),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
    let accepted = put(good).await;
    assert_eq!(accepted.status, StatusCode::OK);
}

#[tokio::test]
async fn tcp_subscriber_gets_one_json_record_per_line() {
    use tokio::io::AsyncBufReadExt;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    let environment = Environment::start(setup.function(&[("FIXTURE_TELEMETRY_TCP_PORT", &port)]))
        .await
        .unwrap();
    let records = tokio::spawn(async move {
        let mut seen = Vec::new();
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let mut lines = tokio::io::BufReader::new(stream).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let record: Value = serde_json::from_str(&line).unwrap();
                let done = record["type"] == "platform.report";
                seen.push(record);
                if done {
                    return seen;
                }
            }
        }
    });
    bounded(environment.invoke(Invocation {
        request_id: Some("tcp-1".into()),
        ..Invocation::from("1")
    }))
    .await;
    let records = bounded(records).await.unwrap();
    bounded(environment.shutdown()).await;
    assert_eq!(
        of_type(&records, "platform.start")[0]["record"]["requestId"],
        "tcp-1"
    );
    assert_eq!(
        of_type(&records, "platform.report")[0]["record"]["requestId"],
        "tcp-1"
    );
    assert!(records
        .iter()
        .any(|r| r["type"] == "function" && r["record"] == "init done"));
}

#[tokio::test]
async fn buffered_records_reach_the_subscriber_before_shutdown() {
    let listener = Listener::start().await;
    let setup = ExtensionsSetup::new(&["ext-telemetry"]);
    // Batches go out after 30 s (or 1000 records): only the shutdown flush can deliver them.
    let environment = Environment::start(setup.function(&[
        ("FIXTURE_TELEMETRY_URI", &listener.uri()),
        ("FIXTURE_TELEMETRY_TIMEOUT_MS", "30000"),
    ]))
    .await
    .unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("only".into()),
        ..Invocation::from("1")
    }))
    .await;
    assert_eq!(outcome.response().unwrap().body, "1");
    bounded(environment.shutdown()).await;
    let records = listener.snapshot();
    let report = of_type(&records, "platform.report");
    assert_eq!(report.len(), 1, "{records:?}");
    assert_eq!(report[0]["record"]["requestId"], "only");
    assert_eq!(report[0]["record"]["status"], "success");
    // The extension got SHUTDOWN after the flush, and exited.
    let recorded = setup.recorded("ext-telemetry");
    assert_eq!(recorded.last().unwrap()["eventType"], "SHUTDOWN");
}
