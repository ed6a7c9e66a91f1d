//! The HTTP adapter against the emulator's Runtime API: an axum app behind each event source,
//! AWS-documented request events in, the exact response JSON out.
#![cfg(feature = "http")]

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, Request};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use base64::Engine as _;
use http_body::Frame;
use lambda_emulator::{ErrorReport, FunctionResponse, Invocation, Outcome, RuntimeApi};
use lambda_runtime::http::RequestExt;
use lambda_runtime::Endpoint;
use lambda_runtime::{Config, Context, Runtime};
use serde_json::{json, Value};
use tokio::task::JoinHandle;

const INVOCATION_ID: &str = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

fn fixture(path: &str) -> Value {
    let file = format!(
        "{}/../lambda-events/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A Runtime API and a runtime serving an app against it; the runtime stops with the test.
struct Harness {
    api: RuntimeApi,
    runtime: JoinHandle<()>,
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.runtime.abort();
    }
}

impl Harness {
    async fn buffered(app: Router, stage_prefix: bool) -> Harness {
        let (api, runtime) = runtime().await;
        let runtime = tokio::spawn(async move {
            let _ = runtime.http().stage_prefix(stage_prefix).run(app).await;
        });
        Harness { api, runtime }
    }

    async fn streaming(app: Router) -> Harness {
        let (api, runtime) = runtime().await;
        let runtime = tokio::spawn(async move {
            let _ = runtime.http().streaming().run(app).await;
        });
        Harness { api, runtime }
    }

    async fn invoke(&self, event: Value) -> Outcome {
        let invocation = Invocation {
            request_id: Some(INVOCATION_ID.to_owned()),
            timeout: Some(Duration::from_secs(10)),
            ..Invocation::from(event)
        };
        self.api.invoke(invocation).await
    }

    async fn respond(&self, event: Value) -> Value {
        match self.invoke(event).await {
            Outcome::Response(r) => {
                assert!(!r.streamed);
                r.json().expect("the response is JSON")
            }
            other => panic!("expected a response, got {other:?}"),
        }
    }

    async fn stream(&self, event: Value) -> FunctionResponse {
        match self.invoke(event).await {
            Outcome::Response(r) => {
                assert!(r.streamed, "the response was not streamed");
                r
            }
            other => panic!("expected a streamed response, got {other:?}"),
        }
    }

    async fn error(&self, event: Value) -> ErrorReport {
        match self.invoke(event).await {
            Outcome::Error(report) => report,
            other => panic!("expected an error report, got {other:?}"),
        }
    }
}

async fn runtime() -> (RuntimeApi, Runtime) {
    let api = RuntimeApi::start().await.expect("the Runtime API starts");
    let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
    (api, Runtime::new(endpoint, Config::default()))
}

/// Answers with what it received, and with repeated headers and cookies to shape.
async fn echo(Extension(context): Extension<Context>, request: Request) -> impl IntoResponse {
    let pairs = |params: &lambda_runtime::http::Params| -> Vec<[String; 2]> {
        params
            .iter()
            .map(|(k, v)| [k.to_owned(), v.to_owned()])
            .collect()
    };
    let mut echo = json!({
        "method": request.method().as_str(),
        "uri": request.uri().to_string(),
        "cookie": request.headers().get("cookie").map(|v| v.to_str().unwrap().to_owned()),
        "query": pairs(request.query_parameters()),
        "pathParameters": pairs(request.path_parameters()),
        "stageVariables": pairs(request.stage_variables()),
        "sourceRequestId": request.request_context().and_then(|c| c.request_id()).map(str::to_owned),
        "invocationId": context.request_id,
    });
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap();
    echo["body"] = String::from_utf8_lossy(&body).into();
    (
        AppendHeaders([
            ("set-cookie", "s=1"),
            ("set-cookie", "t=2"),
            ("x-multi", "a"),
            ("x-multi", "b"),
        ]),
        Json(echo),
    )
}

fn echo_app() -> Router {
    Router::new().fallback(echo)
}

/// The echo's JSON body for a request with these parts.
fn echoed(fields: Value) -> String {
    let mut echo = json!({
        "cookie": null,
        "query": [],
        "pathParameters": [],
        "stageVariables": [],
        "sourceRequestId": null,
        "invocationId": INVOCATION_ID,
    });
    for (k, v) in fields.as_object().unwrap() {
        echo[k] = v.clone();
    }
    echo.to_string()
}

#[tokio::test]
async fn rest_api_request_reaches_the_app_and_gets_multi_value_headers_back() {
    let h = Harness::buffered(echo_app(), false).await;
    let response = h.respond(fixture("apigw/v1_proxy_request.json")).await;
    let body = echoed(json!({
        "method": "POST",
        "uri": "/hello/world?multivalueName=you&multivalueName=me&name=me",
        "query": [["multivalueName", "you"], ["multivalueName", "me"], ["name", "me"]],
        "pathParameters": [["proxy", "hello/world"]],
        "stageVariables": [["stageVariableName", "stageVariableValue"]],
        "sourceRequestId": "deef4878-7910-11e6-8f14-25afc3e9ae33",
        "body": "{\r\n\t\"a\": 1\r\n}",
    }));
    let len = body.len().to_string();
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "headers": {"content-length": len, "content-type": "application/json"},
            "multiValueHeaders": {"set-cookie": ["s=1", "t=2"], "x-multi": ["a", "b"]},
            "body": body,
            "isBase64Encoded": false,
        })
    );
}

#[tokio::test]
async fn http_api_request_gets_cookies_joined_and_returns_them_apart() {
    let h = Harness::buffered(echo_app(), false).await;
    let response = h.respond(fixture("apigw/v2_request.json")).await;
    let body = echoed(json!({
        "method": "POST",
        "uri": "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
        "cookie": "cookie1; cookie2",
        "query": [["parameter1", "value1"], ["parameter1", "value2"], ["parameter2", "value"]],
        "pathParameters": [["parameter1", "value1"]],
        "stageVariables": [["stageVariable1", "value1"], ["stageVariable2", "value2"]],
        "sourceRequestId": "id",
        "body": "Hello from Lambda",
    }));
    let len = body.len().to_string();
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "headers": {"content-length": len, "content-type": "application/json", "x-multi": "a,b"},
            "cookies": ["s=1", "t=2"],
            "body": body,
            "isBase64Encoded": false,
        })
    );
}

#[tokio::test]
async fn function_url_request_is_answered_in_the_function_url_shape() {
    let h = Harness::buffered(echo_app(), false).await;
    let response = h
        .respond(fixture("lambda_function_urls/request.json"))
        .await;
    let body = echoed(json!({
        "method": "POST",
        "uri": "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
        "cookie": "cookie1; cookie2",
        "query": [["parameter1", "value1"], ["parameter1", "value2"], ["parameter2", "value"]],
        "sourceRequestId": "id",
        "body": "Hello from client!",
    }));
    let len = body.len().to_string();
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "headers": {"content-length": len, "content-type": "application/json", "x-multi": "a,b"},
            "cookies": ["s=1", "t=2"],
            "body": body,
            "isBase64Encoded": false,
        })
    );
}

#[tokio::test]
async fn alb_single_value_request_gets_single_value_headers_and_a_status_description() {
    let h = Harness::buffered(echo_app(), false).await;
    let response = h.respond(fixture("alb/request.json")).await;
    let body = echoed(json!({
        "method": "GET",
        "uri": "/lambda?query=1234ABCD",
        "query": [["query", "1234ABCD"]],
        "body": "",
    }));
    let len = body.len().to_string();
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "statusDescription": "200 OK",
            // Single-value mode cannot carry two Set-Cookie headers: the last is kept.
            "headers": {"content-length": len, "content-type": "application/json", "set-cookie": "t=2", "x-multi": "a,b"},
            "body": body,
            "isBase64Encoded": false,
        })
    );
}

#[tokio::test]
async fn alb_multi_value_request_gets_multi_value_headers_and_a_decoded_body() {
    let h = Harness::buffered(echo_app(), false).await;
    let response = h.respond(fixture("alb/request_multi_value.json")).await;
    let body = echoed(json!({
        "method": "POST",
        "uri": "/lambda?myKey=val1&myKey=val2",
        "cookie": "a=1",
        "query": [["myKey", "val1"], ["myKey", "val2"]],
        "body": "field=value",
    }));
    let len = body.len().to_string();
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "statusDescription": "200 OK",
            "multiValueHeaders": {
                "content-length": [len],
                "content-type": ["application/json"],
                "set-cookie": ["s=1", "t=2"],
                "x-multi": ["a", "b"]
            },
            "body": body,
            "isBase64Encoded": false,
        })
    );
}

#[tokio::test]
async fn websocket_message_is_a_post_to_the_root_answered_in_the_rest_shape() {
    let h = Harness::buffered(echo_app(), false).await;
    let response = h.respond(fixture("apigw/websocket_message.json")).await;
    let body = echoed(json!({
        "method": "POST",
        "uri": "/",
        "sourceRequestId": "XfGMbFQatjMFaHA=",
        "body": "{\"action\":\"sendmessage\",\"data\":\"hello\"}",
    }));
    let len = body.len().to_string();
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "headers": {"content-length": len, "content-type": "application/json"},
            "multiValueHeaders": {"set-cookie": ["s=1", "t=2"], "x-multi": ["a", "b"]},
            "body": body,
            "isBase64Encoded": false,
        })
    );
}

#[tokio::test]
async fn vpc_lattice_requests_of_both_versions_get_the_lattice_shape() {
    let h = Harness::buffered(echo_app(), false).await;
    let shape = |body: String| {
        let len = body.len().to_string();
        json!({
            "statusCode": 200,
            "statusDescription": "200 OK",
            "headers": {"content-length": len, "content-type": "application/json", "set-cookie": "t=2", "x-multi": "a,b"},
            "body": body,
            "isBase64Encoded": false,
        })
    };
    let v1 = h.respond(fixture("vpc_lattice/request_v1.json")).await;
    assert_eq!(
        v1,
        shape(echoed(json!({
            "method": "POST",
            "uri": "/testpath?order-id=1",
            "query": [["order-id", "1"]],
            "body": "{\"test\": \"event\"}",
        })))
    );
    let v2 = h.respond(fixture("vpc_lattice/request_v2.json")).await;
    assert_eq!(
        v2,
        shape(echoed(json!({
            "method": "GET",
            "uri": "/newpath?order-id=1&order-id=2",
            "query": [["order-id", "1"], ["order-id", "2"]],
            "body": "{\"message\": \"Hello from Lambda!\"}",
        })))
    );
}

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0x00, 0xff,
];

fn binary_app() -> Router {
    Router::new().route(
        "/png",
        post(|body: Bytes| async move { ([("content-type", "image/png")], body) }),
    )
}

fn function_url_event(method: &str, path: &str, query: &str, body: Option<(&str, bool)>) -> Value {
    let mut event = fixture("lambda_function_urls/request.json");
    event["rawPath"] = path.into();
    event["rawQueryString"] = query.into();
    event["requestContext"]["http"]["method"] = method.into();
    event["requestContext"]["http"]["path"] = path.into();
    event["cookies"] = Value::Null;
    match body {
        Some((body, base64)) => {
            event["body"] = body.into();
            event["isBase64Encoded"] = base64.into();
        }
        None => {
            event["body"] = Value::Null;
        }
    }
    event
}

#[tokio::test]
async fn binary_body_round_trips_as_base64_both_ways() {
    let h = Harness::buffered(binary_app(), false).await;
    let encoded = base64::engine::general_purpose::STANDARD.encode(PNG);
    let response = h
        .respond(function_url_event(
            "POST",
            "/png",
            "",
            Some((&encoded, true)),
        ))
        .await;
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "headers": {"content-type": "image/png", "content-length": "10"},
            "body": encoded,
            "isBase64Encoded": true,
        })
    );
}

#[tokio::test]
async fn invalid_base64_body_is_an_error_report_and_the_function_goes_on() {
    let h = Harness::buffered(binary_app(), false).await;
    let report = h
        .error(function_url_event(
            "POST",
            "/png",
            "",
            Some(("not base64!", true)),
        ))
        .await;
    assert_eq!(report.error_type().as_deref(), Some("Runtime.InvalidEvent"));
    assert_eq!(
        report.error_type_header.as_deref(),
        Some("Runtime.InvalidEvent")
    );
    let message = report.error_message().unwrap();
    assert!(
        message.contains("Lambda function URL request says `isBase64Encoded: true` but its body is not valid base64"),
        "{message}"
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(PNG);
    let response = h
        .respond(function_url_event(
            "POST",
            "/png",
            "",
            Some((&encoded, true)),
        ))
        .await;
    assert_eq!(response["body"], encoded.as_str());
}

#[tokio::test]
async fn unrecognized_event_is_reported_with_the_accepted_sources_and_the_keys_received() {
    let h = Harness::buffered(echo_app(), false).await;
    let report = h
        .error(json!({"Records": [{"eventSource": "aws:sqs"}]}))
        .await;
    assert_eq!(report.error_type().as_deref(), Some("Runtime.InvalidEvent"));
    let message = report.error_message().unwrap();
    for source in [
        "API Gateway REST API (payload 1.0)",
        "API Gateway HTTP API (payload 2.0)",
        "API Gateway WebSocket API",
        "Application Load Balancer",
        "Lambda function URL",
        "VPC Lattice (event version 1)",
        "VPC Lattice (event version 2)",
    ] {
        assert!(message.contains(source), "{message}");
    }
    assert!(
        message.contains("received a JSON object with the keys `Records`"),
        "{message}"
    );
    // The loop goes on.
    let response = h.respond(fixture("alb/request.json")).await;
    assert_eq!(response["statusCode"], 200);
}

#[tokio::test]
async fn event_of_a_known_source_missing_a_field_names_the_field() {
    let h = Harness::buffered(echo_app(), false).await;
    let mut event = fixture("apigw/v2_request.json");
    event["requestContext"]["http"]
        .as_object_mut()
        .unwrap()
        .remove("method");
    let report = h.error(event).await;
    let message = report.error_message().unwrap();
    assert!(
        message.contains("API Gateway HTTP API (payload 2.0) request but does not fit one: at `requestContext.http`: missing field `method`"),
        "{message}"
    );
}

fn uri_app() -> Router {
    Router::new().fallback(|request: Request| async move { request.uri().to_string() })
}

#[tokio::test]
async fn stage_is_left_out_of_the_path_by_default() {
    let h = Harness::buffered(uri_app(), false).await;
    // REST: `path` has no stage.
    let rest = h.respond(fixture("apigw/v1_proxy_request.json")).await;
    assert_eq!(
        rest["body"],
        "/hello/world?multivalueName=you&multivalueName=me&name=me"
    );
    // HTTP API with a named stage: rawPath starts with it, the route path does not.
    let v2 = h.respond(fixture("apigw/v2_request_base64.json")).await;
    assert_eq!(v2["body"], "/nodejs-apig-function-1G3XMPLZXVXYI");
}

#[tokio::test]
async fn stage_prefix_opt_in_puts_the_stage_in_front_of_the_path() {
    let h = Harness::buffered(uri_app(), true).await;
    let rest = h.respond(fixture("apigw/v1_proxy_request.json")).await;
    assert_eq!(
        rest["body"],
        "/testStage/hello/world?multivalueName=you&multivalueName=me&name=me"
    );
    let v2 = h.respond(fixture("apigw/v2_request_base64.json")).await;
    assert_eq!(v2["body"], "/default/nodejs-apig-function-1G3XMPLZXVXYI");
    // `$default` is no stage at all.
    let default = h.respond(fixture("apigw/v2_request.json")).await;
    assert_eq!(
        default["body"],
        "/my/path?parameter1=value1&parameter1=value2&parameter2=value"
    );
}

#[tokio::test]
async fn query_values_reach_axum_decoded_exactly_once() {
    let app = Router::new().route(
        "/q",
        get(|Query(pairs): Query<Vec<(String, String)>>| async move { Json(pairs) }),
    );
    let h = Harness::buffered(app, false).await;
    let expected = json!([["q", "a b&c=d"], ["q", "100%"], ["q", "é+"]]);
    // REST APIs send decoded values.
    let mut rest = fixture("apigw/v1_proxy_request.json");
    rest["path"] = "/q".into();
    rest["httpMethod"] = "GET".into();
    rest["multiValueQueryStringParameters"] = json!({"q": ["a b&c=d", "100%", "é+"]});
    let response = h.respond(rest).await;
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, expected);
    // Function URLs send the raw query string.
    let url = function_url_event("GET", "/q", "q=a+b%26c%3Dd&q=100%25&q=%C3%A9%2B", None);
    let response = h.respond(url).await;
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, expected);
}

/// A body that yields its chunks one per poll, as a slow producer would.
struct Chunks(VecDeque<&'static str>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(
            self.0
                .pop_front()
                .map(|chunk| Ok(Frame::data(Bytes::from_static(chunk.as_bytes())))),
        )
    }
}

fn mixed_app() -> Router {
    Router::new()
        .route(
            "/buffered",
            get(|| async { Json(json!({"kind": "buffered"})) }),
        )
        .route(
            "/streamed",
            get(|| async {
                (
                    [("content-type", "text/plain")],
                    AppendHeaders([("set-cookie", "s=1")]),
                    axum::body::Body::new(Chunks(["one ", "two ", "three"].into())),
                )
            }),
        )
}

fn http_stream(prelude: &str, body: &[u8]) -> Vec<u8> {
    let mut expected = prelude.as_bytes().to_vec();
    expected.extend_from_slice(&[0; 8]);
    expected.extend_from_slice(body);
    expected
}

#[tokio::test]
async fn streamed_and_buffered_routes_mix_in_one_streaming_app() {
    let h = Harness::streaming(mixed_app()).await;
    let streamed = h
        .stream(function_url_event("GET", "/streamed", "", None))
        .await;
    assert_eq!(
        streamed.headers["content-type"],
        "application/vnd.awslambda.http-integration-response"
    );
    assert_eq!(
        streamed.body,
        http_stream(
            r#"{"statusCode":200,"headers":{"content-type":"text/plain"},"cookies":["s=1"]}"#,
            b"one two three"
        )
    );
    let buffered = h
        .stream(function_url_event("GET", "/buffered", "", None))
        .await;
    assert_eq!(
        buffered.body,
        http_stream(
            r#"{"statusCode":200,"headers":{"content-length":"19","content-type":"application/json"},"cookies":[]}"#,
            br#"{"kind":"buffered"}"#
        )
    );
    let missing = h
        .stream(function_url_event("GET", "/missing", "", None))
        .await;
    assert_eq!(
        missing.body,
        http_stream(r#"{"statusCode":404,"headers":{},"cookies":[]}"#, b"")
    );
}

#[tokio::test]
async fn http_api_payload_1_0_is_answered_in_the_rest_shape() {
    let h = Harness::buffered(echo_app(), true).await;
    let response = h.respond(fixture("apigw/v1_http_api_request.json")).await;
    // `$default` is no stage, even with the stage prefix on.
    let body = echoed(json!({
        "method": "GET",
        "uri": "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
        "query": [["parameter1", "value1"], ["parameter1", "value2"], ["parameter2", "value"]],
        "sourceRequestId": "id=",
        "body": "Hello from Lambda!",
    }));
    let len = body.len().to_string();
    assert_eq!(
        response,
        json!({
            "statusCode": 200,
            "headers": {"content-length": len, "content-type": "application/json"},
            "multiValueHeaders": {"set-cookie": ["s=1", "t=2"], "x-multi": ["a", "b"]},
            "body": body,
            "isBase64Encoded": false,
        })
    );
}

#[tokio::test]
async fn websocket_connect_is_a_get_with_the_handshake_headers() {
    let app = Router::new().fallback(|request: Request| async move {
        let route_key = match request.request_context() {
            Some(lambda_runtime::http::RequestContext::WebSocket(ctx)) => ctx.route_key.clone(),
            other => panic!("not a WebSocket context: {other:?}"),
        };
        Json(json!({
            "method": request.method().as_str(),
            "uri": request.uri().to_string(),
            "key": request.headers()["sec-websocket-key"].to_str().unwrap(),
            "routeKey": route_key,
        }))
    });
    let h = Harness::buffered(app, false).await;
    let response = h.respond(fixture("apigw/websocket_connect.json")).await;
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"method": "GET", "uri": "/", "key": "dGhlIHNhbXBsZSBub25jZQ==", "routeKey": "$connect"})
    );
}

#[tokio::test]
async fn authorizer_claims_reach_the_handler_in_the_typed_request_context() {
    use lambda_runtime::http::RequestContext;
    let app = Router::new().fallback(|request: Request| async move {
        let user = match request.request_context() {
            Some(RequestContext::ApiGatewayV1(ctx)) => {
                let claims = ctx.authorizer.as_ref().and_then(|a| a.claims.as_ref());
                claims.map(|c| c["cognito:username"].clone())
            }
            Some(RequestContext::ApiGatewayV2(ctx)) => {
                let jwt = ctx.authorizer.as_ref().and_then(|a| a.jwt.as_ref());
                jwt.map(|j| Value::from(j.claims["claim1"].clone()))
            }
            _ => None,
        };
        Json(json!({ "user": user }))
    });
    let h = Harness::buffered(app, false).await;
    let rest = h
        .respond(fixture("apigw/v1_proxy_request_cognito.json"))
        .await;
    assert_eq!(rest["body"], r#"{"user":"jane"}"#);
    let v2 = h.respond(fixture("apigw/v2_request.json")).await;
    assert_eq!(v2["body"], r#"{"user":"value1"}"#);
}

/// A response body that fails after its first chunk.
struct Broken(bool);

impl http_body::Body for Broken {
    type Data = Bytes;
    type Error = lambda_runtime::Diagnostic;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.0 {
            return Poll::Ready(Some(Err(lambda_runtime::Diagnostic::new(
                "BodyBroke",
                "the source went away",
            ))));
        }
        self.0 = true;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"partial")))))
    }
}

#[tokio::test]
async fn plain_tower_service_errors_are_reported_as_function_errors() {
    use lambda_runtime::http::Body;
    use lambda_runtime::{service_fn, Diagnostic};
    let service = service_fn(|request: http::Request<Body>| async move {
        match request.uri().path() {
            "/denied" => Err(Diagnostic::new("NotAllowed", "no entry")),
            _ => Ok(http::Response::new(Broken(false))),
        }
    });
    let (api, runtime) = runtime().await;
    let h = Harness {
        api,
        runtime: tokio::spawn(async move {
            let _ = runtime.http().run(service).await;
        }),
    };
    let denied = h
        .error(function_url_event("GET", "/denied", "", None))
        .await;
    assert_eq!(
        denied.error_type_header.as_deref(),
        Some("Function.NotAllowed")
    );
    assert_eq!(denied.error_message().as_deref(), Some("no entry"));
    let broken = h
        .error(function_url_event("GET", "/broken", "", None))
        .await;
    assert_eq!(
        broken.error_type_header.as_deref(),
        Some("Function.BodyBroke")
    );
    assert_eq!(
        broken.error_message().as_deref(),
        Some("the source went away")
    );
}

#[tokio::test]
async fn http_in_every_combination_of_streaming_and_concurrency() {
    use lambda_emulator::RuntimeApiConfig;
    use std::sync::Arc;
    for slots in [1, 3] {
        for streaming in [false, true] {
            let case = format!("slots {slots}, streaming {streaming}");
            let api = Arc::new(
                RuntimeApi::start_with(RuntimeApiConfig {
                    max_concurrency: slots,
                    ..RuntimeApiConfig::default()
                })
                .await
                .unwrap(),
            );
            // Every request waits until `slots` are in flight.
            let barrier = Arc::new(tokio::sync::Barrier::new(slots));
            let app = Router::new().route(
                "/n/{n}",
                get(move |axum::extract::Path(n): axum::extract::Path<u32>| {
                    let barrier = barrier.clone();
                    async move {
                        barrier.wait().await;
                        format!("n={n}")
                    }
                }),
            );
            let endpoint = Endpoint::parse(&api.address().to_string()).unwrap();
            let mut runtime = Runtime::new(endpoint, Config::default())
                .http()
                .concurrency(slots);
            if streaming {
                runtime = runtime.streaming();
            }
            let task = tokio::spawn(async move {
                let _ = runtime.run(app).await;
            });
            let invocations: Vec<_> = (0..slots)
                .map(|n| {
                    let api = api.clone();
                    tokio::spawn(async move {
                        api.invoke(Invocation {
                            timeout: Some(Duration::from_secs(10)),
                            ..Invocation::from(function_url_event(
                                "GET",
                                &format!("/n/{n}"),
                                "",
                                None,
                            ))
                        })
                        .await
                    })
                })
                .collect();
            for (n, invocation) in invocations.into_iter().enumerate() {
                let response = match invocation.await.unwrap() {
                    Outcome::Response(r) => r,
                    other => panic!("{case}: expected a response, got {other:?}"),
                };
                assert_eq!(response.streamed, streaming, "{case}");
                let body = format!("n={n}");
                if streaming {
                    assert_eq!(
                        response.body,
                        http_stream(
                            r#"{"statusCode":200,"headers":{"content-length":"3","content-type":"text/plain; charset=utf-8"},"cookies":[]}"#,
                            body.as_bytes()
                        ),
                        "{case}"
                    );
                } else {
                    let json = response.json().unwrap();
                    assert_eq!(json["statusCode"], 200, "{case}");
                    assert_eq!(json["body"], body, "{case}");
                }
            }
            task.abort();
        }
    }
}
