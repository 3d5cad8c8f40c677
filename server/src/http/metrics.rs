//! `/metrics`, and the middleware that times every request by its route template.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use crate::service::Service;

pub async fn render(State(service): State<Service>) -> Result<impl IntoResponse, ApiError> {
    Ok(([("content-type", crate::metrics::CONTENT_TYPE)], service.metrics_text().await?))
}

/// Times a request. The label is the route template, never the path: paths can carry link tokens.
pub async fn time_requests(State(service): State<Service>, request: Request, next: Next) -> Response {
    let route =
        request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "static".into());
    let started = Instant::now();
    let response = next.run(request).await;
    service.metrics().request(&route, started.elapsed());
    response
}
