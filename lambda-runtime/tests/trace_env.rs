//! `_X_AMZN_TRACE_ID` over many invocations: each handler sees its own trace id in the
//! environment, and the function's memory does not grow with the number of invocations.
//!
//! The function runs in a child process (this test binary again, in "child" mode), so that its
//! resident memory is its own: the emulator in this process keeps state of its own.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lambda_emulator::{Invocation, Outcome, RuntimeApi};
use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
use serde_json::Value;

/// Set in the child's environment: the test serves as the function instead.
const CHILD_VAR: &str = "LAMBDA_RUNTIME_TEST_TRACE_ENV_CHILD";
const TEST_NAME: &str = "trace_id_is_exported_per_invocation_and_memory_stays_flat";

/// Invocations before the first memory sample (allocator and connection warm-up) and in all.
const WARM_UP: usize = 1_000;
const INVOCATIONS: usize = 10_000;
/// `set_var` leaks each unique value: with these 300-byte trace headers (X-Ray headers may carry
/// extra fields) that is about 2.8 MB over the 9 000 measured invocations. Bounded memory stays
/// far below this.
const MAX_GROWTH_BYTES: u64 = 1 << 20;

#[tokio::test]
async fn trace_id_is_exported_per_invocation_and_memory_stays_flat() {
    if std::env::var_os(CHILD_VAR).is_some() {
        return serve_as_the_function().await;
    }
    let api = RuntimeApi::start().await.unwrap();
    let function = FunctionProcess::spawn(&api);
    let mut after_warm_up = 0;
    for n in 0..INVOCATIONS {
        if n == WARM_UP {
            after_warm_up = function.resident_bytes();
        }
        let trace_id = format!(
            "Root=1-5759e988-{n:024x};Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0;{}",
            "Data=0123456789abcdef".repeat(11)
        );
        let outcome = api
            .invoke(Invocation {
                trace_id: Some(trace_id.clone()),
                timeout: Some(Duration::from_secs(10)),
                ..Invocation::from("{}")
            })
            .await;
        match outcome {
            Outcome::Response(response) => assert_eq!(
                response.json().unwrap(),
                Value::String(trace_id),
                "invocation {n} saw another trace id in its environment"
            ),
            other => panic!("invocation {n}: expected a response, got {other:?}"),
        }
    }
    let at_end = function.resident_bytes();
    let growth = at_end.saturating_sub(after_warm_up);
    assert!(
        growth < MAX_GROWTH_BYTES,
        "the function's resident memory grew by {growth} bytes over {} invocations \
         ({after_warm_up} -> {at_end})",
        INVOCATIONS - WARM_UP
    );
}

/// Child mode: the function, answering each invocation with the `_X_AMZN_TRACE_ID` it sees.
/// It ends when the parent kills it (or when the Runtime API goes away).
async fn serve_as_the_function() {
    let handler = service_fn(|_: LambdaEvent<Value>| async {
        Ok::<_, Error>(std::env::var("_X_AMZN_TRACE_ID").unwrap_or_default())
    });
    let _ = Runtime::from_env().unwrap().run(handler).await;
}

/// The child process, killed when dropped (also when the test fails).
struct FunctionProcess(Child);

impl FunctionProcess {
    fn spawn(api: &RuntimeApi) -> FunctionProcess {
        let child = Command::new(std::env::current_exe().unwrap())
            .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_VAR, "1")
            .env("AWS_LAMBDA_RUNTIME_API", api.address().to_string())
            .env_remove("_X_AMZN_TRACE_ID")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        FunctionProcess(child)
    }

    /// Resident set size, from `/proc/PID/statm` (in pages of 4 KiB).
    fn resident_bytes(&self) -> u64 {
        let statm = std::fs::read_to_string(format!("/proc/{}/statm", self.0.id())).unwrap();
        let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        pages * 4096
    }
}

impl Drop for FunctionProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
