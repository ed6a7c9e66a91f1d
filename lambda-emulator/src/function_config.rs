//! How the function is configured: its command, limits and environment variables.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::logs::Echo;

/// Dummy credentials given to the function (override them with [`FunctionConfig::env`]).
pub const DUMMY_ACCESS_KEY_ID: &str = "AKIALOCALEMULATOR000";
/// See [`DUMMY_ACCESS_KEY_ID`].
pub const DUMMY_SECRET_ACCESS_KEY: &str = "local-emulator-secret-access-key";
/// See [`DUMMY_ACCESS_KEY_ID`].
pub const DUMMY_SESSION_TOKEN: &str = "local-emulator-session-token";

/// The function's configuration: what to run and with which limits.
///
/// The function runs with the emulator's own environment, plus Lambda's reserved variables
/// ([`FunctionConfig::reserved_variables`]), plus [`env`](FunctionConfig::env) (which wins).
///
/// ```
/// use std::time::Duration;
/// use lambda_emulator::FunctionConfig;
///
/// let config = FunctionConfig {
///     function_name: "hello".into(),
///     timeout: Duration::from_secs(10),
///     env: vec![("AWS_LAMBDA_LOG_FORMAT".into(), "JSON".into())],
///     ..FunctionConfig::new("target/debug/examples/hello", Vec::<String>::new())
/// };
/// let vars = config.reserved_variables("127.0.0.1:9001".parse().unwrap());
/// assert!(vars.contains(&("AWS_LAMBDA_LOG_GROUP_NAME".into(), "/aws/lambda/hello".into())));
/// ```
#[derive(Debug, Clone)]
pub struct FunctionConfig {
    /// The program to run (the `bootstrap`).
    pub program: OsString,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// `AWS_LAMBDA_FUNCTION_NAME`; default `function`.
    pub function_name: String,
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` in MB; default 128.
    pub memory_mb: u32,
    /// The function timeout; default 3 seconds.
    pub timeout: Duration,
    /// The init limit; default 10 seconds. Past it the runtime is killed and init is retried once
    /// within the invocation's timeout, as Lambda does.
    pub init_timeout: Duration,
    /// The directory whose executables are started as external extensions; default none.
    pub extensions_dir: Option<PathBuf>,
    /// Invocations in flight at once (`AWS_LAMBDA_MAX_CONCURRENCY` when above 1); default 1.
    pub max_concurrency: usize,
    /// `AWS_REGION` and `AWS_DEFAULT_REGION`; default the emulator's own `AWS_REGION`, else
    /// `us-east-1`.
    pub region: String,
    /// `_HANDLER`; default `bootstrap`.
    pub handler: String,
    /// User variables, set last (they may override reserved ones).
    pub env: Vec<(String, String)>,
    /// Whether the function's output is echoed to the emulator's stderr; default [`Echo::Stderr`].
    pub echo: Echo,
}

impl FunctionConfig {
    /// A configuration running `program args...` with every default.
    ///
    /// ```
    /// let config = lambda_emulator::FunctionConfig::new("python3", ["tests/fixtures/echo.py"]);
    /// assert_eq!(config.memory_mb, 128);
    /// ```
    pub fn new<I, A>(program: impl Into<OsString>, args: I) -> FunctionConfig
    where
        I: IntoIterator<Item = A>,
        A: Into<OsString>,
    {
        FunctionConfig {
            program: program.into(),
            args: args.into_iter().map(Into::into).collect(),
            function_name: "function".to_string(),
            memory_mb: 128,
            timeout: Duration::from_secs(3),
            init_timeout: Duration::from_secs(10),
            extensions_dir: None,
            max_concurrency: 1,
            region: std::env::var("AWS_REGION")
                .ok()
                .filter(|region| !region.is_empty())
                .unwrap_or_else(|| "us-east-1".to_string()),
            handler: "bootstrap".to_string(),
            env: Vec::new(),
            echo: Echo::Stderr,
        }
    }

    /// The function's ARN: `arn:aws:lambda:{region}:012345678912:function:{name}`.
    pub fn function_arn(&self) -> String {
        format!(
            "arn:aws:lambda:{}:012345678912:function:{}",
            self.region, self.function_name
        )
    }

    /// Lambda's reserved variables for a runtime talking to `runtime_api`, then the user's.
    ///
    /// `LAMBDA_TASK_ROOT` is the emulator's working directory (Lambda's is `/var/task`);
    /// credentials are the dummy values [`DUMMY_ACCESS_KEY_ID`] and friends.
    pub fn reserved_variables(&self, runtime_api: SocketAddr) -> Vec<(String, String)> {
        let task_root = std::env::current_dir()
            .map(|dir| dir.display().to_string())
            .unwrap_or_else(|_| "/var/task".to_string());
        let log_stream = format!(
            "{}/[$LATEST]{:016x}{:016x}",
            crate::clock::date_path(SystemTime::now()),
            crate::ids::random_u64(),
            crate::ids::random_u64()
        );
        let initialization_type = if self.max_concurrency > 1 {
            "lambda-managed-instances"
        } else {
            "on-demand"
        };
        let mut vars: Vec<(String, String)> = [
            ("AWS_LAMBDA_RUNTIME_API", runtime_api.to_string()),
            ("AWS_LAMBDA_FUNCTION_NAME", self.function_name.clone()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_string()),
            (
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                self.memory_mb.to_string(),
            ),
            (
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", self.function_name),
            ),
            ("AWS_LAMBDA_LOG_STREAM_NAME", log_stream),
            (
                "AWS_LAMBDA_INITIALIZATION_TYPE",
                initialization_type.to_string(),
            ),
            ("AWS_REGION", self.region.clone()),
            ("AWS_DEFAULT_REGION", self.region.clone()),
            ("_HANDLER", self.handler.clone()),
            ("LAMBDA_TASK_ROOT", task_root),
            ("LAMBDA_RUNTIME_DIR", "/var/runtime".to_string()),
            (
                "AWS_EXECUTION_ENV",
                "AWS_Lambda_provided.al2023".to_string(),
            ),
            ("LANG", "en_US.UTF-8".to_string()),
            ("TZ", ":UTC".to_string()),
            ("AWS_ACCESS_KEY_ID", DUMMY_ACCESS_KEY_ID.to_string()),
            ("AWS_SECRET_ACCESS_KEY", DUMMY_SECRET_ACCESS_KEY.to_string()),
            ("AWS_SESSION_TOKEN", DUMMY_SESSION_TOKEN.to_string()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect();
        if self.max_concurrency > 1 {
            vars.push((
                "AWS_LAMBDA_MAX_CONCURRENCY".to_string(),
                self.max_concurrency.to_string(),
            ));
        }
        vars.extend(self.env.iter().cloned());
        vars
    }
}
