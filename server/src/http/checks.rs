//! The people verifying, no login: check by form, read and use a short link, ask for a resend.

use axum::extract::{Path, State};
use axum::Json;
use protocol::{CheckOutcome, CheckRequest, LinkCheckRequest, LinkLanding, ProblemType, ResendOutcome, ResendRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::client_addr::ClientAddr;
use super::error::ApiError;
use super::extract::ApiJson;
use super::openapi::{Internal, InvalidInput, JsonBodyErrors, NotFound, RateLimited, RequestTimeout};
use crate::service::Service;

pub fn router() -> OpenApiRouter<Service> {
    OpenApiRouter::new()
        .routes(routes!(check))
        .routes(routes!(landing))
        .routes(routes!(link_check))
        .routes(routes!(resend))
}

/// Check a code with the phone number and ID suffix.
///
/// Every outcome, `failed` and `not_found` included, is a 200. The name is masked (张*) unless the
/// code was right. Only an answer that would be wrong is ever refused with a 429.
#[utoipa::path(
    post,
    path = "/checks",
    operation_id = "check",
    request_body = CheckRequest,
    tag = "people",
    responses(
        (status = 200, description = "The outcome.", body = CheckOutcome),
        JsonBodyErrors,
        (status = 422, response = InvalidInput),
        (status = 429, response = RateLimited),
    )
)]
async fn check(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<CheckRequest>,
) -> Result<Json<CheckOutcome>, ApiError> {
    let parsed = request.parse().map_err(ApiError::fields)?;
    Ok(Json(service.check(&parsed, client).await?))
}

/// A short link's landing data: who and what is being verified (the name masked).
#[utoipa::path(
    get,
    path = "/links/{token}",
    operation_id = "landing",
    tag = "people",
    params(("token" = String, Path, description = "The token of the short link in the SMS.")),
    responses(
        (status = 200, description = "Who and what is being verified.", body = LinkLanding),
        (status = 404, response = NotFound),
        (status = 408, response = RequestTimeout),
        (status = 500, response = Internal),
    )
)]
async fn landing(State(service): State<Service>, Path(token): Path<String>) -> Result<Json<LinkLanding>, ApiError> {
    let landing = service.landing(&token).await?;
    landing.map(Json).ok_or_else(|| ApiError::new(ProblemType::NotFound))
}

/// Check through a short link with the ID suffix.
///
/// A wrong suffix answers `wrong_suffix` with the tries this link has left, then `link_disabled`;
/// the code still works on the form.
#[utoipa::path(
    post,
    path = "/links/{token}/checks",
    operation_id = "linkCheck",
    request_body = LinkCheckRequest,
    tag = "people",
    params(("token" = String, Path, description = "The token of the short link in the SMS.")),
    responses(
        (status = 200, description = "The outcome.", body = CheckOutcome),
        JsonBodyErrors,
        (status = 404, response = NotFound),
        (status = 422, response = InvalidInput),
        (status = 429, response = RateLimited),
    )
)]
async fn link_check(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    Path(token): Path<String>,
    ApiJson(request): ApiJson<LinkCheckRequest>,
) -> Result<Json<CheckOutcome>, ApiError> {
    let suffix = request.parse().map_err(ApiError::fields)?;
    Ok(Json(service.link_check(&token, &suffix, client).await?))
}

/// Ask for a new SMS (用户手动重发).
///
/// Answers `requested` whether or not the number and suffix matched (and when asked again too
/// soon), or `limit_reached` for a matching number and suffix.
#[utoipa::path(
    post,
    path = "/resends",
    operation_id = "resend",
    request_body = ResendRequest,
    tag = "people",
    responses(
        (status = 200, description = "`requested` or `limit_reached`.", body = ResendOutcome),
        JsonBodyErrors,
        (status = 422, response = InvalidInput),
        (status = 429, response = RateLimited),
    )
)]
async fn resend(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<ResendRequest>,
) -> Result<Json<ResendOutcome>, ApiError> {
    let (phone, suffix) = request.parse().map_err(ApiError::fields)?;
    Ok(Json(service.resend_for_person(&phone, &suffix, client).await?))
}
