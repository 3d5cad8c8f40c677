//! SMS quotas: sliding-window counters (`sms_quota_counters`), checked and taken together in one
//! write transaction, so several replicas never let more through than the quota, and a refused
//! ask takes nothing.

use sqlx::AnyConnection;

use super::resend::ResendTx;
use super::{Store, StoreResult};
use crate::clock::Millis;
use crate::domain::sliding_window::{admit, WindowCounts};

/// `wanted` units of the quota `key` (at most `limit` per sliding `window`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaAsk {
    pub key: String,
    pub window: Millis,
    pub limit: u32,
    pub wanted: u32,
}

/// The answer to a set of asks: all taken, or none (the first that did not fit, and when it would).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaTaken {
    All,
    Refused { ask: usize, retry_after: Millis },
}

impl Store {
    /// Takes every ask, or none (a refusal rolls back what it counted).
    pub async fn take_quota(&self, asks: &[QuotaAsk], now: Millis) -> StoreResult<QuotaTaken> {
        let mut tx = self.begin_write().await?;
        let taken = take(&mut tx, asks, now).await?;
        if taken == QuotaTaken::All {
            tx.commit().await?;
        }
        Ok(taken)
    }

    /// Gives back what [`Store::take_quota`] took at `taken_at` (a submit that turned out to be an
    /// idempotent replay sends nothing).
    pub async fn return_quota(&self, asks: &[QuotaAsk], taken_at: Millis) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for ask in asks {
            sqlx::query(
                "UPDATE sms_quota_counters SET count = CASE WHEN count > $1 THEN count - $1 ELSE 0 END \
                 WHERE key = $2 AND window_start = $3",
            )
            .bind(i64::from(ask.wanted))
            .bind(&ask.key)
            .bind(window_start(taken_at, ask.window))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Drops windows that no sliding window reaches any more.
    pub async fn forget_quota_counters_before(&self, before: Millis) -> StoreResult<u64> {
        let done =
            self.write_one(sqlx::query("DELETE FROM sms_quota_counters WHERE window_start < $1").bind(before)).await?;
        Ok(done.rows_affected())
    }
}

impl ResendTx {
    /// As [`Store::take_quota`], inside the resend's transaction (it already holds the write lock);
    /// dropping the transaction gives it back.
    pub async fn take_quota(&mut self, asks: &[QuotaAsk], now: Millis) -> StoreResult<QuotaTaken> {
        take(self.connection(), asks, now).await
    }
}

fn window_start(now: Millis, window: Millis) -> Millis {
    now - now.rem_euclid(window)
}

/// Counts each ask first (the upsert locks its window's row, so concurrent takers on any replica
/// queue there), then judges it on the counts as they were before; a refusal leaves the
/// increments for the caller to roll back.
async fn take(conn: &mut AnyConnection, asks: &[QuotaAsk], now: Millis) -> StoreResult<QuotaTaken> {
    for (index, ask) in asks.iter().enumerate() {
        let start = window_start(now, ask.window);
        let wanted = i64::from(ask.wanted);
        let counted: i64 = sqlx::query_scalar(
            "INSERT INTO sms_quota_counters (key, window_start, count) VALUES ($1, $2, $3) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = sms_quota_counters.count + excluded.count \
             RETURNING count",
        )
        .bind(&ask.key)
        .bind(start)
        .bind(wanted)
        .fetch_one(&mut *conn)
        .await?;
        let previous: i64 =
            sqlx::query_scalar("SELECT count FROM sms_quota_counters WHERE key = $1 AND window_start = $2")
                .bind(&ask.key)
                .bind(start - ask.window)
                .fetch_optional(&mut *conn)
                .await?
                .unwrap_or(0);
        let counts = WindowCounts {
            window: ask.window,
            previous: previous.max(0) as u64,
            current: (counted - wanted).max(0) as u64,
            elapsed: now - start,
        };
        if let Err(retry_after) = admit(counts, u64::from(ask.limit), u64::from(ask.wanted)) {
            return Ok(QuotaTaken::Refused { ask: index, retry_after });
        }
    }
    Ok(QuotaTaken::All)
}
