//! Fixed-window counters in the database, so every replica enforces the same limits.

use super::{Store, StoreResult};
use crate::clock::Millis;

impl Store {
    /// Adds one to `key`'s counter for the window starting at `window_start`; returns the new count.
    pub async fn count_hit(&self, key: &str, window_start: Millis) -> StoreResult<i64> {
        let _lane = self.write_lane().await;
        Ok(sqlx::query_scalar(
            "INSERT INTO rate_counters (key, window_start, count) VALUES (?, ?, 1) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1 RETURNING count",
        )
        .bind(key)
        .bind(window_start)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn count_of(&self, key: &str, window_start: Millis) -> StoreResult<i64> {
        let count: Option<i64> =
            sqlx::query_scalar("SELECT count FROM rate_counters WHERE key = ? AND window_start = ?")
                .bind(key)
                .bind(window_start)
                .fetch_optional(&self.pool)
                .await?;
        Ok(count.unwrap_or(0))
    }

    /// Drops windows that ended before `before`.
    pub async fn forget_counters_before(&self, before: Millis) -> StoreResult<u64> {
        let _lane = self.write_lane().await;
        let done =
            sqlx::query("DELETE FROM rate_counters WHERE window_start < ?").bind(before).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}
