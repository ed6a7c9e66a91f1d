//! The Runtime API through real HTTP on loopback.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use common::{bounded, error_path, request, response_path, Client, NEXT};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use lambda_emulator::{Invocation, Outcome, RuntimeApi, RuntimeApiConfig};

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

#[tokio::test]
async fn next_hands_out_the_event_with_every_lambda_header() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let before = now_ms();
        let next = client.get(NEXT).await;
        let accepted = client
            .post(
                &response_path("req-1"),
                &[("content-type", "application/json")],
                r#"{"ok":true}"#,
            )
            .await;
        (before, next, accepted)
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("req-1".into()),
        timeout: Some(Duration::from_secs(15)),
        trace_id: Some(
            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1".into(),
        ),
        client_context: Some(serde_json::json!({"client": {"app_title": "app"}})),
        cognito_identity: Some(serde_json::json!({"cognitoIdentityId": "id-1"})),
        tenant_id: Some("tenant-a".into()),
        ..Invocation::from(r#"{"hello":"world"}"#)
    }))
    .await;
    let (before, next, accepted) = runtime.await.unwrap();

    assert_eq!(next.status, StatusCode::OK);
    assert_eq!(next.body, r#"{"hello":"world"}"#);
    assert_eq!(next.header("content-type"), Some("application/json"));
    assert_eq!(next.header("lambda-runtime-aws-request-id"), Some("req-1"));
    let deadline: u128 = next
        .header("lambda-runtime-deadline-ms")
        .unwrap()
        .parse()
        .unwrap();
    assert!(deadline >= before + 14_000 && deadline <= now_ms() + 15_000);
    assert_eq!(
        next.header("lambda-runtime-invoked-function-arn"),
        Some("arn:aws:lambda:us-east-1:012345678912:function:function")
    );
    assert_eq!(
        next.header("lambda-runtime-trace-id"),
        Some("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
    );
    assert_eq!(
        next.header("lambda-runtime-client-context"),
        Some(r#"{"client":{"app_title":"app"}}"#)
    );
    assert_eq!(
        next.header("lambda-runtime-cognito-identity"),
        Some(r#"{"cognitoIdentityId":"id-1"}"#)
    );
    assert_eq!(
        next.header("lambda-runtime-aws-tenant-id"),
        Some("tenant-a")
    );

    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    assert_eq!(accepted.json(), serde_json::json!({"status": "OK"}));
    match outcome {
        Outcome::Response(response) => {
            assert_eq!(response.request_id, "req-1");
            assert_eq!(response.body, r#"{"ok":true}"#);
            assert!(!response.streamed);
            assert_eq!(
                response.headers.get("content-type").unwrap(),
                "application/json"
            );
        }
        other => panic!("expected a response, got {other:?}"),
    }
}

#[tokio::test]
async fn unset_fields_get_a_generated_request_id_and_trace_header_and_no_optional_headers() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let next = client.get(NEXT).await;
        let id = next
            .header("lambda-runtime-aws-request-id")
            .unwrap()
            .to_string();
        client.post(&response_path(&id), &[], "done").await;
        next
    });
    let outcome = bounded(api.invoke("{}")).await;
    let next = runtime.await.unwrap();
    let id = next.header("lambda-runtime-aws-request-id").unwrap();
    assert_eq!(id.len(), 36);
    assert!(next
        .header("lambda-runtime-trace-id")
        .unwrap()
        .starts_with("Root=1-"));
    assert!(next.header("lambda-runtime-client-context").is_none());
    assert!(next.header("lambda-runtime-cognito-identity").is_none());
    assert!(next.header("lambda-runtime-aws-tenant-id").is_none());
    assert_eq!(outcome.response().unwrap().request_id, id);
    assert_eq!(outcome.response().unwrap().body, "done");
}

#[tokio::test]
async fn error_post_is_recorded_with_its_header_and_body() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client.get(NEXT).await;
        client
            .post(
                &error_path("e-1"),
                &[("lambda-runtime-function-error-type", "Runtime.HandlerPanic")],
                r#"{"errorType":"MyError","errorMessage":"boom","stackTrace":[]}"#,
            )
            .await
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("e-1".into()),
        .."{}".into()
    }))
    .await;
    let accepted = runtime.await.unwrap();
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    assert_eq!(accepted.json(), serde_json::json!({"status": "OK"}));
    let report = outcome.error().expect("an error report").clone();
    assert_eq!(report.request_id.as_deref(), Some("e-1"));
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.HandlerPanic")
    );
    assert_eq!(report.error_type().as_deref(), Some("MyError"));
    assert_eq!(report.error_message().as_deref(), Some("boom"));
    assert_eq!(
        report.body,
        r#"{"errorType":"MyError","errorMessage":"boom","stackTrace":[]}"#
    );
}

#[tokio::test]
async fn unknown_request_id_gets_400_invalid_request_id() {
    let api = RuntimeApi::start().await.unwrap();
    for path in [response_path("nope"), error_path("nope")] {
        let reply = request(api.address(), Method::POST, &path, &[], "x").await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.json()["errorType"], "InvalidRequestID");
        assert!(reply.json()["errorMessage"]
            .as_str()
            .unwrap()
            .contains("nope"));
    }
}

#[tokio::test]
async fn answering_twice_gets_403_invalid_state_transition() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client.get(NEXT).await;
        let first = client.post(&response_path("twice"), &[], "1").await;
        let second = client.post(&response_path("twice"), &[], "2").await;
        let error = client.post(&error_path("twice"), &[], "{}").await;
        (first, second, error)
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("twice".into()),
        .."{}".into()
    }))
    .await;
    let (first, second, error) = runtime.await.unwrap();
    assert_eq!(first.status, StatusCode::ACCEPTED);
    for reply in [second, error] {
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(reply.json()["errorType"], "InvalidStateTransition");
    }
    assert_eq!(outcome.response().unwrap().body, "1");
}

#[tokio::test]
async fn answering_an_invocation_not_yet_handed_out_gets_403() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let first = client.get(NEXT).await;
        assert_eq!(first.header("lambda-runtime-aws-request-id"), Some("first"));
        // "second" is queued but not handed out (concurrency 1, "first" still in flight).
        let early = client.post(&response_path("second"), &[], "x").await;
        client.post(&response_path("first"), &[], "a").await;
        let second = client.get(NEXT).await;
        client.post(&response_path("second"), &[], "b").await;
        (early, second)
    });
    let (a, b) = bounded(async {
        tokio::join!(
            api.invoke(Invocation {
                request_id: Some("first".into()),
                .."1".into()
            }),
            api.invoke(Invocation {
                request_id: Some("second".into()),
                .."2".into()
            }),
        )
    })
    .await;
    let (early, second) = runtime.await.unwrap();
    assert_eq!(early.status, StatusCode::FORBIDDEN);
    assert_eq!(early.json()["errorType"], "InvalidStateTransition");
    assert_eq!(second.body, "2");
    assert_eq!(a.response().unwrap().body, "a");
    assert_eq!(b.response().unwrap().body, "b");
}

#[tokio::test]
async fn oversized_response_gets_413_and_the_invocation_stays_open_for_an_error() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client.get(NEXT).await;
        let at_limit = vec![b'a'; lambda_emulator::MAX_BUFFERED_RESPONSE_BYTES + 1];
        let too_large = client.post(&response_path("big"), &[], at_limit).await;
        let error = client
            .post(
                &error_path("big"),
                &[(
                    "lambda-runtime-function-error-type",
                    "Function.ResponseSizeTooLarge",
                )],
                r#"{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"too large"}"#,
            )
            .await;
        (too_large, error)
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("big".into()),
        timeout: Some(Duration::from_secs(15)),
        .."{}".into()
    }))
    .await;
    let (too_large, error) = runtime.await.unwrap();
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.json()["errorType"], "RequestEntityTooLarge");
    assert_eq!(error.status, StatusCode::ACCEPTED);
    assert_eq!(
        outcome.error().unwrap().error_type_header.as_deref(),
        Some("Function.ResponseSizeTooLarge")
    );
}

#[tokio::test]
async fn response_of_exactly_the_limit_is_accepted() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client.get(NEXT).await;
        let body = vec![b'a'; lambda_emulator::MAX_BUFFERED_RESPONSE_BYTES];
        client.post(&response_path("limit"), &[], body).await
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("limit".into()),
        timeout: Some(Duration::from_secs(15)),
        .."{}".into()
    }))
    .await;
    assert_eq!(runtime.await.unwrap().status, StatusCode::ACCEPTED);
    assert_eq!(outcome.response().unwrap().body.len(), 6_291_556);
}

#[tokio::test]
async fn init_error_is_accepted_and_reported() {
    let api = RuntimeApi::start().await.unwrap();
    assert!(api.init_error(Duration::from_millis(10)).await.is_none());
    let reply = request(
        api.address(),
        Method::POST,
        "/2018-06-01/runtime/init/error",
        &[("lambda-runtime-function-error-type", "Runtime.InitError")],
        r#"{"errorType":"ConfigError","errorMessage":"missing TABLE_NAME"}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.json(), serde_json::json!({"status": "OK"}));
    let report = bounded(api.init_error(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(report.request_id, None);
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InitError")
    );
    assert_eq!(report.error_type().as_deref(), Some("ConfigError"));
    assert_eq!(
        report.error_message().as_deref(),
        Some("missing TABLE_NAME")
    );
}

#[tokio::test]
async fn unknown_routes_get_404_and_wrong_methods_405_with_json_errors() {
    let api = RuntimeApi::start().await.unwrap();
    let missing = request(
        api.address(),
        Method::GET,
        "/2018-06-01/runtime/nothing",
        &[],
        "",
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["errorType"], "NotFound");
    let other_version = request(
        api.address(),
        Method::GET,
        "/2019-01-01/runtime/invocation/next",
        &[],
        "",
    )
    .await;
    assert_eq!(other_version.status, StatusCode::NOT_FOUND);
    let wrong_method = request(api.address(), Method::POST, NEXT, &[], "").await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["errorType"], "MethodNotAllowed");
}

#[tokio::test]
async fn unanswered_invocation_times_out_and_a_late_answer_gets_403() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let (taken_tx, taken_rx) = tokio::sync::oneshot::channel();
    let (late_tx, late_rx) = tokio::sync::oneshot::channel::<()>();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client.get(NEXT).await;
        taken_tx.send(()).unwrap();
        late_rx.await.unwrap();
        client.post(&response_path("slow"), &[], "late").await
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("slow".into()),
        timeout: Some(Duration::from_millis(300)),
        .."{}".into()
    }))
    .await;
    taken_rx.await.unwrap();
    match outcome {
        Outcome::Timeout { request_id, after } => {
            assert_eq!(request_id, "slow");
            assert_eq!(after, Duration::from_millis(300));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    late_tx.send(()).unwrap();
    let late = runtime.await.unwrap();
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    assert_eq!(late.json()["errorType"], "InvalidStateTransition");
}

#[tokio::test]
async fn invocation_no_runtime_takes_times_out() {
    let api = RuntimeApi::start().await.unwrap();
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("never".into()),
        timeout: Some(Duration::from_millis(100)),
        .."{}".into()
    }))
    .await;
    assert!(matches!(outcome, Outcome::Timeout { ref request_id, .. } if request_id == "never"));
    // A runtime that polls later does not get the abandoned invocation.
    let mut client = Client::connect(api.address()).await;
    let next = tokio::time::timeout(Duration::from_millis(300), client.get(NEXT)).await;
    assert!(next.is_err(), "the abandoned invocation was handed out");
}

#[tokio::test]
async fn injected_status_answers_one_next_then_invocations_flow_again() {
    let api = RuntimeApi::start().await.unwrap();
    api.faults().fail_next_with_status(500);
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let failed = client.get(NEXT).await;
        let next = client.get(NEXT).await;
        let id = next
            .header("lambda-runtime-aws-request-id")
            .unwrap()
            .to_string();
        client.post(&response_path(&id), &[], "after fault").await;
        failed
    });
    let outcome = bounded(api.invoke("{}")).await;
    let failed = runtime.await.unwrap();
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(failed.json()["errorType"], "InjectedFault");
    assert_eq!(outcome.response().unwrap().body, "after fault");
}

#[tokio::test]
async fn injected_connection_close_drops_one_next_without_an_answer() {
    let api = RuntimeApi::start().await.unwrap();
    api.faults().close_next_connection();
    let mut client = Client::connect(api.address()).await;
    let dropped =
        bounded(client.try_send(Method::GET, NEXT, &[], common::full(Bytes::new()))).await;
    assert!(
        dropped.is_err(),
        "expected a connection error, got {dropped:?}"
    );

    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let next = client.get(NEXT).await;
        let id = next
            .header("lambda-runtime-aws-request-id")
            .unwrap()
            .to_string();
        client
            .post(&response_path(&id), &[], "fresh connection")
            .await;
    });
    let outcome = bounded(api.invoke("{}")).await;
    runtime.await.unwrap();
    assert_eq!(outcome.response().unwrap().body, "fresh connection");
}

#[tokio::test]
async fn streamed_response_is_collected_with_its_trailers() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client.get(NEXT).await;
        let mut trailers = HeaderMap::new();
        trailers.insert(
            "lambda-runtime-function-error-type",
            HeaderValue::from_static("Runtime.StreamError"),
        );
        trailers.insert(
            "lambda-runtime-function-error-body",
            HeaderValue::from_static("eyJlcnJvclR5cGUiOiJYIn0="),
        );
        client
            .send(
                Method::POST,
                &response_path("s-1"),
                &[
                    ("lambda-runtime-function-response-mode", "streaming"),
                    ("transfer-encoding", "chunked"),
                    (
                        "trailer",
                        "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
                    ),
                ],
                common::chunked(&[b"first ", b"second"], Some(trailers)),
            )
            .await
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("s-1".into()),
        .."{}".into()
    }))
    .await;
    assert_eq!(runtime.await.unwrap().status, StatusCode::ACCEPTED);
    let response = outcome.response().expect("a response").clone();
    assert!(response.streamed);
    assert_eq!(response.body, "first second");
    assert_eq!(
        response.trailer_error_type().as_deref(),
        Some("Runtime.StreamError")
    );
    assert_eq!(
        response
            .trailers
            .unwrap()
            .get("lambda-runtime-function-error-body")
            .unwrap(),
        "eyJlcnJvclR5cGUiOiJYIn0="
    );
}

#[tokio::test]
async fn invalid_response_mode_gets_400_and_the_invocation_stays_open() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        client.get(NEXT).await;
        let bad = client
            .post(
                &response_path("m-1"),
                &[("lambda-runtime-function-response-mode", "sideways")],
                "x",
            )
            .await;
        client.post(&response_path("m-1"), &[], "ok").await;
        bad
    });
    let outcome = bounded(api.invoke(Invocation {
        request_id: Some("m-1".into()),
        .."{}".into()
    }))
    .await;
    let bad = runtime.await.unwrap();
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["errorType"], "InvalidResponseModeHeader");
    assert_eq!(outcome.response().unwrap().body, "ok");
}

#[tokio::test]
async fn invocations_are_handed_out_fifo() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let mut seen = Vec::new();
        for _ in 0..3 {
            let next = client.get(NEXT).await;
            let id = next
                .header("lambda-runtime-aws-request-id")
                .unwrap()
                .to_string();
            seen.push(String::from_utf8(next.body.to_vec()).unwrap());
            client
                .post(&response_path(&id), &[], next.body.clone())
                .await;
        }
        seen
    });
    let (a, b, c) = bounded(async {
        tokio::join!(
            api.invoke("\"a\""),
            api.invoke("\"b\""),
            api.invoke("\"c\"")
        )
    })
    .await;
    assert_eq!(runtime.await.unwrap(), ["\"a\"", "\"b\"", "\"c\""]);
    assert_eq!(a.response().unwrap().body, "\"a\"");
    assert_eq!(b.response().unwrap().body, "\"b\"");
    assert_eq!(c.response().unwrap().body, "\"c\"");
}

#[tokio::test]
async fn max_concurrency_hands_out_that_many_invocations_at_once() {
    let api = RuntimeApi::start_with(RuntimeApiConfig {
        max_concurrency: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    let address = api.address();
    // Two pollers each take one invocation; both answer only after both have one in hand.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let pollers: Vec<_> = (0..2)
        .map(|_| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let mut client = Client::connect(address).await;
                let next = client.get(NEXT).await;
                barrier.wait().await;
                let id = next
                    .header("lambda-runtime-aws-request-id")
                    .unwrap()
                    .to_string();
                client
                    .post(&response_path(&id), &[], next.body.clone())
                    .await
                    .status
            })
        })
        .collect();
    let (a, b) = bounded(async { tokio::join!(api.invoke("1"), api.invoke("2")) }).await;
    for poller in pollers {
        assert_eq!(poller.await.unwrap(), StatusCode::ACCEPTED);
    }
    assert_eq!(a.response().unwrap().body, "1");
    assert_eq!(b.response().unwrap().body, "2");
}

#[tokio::test]
async fn single_concurrency_holds_a_second_next_until_the_first_is_answered() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut first = Client::connect(address).await;
        let mut second = Client::connect(address).await;
        let one = first.get(NEXT).await;
        let id = one
            .header("lambda-runtime-aws-request-id")
            .unwrap()
            .to_string();
        let held = tokio::time::timeout(Duration::from_millis(300), second.get(NEXT)).await;
        assert!(
            held.is_err(),
            "a second invocation was handed out while one was in flight"
        );
        first.post(&response_path(&id), &[], "one").await;
        let mut third = Client::connect(address).await;
        let two = third.get(NEXT).await;
        let id = two
            .header("lambda-runtime-aws-request-id")
            .unwrap()
            .to_string();
        third.post(&response_path(&id), &[], "two").await;
    });
    let (a, b) = bounded(async { tokio::join!(api.invoke("1"), api.invoke("2")) }).await;
    runtime.await.unwrap();
    assert_eq!(a.response().unwrap().body, "one");
    assert_eq!(b.response().unwrap().body, "two");
}

#[tokio::test]
async fn requests_are_recorded_with_headers_over_one_keep_alive_connection() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        for _ in 0..2 {
            let next = client
                .send(
                    Method::GET,
                    NEXT,
                    &[("user-agent", "test-runtime/1.0")],
                    common::full(Bytes::new()),
                )
                .await;
            let id = next
                .header("lambda-runtime-aws-request-id")
                .unwrap()
                .to_string();
            client
                .post(
                    &response_path(&id),
                    &[("user-agent", "test-runtime/1.0")],
                    "ok",
                )
                .await;
        }
    });
    bounded(api.invoke("1")).await;
    bounded(api.invoke("2")).await;
    runtime.await.unwrap();
    let requests = api.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].method, Method::GET);
    assert_eq!(requests[0].path, NEXT);
    assert_eq!(requests[1].method, Method::POST);
    assert!(requests
        .iter()
        .all(|r| r.headers.get("user-agent").unwrap() == "test-runtime/1.0"));
}

#[tokio::test]
async fn shutdown_stops_accepting_connections() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    bounded(api.shutdown()).await;
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
}

#[tokio::test]
async fn a_poller_that_went_away_does_not_swallow_the_next_invocation() {
    let api = RuntimeApi::start().await.unwrap();
    let address = api.address();
    {
        let mut gone = Client::connect(address).await;
        // Start a poll, then drop the connection while it is blocked.
        let _ = tokio::time::timeout(
            Duration::from_millis(200),
            gone.try_send(Method::GET, NEXT, &[], common::full(Bytes::new())),
        )
        .await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let runtime = tokio::spawn(async move {
        let mut client = Client::connect(address).await;
        let next = client.get(NEXT).await;
        let id = next
            .header("lambda-runtime-aws-request-id")
            .unwrap()
            .to_string();
        client.post(&response_path(&id), &[], "survived").await;
    });
    let outcome = bounded(api.invoke(Invocation {
        timeout: Some(Duration::from_secs(5)),
        ..Invocation::from("{}")
    }))
    .await;
    runtime.await.unwrap();
    assert_eq!(outcome.response().expect("a response").body, "survived");
}
