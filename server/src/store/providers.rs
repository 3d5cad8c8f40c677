//! Access providers and their API keys (stored as keyed hashes in `provider_keys`; a provider may
//! have several while one rotates, each with an optional end).

use sqlx::{Row, Sqlite, Transaction};

use super::{Store, StoreResult};
use crate::clock::Millis;

#[derive(Debug, Clone)]
pub struct ProviderRecord {
    pub id: String,
    pub name: String,
    pub callback_url: Option<String>,
    pub callback_secret: Option<String>,
}

impl Store {
    pub async fn insert_provider(&self, id: &str, name: &str, key_hash: &[u8], now: Millis) -> StoreResult<()> {
        let _lane = self.write_lane().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("INSERT INTO providers (id, name, key_hash, created_at) VALUES (?, ?, ?, ?)")
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
        let row = sqlx::query(
            "SELECT p.id, p.name, p.callback_url, p.callback_secret FROM provider_keys k \
             JOIN providers p ON p.id = k.provider_id \
             WHERE k.key_hash = ? AND (k.expires_at IS NULL OR k.expires_at > ?)",
        )
        .bind(key_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| ProviderRecord {
            id: r.get("id"),
            name: r.get("name"),
            callback_url: r.get("callback_url"),
            callback_secret: r.get("callback_secret"),
        }))
    }

    /// Sets (or clears, with `None`) where a provider's events are delivered, and their signing secret.
    pub async fn set_provider_callback(&self, provider_id: &str, callback: Option<(&str, &str)>) -> StoreResult<bool> {
        let _lane = self.write_lane().await;
        let (url, secret) = callback.unzip();
        let done = sqlx::query("UPDATE providers SET callback_url = ?, callback_secret = ? WHERE id = ?")
            .bind(url)
            .bind(secret)
            .bind(provider_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Adds `new_key_hash` to the provider's keys and ends its older keys at `old_keys_end`
    /// (sooner ends are kept): only the key `rotated` when given, else every key it has.
    /// Returns false when there is no such provider.
    pub async fn rotate_provider_key(
        &self,
        provider_id: &str,
        rotated: Option<&[u8]>,
        new_key_hash: &[u8],
        old_keys_end: Millis,
        now: Millis,
    ) -> StoreResult<bool> {
        let _lane = self.write_lane().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM providers WHERE id = ?")
            .bind(provider_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE provider_keys SET expires_at = MIN(COALESCE(expires_at, ?), ?) \
             WHERE provider_id = ? AND (? IS NULL OR key_hash = ?)",
        )
        .bind(old_keys_end)
        .bind(old_keys_end)
        .bind(provider_id)
        .bind(rotated)
        .bind(rotated)
        .execute(&mut *tx)
        .await?;
        insert_key(&mut tx, provider_id, new_key_hash, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends at `now` the key `only` when given, else every key of the provider; returns how many
    /// keys were still working.
    pub async fn revoke_provider_keys(&self, provider_id: &str, only: Option<&[u8]>, now: Millis) -> StoreResult<u64> {
        let _lane = self.write_lane().await;
        let done = sqlx::query(
            "UPDATE provider_keys SET expires_at = ? \
             WHERE provider_id = ? AND (? IS NULL OR key_hash = ?) AND (expires_at IS NULL OR expires_at > ?)",
        )
        .bind(now)
        .bind(provider_id)
        .bind(only)
        .bind(only)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

async fn insert_key(
    tx: &mut Transaction<'_, Sqlite>,
    provider_id: &str,
    key_hash: &[u8],
    now: Millis,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO provider_keys (key_hash, provider_id, created_at) VALUES (?, ?, ?)")
        .bind(key_hash)
        .bind(provider_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
