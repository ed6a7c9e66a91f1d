//! Command-line parsing for the `lambda-emulator` binary (hand-written, no dependencies).

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use lambda_emulator::FunctionConfig;

/// The usage text.
pub(crate) const USAGE: &str = "\
lambda-emulator: a local AWS Lambda execution environment

USAGE:
    lambda-emulator invoke [OPTIONS] [--event JSON | --event-file PATH] -- COMMAND [ARGS...]
    lambda-emulator serve  [OPTIONS] [--port PORT] -- COMMAND [ARGS...]

invoke runs COMMAND as the function's runtime, invokes it once, prints the response (or the
error JSON) to stdout and exits 0 on success, 1 on a function error, crash or timeout.
serve keeps the function running behind an RIE-compatible endpoint:
    POST http://127.0.0.1:PORT/2015-03-31/functions/function/invocations

OPTIONS:
    --event JSON           the event (default {})
    --event-file PATH      read the event from PATH (- for stdin)
    --timeout SECS         function timeout in seconds, fractions allowed (default 3)
    --init-timeout SECS    init limit in seconds (default 10)
    --env KEY=VALUE        set a variable for the function (repeatable)
    --env-file PATH        read KEY=VALUE lines (# comments) from PATH
    --function-name NAME   AWS_LAMBDA_FUNCTION_NAME (default function)
    --memory MB            AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 128)
    --concurrency N        invocations in flight at once (AWS_LAMBDA_MAX_CONCURRENCY, default 1)
    --handler NAME         _HANDLER (default bootstrap)
    --extensions-dir PATH  start every executable in PATH as an external extension
                           (default ./opt/extensions when it exists)
    --port PORT            serve: port on 127.0.0.1 (default 9000; 0 picks a free one)
    -h, --help             print this help
    -V, --version          print the version
";

/// Where the event comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EventSource {
    Inline(String),
    File(PathBuf),
}

/// A parsed command line.
#[derive(Debug)]
pub(crate) enum Command {
    Invoke {
        config: FunctionConfig,
        event: Option<EventSource>,
    },
    Serve {
        config: FunctionConfig,
        port: u16,
    },
    Help,
    Version,
}

/// What is wrong with a command line.
#[derive(Debug)]
pub(crate) enum CliError {
    NoSubcommand,
    UnknownSubcommand(String),
    UnknownOption(String),
    MissingValue(&'static str),
    InvalidNumber {
        option: &'static str,
        value: String,
    },
    InvalidEnv(String),
    EventTwice,
    EventInServe,
    NoFunctionCommand,
    EnvFile {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::NoSubcommand => {
                f.write_str("no subcommand given: use `invoke` or `serve` (see --help)")
            }
            CliError::UnknownSubcommand(name) => write!(
                f,
                "unknown subcommand `{name}`: use `invoke` or `serve` (see --help)"
            ),
            CliError::UnknownOption(option) => write!(
                f,
                "unknown option `{option}`; put the function's command after `--` (see --help)"
            ),
            CliError::MissingValue(option) => write!(f, "{option} needs a value"),
            CliError::InvalidNumber { option, value } => {
                write!(f, "{option} expects a number in range, got `{value}`")
            }
            CliError::InvalidEnv(value) => {
                write!(f, "`{value}` is not KEY=VALUE (for --env or in the env file)")
            }
            CliError::EventTwice => {
                f.write_str("give the event once: --event JSON or --event-file PATH")
            }
            CliError::EventInServe => f.write_str(
                "serve takes events over HTTP: POST them to /2015-03-31/functions/function/invocations",
            ),
            CliError::NoFunctionCommand => f.write_str(
                "no function command: add `-- COMMAND [ARGS...]`, e.g. `-- target/debug/examples/hello`",
            ),
            CliError::EnvFile { path, error } => {
                write!(f, "cannot read env file {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for CliError {}

/// Parses the arguments after the program name.
pub(crate) fn parse(args: Vec<OsString>) -> Result<Command, CliError> {
    let mut args = args.into_iter();
    let subcommand = match args.next() {
        None => return Err(CliError::NoSubcommand),
        Some(arg) => arg.to_string_lossy().into_owned(),
    };
    let serve = match subcommand.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "-V" | "--version" => return Ok(Command::Version),
        "invoke" => false,
        "serve" => true,
        _ => return Err(CliError::UnknownSubcommand(subcommand)),
    };

    let mut event = None;
    let mut port: u16 = 9000;
    let mut timeout = None;
    let mut init_timeout = None;
    let mut env = Vec::new();
    let mut function_name = None;
    let mut memory = None;
    let mut concurrency = None;
    let mut handler = None;
    let mut extensions_dir = None;
    let mut command = Vec::new();
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |option: &'static str| -> Result<String, CliError> {
            match inline.clone() {
                Some(value) => Ok(value),
                None => args
                    .next()
                    .map(|value| value.to_string_lossy().into_owned())
                    .ok_or(CliError::MissingValue(option)),
            }
        };
        match flag.as_str() {
            "--" => {
                command.extend(args.by_ref());
                break;
            }
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--event" => set_event(&mut event, EventSource::Inline(value("--event")?))?,
            "--event-file" => set_event(
                &mut event,
                EventSource::File(PathBuf::from(value("--event-file")?)),
            )?,
            "--timeout" => timeout = Some(seconds("--timeout", &value("--timeout")?)?),
            "--init-timeout" => {
                init_timeout = Some(seconds("--init-timeout", &value("--init-timeout")?)?)
            }
            "--env" => env.push(env_pair(&value("--env")?)?),
            "--env-file" => env.extend(read_env_file(PathBuf::from(value("--env-file")?))?),
            "--function-name" => function_name = Some(value("--function-name")?),
            "--memory" => memory = Some(number("--memory", &value("--memory")?)?),
            "--concurrency" => {
                concurrency = Some(number("--concurrency", &value("--concurrency")?)?)
            }
            "--handler" => handler = Some(value("--handler")?),
            "--extensions-dir" => extensions_dir = Some(PathBuf::from(value("--extensions-dir")?)),
            "--port" => {
                let text = value("--port")?;
                port = text.parse().map_err(|_| CliError::InvalidNumber {
                    option: "--port",
                    value: text,
                })?
            }
            _ => return Err(CliError::UnknownOption(arg)),
        }
    }
    if command.is_empty() {
        return Err(CliError::NoFunctionCommand);
    }
    let program = command.remove(0);
    let mut config = FunctionConfig::new(program, command);
    config.env = env;
    if let Some(timeout) = timeout {
        config.timeout = timeout;
    }
    if let Some(init_timeout) = init_timeout {
        config.init_timeout = init_timeout;
    }
    if let Some(name) = function_name {
        config.function_name = name;
    }
    if let Some(memory) = memory {
        config.memory_mb = memory;
    }
    if let Some(concurrency) = concurrency {
        config.max_concurrency = concurrency as usize;
    }
    if let Some(handler) = handler {
        config.handler = handler;
    }
    config.extensions_dir = extensions_dir.or_else(|| {
        let default = PathBuf::from("opt/extensions");
        default.is_dir().then_some(default)
    });
    if serve {
        if event.is_some() {
            return Err(CliError::EventInServe);
        }
        Ok(Command::Serve { config, port })
    } else {
        Ok(Command::Invoke { config, event })
    }
}

fn set_event(slot: &mut Option<EventSource>, source: EventSource) -> Result<(), CliError> {
    if slot.is_some() {
        return Err(CliError::EventTwice);
    }
    *slot = Some(source);
    Ok(())
}

fn number(option: &'static str, value: &str) -> Result<u32, CliError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| CliError::InvalidNumber {
            option,
            value: value.to_string(),
        })
}

fn seconds(option: &'static str, value: &str) -> Result<Duration, CliError> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| CliError::InvalidNumber {
            option,
            value: value.to_string(),
        })
}

fn env_pair(text: &str) -> Result<(String, String), CliError> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(CliError::InvalidEnv(text.to_string())),
    }
}

fn read_env_file(path: PathBuf) -> Result<Vec<(String, String)>, CliError> {
    let text = std::fs::read_to_string(&path).map_err(|error| CliError::EnvFile { path, error })?;
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| env_pair(line.strip_prefix("export ").unwrap_or(line)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn invoke_with_every_option_builds_the_config() {
        let parsed = parse(args(&[
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
            "--extensions-dir",
            "layers/ext",
            "--",
            "bin/hello",
            "--flag",
        ]))
        .unwrap();
        let Command::Invoke { config, event } = parsed else {
            panic!("not invoke")
        };
        assert_eq!(event, Some(EventSource::Inline("{\"a\":1}".into())));
        assert_eq!(config.timeout, Duration::from_millis(1500));
        assert_eq!(
            config.env,
            [("A".into(), "1".into()), ("B".into(), "x=y".into())]
        );
        assert_eq!(config.function_name, "hello");
        assert_eq!(config.memory_mb, 256);
        assert_eq!(config.max_concurrency, 4);
        assert_eq!(config.extensions_dir, Some(PathBuf::from("layers/ext")));
        assert_eq!(config.program, "bin/hello");
        assert_eq!(config.args, [OsString::from("--flag")]);
    }

    #[test]
    fn serve_takes_a_port() {
        let Command::Serve { port, .. } =
            parse(args(&["serve", "--port", "9100", "--", "x"])).unwrap()
        else {
            panic!("not serve")
        };
        assert_eq!(port, 9100);
    }

    #[test]
    fn bad_command_lines_are_explained() {
        let cases: &[(&[&str], &str)] = &[
            (&[], "no subcommand"),
            (&["run"], "unknown subcommand `run`"),
            (
                &["invoke", "--bogus", "--", "x"],
                "unknown option `--bogus`",
            ),
            (&["invoke", "--timeout"], "--timeout needs a value"),
            (
                &["invoke", "--timeout", "-1", "--", "x"],
                "--timeout expects a number",
            ),
            (
                &["invoke", "--memory", "lots", "--", "x"],
                "--memory expects a number",
            ),
            (
                &["invoke", "--env", "NOEQUALS", "--", "x"],
                "is not KEY=VALUE",
            ),
            (
                &["invoke", "--event", "{}", "--event-file", "f", "--", "x"],
                "give the event once",
            ),
            (&["invoke", "--event", "{}"], "no function command"),
            (
                &["serve", "--event", "{}", "--", "x"],
                "serve takes events over HTTP",
            ),
            (&["serve", "--port", "70000", "--", "x"], "--port expects"),
        ];
        for (line, expected) in cases {
            let error = parse(args(line)).unwrap_err().to_string();
            assert!(error.contains(expected), "{line:?}: {error}");
        }
    }

    #[test]
    fn env_file_lines_are_read_with_comments_skipped() {
        let path = std::env::temp_dir().join(format!("lambda-emulator-env-{}", std::process::id()));
        std::fs::write(&path, "# comment\nA=1\n\nexport B=two\n").unwrap();
        let Command::Invoke { config, .. } = parse(args(&[
            "invoke",
            "--env-file",
            path.to_str().unwrap(),
            "--",
            "x",
        ]))
        .unwrap() else {
            panic!("not invoke")
        };
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            config.env,
            [("A".into(), "1".into()), ("B".into(), "two".into())]
        );
    }
}
