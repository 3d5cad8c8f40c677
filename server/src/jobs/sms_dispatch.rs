//! Sends what the SMS outbox holds, at least once: claim due rows with a lease, open the sealed
//! text, route by carrier, send; on success erase the text, on a retryable failure back off, and
//! after the last attempt (or a permanent refusal) mark it failed for the provider to see.

use std::sync::Arc;
use std::time::Duration;

use protocol::Phone;
use tokio::sync::watch;

use super::backoff::{delay_after, MAX_ATTEMPTS};
use crate::service::Service;
use crate::sms::{Carrier, OutgoingSms, Router as CarrierRouter, SenderNumbers, SmsGateway};
use crate::store::DueSms;

/// A claim lasts this long; a dispatcher that died mid-send releases its rows when it ends.
const LEASE_MILLIS: i64 = 60_000;
const BATCH: u32 = 20;

pub struct SmsDispatcher {
    pub service: Service,
    pub gateway: Arc<dyn SmsGateway>,
    pub carriers: Arc<CarrierRouter>,
    pub senders: Arc<SenderNumbers>,
}

impl SmsDispatcher {
    pub async fn run(self, interval: Duration, shutdown: watch::Receiver<bool>) {
        super::drain("SMS dispatch", interval, self.service.sms_queued(), shutdown, || dispatch_once(&self)).await
    }
}

/// One batch; returns how many rows it handled.
pub async fn dispatch_once(d: &SmsDispatcher) -> Result<usize, crate::store::StoreError> {
    let store = d.service.store();
    let due = store.claim_due_sms(d.service.now(), LEASE_MILLIS, BATCH).await?;
    for sms in &due {
        send_one(d, sms).await?;
    }
    Ok(due.len())
}

async fn send_one(d: &SmsDispatcher, due: &DueSms) -> Result<(), crate::store::StoreError> {
    let store = d.service.store();
    let Some(payload) = d.service.open_sms(&due.id, &due.sealed) else {
        tracing::error!(sms_id = %due.id, "sealed SMS cannot be opened (was the secret key changed?)");
        store.sms_failed(&due.id, &due.verification_id, d.service.now(), "cannot open sealed text").await?;
        return Ok(());
    };
    let Ok(to) = Phone::parse(&due.phone) else {
        store.sms_failed(&due.id, &due.verification_id, d.service.now(), "stored number invalid").await?;
        return Ok(());
    };
    // A number outside every known range still goes out, through China Mobile's sender (the
    // largest network); the operator can add the range or an override.
    let carrier = d.carriers.route(&to).unwrap_or(Carrier::ChinaMobile);
    let sms = OutgoingSms {
        id: due.id.to_string(),
        to,
        carrier,
        sender: d.senders.sender_for(carrier).to_owned(),
        text: payload.text,
        link: payload.link,
        code: payload.code,
    };
    let result = d.gateway.send(&sms).await;
    let now = d.service.now();
    match result {
        Ok(_) => {
            tracing::info!(sms_id = %due.id, carrier = carrier.as_str(), gateway = d.gateway.name(), "SMS sent");
            let province = store.sms_sent(&due.id, &due.verification_id, now).await?;
            d.service.metrics().sms_sent(carrier.as_str(), province.as_deref().unwrap_or_default());
            Ok(())
        }
        Err(e) if e.is_retryable() && due.attempts < MAX_ATTEMPTS => {
            tracing::warn!(sms_id = %due.id, attempt = due.attempts, error = %e, "SMS send failed; will retry");
            store.sms_retry_later(&due.id, now + delay_after(due.attempts), &e.to_string()).await
        }
        Err(e) => {
            tracing::error!(sms_id = %due.id, attempt = due.attempts, error = %e, "SMS given up");
            let province = store.sms_failed(&due.id, &due.verification_id, now, &e.to_string()).await?;
            d.service.metrics().sms_failed(carrier.as_str(), province.as_deref().unwrap_or_default());
            Ok(())
        }
    }
}
