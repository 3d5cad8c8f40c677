//! The expiry sweeper, and the clean-up of spent rate-limit cells.

use std::time::Duration;

use tokio::sync::watch;

use crate::service::Service;

/// A spent cell limits nothing; dropping them hourly keeps the table small.
const CLEAN_EVERY: i64 = 3_600_000;

pub async fn run(service: Service, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    let idle = tokio::sync::Notify::new();
    let mut cleaned_at = i64::MIN;
    loop {
        match service.expire_due().await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "expired verifications"),
            Err(e) => tracing::error!(error = %e, "expiry sweep failed"),
        }
        let now = service.now();
        if now.saturating_sub(cleaned_at) >= CLEAN_EVERY {
            match service.store().forget_spent_limits(now).await {
                Ok(_) => cleaned_at = now,
                Err(e) => tracing::warn!(error = %e, "could not clean rate limits"),
            }
        }
        if !super::pause(interval, &idle, &mut shutdown).await {
            return;
        }
    }
}
