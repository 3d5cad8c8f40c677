//! Filing requests: storing a submitted one with its verifications and SMS in one transaction, and
//! reading them back for their provider.

use protocol::{BusinessType, FilingEvent, FilingView, HistoryKind, Phone, ProvinceCode, VerificationView};
use sqlx::{AnyConnection, FromRow};

use super::rows;
use super::script::{Bind, Script};
use super::{Store, StoreResult};
use crate::clock::{rfc3339, Millis};
use crate::domain::{Completion, EventId, FilingId, FilingState, ProviderId, SmsId, VerificationId};

/// The history's reason for a completion with nobody verifying: the province does not verify by SMS.
pub const PROVINCE_NOT_VERIFYING: &str = "province_not_verifying";

/// A planned filing, ready to store: ids, hashes and sealed SMS already made.
pub struct NewFilingRecord {
    pub id: FilingId,
    pub provider_id: ProviderId,
    pub reference: Option<String>,
    pub business_type: BusinessType,
    /// The GB/T 2260 code (`330000`).
    pub province: String,
    /// The province's 管局, named when the request is complete.
    pub authority: String,
    /// Set when nobody verifies because the province does not verify by SMS (why, in Chinese).
    pub review_note: Option<String>,
    pub subject_name: String,
    pub website_names: Vec<String>,
    pub completion: Completion,
    pub idempotency_key: Option<String>,
    pub request_hash: Vec<u8>,
    pub created_at: Millis,
    pub verifications: Vec<NewVerificationRecord>,
    /// The signed event body to deliver when a filing needs nobody (remarks-only change).
    pub completed_event: Option<(EventId, String)>,
}

pub struct NewVerificationRecord {
    pub id: VerificationId,
    pub name: String,
    pub phone: Phone,
    pub suffix_hash: Vec<u8>,
    pub code_hash: Vec<u8>,
    pub token_hash: Vec<u8>,
    pub roles: Vec<String>,
    pub issued_at: Millis,
    pub expires_at: Millis,
    pub sms_id: SmsId,
    pub sealed_sms: Vec<u8>,
}

/// Where a filing sorts in a provider's list: the page cursor's content.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct FilingKey {
    pub created_at: Millis,
    pub id: FilingId,
}

/// Which filings one list page holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingPage {
    pub state: Option<FilingState>,
    pub province: Option<ProvinceCode>,
    pub limit: u32,
    /// The page starts after this filing (the previous page's last).
    pub after: Option<FilingKey>,
}

pub enum SubmitResult {
    Created(FilingId),
    /// The Idempotency-Key was seen before with the same request: its filing.
    Replayed(FilingId),
    /// The Idempotency-Key was seen before with a different request.
    KeyReused,
}

impl Store {
    pub async fn insert_filing(&self, record: &NewFilingRecord) -> StoreResult<SubmitResult> {
        let mut tx = self.begin_write().await?;
        if let Some(key) = &record.idempotency_key {
            if let Some(seen) = seen_key(&mut tx, &record.provider_id, key, &record.request_hash).await? {
                return Ok(seen);
            }
        }
        let empty = record.verifications.is_empty();
        let state = if empty { FilingState::Completed } else { FilingState::Pending };
        // On PostgreSQL another replica may insert the same (provider, key) after the lookup: the
        // insert then waits for it and skips, and the second lookup sees its filing.
        let inserted: Option<FilingId> = sqlx::query_scalar(
            "INSERT INTO filings (id, provider_id, reference, business_type, subject_name, website_names, \
             completion, state, created_at, closed_at, idempotency_key, request_hash, province, authority, review_note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             ON CONFLICT (provider_id, idempotency_key) DO NOTHING RETURNING id",
        )
        .bind(&record.id)
        .bind(&record.provider_id)
        .bind(&record.reference)
        .bind(record.business_type.as_str())
        .bind(&record.subject_name)
        .bind(serde_json::to_string(&record.website_names).expect("strings serialise"))
        .bind(record.completion.as_str())
        .bind(state.as_str())
        .bind(record.created_at)
        .bind(empty.then_some(record.created_at))
        .bind(&record.idempotency_key)
        .bind(&record.request_hash)
        .bind(&record.province)
        .bind(&record.authority)
        .bind(&record.review_note)
        .fetch_optional(&mut *tx)
        .await?;
        if let (None, Some(key)) = (inserted, &record.idempotency_key) {
            let seen = seen_key(&mut tx, &record.provider_id, key, &record.request_hash).await?;
            return seen.ok_or_else(|| super::StoreError::Corrupt("idempotency key conflict without a filing".into()));
        }
        event(&mut tx, &record.id, record.created_at, HistoryKind::Submitted, None, None).await?;
        for (ordinal, v) in (0_i64..).zip(&record.verifications) {
            sqlx::query(
                "INSERT INTO verifications (id, filing_id, name, phone, suffix_hash, code_hash, token_hash, roles, \
                 state, issued_at, expires_at, ordinal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11)",
            )
            .bind(&v.id)
            .bind(&record.id)
            .bind(&v.name)
            .bind(v.phone.as_str())
            .bind(&v.suffix_hash)
            .bind(&v.code_hash)
            .bind(&v.token_hash)
            .bind(serde_json::to_string(&v.roles).expect("strings serialise"))
            .bind(v.issued_at)
            .bind(v.expires_at)
            .bind(ordinal)
            .execute(&mut *tx)
            .await?;
            insert_sms(&mut tx, &v.sms_id, &v.id, &v.phone, &v.sealed_sms, v.issued_at).await?;
            event(&mut tx, &record.id, record.created_at, HistoryKind::SmsQueued, Some(&v.id), None).await?;
        }
        if empty {
            let why = record.review_note.is_some().then_some(PROVINCE_NOT_VERIFYING);
            event(&mut tx, &record.id, record.created_at, HistoryKind::Completed, None, why).await?;
            if let Some((event_id, body)) = &record.completed_event {
                super::outbox::queue_webhook(
                    &mut tx,
                    event_id,
                    &record.provider_id,
                    &record.id,
                    body,
                    record.created_at,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(SubmitResult::Created(record.id.clone()))
    }

    /// One filing, only if it belongs to this provider.
    pub async fn filing_view(&self, provider_id: &ProviderId, filing_id: &FilingId) -> StoreResult<Option<FilingView>> {
        let filing: Option<FilingRow> = sqlx::query_as("SELECT * FROM filings WHERE id = $1 AND provider_id = $2")
            .bind(filing_id)
            .bind(provider_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(filing) = filing else { return Ok(None) };
        let verifications: Vec<VerificationRow> =
            sqlx::query_as("SELECT * FROM verifications WHERE filing_id = $1 ORDER BY ordinal, id")
                .bind(filing_id)
                .fetch_all(&self.pool)
                .await?;
        let events: Vec<EventRow> = sqlx::query_as("SELECT * FROM filing_events WHERE filing_id = $1 ORDER BY id")
            .bind(filing_id)
            .fetch_all(&self.pool)
            .await?;
        let verifications = verifications.into_iter().map(VerificationRow::into_view).collect::<StoreResult<_>>()?;
        let events = events.into_iter().map(EventRow::into_event).collect::<StoreResult<_>>()?;
        Ok(Some(filing.into_view(verifications, events)?))
    }

    /// One page of a provider's filings, newest first (`created_at` then `id`, both descending: a
    /// total order, so pages neither skip nor repeat a filing), optionally in one state and one
    /// province, starting after `after`. The key of the page's last filing comes back when more
    /// may follow.
    pub async fn list_filings(
        &self,
        provider_id: &ProviderId,
        page: &FilingPage,
    ) -> StoreResult<(Vec<FilingView>, Option<FilingKey>)> {
        // Keyset pagination: a filing added meanwhile sorts before the cursor, never into the rest.
        let after = match page.after {
            Some(_) => "AND (created_at < $5 OR (created_at = $5 AND id < $6))",
            None => "",
        };
        let sql = format!(
            "SELECT id, created_at FROM filings WHERE provider_id = $1 AND ($2 IS NULL OR state = $2) \
             AND ($3 IS NULL OR province = $3) {after} ORDER BY created_at DESC, id DESC LIMIT $4"
        );
        let mut query = sqlx::query(&sql)
            .bind(provider_id)
            .bind(page.state.map(FilingState::as_str))
            .bind(page.province.map(ProvinceCode::as_string))
            // One more than the page: whether it is there says whether a next page exists.
            .bind(i64::from(page.limit) + 1);
        if let Some(after) = &page.after {
            query = query.bind(after.created_at).bind(&after.id);
        }
        let mut keys: Vec<FilingKey> =
            query.fetch_all(&self.pool).await?.iter().map(FilingKey::from_row).collect::<Result<_, _>>()?;
        let more = keys.len() > page.limit as usize;
        keys.truncate(page.limit as usize);
        let mut views = Vec::with_capacity(keys.len());
        for key in &keys {
            if let Some(view) = self.filing_view(provider_id, &key.id).await? {
                views.push(view);
            }
        }
        Ok((views, if more { keys.pop() } else { None }))
    }
}

impl Store {
    /// Filings waiting for verifications, per province code (`""` for filings made before
    /// provinces), for `/metrics`.
    pub async fn pending_filings_by_province(&self) -> StoreResult<Vec<(String, i64)>> {
        // (province, pending), in the order selected.
        Ok(sqlx::query_as(
            "SELECT COALESCE(province, '') AS province, COUNT(*) AS pending FROM filings \
             WHERE state = 'pending' GROUP BY province ORDER BY province",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

/// What an Idempotency-Key already names: the same request's filing, or a different request.
async fn seen_key(
    tx: &mut AnyConnection,
    provider_id: &ProviderId,
    key: &str,
    request_hash: &[u8],
) -> StoreResult<Option<SubmitResult>> {
    let seen: Option<(FilingId, Vec<u8>)> =
        sqlx::query_as("SELECT id, request_hash FROM filings WHERE provider_id = $1 AND idempotency_key = $2")
            .bind(provider_id)
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(seen.map(|(id, stored_hash)| match stored_hash == request_hash {
        true => SubmitResult::Replayed(id),
        false => SubmitResult::KeyReused,
    }))
}

/// A filing as stored (of `SELECT *`: the columns its view shows).
#[derive(FromRow)]
struct FilingRow {
    id: FilingId,
    reference: Option<String>,
    business_type: String,
    province: Option<String>,
    state: String,
    return_reason: Option<String>,
    completion: String,
    subject_name: String,
    authority: Option<String>,
    review_note: Option<String>,
    created_at: Millis,
    closed_at: Option<Millis>,
}

impl FilingRow {
    fn into_view(self, verifications: Vec<VerificationView>, events: Vec<FilingEvent>) -> StoreResult<FilingView> {
        let state = rows::filing_state(&self.state)?;
        // The 管局 is named once the request is theirs to review.
        let authority = self.authority.filter(|a| !a.is_empty() && state == protocol::FilingState::Completed);
        Ok(FilingView {
            id: self.id.into_string(),
            reference: self.reference,
            business_type: rows::business_type(&self.business_type)?,
            province: self.province,
            state,
            return_reason: self.return_reason.as_deref().map(rows::return_reason).transpose()?,
            completion: self.completion,
            subject_name: self.subject_name,
            authority,
            review_note: self.review_note,
            created_at: rfc3339(self.created_at),
            closed_at: self.closed_at.map(rfc3339),
            verifications,
            events,
        })
    }
}

/// A verification as stored (of `SELECT *`: the columns its view shows).
#[derive(FromRow)]
struct VerificationRow {
    id: VerificationId,
    name: String,
    phone: String,
    roles: String,
    state: String,
    attempts_used: i64,
    resends_used: i64,
    expires_at: Millis,
    closed_at: Option<Millis>,
    sms_failed: i64,
}

impl VerificationRow {
    fn into_view(self) -> StoreResult<VerificationView> {
        let state = rows::verification_state(&self.state)?;
        Ok(VerificationView {
            id: self.id.into_string(),
            name: self.name,
            masked_phone: Phone::parse(&self.phone).map(|p| p.masked()).unwrap_or_default(),
            roles: rows::string_list(&self.roles)?,
            state,
            attempts_used: rows::count(self.attempts_used),
            resends_used: rows::count(self.resends_used),
            expires_at: rfc3339(self.expires_at),
            verified_at: self.closed_at.filter(|_| state == protocol::VerificationState::Verified).map(rfc3339),
            sms_failed: self.sms_failed != 0,
        })
    }
}

/// A line of a filing's history as stored.
#[derive(FromRow)]
struct EventRow {
    at: Millis,
    kind: String,
    verification_id: Option<VerificationId>,
    detail: Option<String>,
}

impl EventRow {
    fn into_event(self) -> StoreResult<FilingEvent> {
        Ok(FilingEvent {
            at: rfc3339(self.at),
            kind: rows::history_kind(&self.kind)?,
            verification_id: self.verification_id.map(VerificationId::into_string),
            detail: self.detail,
        })
    }
}

/// A line of a filing's history: filing, at, kind, verification, detail.
pub(super) const EVENT: &str =
    "INSERT INTO filing_events (filing_id, at, kind, verification_id, detail) VALUES ($1, $2, $3, $4, $5)";

/// [`EVENT`] with its parameters, for a script.
pub(super) fn event_binds(
    filing_id: &FilingId,
    at: Millis,
    kind: HistoryKind,
    verification_id: Option<&VerificationId>,
    detail: Option<&str>,
) -> Vec<Bind> {
    vec![filing_id.into(), at.into(), kind.as_str().into(), verification_id.into(), detail.into()]
}

pub(super) async fn event(
    tx: &mut AnyConnection,
    filing_id: &FilingId,
    at: Millis,
    kind: HistoryKind,
    verification_id: Option<&VerificationId>,
    detail: Option<&str>,
) -> StoreResult<()> {
    Script::one(EVENT, event_binds(filing_id, at, kind, verification_id, detail)).run_one_by_one(tx).await?;
    Ok(())
}

pub(super) async fn insert_sms(
    tx: &mut AnyConnection,
    sms_id: &SmsId,
    verification_id: &VerificationId,
    phone: &Phone,
    sealed: &[u8],
    now: Millis,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sms_outbox (id, verification_id, phone, payload, state, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
    )
    .bind(sms_id)
    .bind(verification_id)
    .bind(phone.as_str())
    .bind(sealed)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
