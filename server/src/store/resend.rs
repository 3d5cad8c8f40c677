//! Resends (用户手动重发): a new code and link replace the old ones, in one transaction with the
//! SMS that carries them. The verifications read here are locked (PostgreSQL) until commit, so
//! two replicas answering the same person at once cannot both use the last resend.

use protocol::{HistoryKind, Phone};
use sqlx::FromRow;

use super::checks::{lock_filings, supersede_unsent_sms, FILINGS_OF_PERSON};
use super::filings::{event, insert_sms};
use super::rows;
use super::{Engine, Store, StoreResult};
use crate::clock::Millis;
use crate::domain::{FilingId, ProviderId, SmsId, VerificationId};

/// A pending verification that could get a new code.
#[derive(Debug, Clone)]
pub struct ResendCandidate {
    pub verification_id: VerificationId,
    pub filing_id: FilingId,
    pub name: String,
    pub phone: String,
    pub resends_used: u32,
    pub issued_at: Millis,
    pub expires_at: Millis,
}

pub struct ResendTx {
    tx: super::WriteTx,
    engine: Engine,
}

const COLUMNS: &str = "v.id, v.filing_id, v.name, v.phone, v.resends_used, v.issued_at, v.expires_at";

impl Store {
    pub async fn begin_resend(&self) -> StoreResult<ResendTx> {
        let tx = self.begin_write().await?;
        Ok(ResendTx { tx, engine: self.engine })
    }
}

impl ResendTx {
    pub(super) fn connection(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    /// The person's verifications still waiting (and not past their validity), after locking
    /// their filings: a check of this person waits for the new code, or the resend for the check.
    pub async fn pending_for_person(
        &mut self,
        phone: &str,
        suffix_hash: &[u8],
        now: Millis,
    ) -> StoreResult<Vec<ResendCandidate>> {
        if self.engine.locks_rows() {
            let lock = lock_filings(self.engine, FILINGS_OF_PERSON);
            sqlx::query(&lock).bind(phone).bind(suffix_hash).execute(&mut *self.tx).await?;
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM verifications v WHERE v.phone = $1 AND v.suffix_hash = $2 \
             AND v.state = 'pending' AND v.expires_at > $3 ORDER BY v.issued_at DESC{}",
            self.engine.lock_rows()
        );
        let rows: Vec<CandidateRow> =
            sqlx::query_as(&sql).bind(phone).bind(suffix_hash).bind(now).fetch_all(&mut *self.tx).await?;
        Ok(rows.into_iter().map(CandidateRow::into_candidate).collect())
    }

    /// One pending verification of one of this provider's filings.
    pub async fn pending_for_provider(
        &mut self,
        provider_id: &ProviderId,
        filing_id: &FilingId,
        verification_id: &VerificationId,
        now: Millis,
    ) -> StoreResult<Option<ResendCandidate>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM verifications v JOIN filings f ON f.id = v.filing_id \
             WHERE f.provider_id = $1 AND f.id = $2 AND v.id = $3 AND v.state = 'pending' AND v.expires_at > $4{}",
            self.engine.lock_rows()
        );
        let row: Option<CandidateRow> = sqlx::query_as(&sql)
            .bind(provider_id)
            .bind(filing_id)
            .bind(verification_id)
            .bind(now)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(CandidateRow::into_candidate))
    }

    /// Whether this provider's filing has this verification at all (to tell 404 from "nothing pending").
    pub async fn provider_has_verification(
        &mut self,
        provider_id: &ProviderId,
        filing_id: &FilingId,
        verification_id: &VerificationId,
    ) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM verifications v JOIN filings f ON f.id = v.filing_id WHERE f.provider_id = $1 AND f.id = $2 AND v.id = $3",
        )
        .bind(provider_id)
        .bind(filing_id)
        .bind(verification_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(found.is_some())
    }

    /// Replaces the code and link; the old ones stop working at commit. The deadline does not move.
    #[allow(clippy::too_many_arguments)]
    pub async fn replace_code(
        &mut self,
        candidate: &ResendCandidate,
        code_hash: &[u8],
        token_hash: &[u8],
        sms_id: &SmsId,
        sealed_sms: &[u8],
        by: &str,
        now: Millis,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE verifications SET code_hash = $1, token_hash = $2, link_wrong_suffixes = 0, \
             resends_used = resends_used + 1, issued_at = $3, sms_failed = 0 WHERE id = $4 AND state = 'pending'",
        )
        .bind(code_hash)
        .bind(token_hash)
        .bind(now)
        .bind(&candidate.verification_id)
        .execute(&mut *self.tx)
        .await?;
        supersede_unsent_sms(&mut self.tx, &candidate.verification_id).await?;
        let phone = Phone::parse(&candidate.phone).map_err(|_| super::StoreError::Corrupt("stored phone".into()))?;
        insert_sms(&mut self.tx, sms_id, &candidate.verification_id, &phone, sealed_sms, now).await?;
        event(&mut self.tx, &candidate.filing_id, now, HistoryKind::Resend, Some(&candidate.verification_id), Some(by))
            .await
    }

    pub async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// A verification of [`COLUMNS`], as stored.
#[derive(FromRow)]
struct CandidateRow {
    id: VerificationId,
    filing_id: FilingId,
    name: String,
    phone: String,
    resends_used: i64,
    issued_at: Millis,
    expires_at: Millis,
}

impl CandidateRow {
    fn into_candidate(self) -> ResendCandidate {
        ResendCandidate {
            verification_id: self.id,
            filing_id: self.filing_id,
            name: self.name,
            phone: self.phone,
            resends_used: rows::count(self.resends_used),
            issued_at: self.issued_at,
            expires_at: self.expires_at,
        }
    }
}
