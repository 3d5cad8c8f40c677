//! The HTTP edge: each resource's routes live beside their handlers; `app` assembles them.

mod auth;
mod body_path;
mod callback;
mod checks;
mod client_addr;
mod deadline;
mod edge;
pub mod error;
mod extract;
mod filing_list_query;
mod filings;
mod forms;
mod health;
mod help;
mod html;
mod inline_hashes;
mod keys;
mod metrics;
pub(crate) mod openapi;
mod panic;
pub mod province_entry;
mod request_id;
mod security_headers;
pub(crate) mod serve;
mod static_files;

use std::path::Path;

use axum::extract::DefaultBodyLimit;
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::routing::{any, get};
use axum::Router;
use protocol::ProblemType;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::error::ApiError;
use self::security_headers::SecurityHeaders;
use crate::service::Service;

pub use openapi::document as openapi_document;

/// Every route under [`protocol::API_PREFIX`], each with its OpenAPI operation: the router the
/// server serves and the document it serves are the same value, so neither can list a route the
/// other lacks. Register routes here only through `routes!`.
fn api_router() -> OpenApiRouter<Service> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(checks::router())
        .merge(filings::router())
        .merge(callback::router())
        .merge(keys::router())
        .merge(help::api_router())
        .routes(routes!(openapi::spec))
}

/// The public application: API, no-script forms, health and the SPA.
pub fn app(service: Service, static_dir: &Path) -> Router {
    let (api, _) = api_router().split_for_parts();
    let api = api.fallback(not_found).method_not_allowed_fallback(method_not_allowed).layer(no_store());
    let settings = service.settings();
    let (body_limit, deadlines) = (settings.server.body_limit_bytes, edge::Deadlines::from_settings(&settings.server));
    let security_headers = SecurityHeaders::new(static_dir, &[forms::PAGE_STYLE], settings.server.hsts_max_age_secs);
    let public = Router::new()
        .nest(protocol::API_PREFIX, api)
        .merge(health::router())
        .merge(forms::router().layer(no_store()))
        .merge(help::router())
        .merge(province_entry::router(static_dir))
        // Metrics have a listener of their own (`metrics_app`); here a clear 404, not the SPA.
        .route("/metrics", any(not_found))
        .fallback_service(static_files::router(static_dir))
        .layer(axum::middleware::from_fn_with_state(service.clone(), metrics::time_requests))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(service)
        .layer(axum::middleware::from_fn_with_state(security_headers, security_headers::add))
        .layer(CompressionLayer::new());
    edge::layers(public, deadlines)
}

/// The operators' listener: `/metrics` only.
pub fn metrics_app(service: Service) -> Router {
    let deadlines = edge::Deadlines::from_settings(&service.settings().server);
    let metrics = Router::new().route("/metrics", get(metrics::render)).fallback(not_found).with_state(service);
    edge::layers(metrics, deadlines)
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
