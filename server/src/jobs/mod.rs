//! Background jobs: SMS dispatch, provider event delivery, expiry. Each is safe to run on every
//! replica at once (rows are claimed with leases; state changes are conditional), and each stops
//! when the shutdown signal flips.

mod backoff;
mod expiry;
mod sms_dispatch;
pub mod webhook_dispatch;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::service::Service;
use crate::sms::{Router as CarrierRouter, SenderNumbers, SmsGateway};
use crate::webhook::WebhookClient;

use sms_dispatch::SmsDispatcher;
use webhook_dispatch::WebhookDispatcher;

/// What the jobs need beyond the service.
pub struct Jobs {
    pub service: Service,
    pub gateway: Arc<dyn SmsGateway>,
    pub carriers: Arc<CarrierRouter>,
    pub senders: Arc<SenderNumbers>,
    pub webhooks: WebhookClient,
}

impl Jobs {
    pub fn spawn(self, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
        let interval = Duration::from_millis(self.service.settings().jobs.job_interval_millis);
        let sms = SmsDispatcher {
            service: self.service.clone(),
            gateway: self.gateway,
            carriers: self.carriers,
            senders: self.senders,
        };
        let webhooks = WebhookDispatcher { service: self.service.clone(), client: self.webhooks };
        vec![
            tokio::spawn(sms.run(interval, shutdown.clone())),
            tokio::spawn(webhooks.run(interval, shutdown.clone())),
            tokio::spawn(expiry::run(self.service, interval, shutdown)),
        ]
    }
}

/// Runs `batch` until shutdown: again at once while it finds work, otherwise after `interval` or
/// when woken.
pub(crate) async fn drain<F, Fut>(
    name: &str,
    interval: Duration,
    wake: &tokio::sync::Notify,
    mut shutdown: watch::Receiver<bool>,
    mut batch: F,
) where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<usize, crate::store::StoreError>>,
{
    loop {
        let handled = batch().await.unwrap_or_else(|e| {
            tracing::error!(job = name, error = %e, "background job failed");
            0
        });
        if *shutdown.borrow() || (handled == 0 && !pause(interval, wake, &mut shutdown).await) {
            return;
        }
    }
}

/// Waits for `interval`, a wake-up, or shutdown; returns false on shutdown.
pub(crate) async fn pause(
    interval: Duration,
    wake: &tokio::sync::Notify,
    shutdown: &mut watch::Receiver<bool>,
) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(interval) => true,
        _ = wake.notified() => true,
        _ = shutdown.changed() => false,
    }
}
