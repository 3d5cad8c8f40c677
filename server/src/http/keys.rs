//! A provider rotates the API key it calls with (the new key is shown once; the old one keeps
//! working for the overlap) or revokes it at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::ProviderKey;
use super::error::ApiError;
use super::openapi::{Internal, RequestTimeout, Unauthorized};
use crate::clock::rfc3339;
use crate::service::Service;

pub fn router() -> OpenApiRouter<Service> {
    OpenApiRouter::new().routes(routes!(rotate)).routes(routes!(revoke))
}

#[derive(Serialize, utoipa::ToSchema)]
struct KeyRotated {
    /// The new key; shown only here.
    api_key: String,
    /// When the key this request was made with stops working (RFC 3339, UTC).
    #[schema(format = DateTime)]
    previous_key_expires_at: String,
}

/// Rotate the API key this request is made with.
///
/// Issues a new key, shown only in this answer. The key this request was made with keeps working
/// until `previous_key_expires_at` (the deployment's rotation overlap, 24 hours by default), then
/// stops.
#[utoipa::path(
    post,
    path = "/keys/rotate",
    operation_id = "rotateKey",
    tag = "providers",
    security(("providerKey" = [])),
    responses(
        (status = 201, description = "The new key.", body = KeyRotated),
        (status = 401, response = Unauthorized),
        (status = 408, response = RequestTimeout),
        (status = 500, response = Internal),
    )
)]
async fn rotate(
    State(service): State<Service>,
    ProviderKey { provider, key_hash }: ProviderKey,
) -> Result<(StatusCode, Json<KeyRotated>), ApiError> {
    let rotated = service.rotate_key(&provider.id, Some(&key_hash)).await?;
    let previous_key_expires_at = rfc3339(rotated.previous_keys_end_at);
    Ok((StatusCode::CREATED, Json(KeyRotated { api_key: rotated.api_key, previous_key_expires_at })))
}

/// Revoke the API key this request is made with, at once.
#[utoipa::path(
    delete,
    path = "/keys/current",
    operation_id = "revokeKey",
    tag = "providers",
    security(("providerKey" = [])),
    responses(
        (status = 204, description = "Revoked; the key is refused from now on."),
        (status = 401, response = Unauthorized),
        (status = 408, response = RequestTimeout),
        (status = 500, response = Internal),
    )
)]
async fn revoke(
    State(service): State<Service>,
    ProviderKey { provider, key_hash }: ProviderKey,
) -> Result<StatusCode, ApiError> {
    service.revoke_keys(&provider.id, Some(&key_hash)).await?;
    Ok(StatusCode::NO_CONTENT)
}
