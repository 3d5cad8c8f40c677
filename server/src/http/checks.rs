//! The people verifying, no login: check by form, read and use a short link, ask for a resend.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use protocol::{CheckOutcome, CheckRequest, LinkCheckRequest, LinkLanding, ProblemType, ResendOutcome, ResendRequest};

use super::client_addr::ClientAddr;
use super::error::ApiError;
use super::extract::ApiJson;
use crate::service::Service;

pub fn router() -> Router<Service> {
    Router::new()
        .route("/checks", post(check))
        .route("/links/{token}", get(landing))
        .route("/links/{token}/checks", post(link_check))
        .route("/resends", post(resend))
}

async fn check(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<CheckRequest>,
) -> Result<Json<CheckOutcome>, ApiError> {
    let parsed = request.parse().map_err(ApiError::fields)?;
    Ok(Json(service.check(&parsed, client).await?))
}

async fn landing(State(service): State<Service>, Path(token): Path<String>) -> Result<Json<LinkLanding>, ApiError> {
    let landing = service.landing(&token).await?;
    landing.map(Json).ok_or_else(|| ApiError::new(ProblemType::NotFound))
}

async fn link_check(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    Path(token): Path<String>,
    ApiJson(request): ApiJson<LinkCheckRequest>,
) -> Result<Json<CheckOutcome>, ApiError> {
    let suffix = request.parse().map_err(ApiError::fields)?;
    Ok(Json(service.link_check(&token, &suffix, client).await?))
}

async fn resend(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<ResendRequest>,
) -> Result<Json<ResendOutcome>, ApiError> {
    let (phone, suffix) = request.parse().map_err(ApiError::fields)?;
    Ok(Json(service.resend_for_person(&phone, &suffix, client).await?))
}
