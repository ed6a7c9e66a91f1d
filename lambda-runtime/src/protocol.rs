//! The protocol facts of the Lambda Runtime, Extensions, Logs and Telemetry APIs, in one place:
//! every path and header name the runtime and `lambda-extension` use comes from here.
//!
//! Shared with `lambda-extension`; not part of `lambda-runtime`'s public API and not covered by
//! semver (see [`client`](crate::client) for why).

use http::HeaderName;

/// The Runtime API (`/2018-06-01`).
pub mod runtime {
    use super::HeaderName;

    /// The API version prefix.
    pub const VERSION: &str = "/2018-06-01";
    /// `GET`: the next invocation.
    pub const NEXT: &str = "/2018-06-01/runtime/invocation/next";
    /// `POST`: an initialization error.
    pub const INIT_ERROR: &str = "/2018-06-01/runtime/init/error";

    /// What is posted about one invocation.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum InvocationCall {
        /// `POST /runtime/invocation/{id}/response`.
        Response,
        /// `POST /runtime/invocation/{id}/error`.
        Error,
    }

    /// The path of `/runtime/invocation/{request_id}/response` or `.../error`.
    pub fn invocation_path(request_id: &str, call: InvocationCall) -> String {
        let tail = match call {
            InvocationCall::Response => "response",
            InvocationCall::Error => "error",
        };
        let mut path = String::with_capacity(48 + request_id.len());
        path.push_str(VERSION);
        path.push_str("/runtime/invocation/");
        path.push_str(request_id);
        path.push('/');
        path.push_str(tail);
        path
    }

    /// The value of the `Trailer` header of a streamed response: the two error trailers.
    pub const STREAMING_TRAILER: &str =
        "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body";

    /// The value of `Lambda-Runtime-Function-Response-Mode` for a streamed response.
    pub const STREAMING_RESPONSE_MODE: &str = "streaming";

    /// Header names of the Runtime API.
    pub mod headers {
        use super::HeaderName;

        /// The request id of an invocation.
        pub const REQUEST_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-request-id");
        /// The invocation's deadline, in Unix epoch milliseconds.
        pub const DEADLINE_MS: HeaderName = HeaderName::from_static("lambda-runtime-deadline-ms");
        /// The ARN the caller invoked.
        pub const INVOKED_FUNCTION_ARN: HeaderName =
            HeaderName::from_static("lambda-runtime-invoked-function-arn");
        /// The X-Ray trace header.
        pub const TRACE_ID: HeaderName = HeaderName::from_static("lambda-runtime-trace-id");
        /// The mobile client context, as JSON.
        pub const CLIENT_CONTEXT: HeaderName =
            HeaderName::from_static("lambda-runtime-client-context");
        /// The Cognito identity, as JSON.
        pub const COGNITO_IDENTITY: HeaderName =
            HeaderName::from_static("lambda-runtime-cognito-identity");
        /// The tenant id (tenant isolation mode).
        pub const TENANT_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-tenant-id");
        /// The error category of a reported error, `Category.Reason` (also a trailer).
        pub const FUNCTION_ERROR_TYPE: HeaderName =
            HeaderName::from_static("lambda-runtime-function-error-type");
        /// The error body of a streamed response that failed after its first byte (trailer).
        pub const FUNCTION_ERROR_BODY: HeaderName =
            HeaderName::from_static("lambda-runtime-function-error-body");
        /// The response mode of a response (`streaming`).
        pub const FUNCTION_RESPONSE_MODE: HeaderName =
            HeaderName::from_static("lambda-runtime-function-response-mode");
        /// The X-Ray error cause of a reported error.
        pub const XRAY_ERROR_CAUSE: HeaderName =
            HeaderName::from_static("lambda-runtime-function-xray-error-cause");
    }
}

/// The Extensions API (`/2020-01-01`).
pub mod extension {
    use super::HeaderName;

    /// The API version prefix.
    pub const VERSION: &str = "/2020-01-01";

    /// A call of the Extensions API (and the Logs and Telemetry subscriptions an extension
    /// makes): its method and path, and how errors name it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Call {
        /// `POST /extension/register`.
        Register,
        /// `GET /extension/event/next` (blocks until the next event).
        Next,
        /// `POST /extension/init/error`.
        InitError,
        /// `POST /extension/exit/error`.
        ExitError,
        /// `PUT` to the Logs API.
        SubscribeLogs,
        /// `PUT` to the Telemetry API.
        SubscribeTelemetry,
    }

    impl Call {
        /// The HTTP method.
        pub fn method(self) -> http::Method {
            match self {
                Call::Next => http::Method::GET,
                Call::Register | Call::InitError | Call::ExitError => http::Method::POST,
                Call::SubscribeLogs | Call::SubscribeTelemetry => http::Method::PUT,
            }
        }

        /// The path.
        pub fn path(self) -> &'static str {
            match self {
                Call::Register => "/2020-01-01/extension/register",
                Call::Next => "/2020-01-01/extension/event/next",
                Call::InitError => "/2020-01-01/extension/init/error",
                Call::ExitError => "/2020-01-01/extension/exit/error",
                Call::SubscribeLogs => super::logs::SUBSCRIBE,
                Call::SubscribeTelemetry => super::telemetry::SUBSCRIBE,
            }
        }

        /// How messages name the call (`POST /extension/init/error`).
        pub fn describe(self) -> &'static str {
            match self {
                Call::Register => "POST /extension/register",
                Call::Next => "GET /extension/event/next",
                Call::InitError => "POST /extension/init/error",
                Call::ExitError => "POST /extension/exit/error",
                Call::SubscribeLogs => "PUT /logs",
                Call::SubscribeTelemetry => "PUT /telemetry",
            }
        }
    }

    /// Header names of the Extensions API.
    pub mod headers {
        use super::HeaderName;

        /// The extension's name, at registration (its executable's file name).
        pub const NAME: HeaderName = HeaderName::from_static("lambda-extension-name");
        /// The id Lambda gave the extension, on every later call.
        pub const IDENTIFIER: HeaderName = HeaderName::from_static("lambda-extension-identifier");
        /// Optional registration features (`accountId`).
        pub const ACCEPT_FEATURE: HeaderName =
            HeaderName::from_static("lambda-extension-accept-feature");
        /// The `Category.Reason` of a reported error.
        pub const FUNCTION_ERROR_TYPE: HeaderName =
            HeaderName::from_static("lambda-extension-function-error-type");
    }
}

/// The Logs API (`/2020-08-15`).
pub mod logs {
    /// `PUT`: subscribe (with the extension's identifier).
    pub const SUBSCRIBE: &str = "/2020-08-15/logs";
}

/// The Telemetry API (`/2022-07-01`).
pub mod telemetry {
    /// `PUT`: subscribe (with the extension's identifier).
    pub const SUBSCRIBE: &str = "/2022-07-01/telemetry";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_start_with_their_api_version() {
        use extension::Call;
        assert!(runtime::NEXT.starts_with(runtime::VERSION));
        assert!(runtime::INIT_ERROR.starts_with(runtime::VERSION));
        assert_eq!(
            runtime::invocation_path("abc", runtime::InvocationCall::Error),
            "/2018-06-01/runtime/invocation/abc/error"
        );
        for call in [Call::Register, Call::Next, Call::InitError, Call::ExitError] {
            assert!(call.path().starts_with(extension::VERSION), "{call:?}");
        }
    }

    #[test]
    fn the_streaming_trailer_names_the_error_headers() {
        let named: Vec<String> = runtime::STREAMING_TRAILER
            .split(',')
            .map(|name| name.trim().to_ascii_lowercase())
            .collect();
        assert_eq!(
            named,
            [
                runtime::headers::FUNCTION_ERROR_TYPE.as_str(),
                runtime::headers::FUNCTION_ERROR_BODY.as_str()
            ]
        );
    }
}
