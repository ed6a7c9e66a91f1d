//! One runtime shape: every combination of the builder methods (buffered or streaming, one slot
//! or several, layers, the after-response hook) against the emulator's Runtime API. The HTTP
//! mode's combinations are in `http.rs`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use lambda_emulator::{FunctionResponse, Invocation, Outcome, RuntimeApi, RuntimeApiConfig};
use lambda_runtime::streaming::StreamResponse;
use lambda_runtime::Endpoint;
use lambda_runtime::{service_fn, Config, Error, LambdaEvent, Runtime, Service};
use serde_json::{json, Value};

/// A Runtime API handing out up to `slots` invocations at once.
async fn api_with(slots: usize) -> RuntimeApi {
    RuntimeApi::start_with(RuntimeApiConfig {
        max_concurrency: slots,
        ..RuntimeApiConfig::default()
    })
    .await
    .unwrap()
}

fn runtime_for(api: &RuntimeApi) -> Runtime {
    let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
    Runtime::new(endpoint, Config::default())
}

/// Invokes `n = 0..count` at once; every outcome must be a response.
async fn invoke_all(api: &Arc<RuntimeApi>, count: usize) -> Vec<FunctionResponse> {
    let invocations = (0..count).map(|n| {
        let api = api.clone();
        async move {
            api.invoke(Invocation {
                timeout: Some(Duration::from_secs(10)),
                ..Invocation::from(json!({ "n": n }))
            })
            .await
        }
    });
    let mut responses = Vec::new();
    for outcome in futures_join_all(invocations).await {
        match outcome {
            Outcome::Response(r) => responses.push(r),
            other => panic!("expected a response, got {other:?}"),
        }
    }
    responses
}

/// Runs the futures at once (each in its own task) and returns their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

/// A handler whose invocations all wait until `slots` of them are in flight: it only answers if
/// the runtime really runs `slots` at once.
fn json_handler(
    slots: usize,
) -> impl Service<
    LambdaEvent<Value>,
    Response = Value,
    Error = Error,
    Future = impl std::future::Future<Output = Result<Value, Error>> + Send,
> + Send
       + 'static {
    let barrier = Arc::new(tokio::sync::Barrier::new(slots));
    service_fn(move |event: LambdaEvent<Value>| {
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            Ok::<_, Error>(json!({ "n": event.payload["n"] }))
        }
    })
}

#[tokio::test]
async fn json_responses_in_every_combination_of_streaming_and_concurrency() {
    for slots in [1, 3] {
        for streaming in [false, true] {
            let api = api_with(slots).await;
            let mut runtime = runtime_for(&api).concurrency(slots);
            if streaming {
                runtime = runtime.streaming();
            }
            let task = tokio::spawn(runtime.run(json_handler(slots)));
            let api = Arc::new(api);
            let responses = invoke_all(&api, slots).await;
            for (n, response) in responses.iter().enumerate() {
                let case = format!("slots {slots}, streaming {streaming}");
                assert_eq!(response.json(), Some(json!({ "n": n })), "{case}");
                assert_eq!(response.streamed, streaming, "{case}");
                assert_eq!(
                    response.headers["content-type"], "application/json",
                    "{case}"
                );
            }
            task.abort();
        }
    }
}

#[tokio::test]
async fn stream_responses_under_multi_concurrency() {
    const SLOTS: usize = 4;
    let api = Arc::new(api_with(SLOTS).await);
    let barrier = Arc::new(tokio::sync::Barrier::new(SLOTS));
    let handler = service_fn(move |event: LambdaEvent<Value>| {
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            let body = http_body_util::Full::new(Bytes::from(format!("n={}", event.payload["n"])));
            Ok::<_, Error>(StreamResponse::new(body).with_content_type("text/plain"))
        }
    });
    // Set through the environment's AWS_LAMBDA_MAX_CONCURRENCY, as Lambda does.
    let config = Config::from_lookup(|name| {
        (name == "AWS_LAMBDA_MAX_CONCURRENCY").then(|| SLOTS.to_string())
    });
    let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
    let task = tokio::spawn(Runtime::new(endpoint, config).run(handler));
    for (n, response) in invoke_all(&api, SLOTS).await.iter().enumerate() {
        assert!(response.streamed);
        assert_eq!(response.body, format!("n={n}"));
        assert_eq!(response.headers["content-type"], "text/plain");
    }
    task.abort();
}

/// A layer that notes each request id it sees (from the event's context) under its name, and
/// adds its name to the response.
#[derive(Clone)]
struct Note {
    name: &'static str,
    seen: Arc<Mutex<Vec<String>>>,
}

impl<S> tower::Layer<S> for Note {
    type Service = Noted<S>;

    fn layer(&self, inner: S) -> Noted<S> {
        Noted {
            note: self.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
struct Noted<S> {
    note: Note,
    inner: S,
}

impl<S> Service<LambdaEvent<Value>> for Noted<S>
where
    S: Service<LambdaEvent<Value>, Response = Value>,
    S::Future: Send + 'static,
{
    type Response = Value;
    type Error = S::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Value, S::Error>> + Send + 'static>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, event: LambdaEvent<Value>) -> Self::Future {
        let name = self.note.name;
        self.note
            .seen
            .lock()
            .unwrap()
            .push(format!("{name} {}", event.context.request_id));
        let future = self.inner.call(event);
        Box::pin(async move {
            let mut response = future.await?;
            if let Some(layers) = response["layers"].as_array_mut() {
                layers.push(json!(name));
            }
            Ok(response)
        })
    }
}

#[tokio::test]
async fn layers_wrap_each_invocation_outermost_first_with_the_context() {
    let api = api_with(1).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let note = |name| Note {
        name,
        seen: seen.clone(),
    };
    let handler = service_fn(|event: LambdaEvent<Value>| async move {
        Ok::<_, Error>(json!({ "n": event.payload["n"], "layers": [] }))
    });
    let runtime = runtime_for(&api).layer(note("outer")).layer(note("inner"));
    let task = tokio::spawn(runtime.run(handler));
    let outcome = api
        .invoke(Invocation {
            request_id: Some("req-layered".into()),
            ..Invocation::from(json!({ "n": 7 }))
        })
        .await;
    match outcome {
        Outcome::Response(r) => assert_eq!(
            r.json(),
            Some(json!({ "n": 7, "layers": ["inner", "outer"] }))
        ),
        other => panic!("expected a response, got {other:?}"),
    }
    assert_eq!(
        *seen.lock().unwrap(),
        ["outer req-layered", "inner req-layered"]
    );
    task.abort();
}

#[tokio::test]
async fn after_response_hook_runs_after_the_post_and_before_the_next_poll() {
    let api = Arc::new(api_with(1).await);
    // What the Runtime API had received when the hook ran: the last request, and how many
    // `next` polls so far.
    let observed = Arc::new(Mutex::new(Vec::new()));
    let hook = {
        let (api, observed) = (api.clone(), observed.clone());
        move || {
            let (api, observed) = (api.clone(), observed.clone());
            async move {
                // Slow, as a flush would be: the next poll must wait for it.
                tokio::time::sleep(Duration::from_millis(50)).await;
                let requests = api.requests();
                let nexts = requests.iter().filter(|r| r.method == "GET").count();
                let last = requests.last().map(|r| r.path.clone()).unwrap_or_default();
                observed.lock().unwrap().push((nexts, last));
            }
        }
    };
    let handler = service_fn(|event: LambdaEvent<Value>| async move {
        if event.payload["fail"] == true {
            return Err(Error::from("failed on purpose"));
        }
        Ok::<_, Error>(event.payload)
    });
    let task = tokio::spawn(runtime_for(&api).after_response(hook).run(handler));
    for (id, event) in [
        ("req-1", json!({})),
        ("req-2", json!({ "fail": true })),
        ("req-3", json!({})),
    ] {
        api.invoke(Invocation {
            request_id: Some(id.into()),
            ..Invocation::from(event)
        })
        .await;
    }
    // The third hook may still be running when the third answer arrives.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        *observed.lock().unwrap(),
        [
            (
                1,
                "/2018-06-01/runtime/invocation/req-1/response".to_owned()
            ),
            (2, "/2018-06-01/runtime/invocation/req-2/error".to_owned()),
            (
                3,
                "/2018-06-01/runtime/invocation/req-3/response".to_owned()
            ),
        ]
    );
    task.abort();
}
