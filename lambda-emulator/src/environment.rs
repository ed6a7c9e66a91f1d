//! The execution environment: the runtime process and its Runtime API, through the Init and
//! Invoke phases, reset after a crash or a timeout.

mod init;
mod outcomes;
mod reload;
mod shutdown;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, watch, Mutex, OnceCell};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use self::outcomes::{dropped, exit_error, extension_crash, status_of, timed_out};
use crate::extensions_api::FunctionInfo;
use crate::extensions_api::ShutdownReason;

use crate::function_config::FunctionConfig;
use crate::invocation::{ErrorReport, Invocation, Outcome};
use crate::logs::{LogLine, Logs};
use crate::platform::{max_memory_used_mb, PhaseStatus, PlatformEvent, PlatformEvents};
use crate::process::{ExitInfo, RunningProcess};
use crate::queue::{Answer, StreamEvent, StreamedAnswer, Ticket};
use crate::runtime_api::{collect, RuntimeApi, RuntimeApiConfig};
use crate::telemetry::{feed, Flusher};

/// The processes of one Init: the runtime and the external extensions.
#[derive(Debug)]
struct Generation {
    runtime: Arc<RunningProcess>,
    extensions: Vec<(String, Arc<RunningProcess>)>,
    /// The first extension that exited, and how.
    extension_exit: watch::Receiver<Option<(String, ExitInfo)>>,
    /// Set once its Shutdown phase is over: a second reset waits for the first one.
    stopped: OnceCell<()>,
    /// Set at the moment an invocation timed out or failed: no invocation may be handed to
    /// it any more, and its Shutdown phase (under way in the background) has this reason.
    retired: std::sync::OnceLock<ShutdownReason>,
}

impl Generation {
    /// Waits until an extension exits.
    async fn extension_exited(&self) -> (String, ExitInfo) {
        let mut exits = self.extension_exit.clone();
        let first = match exits.wait_for(Option::is_some).await {
            Ok(exit) => exit.clone(),
            Err(_) => None,
        };
        match first {
            Some(exit) => exit,
            // No extension can exit any more: never.
            None => std::future::pending().await,
        }
    }

    fn broken(&self) -> bool {
        self.retired.get().is_some()
            || self.runtime.exit_info().is_some()
            || self.extension_exit.borrow().is_some()
    }

    /// The processes' peak memory, in MB.
    fn max_memory_used_mb(&self) -> Option<u64> {
        max_memory_used_mb(
            std::iter::once(self.runtime.peak_kb())
                .chain(self.extensions.iter().map(|(_, e)| e.peak_kb())),
        )
    }

    /// Waits (briefly) until what the processes printed so far has been captured.
    async fn drain_output(&self) {
        self.runtime.drain_output(DRAIN_BOUND).await;
        for (_, extension) in &self.extensions {
            extension.drain_output(DRAIN_BOUND).await;
        }
    }
}

/// The longest wait for a process's output to be captured before an invocation's END: it is
/// normally microseconds; only a process that never stops writing reaches it.
const DRAIN_BOUND: Duration = Duration::from_millis(100);

/// Why the extensions did not finish an invocation's Invoke phase.
#[derive(Debug, Clone, Copy)]
struct Unsettled {
    reason: ShutdownReason,
    status: PhaseStatus,
}

/// How an invocation's runtime or extensions failed while it ran.
enum Failure {
    RuntimeExited(ExitInfo),
    ExtensionExited(String, ExitInfo),
}

/// The running runtime and what the first invocation after its Init must report.
#[derive(Debug)]
struct Current {
    generation: Arc<Generation>,
    unreported_init: Option<Duration>,
}

/// A response being streamed by the runtime, with what is needed to finish its invocation.
#[derive(Debug)]
pub(crate) struct ActiveStream {
    pub(crate) stream: StreamedAnswer,
    deadline: Instant,
    timeout: Duration,
    runtime: Arc<Generation>,
    measure: Measure,
}

/// How an invocation was answered: whole, or as a stream still arriving.
#[derive(Debug)]
pub(crate) enum Delivery {
    Done(Outcome),
    Stream(ActiveStream),
}

/// Figures of one invocation, for its platform events.
#[derive(Debug, Clone)]
struct Measure {
    request_id: String,
    started: Instant,
    init_duration: Option<Duration>,
}

/// A local Lambda execution environment running one function.
///
/// The runtime process starts at the first invocation (or [`init`](Environment::init)), is
/// killed and restarted after a crash or a timeout, and is stopped by
/// [`shutdown`](Environment::shutdown) (SIGTERM, then SIGKILL after the grace period).
///
/// ```no_run
/// use lambda_emulator::{Environment, FunctionConfig, Outcome};
///
/// # async fn demo() -> std::io::Result<()> {
/// let environment = Environment::start(FunctionConfig::new("target/debug/examples/echo", Vec::<String>::new())).await?;
/// match environment.invoke(r#"{"hello":"world"}"#).await {
///     Outcome::Response(response) => println!("{}", String::from_utf8_lossy(&response.body)),
///     other => eprintln!("failed: {}", String::from_utf8_lossy(&other.caller_body())),
/// }
/// environment.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Environment {
    core: Arc<Core>,
}

/// The state of an [`Environment`], shared with the tasks that finish invocations after their
/// caller got the answer.
#[derive(Debug)]
struct Core {
    api: RuntimeApi,
    config: FunctionConfig,
    logs: Arc<Logs>,
    events: PlatformEvents,
    runtime: Mutex<Option<Current>>,
    /// Sends the Telemetry and Logs API subscribers what they buffer.
    flusher: Flusher,
    /// Invocations answered whose extensions are still busy with their INVOKE event.
    settling: std::sync::Mutex<Vec<JoinHandle<()>>>,
}

impl Environment {
    /// Starts the Runtime API for `config`; the runtime process starts on the first invocation.
    pub async fn start(config: FunctionConfig) -> std::io::Result<Environment> {
        let api = RuntimeApi::start_with(RuntimeApiConfig {
            max_concurrency: config.max_concurrency,
            function_arn: config.function_arn(),
            default_timeout: config.timeout,
            // A long `serve` keeps nothing per invocation; tests turn recording on.
            record_requests: false,
        })
        .await?;
        api.set_function_info(FunctionInfo {
            function_name: config.function_name.clone(),
            function_version: "$LATEST".to_string(),
            handler: config.handler.clone(),
        });
        let logs = Arc::new(Logs::new(config.echo));
        let events = PlatformEvents::default();
        let flusher = feed(
            Arc::clone(api.telemetry()),
            logs.subscribe(),
            events.subscribe(),
        );
        Ok(Environment {
            core: Arc::new(Core {
                api,
                logs,
                events,
                config,
                runtime: Mutex::new(None),
                flusher,
                settling: std::sync::Mutex::new(Vec::new()),
            }),
        })
    }

    /// The function's configuration.
    pub fn config(&self) -> &FunctionConfig {
        &self.core.config
    }

    /// The Runtime API the runtime talks to (for its recorded requests and fault injection).
    pub fn runtime_api(&self) -> &RuntimeApi {
        &self.core.api
    }

    /// Every line the function and its extensions wrote to stdout or stderr so far (the last
    /// 10 000, within 4 MiB of text).
    pub fn logs(&self) -> Vec<LogLine> {
        self.core.logs.snapshot()
    }

    /// Lines captured from now on (for an invocation's tail log).
    pub(crate) fn subscribe_logs(&self) -> mpsc::UnboundedReceiver<LogLine> {
        self.core.logs.subscribe()
    }

    /// Platform events from now on (START, REPORT, Init figures...).
    ///
    /// ```no_run
    /// # async fn demo(environment: lambda_emulator::Environment) {
    /// let mut events = environment.platform_events();
    /// while let Some(event) = events.recv().await {
    ///     if let Some(line) = event.cloudwatch_line() {
    ///         println!("{line}");
    ///     }
    /// }
    /// # }
    /// ```
    pub fn platform_events(&self) -> mpsc::UnboundedReceiver<PlatformEvent> {
        self.core.events.subscribe()
    }

    /// Runs the Init phase now, if no runtime is running. On failure, returns the error a caller
    /// would see (with request id `init`).
    pub async fn init(&self) -> Result<(), Outcome> {
        let core = &self.core;
        core.ready("init", core.config.timeout).await.map(|_| ())
    }

    /// Invokes the function: queues the invocation (FIFO), initialises a runtime if none is
    /// running, and waits for the answer within the function timeout. A crash answers
    /// `Runtime.ExitError`; a crash or timeout resets the environment.
    ///
    /// As in Lambda, the answer comes as soon as the runtime posts it: extensions still busy
    /// with the INVOKE event finish in the background, and only then is the next invocation
    /// handed out and `platform.report` emitted (with status `timeout` or `error`, and a reset,
    /// if an extension overruns the deadline or crashes).
    pub async fn invoke(&self, invocation: impl Into<Invocation>) -> Outcome {
        self.core.invoke(invocation.into()).await
    }

    /// Invokes and hands a streamed response over as it arrives: the receiver yields the
    /// runtime's chunks, then its trailers; a timeout or a broken stream ends with
    /// [`StreamEvent::Broken`].
    pub(crate) async fn invoke_streaming(
        &self,
        invocation: Invocation,
    ) -> Result<(http::HeaderMap, mpsc::Receiver<StreamEvent>), Outcome> {
        self.core.invoke_streaming(invocation).await
    }

    /// Shuts the environment down like Lambda's Shutdown phase: SIGTERM to the runtime, a
    /// SHUTDOWN event (reason `spindown`) to the extensions, SIGKILL past the limit (300 ms with
    /// no extensions, 500 ms with an internal one, 2 s with external ones). Invocations whose
    /// extensions are still busy finish first.
    pub async fn shutdown(self) {
        let core = &self.core;
        // The Invoke phases still under way end first (each within its invocation's deadline).
        let settling =
            std::mem::take(&mut *core.settling.lock().unwrap_or_else(|p| p.into_inner()));
        for task in settling {
            let _ = task.await;
        }
        let current = core.runtime.lock().await.take();
        if let Some(current) = current {
            core.stop_generation(&current.generation, ShutdownReason::Spindown)
                .await;
        }
        // A streamed response still draining holds the core: its server then stops when that
        // ends (dropping the server stops it).
        if let Ok(core) = Arc::try_unwrap(self.core) {
            core.api.shutdown().await;
        }
    }
}

impl Core {
    /// See [`Environment::invoke`].
    async fn invoke(self: &Arc<Self>, invocation: Invocation) -> Outcome {
        match self.deliver(invocation).await {
            Delivery::Done(outcome) => outcome,
            Delivery::Stream(active) => {
                let ActiveStream {
                    stream,
                    deadline,
                    timeout,
                    runtime,
                    measure,
                } = active;
                match tokio::time::timeout_at(deadline, collect(stream)).await {
                    Ok(outcome) => {
                        self.answered(runtime, deadline, measure, &outcome).await;
                        outcome
                    }
                    Err(_) => {
                        self.end_abruptly(runtime, &measure, None).await;
                        timed_out(&measure.request_id, timeout)
                    }
                }
            }
        }
    }

    /// Invokes and hands a streamed response over as it arrives: the receiver yields the
    /// runtime's chunks, then its trailers; a timeout or a broken stream ends with
    /// [`StreamEvent::Broken`].
    async fn invoke_streaming(
        self: &Arc<Self>,
        invocation: Invocation,
    ) -> Result<(http::HeaderMap, mpsc::Receiver<StreamEvent>), Outcome> {
        let active = match self.deliver(invocation).await {
            Delivery::Done(outcome) => return Err(outcome),
            Delivery::Stream(active) => active,
        };
        let ActiveStream {
            stream,
            deadline,
            timeout,
            runtime,
            measure,
        } = active;
        let StreamedAnswer {
            headers,
            mut events,
            ..
        } = stream;
        let (sender, receiver) = mpsc::channel(16);
        let environment = Arc::clone(self);
        tokio::spawn(async move {
            let mut produced = 0u64;
            let mut status = PhaseStatus::Success;
            loop {
                let event = match tokio::time::timeout_at(deadline, events.recv()).await {
                    Ok(Some(event)) => event,
                    Ok(None) => break,
                    Err(_) => {
                        // Reported now; the reset goes on in the background.
                        environment.end_abruptly(runtime, &measure, None).await;
                        let message = format!(
                            "RequestId: {} Error: Task timed out after {:.2} seconds",
                            measure.request_id,
                            timeout.as_secs_f64()
                        );
                        let _ = sender.send(StreamEvent::Broken(message)).await;
                        return;
                    }
                };
                match &event {
                    StreamEvent::Data(chunk) => produced += chunk.len() as u64,
                    StreamEvent::Broken(_) => status = PhaseStatus::Error,
                    StreamEvent::Trailers(trailers) => {
                        if trailers.contains_key(crate::wire::FUNCTION_ERROR_TYPE) {
                            status = PhaseStatus::Error;
                        }
                    }
                }
                // A caller that went away does not stop the runtime's stream from draining.
                let _ = sender.send(event).await;
            }
            runtime.drain_output().await;
            environment.runtime_done(&measure, status, produced);
            match environment.settle_extensions(&runtime, deadline).await {
                Ok(()) => environment.report(&measure, &runtime, status),
                Err(unsettled) => {
                    environment.report(&measure, &runtime, unsettled.status);
                    environment.reset(&runtime, unsettled.reason).await;
                }
            }
        });
        Ok((headers, receiver))
    }

    /// Queues `invocation`, waits for it to be handed out and answered.
    async fn deliver(self: &Arc<Self>, mut invocation: Invocation) -> Delivery {
        let request_id = invocation
            .request_id
            .get_or_insert_with(crate::ids::request_id)
            .clone();
        let timeout = *invocation.timeout.get_or_insert(self.config.timeout);
        let trace_id = invocation
            .trace_id
            .get_or_insert_with(crate::ids::trace_header)
            .clone();
        let ticket = self.api.submit(invocation);
        let queue = self.api.queue();
        let Ticket {
            mut started,
            answer,
            ..
        } = ticket;

        // Wait to be handed out, (re)initialising whenever no runtime is running.
        let submitted = Instant::now();
        let (generation, deadline) = loop {
            let generation = match self.ready(&request_id, timeout).await {
                Ok(generation) => generation,
                Err(outcome) => {
                    queue.cancel(&request_id);
                    self.init_failed(&request_id, submitted, &outcome);
                    return Delivery::Done(outcome);
                }
            };
            tokio::select! {
                biased;
                deadline = &mut started => match deadline {
                    Ok(deadline) => break (generation, Instant::from_std(deadline)),
                    Err(_) => return Delivery::Done(dropped(&request_id)),
                },
                // The runtime died before taking this invocation: a fresh one will.
                _ = generation.runtime.wait() => self.reset(&generation, ShutdownReason::Failure).await,
                _ = generation.extension_exited() => self.reset(&generation, ShutdownReason::Failure).await,
            }
        };
        let measure = Measure {
            request_id: request_id.clone(),
            started: Instant::now(),
            init_duration: self.take_unreported_init(&generation).await,
        };
        self.events.emit(PlatformEvent::Start {
            time: SystemTime::now(),
            request_id: request_id.clone(),
        });
        let deadline_ms =
            unix_ms(SystemTime::now() + deadline.saturating_duration_since(Instant::now()));
        self.api.extensions().dispatch_invoke(&serde_json::json!({
            "eventType": "INVOKE",
            "deadlineMs": deadline_ms,
            "requestId": request_id,
            "invokedFunctionArn": self.config.function_arn(),
            "tracing": { "type": "X-Amzn-Trace-Id", "value": trace_id },
        }));

        let answer = tokio::select! {
            biased;
            answer = tokio::time::timeout_at(deadline, answer) => answer.map(Ok),
            exit = generation.runtime.wait() => Ok(Err(Failure::RuntimeExited(exit))),
            (name, exit) = generation.extension_exited() => Ok(Err(Failure::ExtensionExited(name, exit))),
        };
        let outcome = match answer {
            Ok(Ok(Ok(Answer::ErrorAfterOversize(_)))) => {
                let outcome = Outcome::Error(ErrorReport::environment(
                    Some(&request_id),
                    "Function.ResponseSizeTooLarge",
                    &format!(
                        "Response payload size exceeded maximum allowed payload size ({} bytes).",
                        crate::wire::MAX_BUFFERED_RESPONSE_BYTES
                    ),
                ));
                self.answered(generation, deadline, measure, &outcome).await;
                return Delivery::Done(outcome);
            }
            Ok(Ok(Ok(Answer::Complete(outcome)))) => {
                self.answered(generation, deadline, measure, &outcome).await;
                return Delivery::Done(outcome);
            }
            Ok(Ok(Ok(Answer::Stream(stream)))) => {
                return Delivery::Stream(ActiveStream {
                    stream,
                    deadline,
                    timeout,
                    runtime: generation,
                    measure,
                })
            }
            Ok(Ok(Err(_))) => {
                let outcome = dropped(&request_id);
                self.runtime_done(&measure, PhaseStatus::Error, 0);
                self.report(&measure, &generation, PhaseStatus::Error);
                outcome
            }
            Ok(Err(failure)) => {
                queue.cancel(&request_id);
                if let Failure::RuntimeExited(_) = &failure {
                    self.events.emit(PlatformEvent::Fault {
                        time: SystemTime::now(),
                        request_id: request_id.clone(),
                        message: "Process exited before completing request".to_string(),
                    });
                }
                // Answered and reported at the moment of the crash, as in Lambda; the reset
                // (SHUTDOWN to the extensions, up to 2 s) goes on in the background.
                let error_type = match &failure {
                    Failure::RuntimeExited(_) => "Runtime.ExitError",
                    Failure::ExtensionExited(..) => "Extension.Crash",
                };
                self.end_abruptly(generation, &measure, Some(error_type))
                    .await;
                match failure {
                    Failure::RuntimeExited(exit) => exit_error(&request_id, exit),
                    Failure::ExtensionExited(name, exit) => {
                        extension_crash(&request_id, &name, exit)
                    }
                }
            }
            Err(_) => {
                queue.cancel(&request_id);
                self.end_abruptly(generation, &measure, None).await;
                timed_out(&request_id, timeout)
            }
        };
        Delivery::Done(outcome)
    }

    /// Ends an invocation at the moment it timed out or its runtime (or an extension) failed:
    /// measures it, kills the runtime, emits `platform.runtimeDone` and `platform.report`, and
    /// leaves the reset to a background task. The extensions thus get the invocation's records
    /// before their SHUTDOWN event, and the caller is answered without waiting for them.
    async fn end_abruptly(
        self: &Arc<Self>,
        generation: Arc<Generation>,
        measure: &Measure,
        failure: Option<&str>,
    ) {
        // A failure has an error type; a timeout has none.
        let (status, reason) = match failure {
            None => (PhaseStatus::Timeout, ShutdownReason::Timeout),
            Some(_) => (PhaseStatus::Error, ShutdownReason::Failure),
        };
        // The figures first, while the processes still exist.
        let duration = measure.started.elapsed();
        let memory = generation.max_memory_used_mb();
        let _ = generation.retired.set(reason);
        generation.runtime.stop(Duration::ZERO).await;
        generation.drain_output().await;
        self.events.emit(PlatformEvent::RuntimeDone {
            time: SystemTime::now(),
            request_id: measure.request_id.clone(),
            status,
            duration,
            produced_bytes: 0,
        });
        self.emit_report(measure, status, duration, memory, failure);
        let core = Arc::clone(self);
        self.track(tokio::spawn(async move {
            core.reset(&generation, reason).await;
        }));
    }

    /// The START, END and REPORT lines of an invocation whose Init failed: REPORT says
    /// `Status: error` (or `timeout`) with the Init failure's error type.
    fn init_failed(&self, request_id: &str, submitted: Instant, outcome: &Outcome) {
        self.events.emit(PlatformEvent::Start {
            time: SystemTime::now(),
            request_id: request_id.to_string(),
        });
        let measure = Measure {
            request_id: request_id.to_string(),
            started: submitted,
            init_duration: None,
        };
        let status = status_of(outcome);
        let error_type = (status == PhaseStatus::Error).then(|| {
            outcome
                .error()
                .and_then(|report| {
                    report
                        .error_type_header
                        .clone()
                        .or_else(|| report.error_type())
                })
                .unwrap_or_else(|| "Runtime.Unknown".to_string())
        });
        self.runtime_done(&measure, status, 0);
        self.emit_report(
            &measure,
            status,
            submitted.elapsed(),
            None,
            error_type.as_deref(),
        );
    }

    /// Keeps `task` so that [`Environment::shutdown`] waits for it.
    fn track(&self, task: JoinHandle<()>) {
        let mut settling = self.settling.lock().unwrap_or_else(|p| p.into_inner());
        settling.retain(|task| !task.is_finished());
        settling.push(task);
    }

    /// The runtime answered and the caller gets `outcome` now, as in Lambda. The Invoke phase
    /// goes on until every extension is done with the INVOKE event (within the deadline): only
    /// then is the next invocation handed out and `platform.report` emitted. An extension that
    /// crashes or overruns the deadline resets the environment, and the report says `error` or
    /// `timeout`.
    async fn answered(
        self: &Arc<Self>,
        generation: Arc<Generation>,
        deadline: Instant,
        measure: Measure,
        outcome: &Outcome,
    ) {
        let status = status_of(outcome);
        let produced = outcome.response().map_or(0, |r| r.body.len() as u64);
        // What the function printed before it answered belongs before END.
        generation.drain_output().await;
        self.runtime_done(&measure, status, produced);
        if self.api.extensions().with(|inner| inner.all_waiting()) {
            // Nobody is busy: the phase ends now.
            self.api.queue().resume();
            self.report(&measure, &generation, status);
            return;
        }
        let core = Arc::clone(self);
        self.track(tokio::spawn(async move {
            match core.settle_extensions(&generation, deadline).await {
                Ok(()) => core.report(&measure, &generation, status),
                Err(unsettled) => {
                    // The report reaches the extensions before their SHUTDOWN.
                    core.report(&measure, &generation, unsettled.status);
                    core.reset(&generation, unsettled.reason).await;
                }
            }
        }));
    }

    /// Waits until the extensions are done with the current invocation, or one exits, or the
    /// deadline passes. On failure no invocation is handed to `generation` any more: the
    /// caller reports, then resets.
    async fn settle_extensions(
        &self,
        generation: &Arc<Generation>,
        deadline: Instant,
    ) -> Result<(), Unsettled> {
        let extensions = self.api.extensions();
        let settled = tokio::select! {
            biased;
            _ = tokio::time::timeout_at(deadline, extensions.wait_until(|inner| inner.all_waiting())) => {
                if extensions.with(|inner| inner.all_waiting()) {
                    Ok(())
                } else {
                    Err(Unsettled { reason: ShutdownReason::Timeout, status: PhaseStatus::Timeout })
                }
            }
            _ = generation.extension_exited() => Err(Unsettled { reason: ShutdownReason::Failure, status: PhaseStatus::Error }),
        };
        match settled {
            Ok(()) => self.api.queue().resume(),
            Err(unsettled) => {
                let _ = generation.retired.set(unsettled.reason);
            }
        }
        settled
    }

    /// Emits `platform.runtimeDone`: the runtime is done with the invocation.
    fn runtime_done(&self, measure: &Measure, status: PhaseStatus, produced: u64) {
        self.events.emit(PlatformEvent::RuntimeDone {
            time: SystemTime::now(),
            request_id: measure.request_id.clone(),
            status,
            duration: measure.started.elapsed(),
            produced_bytes: produced,
        });
    }

    /// Emits `platform.report` (REPORT): the Invoke phase, extensions included, is over.
    fn report(&self, measure: &Measure, generation: &Generation, status: PhaseStatus) {
        self.emit_report(
            measure,
            status,
            measure.started.elapsed(),
            generation.max_memory_used_mb(),
            None,
        );
    }

    fn emit_report(
        &self,
        measure: &Measure,
        status: PhaseStatus,
        duration: Duration,
        max_memory_used_mb: Option<u64>,
        error_type: Option<&str>,
    ) {
        self.events.emit(PlatformEvent::Report {
            time: SystemTime::now(),
            request_id: measure.request_id.clone(),
            status,
            duration,
            memory_size_mb: self.config.memory_mb,
            max_memory_used_mb,
            init_duration: measure.init_duration,
            error_type: error_type.map(str::to_string),
        });
    }

    async fn take_unreported_init(&self, generation: &Arc<Generation>) -> Option<Duration> {
        let mut current = self.runtime.lock().await;
        match current.as_mut() {
            Some(current) if Arc::ptr_eq(&current.generation, generation) => {
                current.unreported_init.take()
            }
            _ => None,
        }
    }
}

fn unix_ms(time: SystemTime) -> u128 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}
