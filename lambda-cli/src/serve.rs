//! `lambda-rs serve`: keep the function running in the emulator behind the invoke endpoint and,
//! with `--http PORT`, a plain HTTP front (function URL, API Gateway or ALB events).

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use lambda_emulator::{Environment, FrontDoor, FunctionConfig, HttpFormat, HttpFront};

use crate::cli::ServeArgs;
use crate::listen;
use crate::USAGE_ERROR;

/// The HTTP front and the host the endpoints listen on (`serve` and `watch`).
#[derive(Debug, Args)]
pub(crate) struct HttpArgs {
    /// Also serve a plain HTTP front on PORT: `curl http://127.0.0.1:PORT/any/path` invokes the
    /// function with a function URL event (see --http-format) and answers with its HTTP
    /// response, streamed when the function streams.
    #[arg(long, value_name = "PORT")]
    pub(crate) http: Option<u16>,
    /// The events the HTTP front sends: function-url (payload 2.0), apigw-v2 (HTTP API,
    /// payload 2.0), apigw-v1 (REST API, payload 1.0), alb, alb-multi-value.
    #[arg(long, value_name = "FORMAT", default_value_t = HttpFormat::FunctionUrl, requires = "http")]
    pub(crate) http_format: HttpFormat,
    /// The host every endpoint listens on: 127.0.0.1, ::1, or localhost (both).
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    pub(crate) host: String,
}

/// The endpoints in front of one environment: the invoke endpoint and the HTTP front, on each
/// address of the host. They stay up while the function restarts (`watch`).
#[derive(Debug)]
pub(crate) struct Endpoints {
    doors: Vec<FrontDoor>,
    fronts: Vec<HttpFront>,
}

impl Endpoints {
    /// Starts them and prints where they listen (the invoke endpoint's line first).
    pub(crate) async fn start(
        environment: &Arc<Environment>,
        port: u16,
        http: &HttpArgs,
    ) -> Result<Endpoints, String> {
        let ips = listen::addresses(&http.host).map_err(|error| error.to_string())?;
        let doors = listen::bind_all(&ips, port, |address| {
            let environment = Arc::clone(environment);
            async move {
                let door = FrontDoor::start(environment, address).await?;
                let bound = door.address();
                Ok((door, bound))
            }
        })
        .await
        .map_err(|error| format!("{error} (choose another --port)"))?;
        for door in &doors {
            eprintln!(
                "lambda-rs: listening on http://{}/2015-03-31/functions/function/invocations",
                door.address()
            );
        }
        let mut fronts = Vec::new();
        if let Some(port) = http.http {
            let format = http.http_format;
            fronts = listen::bind_all(&ips, port, |address| {
                let environment = Arc::clone(environment);
                async move {
                    let front = HttpFront::start(environment, address, format).await?;
                    let bound = front.address();
                    Ok((front, bound))
                }
            })
            .await
            .map_err(|error| format!("{error} (choose another --http port)"))?;
            for front in &fronts {
                eprintln!(
                    "lambda-rs: HTTP front ({format} events) on http://{}/",
                    front.address()
                );
            }
        }
        Ok(Endpoints { doors, fronts })
    }

    /// Stops every endpoint.
    pub(crate) async fn shutdown(self) {
        for front in self.fronts {
            front.shutdown().await;
        }
        for door in self.doors {
            door.shutdown().await;
        }
    }
}

/// Prints the environment's START / END / REPORT lines to stderr, as CloudWatch shows them.
pub(crate) fn print_platform_lines(environment: &Environment) {
    let mut events = environment.platform_events();
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if let Some(line) = event.cloudwatch_line() {
                eprintln!("{line}");
            }
        }
    });
}

/// Runs `lambda-rs serve` until Ctrl-C or SIGTERM.
pub(crate) async fn run(args: ServeArgs) -> ExitCode {
    let config = match args.function.into_config() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("lambda-rs: {error}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let (environment, endpoints) = match start(config, args.port, &args.http).await {
        Ok(started) => started,
        Err(code) => return code,
    };
    wait_for_stop_signal().await;
    eprintln!("lambda-rs: shutting down");
    endpoints.shutdown().await;
    stop(environment).await;
    ExitCode::SUCCESS
}

/// Starts the environment, prints its platform lines and puts the endpoints in front of it
/// (`serve` and `watch`); a failure is printed and becomes the exit code.
pub(crate) async fn start(
    config: FunctionConfig,
    port: u16,
    http: &HttpArgs,
) -> Result<(Arc<Environment>, Endpoints), ExitCode> {
    let environment = match Environment::start(config).await {
        Ok(environment) => Arc::new(environment),
        Err(error) => {
            eprintln!("lambda-rs: cannot start the Runtime API on 127.0.0.1: {error}");
            return Err(ExitCode::FAILURE);
        }
    };
    print_platform_lines(&environment);
    match Endpoints::start(&environment, port, http).await {
        Ok(endpoints) => Ok((environment, endpoints)),
        Err(message) => {
            eprintln!("lambda-rs: {message}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// Shuts the environment down (its Shutdown phase), or drops it when an Event invocation still
/// holds it (dropping kills the runtime).
pub(crate) async fn stop(environment: Arc<Environment>) {
    match Arc::try_unwrap(environment) {
        Ok(environment) => environment.shutdown().await,
        Err(environment) => drop(environment),
    }
}

/// Ctrl-C, or SIGTERM on Unix.
pub(crate) async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
