//! Delivers provider events from the webhook outbox, at least once, with backoff. Each event
//! carries a unique id so a receiver can drop the duplicates that at-least-once implies.

use std::time::Duration;

use tokio::sync::watch;

use super::backoff::{delay_after, MAX_ATTEMPTS};
use crate::service::Service;
use crate::store::{DueWebhook, StoreError};
use crate::webhook::sender::deliver_body;

const LEASE_MILLIS: i64 = 60_000;
const BATCH: u32 = 20;

pub struct WebhookDispatcher {
    pub service: Service,
    pub http: reqwest::Client,
}

impl WebhookDispatcher {
    pub async fn run(self, interval: Duration, shutdown: watch::Receiver<bool>) {
        super::drain("webhook delivery", interval, self.service.webhook_queued(), shutdown, || deliver_once(&self))
            .await
    }
}

/// One batch; returns how many events it handled.
pub async fn deliver_once(d: &WebhookDispatcher) -> Result<usize, StoreError> {
    let due = d.service.store().claim_due_webhooks(d.service.now(), LEASE_MILLIS, BATCH).await?;
    for event in &due {
        deliver_one(d, event).await?;
    }
    Ok(due.len())
}

async fn deliver_one(d: &WebhookDispatcher, event: &DueWebhook) -> Result<(), StoreError> {
    let store = d.service.store();
    let now = d.service.now();
    // Exactly the bytes queued with the change, so a retry signs and sends the same event.
    let result =
        deliver_body(&d.http, &event.callback_url, event.callback_secret.as_bytes(), event.body.as_bytes()).await;
    match result {
        Ok(()) => {
            d.service.metrics().webhook("delivered");
            tracing::info!(event_id = event.id, filing_id = event.filing_id, "provider event delivered");
            store.webhook_done(&event.id, "delivered", now, None).await
        }
        Err(e) if e.retryable && event.attempts < MAX_ATTEMPTS => {
            d.service.metrics().webhook("retry");
            tracing::warn!(event_id = event.id, attempt = event.attempts, error = %e, "provider event not delivered; will retry");
            store.webhook_retry_later(&event.id, now + delay_after(event.attempts), &e.to_string()).await
        }
        Err(e) => {
            d.service.metrics().webhook("failed");
            tracing::error!(event_id = event.id, attempt = event.attempts, error = %e, "provider event given up");
            store.webhook_done(&event.id, "failed", now, Some(&e.to_string())).await
        }
    }
}
