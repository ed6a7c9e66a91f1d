//! `lambda-rs new` → build → run in the emulator, for every template; `build --zip` with the
//! real release settings; an arm64 build running under qemu-aarch64; the README's first function
//! and Deploy commands.
//!
//! Needs what `scripts/test-setup.sh` installs (zig through the .test-venv, the musl targets,
//! qemu-user). Every generated crate builds into one shared target directory,
//! `target/lambda-cli-tests`, so tokio and hyper compile once per profile.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root (the checkout the generated crates depend on).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The shared target directory of every generated crate.
fn shared_target() -> PathBuf {
    workspace().join("target/lambda-cli-tests")
}

/// A fresh directory for this test's crates under the shared target directory.
fn scratch(label: &str) -> PathBuf {
    let dir = shared_target()
        .join("crates")
        .join(format!("{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// PATH with the test virtualenv's python (and its zig) first; fails when it is missing.
fn test_path() -> OsString {
    static PATH: OnceLock<OsString> = OnceLock::new();
    PATH.get_or_init(|| {
        let python = std::env::var_os("LAMBDA_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join(".test-venv/bin/python"));
        assert!(
            python.is_file(),
            "no test Python at {} (LAMBDA_TEST_PYTHON or .test-venv): run scripts/test-setup.sh",
            python.display()
        );
        let zig = Command::new(&python)
            .args(["-m", "ziglang", "version"])
            .output()
            .map(|output| output.status.success());
        assert!(
            matches!(zig, Ok(true)),
            "{} has no ziglang package: run scripts/test-setup.sh",
            python.display()
        );
        let mut dirs = vec![python.parent().unwrap().to_path_buf()];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(dirs).unwrap()
    })
    .clone()
}

/// `lambda-rs ARGS` in `dir`, with the shared target directory and the test PATH.
fn lambda_rs(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_lambda-rs"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target())
        .env("PATH", test_path())
        .output()
        .unwrap();
    output
}

/// Like [`lambda_rs`], asserting success; returns the last line of stdout (the artifact).
fn lambda_rs_ok(dir: &Path, args: &[&str]) -> (PathBuf, String) {
    let output = lambda_rs(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "lambda-rs {args:?} failed:\n{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    (PathBuf::from(last), stderr)
}

/// `cargo ARGS` in `dir` with the shared target directory; asserts success.
fn cargo(dir: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {args:?} in {} failed:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `lambda-rs invoke --event EVENT [EXTRA...] -- COMMAND...`; returns stdout, asserting exit 0.
fn invoke(event: &str, extra: &[&str], command: &[&str]) -> String {
    let mut args = vec!["invoke", "--event", event];
    args.extend(extra);
    args.push("--");
    args.extend(command);
    let output = lambda_rs(&workspace(), &args);
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert!(
        output.status.success(),
        "invoke {args:?} failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn new_crate(dir: &Path, name: &str, template: &str) -> PathBuf {
    let (root, _) = lambda_rs_ok(dir, &["new", name, "--template", template]);
    assert_eq!(root, dir.join(name));
    root
}

#[test]
fn every_template_passes_its_own_emulator_test() {
    let dir = scratch("templates");
    for template in ["function", "http", "streaming", "sqs", "extension"] {
        let root = new_crate(&dir, &format!("t-{template}"), template);
        // Builds the crate and runs its tests/emulator.rs: the handler answers in the emulator.
        cargo(&root, &["test", "--quiet"]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn templates_build_as_bootstraps_that_answer_in_the_emulator() {
    let dir = scratch("bootstraps");
    // Dev profile: what `build` adds (target, linker, ELF check, naming) without LTO's minutes.
    let build = |name: &str, template: &str, extra: &[&str]| -> PathBuf {
        let root = new_crate(&dir, name, template);
        let mut args = vec!["build", "--profile", "dev"];
        args.extend(extra);
        let (artifact, stderr) = lambda_rs_ok(&root, &args);
        assert!(stderr.contains("linked by zig cc"), "{stderr}");
        artifact
    };
    let function = build("b-function", "function", &[]);
    assert!(
        function.ends_with("lambda/x86_64/b-function/bootstrap")
            || cfg!(not(target_arch = "x86_64"))
    );
    let function = function.to_str().unwrap().to_string();
    assert_eq!(
        invoke(r#"{"name":"build"}"#, &[], &[&function]),
        r#"{"greeting":"Hello, build!"}"#
    );

    let streaming = build("b-streaming", "streaming", &[]);
    assert_eq!(
        invoke(r#"{"lines":2}"#, &[], &[streaming.to_str().unwrap()]),
        "line 1 of 2\nline 2 of 2"
    );

    let sqs = build("b-sqs", "sqs", &[]);
    let batch = r#"{"Records":[{"messageId":"m1","body":"not json","eventSource":"aws:sqs"}]}"#;
    assert_eq!(
        invoke(batch, &[], &[sqs.to_str().unwrap()]),
        r#"{"batchItemFailures":[{"itemIdentifier":"m1"}]}"#
    );

    let http = build("b-http", "http", &[]);
    let request = r#"{"version":"2.0","routeKey":"$default","rawPath":"/hello/http","rawQueryString":"","headers":{},
        "requestContext":{"http":{"method":"GET","path":"/hello/http","protocol":"HTTP/1.1",
        "sourceIp":"127.0.0.1","userAgent":"t"},"requestId":"r","routeKey":"$default",
        "stage":"$default","time":"","timeEpoch":0,"accountId":"1","apiId":"a",
        "domainName":"d","domainPrefix":"d"},"isBase64Encoded":false}"#;
    let reply: serde_json::Value =
        serde_json::from_str(&invoke(request, &[], &[http.to_str().unwrap()])).unwrap();
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert_eq!(reply["body"], r#"{"greeting":"Hello, http!"}"#);

    // The extension is named extensions/NAME; its directory is an extensions directory.
    let extension = build("b-extension", "extension", &["--extension"]);
    assert!(
        extension.ends_with("extensions/b-extension"),
        "{}",
        extension.display()
    );
    let extensions_dir = extension.parent().unwrap().to_str().unwrap().to_string();
    let output = lambda_rs(
        &workspace(),
        &[
            "invoke",
            "--event",
            r#"{"name":"ext"}"#,
            "--extensions-dir",
            &extensions_dir,
            "--",
            &function,
        ],
    );
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The extension's own lines, as it wrote them (Lambda adds no prefix to extension output).
    assert!(
        stderr.lines().any(|line| line.starts_with("invocation ")),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|line| line == "shutting down (spindown)"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn release_zip_for_al2_is_deterministic_and_its_bootstrap_answers() {
    let dir = scratch("release");
    // The README's Deploy section, as a user types it (new, build --zip), with the real
    // release profile (LTO, strip).
    let root = new_crate(&dir, "hello", "function");
    let (zip, stderr) = lambda_rs_ok(&root, &["build", "--zip", "--runtime", "al2"]);
    assert!(
        zip.ends_with("lambda/x86_64/hello/bootstrap.zip") || cfg!(not(target_arch = "x86_64"))
    );
    assert!(stderr.contains("needs glibc >= 2."), "{stderr}");
    assert!(
        stderr.contains("aws lambda create-function --function-name hello --runtime provided.al2 --architectures x86_64 --handler bootstrap --zip-file fileb://"),
        "{stderr}"
    );
    assert!(stderr.contains("aws lambda update-function-code --function-name hello"));
    let first = std::fs::read(&zip).unwrap();
    let bootstrap = zip.with_file_name("bootstrap");
    assert_eq!(
        invoke(r#"{"name":"release"}"#, &[], &[bootstrap.to_str().unwrap()]),
        r#"{"greeting":"Hello, release!"}"#
    );
    // Again: nothing to compile, the same zip byte for byte.
    lambda_rs_ok(&root, &["build", "--zip", "--runtime", "al2"]);
    assert!(std::fs::read(&zip).unwrap() == first, "the zip changed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn arm64_static_build_runs_under_qemu_and_answers() {
    let qemu = Command::new("qemu-aarch64").arg("--version").output();
    assert!(
        matches!(&qemu, Ok(output) if output.status.success()),
        "qemu-aarch64 is missing: run scripts/test-setup.sh"
    );
    let dir = scratch("arm64");
    let root = new_crate(&dir, "hello-arm", "function");
    let (zip, stderr) = lambda_rs_ok(&root, &["build", "--arm64", "--static", "--zip"]);
    assert!(stderr.contains("linked by rust-lld"), "{stderr}");
    assert!(stderr.contains("arm64, static"), "{stderr}");
    assert!(stderr.contains("--architectures arm64"), "{stderr}");
    let bootstrap = zip.with_file_name("bootstrap");
    assert_eq!(
        invoke(
            r#"{"name":"graviton"}"#,
            &["--timeout", "30"],
            &["qemu-aarch64", bootstrap.to_str().unwrap()]
        ),
        r#"{"greeting":"Hello, graviton!"}"#
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The text of the first fenced block of `language` after `heading` in README.md.
fn readme_block(readme: &str, heading: &str, language: &str) -> String {
    let section = &readme[readme
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading}"))..];
    let start = section
        .find(&format!("```{language}\n"))
        .unwrap_or_else(|| panic!("no {language} block after {heading}"))
        + language.len()
        + 4;
    let end = section[start..].find("```").unwrap();
    section[start..start + end].to_string()
}

#[test]
fn readme_first_function_compiles_with_the_dependencies_it_shows() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let code = readme_block(&readme, "## Your first function", "rust");
    let dependencies = readme_block(&readme, "## Your first function", "toml");
    let checkout = workspace().display().to_string();
    let dir = scratch("readme");
    let root = dir.join("first-function");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"first-function\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             {}\n[workspace]\n",
            dependencies.replace("PATH/TO/lambda-rs", &checkout)
        ),
    )
    .unwrap();
    std::fs::write(root.join("src/main.rs"), code).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    cargo(&root, &["build", "--quiet"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn readme_deploy_section_holds_the_commands_these_tests_run() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let deploy = readme_block(&readme, "## Deploy", "sh");
    for command in [
        "cargo install --path lambda-cli",
        "lambda-rs new hello",
        "lambda-rs build --zip --runtime al2",
        "lambda-rs build --arm64 --static --zip",
    ] {
        assert!(
            deploy.contains(command),
            "README's Deploy lacks `{command}`"
        );
    }
}
