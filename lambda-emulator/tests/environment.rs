//! The execution environment with a real child process: a Python standard-library runtime.

mod common;

use std::time::Duration;

use common::{bounded, python_function};
use lambda_emulator::{Environment, FunctionConfig, Invocation, LogSource, LogStream, Outcome};
use serde_json::json;

async fn start(config: FunctionConfig) -> Environment {
    Environment::start(config).await.unwrap()
}

fn init_count(environment: &Environment) -> usize {
    environment
        .logs()
        .iter()
        .filter(|line| line.text == "init done")
        .count()
}

#[tokio::test]
async fn python_runtime_echoes_the_event() {
    let environment = start(python_function(&[])).await;
    let outcome = bounded(environment.invoke(r#"{"hello":"world"}"#)).await;
    assert_eq!(
        outcome.response().expect("a response").body,
        r#"{"hello":"world"}"#
    );
    // The same runtime serves the next invocation: no second init.
    let again = bounded(environment.invoke(r#"{"n":2}"#)).await;
    assert_eq!(again.response().unwrap().body, r#"{"n":2}"#);
    assert_eq!(init_count(&environment), 1);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn reserved_variables_reach_the_function() {
    let mut config = python_function(&[("USER_VAR", "user value")]);
    config.function_name = "my-fn".into();
    config.memory_mb = 512;
    config.region = "eu-west-1".into();
    let environment = start(config).await;
    let names = [
        "AWS_LAMBDA_RUNTIME_API",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "_HANDLER",
        "LAMBDA_TASK_ROOT",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_EXECUTION_ENV",
        "LANG",
        "TZ",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "USER_VAR",
        "AWS_LAMBDA_MAX_CONCURRENCY",
    ];
    let outcome = bounded(environment.invoke(json!({"action": "env", "names": names}))).await;
    let vars = outcome.response().expect("a response").json().unwrap();
    assert_eq!(
        vars["AWS_LAMBDA_RUNTIME_API"],
        environment.runtime_api().address().to_string()
    );
    assert_eq!(vars["AWS_LAMBDA_FUNCTION_NAME"], "my-fn");
    assert_eq!(vars["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
    assert_eq!(vars["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "512");
    assert_eq!(vars["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/my-fn");
    let stream = vars["AWS_LAMBDA_LOG_STREAM_NAME"].as_str().unwrap();
    assert!(
        stream.contains("/[$LATEST]") && stream.len() == "2026/11/23/[$LATEST]".len() + 32,
        "{stream}"
    );
    assert_eq!(vars["AWS_REGION"], "eu-west-1");
    assert_eq!(vars["AWS_DEFAULT_REGION"], "eu-west-1");
    assert_eq!(vars["_HANDLER"], "bootstrap");
    assert!(vars["LAMBDA_TASK_ROOT"].as_str().is_some());
    assert_eq!(vars["AWS_LAMBDA_INITIALIZATION_TYPE"], "on-demand");
    assert_eq!(vars["AWS_EXECUTION_ENV"], "AWS_Lambda_provided.al2023");
    assert_eq!(vars["LANG"], "en_US.UTF-8");
    assert_eq!(vars["TZ"], ":UTC");
    assert_eq!(
        vars["AWS_ACCESS_KEY_ID"],
        lambda_emulator::DUMMY_ACCESS_KEY_ID
    );
    assert_eq!(
        vars["AWS_SECRET_ACCESS_KEY"],
        lambda_emulator::DUMMY_SECRET_ACCESS_KEY
    );
    assert_eq!(
        vars["AWS_SESSION_TOKEN"],
        lambda_emulator::DUMMY_SESSION_TOKEN
    );
    assert_eq!(vars["USER_VAR"], "user value");
    assert_eq!(vars["AWS_LAMBDA_MAX_CONCURRENCY"], serde_json::Value::Null);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn invocation_context_reaches_the_runtime_as_headers() {
    let environment = start(python_function(&[])).await;
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("ctx-1".into()),
        trace_id: Some(
            "Root=1-00000000-000000000000000000000001;Parent=0000000000000001;Sampled=1".into(),
        ),
        client_context: Some(json!({"custom": {"k": "v"}})),
        tenant_id: Some("tenant-9".into()),
        ..Invocation::from(json!({"action": "headers"}))
    }))
    .await;
    let headers = outcome.response().expect("a response").json().unwrap();
    assert_eq!(headers["lambda-runtime-aws-request-id"], "ctx-1");
    assert_eq!(
        headers["lambda-runtime-trace-id"],
        "Root=1-00000000-000000000000000000000001;Parent=0000000000000001;Sampled=1"
    );
    assert_eq!(
        headers["lambda-runtime-client-context"],
        r#"{"custom":{"k":"v"}}"#
    );
    assert_eq!(headers["lambda-runtime-aws-tenant-id"], "tenant-9");
    assert_eq!(
        headers["lambda-runtime-invoked-function-arn"],
        environment.config().function_arn()
    );
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn function_error_is_returned_with_its_header() {
    let environment = start(python_function(&[])).await;
    let outcome = bounded(environment.invoke(json!({"action": "error"}))).await;
    let report = outcome.error().expect("an error");
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.Unhandled")
    );
    assert_eq!(report.error_type().as_deref(), Some("ValueError"));
    assert_eq!(report.error_message().as_deref(), Some("bad input"));
    // An error is not a crash: the same runtime keeps serving.
    assert!(bounded(environment.invoke("1")).await.response().is_some());
    assert_eq!(init_count(&environment), 1);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn crash_answers_runtime_exit_error_and_the_next_invoke_reinitialises() {
    let environment = start(python_function(&[])).await;
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("crash-1".into()),
        ..Invocation::from(json!({"action": "crash", "code": 7}))
    }))
    .await;
    let report = outcome.error().expect("an error");
    assert_eq!(report.error_type().as_deref(), Some("Runtime.ExitError"));
    assert_eq!(
        report.error_message().as_deref(),
        Some("RequestId: crash-1 Error: Runtime exited with error: exit status 7")
    );
    let after = bounded(environment.invoke(r#""again""#)).await;
    assert_eq!(after.response().expect("a response").body, r#""again""#);
    assert_eq!(init_count(&environment), 2);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn timeout_kills_the_runtime_and_the_next_invoke_reinitialises() {
    let environment = start(python_function(&[])).await;
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("slow-1".into()),
        timeout: Some(Duration::from_millis(500)),
        ..Invocation::from(json!({"action": "sleep", "seconds": 30}))
    }))
    .await;
    match &outcome {
        Outcome::Timeout { request_id, after } => {
            assert_eq!(request_id, "slow-1");
            assert_eq!(*after, Duration::from_millis(500));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(
        outcome.caller_body(),
        r#"{"errorMessage":"RequestId: slow-1 Error: Task timed out after 0.50 seconds","errorType":"Sandbox.Timedout"}"#
    );
    let after = bounded(environment.invoke("2")).await;
    assert_eq!(after.response().expect("a response").body, "2");
    assert_eq!(init_count(&environment), 2);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn init_error_is_returned_to_the_invoker() {
    let environment = start(python_function(&[("FIXTURE_INIT", "error")])).await;
    let outcome = bounded(environment.invoke("{}")).await;
    let report = outcome.error().expect("an error");
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InitError")
    );
    assert_eq!(report.error_type().as_deref(), Some("ConfigError"));
    assert_eq!(
        report.error_message().as_deref(),
        Some("TABLE_NAME is not set")
    );
    let recorded = environment.runtime_api().init_error(Duration::ZERO).await;
    assert_eq!(
        recorded.unwrap().error_type().as_deref(),
        Some("ConfigError")
    );
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn exit_during_init_answers_runtime_exit_error() {
    let environment = start(python_function(&[("FIXTURE_INIT", "exit")])).await;
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("init-exit".into()),
        ..Invocation::from("{}")
    }))
    .await;
    assert_eq!(
        outcome
            .error()
            .expect("an error")
            .error_message()
            .as_deref(),
        Some("RequestId: init-exit Error: Runtime exited with error: exit status 3")
    );
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn runtime_that_never_calls_next_hits_the_init_limit_twice_then_times_out() {
    let mut config = python_function(&[("FIXTURE_INIT", "hang")]);
    config.init_timeout = Duration::from_millis(300);
    let environment = start(config).await;
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("hang-1".into()),
        timeout: Some(Duration::from_millis(300)),
        ..Invocation::from("{}")
    }))
    .await;
    assert!(
        matches!(&outcome, Outcome::Timeout { request_id, .. } if request_id == "hang-1"),
        "{outcome:?}"
    );
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn slow_init_within_the_retry_succeeds_like_lambdas_suppressed_init() {
    // Init takes longer than the init limit but less than limit + function timeout.
    let mut config = python_function(&[("FIXTURE_INIT", "slow:0.2")]);
    config.init_timeout = Duration::from_millis(50);
    let environment = start(config).await;
    let outcome = bounded(environment.invoke(Invocation {
        timeout: Some(Duration::from_secs(10)),
        ..Invocation::from(r#""late""#)
    }))
    .await;
    assert_eq!(outcome.response().expect("a response").body, r#""late""#);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn missing_program_answers_invalid_entrypoint() {
    let mut config = FunctionConfig::new("/nonexistent/bootstrap", Vec::<String>::new());
    config.echo = lambda_emulator::Echo::Off;
    let environment = start(config).await;
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("noexec".into()),
        ..Invocation::from("{}")
    }))
    .await;
    let report = outcome.error().expect("an error");
    assert_eq!(
        report.error_type().as_deref(),
        Some("Runtime.InvalidEntrypoint")
    );
    assert!(report
        .error_message()
        .unwrap()
        .starts_with("RequestId: noexec Error: fork/exec /nonexistent/bootstrap: "));
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn function_output_is_captured_line_by_line() {
    let environment = start(python_function(&[])).await;
    bounded(environment.invoke(json!({"action": "log", "lines": ["first line", "second line"]})))
        .await;
    let crash = bounded(environment.invoke(json!({"action": "crash"}))).await;
    assert!(crash.error().is_some());
    let lines: Vec<_> = environment
        .logs()
        .into_iter()
        .filter(|line| line.source == LogSource::Function)
        .map(|line| (line.stream, line.text))
        .collect();
    assert!(
        lines.contains(&(LogStream::Stdout, "first line".into())),
        "{lines:?}"
    );
    assert!(lines.contains(&(LogStream::Stdout, "second line".into())));
    assert!(lines.contains(&(LogStream::Stderr, "crashing".into())));
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn streamed_response_from_a_python_runtime_is_collected() {
    let environment = start(python_function(&[])).await;
    let outcome =
        bounded(environment.invoke(json!({"action": "stream", "chunks": ["one ", "two"]}))).await;
    let response = outcome.response().expect("a response");
    assert!(response.streamed);
    assert_eq!(response.body, "one two");
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn queued_invocations_survive_a_crash_of_the_one_before() {
    let environment = start(python_function(&[])).await;
    let (crash, next) = bounded(async {
        tokio::join!(
            environment.invoke(json!({"action": "crash"})),
            environment.invoke(r#""survivor""#)
        )
    })
    .await;
    assert_eq!(
        crash.error().unwrap().error_type().as_deref(),
        Some("Runtime.ExitError")
    );
    assert_eq!(next.response().expect("a response").body, r#""survivor""#);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn concurrency_hands_out_invocations_side_by_side_from_one_environment() {
    let mut config = python_function(&[]);
    config.max_concurrency = 2;
    let environment = start(config).await;
    let gate = std::env::temp_dir().join(format!("lambda-emulator-cc-gate-{}", std::process::id()));
    let _ = std::fs::remove_file(&gate);
    let blocked = environment.invoke(json!({"action": "wait_gate", "gate": gate}));
    let free = async {
        // Answered while the first invocation is still in flight: only possible with 2 pollers.
        let outcome = environment.invoke(json!({"action": "env", "names": ["AWS_LAMBDA_MAX_CONCURRENCY", "AWS_LAMBDA_INITIALIZATION_TYPE"]})).await;
        std::fs::write(&gate, b"open").unwrap();
        outcome
    };
    let (blocked, free) = bounded(async { tokio::join!(blocked, free) }).await;
    std::fs::remove_file(&gate).unwrap();
    assert_eq!(
        free.response().expect("a response").json().unwrap(),
        json!({"AWS_LAMBDA_MAX_CONCURRENCY": "2", "AWS_LAMBDA_INITIALIZATION_TYPE": "lambda-managed-instances"})
    );
    assert_eq!(blocked.response().expect("a response").body, r#""opened""#);
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn oversized_response_reaches_the_caller_as_function_response_size_too_large() {
    let environment = start(python_function(&[])).await;
    let outcome = bounded(environment.invoke(Invocation {
        request_id: Some("big-1".into()),
        ..Invocation::from(json!({"action": "big"}))
    }))
    .await;
    assert_eq!(
        outcome.caller_body(),
        r#"{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}"#
    );
    // The runtime saw the 413 and kept serving.
    assert_eq!(
        bounded(environment.invoke("1"))
            .await
            .response()
            .unwrap()
            .body,
        "1"
    );
    bounded(environment.shutdown()).await;
}

#[tokio::test]
async fn shutdown_sends_sigterm_to_the_runtime_before_killing_it() {
    let scratch = common::Scratch::new("sigterm");
    let marker = scratch.path.join("marker");
    let environment = start(python_function(&[(
        "FIXTURE_SIGTERM",
        marker.to_str().unwrap(),
    )]))
    .await;
    assert!(bounded(environment.invoke("1")).await.response().is_some());
    bounded(environment.shutdown()).await;
    assert_eq!(
        std::fs::read_to_string(&marker).unwrap(),
        "runtime got SIGTERM"
    );
}

#[tokio::test]
async fn a_timed_out_runtime_is_killed_without_sigterm() {
    let scratch = common::Scratch::new("sigkill");
    let marker = scratch.path.join("marker");
    let environment = start(python_function(&[(
        "FIXTURE_SIGTERM",
        marker.to_str().unwrap(),
    )]))
    .await;
    let outcome = bounded(environment.invoke(Invocation {
        timeout: Some(Duration::from_millis(300)),
        ..Invocation::from(json!({"action": "sleep", "seconds": 30}))
    }))
    .await;
    assert!(matches!(outcome, Outcome::Timeout { .. }));
    assert!(!marker.exists(), "the timed-out runtime got SIGTERM");
    bounded(environment.shutdown()).await;
}
