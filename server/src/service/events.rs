//! Telling providers: a filing that completes or is returned queues a signed event in the same
//! transaction that changed it, so the event exists exactly when the change does.

use super::Service;
use crate::clock::{to_datetime, Millis};
use crate::domain::FilingState;
use crate::store::{CheckTx, Transition};
use crate::webhook::WebhookEvent;

impl Service {
    pub(super) fn queue_events(&self, tx: &mut CheckTx, transitions: &[Transition], now: Millis) {
        for transition in transitions {
            let (provider_id, event) = match transition {
                Transition::Completed { filing_id, provider_id, reference, province } => (
                    provider_id,
                    WebhookEvent::completed(filing_id.clone(), reference.clone(), to_datetime(now))
                        .in_province(province.code.clone(), province.authority.clone()),
                ),
                // A returned request goes back to its provider, not to the 管局.
                Transition::Returned { filing_id, provider_id, reference, province, reason } => (
                    provider_id,
                    WebhookEvent::returned(filing_id.clone(), reference.clone(), *reason, to_datetime(now))
                        .in_province(province.code.clone(), None),
                ),
            };
            tx.queue_webhook(&event.id, provider_id, &event.filing_id, &event_body(&event), now);
        }
    }

    /// Logs and counts what changed, after commit; wakes the webhook dispatcher.
    pub(super) fn announce(&self, transitions: &[Transition]) {
        for transition in transitions {
            match transition {
                Transition::Completed { filing_id, province, .. } => {
                    let authority = province.authority.as_deref();
                    tracing::info!(%filing_id, authority, "filing completed: handed to review");
                    self.metrics().filing_closed(FilingState::Completed, province.code.as_deref().unwrap_or_default());
                }
                Transition::Returned { filing_id, province, reason, .. } => {
                    tracing::info!(%filing_id, ?reason, "filing returned to its provider");
                    self.metrics().filing_closed(FilingState::Returned, province.code.as_deref().unwrap_or_default());
                }
            }
        }
        if !transitions.is_empty() {
            self.webhook_queued().notify_one();
        }
    }
}

/// The event as the outbox stores it (and the dispatcher sends it).
pub(super) fn event_body(event: &WebhookEvent) -> String {
    String::from_utf8(event.to_json()).expect("JSON is UTF-8")
}
