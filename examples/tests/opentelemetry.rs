//! The `opentelemetry` example, run as a process under the emulator, exporting to a real
//! OTLP/HTTP receiver on loopback (found through `OTEL_EXPORTER_OTLP_ENDPOINT`).
//!
//! A plain `cargo test -p examples --features opentelemetry` builds the examples before it runs
//! the tests; this test runs the example from `target/<profile>/examples/`.

#[path = "../../lambda-runtime/tests/common/otlp.rs"]
mod otlp;

use std::path::PathBuf;
use std::time::Duration;

use lambda_emulator::{Environment, FunctionConfig, Invocation, Outcome};
use otlp::{Log, Receiver};
use serde_json::json;

/// Every wait in this test is bounded by this.
const BOUND: Duration = Duration::from_secs(20);

fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = profile_dir.join("examples").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build -p examples --features opentelemetry --example opentelemetry` first (a plain `cargo test -p examples --features opentelemetry` builds it too)",
        path.display()
    );
    path
}

fn xray(trace: &str, parent: &str, sampled: u8) -> String {
    format!(
        "Root=1-{}-{};Parent={parent};Sampled={sampled}",
        &trace[..8],
        &trace[8..]
    )
}

#[tokio::test]
async fn example_exports_each_sampled_invocation_over_otlp_before_the_next_one_starts() {
    let receiver = Receiver::start(Log::default()).await;
    let mut config = FunctionConfig::new(example("opentelemetry"), Vec::<String>::new());
    config.function_name = "orders".to_owned();
    config.timeout = Duration::from_secs(10);
    config.env = vec![(
        "OTEL_EXPORTER_OTLP_ENDPOINT".to_owned(),
        format!("http://{}", receiver.address),
    )];
    let environment = Environment::start(config).await.unwrap();

    let traces = [
        ("5759e988bd862e3fe1be46a994272793", "53995c3f42cd8ad8", 1),
        ("6759e988bd862e3fe1be46a994272794", "63995c3f42cd8ad9", 1),
        ("7759e988bd862e3fe1be46a994272795", "73995c3f42cd8ada", 0),
        ("8759e988bd862e3fe1be46a994272796", "83995c3f42cd8adb", 1),
    ];
    for (i, (trace, parent, sampled)) in traces.iter().enumerate() {
        let invocation = Invocation {
            trace_id: Some(xray(trace, parent, *sampled)),
            ..Invocation::from(json!({ "order_id": i, "items": 2 }))
        };
        let outcome = tokio::time::timeout(BOUND, environment.invoke(invocation))
            .await
            .unwrap();
        match outcome {
            Outcome::Response(response) => assert_eq!(
                response.json().unwrap(),
                json!({ "order_id": i, "total_cents": 2500 })
            ),
            other => panic!("invocation {i} failed: {other:?}"),
        }
    }
    // Three sampled invocations, two spans each (the invocation's and the handler's child);
    // `Sampled=0` is respected by the default (parent-based) sampler.
    let spans = receiver.wait_for_spans(6, BOUND).await;
    environment.shutdown().await;
    assert_eq!(spans.len(), 6, "{spans:#?}");

    let invocations: Vec<_> = spans.iter().filter(|s| s.name == "orders").collect();
    let children: Vec<_> = spans.iter().filter(|s| s.name == "price order").collect();
    assert_eq!((invocations.len(), children.len()), (3, 3), "{spans:#?}");
    for (span, (trace, parent, _)) in invocations.iter().zip([traces[0], traces[1], traces[3]]) {
        assert_eq!(span.trace_id, trace);
        assert_eq!(span.parent_span_id, parent);
        assert_eq!(span.attributes["faas.name"], json!("orders"));
        assert_eq!(span.attributes["faas.trigger"], json!("other"));
        assert_eq!(
            span.attributes["cloud.resource_id"],
            json!("arn:aws:lambda:us-east-1:012345678912:function:orders")
        );
        assert_eq!(span.resource["service.name"], json!("orders"));
        let child = children
            .iter()
            .find(|c| c.parent_span_id == span.span_id)
            .expect("the handler's span is a child of the invocation's");
        assert_eq!(child.trace_id, trace);
    }
    assert_eq!(invocations[0].attributes["faas.coldstart"], json!(true));
    assert_eq!(invocations[1].attributes["faas.coldstart"], json!(false));
    // Each invocation's spans arrived before the next invocation started: flushed after its
    // response, before the runtime asked for the next event.
    assert!(
        invocations[0].received_unix_nano < invocations[1].start_unix_nano,
        "{invocations:#?}"
    );
    assert!(
        invocations[1].received_unix_nano < invocations[2].start_unix_nano,
        "{invocations:#?}"
    );
}
