//! `/healthz` (the process is up) and `/readyz` (it can reach its database).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use protocol::ProblemType;

use super::error::ApiError;
use crate::service::Service;

pub fn router() -> Router<Service> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(service): State<Service>) -> Result<(StatusCode, &'static str), ApiError> {
    match service.ready().await {
        Ok(()) => Ok((StatusCode::OK, "ready")),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            Err(ApiError::new(ProblemType::Unavailable))
        }
    }
}
