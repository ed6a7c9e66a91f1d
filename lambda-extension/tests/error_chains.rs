//! Every error type of lambda-runtime and lambda-extension that has a cause follows one
//! convention: `Display` describes the error itself and `source()` returns the cause. A reporter
//! that walks `source()` (anyhow, eyre, tracing's error fields, `Report`) then says each thing
//! once. These tests build each such error and walk its chain.

use std::error::Error;
use std::io;

use lambda_extension::{ExtensionError, ListenerConfig, ListenerError, Stage};
use lambda_runtime::client::{Client, ClientError, Endpoint, EndpointError, RequestBody};
use lambda_runtime::http::LambdaRequest;
use lambda_runtime::report::Report;
use lambda_runtime::{ContextError, Diagnostic, RuntimeError};
use tokio::io::AsyncReadExt;

/// Walks `error`'s chain and fails if a message contains the message of its cause (the cause
/// would be printed twice) or if the chain is shorter than `depth`.
fn assert_each_cause_said_once(error: &(dyn Error + 'static), depth: usize) {
    let mut messages = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(e) = cause {
        messages.push(e.to_string());
        cause = e.source();
    }
    assert!(
        messages.len() >= depth,
        "expected a chain of {depth}, got {messages:?}"
    );
    for pair in messages.windows(2) {
        assert!(
            !pair[1].is_empty() && !pair[0].contains(&pair[1]),
            "the message {:?} repeats its cause {:?}",
            pair[0],
            pair[1]
        );
    }
    // The report says everything, once each.
    assert_eq!(Report::new(error).to_string(), messages.join(": "));
}

fn io_error() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionRefused, "refused by the test")
}

fn json_error() -> serde_json::Error {
    serde_json::from_str::<serde_json::Value>("{not json").unwrap_err()
}

/// A hyper error, from a server that hangs up without answering.
async fn hyper_client_error() -> ClientError {
    let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = server.local_addr().unwrap();
    let hang_up = tokio::spawn(async move {
        for _ in 0..2 {
            let (mut stream, _) = server.accept().await.unwrap();
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer).await;
        }
    });
    let mut client = Client::new(Endpoint::parse(&address.to_string()).unwrap());
    let request = client
        .request(http::Method::GET, "/next", RequestBody::Empty)
        .unwrap();
    let error = tokio::time::timeout(std::time::Duration::from_secs(10), client.send(request))
        .await
        .unwrap()
        .unwrap_err();
    hang_up.abort();
    error
}

#[tokio::test]
async fn runtime_errors_say_each_cause_once() {
    let connect = || ClientError::Connect {
        address: "127.0.0.1:9".into(),
        source: io_error(),
    };
    assert_each_cause_said_once(&connect(), 2);
    let hyper = hyper_client_error().await;
    assert!(
        matches!(hyper, ClientError::Connection(_) | ClientError::Body(_)),
        "{hyper:?}"
    );
    assert_each_cause_said_once(&hyper, 2);

    let context = ContextError::InvalidClientContext(json_error());
    assert_each_cause_said_once(&context, 2);
    assert_each_cause_said_once(&ContextError::InvalidCognitoIdentity(json_error()), 2);

    let endpoint = Endpoint::parse("").unwrap_err();
    assert_eq!(endpoint, EndpointError::Empty);
    for error in [
        RuntimeError::InvalidEndpoint(endpoint),
        RuntimeError::Api {
            call: "next",
            source: connect(),
        },
        RuntimeError::Init(Diagnostic::new("ConfigMissing", "no table name")),
        RuntimeError::Signal(io_error()),
    ] {
        assert_each_cause_said_once(&error, 2);
        // `main` returning the error prints it with its causes.
        assert_eq!(format!("{error:?}"), Report::new(&error).to_string());
    }
    // The three levels of a failed call: the call, the connection, the OS.
    assert_each_cause_said_once(
        &RuntimeError::Api {
            call: "next",
            source: connect(),
        },
        3,
    );
}

#[test]
fn http_request_errors_say_each_cause_once() {
    let event = serde_json::json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/",
        "rawQueryString": "",
        "headers": {},
        "requestContext": {
            "http": {"method": "POST", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4", "userAgent": "t"},
            "accountId": "123456789012", "apiId": "api", "domainName": "d", "domainPrefix": "d",
            "requestId": "r", "routeKey": "$default", "stage": "$default", "time": "t", "timeEpoch": 0
        },
        "body": "not base64!",
        "isBase64Encoded": true
    });
    let error = LambdaRequest::from_value(event).unwrap_err();
    assert!(error.to_string().contains("not valid base64"), "{error}");
    assert_each_cause_said_once(&error, 2);
    let unrecognized = LambdaRequest::from_value(serde_json::json!({"hello": 1})).unwrap_err();
    assert_each_cause_said_once(&unrecognized, 1);
}

#[tokio::test]
async fn extension_errors_say_each_cause_once() {
    let listener = ListenerError::Bind {
        address: "127.0.0.1:1".parse().unwrap(),
        source: io_error(),
    };
    assert_each_cause_said_once(&listener, 2);
    let client = || ClientError::Connect {
        address: "127.0.0.1:9".into(),
        source: io_error(),
    };
    for error in [
        ExtensionError::Endpoint(EndpointError::Empty),
        ExtensionError::Client(client()),
        ExtensionError::Listener(listener),
        ExtensionError::Processor {
            stage: Stage::Init,
            diagnostic: Diagnostic::new("BackendUnreachable", "cannot reach the backend"),
        },
    ] {
        assert_each_cause_said_once(&error, 2);
        assert_eq!(format!("{error:?}"), Report::new(&error).to_string());
    }
    // A real bind failure, through the public API.
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = taken.local_addr().unwrap().port();
    let config = ListenerConfig::new().with_host("127.0.0.1").with_port(port);
    let error = lambda_extension::Listener::bind(&config, None, None)
        .await
        .unwrap_err();
    assert_each_cause_said_once(&error, 2);
}
