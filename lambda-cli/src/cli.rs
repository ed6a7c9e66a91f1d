//! The command line: every subcommand's flags as clap derive structs, and their conversion into
//! the emulator's [`FunctionConfig`]. The subcommands themselves live in one module each.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use lambda_emulator::FunctionConfig;

/// `lambda-rs`: create, build, package, run and invoke AWS Lambda functions.
#[derive(Debug, Parser)]
#[command(name = "lambda-rs", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new function or extension crate that builds and runs at once.
    New(NewArgs),
    /// Build a `bootstrap` (or an extension) that runs on provided.al2 / provided.al2023,
    /// optionally zipped for deployment.
    Build(BuildArgs),
    /// Run a function once in the local Lambda emulator and print its response (or error JSON).
    ///
    /// Exits 0 on success, 1 on a function error, crash or timeout, 2 on a usage error.
    Invoke(InvokeArgs),
    /// Keep a function running in the local emulator behind an RIE-compatible endpoint:
    /// POST http://127.0.0.1:PORT/2015-03-31/functions/function/invocations
    Serve(ServeArgs),
    /// Rebuild on source change and restart the function under the emulator.
    Watch(WatchArgs),
}

/// `lambda-rs new`.
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The crate's name (also its directory, created in the current directory).
    pub(crate) name: String,
    /// What kind of crate to create.
    #[arg(long, value_enum, default_value_t = Template::Function)]
    pub(crate) template: Template,
    /// The lambda-rs checkout the new crate depends on by path (default: the checkout this tool
    /// was built from).
    #[arg(long, value_name = "DIR")]
    pub(crate) path_to_checkout: Option<PathBuf>,
}

/// The templates `new` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Template {
    /// A JSON-in, JSON-out function (`run`).
    Function,
    /// An axum app behind API Gateway, ALB or a function URL (`run_http`).
    Http,
    /// A function streaming its response (`run_streaming`).
    Streaming,
    /// An SQS batch handler reporting per-message failures.
    Sqs,
    /// An external extension, shipped as a layer.
    Extension,
}

/// The Lambda runtimes a build can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Runtime {
    /// `provided.al2` (Amazon Linux 2, glibc 2.26).
    Al2,
    /// `provided.al2023` (Amazon Linux 2023, glibc 2.34).
    Al2023,
}

/// `lambda-rs build`.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// Build for arm64 (Graviton) instead of x86_64.
    #[arg(long)]
    pub(crate) arm64: bool,
    /// The Lambda runtime the binary must run on.
    #[arg(long, value_enum, default_value_t = Runtime::Al2023)]
    pub(crate) runtime: Runtime,
    /// Link statically against musl instead of glibc pinned to the runtime's version (runs
    /// anywhere, needs no Zig; slower for large events: see BENCHMARKS.md).
    #[arg(long = "static")]
    pub(crate) static_musl: bool,
    /// Also write a deterministic deployment zip (a layer zip with --extension).
    #[arg(long)]
    pub(crate) zip: bool,
    /// Build an external extension: the artifact is `extensions/NAME`, shipped as a layer.
    #[arg(long)]
    pub(crate) extension: bool,
    /// The package to build (cargo's -p).
    #[arg(short = 'p', long)]
    pub(crate) package: Option<String>,
    /// The binary target to build (default: the package's only binary).
    #[arg(long)]
    pub(crate) bin: Option<String>,
    /// Space or comma separated features to enable (cargo's --features).
    #[arg(short = 'F', long)]
    pub(crate) features: Vec<String>,
    /// Do not enable the package's default features.
    #[arg(long)]
    pub(crate) no_default_features: bool,
    /// The cargo profile (default: release).
    #[arg(long, default_value = "release")]
    pub(crate) profile: String,
    /// The Cargo.toml of the package (default: found from the current directory).
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest_path: Option<PathBuf>,
    /// cargo's target directory (default: the workspace's).
    #[arg(long, value_name = "DIR")]
    pub(crate) target_dir: Option<PathBuf>,
    /// More arguments for `cargo build`, after `--`.
    #[arg(last = true, value_name = "CARGO_ARGS")]
    pub(crate) cargo_args: Vec<OsString>,
}

/// `lambda-rs watch` (flags to come).
#[derive(Debug, Args)]
pub(crate) struct WatchArgs {}

/// `lambda-rs invoke`.
#[derive(Debug, Args)]
pub(crate) struct InvokeArgs {
    /// The event, as JSON text (default {}).
    #[arg(long, value_name = "JSON", conflicts_with = "event_file")]
    pub(crate) event: Option<String>,
    /// Read the event from PATH (- for stdin).
    #[arg(long, value_name = "PATH")]
    pub(crate) event_file: Option<PathBuf>,
    /// The function and its settings.
    #[command(flatten)]
    pub(crate) function: FunctionArgs,
}

/// `lambda-rs serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The port on 127.0.0.1 for the invoke endpoint (0 picks a free one).
    #[arg(long, default_value_t = 9000)]
    pub(crate) port: u16,
    /// The function and its settings.
    #[command(flatten)]
    pub(crate) function: FunctionArgs,
}

/// The function to run in the emulator and its settings (shared by `invoke` and `serve`).
#[derive(Debug, Args)]
pub(crate) struct FunctionArgs {
    /// Function timeout in seconds, fractions allowed.
    #[arg(long, value_name = "SECS", default_value = "3", value_parser = seconds)]
    pub(crate) timeout: Duration,
    /// Init limit in seconds.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    pub(crate) init_timeout: Duration,
    /// Set a variable for the function (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = env_pair)]
    pub(crate) env: Vec<(String, String)>,
    /// Read KEY=VALUE lines (# comments, optional `export `) from PATH.
    #[arg(long, value_name = "PATH")]
    pub(crate) env_file: Option<PathBuf>,
    /// AWS_LAMBDA_FUNCTION_NAME.
    #[arg(long, value_name = "NAME", default_value = "function")]
    pub(crate) function_name: String,
    /// AWS_LAMBDA_FUNCTION_MEMORY_SIZE in MB.
    #[arg(long, value_name = "MB", default_value_t = 128, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) memory: u32,
    /// Invocations in flight at once (AWS_LAMBDA_MAX_CONCURRENCY).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) concurrency: u32,
    /// _HANDLER.
    #[arg(long, value_name = "NAME", default_value = "bootstrap")]
    pub(crate) handler: String,
    /// Start every executable in PATH as an external extension
    /// (default ./opt/extensions when it exists).
    #[arg(long, value_name = "PATH")]
    pub(crate) extensions_dir: Option<PathBuf>,
    /// The function's command (its `bootstrap`) and arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub(crate) command: Vec<OsString>,
}

/// A function setting that cannot be used.
#[derive(Debug)]
pub(crate) enum ConfigError {
    /// The env file could not be read.
    EnvFile {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A line of the env file is not KEY=VALUE.
    EnvFileLine { path: PathBuf, line: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::EnvFile { path, error } => {
                write!(f, "cannot read the env file {}: {error}", path.display())
            }
            ConfigError::EnvFileLine { path, line } => write!(
                f,
                "`{line}` in the env file {} is not KEY=VALUE (fix or comment it with #)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

impl FunctionArgs {
    /// The emulator configuration these flags describe (reads the env file).
    pub(crate) fn into_config(self) -> Result<FunctionConfig, ConfigError> {
        let mut command = self.command.into_iter();
        // clap requires at least one value: the fallback is never used.
        let program = command.next().unwrap_or_default();
        let mut config = FunctionConfig::new(program, command);
        if let Some(path) = self.env_file {
            config.env = read_env_file(path)?;
        }
        config.env.extend(self.env);
        config.timeout = self.timeout;
        config.init_timeout = self.init_timeout;
        config.function_name = self.function_name;
        config.memory_mb = self.memory;
        config.max_concurrency = self.concurrency as usize;
        config.handler = self.handler;
        config.extensions_dir = self.extensions_dir.or_else(|| {
            let default = PathBuf::from("opt/extensions");
            default.is_dir().then_some(default)
        });
        Ok(config)
    }
}

fn seconds(value: &str) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| "expected a number of seconds above 0 and at most 86400".to_string())
}

fn env_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

fn read_env_file(path: PathBuf) -> Result<Vec<(String, String)>, ConfigError> {
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => return Err(ConfigError::EnvFile { path, error }),
    };
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            env_pair(line.strip_prefix("export ").unwrap_or(line)).map_err(|_| {
                ConfigError::EnvFileLine {
                    path: path.clone(),
                    line: line.to_string(),
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(line: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("lambda-rs").chain(line.iter().copied()))
            .map(|cli| cli.command)
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn invoke_with_every_option_builds_the_config() {
        let Command::Invoke(args) = parse(&[
            "invoke",
            "--event",
            "{\"a\":1}",
            "--timeout",
            "1.5",
            "--env",
            "A=1",
            "--env=B=x=y",
            "--function-name",
            "hello",
            "--memory",
            "256",
            "--concurrency",
            "4",
            "--handler",
            "h",
            "--extensions-dir",
            "layers/ext",
            "--",
            "bin/hello",
            "--flag",
        ])
        .unwrap() else {
            panic!("not invoke")
        };
        assert_eq!(args.event.as_deref(), Some("{\"a\":1}"));
        let config = args.function.into_config().unwrap();
        assert_eq!(config.timeout, Duration::from_millis(1500));
        assert_eq!(
            config.env,
            [("A".into(), "1".into()), ("B".into(), "x=y".into())]
        );
        assert_eq!(config.function_name, "hello");
        assert_eq!(config.memory_mb, 256);
        assert_eq!(config.max_concurrency, 4);
        assert_eq!(config.handler, "h");
        assert_eq!(config.extensions_dir, Some(PathBuf::from("layers/ext")));
        assert_eq!(config.program, "bin/hello");
        assert_eq!(config.args, [OsString::from("--flag")]);
    }

    #[test]
    fn defaults_match_lambdas() {
        let Command::Serve(args) = parse(&["serve", "--", "x"]).unwrap() else {
            panic!("not serve")
        };
        assert_eq!(args.port, 9000);
        let config = args.function.into_config().unwrap();
        assert_eq!(config.timeout, Duration::from_secs(3));
        assert_eq!(config.init_timeout, Duration::from_secs(10));
        assert_eq!(config.memory_mb, 128);
        assert_eq!(config.max_concurrency, 1);
        assert_eq!(config.function_name, "function");
        assert_eq!(config.handler, "bootstrap");
    }

    #[test]
    fn serve_takes_a_port() {
        let Command::Serve(args) = parse(&["serve", "--port", "9100", "--", "x"]).unwrap() else {
            panic!("not serve")
        };
        assert_eq!(args.port, 9100);
    }

    #[test]
    fn bad_command_lines_are_explained() {
        let cases: &[(&[&str], &str)] = &[
            (&["run"], "unrecognized subcommand 'run'"),
            (
                &["invoke", "--bogus", "--", "x"],
                "unexpected argument '--bogus'",
            ),
            (
                &["invoke", "--timeout"],
                "a value is required for '--timeout",
            ),
            (&["invoke", "--timeout=-1", "--", "x"], "seconds above 0"),
            (&["invoke", "--timeout", "0", "--", "x"], "seconds above 0"),
            (
                &["invoke", "--timeout", "nan", "--", "x"],
                "seconds above 0",
            ),
            (&["invoke", "--memory", "lots", "--", "x"], "--memory"),
            (&["invoke", "--memory", "0", "--", "x"], "--memory"),
            (
                &["invoke", "--env", "NOEQUALS", "--", "x"],
                "is not KEY=VALUE",
            ),
            (
                &["invoke", "--event", "{}", "--event-file", "f", "--", "x"],
                "cannot be used with",
            ),
            (&["invoke", "--event", "{}"], "<COMMAND>"),
            (&["serve", "--event", "{}", "--", "x"], "'--event'"),
            (&["serve", "--port", "70000", "--", "x"], "--port"),
            (&["new"], "<NAME>"),
            (
                &["new", "x", "--template", "rest"],
                "function, http, streaming",
            ),
            (&["build", "--runtime", "al1"], "al2, al2023"),
        ];
        for (line, expected) in cases {
            let error = parse(line).unwrap_err().to_string();
            assert!(error.contains(expected), "{line:?}: {error}");
        }
    }

    #[test]
    fn env_file_lines_are_read_with_comments_skipped_and_flags_last() {
        let path = std::env::temp_dir().join(format!("lambda-rs-env-{}", std::process::id()));
        std::fs::write(&path, "# comment\nA=1\n\nexport B=two\n").unwrap();
        let Command::Invoke(args) = parse(&[
            "invoke",
            "--env",
            "C=3",
            "--env-file",
            path.to_str().unwrap(),
            "--",
            "x",
        ])
        .unwrap() else {
            panic!("not invoke")
        };
        let config = args.function.into_config().unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            config.env,
            [
                ("A".into(), "1".into()),
                ("B".into(), "two".into()),
                ("C".into(), "3".into())
            ]
        );
    }

    #[test]
    fn a_bad_env_file_is_a_typed_error() {
        let missing = PathBuf::from("/nonexistent/lambda-rs.env");
        let error = read_env_file(missing).unwrap_err();
        assert!(matches!(error, ConfigError::EnvFile { .. }), "{error}");
        assert!(error.to_string().contains("/nonexistent/lambda-rs.env"));

        let path = std::env::temp_dir().join(format!("lambda-rs-badenv-{}", std::process::id()));
        std::fs::write(&path, "A=1\nnot a pair\n").unwrap();
        let error = read_env_file(path.clone()).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(
            matches!(&error, ConfigError::EnvFileLine { line, .. } if line == "not a pair"),
            "{error}"
        );
    }

    #[test]
    fn build_passes_cargo_arguments_through() {
        let Command::Build(args) = parse(&[
            "build",
            "--arm64",
            "--runtime",
            "al2",
            "--zip",
            "-p",
            "hello",
            "--",
            "--locked",
        ])
        .unwrap() else {
            panic!("not build")
        };
        assert!(args.arm64 && args.zip && !args.static_musl && !args.extension);
        assert_eq!(args.runtime, Runtime::Al2);
        assert_eq!(args.package.as_deref(), Some("hello"));
        assert_eq!(args.profile, "release");
        assert_eq!(args.cargo_args, [OsString::from("--locked")]);
    }
}
