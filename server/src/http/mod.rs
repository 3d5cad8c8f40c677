//! The HTTP edge: each resource's routes live beside their handlers; `app` assembles them.

mod auth;
mod callback;
mod checks;
pub mod error;
mod extract;
mod filings;
mod forms;
mod health;
mod inline_hashes;
mod metrics;
mod openapi;
mod request_id;
mod security_headers;
mod static_files;

use std::path::Path;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::routing::get;
use axum::Router;
use protocol::ProblemType;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use self::error::ApiError;
use self::security_headers::SecurityHeaders;
use crate::service::Service;

pub use openapi::SPEC as OPENAPI_SPEC;

/// The whole application: API, no-script forms, operator endpoints and the SPA.
pub fn app(service: Service, static_dir: &Path) -> Router {
    let api = Router::new()
        .merge(checks::router())
        .merge(filings::router())
        .merge(callback::router())
        .route("/openapi.json", get(openapi::spec))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(no_store());
    let body_limit = service.settings().body_limit_bytes;
    let security_headers = SecurityHeaders::new(static_dir, &[forms::PAGE_STYLE], service.settings().hsts_max_age_secs);
    Router::new()
        .nest(protocol::API_PREFIX, api)
        .merge(health::router())
        .merge(forms::router().layer(no_store()))
        .route("/metrics", get(metrics::render))
        .fallback_service(static_files::router(static_dir))
        .layer(axum::middleware::from_fn_with_state(service.clone(), metrics::time_requests))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(service)
        .layer(axum::middleware::from_fn_with_state(security_headers, security_headers::add))
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

/// Answers that may name a person (or hold a provider's secret) must not stay in any cache: the
/// browser's, a shared device's, or a proxy's.
fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static("no-store"))
}

async fn not_found() -> ApiError {
    ApiError::new(ProblemType::NotFound)
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(ProblemType::MethodNotAllowed)
}
