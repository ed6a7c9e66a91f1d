//! Binary responses: a PNG image goes back base64-encoded with `isBase64Encoded: true`, which
//! API Gateway, ALB and function URLs decode before the client sees it. Text responses stay
//! text. A body that `BodyEncoding::for_response` would call text can be forced to base64
//! with a `BodyEncoding` response extension.
//!
//! ```text
//! cargo build --example http-binary
//! cargo run -p lambda-cli -- invoke --event-file lambda-events/fixtures/alb/request.json \
//!     -- target/debug/examples/http-binary
//! ```
//! (the fixture asks for `/lambda`, which answers the PNG).
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::routing::get;
use axum::{Extension, Router};
use lambda_runtime::http::BodyEncoding;
use lambda_runtime::Error;

/// A 4×4 orange PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0x1f, 0xae, 0x04,
    0x47, 0x0c, 0xc4, 0x71, 0x00, 0x71, 0x22, 0x17, 0x81, 0x07, 0x1e, 0x70, 0x34, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn image() -> impl axum::response::IntoResponse {
    (
        [(CONTENT_TYPE, "image/png"), (CACHE_CONTROL, "max-age=3600")],
        PNG,
    )
}

async fn csv_download() -> impl axum::response::IntoResponse {
    // `text/csv` would be sent as text; this endpoint wants the exact bytes delivered.
    (
        Extension(BodyEncoding::Base64),
        [(CONTENT_TYPE, "text/csv")],
        "id,name\n1,Ana\n",
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let app = Router::new()
        .route("/lambda", get(image))
        .route("/image.png", get(image))
        .route("/export.csv", get(csv_download))
        .route("/", get(|| async { "text stays text" }));
    lambda_runtime::http::run_http(app).await?;
    Ok(())
}
