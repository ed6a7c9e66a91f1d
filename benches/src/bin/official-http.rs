//! The `ours-http` axum app on `lambda_http` from crates.io, as its documentation writes a
//! function (`#[tokio::main]`, `lambda_http::run(app)`): the HTTP benchmark's comparison.
use axum::extract::Path;
use axum::routing::get;
use axum::Router;
use official_http::Error;

async fn hello(Path(name): Path<String>) -> String {
    format!("Hello, {name}!")
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = Router::new().route("/hello/{name}", get(hello));
    official_http::run(app).await
}
