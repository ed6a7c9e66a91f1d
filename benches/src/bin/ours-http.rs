//! An axum app with one `GET /hello/{name}` route on our runtime's HTTP adapter
//! (`Runtime::http().run(app)`), behind API Gateway HTTP API (v2) or an ALB: the HTTP benchmark's
//! function (`--only http`).
use axum::extract::Path;
use axum::routing::get;
use axum::Router;
use lambda_runtime::Error;

async fn hello(Path(name): Path<String>) -> String {
    format!("Hello, {name}!")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let app = Router::new().route("/hello/{name}", get(hello));
    lambda_runtime::Runtime::from_env()?.http().run(app).await?;
    Ok(())
}
