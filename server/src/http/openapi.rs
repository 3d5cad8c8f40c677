//! The API's OpenAPI 3.1 description, written by hand beside the code it describes
//! (`server/openapi.json`) and checked against the router by the API tests.

use axum::http::header;
use axum::response::IntoResponse;

pub const SPEC: &str = include_str!("../../openapi.json");

pub async fn spec() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], SPEC)
}
