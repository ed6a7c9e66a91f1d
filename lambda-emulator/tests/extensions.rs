//! The Extensions API, with external extensions written in Python (standard library only).

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{bounded, request, Client, ExtensionsSetup};
use http::{Method, StatusCode};
use lambda_emulator::{
    Environment, Invocation, LogSource, Outcome, PhaseStatus, PlatformEvent, RuntimeApi,
};
use serde_json::json;

const REGISTER: &str = "/2020-01-01/extension/register";
const NEXT: &str = "/2020-01-01/extension/event/next";

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[tokio::test]
async fn extension_receives_invoke_and_shutdown_events_with_real_deadlines() {
    let setup = ExtensionsSetup::new(&["ext-ok"]);
    let mut config = setup.function(&[]);
    config.function_name = "with-ext".into();
    let environment = Environment::start(config).await.unwrap();
    let before = now_ms();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("ext-req-1".into()),
        trace_id: Some(
            "Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=0".into(),
        ),
        timeout: Some(Duration::from_secs(10)),
        ..Invocation::from(r#""hi""#)
    }))
    .await;
    assert_eq!(outcome.response().expect("a response").body, r#""hi""#);
    let arn = environment.config().function_arn();
    bounded(environment.shutdown()).await;

    let recorded = setup.recorded("ext-ok");
    assert_eq!(
        recorded[0],
        json!({"register": {"functionName": "with-ext", "functionVersion": "$LATEST", "handler": "bootstrap", "accountId": "012345678912"}})
    );
    let invoke = &recorded[1];
    assert_eq!(invoke["eventType"], "INVOKE");
    assert_eq!(invoke["requestId"], "ext-req-1");
    assert_eq!(invoke["invokedFunctionArn"], arn);
    assert_eq!(
        invoke["tracing"],
        json!({"type": "X-Amzn-Trace-Id", "value": "Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=0"})
    );
    let deadline = invoke["deadlineMs"].as_u64().unwrap();
    assert!(
        deadline > before + 9_000 && deadline <= now_ms() + 10_000,
        "{deadline}"
    );
    let shutdown = &recorded[2];
    assert_eq!(shutdown["eventType"], "SHUTDOWN");
    assert_eq!(shutdown["shutdownReason"], "spindown");
    assert!(shutdown["deadlineMs"].as_u64().unwrap() >= before);
    assert_eq!(recorded.len(), 3);
}

#[tokio::test]
async fn extension_output_is_captured_as_extension_lines() {
    let setup = ExtensionsSetup::new(&["ext-ok"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    bounded(environment.invoke("1")).await;
    let lines = environment.logs();
    assert!(lines.iter().any(
        |l| l.source == LogSource::Extension("ext-ok".into()) && l.text == "ext-ok registered"
    ));
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn extension_init_error_fails_the_invocation_with_extension_init_error() {
    let setup = ExtensionsSetup::new(&["ext-initerror"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("ie".into()),
        ..Invocation::from("{}")
    }))
    .await;
    let report = outcome.error().expect("an error");
    assert_eq!(report.error_type().as_deref(), Some("Extension.InitError"));
    assert_eq!(
        report.error_message().as_deref(),
        Some("RequestId: ie Error: extension ext-initerror reported Extension.ConfigInvalid")
    );
    let errors = environment.runtime_api().extension_errors();
    assert_eq!(errors[0].name, "ext-initerror");
    assert_eq!(errors[0].kind, lambda_emulator::ExtensionErrorKind::Init);
    assert!(String::from_utf8_lossy(&errors[0].body).contains("no API key"));
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn extension_that_exits_during_init_fails_the_invocation_with_extension_crash() {
    let setup = ExtensionsSetup::new(&["ext-crash"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("ec".into()),
        ..Invocation::from("{}")
    }))
    .await;
    let report = outcome.error().expect("an error");
    assert_eq!(report.error_type().as_deref(), Some("Extension.Crash"));
    assert_eq!(
        report.error_message().as_deref(),
        Some("RequestId: ec Error: extension ext-crash exited: exit status 4")
    );
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn timeout_sends_shutdown_with_reason_timeout_and_the_next_invoke_reinitialises() {
    let setup = ExtensionsSetup::new(&["ext-ok"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    let outcome = bounded(environment.invoke(Invocation {
        timeout: Some(Duration::from_millis(500)),
        ..Invocation::from(json!({"action": "sleep", "seconds": 30}))
    }))
    .await;
    assert!(matches!(outcome, Outcome::Timeout { .. }), "{outcome:?}");
    let again = bounded(environment.invoke(r#""after""#)).await;
    assert_eq!(again.response().expect("a response").body, r#""after""#);
    bounded(environment.shutdown()).await;
    let kinds: Vec<String> = setup
        .recorded("ext-ok")
        .iter()
        .map(|e| match (e.get("register"), e["eventType"].as_str()) {
            (Some(_), _) => "register".to_string(),
            (None, Some("SHUTDOWN")) => {
                format!("SHUTDOWN:{}", e["shutdownReason"].as_str().unwrap())
            }
            (None, Some(other)) => other.to_string(),
            _ => "?".to_string(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "register",
            "INVOKE",
            "SHUTDOWN:timeout",
            "register",
            "INVOKE",
            "SHUTDOWN:spindown"
        ]
    );
}

#[tokio::test]
async fn runtime_crash_sends_shutdown_with_reason_failure() {
    let setup = ExtensionsSetup::new(&["ext-ok"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    let outcome = bounded(environment.invoke(json!({"action": "crash"}))).await;
    assert_eq!(
        outcome.error().unwrap().error_type().as_deref(),
        Some("Runtime.ExitError")
    );
    bounded(environment.shutdown()).await;
    let recorded = setup.recorded("ext-ok");
    assert_eq!(recorded.last().unwrap()["shutdownReason"], "failure");
}

#[tokio::test]
async fn extension_overrunning_the_deadline_times_the_invocation_out() {
    let setup = ExtensionsSetup::new(&["ext-slow"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    let mut events = environment.platform_events();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("overrun".into()),
        timeout: Some(Duration::from_millis(500)),
        ..Invocation::from("1")
    }))
    .await;
    // The runtime answered in time: the caller has the response; the Invoke phase timed out.
    assert_eq!(outcome.response().expect("a response").body, "1");
    let report = bounded(async {
        loop {
            if let Some(PlatformEvent::Report {
                request_id, status, ..
            }) = events.recv().await
            {
                break (request_id, status);
            }
        }
    })
    .await;
    assert_eq!(report, ("overrun".to_string(), PhaseStatus::Timeout));
    bounded(environment.shutdown()).await;
    let recorded = setup.recorded("ext-slow");
    assert_eq!(recorded.last().unwrap()["shutdownReason"], "timeout");
}

#[tokio::test]
async fn caller_gets_the_response_while_an_extension_is_still_busy_with_the_invoke() {
    let setup = ExtensionsSetup::new(&["ext-hold"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    let mut events = environment.platform_events();
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("early".into()),
        timeout: Some(Duration::from_secs(20)),
        ..Invocation::from("1")
    }))
    .await;
    assert_eq!(outcome.response().expect("a response").body, "1");
    // The extension has not been released yet: the Invoke phase is still under way, so there
    // is a runtimeDone but no report.
    assert!(!setup
        .recorded("ext-hold")
        .iter()
        .any(|e| e.get("released").is_some()));
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event);
    }
    assert!(seen.iter().any(
        |e| matches!(e, PlatformEvent::RuntimeDone { request_id, .. } if request_id == "early")
    ));
    assert!(!seen
        .iter()
        .any(|e| matches!(e, PlatformEvent::Report { .. })));

    std::fs::write(setup.records.path.join("release"), b"").unwrap();
    // Shutdown waits for the Invoke phase to end, then the report comes.
    bounded(environment.shutdown()).await;
    let mut report = None;
    while let Ok(event) = events.try_recv() {
        if let PlatformEvent::Report {
            request_id, status, ..
        } = event
        {
            report = Some((request_id, status));
        }
    }
    assert_eq!(report, Some(("early".to_string(), PhaseStatus::Success)));
    let kinds: Vec<String> = setup
        .recorded("ext-hold")
        .iter()
        .filter_map(|e| match (e.get("released"), e["eventType"].as_str()) {
            (Some(id), _) => Some(format!("released:{}", id.as_str().unwrap())),
            (None, Some(kind)) => Some(kind.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["INVOKE", "released:early", "SHUTDOWN"]);
}

#[tokio::test]
async fn next_invocation_waits_until_extensions_finish_the_previous_one() {
    let setup = ExtensionsSetup::new(&["ext-slow"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    let record = setup.records.path.join("ext-slow.jsonl");
    let (first, second) = bounded(async {
        tokio::join!(
            environment.invoke(Invocation {
                request_id: Some("first".into()),
                ..Invocation::from("1")
            }),
            environment.invoke(json!({"action": "read", "path": record}))
        )
    })
    .await;
    assert_eq!(first.response().unwrap().body, "1");
    // When the function ran the second invocation, the extension had already recorded that it
    // was done with the first (2 s after its INVOKE).
    let seen: String = serde_json::from_slice(&second.response().unwrap().body).unwrap();
    assert!(seen.contains(r#"{"done": "first"}"#), "{seen}");
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn extension_ignoring_shutdown_is_killed_at_the_limit() {
    let setup = ExtensionsSetup::new(&["ext-stubborn"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    assert!(bounded(environment.invoke("1")).await.response().is_some());
    bounded(environment.shutdown()).await;
    let recorded = setup.recorded("ext-stubborn");
    assert_eq!(recorded.last().unwrap()["eventType"], "SHUTDOWN");
}

#[tokio::test]
async fn extensions_api_status_codes() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let post = |headers: Vec<(&'static str, &'static str)>, body: &'static str| async move {
        request(address, Method::POST, REGISTER, &headers, body).await
    };

    let no_name = post(vec![], r#"{"events":["INVOKE"]}"#).await;
    assert_eq!(no_name.status, StatusCode::FORBIDDEN);
    assert_eq!(
        no_name.json()["errorType"],
        "Extension.InvalidExtensionName"
    );

    let bad_json = post(vec![("lambda-extension-name", "a")], "{not json").await;
    assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_json.json()["errorType"], "InvalidRequestFormat");

    let bad_event = post(
        vec![("lambda-extension-name", "a")],
        r#"{"events":["LUNCH"]}"#,
    )
    .await;
    assert_eq!(bad_event.status, StatusCode::FORBIDDEN);
    assert_eq!(bad_event.json()["errorType"], "Extension.InvalidEventType");

    // Not an executable of the extensions directory: internal, so no SHUTDOWN.
    let internal_shutdown = post(
        vec![("lambda-extension-name", "a")],
        r#"{"events":["SHUTDOWN"]}"#,
    )
    .await;
    assert_eq!(internal_shutdown.status, StatusCode::FORBIDDEN);
    assert_eq!(
        internal_shutdown.json()["errorType"],
        "Extension.InvalidEventType"
    );

    let first = post(
        vec![("lambda-extension-name", "a")],
        r#"{"events":["INVOKE"]}"#,
    )
    .await;
    assert_eq!(first.status, StatusCode::OK);
    let id = first
        .header("lambda-extension-identifier")
        .unwrap()
        .to_string();
    assert_eq!(
        first.json(),
        json!({"functionName": "function", "functionVersion": "$LATEST", "handler": "bootstrap"})
    );

    let duplicate = post(vec![("lambda-extension-name", "a")], r#"{"events":[]}"#).await;
    assert_eq!(duplicate.status, StatusCode::FORBIDDEN);
    assert_eq!(
        duplicate.json()["errorType"],
        "Extension.InvalidExtensionState"
    );

    const NAMES: [&str; 9] = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for name in NAMES {
        assert_eq!(
            post(vec![("lambda-extension-name", name)], "").await.status,
            StatusCode::OK
        );
    }
    let eleventh = post(vec![("lambda-extension-name", "k")], "").await;
    assert_eq!(eleventh.status, StatusCode::FORBIDDEN);
    assert_eq!(eleventh.json()["errorType"], "Extension.TooManyExtensions");

    let missing_id = request(address, Method::GET, NEXT, &[], "").await;
    assert_eq!(missing_id.status, StatusCode::FORBIDDEN);
    assert_eq!(missing_id.json()["errorType"], "Extension.MissingHeader");
    let unknown_id = request(
        address,
        Method::GET,
        NEXT,
        &[("lambda-extension-identifier", "nope")],
        "",
    )
    .await;
    assert_eq!(unknown_id.status, StatusCode::FORBIDDEN);
    assert_eq!(
        unknown_id.json()["errorType"],
        "Extension.UnknownExtensionIdentifier"
    );

    let no_type = request(
        address,
        Method::POST,
        "/2020-01-01/extension/exit/error",
        &[("lambda-extension-identifier", &id)],
        "{}",
    )
    .await;
    assert_eq!(no_type.status, StatusCode::FORBIDDEN);
    assert_eq!(no_type.json()["errorType"], "Extension.MissingHeader");
    let exit_error = request(
        address,
        Method::POST,
        "/2020-01-01/extension/exit/error",
        &[
            ("lambda-extension-identifier", &id),
            ("lambda-extension-function-error-type", "Extension.Oops"),
        ],
        r#"{"errorType":"Oops","errorMessage":"bye"}"#,
    )
    .await;
    assert_eq!(exit_error.status, StatusCode::ACCEPTED);
    // After an error report no further call succeeds.
    let after = request(
        address,
        Method::GET,
        NEXT,
        &[("lambda-extension-identifier", &id)],
        "",
    )
    .await;
    assert_eq!(after.status, StatusCode::FORBIDDEN);
    assert_eq!(after.json()["errorType"], "Extension.InvalidExtensionState");
    let errors = api.extension_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].error_type, "Extension.Oops");
    assert_eq!(errors[0].kind, lambda_emulator::ExtensionErrorKind::Exit);

    let unknown_route = request(
        address,
        Method::GET,
        "/2020-01-01/extension/nothing",
        &[],
        "",
    )
    .await;
    assert_eq!(unknown_route.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn registration_closes_when_init_ends() {
    let setup = ExtensionsSetup::new(&["ext-quiet"]);
    let environment = Environment::start(setup.function(&[])).await.unwrap();
    bounded(environment.invoke("1")).await;
    let late = Client::connect(environment.runtime_api().address())
        .await
        .post(REGISTER, &[("lambda-extension-name", "late")], "")
        .await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    assert_eq!(late.json()["errorType"], "Extension.RegistrationClosed");
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn internal_extension_registered_by_the_runtime_gets_invoke_events() {
    let environment = Environment::start(common::python_function(&[("FIXTURE_INIT", "internal")]))
        .await
        .unwrap();
    let first = bounded(environment.invoke(Invocation {
        request_id: Some("int-1".into()),
        ..Invocation::from("1")
    }))
    .await;
    assert_eq!(first.response().expect("a response").body, "1");
    let events = bounded(environment.invoke(json!({"action": "internal_events"}))).await;
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&events.response().unwrap().body).unwrap();
    assert_eq!(events[0]["eventType"], "INVOKE");
    assert_eq!(events[0]["requestId"], "int-1");
    assert_eq!(environment.runtime_api().extension_errors().len(), 0);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn runtime_api_alone_sends_invoke_events_to_an_in_process_extension() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let registered = request(
        address,
        Method::POST,
        REGISTER,
        &[("lambda-extension-name", "in-process")],
        r#"{"events":["INVOKE"]}"#,
    )
    .await;
    let id = registered
        .header("lambda-extension-identifier")
        .unwrap()
        .to_string();
    let extension = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client
            .send(
                Method::GET,
                NEXT,
                &[("lambda-extension-identifier", &id)],
                common::full(bytes::Bytes::new()),
            )
            .await
            .json()
    });
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let next = client.get("/2018-06-01/runtime/invocation/next").await;
        client
            .post("/2018-06-01/runtime/invocation/in-1/response", &[], "ok")
            .await;
        next.header("lambda-runtime-trace-id").unwrap().to_string()
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("in-1".into()),
        ..Invocation::from("{}")
    }))
    .await;
    assert_eq!(outcome.response().unwrap().body, "ok");
    let trace = runtime.await.unwrap();
    let event = bounded(extension).await.unwrap();
    assert_eq!(event["eventType"], "INVOKE");
    assert_eq!(event["requestId"], "in-1");
    assert_eq!(
        event["invokedFunctionArn"],
        "arn:aws:lambda:us-east-1:012345678912:function:function"
    );
    assert_eq!(event["tracing"]["value"], trace.as_str());
    assert!(event["deadlineMs"].as_u64().unwrap() > now_ms());
}

#[tokio::test]
async fn runtime_api_alone_sends_shutdown_to_a_declared_external_extension() {
    let api = RuntimeApi::start().await.unwrap();
    api.declare_external_extension("outside");
    let address = api.address();
    let registered = request(
        address,
        Method::POST,
        REGISTER,
        &[("lambda-extension-name", "outside")],
        r#"{"events":["SHUTDOWN"]}"#,
    )
    .await;
    assert_eq!(registered.status, StatusCode::OK);
    let id = registered
        .header("lambda-extension-identifier")
        .unwrap()
        .to_string();
    let extension = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client
            .send(
                Method::GET,
                NEXT,
                &[("lambda-extension-identifier", &id)],
                common::full(bytes::Bytes::new()),
            )
            .await
            .json()
    });
    // Let the extension block in next before the event is sent (either order works).
    tokio::task::yield_now().await;
    let before = now_ms();
    api.send_shutdown(
        lambda_emulator::ShutdownReason::Timeout,
        Duration::from_secs(2),
    );
    let event = bounded(extension).await.unwrap();
    assert_eq!(event["eventType"], "SHUTDOWN");
    assert_eq!(event["shutdownReason"], "timeout");
    let deadline = event["deadlineMs"].as_u64().unwrap();
    assert!(
        deadline >= before + 1_900 && deadline <= now_ms() + 2_000,
        "{deadline}"
    );
}
