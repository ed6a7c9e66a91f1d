//! `lambda-rs new`: writes a crate from a template (files under `lambda-cli/templates/`) that
//! builds, tests and runs at once, depending on the lambda-rs crates by path.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{NewArgs, Template};

/// The checkout this tool was built from (the parent of `lambda-cli/`).
const DEFAULT_CHECKOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

const CARGO_TOML: &str = include_str!("../templates/Cargo.toml");
const README: &str = include_str!("../templates/README.md");
const GITIGNORE: &str = include_str!("../templates/gitignore");

/// One template's files.
struct Files {
    main: &'static str,
    test: &'static str,
    dependencies: &'static str,
    dev_dependencies: &'static str,
    description: &'static str,
    invoke: &'static str,
}

fn files(template: Template) -> Files {
    match template {
        Template::Function => Files {
            main: include_str!("../templates/function/main.rs"),
            test: include_str!("../templates/function/test.rs"),
            dependencies: include_str!("../templates/function/dependencies.toml"),
            dev_dependencies: "",
            description: "An AWS Lambda function (JSON in, JSON out)",
            invoke: "cargo build && lambda-rs invoke --event '{\"name\":\"world\"}' -- target/debug/{{name}}",
        },
        Template::Http => Files {
            main: include_str!("../templates/http/main.rs"),
            test: include_str!("../templates/http/test.rs"),
            dependencies: include_str!("../templates/http/dependencies.toml"),
            dev_dependencies: "",
            description: "An axum app as an AWS Lambda function (function URL, API Gateway or ALB)",
            invoke: "cargo build && lambda-rs serve -- target/debug/{{name}}    # the invoke endpoint on 127.0.0.1:9000",
        },
        Template::Streaming => Files {
            main: include_str!("../templates/streaming/main.rs"),
            test: include_str!("../templates/streaming/test.rs"),
            dependencies: include_str!("../templates/streaming/dependencies.toml"),
            dev_dependencies: "",
            description: "An AWS Lambda function that streams its response",
            invoke: "cargo build && lambda-rs invoke --event '{\"lines\":3}' -- target/debug/{{name}}",
        },
        Template::Sqs => Files {
            main: include_str!("../templates/sqs/main.rs"),
            test: include_str!("../templates/sqs/test.rs"),
            dependencies: include_str!("../templates/sqs/dependencies.toml"),
            dev_dependencies: "",
            description: "An AWS Lambda function processing SQS batches",
            invoke: "cargo test                                   # sends it a batch with a bad message",
        },
        Template::Extension => Files {
            main: include_str!("../templates/extension/main.rs"),
            test: include_str!("../templates/extension/test.rs"),
            dependencies: include_str!("../templates/extension/dependencies.toml"),
            dev_dependencies: include_str!("../templates/extension/dev-dependencies.toml"),
            description: "An AWS Lambda external extension (shipped as a layer)",
            invoke: "cargo build && mkdir -p opt/extensions && cp target/debug/{{name}} opt/extensions/\n\
                     lambda-rs invoke -- PATH/TO/A/FUNCTION    # runs ./opt/extensions/* beside it",
        },
    }
}

/// Why a crate could not be created.
#[derive(Debug)]
pub(crate) enum NewError {
    /// The name cannot be a cargo package name.
    InvalidName(String),
    /// The directory exists already.
    Exists(PathBuf),
    /// The checkout does not hold the lambda-rs crates.
    NotACheckout(PathBuf),
    /// A file could not be written.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::InvalidName(name) => write!(
                f,
                "`{name}` cannot be a package name: use letters, digits, - and _, starting with a letter"
            ),
            NewError::Exists(path) => write!(
                f,
                "{} exists already: choose another name or remove it",
                path.display()
            ),
            NewError::NotACheckout(path) => write!(
                f,
                "{} is not a lambda-rs checkout (no lambda-runtime/Cargo.toml): pass \
                 --path-to-checkout DIR",
                path.display()
            ),
            NewError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for NewError {}

/// Runs `lambda-rs new`: the last line on stdout is the new crate's directory.
pub(crate) fn run(args: NewArgs) -> ExitCode {
    let result = std::env::current_dir()
        .map_err(|error| NewError::Io {
            path: PathBuf::from("."),
            error,
        })
        .and_then(|dir| create(&args, &dir));
    match result {
        Ok(path) => {
            eprintln!(
                "lambda-rs: created {} ({:?} template); next: cd {} && cargo test",
                path.display(),
                args.template,
                args.name
            );
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("lambda-rs new: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the crate `args.name` under `parent`.
fn create(args: &NewArgs, parent: &Path) -> Result<PathBuf, NewError> {
    let name = args.name.as_str();
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(NewError::InvalidName(name.to_string()));
    }
    let checkout = args
        .path_to_checkout
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CHECKOUT));
    let checkout = std::fs::canonicalize(&checkout)
        .ok()
        .filter(|dir| dir.join("lambda-runtime/Cargo.toml").is_file())
        .ok_or(NewError::NotACheckout(checkout))?;
    let root = parent.join(name);
    if root.exists() {
        return Err(NewError::Exists(root));
    }

    let files = files(args.template);
    let checkout_text = checkout.display().to_string();
    let fill = |text: &str| {
        text.replace("{{name}}", name)
            .replace("{{checkout}}", &toml_escape(&checkout_text))
    };
    let cargo_toml = CARGO_TOML
        .replace("{{dependencies}}", files.dependencies)
        .replace("{{dev_dependencies}}", files.dev_dependencies);
    let build_flags = if args.template == Template::Extension {
        " --extension"
    } else {
        ""
    };
    let template_name = format!("{:?}", args.template).to_lowercase();
    let readme = README
        .replace("{{description}}", files.description)
        .replace("{{template}}", &template_name)
        .replace("{{invoke}}", files.invoke)
        .replace("{{build_flags}}", build_flags)
        .replace("{{checkout}}", &checkout_text)
        .replace("{{name}}", name);

    write(&root.join("Cargo.toml"), &fill(&cargo_toml))?;
    write(&root.join("src/main.rs"), &fill(files.main))?;
    write(&root.join("tests/emulator.rs"), &fill(files.test))?;
    write(&root.join("README.md"), &readme)?;
    write(&root.join(".gitignore"), GITIGNORE)?;
    // The checkout's lock file: the new crate starts with the dependency versions lambda-rs is
    // tested with (cargo drops what it does not use and adds what is missing).
    if let Ok(lock) = std::fs::read_to_string(checkout.join("Cargo.lock")) {
        write(&root.join("Cargo.lock"), &lock)?;
    }
    Ok(root)
}

fn write(path: &Path, text: &str) -> Result<(), NewError> {
    let wrap = |error| NewError::Io {
        path: path.to_path_buf(),
        error,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(wrap)?;
    }
    std::fs::write(path, text).map_err(wrap)
}

/// Escapes text for a TOML basic string.
fn toml_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(label: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lambda-rs-new-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn args(name: &str, template: Template) -> NewArgs {
        NewArgs {
            name: name.to_string(),
            template,
            path_to_checkout: None,
        }
    }

    #[test]
    fn every_template_writes_a_complete_crate_with_path_dependencies() {
        let dir = scratch("all");
        let checkout = std::fs::canonicalize(DEFAULT_CHECKOUT).unwrap();
        for template in [
            Template::Function,
            Template::Http,
            Template::Streaming,
            Template::Sqs,
            Template::Extension,
        ] {
            let name = format!("my-{template:?}").to_lowercase();
            let root = create(&args(&name, template), &dir).unwrap();
            let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
            assert!(
                manifest.contains(&format!("name = \"{name}\"")),
                "{manifest}"
            );
            assert!(
                manifest.contains(&format!("path = \"{}/", checkout.display())),
                "{manifest}"
            );
            assert!(manifest.contains("lto = true") && manifest.contains("panic = \"unwind\""));
            assert!(!manifest.contains("{{"), "{manifest}");
            for file in [
                "src/main.rs",
                "tests/emulator.rs",
                "README.md",
                ".gitignore",
            ] {
                let text = std::fs::read_to_string(root.join(file)).unwrap();
                assert!(
                    !text.contains("{{name}}") && !text.contains("{{checkout}}"),
                    "{file}"
                );
            }
            let test = std::fs::read_to_string(root.join("tests/emulator.rs")).unwrap();
            assert!(test.contains(&format!("CARGO_BIN_EXE_{name}")));
            assert!(root.join("Cargo.lock").is_file());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_names_existing_directories_and_bad_checkouts_are_refused() {
        let dir = scratch("refused");
        for name in ["", "9lives", "my fn", "a/b", "-x"] {
            let error = create(&args(name, Template::Function), &dir).unwrap_err();
            assert!(matches!(error, NewError::InvalidName(_)), "{name}: {error}");
        }
        create(&args("twice", Template::Function), &dir).unwrap();
        let error = create(&args("twice", Template::Function), &dir).unwrap_err();
        assert!(matches!(error, NewError::Exists(_)), "{error}");
        let mut elsewhere = args("elsewhere", Template::Function);
        elsewhere.path_to_checkout = Some(dir.clone());
        let error = create(&elsewhere, &dir).unwrap_err();
        assert!(matches!(error, NewError::NotACheckout(_)), "{error}");
        assert!(error.to_string().contains("--path-to-checkout"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
