//! Runs the built extension in the local Lambda emulator beside a small function.

use std::time::Duration;

use lambda_emulator::{Environment, FunctionConfig, LogSource, Outcome};
use lambda_runtime::{service_fn, Error, LambdaEvent};

const ROLE: &str = "EXTENSION_TEST_ROLE";

#[tokio::test]
async fn receives_the_invocation() {
    // The extensions directory holds this crate's binary, as the layer's extensions/ would.
    let dir = std::env::temp_dir().join(format!("{{name}}-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_{{name}}"), dir.join("{{name}}")).unwrap();
    // The function is this test binary again, running `echo_function` below.
    let mut function = FunctionConfig::new(
        std::env::current_exe().unwrap(),
        ["--exact", "echo_function", "--ignored", "--nocapture"],
    );
    function.env.push((ROLE.into(), "function".into()));
    function.extensions_dir = Some(dir.clone());
    let environment = Environment::start(function).await.unwrap();

    let outcome = environment.invoke("\"hi\"").await;
    let Outcome::Response(response) = outcome else {
        panic!("the invocation failed: {outcome:?}")
    };
    let line = format!("invocation {}", response.request_id);
    let mut seen = false;
    for _ in 0..50 {
        seen = environment.logs().iter().any(|log| {
            log.source == LogSource::Extension("{{name}}".into()) && log.text == line
        });
        if seen {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    environment.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(seen, "the extension did not print `{line}`");
}

/// The function process of the test above (it only runs when started by it).
#[test]
#[ignore = "started by receives_the_invocation as the function's process"]
fn echo_function() {
    if std::env::var_os(ROLE).is_none() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime
        .block_on(lambda_runtime::run(service_fn(|event: LambdaEvent<serde_json::Value>| async {
            Ok::<_, Error>(event.payload)
        })))
        .unwrap();
}
