//! The [`Extension`] builder and the event loop.

use lambda_runtime::client::{Client, Endpoint};
use lambda_runtime::{Diagnostic, RUNTIME_API_VAR};
use tower::{Service, ServiceExt};

use lambda_runtime::protocol::extension::Call;

use crate::api::{ExtensionApi, Registration};
use crate::error::{ExtensionError, Stage};
use crate::event::{EventType, NextEvent};
use crate::listener::{Listener, ListenerConfig};
use crate::processor::{boxed, BatchProcessor, BoxProcessor};
use crate::records::Record;
use crate::subscription::{
    Buffering, LogType, SubscriptionConfig, TelemetrySchema, LOGS_SCHEMA_VERSION,
};

/// An extension: its name, its events and its processors.
///
/// Every `with_*` method returns the same type, so processors and settings can be added in any
/// order. Nothing happens until [`register`](Extension::register) or [`run`](Extension::run).
///
/// ```no_run
/// use lambda_extension::{Extension, NextEvent, Record};
/// use lambda_extension::tower::service_fn;
///
/// #[tokio::main]
/// async fn main() -> Result<(), lambda_extension::ExtensionError> {
///     Extension::new()
///         .with_events_processor(service_fn(|event: NextEvent| async move {
///             if let NextEvent::Shutdown(shutdown) = event {
///                 eprintln!("shutting down: {}", shutdown.reason);
///             }
///             Ok::<(), lambda_extension::Error>(())
///         }))
///         .with_telemetry_processor(service_fn(|batch: Vec<Record>| async move {
///             eprintln!("{} telemetry records", batch.len());
///             Ok::<(), lambda_extension::Error>(())
///         }))
///         .run()
///         .await
/// }
/// ```
pub struct Extension {
    name: Option<String>,
    events: Option<Vec<EventType>>,
    internal: bool,
    runtime_api: Option<String>,
    events_processor: Option<BoxProcessor<NextEvent>>,
    logs: Option<BatchProcessor>,
    logs_config: SubscriptionConfig,
    telemetry: Option<BatchProcessor>,
    telemetry_config: SubscriptionConfig,
    telemetry_schema: TelemetrySchema,
    listener: ListenerConfig,
}

impl std::fmt::Debug for Extension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extension")
            .field("name", &self.name)
            .field("events", &self.events)
            .field("internal", &self.internal)
            .field("events_processor", &self.events_processor.is_some())
            .field("logs", &self.logs.is_some())
            .field("telemetry", &self.telemetry.is_some())
            .field("listener", &self.listener)
            .finish()
    }
}

impl Default for Extension {
    fn default() -> Self {
        Extension::new()
    }
}

impl Extension {
    /// An external extension named after its executable, registering for `INVOKE` and
    /// `SHUTDOWN`, with no processors.
    pub fn new() -> Self {
        Extension {
            name: None,
            events: None,
            internal: false,
            runtime_api: None,
            events_processor: None,
            logs: None,
            logs_config: SubscriptionConfig::default(),
            telemetry: None,
            telemetry_config: SubscriptionConfig::default(),
            telemetry_schema: TelemetrySchema::default(),
            listener: ListenerConfig::new(),
        }
    }

    /// Makes this an internal extension: one that runs inside the function's process, next to
    /// `lambda_runtime::run`. It registers for `INVOKE` only (Lambda gives `SHUTDOWN` to external
    /// extensions only). Give it a name with [`with_name`](Extension::with_name).
    pub fn internal(mut self) -> Self {
        self.internal = true;
        self
    }

    /// The name to register with. An external extension must use its executable's file name
    /// (the default); an internal extension may use any name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The events to register for (default: `INVOKE` and `SHUTDOWN`; `INVOKE` for an internal
    /// extension).
    pub fn with_events(mut self, events: &[EventType]) -> Self {
        self.events = Some(events.to_vec());
        self
    }

    /// The service called with each [`NextEvent`]. Its error (anything that converts into a
    /// [`Diagnostic`]) is reported to Lambda and ends [`run`](RegisteredExtension::run).
    pub fn with_events_processor<S>(mut self, processor: S) -> Self
    where
        S: Service<NextEvent> + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Diagnostic>,
    {
        self.events_processor = Some(boxed(processor));
        self
    }

    /// Subscribes to the Logs API (schema 2021-03-18) and calls `processor` with each batch.
    pub fn with_logs_processor<S>(mut self, processor: S) -> Self
    where
        S: Service<Vec<Record>> + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Diagnostic>,
    {
        self.logs = Some(BatchProcessor::new(processor));
        self
    }

    /// The log streams to subscribe to (default: `platform` and `function`).
    pub fn with_log_types(mut self, types: &[LogType]) -> Self {
        self.logs_config.types = types.to_vec();
        self
    }

    /// The Logs API buffering (default: Lambda's).
    pub fn with_logs_buffering(mut self, buffering: Buffering) -> Self {
        self.logs_config.buffering = buffering;
        self
    }

    /// Subscribes to the Telemetry API and calls `processor` with each batch.
    pub fn with_telemetry_processor<S>(mut self, processor: S) -> Self
    where
        S: Service<Vec<Record>> + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Diagnostic>,
    {
        self.telemetry = Some(BatchProcessor::new(processor));
        self
    }

    /// The telemetry streams to subscribe to (default: `platform` and `function`).
    pub fn with_telemetry_types(mut self, types: &[LogType]) -> Self {
        self.telemetry_config.types = types.to_vec();
        self
    }

    /// The Telemetry API buffering (default: Lambda's).
    pub fn with_telemetry_buffering(mut self, buffering: Buffering) -> Self {
        self.telemetry_config.buffering = buffering;
        self
    }

    /// The Telemetry API schema version (default: 2025-01-29).
    pub fn with_telemetry_schema(mut self, schema: TelemetrySchema) -> Self {
        self.telemetry_schema = schema;
        self
    }

    /// The port of the logs/telemetry listener (default 0: any free port; 9001 is refused).
    pub fn with_listener_port(mut self, port: u16) -> Self {
        self.listener = self.listener.with_port(port);
        self
    }

    /// The listener's host and port (see [`ListenerConfig`]).
    pub fn with_listener(mut self, listener: ListenerConfig) -> Self {
        self.listener = listener;
        self
    }

    /// The Lambda API address (default: `AWS_LAMBDA_RUNTIME_API`), for tests and local tools.
    pub fn with_runtime_api(mut self, address: impl Into<String>) -> Self {
        self.runtime_api = Some(address.into());
        self
    }

    /// Registers with Lambda and returns the registration, so the extension can set up with it
    /// before [`RegisteredExtension::run`].
    pub async fn register(self) -> Result<RegisteredExtension, ExtensionError> {
        let name = match &self.name {
            Some(name) => name.clone(),
            None => executable_name().ok_or(ExtensionError::NoName)?,
        };
        let events = match &self.events {
            Some(events) => events.clone(),
            None if self.internal => vec![EventType::Invoke],
            None => vec![EventType::Invoke, EventType::Shutdown],
        };
        if self.internal && events.contains(&EventType::Shutdown) {
            return Err(ExtensionError::InternalShutdown { name });
        }
        let address = match &self.runtime_api {
            Some(address) => address.clone(),
            None => {
                std::env::var(RUNTIME_API_VAR).map_err(|_| ExtensionError::MissingRuntimeApi)?
            }
        };
        let endpoint = Endpoint::parse(&address).map_err(ExtensionError::Endpoint)?;
        let (api, registration) =
            ExtensionApi::register(Client::new(endpoint), &name, &events).await?;
        tracing::debug!(name = %name, extension_id = %registration.extension_id, "extension registered");
        Ok(RegisteredExtension {
            api,
            registration,
            extension: self,
        })
    }

    /// Registers, then runs until `SHUTDOWN` has been processed (or forever, for an extension
    /// without `SHUTDOWN`).
    pub async fn run(self) -> Result<(), ExtensionError> {
        self.register().await?.run().await
    }
}

/// An extension Lambda has registered; [`run`](RegisteredExtension::run) starts its loop.
pub struct RegisteredExtension {
    api: ExtensionApi,
    registration: Registration,
    extension: Extension,
}

impl std::fmt::Debug for RegisteredExtension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisteredExtension")
            .field("registration", &self.registration)
            .field("extension", &self.extension)
            .finish()
    }
}

impl RegisteredExtension {
    /// What Lambda answered: the extension id, the function's name, version and handler, and
    /// the account id.
    pub fn registration(&self) -> &Registration {
        &self.registration
    }

    /// Starts the listener and subscribes (if there are logs or telemetry processors), then
    /// processes events until `SHUTDOWN` has been processed.
    ///
    /// A failure before the first event (the listener, a subscription, the events processor
    /// not becoming ready) is reported to `/extension/init/error`; an events processor error
    /// after it to `/extension/exit/error`. Either way `run` returns the error, and the process
    /// should exit. The SHUTDOWN deadline is the processor's to meet (Lambda kills the process
    /// after it).
    pub async fn run(self) -> Result<(), ExtensionError> {
        let RegisteredExtension {
            mut api,
            registration: _,
            mut extension,
        } = self;
        let mut processor = extension
            .events_processor
            .take()
            .unwrap_or_else(noop_processor);

        let _listener = match start_listener(&mut api, &extension).await {
            Ok(listener) => listener,
            Err(e) => {
                let error_type = match e {
                    ExtensionError::Listener(_) => "ListenerFailed",
                    ExtensionError::Subscription { .. } => "SubscriptionFailed",
                    _ => "InitFailed",
                };
                report(
                    &mut api,
                    Call::InitError,
                    &Diagnostic::from_error(error_type, &e),
                )
                .await;
                return Err(e);
            }
        };
        if let Err(diagnostic) = processor.ready().await {
            report(&mut api, Call::InitError, &diagnostic).await;
            return Err(ExtensionError::Processor {
                stage: Stage::Init,
                diagnostic,
            });
        }

        loop {
            let body = api.next().await?;
            let event: NextEvent = match serde_json::from_slice(&body) {
                Ok(event) => event,
                Err(e) => {
                    // A new event type, or a broken one: asking for the next event is always safe.
                    tracing::warn!(error = %e, body = %String::from_utf8_lossy(&body), "skipping an event of unknown shape");
                    continue;
                }
            };
            let shutdown = matches!(event, NextEvent::Shutdown(_));
            let result = match processor.ready().await {
                Ok(service) => service.call(event).await,
                Err(e) => Err(e),
            };
            if let Err(diagnostic) = result {
                report(&mut api, Call::ExitError, &diagnostic).await;
                return Err(ExtensionError::Processor {
                    stage: Stage::Event,
                    diagnostic,
                });
            }
            if shutdown {
                return Ok(());
            }
        }
    }
}

/// The default events processor does nothing.
fn noop_processor() -> BoxProcessor<NextEvent> {
    boxed(tower::service_fn(|_: NextEvent| async {
        Ok::<(), Diagnostic>(())
    }))
}

/// Binds the listener and subscribes, if any batch processor was given.
async fn start_listener(
    api: &mut ExtensionApi,
    extension: &Extension,
) -> Result<Option<Listener>, ExtensionError> {
    if extension.logs.is_none() && extension.telemetry.is_none() {
        return Ok(None);
    }
    let listener = Listener::bind(
        &extension.listener,
        extension.logs.clone(),
        extension.telemetry.clone(),
    )
    .await
    .map_err(ExtensionError::Listener)?;
    if extension.logs.is_some() {
        let body = extension
            .logs_config
            .body(LOGS_SCHEMA_VERSION, &listener.logs_uri());
        api.subscribe("Logs", Call::SubscribeLogs, body).await?;
    }
    if extension.telemetry.is_some() {
        let body = extension.telemetry_config.body(
            extension.telemetry_schema.as_str(),
            &listener.telemetry_uri(),
        );
        api.subscribe("Telemetry", Call::SubscribeTelemetry, body)
            .await?;
    }
    Ok(Some(listener))
}

/// Reports an error; a failure to report is logged, as the extension is exiting anyway.
async fn report(api: &mut ExtensionApi, call: Call, diagnostic: &Diagnostic) {
    if let Err(e) = api.report_error(call, diagnostic).await {
        tracing::error!(error = %lambda_runtime::report::Report::new(&e), "reporting the extension's error to Lambda failed");
    }
}

/// The executable's file name, as Lambda expects at registration: from `argv[0]` (the path
/// Lambda started, even through a symlink), else from the resolved executable.
fn executable_name() -> Option<String> {
    let from_arg = std::env::args_os().next().and_then(|arg| {
        std::path::Path::new(&arg)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    });
    from_arg
        .or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .filter(|n| !n.is_empty())
}
