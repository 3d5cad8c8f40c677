//! Closing verifications whose code ran out, and returning their requests. Safe to run on every
//! replica at once: each change is conditional on the state it came from, inside a write
//! transaction, so a request is returned (and its provider told) exactly once.

use protocol::ReturnReason;

use super::{Service, ServiceResult};
use crate::domain::Effect;

/// Verifications handled per transaction, so one sweep never holds the write lock for long.
const BATCH: u32 = 200;

impl Service {
    /// One sweep; returns how many verifications it expired.
    pub async fn expire_due(&self) -> ServiceResult<usize> {
        let mut total = 0;
        loop {
            let now = self.now();
            // Most sweeps find nothing: ask with a read before taking the write lock.
            if !self.store().any_expired_pending(now).await? {
                return Ok(total);
            }
            let mut tx = self.store().begin_check().await?;
            let expired = tx.expired_pending(now, BATCH).await?;
            if expired.is_empty() {
                return Ok(total);
            }
            // Every code that ran out is expired before any request goes back, so each person of
            // a request whose codes all ran out reads "expired", not "returned".
            let expire =
                expired.iter().map(|c| Effect::ExpireVerification { verification_id: c.verification_id.clone() });
            let give_back = expired
                .iter()
                .map(|c| Effect::ReturnFiling { filing_id: c.filing_id.clone(), reason: ReturnReason::Expired });
            let effects: Vec<Effect> = expire.chain(give_back).collect();
            let transitions = tx.apply(&effects, now).await?;
            self.queue_events(&mut tx, &transitions, now);
            tx.commit().await?;
            self.announce(&transitions);
            total += expired.len();
            if expired.len() < BATCH as usize {
                return Ok(total);
            }
        }
    }
}
