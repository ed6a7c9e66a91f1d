//! An axum app as a Lambda function, behind API Gateway, an ALB or a function URL: JSON
//! routes, path and query parameters, and the Lambda context from an extractor.
//!
//! ```text
//! cargo build --example http-axum
//! cargo run -p lambda-cli -- invoke --event-file lambda-events/fixtures/alb/request.json \
//!     -- target/debug/examples/http-axum
//! ```
use axum::extract::{Path, Query, Request};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Json, Router};
use lambda_runtime::http::{RequestContext, RequestExt};
use lambda_runtime::{Context, Error};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Paging {
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Deserialize)]
struct NewBook {
    title: String,
}

#[derive(Serialize)]
struct Book {
    id: u32,
    title: String,
}

/// `GET /books?page=2&per_page=10`: query parameters, decoded once.
async fn list_books(Query(paging): Query<Paging>) -> Json<Value> {
    let page = paging.page.unwrap_or(1);
    let per_page = paging.per_page.unwrap_or(20);
    Json(json!({ "page": page, "perPage": per_page, "books": [] }))
}

/// `GET /books/{id}`: a path parameter, and the Lambda context as an extension.
async fn get_book(Path(id): Path<u32>, Extension(context): Extension<Context>) -> Json<Value> {
    Json(json!({
        "id": id,
        "title": format!("Book {id}"),
        "invocation": context.request_id,
        "remainingMs": context.remaining().as_millis() as u64,
    }))
}

/// `POST /books`: a JSON body in, `201 Created` with JSON out.
async fn create_book(Json(book): Json<NewBook>) -> (StatusCode, Json<Book>) {
    (
        StatusCode::CREATED,
        Json(Book {
            id: 42,
            title: book.title,
        }),
    )
}

/// `GET /whoami`: the typed request context of the source, read with `RequestExt`.
async fn whoami(request: Request) -> Json<Value> {
    let caller = match request.request_context() {
        Some(RequestContext::ApiGatewayV1(ctx)) => json!({
            "source": "REST API", "ip": ctx.identity.source_ip, "stage": ctx.stage,
        }),
        Some(RequestContext::ApiGatewayV2(ctx)) => json!({
            "source": "HTTP API", "ip": ctx.http.source_ip, "stage": ctx.stage,
            "jwtClaims": ctx.authorizer.as_ref().and_then(|a| a.jwt.as_ref()).map(|j| &j.claims),
        }),
        Some(RequestContext::FunctionUrl(ctx)) => json!({
            "source": "function URL", "ip": ctx.http.source_ip,
        }),
        Some(RequestContext::Alb(ctx)) => json!({
            "source": "ALB", "targetGroup": ctx.elb.target_group_arn,
        }),
        _ => json!({ "source": "other" }),
    };
    Json(caller)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let app = Router::new()
        .route("/books", get(list_books).post(create_book))
        .route("/books/{id}", get(get_book))
        .route("/whoami", get(whoami));
    lambda_runtime::http::run_http(app).await?;
    Ok(())
}
