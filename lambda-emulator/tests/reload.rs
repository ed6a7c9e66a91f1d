//! `Environment::reload`: the next invocation starts the program on disk anew, while the
//! invoke endpoint and the HTTP front stay up.

mod common;

use std::sync::Arc;

use common::{bounded, python_function, Client, Scratch};
use lambda_emulator::{Environment, FrontDoor, HttpFormat, HttpFront};
use serde_json::json;

const INVOKE: &str = "/2015-03-31/functions/function/invocations";

/// A program that runs the Python fixture runtime with `VERSION` set to `version`: rewriting
/// it plays a rebuilt binary.
fn write_program(path: &std::path::Path, version: u32) {
    let script = format!(
        "#!/bin/sh\nVERSION={version} exec python3 {}\n",
        common::fixture("runtime.py").display()
    );
    std::fs::write(path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[tokio::test]
async fn reload_runs_the_new_program_and_keeps_the_endpoints_up() {
    let scratch = Scratch::new("reload");
    let program = scratch.path.join("bootstrap");
    write_program(&program, 1);
    let mut config = python_function(&[]);
    config.program = program.clone().into();
    config.args = Vec::new();
    let environment = Arc::new(Environment::start(config).await.unwrap());
    let door = FrontDoor::start(Arc::clone(&environment), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let front = HttpFront::start(
        Arc::clone(&environment),
        "127.0.0.1:0".parse().unwrap(),
        HttpFormat::FunctionUrl,
    )
    .await
    .unwrap();
    let mut invoke = Client::connect(door.address()).await;
    let mut http = Client::connect(front.address()).await;
    let version = json!({"action": "env", "names": ["VERSION"]}).to_string();

    let reply = invoke.post(INVOKE, &[], version.clone()).await;
    assert_eq!(
        reply.json(),
        json!({"VERSION": "1"}),
        "the function's output: {:?}",
        environment.logs()
    );

    // The binary changes on disk: the running process keeps serving until the reload.
    write_program(&program, 2);
    let reply = invoke.post(INVOKE, &[], version.clone()).await;
    assert_eq!(reply.json(), json!({"VERSION": "1"}));

    bounded(environment.reload()).await;
    // The same keep-alive connections, to the same endpoints, reach the new program.
    let reply = invoke.post(INVOKE, &[], version.clone()).await;
    assert_eq!(reply.json(), json!({"VERSION": "2"}));
    let reply = http.get("/after/reload").await;
    assert_eq!(reply.status, http::StatusCode::OK);
    assert_eq!(reply.json()["rawPath"], "/after/reload");
    let inits = environment
        .logs()
        .iter()
        .filter(|line| line.text == "init done")
        .count();
    assert_eq!(inits, 2, "one Init per program version");

    // A reload with nothing running does nothing, and the next invocation starts one.
    bounded(environment.reload()).await;
    bounded(environment.reload()).await;
    let reply = invoke.post(INVOKE, &[], version).await;
    assert_eq!(reply.json(), json!({"VERSION": "2"}));

    front.shutdown().await;
    door.shutdown().await;
    if let Ok(environment) = Arc::try_unwrap(environment) {
        bounded(environment.shutdown()).await;
    }
}
