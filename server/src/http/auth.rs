//! Access providers authenticate with `Authorization: Bearer <API key>`; keys are stored hashed.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use protocol::ProblemType;

use super::error::ApiError;
use crate::service::Service;
use crate::store::ProviderRecord;

/// The authenticated provider of this request.
pub struct Provider(pub ProviderRecord);

impl FromRequestParts<Service> for Provider {
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
        let provider = service
            .store()
            .provider_by_key_hash(&service.api_key_hash(key))
            .await?
            .ok_or_else(|| ApiError::new(ProblemType::Unauthorized))?;
        Ok(Provider(provider))
    }
}
