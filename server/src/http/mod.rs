//! The HTTP edge: each resource's routes live beside their handlers; `app` assembles them.

mod auth;
mod callback;
mod checks;
pub mod error;
mod extract;
mod filings;
mod forms;
mod health;
mod keys;
mod metrics;
mod openapi;
mod request_id;
mod static_files;

use std::path::Path;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::routing::get;
use axum::Router;
use protocol::ProblemType;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use self::error::ApiError;
use crate::service::Service;

pub use openapi::SPEC as OPENAPI_SPEC;

/// The whole application: API, no-script forms, operator endpoints and the SPA.
pub fn app(service: Service, static_dir: &Path) -> Router {
    let api = Router::new()
        .merge(checks::router())
        .merge(filings::router())
        .merge(callback::router())
        .merge(keys::router())
        .route("/openapi.json", get(openapi::spec))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    let body_limit = service.settings().body_limit_bytes;
    Router::new()
        .nest(protocol::API_PREFIX, api)
        .merge(health::router())
        .merge(forms::router())
        .route("/metrics", get(metrics::render))
        .fallback_service(static_files::router(static_dir))
        .layer(axum::middleware::from_fn_with_state(service.clone(), metrics::time_requests))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(service)
        .layer(CompressionLayer::new())
        .layer(
            // Spans name the route template and the request id, never the path (it may hold a token).
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("static");
                    let id = request.headers().get(&request_id::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!("request", method = %request.method(), route, request_id = id)
                })
                .on_request(())
                .on_response(|response: &axum::response::Response, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(
                        status = response.status().as_u16(),
                        latency_ms = latency.as_millis() as u64,
                        "response"
                    );
                }),
        )
        .layer(PropagateRequestIdLayer::new(request_id::HEADER.clone()))
        .layer(SetRequestIdLayer::new(request_id::HEADER.clone(), request_id::RandomId))
}

async fn not_found() -> ApiError {
    ApiError::new(ProblemType::NotFound)
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(ProblemType::MethodNotAllowed)
}
