//! The logs/telemetry listener and the record types, over loopback, without any emulator.
//!
//! The batches are AWS's documented samples (the Logs API chapter of the developer guide and the
//! Telemetry API schema reference), typed out by hand.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{bounded, client, forwarding_processor, post};
use lambda_extension::records::{
    ExtensionState, InitPhase, InitReport, InitStart, InitType, LogsDropped, PhaseMetrics, Report,
    ReportMetrics, RuntimeDone, RuntimeDoneMetrics, RuntimeInitDone, Span, Start, Status,
    SubscriptionState, TraceContext,
};
use lambda_extension::{
    BatchProcessor, Error, Listener, ListenerConfig, ListenerError, LogMessage, Record, RecordBody,
};
use serde_json::json;

fn loopback() -> ListenerConfig {
    ListenerConfig::new().with_host("127.0.0.1")
}

const TRACE: &str = "Root=1-62e900b2-710d76f009d6e7785905449a;Parent=0efbd19962d95b05;Sampled=1";

fn trace() -> Option<TraceContext> {
    Some(TraceContext {
        span_id: Some("54565fb41ac79632".into()),
        trace_type: "X-Amzn-Trace-Id".into(),
        value: TRACE.into(),
    })
}

#[tokio::test]
async fn logs_api_samples_from_the_guide_are_typed_and_answered_200() {
    bounded(async {
        let (logs, mut batches) = forwarding_processor();
        let listener = Listener::bind(&loopback(), Some(logs), None).await.unwrap();
        assert_eq!(
            listener.logs_uri(),
            format!("http://127.0.0.1:{}/logs", listener.local_addr().port())
        );
        let batch = r#"[
            {"time": "2020-08-20T12:31:32.123Z", "type": "function", "record": "ERROR encountered. Stack trace:\nmy-function (line 10)\n"},
            {"time": "2020-08-20T12:31:32.123Z", "type": "platform.start", "record": {"requestId": "6f7f0961f83442118a7af6fe80b88d56"}},
            {"time": "2020-08-20T12:31:32.123Z", "type": "platform.end", "record": {"requestId": "6f7f0961f83442118a7af6fe80b88d56"}},
            {"time": "2020-08-20T12:31:32.123Z", "type": "platform.report", "record": {"requestId": "6f7f0961f83442118a7af6fe80b88d56",
                "metrics": {"durationMs": 101.51, "billedDurationMs": 300, "memorySizeMB": 512, "maxMemoryUsedMB": 33, "initDurationMs": 116.67}}},
            {"time": "2020-08-20T12:31:32.123Z", "type": "platform.fault", "record": "RequestId: d783b35e-a91d-4251-af17-035953428a2c Process exited before completing request"},
            {"time": "2020-08-20T12:31:32.123Z", "type": "platform.extension", "record": {"name": "Foo.bar", "state": "Ready", "events": ["INVOKE", "SHUTDOWN"]}},
            {"time": "2020-08-20T12:31:32.123Z", "type": "platform.logsSubscription", "record": {"name": "Foo.bar", "state": "Subscribed", "types": ["function", "platform"]}},
            {"time": "2020-08-20T12:31:32.123Z", "type": "platform.logsDropped", "record": {"reason": "Consumer seems to have fallen behind as it has not acknowledged receipt of logs.", "droppedRecords": 123, "droppedBytes": 12345}},
            {"time": "2021-02-04T20:00:05.123Z", "type": "platform.runtimeDone", "record": {"requestId": "6f7f0961f83442118a7af6fe80b88", "status": "success"}},
            {"time": "2021-02-04T20:00:05.123Z", "type": "platform.runtimeDone", "record": {"requestId": "6f7f0961f83442118a7af6fe80b88", "status": "failure"}},
            {"time": "2021-02-04T20:00:05.123Z", "type": "platform.runtimeDone", "record": {"requestId": "6f7f0961f83442118a7af6fe80b88", "status": "timeout"}}
        ]"#;
        let mut c = client(listener.local_addr());
        assert_eq!(post(&mut c, "/logs", batch).await, (200, String::new()));

        let got = batches.recv().await.unwrap();
        let bodies: Vec<RecordBody> = got.iter().map(|r| r.body.clone()).collect();
        assert_eq!(got[0].time, "2020-08-20T12:31:32.123Z");
        let request_id = "6f7f0961f83442118a7af6fe80b88d56".to_owned();
        let done = |status| {
            RecordBody::RuntimeDone(RuntimeDone {
                request_id: "6f7f0961f83442118a7af6fe80b88".into(),
                status,
                error_type: None,
                metrics: None,
                spans: vec![],
                tracing: None,
            })
        };
        assert_eq!(
            bodies,
            vec![
                RecordBody::Function(LogMessage::Text(
                    "ERROR encountered. Stack trace:\nmy-function (line 10)\n".into()
                )),
                RecordBody::Start(Start {
                    request_id: request_id.clone(),
                    version: None,
                    tracing: None
                }),
                RecordBody::End(lambda_extension::records::End {
                    request_id: request_id.clone()
                }),
                RecordBody::Report(Report {
                    request_id,
                    status: None,
                    error_type: None,
                    metrics: ReportMetrics {
                        duration_ms: 101.51,
                        billed_duration_ms: 300,
                        memory_size_mb: 512,
                        max_memory_used_mb: 33,
                        init_duration_ms: Some(116.67),
                        restore_duration_ms: None,
                        billed_restore_duration_ms: None,
                    },
                    spans: vec![],
                    tracing: None,
                }),
                RecordBody::Fault(
                    "RequestId: d783b35e-a91d-4251-af17-035953428a2c Process exited before completing request"
                        .into()
                ),
                RecordBody::Extension(ExtensionState {
                    name: "Foo.bar".into(),
                    state: "Ready".into(),
                    events: vec!["INVOKE".into(), "SHUTDOWN".into()],
                    error_type: None,
                }),
                RecordBody::LogsSubscription(SubscriptionState {
                    name: "Foo.bar".into(),
                    state: "Subscribed".into(),
                    types: vec!["function".into(), "platform".into()],
                }),
                RecordBody::LogsDropped(LogsDropped {
                    reason: "Consumer seems to have fallen behind as it has not acknowledged receipt of logs."
                        .into(),
                    dropped_records: 123,
                    dropped_bytes: 12345,
                }),
                done(Status::Success),
                done(Status::Failure),
                done(Status::Timeout),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn telemetry_api_samples_are_typed_including_spans_metrics_and_tracing() {
    bounded(async {
        let (telemetry, mut batches) = forwarding_processor();
        let listener = Listener::bind(&loopback(), None, Some(telemetry)).await.unwrap();
        let batch = json!([
            {"time": "2022-10-12T00:00:15.064Z", "type": "platform.initStart", "record": {
                "initializationType": "on-demand", "phase": "init", "runtimeVersion": "nodejs-14.v3",
                "runtimeVersionArn": "arn", "functionName": "myFunction", "functionVersion": "$LATEST",
                "instanceId": "82561ce0-53dd-47d1-90e0-c8f5e063e62e", "instanceMaxMemory": 256}},
            {"time": "2022-10-12T00:01:15.000Z", "type": "platform.initRuntimeDone", "record": {
                "initializationType": "on-demand", "status": "success",
                "spans": [{"name": "someTimeSpan", "start": "2022-06-02T12:02:33.913Z", "durationMs": 70.5}]}},
            {"time": "2022-10-12T00:01:15.000Z", "type": "platform.initReport", "record": {
                "initializationType": "on-demand", "phase": "init", "status": "success", "metrics": {"durationMs": 125.33},
                "spans": [{"name": "someTimeSpan", "start": "2022-06-02T12:02:33.913Z", "durationMs": 90.1}]}},
            {"time": "2022-10-12T00:00:15.064Z", "type": "platform.start", "record": {
                "requestId": "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa", "version": "$LATEST",
                "tracing": {"spanId": "54565fb41ac79632", "type": "X-Amzn-Trace-Id", "value": TRACE}}},
            {"time": "2022-10-12T00:01:15.000Z", "type": "platform.runtimeDone", "record": {
                "requestId": "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa", "status": "success",
                "tracing": {"spanId": "54565fb41ac79632", "type": "X-Amzn-Trace-Id", "value": TRACE},
                "spans": [{"name": "responseLatency", "start": "2022-08-02T12:01:23.521Z", "durationMs": 23.02},
                          {"name": "responseDuration", "start": "2022-08-02T12:01:23.544Z", "durationMs": 20.0}],
                "metrics": {"durationMs": 140.0, "producedBytes": 16}}},
            {"time": "2022-10-12T00:01:15.000Z", "type": "platform.report", "record": {
                "metrics": {"billedDurationMs": 694, "durationMs": 693.92, "initDurationMs": 397.68,
                            "maxMemoryUsedMB": 84, "memorySizeMB": 128},
                "requestId": "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa", "status": "success"}},
            {"time": "2022-10-12T00:00:15.064Z", "type": "platform.restoreStart", "record": {
                "runtimeVersion": "nodejs-14.v3", "runtimeVersionArn": "arn"}},
            {"time": "2022-10-12T00:00:15.064Z", "type": "platform.restoreRuntimeDone", "record": {
                "status": "error", "errorType": "Runtime.RestoreError"}},
            {"time": "2022-10-12T00:00:15.064Z", "type": "platform.restoreReport", "record": {
                "status": "success", "metrics": {"durationMs": 15.19}}},
            {"time": "2022-10-12T00:02:15.000Z", "type": "platform.extension", "record": {
                "events": ["INVOKE", "SHUTDOWN"], "name": "my-telemetry-extension", "state": "Ready"}},
            {"time": "2022-10-12T00:02:35.000Z", "type": "platform.telemetrySubscription", "record": {
                "name": "my-telemetry-extension", "state": "Subscribed", "types": ["platform", "function"]}},
            {"time": "2022-10-12T00:03:50.000Z", "type": "function", "record": "[INFO] Hello world, I am a function!"},
            {"time": "2022-10-12T00:03:50.000Z", "type": "function", "record": {
                "timestamp": "2022-10-12T00:03:50.000Z", "level": "INFO", "requestId": "79b4f56e-95b1-4643-9700-2807f4e68189",
                "message": "Hello world, I am a function!"}},
            {"time": "2022-10-12T00:03:50.000Z", "type": "extension", "record": "[INFO] Hello world, I am an extension!"}
        ])
        .to_string();
        let mut c = client(listener.local_addr());
        assert_eq!(post(&mut c, "/telemetry", &batch).await.0, 200);
        let got: Vec<RecordBody> = batches.recv().await.unwrap().into_iter().map(|r| r.body).collect();
        assert_eq!(got.len(), 14);
        assert_eq!(
            got[0],
            RecordBody::InitStart(InitStart {
                initialization_type: Some(InitType::OnDemand),
                phase: Some(InitPhase::Init),
                runtime_version: Some("nodejs-14.v3".into()),
                runtime_version_arn: Some("arn".into()),
                function_name: Some("myFunction".into()),
                function_version: Some("$LATEST".into()),
                instance_id: Some("82561ce0-53dd-47d1-90e0-c8f5e063e62e".into()),
                instance_max_memory: Some(256),
            })
        );
        assert_eq!(
            got[1],
            RecordBody::InitRuntimeDone(RuntimeInitDone {
                initialization_type: Some(InitType::OnDemand),
                phase: None,
                status: Status::Success,
                error_type: None,
                spans: vec![Span {
                    name: "someTimeSpan".into(),
                    start: "2022-06-02T12:02:33.913Z".into(),
                    duration_ms: 70.5
                }],
            })
        );
        assert_eq!(
            got[2],
            RecordBody::InitReport(InitReport {
                initialization_type: Some(InitType::OnDemand),
                phase: Some(InitPhase::Init),
                status: Some(Status::Success),
                error_type: None,
                metrics: Some(PhaseMetrics { duration_ms: 125.33 }),
                spans: vec![Span {
                    name: "someTimeSpan".into(),
                    start: "2022-06-02T12:02:33.913Z".into(),
                    duration_ms: 90.1
                }],
            })
        );
        assert_eq!(
            got[3],
            RecordBody::Start(Start {
                request_id: "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa".into(),
                version: Some("$LATEST".into()),
                tracing: trace(),
            })
        );
        assert_eq!(
            got[4],
            RecordBody::RuntimeDone(RuntimeDone {
                request_id: "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa".into(),
                status: Status::Success,
                error_type: None,
                metrics: Some(RuntimeDoneMetrics {
                    duration_ms: 140.0,
                    produced_bytes: Some(16)
                }),
                spans: vec![
                    Span {
                        name: "responseLatency".into(),
                        start: "2022-08-02T12:01:23.521Z".into(),
                        duration_ms: 23.02
                    },
                    Span {
                        name: "responseDuration".into(),
                        start: "2022-08-02T12:01:23.544Z".into(),
                        duration_ms: 20.0
                    },
                ],
                tracing: trace(),
            })
        );
        let RecordBody::Report(report) = &got[5] else {
            panic!("not a report: {:?}", got[5])
        };
        assert_eq!(report.status, Some(Status::Success));
        assert_eq!(report.metrics.duration_ms, 693.92);
        assert_eq!(report.metrics.billed_duration_ms, 694);
        assert_eq!(report.metrics.max_memory_used_mb, 84);
        assert_eq!(report.metrics.memory_size_mb, 128);
        assert_eq!(report.metrics.init_duration_ms, Some(397.68));
        assert!(matches!(&got[6], RecordBody::RestoreStart(s) if s.runtime_version.as_deref() == Some("nodejs-14.v3")));
        assert!(matches!(&got[7], RecordBody::RestoreRuntimeDone(d)
            if d.status == Status::Error && d.error_type.as_deref() == Some("Runtime.RestoreError")));
        assert!(matches!(&got[8], RecordBody::RestoreReport(r)
            if r.metrics == Some(PhaseMetrics { duration_ms: 15.19 })));
        assert!(matches!(&got[9], RecordBody::Extension(e) if e.name == "my-telemetry-extension"));
        assert_eq!(
            got[10],
            RecordBody::TelemetrySubscription(SubscriptionState {
                name: "my-telemetry-extension".into(),
                state: "Subscribed".into(),
                types: vec!["platform".into(), "function".into()],
            })
        );
        assert_eq!(
            got[11],
            RecordBody::Function(LogMessage::Text("[INFO] Hello world, I am a function!".into()))
        );
        let RecordBody::Function(LogMessage::Json(line)) = &got[12] else {
            panic!("not a JSON function line: {:?}", got[12])
        };
        assert_eq!(line["level"], "INFO");
        assert_eq!(
            LogMessage::Json(line.clone()).message(),
            Some("Hello world, I am a function!")
        );
        assert_eq!(
            got[13],
            RecordBody::ExtensionLog(LogMessage::Text("[INFO] Hello world, I am an extension!".into()))
        );
    })
    .await;
}

#[tokio::test]
async fn unknown_record_types_and_values_are_kept_and_serialize_back_unchanged() {
    bounded(async {
        let (telemetry, mut batches) = forwarding_processor();
        let listener = Listener::bind(&loopback(), None, Some(telemetry)).await.unwrap();
        let batch = json!([
            {"time": "2030-01-01T00:00:00.000Z", "type": "platform.somethingNew", "record": {"answer": 42, "nested": {"a": [1, 2]}}},
            {"time": "2030-01-01T00:00:00.000Z", "type": "platform.initStart", "record": {"initializationType": "quantum", "phase": "init"}},
            {"time": "2030-01-01T00:00:00.000Z", "type": "platform.report", "record": {"requestId": "r-1", "metrics": "not an object"}}
        ]);
        let mut c = client(listener.local_addr());
        assert_eq!(post(&mut c, "/telemetry", &batch.to_string()).await.0, 200);
        let got = batches.recv().await.unwrap();
        assert_eq!(
            got[0].body,
            RecordBody::Unknown {
                record_type: "platform.somethingNew".into(),
                record: json!({"answer": 42, "nested": {"a": [1, 2]}}),
            }
        );
        // A new enum value parses as `Other`, keeping the record typed.
        let RecordBody::InitStart(start) = &got[1].body else {
            panic!("not typed: {:?}", got[1])
        };
        assert_eq!(start.initialization_type, Some(InitType::Other("quantum".into())));
        // A known type with an unexpected shape is kept as sent.
        assert_eq!(
            got[2].body,
            RecordBody::Unknown {
                record_type: "platform.report".into(),
                record: json!({"requestId": "r-1", "metrics": "not an object"}),
            }
        );
        assert_eq!(serde_json::to_value(&got).unwrap(), batch);
    })
    .await;
}

#[tokio::test]
async fn processor_error_answers_500_and_the_redelivered_batch_gets_200() {
    bounded(async {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let processor = BatchProcessor::new(lambda_extension::service_fn(move |batch: Vec<Record>| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            async move {
                assert_eq!(batch.len(), 1);
                if n == 0 {
                    Err::<(), Error>("the backend is down".into())
                } else {
                    Ok(())
                }
            }
        }));
        let listener = Listener::bind(&loopback(), Some(processor), None).await.unwrap();
        let batch = r#"[{"time": "2020-08-20T12:31:32.123Z", "type": "function", "record": "Hello World"}]"#;
        let mut c = client(listener.local_addr());
        assert_eq!(
            post(&mut c, "/logs", batch).await,
            (500, "the processor failed".to_owned())
        );
        // Lambda delivers the same batch again.
        assert_eq!(post(&mut c, "/logs", batch).await, (200, String::new()));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    })
    .await;
}

#[tokio::test]
async fn malformed_body_answers_400_and_the_listener_keeps_serving() {
    bounded(async {
        let (logs, mut batches) = forwarding_processor();
        let listener = Listener::bind(&loopback(), Some(logs), None).await.unwrap();
        let mut c = client(listener.local_addr());
        let (status, message) = post(&mut c, "/logs", "{not json").await;
        assert_eq!(status, 400);
        assert!(message.starts_with("not a JSON array"), "{message}");
        // An object is not a batch either.
        assert_eq!(post(&mut c, "/logs", r#"{"time": "t"}"#).await.0, 400);
        // Same connection, then a new one: both still served.
        let batch =
            r#"[{"time": "2020-08-20T12:31:32.123Z", "type": "function", "record": "after"}]"#;
        assert_eq!(post(&mut c, "/logs", batch).await.0, 200);
        let mut fresh = client(listener.local_addr());
        assert_eq!(post(&mut fresh, "/logs/", batch).await.0, 200);
        assert_eq!(batches.recv().await.unwrap().len(), 1);
        assert_eq!(batches.recv().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn malformed_elements_do_not_cost_the_good_records_of_their_batch() {
    bounded(async {
        let (telemetry, mut batches) = forwarding_processor();
        let listener = Listener::bind(&loopback(), None, Some(telemetry)).await.unwrap();
        let report = |id: &str| {
            json!({"time": "2022-10-12T00:01:15.000Z", "type": "platform.report", "record": {
                "requestId": id, "status": "success",
                "metrics": {"durationMs": 1.5, "billedDurationMs": 2, "memorySizeMB": 128, "maxMemoryUsedMB": 20}}})
        };
        let no_time = json!({"type": "function", "record": "no time"});
        let numeric_time = json!({"time": 1665532875000u64, "type": "function", "record": "numeric time"});
        let numeric_type = json!({"time": "2022-10-12T00:01:15.000Z", "type": 7, "record": {}});
        let not_an_object = json!(["not", "a", "record"]);
        let batch = json!([
            report("first"),
            no_time,
            numeric_time,
            not_an_object,
            numeric_type,
            "text",
            report("second"),
        ]);
        let mut c = client(listener.local_addr());
        assert_eq!(
            post(&mut c, "/telemetry", &batch.to_string()).await,
            (200, String::new())
        );

        let got = batches.recv().await.unwrap();
        assert_eq!(got.len(), 7, "every element is delivered");
        let ids: Vec<&str> = got
            .iter()
            .filter_map(|r| match &r.body {
                RecordBody::Report(report) => Some(report.request_id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["first", "second"]);
        let malformed: Vec<serde_json::Value> = got
            .iter()
            .filter_map(|r| match &r.body {
                RecordBody::Malformed(element) => Some(element.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            malformed,
            [no_time, numeric_time, not_an_object, numeric_type, json!("text")]
        );
        assert_eq!(got[2].time, "", "a numeric time is not turned into text");
        assert_eq!(got[1].body.record_type(), "function");
        // Each element serializes back exactly as it was sent.
        assert_eq!(serde_json::to_value(&got).unwrap(), batch);
    })
    .await;
}

#[tokio::test]
async fn paths_without_a_processor_answer_404() {
    bounded(async {
        let (logs, _batches) = forwarding_processor();
        let listener = Listener::bind(&loopback(), Some(logs), None).await.unwrap();
        let mut c = client(listener.local_addr());
        assert_eq!(post(&mut c, "/telemetry", "[]").await.0, 404);
        assert_eq!(post(&mut c, "/elsewhere", "[]").await.0, 404);
        assert_eq!(post(&mut c, "/logs", "[]").await.0, 200);
    })
    .await;
}

#[tokio::test]
async fn a_slow_batch_does_not_hold_up_another_connection() {
    bounded(async {
        let started = Arc::new(tokio::sync::Notify::new());
        let release = Arc::new(tokio::sync::Notify::new());
        let (started_tx, release_rx) = (started.clone(), release.clone());
        let processor =
            BatchProcessor::new(lambda_extension::service_fn(move |batch: Vec<Record>| {
                let (started, release) = (started_tx.clone(), release_rx.clone());
                async move {
                    // The "slow" batch waits until the other connection's batch was processed.
                    if batch[0].body == RecordBody::Function(LogMessage::Text("slow".into())) {
                        started.notify_one();
                        release.notified().await;
                    } else {
                        release.notify_one();
                    }
                    Ok::<(), Error>(())
                }
            }));
        let listener = Listener::bind(&loopback(), None, Some(processor))
            .await
            .unwrap();
        let addr = listener.local_addr();
        let slow = tokio::spawn(async move {
            let mut c = client(addr);
            post(
                &mut c,
                "/telemetry",
                r#"[{"time": "t", "type": "function", "record": "slow"}]"#,
            )
            .await
        });
        started.notified().await;
        let mut c = client(addr);
        let fast = post(
            &mut c,
            "/telemetry",
            r#"[{"time": "t", "type": "function", "record": "fast"}]"#,
        )
        .await;
        assert_eq!(fast.0, 200);
        assert_eq!(slow.await.unwrap().0, 200);
    })
    .await;
}

#[tokio::test]
async fn port_9001_is_refused_with_a_clear_error() {
    let err = Listener::bind(&loopback().with_port(9001), None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ListenerError::ReservedPort));
    assert_eq!(
        err.to_string(),
        "the listener cannot use port 9001: Lambda reserves it for its own APIs; choose another port or 0 for any free port"
    );
}

#[tokio::test]
async fn a_port_in_use_is_a_bind_error() {
    let first = Listener::bind(&loopback(), None, None).await.unwrap();
    let port = first.local_addr().port();
    let err = Listener::bind(&loopback().with_port(port), None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ListenerError::Bind { .. }), "{err}");
}

#[tokio::test]
async fn outside_lambda_the_sandbox_host_listens_on_loopback_and_keeps_its_name() {
    bounded(async {
        let (logs, mut batches) = forwarding_processor();
        let config = ListenerConfig::new().with_host("sandbox.localdomain");
        let listener = Listener::bind(&config, Some(logs), None).await.unwrap();
        assert!(listener.local_addr().ip().is_loopback(), "{listener:?}");
        assert_eq!(
            listener.logs_uri(),
            format!(
                "http://sandbox.localdomain:{}/logs",
                listener.local_addr().port()
            )
        );
        let mut c = client(listener.local_addr());
        let batch = r#"[{"time": "t", "type": "function", "record": "hi"}]"#;
        assert_eq!(post(&mut c, "/logs", batch).await.0, 200);
        assert_eq!(batches.recv().await.unwrap().len(), 1);
    })
    .await;
}
