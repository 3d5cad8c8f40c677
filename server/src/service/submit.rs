//! A provider submits a filing request: parse, plan who verifies, issue codes, store it all with
//! its SMS in one transaction. A retried submit with the same Idempotency-Key returns the first
//! result and issues nothing. In a province that does not verify by SMS on the day, nobody is
//! asked: the request goes straight to its 管局 for review, saying why.

use protocol::{FilingView, NewFiling};

use super::{Service, ServiceError, ServiceResult};
use crate::clock::to_datetime;
use crate::domain::{parse_filing, plan, FilingId, FilingState, ProviderId, VerificationId};
use crate::secrets;
use crate::store::{NewFilingRecord, NewVerificationRecord, SubmitResult};
use crate::webhook::WebhookEvent;

/// The stored filing and whether this call created it (false: an idempotent replay).
pub struct Submitted {
    pub filing: FilingView,
    pub created: bool,
}

impl Service {
    pub async fn submit_filing(
        &self,
        provider_id: &ProviderId,
        new: &NewFiling,
        idempotency_key: Option<String>,
    ) -> ServiceResult<Submitted> {
        let request = parse_filing(new).map_err(ServiceError::InvalidFiling)?;
        let mut plan = plan(&request)?;
        let now = self.now();
        let province = self.rollout().province(request.province);
        // Checked after planning, so a request that could never be verified is refused alike.
        let review_note = (!province.verifies_at(to_datetime(now)))
            .then(|| protocol::straight_to_review(&province.name, &province.authority));
        if review_note.is_some() {
            plan.verifications.clear();
        }
        let expires_at = now + self.settings().limits.code_validity().as_millis() as i64;
        let filing_id = FilingId::new(secrets::new_id("fil"));

        let verifications = plan
            .verifications
            .iter()
            .map(|planned| {
                let id = VerificationId::new(secrets::new_id("ver"));
                let issued = self.issue_code(&id);
                NewVerificationRecord {
                    name: planned.person.name.clone(),
                    phone: planned.person.phone.clone(),
                    suffix_hash: self.suffix_hash(&planned.person.id_suffix),
                    code_hash: issued.code_hash,
                    token_hash: issued.token_hash,
                    roles: planned.roles.iter().map(|r| r.label()).collect(),
                    issued_at: now,
                    expires_at,
                    sms_id: issued.sms_id,
                    sealed_sms: issued.sealed_sms,
                    id,
                }
            })
            .collect::<Vec<_>>();
        let completed_event = verifications
            .is_empty()
            .then(|| {
                WebhookEvent::completed(filing_id.clone(), request.reference.clone(), to_datetime(now))
                    .in_province(province.code.as_string(), Some(province.authority.clone()))
                    .with_note(review_note.clone())
            })
            .map(|event| (event.id.clone(), super::events::event_body(&event)));
        // One SMS per verification, allowed before anything is stored.
        let phones: Vec<&str> = verifications.iter().map(|v| v.phone.as_str()).collect();
        let allowance = self.take_submit_allowance(provider_id, &phones, new).await?;
        let record = NewFilingRecord {
            id: filing_id,
            provider_id: provider_id.clone(),
            reference: request.reference.clone(),
            business_type: request.business_type,
            province: province.code.as_string(),
            authority: province.authority.clone(),
            review_note,
            subject_name: request.subject.name.clone(),
            website_names: request.websites.iter().map(|w| w.name.clone()).collect(),
            completion: plan.completion,
            idempotency_key,
            // The whole request (ID numbers included) only as a keyed hash, to recognise a retry.
            request_hash: self
                .inner
                .keys
                .keyed_hash("filing_request", &[&serde_json::to_vec(new).expect("serialises")]),
            created_at: now,
            verifications,
            completed_event,
        };
        let inserted = self.store().insert_filing(&record).await?;
        if !matches!(inserted, SubmitResult::Created(_)) {
            // A replay (or a reused key) sends nothing: give its allowance back.
            self.store().return_quota(&allowance, now).await?;
        }
        let (filing_id, created) = match inserted {
            SubmitResult::Created(id) => (id, true),
            SubmitResult::Replayed(id) => (id, false),
            SubmitResult::KeyReused => return Err(ServiceError::IdempotencyConflict),
        };
        if created {
            self.sms_queued().notify_one();
            self.webhook_queued().notify_one();
            let province = record.province.as_str();
            tracing::info!(%filing_id, %provider_id, province, sms = record.verifications.len(), "filing submitted");
            if record.verifications.is_empty() {
                self.metrics().filing_closed(FilingState::Completed, province);
            }
        }
        let filing = self.store().filing_view(provider_id, &filing_id).await?.ok_or(ServiceError::NotFound)?;
        Ok(Submitted { filing, created })
    }
}
