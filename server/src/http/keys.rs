//! A provider rotates the API key it calls with (the new key is shown once; the old one keeps
//! working for the overlap) or revokes it at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Json, Router};
use serde::Serialize;

use super::auth::ProviderKey;
use super::error::ApiError;
use crate::clock::rfc3339;
use crate::service::Service;

pub fn router() -> Router<Service> {
    Router::new().route("/keys/rotate", post(rotate)).route("/keys/current", delete(revoke))
}

#[derive(Serialize)]
struct KeyRotated {
    /// The new key; shown only here.
    api_key: String,
    /// When the key this request was made with stops working (RFC 3339, UTC).
    previous_key_expires_at: String,
}

async fn rotate(
    State(service): State<Service>,
    ProviderKey { provider, key_hash }: ProviderKey,
) -> Result<(StatusCode, Json<KeyRotated>), ApiError> {
    let rotated = service.rotate_key(&provider.id, Some(&key_hash)).await?;
    let previous_key_expires_at = rfc3339(rotated.previous_keys_end_at);
    Ok((StatusCode::CREATED, Json(KeyRotated { api_key: rotated.api_key, previous_key_expires_at })))
}

async fn revoke(
    State(service): State<Service>,
    ProviderKey { provider, key_hash }: ProviderKey,
) -> Result<StatusCode, ApiError> {
    service.revoke_keys(&provider.id, Some(&key_hash)).await?;
    Ok(StatusCode::NO_CONTENT)
}
