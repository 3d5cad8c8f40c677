//! The two outboxes: SMS to send and provider events to deliver. Rows are claimed with a lease
//! (a conditional update; on PostgreSQL its SELECT skips rows another replica is claiming), so
//! dispatchers on several replicas never hold the same row at once; a row whose dispatcher died
//! becomes claimable again when its lease runs out (at least once).

use protocol::HistoryKind;
use sqlx::{AnyConnection, FromRow};

use super::filings::event;
use super::script::Script;
use super::{rows, Store, StoreResult, StoredRow};
use crate::clock::Millis;
use crate::domain::{EventId, FilingId, ProviderId, SmsId, VerificationId};
use crate::webhook::SigningKey;

/// An SMS claimed for sending. `sealed` holds the text, link and code, encrypted.
#[derive(Debug)]
pub struct DueSms {
    pub id: SmsId,
    pub verification_id: VerificationId,
    pub phone: String,
    pub sealed: Vec<u8>,
    pub attempts: u32,
}

#[derive(Debug)]
pub struct DueWebhook {
    pub id: EventId,
    pub provider_id: ProviderId,
    pub filing_id: FilingId,
    pub body: String,
    pub callback_url: String,
    /// Read from the stored secret here, so no copy of it in clear travels further (or into a log).
    pub signing_key: SigningKey,
    pub attempts: u32,
}

/// An SMS as its claim returns it.
#[derive(FromRow)]
struct ClaimedSmsRow {
    id: SmsId,
    attempts: i64,
    verification_id: VerificationId,
    phone: String,
    /// Erased once sent; a claimed SMS still has it.
    payload: Option<Vec<u8>>,
}

/// A provider event as its claim returns it.
#[derive(FromRow)]
struct ClaimedWebhookRow {
    id: EventId,
    attempts: i64,
    provider_id: ProviderId,
    filing_id: FilingId,
    body: String,
}

/// Where a provider's events go, if anywhere.
#[derive(FromRow)]
struct CallbackRow {
    callback_url: Option<String>,
    callback_secret: Option<String>,
}

impl Store {
    pub async fn claim_due_sms(&self, now: Millis, lease_millis: i64, limit: u32) -> StoreResult<Vec<DueSms>> {
        let rows = self.claim("sms_outbox", "verification_id, phone, payload", now, lease_millis, limit).await?;
        let claimed = rows.iter().map(ClaimedSmsRow::from_row).collect::<Result<Vec<_>, _>>()?;
        Ok(claimed
            .into_iter()
            .filter_map(|r| {
                Some(DueSms {
                    id: r.id,
                    verification_id: r.verification_id,
                    phone: r.phone,
                    sealed: r.payload?,
                    attempts: rows::count(r.attempts),
                })
            })
            .collect())
    }

    /// The gateway accepted it: erase the text (it holds the code). Returns the filing's province
    /// code (for the metrics' label; `None` for filings made before provinces).
    pub async fn sms_sent(
        &self,
        id: &SmsId,
        verification_id: &VerificationId,
        now: Millis,
    ) -> StoreResult<Option<String>> {
        self.finish_sms(id, verification_id, now, None).await
    }

    pub async fn sms_retry_later(&self, id: &SmsId, next_attempt_at: Millis, error: &str) -> StoreResult<()> {
        self.write_one(sqlx::query("UPDATE sms_outbox SET next_attempt_at = $1, lease_until = 0, last_error = $2 WHERE id = $3 AND state = 'pending'")
            .bind(next_attempt_at)
            .bind(error)
            .bind(id)
            )
            .await?;
        Ok(())
    }

    /// Delivery gave up: the provider sees it on the verification; the text is erased.
    pub async fn sms_failed(
        &self,
        id: &SmsId,
        verification_id: &VerificationId,
        now: Millis,
        error: &str,
    ) -> StoreResult<Option<String>> {
        self.finish_sms(id, verification_id, now, Some(error)).await
    }

    /// Closes a pending SMS as sent (`error` None) or failed, erasing its text, and records it on
    /// its verification and in its filing's history, once.
    async fn finish_sms(
        &self,
        id: &SmsId,
        verification_id: &VerificationId,
        now: Millis,
        error: Option<&str>,
    ) -> StoreResult<Option<String>> {
        let (state, event_kind) =
            if error.is_none() { ("sent", HistoryKind::SmsSent) } else { ("failed", HistoryKind::SmsFailed) };
        let mut tx = self.begin_write().await?;
        // The verification's row first, then the SMS's: the order a check and a resend change
        // them in, so two transactions never wait for each other in a circle.
        sqlx::query("UPDATE verifications SET sms_failed = $1 WHERE id = $2")
            .bind(i64::from(error.is_some()))
            .bind(verification_id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(
            "UPDATE sms_outbox SET state = $1, payload = NULL, sent_at = $2, last_error = $3 \
             WHERE id = $4 AND state = 'pending'",
        )
        .bind(state)
        .bind(error.is_none().then_some(now))
        .bind(error)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let (filing_id, province) = filing_of(&mut tx, verification_id).await?;
        // Recorded once: a row another dispatcher (or a resend) closed first is left as it is.
        if done.rows_affected() == 1 {
            event(&mut tx, &filing_id, now, event_kind, Some(verification_id), None).await?;
            tx.commit().await?;
        }
        Ok(province)
    }

    /// SMS not yet accepted by the gateway (for `/metrics`).
    pub async fn sms_outbox_depth(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sms_outbox WHERE state = 'pending'").fetch_one(&self.pool).await?)
    }

    /// Leases up to `limit` due events for `lease_millis`, at most `per_provider` of any one
    /// provider and none of the providers in `skip` (those whose deliveries are already at their
    /// cap in this process), so one provider's backlog cannot take every slot.
    pub async fn claim_due_webhooks(
        &self,
        now: Millis,
        lease_millis: i64,
        limit: u32,
        per_provider: u32,
        skip: &[ProviderId],
    ) -> StoreResult<Vec<DueWebhook>> {
        let rows = {
            // $1 the new lease, $2 now, then one parameter per skipped provider, then the caps.
            let skipped: Vec<String> = (0..skip.len()).map(|i| format!("${}", i + 3)).collect();
            let skipped = match skipped.is_empty() {
                true => String::new(),
                false => format!("AND provider_id NOT IN ({})", skipped.join(", ")),
            };
            let (per_provider_at, limit_at) = (skip.len() + 3, skip.len() + 4);
            // Window functions cannot lock rows, so the ranked ids are locked by an outer SELECT.
            let sql = format!(
                "UPDATE webhook_outbox SET lease_until = $1, attempts = attempts + 1 WHERE id IN ( \
                   SELECT id FROM webhook_outbox WHERE id IN ( \
                     SELECT id FROM ( \
                       SELECT id, next_attempt_at, \
                         ROW_NUMBER() OVER (PARTITION BY provider_id ORDER BY next_attempt_at) AS nth \
                       FROM webhook_outbox \
                       WHERE state = 'pending' AND next_attempt_at <= $2 AND lease_until <= $2 {skipped}) AS ranked \
                     WHERE nth <= ${per_provider_at} ORDER BY next_attempt_at LIMIT ${limit_at}) \
                   {}) \
                 AND state = 'pending' AND lease_until <= $2 \
                 RETURNING id, attempts, provider_id, filing_id, body",
                self.engine.skip_locked()
            );
            let mut query = sqlx::query(&sql).bind(now + lease_millis).bind(now);
            for provider_id in skip {
                query = query.bind(provider_id);
            }
            self.write_one_returning(query.bind(i64::from(per_provider)).bind(i64::from(limit))).await?
        };
        let claimed = rows.iter().map(ClaimedWebhookRow::from_row).collect::<Result<Vec<_>, _>>()?;
        let mut due = Vec::with_capacity(claimed.len());
        for r in claimed {
            let callback: CallbackRow =
                sqlx::query_as("SELECT callback_url, callback_secret FROM providers WHERE id = $1")
                    .bind(&r.provider_id)
                    .fetch_one(&self.pool)
                    .await?;
            let (Some(callback_url), Some(callback_secret)) = (callback.callback_url, callback.callback_secret) else {
                // The provider removed its callback: nothing to deliver to.
                self.webhook_done(&r.id, "abandoned", now, Some("callback removed")).await?;
                continue;
            };
            due.push(DueWebhook {
                id: r.id,
                provider_id: r.provider_id,
                filing_id: r.filing_id,
                body: r.body,
                callback_url,
                signing_key: SigningKey::from_secret(&callback_secret),
                attempts: rows::count(r.attempts),
            });
        }
        Ok(due)
    }

    pub async fn webhook_done(&self, id: &EventId, state: &str, now: Millis, error: Option<&str>) -> StoreResult<()> {
        self.write_one(sqlx::query(
            "UPDATE webhook_outbox SET state = $1, delivered_at = $2, last_error = $3 WHERE id = $4 AND state = 'pending'",
        )
        .bind(state)
        .bind(now)
        .bind(error)
        .bind(id)
        )
        .await?;
        Ok(())
    }

    pub async fn webhook_retry_later(&self, id: &EventId, next_attempt_at: Millis, error: &str) -> StoreResult<()> {
        self.write_one(sqlx::query("UPDATE webhook_outbox SET next_attempt_at = $1, lease_until = 0, last_error = $2 WHERE id = $3 AND state = 'pending'")
            .bind(next_attempt_at)
            .bind(error)
            .bind(id)
            )
            .await?;
        Ok(())
    }

    pub async fn webhook_outbox_depth(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM webhook_outbox WHERE state = 'pending'")
            .fetch_one(&self.pool)
            .await?)
    }
}

impl Store {
    /// Leases up to `limit` due rows of an outbox table for `lease_millis`, counting an attempt.
    /// The outer conditions repeat the inner ones so two claimers never get the same row.
    async fn claim(
        &self,
        table: &'static str,
        columns: &'static str,
        now: Millis,
        lease_millis: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredRow>> {
        let sql = format!(
            "UPDATE {table} SET lease_until = $1, attempts = attempts + 1 WHERE id IN ( \
               SELECT id FROM {table} WHERE state = 'pending' AND next_attempt_at <= $2 AND lease_until <= $2 \
               ORDER BY next_attempt_at LIMIT $3{}) \
             AND state = 'pending' AND lease_until <= $2 \
             RETURNING id, attempts, {columns}",
            self.engine.skip_locked()
        );
        self.write_one_returning(sqlx::query(&sql).bind(now + lease_millis).bind(now).bind(i64::from(limit))).await
    }
}

pub(super) async fn queue_webhook(
    tx: &mut AnyConnection,
    event_id: &EventId,
    provider_id: &ProviderId,
    filing_id: &FilingId,
    body: &str,
    now: Millis,
) -> StoreResult<()> {
    let mut script = Script::default();
    push_webhook(&mut script, event_id, provider_id, filing_id, body, now);
    script.run_one_by_one(tx).await?;
    Ok(())
}

/// Adds queuing a provider event (only if the provider has a callback URL) to a script.
pub(super) fn push_webhook(
    script: &mut Script,
    event_id: &EventId,
    provider_id: &ProviderId,
    filing_id: &FilingId,
    body: &str,
    now: Millis,
) {
    script.push(
        "INSERT INTO webhook_outbox (id, provider_id, filing_id, body, state, next_attempt_at, created_at) \
         SELECT $1, id, $2, $3, 'pending', $4, $4 FROM providers WHERE id = $5 AND callback_url IS NOT NULL",
        vec![event_id.into(), filing_id.into(), body.into(), now.into(), provider_id.into()],
    );
}

/// The filing a verification belongs to, and that filing's province code.
async fn filing_of(
    tx: &mut AnyConnection,
    verification_id: &VerificationId,
) -> StoreResult<(FilingId, Option<String>)> {
    // (id, province), in the order selected.
    Ok(sqlx::query_as(
        "SELECT f.id, f.province FROM verifications v JOIN filings f ON f.id = v.filing_id WHERE v.id = $1",
    )
    .bind(verification_id)
    .fetch_one(&mut *tx)
    .await?)
}
