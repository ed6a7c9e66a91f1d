//! The function's configuration, read once from the environment Lambda sets.

/// The function's configuration, read once at start-up from the reserved environment variables.
///
/// Only `AWS_LAMBDA_RUNTIME_API` is required (by [`Runtime::from_env`](crate::Runtime::from_env));
/// everything else has a documented default so that a function also runs outside Lambda, for
/// example under `lambda-emulator`.
///
/// | field | variable | default |
/// |---|---|---|
/// | `function_name` | `AWS_LAMBDA_FUNCTION_NAME` | `"function"` |
/// | `function_version` | `AWS_LAMBDA_FUNCTION_VERSION` | `"$LATEST"` |
/// | `memory_size_mb` | `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` | `128` |
/// | `log_group` | `AWS_LAMBDA_LOG_GROUP_NAME` | `"/aws/lambda/<function_name>"` |
/// | `log_stream` | `AWS_LAMBDA_LOG_STREAM_NAME` | `""` |
/// | `region` | `AWS_REGION`, else `AWS_DEFAULT_REGION` | `"us-east-1"` |
/// | `initialization_type` | `AWS_LAMBDA_INITIALIZATION_TYPE` | `on-demand` |
/// | `max_concurrency` | `AWS_LAMBDA_MAX_CONCURRENCY` | `1` |
/// | `log_format` | `AWS_LAMBDA_LOG_FORMAT` | `Text` |
/// | `log_level` | `AWS_LAMBDA_LOG_LEVEL` | unset (the subscriber's default, `INFO`) |
///
/// ```
/// use lambda_runtime::{Config, InitializationType};
///
/// let config = Config::from_lookup(|name| match name {
///     "AWS_LAMBDA_FUNCTION_NAME" => Some("orders".to_owned()),
///     "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" => Some("512".to_owned()),
///     _ => None,
/// });
/// assert_eq!(config.function_name, "orders");
/// assert_eq!(config.memory_size_mb, 512);
/// assert_eq!(config.log_group, "/aws/lambda/orders");
/// assert_eq!(config.initialization_type, InitializationType::OnDemand);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The function's name.
    pub function_name: String,
    /// The version being executed (`$LATEST` or a number).
    pub function_version: String,
    /// The memory configured for the function, in MB.
    pub memory_size_mb: u32,
    /// The CloudWatch Logs group the function writes to.
    pub log_group: String,
    /// The CloudWatch Logs stream of this execution environment.
    pub log_stream: String,
    /// The AWS Region the function runs in.
    pub region: String,
    /// How this execution environment was initialised.
    pub initialization_type: InitializationType,
    /// How many invocations the runtime may have in flight at once (Lambda Managed Instances).
    pub max_concurrency: usize,
    /// The log format chosen in the function's logging configuration.
    pub log_format: LogFormat,
    /// The application log level chosen in the function's logging configuration, as written there
    /// (`TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL`).
    pub log_level: Option<String>,
}

/// How the execution environment was initialised (`AWS_LAMBDA_INITIALIZATION_TYPE`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InitializationType {
    /// `on-demand`: a standard execution environment.
    OnDemand,
    /// `provisioned-concurrency`: initialised ahead of invocations.
    ProvisionedConcurrency,
    /// `snap-start`: restored from a snapshot.
    SnapStart,
    /// `lambda-managed-instances`: multi-concurrency on managed instances.
    LambdaManagedInstances,
    /// A value this version does not know, kept as written.
    Other(String),
}

impl InitializationType {
    fn parse(value: &str) -> Self {
        match value {
            "on-demand" => InitializationType::OnDemand,
            "provisioned-concurrency" => InitializationType::ProvisionedConcurrency,
            "snap-start" => InitializationType::SnapStart,
            "lambda-managed-instances" => InitializationType::LambdaManagedInstances,
            other => InitializationType::Other(other.to_owned()),
        }
    }
}

/// The log format chosen for the function (`AWS_LAMBDA_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Plain text lines.
    Text,
    /// One JSON object per line; Lambda filters these by their `level` key.
    Json,
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let function_name =
            non_empty("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_else(|| "function".to_owned());
        let log_group = non_empty("AWS_LAMBDA_LOG_GROUP_NAME")
            .unwrap_or_else(|| format!("/aws/lambda/{function_name}"));
        Config {
            function_version: non_empty("AWS_LAMBDA_FUNCTION_VERSION")
                .unwrap_or_else(|| "$LATEST".to_owned()),
            memory_size_mb: non_empty("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(128),
            log_group,
            log_stream: non_empty("AWS_LAMBDA_LOG_STREAM_NAME").unwrap_or_default(),
            region: non_empty("AWS_REGION")
                .or_else(|| non_empty("AWS_DEFAULT_REGION"))
                .unwrap_or_else(|| "us-east-1".to_owned()),
            initialization_type: non_empty("AWS_LAMBDA_INITIALIZATION_TYPE")
                .map(|v| InitializationType::parse(v.trim()))
                .unwrap_or(InitializationType::OnDemand),
            max_concurrency: non_empty("AWS_LAMBDA_MAX_CONCURRENCY")
                .and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(1),
            log_format: match non_empty("AWS_LAMBDA_LOG_FORMAT") {
                Some(v) if v.trim().eq_ignore_ascii_case("json") => LogFormat::Json,
                _ => LogFormat::Text,
            },
            log_level: non_empty("AWS_LAMBDA_LOG_LEVEL").map(|v| v.trim().to_ascii_uppercase()),
            function_name,
        }
    }
}

impl Default for Config {
    /// The documented defaults, as if no variable were set.
    fn default() -> Self {
        Self::from_lookup(|_| None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_variables_get_documented_defaults() {
        let config = Config::default();
        assert_eq!(config.function_name, "function");
        assert_eq!(config.function_version, "$LATEST");
        assert_eq!(config.memory_size_mb, 128);
        assert_eq!(config.log_group, "/aws/lambda/function");
        assert_eq!(config.region, "us-east-1");
        assert_eq!(config.max_concurrency, 1);
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.log_level, None);
    }

    #[test]
    fn garbled_numbers_fall_back_to_defaults() {
        let config = Config::from_lookup(|name| match name {
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" => Some("lots".to_owned()),
            "AWS_LAMBDA_MAX_CONCURRENCY" => Some("0".to_owned()),
            "AWS_LAMBDA_INITIALIZATION_TYPE" => Some("lambda-managed-instances".to_owned()),
            "AWS_LAMBDA_LOG_FORMAT" => Some("JSON".to_owned()),
            "AWS_LAMBDA_LOG_LEVEL" => Some("debug".to_owned()),
            "AWS_DEFAULT_REGION" => Some("eu-west-1".to_owned()),
            _ => None,
        });
        assert_eq!(config.memory_size_mb, 128);
        assert_eq!(config.max_concurrency, 1);
        assert_eq!(
            config.initialization_type,
            InitializationType::LambdaManagedInstances
        );
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.log_level.as_deref(), Some("DEBUG"));
        assert_eq!(config.region, "eu-west-1");
    }
}
