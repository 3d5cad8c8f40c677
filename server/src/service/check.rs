//! A person checks: by code + phone + ID suffix (the form), or by short link + ID suffix.
//! Whether the answer would be right is known before anything is written, so the abuse limits
//! (`limits.rs`) refuse only answers that would be wrong.

use std::net::IpAddr;

use protocol::{CheckOutcome, IdSuffix, LinkLanding, LinkState, ParsedCheck};

use super::{Service, ServiceError, ServiceResult};
use crate::domain::{decide, mask_name, Candidate, Effect, FilingId};
use crate::store::{CheckTx, StoredCandidate};

impl Service {
    pub async fn check(&self, check: &ParsedCheck, client: IpAddr) -> ServiceResult<CheckOutcome> {
        let phone = check.phone.as_str();
        let suffix_hash = self.suffix_hash(&check.id_suffix);
        let codes = self.store().person_codes(phone, &suffix_hash).await?;
        if codes.is_empty() {
            self.throttle_guess(client, phone).await?;
            self.metrics().check_outcome(CheckOutcome::NotFound.kind());
            return Ok(CheckOutcome::NotFound);
        }
        let code_right = codes.iter().any(|(id, hash)| self.code_matches(id, &check.code, hash));
        if !code_right {
            self.refuse_wrong_code_over_budget(phone).await?;
        }
        // One transaction, one commit: the decision, its writes and (for a wrong code) the client's
        // limit. Read again under the lock: a resend may have replaced a code since.
        let mut tx = self.store().begin_check().await?;
        let candidates = tx
            .candidates(phone, &suffix_hash)
            .await?
            .into_iter()
            .map(|stored| {
                let code_matches = self.code_matches(&stored.candidate.verification_id, &check.code, &stored.code_hash);
                Candidate { code_matches, ..stored.candidate }
            })
            .collect::<Vec<_>>();
        let wrong_code_from = (!code_right).then_some(client);
        let outcome = self.decide_and_apply(tx, &candidates, wrong_code_from).await?;
        self.metrics().check_outcome(outcome.kind());
        Ok(outcome)
    }

    /// The link stands in for the code and names the verification; the suffix must match it.
    /// A wrong suffix uses the number's guess budget, not the code's tries, and after
    /// `wrong_suffixes_per_link` of them the link stops (the code still works on the form).
    pub async fn link_check(&self, token: &str, suffix: &IdSuffix, client: IpAddr) -> ServiceResult<CheckOutcome> {
        let token_hash = self.token_hash(token);
        let Some(link) = self.store().link_target(&token_hash).await? else {
            return Err(ServiceError::NotFound);
        };
        let allowed = self.settings().limits.wrong_suffixes_per_link;
        let outcome = if link.wrong_suffixes >= allowed {
            CheckOutcome::LinkDisabled
        } else if !self.keys().matches("id_suffix", &[suffix.as_str().as_bytes()], &link.suffix_hash) {
            self.throttle_guess(client, &link.phone).await?;
            let used = self.store().count_wrong_link_suffix(&link.verification_id).await?;
            match allowed.saturating_sub(used) {
                0 => CheckOutcome::LinkDisabled,
                tries_left => CheckOutcome::WrongSuffix { tries_left },
            }
        } else {
            let mut tx = self.store().begin_check().await?;
            let Some(StoredCandidate { candidate, .. }) = tx.candidate_by_token(&token_hash).await? else {
                return Err(ServiceError::NotFound);
            };
            self.decide_and_apply(tx, &[Candidate { code_matches: true, ..candidate }], None).await?
        };
        self.metrics().check_outcome(outcome.kind());
        Ok(outcome)
    }

    /// `wrong_code_from`: the client whose limit a wrong code uses, taken last, just before the
    /// commit, so its row (shared by everything that client sends) is held for the commit only.
    async fn decide_and_apply(
        &self,
        mut tx: CheckTx,
        candidates: &[Candidate],
        wrong_code_from: Option<IpAddr>,
    ) -> ServiceResult<CheckOutcome> {
        let now = self.now();
        let filing_ids: Vec<&FilingId> = candidates.iter().map(|c| &c.filing_id).collect();
        let filings = tx.filings(&filing_ids).await?;
        let decision = decide(now, self.settings().limits.max_attempts, candidates, &filings);
        let transitions = tx.apply(&decision.effects, now).await?;
        let kind = decision.outcome.kind();
        let mut recorded = false;
        for effect in &decision.effects {
            if let Effect::Verify { verification_id }
            | Effect::UseTry { verification_id }
            | Effect::UseLastTry { verification_id }
            | Effect::ExpireVerification { verification_id } = effect
            {
                let filing = candidates.iter().find(|c| &c.verification_id == verification_id).map(|c| &c.filing_id);
                if let Some(filing) = filing {
                    tx.record_check(filing, verification_id, kind, now);
                    recorded = true;
                }
            }
        }
        if let (false, Some(newest)) = (recorded, candidates.first()) {
            tx.record_check(&newest.filing_id, &newest.verification_id, kind, now);
        }
        self.queue_events(&mut tx, &transitions, now);
        if let Some(client) = wrong_code_from {
            self.count_wrong_code(&mut tx, client).await?;
        }
        tx.commit().await?;
        self.announce(&transitions);
        Ok(decision.outcome)
    }
}

impl Service {
    /// What a short link's page shows; `None` for a token we never issued (or replaced). Whoever
    /// holds the link sees the name masked until the ID suffix is right.
    pub async fn landing(&self, token: &str) -> ServiceResult<Option<LinkLanding>> {
        let Some((mut landing, wrong_suffixes)) = self.store().landing(&self.token_hash(token), self.now()).await?
        else {
            return Ok(None);
        };
        landing.name = mask_name(&landing.name);
        if landing.state == LinkState::PENDING && wrong_suffixes >= self.settings().limits.wrong_suffixes_per_link {
            landing.state = LinkState::DISABLED;
            landing.seconds_left = 0;
        }
        Ok(Some(landing))
    }
}
