//! Wire constants of the Lambda APIs: versions, paths, header names and limits, in one place.

use http::HeaderName;

/// Version prefix of the Runtime API.
pub(crate) const RUNTIME_API_PREFIX: &str = "/2018-06-01";

/// The largest buffered response the Runtime API accepts: 6 MiB + 100 bytes.
pub const MAX_BUFFERED_RESPONSE_BYTES: usize = 6 * 1024 * 1024 + 100;

/// `Lambda-Runtime-Aws-Request-Id`.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-request-id");
/// `Lambda-Runtime-Deadline-Ms`.
pub(crate) const DEADLINE_MS: HeaderName = HeaderName::from_static("lambda-runtime-deadline-ms");
/// `Lambda-Runtime-Invoked-Function-Arn`.
pub(crate) const FUNCTION_ARN: HeaderName =
    HeaderName::from_static("lambda-runtime-invoked-function-arn");
/// `Lambda-Runtime-Trace-Id`.
pub(crate) const TRACE_ID: HeaderName = HeaderName::from_static("lambda-runtime-trace-id");
/// `Lambda-Runtime-Client-Context`.
pub(crate) const CLIENT_CONTEXT: HeaderName =
    HeaderName::from_static("lambda-runtime-client-context");
/// `Lambda-Runtime-Cognito-Identity`.
pub(crate) const COGNITO_IDENTITY: HeaderName =
    HeaderName::from_static("lambda-runtime-cognito-identity");
/// `Lambda-Runtime-Aws-Tenant-Id`.
pub(crate) const TENANT_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-tenant-id");
/// `Lambda-Runtime-Function-Error-Type`.
pub(crate) const FUNCTION_ERROR_TYPE: HeaderName =
    HeaderName::from_static("lambda-runtime-function-error-type");
/// `Lambda-Runtime-Function-Response-Mode`.
pub(crate) const RESPONSE_MODE: HeaderName =
    HeaderName::from_static("lambda-runtime-function-response-mode");

/// The JSON body Lambda's APIs answer errors with.
pub(crate) fn error_body(error_type: &str, message: &str) -> bytes::Bytes {
    let value = serde_json::json!({ "errorMessage": message, "errorType": error_type });
    bytes::Bytes::from(value.to_string())
}

/// The JSON body AWS's service APIs (the Invoke API) answer errors with, next to the
/// `x-amzn-ErrorType` header that names the exception the SDKs raise: `{"Type", "message"}`,
/// where `Type` says whose fault it is (`User` for a 4xx, `Service` for a 5xx).
pub(crate) fn aws_error_body(status: http::StatusCode, message: &str) -> bytes::Bytes {
    let fault = if status.is_server_error() {
        "Service"
    } else {
        "User"
    };
    let value = serde_json::json!({ "Type": fault, "message": message });
    bytes::Bytes::from(value.to_string())
}
