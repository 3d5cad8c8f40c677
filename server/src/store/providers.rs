//! Access providers and their API keys (stored as keyed hashes in `provider_keys`; a provider may
//! have several while one rotates, each with an optional end).

use sqlx::{AnyConnection, FromRow};

use super::{Store, StoreResult};
use crate::clock::Millis;
use crate::domain::ProviderId;

/// The provider a request's key authenticates: who it is, nothing more (its callback is read
/// where events are delivered).
#[derive(Debug, Clone, FromRow)]
pub struct ProviderRecord {
    pub id: ProviderId,
    pub name: String,
}

impl Store {
    pub async fn insert_provider(&self, id: &ProviderId, name: &str, key_hash: &[u8], now: Millis) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO providers (id, name, key_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(name)
            .bind(key_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        insert_key(&mut tx, id, key_hash, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The provider whose key hashes to `key_hash`, if that key has not ended by `now`.
    pub async fn provider_by_key_hash(&self, key_hash: &[u8], now: Millis) -> StoreResult<Option<ProviderRecord>> {
        Ok(sqlx::query_as(
            "SELECT p.id, p.name FROM provider_keys k \
             JOIN providers p ON p.id = k.provider_id \
             WHERE k.key_hash = $1 AND (k.expires_at IS NULL OR k.expires_at > $2)",
        )
        .bind(key_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Sets (or clears, with `None`) where a provider's events are delivered, and their signing
    /// secret. The secret is stored as given (signing needs it) and read back only by the
    /// webhook claim (`claim_due_webhooks`), never with the provider a request authenticates as.
    pub async fn set_provider_callback(
        &self,
        provider_id: &ProviderId,
        callback: Option<(&str, &str)>,
    ) -> StoreResult<bool> {
        let (url, secret) = callback.unzip();
        let done = self
            .write_one(
                sqlx::query("UPDATE providers SET callback_url = $1, callback_secret = $2 WHERE id = $3")
                    .bind(url)
                    .bind(secret)
                    .bind(provider_id),
            )
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Adds `new_key_hash` to the provider's keys and ends its older keys at `old_keys_end`
    /// (sooner ends are kept): only the key `rotated` when given, else every key it has.
    /// Returns false when there is no such provider.
    pub async fn rotate_provider_key(
        &self,
        provider_id: &ProviderId,
        rotated: Option<&[u8]>,
        new_key_hash: &[u8],
        old_keys_end: Millis,
        now: Millis,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let exists: Option<ProviderId> = sqlx::query_scalar("SELECT id FROM providers WHERE id = $1")
            .bind(provider_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE provider_keys \
             SET expires_at = CASE WHEN expires_at IS NOT NULL AND expires_at < $1 THEN expires_at ELSE $1 END \
             WHERE provider_id = $2 AND ($3 IS NULL OR key_hash = $3)",
        )
        .bind(old_keys_end)
        .bind(provider_id)
        .bind(rotated)
        .execute(&mut *tx)
        .await?;
        insert_key(&mut tx, provider_id, new_key_hash, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends at `now` the key `only` when given, else every key of the provider; returns how many
    /// keys were still working.
    pub async fn revoke_provider_keys(
        &self,
        provider_id: &ProviderId,
        only: Option<&[u8]>,
        now: Millis,
    ) -> StoreResult<u64> {
        let done = self
            .write_one(
                sqlx::query(
                    "UPDATE provider_keys SET expires_at = $1 \
             WHERE provider_id = $2 AND ($3 IS NULL OR key_hash = $3) AND (expires_at IS NULL OR expires_at > $1)",
                )
                .bind(now)
                .bind(provider_id)
                .bind(only),
            )
            .await?;
        Ok(done.rows_affected())
    }
}

async fn insert_key(tx: &mut AnyConnection, provider_id: &ProviderId, key_hash: &[u8], now: Millis) -> StoreResult<()> {
    sqlx::query("INSERT INTO provider_keys (key_hash, provider_id, created_at) VALUES ($1, $2, $3)")
        .bind(key_hash)
        .bind(provider_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
