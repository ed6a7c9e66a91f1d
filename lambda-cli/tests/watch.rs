//! `lambda-rs watch` end to end: a tiny crate (a std-only Lambda runtime, fast to compile) is
//! built and served; editing its source rebuilds and restarts it behind the same endpoints; a
//! broken edit is reported and the previous build keeps serving.

// The emulator's shared test helpers (one copy, used by every crate).
#[path = "../../lambda-emulator/tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Scratch;
use http::Method;
use tokio::io::{AsyncBufReadExt, BufReader};

const INVOKE: &str = "/2015-03-31/functions/function/invocations";

/// A Lambda runtime with the standard library only, answering `"VERSION"` to every event.
const RUNTIME: &str = r#"
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

fn request(api: &str, head: &str, body: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(api).unwrap();
    write!(stream, "{head}\r\nHost: runtime\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut reader = BufReader::new(stream);
    let (mut id, mut length) = (String::new(), 0usize);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() { break; }
        if let Some((name, value)) = line.split_once(':') {
            match name.to_ascii_lowercase().as_str() {
                "lambda-runtime-aws-request-id" => id = value.trim().to_string(),
                "content-length" => length = value.trim().parse().unwrap(),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (id, body)
}

fn main() {
    let api = std::env::var("AWS_LAMBDA_RUNTIME_API").unwrap();
    loop {
        let (id, _event) = request(&api, "GET /2018-06-01/runtime/invocation/next HTTP/1.1", "");
        let head = format!("POST /2018-06-01/runtime/invocation/{id}/response HTTP/1.1");
        request(&api, &head, "\"VERSION\"");
    }
}
"#;

fn write_source(dir: &Path, version: &str) {
    std::fs::write(dir.join("src/main.rs"), RUNTIME.replace("VERSION", version)).unwrap();
}

/// The child's stderr lines, collected as they come.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<String>>>);

impl Lines {
    async fn wait_for(&self, found: impl Fn(&str) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(line) = self.0.lock().unwrap().iter().find(|line| found(line)) {
                return line.clone();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "not seen in time; stderr so far:\n{}",
                self.0.lock().unwrap().join("\n")
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn count(&self, found: impl Fn(&str) -> bool) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|line| found(line))
            .count()
    }
}

fn address_after(line: &str, prefix: &str) -> SocketAddr {
    let rest = line.split_once(prefix).expect(line).1;
    rest.split('/').next().unwrap().parse().unwrap()
}

async fn invoke(address: SocketAddr) -> String {
    let reply = common::request(address, Method::POST, INVOKE, &[], "{}").await;
    String::from_utf8(reply.body.to_vec()).unwrap()
}

#[tokio::test]
async fn watch_rebuilds_on_change_and_keeps_serving_the_last_good_build() {
    let scratch = Scratch::new("watch");
    let dir = scratch.path.join("watched");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"watched\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    write_source(&dir, "v1");
    // One target directory for every run of this test: rebuilds are incremental.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("watch-target");

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lambda-rs"))
        .args(["watch", "--port", "0", "--http", "0", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let lines = Lines::default();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let collected = lines.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = stderr.next_line().await {
            collected.0.lock().unwrap().push(line);
        }
    });

    let door = lines
        .wait_for(|line| line.starts_with("lambda-rs: listening on http://"))
        .await;
    let door = address_after(&door, "http://");
    let front = lines
        .wait_for(|line| line.starts_with("lambda-rs: HTTP front"))
        .await;
    let front = address_after(&front, "http://");
    lines.wait_for(|line| line.contains("watching")).await;

    assert_eq!(invoke(door).await, "\"v1\"");
    let reply = common::request(front, Method::GET, "/hello", &[], "").await;
    assert_eq!(reply.status, http::StatusCode::OK);
    assert_eq!(reply.body, "\"v1\"");

    // An edit: rebuilt and restarted behind the same endpoints.
    write_source(&dir, "v2");
    lines.wait_for(|line| line.contains("rebuilt")).await;
    assert_eq!(invoke(door).await, "\"v2\"");
    let reply = common::request(front, Method::GET, "/hello", &[], "").await;
    assert_eq!(reply.body, "\"v2\"");

    // A broken edit: the error is shown and v2 keeps serving.
    std::fs::write(
        dir.join("src/main.rs"),
        "fn main() { let x: u32 = \"no\"; }\n",
    )
    .unwrap();
    lines
        .wait_for(|line| line.contains("still serving the previous build"))
        .await;
    assert!(
        lines.count(|line| line.contains("mismatched types")) > 0,
        "the compiler's error is shown"
    );
    assert_eq!(invoke(door).await, "\"v2\"");

    // SIGTERM stops it cleanly.
    let pid = child.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let status = common::bounded(child.wait()).await.unwrap();
    assert_eq!(status.code(), Some(0));
}
