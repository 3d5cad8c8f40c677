//! Access providers authenticate with `Authorization: Bearer <API key>`; keys are stored hashed,
//! and a key works until its end (set by a rotation or a revocation), if it has one.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use protocol::ProblemType;

use super::error::ApiError;
use crate::service::Service;
use crate::store::ProviderRecord;

/// The authenticated provider of this request.
pub struct Provider(pub ProviderRecord);

/// The authenticated provider and the keyed hash of the key it called with (to rotate or revoke
/// that key).
pub struct ProviderKey {
    pub provider: ProviderRecord,
    pub key_hash: Vec<u8>,
}

impl FromRequestParts<Service> for ProviderKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, service: &Service) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| ApiError::new(ProblemType::Unauthorized))?;
        let (provider, key_hash) =
            service.provider_by_key(key).await?.ok_or_else(|| ApiError::new(ProblemType::Unauthorized))?;
        Ok(ProviderKey { provider, key_hash })
    }
}

impl FromRequestParts<Service> for Provider {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, service: &Service) -> Result<Self, Self::Rejection> {
        Ok(Provider(ProviderKey::from_request_parts(parts, service).await?.provider))
    }
}
