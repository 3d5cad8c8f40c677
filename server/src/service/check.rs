//! A person checks: by code + phone + ID suffix (the form), or by short link + ID suffix.

use std::net::IpAddr;

use protocol::{CheckOutcome, IdSuffix, ParsedCheck};

use super::{Service, ServiceError, ServiceResult};
use crate::domain::{decide, Candidate, Effect};
use crate::store::{CheckTx, StoredCandidate};

impl Service {
    pub async fn check(&self, check: &ParsedCheck, client: IpAddr) -> ServiceResult<CheckOutcome> {
        self.limit_client(client).await?;
        self.limit_phone_failures(check.phone.as_str()).await?;
        let suffix_hash = self.suffix_hash(&check.id_suffix);
        let outcome = if self.store().person_exists(check.phone.as_str(), &suffix_hash).await? {
            let mut tx = self.store().begin_check().await?;
            let candidates = tx
                .candidates(check.phone.as_str(), &suffix_hash)
                .await?
                .into_iter()
                .map(|stored| {
                    let code_matches =
                        self.code_matches(&stored.candidate.verification_id, &check.code, &stored.code_hash);
                    Candidate { code_matches, ..stored.candidate }
                })
                .collect::<Vec<_>>();
            self.decide_and_apply(tx, &candidates).await?
        } else {
            CheckOutcome::NotFound
        };
        self.after_check(check.phone.as_str(), &outcome).await?;
        Ok(outcome)
    }

    /// The link stands in for the code and names the verification; the suffix must match it.
    pub async fn link_check(&self, token: &str, suffix: &IdSuffix, client: IpAddr) -> ServiceResult<CheckOutcome> {
        self.limit_client(client).await?;
        let mut tx = self.store().begin_check().await?;
        let Some(StoredCandidate { candidate, suffix_hash, phone, .. }) =
            tx.candidate_by_token(&self.token_hash(token)).await?
        else {
            return Err(ServiceError::NotFound);
        };
        self.limit_phone_failures(&phone).await?;
        let suffix_matches = self.keys().matches("id_suffix", &[suffix.as_str().as_bytes()], &suffix_hash);
        // A wrong suffix through the link counts as a wrong try, like a wrong code on the form.
        let outcome = self.decide_and_apply(tx, &[Candidate { code_matches: suffix_matches, ..candidate }]).await?;
        self.after_check(&phone, &outcome).await?;
        Ok(outcome)
    }

    async fn decide_and_apply(&self, mut tx: CheckTx, candidates: &[Candidate]) -> ServiceResult<CheckOutcome> {
        let now = self.now();
        let filing_ids: Vec<&str> = candidates.iter().map(|c| c.filing_id.as_str()).collect();
        let filings = tx.filings(&filing_ids).await?;
        let decision = decide(now, self.settings().max_attempts, candidates, &filings);
        let transitions = tx.apply(&decision.effects, now).await?;
        let kind = decision.outcome.kind();
        let mut recorded = false;
        for effect in &decision.effects {
            if let Effect::Verify { verification_id }
            | Effect::UseTry { verification_id }
            | Effect::FailVerification { verification_id }
            | Effect::ExpireVerification { verification_id } = effect
            {
                let filing =
                    candidates.iter().find(|c| &c.verification_id == verification_id).map(|c| c.filing_id.as_str());
                if let Some(filing) = filing {
                    tx.record_check(filing, verification_id, kind, now).await?;
                    recorded = true;
                }
            }
        }
        if let (false, Some(newest)) = (recorded, candidates.first()) {
            tx.record_check(&newest.filing_id, &newest.verification_id, kind, now).await?;
        }
        self.queue_events(&mut tx, &transitions, now).await?;
        tx.commit().await?;
        self.announce(&transitions);
        Ok(decision.outcome)
    }

    /// Counts what a person (or someone guessing) got wrong against the phone number's limit.
    async fn after_check(&self, phone: &str, outcome: &CheckOutcome) -> ServiceResult<()> {
        self.metrics().check_outcome(outcome.kind());
        if matches!(outcome, CheckOutcome::NotFound | CheckOutcome::Failed { .. } | CheckOutcome::AttemptsUsedUp { .. })
        {
            self.count_phone_failure(phone).await?;
        }
        Ok(())
    }
}

impl Service {
    /// What a short link's page shows; `None` for a token we never issued (or replaced).
    pub async fn landing(&self, token: &str) -> ServiceResult<Option<protocol::LinkLanding>> {
        Ok(self.store().landing(&self.token_hash(token), self.now()).await?)
    }
}
