//! API Gateway: REST (v1 proxy), HTTP API (v2), WebSocket, and custom authorizers.
//!
//! | Integration | Request | Response |
//! | --- | --- | --- |
//! | REST API, or HTTP API with payload format 1.0 | [`ApiGatewayProxyRequest`] | [`ApiGatewayProxyResponse`] |
//! | HTTP API, payload format 2.0 | [`ApiGatewayV2HttpRequest`] | [`ApiGatewayV2HttpResponse`] |
//! | WebSocket API | [`ApiGatewayWebsocketProxyRequest`] | [`ApiGatewayProxyResponse`] |
//! | `TOKEN` authorizer | [`ApiGatewayTokenAuthorizerRequest`] | [`ApiGatewayAuthorizerResponse`] |
//! | `REQUEST` authorizer, format 1.0 | [`ApiGatewayRequestAuthorizerRequest`] | [`ApiGatewayAuthorizerResponse`] |
//! | HTTP API authorizer, format 2.0 | [`ApiGatewayV2AuthorizerRequest`] | [`ApiGatewayV2SimpleAuthorizerResponse`] or [`ApiGatewayAuthorizerResponse`] |
//!
//! Bodies stay strings: when `is_base64_encoded` is true the body is base64 text, which the
//! HTTP adapter of `lambda-runtime` decodes. Header and query maps keep the keys as API Gateway
//! sent them (see [`crate::encodings::Headers`]).
//!
//! ```
//! use lambda_events::apigw::{ApiGatewayV2HttpRequest, ApiGatewayV2HttpResponse};
//!
//! fn handle(request: ApiGatewayV2HttpRequest) -> ApiGatewayV2HttpResponse {
//!     ApiGatewayV2HttpResponse {
//!         status_code: 200,
//!         body: Some(format!("you called {}", request.request_context.http.path)),
//!         ..Default::default()
//!     }
//! }
//! # let _ = handle;
//! ```

mod authorizer;
mod client_cert;
mod http;
mod rest;
mod websocket;

pub use authorizer::*;
pub use client_cert::*;
pub use http::*;
pub use rest::*;
pub use websocket::*;
