//! Delivers provider events from the webhook outbox, at least once, with backoff. Each event
//! carries a unique id so a receiver can drop the duplicates that at-least-once implies.
//!
//! Deliveries run concurrently: at most `webhook_concurrency` in this process and at most
//! `webhook_concurrency_per_provider` for one provider, and the loop keeps claiming while some
//! are in flight, so a receiver that hangs holds only its own provider's slots.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use super::backoff::{delay_after, MAX_ATTEMPTS};
use crate::clock::Millis;
use crate::config::JobSettings;
use crate::domain::ProviderId;
use crate::service::Service;
use crate::store::{DueWebhook, StoreError};
use crate::webhook::sender::deliver_body;
use crate::webhook::WebhookClient;

/// Room in a lease for the store writes around an attempt (claim, result) on a busy database.
const LEASE_MARGIN_MILLIS: Millis = 30_000;

/// How long a claimed event is ours. A claimed event waits at most one round of its provider's
/// deliveries already in flight (each bounded by the outbound timeout) for a slot, then takes its
/// own attempt (bounded by the same timeout): two timeouts and a margin, so a lease never runs
/// out while its attempt is still going (which would let another replica deliver it twice).
pub fn lease_millis(jobs: &JobSettings) -> Millis {
    let timeout = i64::try_from(jobs.outbound_timeout_secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4);
    timeout.saturating_mul(2).saturating_add(LEASE_MARGIN_MILLIS)
}

/// The settings the dispatcher depends on, checked at start.
pub fn check_settings(jobs: &JobSettings) -> Result<(), String> {
    if jobs.webhook_concurrency == 0 || jobs.webhook_concurrency_per_provider == 0 {
        return Err("BEIAN_WEBHOOK_CONCURRENCY and BEIAN_WEBHOOK_CONCURRENCY_PER_PROVIDER must be at least 1".into());
    }
    if jobs.outbound_timeout_secs == 0 || jobs.outbound_timeout_secs > 3600 {
        return Err("BEIAN_OUTBOUND_TIMEOUT_SECS must be between 1 and 3600".into());
    }
    Ok(())
}

pub struct WebhookDispatcher {
    pub service: Service,
    pub client: WebhookClient,
}

/// Deliveries this process holds for one provider: running, or waiting for a slot.
struct ProviderSlots {
    held: usize,
    running: Arc<Semaphore>,
}

impl WebhookDispatcher {
    /// Until shutdown: claims what fits in the free slots, starts each delivery, and claims again
    /// when one ends, when woken, or after `interval`. At shutdown, lets the deliveries in flight
    /// end (each is bounded by the outbound timeout).
    pub async fn run(self, interval: Duration, mut shutdown: watch::Receiver<bool>) {
        let settings = self.service.settings();
        let global = settings.jobs.webhook_concurrency as usize;
        let per_provider = settings.jobs.webhook_concurrency_per_provider;
        let lease = lease_millis(&settings.jobs);
        let mut in_flight: JoinSet<()> = JoinSet::new();
        let mut owner: HashMap<tokio::task::Id, ProviderId> = HashMap::new();
        let mut providers: HashMap<ProviderId, ProviderSlots> = HashMap::new();
        loop {
            let free = global.saturating_sub(in_flight.len());
            let mut claimed_full = false;
            if free > 0 {
                let full: Vec<ProviderId> = providers
                    .iter()
                    .filter(|(_, slots)| slots.held >= per_provider as usize)
                    .map(|(id, _)| id.clone())
                    .collect();
                let now = self.service.now();
                match self.service.store().claim_due_webhooks(now, lease, free as u32, per_provider, &full).await {
                    Ok(due) => {
                        claimed_full = due.len() == free;
                        for event in due {
                            let slots = providers.entry(event.provider_id.clone()).or_insert_with(|| ProviderSlots {
                                held: 0,
                                running: Arc::new(Semaphore::new(per_provider as usize)),
                            });
                            slots.held += 1;
                            let running = slots.running.clone();
                            let (service, client) = (self.service.clone(), self.client.clone());
                            let provider_id = event.provider_id.clone();
                            let task = in_flight.spawn(async move {
                                // Fair (FIFO), so a waiting event starts within one round.
                                let _slot = running.acquire_owned().await;
                                if let Err(e) = deliver_one(&service, &client, &event).await {
                                    tracing::error!(event_id = %event.id, error = %e, "recording a delivery failed");
                                }
                            });
                            owner.insert(task.id(), provider_id);
                        }
                    }
                    Err(e) => tracing::error!(job = "webhook delivery", error = %e, "background job failed"),
                }
            }
            if *shutdown.borrow() {
                break;
            }
            // Every slot was filled: there may be more due; claim again once one frees up.
            let sleep = if claimed_full && in_flight.len() < global { Duration::ZERO } else { interval };
            tokio::select! {
                Some(done) = in_flight.join_next_with_id(), if !in_flight.is_empty() => {
                    let id = match done {
                        Ok((id, ())) => id,
                        Err(e) => e.id(),
                    };
                    if let Some(provider_id) = owner.remove(&id) {
                        release(&mut providers, &provider_id);
                    }
                }
                _ = tokio::time::sleep(sleep) => {}
                _ = self.service.webhook_queued().notified() => {}
                _ = shutdown.changed() => break,
            }
        }
        while in_flight.join_next().await.is_some() {}
    }
}

fn release(providers: &mut HashMap<ProviderId, ProviderSlots>, provider_id: &ProviderId) {
    if let Some(slots) = providers.get_mut(provider_id) {
        slots.held = slots.held.saturating_sub(1);
        if slots.held == 0 {
            providers.remove(provider_id);
        }
    }
}

async fn deliver_one(service: &Service, client: &WebhookClient, event: &DueWebhook) -> Result<(), StoreError> {
    let store = service.store();
    // Exactly the bytes queued with the change, under the same id, so a retry is the same message.
    let result = deliver_body(client, &event.callback_url, &event.signing_key, &event.id, event.body.as_bytes()).await;
    let now = service.now();
    match result {
        Ok(()) => {
            service.metrics().webhook("delivered");
            tracing::info!(event_id = %event.id, filing_id = %event.filing_id, "provider event delivered");
            store.webhook_done(&event.id, "delivered", now, None).await
        }
        Err(e) if e.retryable && event.attempts < MAX_ATTEMPTS => {
            service.metrics().webhook("retry");
            tracing::warn!(event_id = %event.id, attempt = event.attempts, error = %e, "provider event not delivered; will retry");
            store.webhook_retry_later(&event.id, now + delay_after(event.attempts), &e.to_string()).await
        }
        Err(e) => {
            service.metrics().webhook("failed");
            // The reason never holds the URL (its query may carry the provider's key).
            tracing::error!(event_id = %event.id, attempt = event.attempts, error = %e, "provider event given up");
            store.webhook_done(&event.id, "failed", now, Some(&e.to_string())).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    #[test]
    fn a_lease_outlasts_a_wait_for_a_slot_and_an_attempt_whatever_the_timeout() {
        for timeout_secs in [1, 10, 60, 3600] {
            let jobs = JobSettings { outbound_timeout_secs: timeout_secs, ..Settings::defaults().jobs };
            let attempt = timeout_secs as i64 * 1000;
            assert!(lease_millis(&jobs) >= 2 * attempt + LEASE_MARGIN_MILLIS, "{timeout_secs}");
            assert_eq!(check_settings(&jobs), Ok(()));
        }
    }

    #[test]
    fn zero_concurrency_or_timeout_is_refused_at_start() {
        let defaults = Settings::defaults().jobs;
        assert!(check_settings(&JobSettings { webhook_concurrency: 0, ..defaults.clone() }).is_err());
        assert!(check_settings(&JobSettings { webhook_concurrency_per_provider: 0, ..defaults.clone() }).is_err());
        assert!(check_settings(&JobSettings { outbound_timeout_secs: 0, ..defaults }).is_err());
    }
}
