//! Subscriptions to the Logs and Telemetry APIs: record types, buffering and schema versions.

use std::fmt;

/// A stream of records an extension can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogType {
    /// `platform`: records Lambda produces (`platform.start`, `platform.report`, ...).
    Platform,
    /// `function`: what the function writes to stdout and stderr.
    Function,
    /// `extension`: what extensions write to stdout and stderr.
    Extension,
}

/// A Telemetry API schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TelemetrySchema {
    /// `2022-07-01`, the first version.
    V2022_07_01,
    /// `2022-12-13`: adds `functionName`, `instanceId` and more to `platform.initStart`.
    V2022_12_13,
    /// `2025-01-29`, the newest (required on Lambda Managed Instances).
    #[default]
    V2025_01_29,
}

impl TelemetrySchema {
    /// The version string sent in `schemaVersion`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TelemetrySchema::V2022_07_01 => "2022-07-01",
            TelemetrySchema::V2022_12_13 => "2022-12-13",
            TelemetrySchema::V2025_01_29 => "2025-01-29",
        }
    }
}

/// The Logs API schema version this crate subscribes with (it adds `platform.runtimeDone`).
pub const LOGS_SCHEMA_VERSION: &str = "2021-03-18";

/// How Lambda buffers records before it delivers a batch.
///
/// Every setter checks the value against AWS's bounds, so a bad value fails here, with the
/// range in the message, rather than as a 400 from Lambda during Init.
///
/// ```
/// use lambda_extension::Buffering;
///
/// let buffering = Buffering::new().with_timeout_ms(100)?.with_max_items(1000)?;
/// assert_eq!(buffering.timeout_ms(), 100);
///
/// let err = Buffering::new().with_max_bytes(1024).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "buffering maxBytes = 1024 is out of range: Lambda accepts 262144 to 1048576 (default 262144)"
/// );
/// # Ok::<(), lambda_extension::BufferingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Buffering {
    max_items: u32,
    max_bytes: u32,
    timeout_ms: u32,
}

impl Default for Buffering {
    fn default() -> Self {
        Buffering::new()
    }
}

impl Buffering {
    /// Lambda's defaults: 10 000 items, 262 144 bytes, 1 000 ms.
    pub const fn new() -> Self {
        Buffering {
            max_items: BufferingField::MaxItems.default_value(),
            max_bytes: BufferingField::MaxBytes.default_value(),
            timeout_ms: BufferingField::TimeoutMs.default_value(),
        }
    }

    /// The most records in one batch (1 000 to 10 000).
    pub fn with_max_items(mut self, max_items: u32) -> Result<Self, BufferingError> {
        self.max_items = BufferingField::MaxItems.check(max_items)?;
        Ok(self)
    }

    /// The most bytes buffered (262 144 to 1 048 576).
    pub fn with_max_bytes(mut self, max_bytes: u32) -> Result<Self, BufferingError> {
        self.max_bytes = BufferingField::MaxBytes.check(max_bytes)?;
        Ok(self)
    }

    /// The longest a record waits before its batch is delivered, in ms (25 to 30 000).
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Result<Self, BufferingError> {
        self.timeout_ms = BufferingField::TimeoutMs.check(timeout_ms)?;
        Ok(self)
    }

    /// `maxItems`.
    pub fn max_items(&self) -> u32 {
        self.max_items
    }

    /// `maxBytes`.
    pub fn max_bytes(&self) -> u32 {
        self.max_bytes
    }

    /// `timeoutMs`.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }
}

/// A buffering setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BufferingField {
    /// `maxItems`
    MaxItems,
    /// `maxBytes`
    MaxBytes,
    /// `timeoutMs`
    TimeoutMs,
}

impl BufferingField {
    /// The name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            BufferingField::MaxItems => "maxItems",
            BufferingField::MaxBytes => "maxBytes",
            BufferingField::TimeoutMs => "timeoutMs",
        }
    }

    /// The smallest value Lambda accepts.
    pub const fn min(self) -> u32 {
        match self {
            BufferingField::MaxItems => 1_000,
            BufferingField::MaxBytes => 262_144,
            BufferingField::TimeoutMs => 25,
        }
    }

    /// The largest value Lambda accepts.
    pub const fn max(self) -> u32 {
        match self {
            BufferingField::MaxItems => 10_000,
            BufferingField::MaxBytes => 1_048_576,
            BufferingField::TimeoutMs => 30_000,
        }
    }

    /// Lambda's default.
    pub const fn default_value(self) -> u32 {
        match self {
            BufferingField::MaxItems => 10_000,
            BufferingField::MaxBytes => 262_144,
            BufferingField::TimeoutMs => 1_000,
        }
    }

    fn check(self, value: u32) -> Result<u32, BufferingError> {
        if (self.min()..=self.max()).contains(&value) {
            Ok(value)
        } else {
            Err(BufferingError { field: self, value })
        }
    }
}

/// A buffering value is outside the range Lambda accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferingError {
    /// The setting.
    pub field: BufferingField,
    /// The value given.
    pub value: u32,
}

impl fmt::Display for BufferingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field;
        write!(
            f,
            "buffering {} = {} is out of range: Lambda accepts {} to {} (default {})",
            field.as_str(),
            self.value,
            field.min(),
            field.max(),
            field.default_value()
        )
    }
}

impl std::error::Error for BufferingError {}

/// What to subscribe to: the record types and the buffering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SubscriptionConfig {
    pub(crate) types: Vec<LogType>,
    pub(crate) buffering: Buffering,
}

impl Default for SubscriptionConfig {
    fn default() -> Self {
        SubscriptionConfig {
            types: vec![LogType::Platform, LogType::Function],
            buffering: Buffering::new(),
        }
    }
}

impl SubscriptionConfig {
    /// The `PUT` body of a subscription delivering to `uri`.
    pub(crate) fn body(&self, schema_version: &str, uri: &str) -> Vec<u8> {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            schema_version: &'a str,
            types: &'a [LogType],
            buffering: &'a Buffering,
            destination: Destination<'a>,
        }
        #[derive(serde::Serialize)]
        struct Destination<'a> {
            protocol: &'static str,
            #[serde(rename = "URI")]
            uri: &'a str,
        }
        let body = Body {
            schema_version,
            types: &self.types,
            buffering: &self.buffering,
            destination: Destination {
                protocol: "HTTP",
                uri,
            },
        };
        // Strings and integers only: serialization cannot fail.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffering_bounds_are_aws_bounds() {
        for field in [
            BufferingField::MaxItems,
            BufferingField::MaxBytes,
            BufferingField::TimeoutMs,
        ] {
            assert_eq!(field.check(field.min()), Ok(field.min()));
            assert_eq!(field.check(field.max()), Ok(field.max()));
            assert_eq!(
                field.check(field.min() - 1),
                Err(BufferingError {
                    field,
                    value: field.min() - 1
                })
            );
            assert!(field.check(field.max() + 1).is_err());
        }
        assert_eq!(
            Buffering::new()
                .with_timeout_ms(24)
                .unwrap_err()
                .to_string(),
            "buffering timeoutMs = 24 is out of range: Lambda accepts 25 to 30000 (default 1000)"
        );
        assert_eq!(
            Buffering::new().with_max_items(10_001).unwrap_err().to_string(),
            "buffering maxItems = 10001 is out of range: Lambda accepts 1000 to 10000 (default 10000)"
        );
    }

    #[test]
    fn telemetry_schema_defaults_to_the_newest() {
        assert_eq!(TelemetrySchema::default().as_str(), "2025-01-29");
        assert_eq!(TelemetrySchema::V2022_12_13.as_str(), "2022-12-13");
        assert_eq!(TelemetrySchema::V2022_07_01.as_str(), "2022-07-01");
    }

    #[test]
    fn subscription_body_is_the_documented_shape() {
        let config = SubscriptionConfig {
            types: vec![LogType::Platform, LogType::Function],
            buffering: Buffering::new()
                .with_max_items(1000)
                .unwrap()
                .with_timeout_ms(100)
                .unwrap(),
        };
        let body = config.body(LOGS_SCHEMA_VERSION, "http://sandbox.localdomain:8080/logs");
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"schemaVersion":"2021-03-18","types":["platform","function"],"buffering":{"maxItems":1000,"maxBytes":262144,"timeoutMs":100},"destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain:8080/logs"}}"#
        );
    }
}
