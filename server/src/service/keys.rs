//! Providers' API keys: rotation (a new key; the old one keeps working for the overlap, so a
//! provider can roll it out without an outage) and revocation (at once, e.g. after a leak).
//! Keys are shown once and stored only as keyed hashes.

use super::{Service, ServiceError, ServiceResult};
use crate::clock::Millis;
use crate::domain::ProviderId;
use crate::secrets;

/// A new key, shown once, and when the key(s) it replaces stop working.
#[derive(Debug)]
pub struct RotatedKey {
    pub api_key: String,
    pub previous_keys_end_at: Millis,
}

impl Service {
    /// Gives `provider_id` a new key and ends its old one after the overlap: only the key
    /// `calling` (hashed) when given (a provider rotating the key it uses), else all its keys
    /// (the operator's `rotate-key`).
    pub async fn rotate_key(&self, provider_id: &ProviderId, calling: Option<&[u8]>) -> ServiceResult<RotatedKey> {
        let now = self.now();
        let overlap = i64::try_from(self.settings().limits.key_rotation_overlap_secs.saturating_mul(1000))
            .unwrap_or(i64::MAX / 2);
        let previous_keys_end_at = now.saturating_add(overlap);
        let api_key = secrets::new_api_key();
        let hash = self.api_key_hash(&api_key);
        if !self.store().rotate_provider_key(provider_id, calling, &hash, previous_keys_end_at, now).await? {
            return Err(ServiceError::NotFound);
        }
        tracing::info!(%provider_id, every_key = calling.is_none(), overlap_ms = overlap, "API key rotated");
        Ok(RotatedKey { api_key, previous_keys_end_at })
    }

    /// Ends at once the key `only` (hashed) when given, else every key of the provider; returns
    /// how many keys stopped working.
    pub async fn revoke_keys(&self, provider_id: &ProviderId, only: Option<&[u8]>) -> ServiceResult<u64> {
        let revoked = self.store().revoke_provider_keys(provider_id, only, self.now()).await?;
        tracing::warn!(%provider_id, revoked, every_key = only.is_none(), "API keys revoked");
        Ok(revoked)
    }
}
