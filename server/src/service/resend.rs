//! Resend (用户手动重发): a new code and link replace the old ones. At most `max_resends` per
//! verification, and never sooner than the minimum interval after the last SMS.
//!
//! A person's answer never says whether the phone number and ID suffix matched: "sent", "nothing
//! pending" and "too soon" all read the same ([`ResendOutcome::Requested`]). Only a person whose
//! number and suffix matched is told that the resends are used up, and only while the number's
//! guess budget lasts (past it, that too would tell a guesser the suffix was right).

use std::net::IpAddr;

use protocol::{IdSuffix, Phone, ResendOutcome};

use super::limits::retry_after_seconds;
use super::{Service, ServiceError, ServiceResult};
use crate::domain::{FilingId, ProviderId, VerificationId};
use crate::store::{ResendCandidate, ResendTx};

impl Service {
    /// A person asks with their phone number and ID suffix.
    pub async fn resend_for_person(
        &self,
        phone: &Phone,
        suffix: &IdSuffix,
        client: IpAddr,
    ) -> ServiceResult<ResendOutcome> {
        self.throttle_resend(client).await?;
        let now = self.now();
        let mut tx = self.store().begin_resend().await?;
        let pending = tx.pending_for_person(phone.as_str(), &self.suffix_hash(suffix), now).await?;
        if pending.is_empty() {
            drop(tx);
            // Past the budget the answer is the same; the guess is simply not counted.
            self.count_guess(phone.as_str()).await?;
            return Ok(ResendOutcome::Requested);
        }
        let outcome = match self.resend(tx, pending, "person", None).await {
            Ok(ResendOutcome::LimitReached) if self.guesses_left(phone.as_str()).await? => ResendOutcome::LimitReached,
            // Too soon: the SMS that went out moments ago carries the current code.
            Ok(_) | Err(ServiceError::RateLimited { .. }) => ResendOutcome::Requested,
            Err(e) => return Err(e),
        };
        Ok(outcome)
    }

    /// A provider asks for one verification of one of its filings.
    pub async fn resend_for_provider(
        &self,
        provider_id: &ProviderId,
        filing_id: &FilingId,
        verification_id: &VerificationId,
    ) -> ServiceResult<ResendOutcome> {
        let now = self.now();
        let mut tx = self.store().begin_resend().await?;
        let pending = tx.pending_for_provider(provider_id, filing_id, verification_id, now).await?;
        if pending.is_none() && !tx.provider_has_verification(provider_id, filing_id, verification_id).await? {
            return Err(ServiceError::NotFound);
        }
        self.resend(tx, pending.into_iter().collect(), "provider", Some(provider_id)).await
    }

    async fn resend(
        &self,
        mut tx: ResendTx,
        pending: Vec<ResendCandidate>,
        by: &str,
        provider: Option<&ProviderId>,
    ) -> ServiceResult<ResendOutcome> {
        if pending.is_empty() {
            return Ok(ResendOutcome::NothingPending);
        }
        let now = self.now();
        let settings = self.settings();
        let interval = settings.limits.resend_interval().as_millis() as i64;
        let allowed: Vec<&ResendCandidate> =
            pending.iter().filter(|c| c.resends_used < settings.limits.max_resends).collect();
        if allowed.is_empty() {
            return Ok(ResendOutcome::LimitReached);
        }
        let ready: Vec<&&ResendCandidate> = allowed.iter().filter(|c| c.issued_at + interval <= now).collect();
        if ready.is_empty() {
            let wait = allowed.iter().map(|c| c.issued_at + interval - now).min().unwrap_or(0);
            return Err(ServiceError::RateLimited { retry_after_seconds: retry_after_seconds(wait) });
        }
        // Each new SMS counts against the number's daily cap (and a provider's quotas).
        let phones: Vec<&str> = ready.iter().map(|c| c.phone.as_str()).collect();
        match self.take_sms_allowance_in(&mut tx, provider, &phones).await {
            // A person is told their resends are used up, as when the per-verification count is.
            Err(ServiceError::SmsQuota { .. }) if provider.is_none() => return Ok(ResendOutcome::LimitReached),
            other => other?,
        }
        for candidate in &ready {
            let issued = self.issue_code(&candidate.verification_id);
            tx.replace_code(
                candidate,
                &issued.code_hash,
                &issued.token_hash,
                &issued.sms_id,
                &issued.sealed_sms,
                by,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.sms_queued().notify_one();
        self.metrics().resend();
        tracing::info!(count = ready.len(), by, "codes resent");
        Ok(ResendOutcome::Sent)
    }
}
