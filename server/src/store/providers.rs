//! Access providers and their API keys (stored as keyed hashes).

use sqlx::Row;

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
        sqlx::query("INSERT INTO providers (id, name, key_hash, created_at) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(name)
            .bind(key_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn provider_by_key_hash(&self, key_hash: &[u8]) -> StoreResult<Option<ProviderRecord>> {
        let row = sqlx::query("SELECT id, name, callback_url, callback_secret FROM providers WHERE key_hash = ?")
            .bind(key_hash)
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
}
