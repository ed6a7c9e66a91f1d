//! The invocation context: who called, until when, and with what trace.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName};
use serde::{Deserialize, Serialize};

use crate::protocol::runtime::headers;
use crate::Config;

/// What Lambda tells the function about one invocation, from the `next` response headers.
///
/// ```
/// use lambda_runtime::{service_fn, Context, LambdaEvent};
///
/// async fn handler(event: LambdaEvent<serde_json::Value>) -> Result<String, lambda_runtime::Error> {
///     let ctx: &Context = &event.context;
///     Ok(format!(
///         "{} ran {} with {:?} left, trace {:?}",
///         ctx.env_config.function_name,
///         ctx.request_id,
///         ctx.remaining(),
///         ctx.xray_trace_id,
///     ))
/// }
/// # let _ = service_fn(handler);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Context {
    /// The request id (`Lambda-Runtime-Aws-Request-Id`).
    pub request_id: String,
    /// When the invocation times out (`Lambda-Runtime-Deadline-Ms`).
    pub deadline: SystemTime,
    /// The ARN the caller invoked, with a version or alias if one was named.
    pub invoked_function_arn: String,
    /// The AWS X-Ray trace header (`Root=...;Parent=...;Sampled=...`), when tracing is active.
    pub xray_trace_id: Option<String>,
    /// The client context sent by the AWS Mobile SDK.
    pub client_context: Option<ClientContext>,
    /// The Amazon Cognito identity of the caller, sent by the AWS Mobile SDK.
    pub identity: Option<CognitoIdentity>,
    /// The tenant id, for functions in tenant isolation mode.
    pub tenant_id: Option<String>,
    /// The function's configuration, read once from the environment.
    pub env_config: Arc<Config>,
}

impl Context {
    /// Reads the context from the headers of a `next` response.
    pub fn from_headers(headers: &HeaderMap, config: Arc<Config>) -> Result<Self, ContextError> {
        let request_id = header_str(headers, &headers::REQUEST_ID)?
            .ok_or(ContextError::MissingRequestId)?
            .to_owned();
        let deadline = match header_str(headers, &headers::DEADLINE_MS)? {
            Some(v) => match v.trim().parse::<u64>() {
                Ok(ms) => UNIX_EPOCH + Duration::from_millis(ms),
                Err(_) => return Err(ContextError::InvalidDeadline(v.to_owned())),
            },
            None => return Err(ContextError::MissingHeader(headers::DEADLINE_MS)),
        };
        let invoked_function_arn = header_str(headers, &headers::INVOKED_FUNCTION_ARN)?
            .unwrap_or_default()
            .to_owned();
        let xray_trace_id = header_str(headers, &headers::TRACE_ID)?.map(str::to_owned);
        let client_context = match header_str(headers, &headers::CLIENT_CONTEXT)? {
            Some(v) => Some(serde_json::from_str(v).map_err(ContextError::InvalidClientContext)?),
            None => None,
        };
        let identity = match header_str(headers, &headers::COGNITO_IDENTITY)? {
            Some(v) => Some(serde_json::from_str(v).map_err(ContextError::InvalidCognitoIdentity)?),
            None => None,
        };
        let tenant_id = header_str(headers, &headers::TENANT_ID)?.map(str::to_owned);
        Ok(Context {
            request_id,
            deadline,
            invoked_function_arn,
            xray_trace_id,
            client_context,
            identity,
            tenant_id,
            env_config: config,
        })
    }

    /// The time left before the invocation times out (zero once it has passed).
    pub fn remaining(&self) -> Duration {
        self.deadline
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO)
    }

    /// A context for tests of a handler, with the given request id, a deadline 3 seconds from
    /// now and the default configuration.
    ///
    /// ```
    /// let ctx = lambda_runtime::Context::for_test("req-1");
    /// assert_eq!(ctx.request_id, "req-1");
    /// assert!(ctx.remaining() > std::time::Duration::ZERO);
    /// ```
    pub fn for_test(request_id: &str) -> Self {
        Context {
            request_id: request_id.to_owned(),
            deadline: SystemTime::now() + Duration::from_secs(3),
            invoked_function_arn: "arn:aws:lambda:us-east-1:123456789012:function:function"
                .to_owned(),
            xray_trace_id: None,
            client_context: None,
            identity: None,
            tenant_id: None,
            env_config: Arc::new(Config::default()),
        }
    }
}

fn header_str<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
) -> Result<Option<&'h str>, ContextError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(Some)
            .map_err(|_| ContextError::InvalidHeader(name.clone())),
    }
}

/// A `next` response whose headers do not describe an invocation properly.
#[derive(Debug)]
#[non_exhaustive]
pub enum ContextError {
    /// `Lambda-Runtime-Aws-Request-Id` is missing: the invocation cannot be answered at all.
    MissingRequestId,
    /// A required header is missing.
    MissingHeader(HeaderName),
    /// `Lambda-Runtime-Deadline-Ms` is not a whole number of milliseconds.
    InvalidDeadline(String),
    /// A header holds bytes that are not visible ASCII.
    InvalidHeader(HeaderName),
    /// `Lambda-Runtime-Client-Context` is not the client-context JSON.
    InvalidClientContext(serde_json::Error),
    /// `Lambda-Runtime-Cognito-Identity` is not the Cognito identity JSON.
    InvalidCognitoIdentity(serde_json::Error),
}

impl std::fmt::Display for ContextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContextError::MissingRequestId => write!(
                f,
                "the Runtime API sent an invocation without the {} header; it cannot be answered",
                headers::REQUEST_ID
            ),
            ContextError::MissingHeader(name) => {
                write!(
                    f,
                    "the Runtime API sent an invocation without the {name} header"
                )
            }
            ContextError::InvalidDeadline(v) => write!(
                f,
                "the {} header `{v}` is not a Unix time in milliseconds",
                headers::DEADLINE_MS
            ),
            ContextError::InvalidHeader(name) => {
                write!(f, "the {name} header is not valid visible ASCII")
            }
            ContextError::InvalidClientContext(_) => write!(
                f,
                "the {} header is not valid client-context JSON",
                headers::CLIENT_CONTEXT
            ),
            ContextError::InvalidCognitoIdentity(_) => write!(
                f,
                "the {} header is not valid Cognito identity JSON",
                headers::COGNITO_IDENTITY
            ),
        }
    }
}

impl std::error::Error for ContextError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ContextError::InvalidClientContext(e) | ContextError::InvalidCognitoIdentity(e) => {
                Some(e)
            }
            _ => None,
        }
    }
}

/// The client context sent by the AWS Mobile SDK (`Lambda-Runtime-Client-Context`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClientContext {
    /// The client application.
    #[serde(default)]
    pub client: ClientApplication,
    /// Custom values set by the mobile application.
    #[serde(default)]
    pub custom: HashMap<String, String>,
    /// Environment information provided by the AWS SDK.
    #[serde(default)]
    pub env: HashMap<String, String>,
}

/// The mobile application that invoked the function.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ClientApplication {
    /// The installation id.
    #[serde(default)]
    pub installation_id: String,
    /// The application title.
    #[serde(default)]
    pub app_title: String,
    /// The application version name.
    #[serde(default)]
    pub app_version_name: String,
    /// The application version code.
    #[serde(default)]
    pub app_version_code: String,
    /// The application package name.
    #[serde(default)]
    pub app_package_name: String,
}

/// The Amazon Cognito identity of the caller (`Lambda-Runtime-Cognito-Identity`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CognitoIdentity {
    /// The Cognito identity id.
    #[serde(default)]
    pub cognito_identity_id: String,
    /// The Cognito identity pool id.
    #[serde(default)]
    pub cognito_identity_pool_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn reads_every_documented_header() {
        let h = headers(&[
            (headers::REQUEST_ID, "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
            (headers::DEADLINE_MS, "1542409706888"),
            (
                headers::INVOKED_FUNCTION_ARN,
                "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime",
            ),
            (
                headers::TRACE_ID,
                "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
            ),
            (
                headers::CLIENT_CONTEXT,
                r#"{"client":{"installationId":"i","appTitle":"t","appVersionName":"1.0","appVersionCode":"1","appPackageName":"p"},"custom":{"k":"v"},"env":{"platform":"Android"}}"#,
            ),
            (
                headers::COGNITO_IDENTITY,
                r#"{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}"#,
            ),
            (headers::TENANT_ID, "tenant-7"),
        ]);
        let ctx = Context::from_headers(&h, Arc::new(Config::default())).unwrap();
        assert_eq!(ctx.request_id, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
        assert_eq!(
            ctx.deadline,
            UNIX_EPOCH + Duration::from_millis(1542409706888)
        );
        assert_eq!(ctx.remaining(), Duration::ZERO);
        assert_eq!(
            ctx.xray_trace_id.as_deref(),
            Some("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
        );
        let client = ctx.client_context.unwrap();
        assert_eq!(client.client.app_title, "t");
        assert_eq!(client.custom["k"], "v");
        assert_eq!(ctx.identity.unwrap().cognito_identity_pool_id, "pool");
        assert_eq!(ctx.tenant_id.as_deref(), Some("tenant-7"));
    }

    #[test]
    fn missing_request_id_is_its_own_error() {
        let h = headers(&[(headers::DEADLINE_MS, "1")]);
        let err = Context::from_headers(&h, Arc::new(Config::default())).unwrap_err();
        assert!(matches!(err, ContextError::MissingRequestId), "{err}");
    }

    #[test]
    fn garbled_deadline_is_reported_not_panicked() {
        let h = headers(&[(headers::REQUEST_ID, "r"), (headers::DEADLINE_MS, "soon")]);
        let err = Context::from_headers(&h, Arc::new(Config::default())).unwrap_err();
        assert!(matches!(err, ContextError::InvalidDeadline(ref v) if v == "soon"));
        assert!(err.to_string().contains("not a Unix time in milliseconds"));
    }

    #[test]
    fn garbled_client_context_is_reported() {
        let h = headers(&[
            (headers::REQUEST_ID, "r"),
            (headers::DEADLINE_MS, "1"),
            (headers::CLIENT_CONTEXT, "{not json"),
        ]);
        let err = Context::from_headers(&h, Arc::new(Config::default())).unwrap_err();
        assert!(matches!(err, ContextError::InvalidClientContext(_)));
    }
}
