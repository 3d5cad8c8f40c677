//! The expiry sweeper, and the clean-up of old rate-limit windows.

use std::time::Duration;

use tokio::sync::watch;

use crate::service::Service;

pub async fn run(service: Service, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    let idle = tokio::sync::Notify::new();
    loop {
        match service.expire_due().await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "expired verifications"),
            Err(e) => tracing::error!(error = %e, "expiry sweep failed"),
        }
        let two_hours_ago = service.now() - 2 * 3_600_000;
        if let Err(e) = service.store().forget_counters_before(two_hours_ago).await {
            tracing::warn!(error = %e, "could not clean rate counters");
        }
        if !super::pause(interval, &idle, &mut shutdown).await {
            return;
        }
    }
}
