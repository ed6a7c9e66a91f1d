use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use lambda_runtime::Error;
use serde_json::{json, Value};

async fn hello(Path(name): Path<String>) -> Json<Value> {
    Json(json!({ "greeting": format!("Hello, {name}!") }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let app = Router::new().route("/hello/{name}", get(hello));
    lambda_runtime::Runtime::from_env()?.http().run(app).await?;
    Ok(())
}
