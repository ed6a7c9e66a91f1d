//! The Extensions API (`/2020-01-01/extension`): registration, lifecycle events, error reports.

// Handlers return early with the HTTP error response itself; it is built once per request.
#![allow(clippy::result_large_err)]

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use tokio::sync::Notify;

use crate::server::{self, Body};

/// Version prefix of the Extensions API.
pub(crate) const EXTENSIONS_API_PREFIX: &str = "/2020-01-01/extension";

/// At most this many extensions may register.
pub const MAX_EXTENSIONS: usize = 10;

const EXTENSION_NAME: HeaderName = HeaderName::from_static("lambda-extension-name");
const EXTENSION_IDENTIFIER: HeaderName = HeaderName::from_static("lambda-extension-identifier");
const EVENT_IDENTIFIER: HeaderName = HeaderName::from_static("lambda-extension-event-identifier");
const ACCEPT_FEATURE: HeaderName = HeaderName::from_static("lambda-extension-accept-feature");
const ERROR_TYPE: HeaderName = HeaderName::from_static("lambda-extension-function-error-type");

/// The account id the emulated function belongs to.
pub(crate) const ACCOUNT_ID: &str = "012345678912";

/// Why the environment shuts down: the SHUTDOWN event's `shutdownReason`.
///
/// ```
/// assert_eq!(lambda_emulator::ShutdownReason::Spindown.as_str(), "spindown");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShutdownReason {
    /// A normal shutdown.
    Spindown,
    /// The function timed out.
    Timeout,
    /// The runtime or an extension failed.
    Failure,
}

impl ShutdownReason {
    /// The wire value: `spindown`, `timeout`, `failure`.
    pub fn as_str(self) -> &'static str {
        match self {
            ShutdownReason::Spindown => "spindown",
            ShutdownReason::Timeout => "timeout",
            ShutdownReason::Failure => "failure",
        }
    }
}

/// Which error an extension reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionErrorKind {
    /// `POST /extension/init/error`.
    Init,
    /// `POST /extension/exit/error`.
    Exit,
}

/// An error an extension reported.
#[derive(Debug, Clone)]
pub struct ExtensionError {
    /// The extension's name.
    pub name: String,
    /// Init or exit error.
    pub kind: ExtensionErrorKind,
    /// `Lambda-Extension-Function-Error-Type`, as sent.
    pub error_type: String,
    /// The body, as sent.
    pub body: Bytes,
}

/// What `register` answers besides the identifier.
#[derive(Debug, Clone)]
pub(crate) struct FunctionInfo {
    pub(crate) function_name: String,
    pub(crate) function_version: String,
    pub(crate) handler: String,
}

#[derive(Debug)]
struct Registered {
    id: String,
    name: String,
    internal: bool,
    invoke: bool,
    shutdown: bool,
    events: VecDeque<Bytes>,
    /// Blocked in `next` with nothing to do: done with the current phase.
    waiting: bool,
    /// Reported an error: no further calls succeed.
    failed: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Inner {
    open: bool,
    external_names: Vec<String>,
    registered: Vec<Registered>,
    errors: Vec<ExtensionError>,
}

impl Inner {
    /// Whether every named external extension has registered.
    pub(crate) fn externals_registered(&self) -> bool {
        self.external_names
            .iter()
            .all(|name| self.registered.iter().any(|r| &r.name == name))
    }

    /// Whether every registered extension is blocked in `next` (done with the current phase).
    pub(crate) fn all_waiting(&self) -> bool {
        self.registered.iter().all(|r| r.waiting || r.failed)
    }

    /// Every registered extension with the events it takes.
    pub(crate) fn registrations(&self) -> Vec<(String, Vec<String>)> {
        self.registered
            .iter()
            .map(|r| {
                let mut events = Vec::new();
                if r.invoke {
                    events.push("INVOKE".to_string());
                }
                if r.shutdown {
                    events.push("SHUTDOWN".to_string());
                }
                (r.name.clone(), events)
            })
            .collect()
    }

    /// Names of the extensions registered for SHUTDOWN.
    pub(crate) fn shutdown_subscribers(&self) -> Vec<String> {
        self.registered
            .iter()
            .filter(|r| r.shutdown)
            .map(|r| r.name.clone())
            .collect()
    }

    /// The first reported error, if any.
    pub(crate) fn first_error(&self) -> Option<&ExtensionError> {
        self.errors.first()
    }
}

/// The registry behind the Extensions API.
#[derive(Debug)]
pub(crate) struct Extensions {
    inner: Mutex<Inner>,
    changed: Notify,
    info: Mutex<FunctionInfo>,
}

impl Extensions {
    pub(crate) fn new(info: FunctionInfo) -> Extensions {
        Extensions {
            inner: Mutex::new(Inner {
                open: true,
                ..Inner::default()
            }),
            changed: Notify::new(),
            info: Mutex::new(info),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update<T>(&self, change: impl FnOnce(&mut Inner) -> T) -> T {
        let result = change(&mut self.lock());
        self.changed.notify_waiters();
        result
    }

    pub(crate) fn set_info(&self, info: FunctionInfo) {
        *self.info.lock().unwrap_or_else(|p| p.into_inner()) = info;
    }

    /// Starts a new Init phase: forgets every registration and opens registration, expecting the
    /// external extensions `external_names`.
    pub(crate) fn begin_init(&self, external_names: Vec<String>) {
        self.update(|inner| {
            *inner = Inner {
                open: true,
                external_names,
                ..Inner::default()
            }
        });
    }

    /// Treats extensions registering as `name` as external ones.
    pub(crate) fn declare_external(&self, name: &str) {
        self.update(|inner| {
            if !inner.external_names.iter().any(|n| n == name) {
                inner.external_names.push(name.to_string());
            }
        });
    }

    pub(crate) fn close_registration(&self) {
        self.update(|inner| inner.open = false);
    }

    /// Reads the registry.
    pub(crate) fn with<T>(&self, read: impl FnOnce(&Inner) -> T) -> T {
        read(&self.lock())
    }

    /// Waits until `condition` holds.
    pub(crate) async fn wait_until(&self, condition: impl Fn(&Inner) -> bool) {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if condition(&self.lock()) {
                return;
            }
            notified.await;
        }
    }

    /// How many extensions registered, and how many of them are internal.
    pub(crate) fn counts(&self) -> (usize, usize) {
        self.with(|inner| {
            let internal = inner.registered.iter().filter(|r| r.internal).count();
            (inner.registered.len() - internal, internal)
        })
    }

    pub(crate) fn has_invoke_subscribers(&self) -> bool {
        self.with(|inner| inner.registered.iter().any(|r| r.invoke && !r.failed))
    }

    /// Queues an INVOKE event for every extension registered for it.
    pub(crate) fn dispatch_invoke(&self, event: &serde_json::Value) {
        let bytes = Bytes::from(event.to_string());
        self.update(|inner| {
            for registered in inner
                .registered
                .iter_mut()
                .filter(|r| r.invoke && !r.failed)
            {
                registered.events.push_back(bytes.clone());
                registered.waiting = false;
            }
        });
    }

    /// Queues a SHUTDOWN event for every extension registered for it.
    pub(crate) fn dispatch_shutdown(&self, reason: &str, deadline_ms: u128) {
        let event = serde_json::json!({
            "eventType": "SHUTDOWN",
            "shutdownReason": reason,
            "deadlineMs": deadline_ms,
        });
        let bytes = Bytes::from(event.to_string());
        self.update(|inner| {
            for registered in inner
                .registered
                .iter_mut()
                .filter(|r| r.shutdown && !r.failed)
            {
                registered.events.push_back(bytes.clone());
                registered.waiting = false;
            }
        });
    }

    /// The name of the extension with identifier `id`, and whether subscriptions are still
    /// open (Init is not over).
    pub(crate) fn subscriber_info(&self, id: &str) -> Option<(String, bool)> {
        self.with(|inner| {
            inner
                .registered
                .iter()
                .find(|r| r.id == id)
                .map(|r| (r.name.clone(), inner.open))
        })
    }

    /// Errors reported so far.
    pub(crate) fn errors(&self) -> Vec<ExtensionError> {
        self.with(|inner| inner.errors.clone())
    }
}

fn forbidden(error_type: &str, message: &str) -> Response<Body> {
    server::error_response(StatusCode::FORBIDDEN, error_type, message)
}

/// Serves `/2020-01-01/extension/...`; `route` is the path after the prefix.
pub(crate) async fn handle(
    extensions: &Extensions,
    route: &str,
    request: Request<Incoming>,
) -> Response<Body> {
    match (request.method().clone(), route) {
        (Method::POST, "/register") => register(extensions, request).await,
        (Method::GET, "/event/next") => next(extensions, &request).await,
        (Method::POST, "/init/error") => {
            report_error(extensions, ExtensionErrorKind::Init, request).await
        }
        (Method::POST, "/exit/error") => {
            report_error(extensions, ExtensionErrorKind::Exit, request).await
        }
        (_, "/register" | "/event/next" | "/init/error" | "/exit/error") => server::error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            &format!("{} is not allowed on {route}", request.method()),
        ),
        _ => server::error_response(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("no such route: {EXTENSIONS_API_PREFIX}{route}"),
        ),
    }
}

#[derive(serde::Deserialize)]
struct RegisterBody {
    #[serde(default)]
    events: Vec<String>,
}

async fn register(extensions: &Extensions, request: Request<Incoming>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let name = parts
        .headers
        .get(EXTENSION_NAME)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .unwrap_or_default();
    let account_id_wanted = parts.headers.get(ACCEPT_FEATURE).is_some_and(|v| {
        String::from_utf8_lossy(v.as_bytes())
            .split(',')
            .any(|f| f.trim() == "accountId")
    });
    let body = match http_body_util::BodyExt::collect(body).await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            return server::error_response(
                StatusCode::BAD_REQUEST,
                "InvalidRequestFormat",
                &format!("cannot read the body: {error}"),
            )
        }
    };
    let events = if body.iter().all(u8::is_ascii_whitespace) {
        Vec::new()
    } else {
        match serde_json::from_slice::<RegisterBody>(&body) {
            Ok(parsed) => parsed.events,
            Err(error) => {
                return server::error_response(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequestFormat",
                    &format!(
                        "the body must be {{\"events\": [\"INVOKE\", \"SHUTDOWN\"]}}: {error}"
                    ),
                )
            }
        }
    };
    if name.is_empty() {
        return forbidden(
            "Extension.InvalidExtensionName",
            "Lambda-Extension-Name is missing: set it to the extension's executable file name",
        );
    }
    let mut invoke = false;
    let mut shutdown = false;
    for event in &events {
        match event.to_ascii_uppercase().as_str() {
            "INVOKE" => invoke = true,
            "SHUTDOWN" => shutdown = true,
            _ => {
                return forbidden(
                    "Extension.InvalidEventType",
                    &format!("unknown event type `{event}`: use INVOKE and/or SHUTDOWN"),
                )
            }
        }
    }
    let registered = extensions.update(|inner| {
        if !inner.open {
            return Err(forbidden(
                "Extension.RegistrationClosed",
                "registration is only open during the Init phase",
            ));
        }
        if inner.registered.iter().any(|r| r.name == name) {
            return Err(forbidden(
                "Extension.InvalidExtensionState",
                &format!("an extension named `{name}` is already registered"),
            ));
        }
        if inner.registered.len() >= MAX_EXTENSIONS {
            return Err(forbidden(
                "Extension.TooManyExtensions",
                &format!("at most {MAX_EXTENSIONS} extensions may register"),
            ));
        }
        let internal = !inner.external_names.contains(&name);
        if internal && shutdown {
            return Err(forbidden(
                "Extension.InvalidEventType",
                &format!(
                    "`{name}` is not an executable in the extensions directory, so it is an internal \
                     extension, and internal extensions may not register for SHUTDOWN"
                ),
            ));
        }
        let id = crate::ids::request_id();
        inner.registered.push(Registered {
            id: id.clone(),
            name: name.clone(),
            internal,
            invoke,
            shutdown,
            events: VecDeque::new(),
            waiting: false,
            failed: false,
        });
        Ok(id)
    });
    let id = match registered {
        Ok(id) => id,
        Err(response) => return response,
    };
    let info = extensions
        .info
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut answer = serde_json::json!({
        "functionName": info.function_name,
        "functionVersion": info.function_version,
        "handler": info.handler,
    });
    if account_id_wanted {
        answer["accountId"] = serde_json::Value::from(ACCOUNT_ID);
    }
    let mut response = server::json_response(StatusCode::OK, Bytes::from(answer.to_string()));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(EXTENSION_IDENTIFIER, value);
    }
    response
}

/// Finds the caller's registration index by its identifier header.
fn identify(inner: &Inner, request: &http::HeaderMap) -> Result<usize, Response<Body>> {
    let Some(id) = request.get(EXTENSION_IDENTIFIER) else {
        return Err(forbidden(
            "Extension.MissingHeader",
            "Lambda-Extension-Identifier is missing: send the identifier `register` returned",
        ));
    };
    let id = String::from_utf8_lossy(id.as_bytes());
    let Some(index) = inner.registered.iter().position(|r| r.id == id) else {
        return Err(forbidden(
            "Extension.UnknownExtensionIdentifier",
            &format!("no extension is registered with identifier {id}"),
        ));
    };
    if inner.registered[index].failed {
        return Err(forbidden(
            "Extension.InvalidExtensionState",
            "this extension reported an error: no further calls succeed",
        ));
    }
    Ok(index)
}

async fn next(extensions: &Extensions, request: &Request<Incoming>) -> Response<Body> {
    let id = match extensions.update(|inner| {
        let index = identify(inner, request.headers())?;
        let registered = &mut inner.registered[index];
        if registered.events.is_empty() {
            registered.waiting = true;
        }
        Ok(registered.id.clone())
    }) {
        Ok(id) => id,
        Err(response) => return response,
    };
    loop {
        let notified = extensions.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let event = {
            let mut inner = extensions.lock();
            inner
                .registered
                .iter_mut()
                .find(|r| r.id == id)
                .and_then(|registered| registered.events.pop_front())
        };
        if let Some(event) = event {
            let mut response = server::json_response(StatusCode::OK, event);
            if let Ok(value) = HeaderValue::from_str(&crate::ids::request_id()) {
                response.headers_mut().insert(EVENT_IDENTIFIER, value);
            }
            return response;
        }
        // A new Init phase forgot this registration: its process is being stopped.
        if extensions.with(|inner| !inner.registered.iter().any(|r| r.id == id)) {
            return forbidden(
                "Extension.UnknownExtensionIdentifier",
                "the environment was reset; this extension is being stopped",
            );
        }
        notified.await;
    }
}

async fn report_error(
    extensions: &Extensions,
    kind: ExtensionErrorKind,
    request: Request<Incoming>,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let Some(error_type) = parts.headers.get(ERROR_TYPE) else {
        return forbidden(
            "Extension.MissingHeader",
            "Lambda-Extension-Function-Error-Type is missing (for example Extension.ConfigInvalid)",
        );
    };
    let error_type = String::from_utf8_lossy(error_type.as_bytes()).into_owned();
    let body = match http_body_util::BodyExt::collect(body).await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            return server::error_response(
                StatusCode::BAD_REQUEST,
                "InvalidRequestFormat",
                &format!("cannot read the body: {error}"),
            )
        }
    };
    let result = extensions.update(|inner| {
        let index = identify(inner, &parts.headers)?;
        let registered = &mut inner.registered[index];
        registered.failed = true;
        let name = registered.name.clone();
        inner.errors.push(ExtensionError {
            name,
            kind,
            error_type,
            body,
        });
        Ok(())
    });
    match result {
        Ok(()) => server::json_response(
            StatusCode::ACCEPTED,
            Bytes::from_static(br#"{"status":"OK"}"#),
        ),
        Err(response) => response,
    }
}
