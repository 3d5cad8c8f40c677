//! The transaction a check (or the expiry sweep) runs in: lock the filings it may close, read the
//! person's verifications, let the domain decide, apply the effects, commit once. Two people
//! checking the last two verifications of one request at the same instant, on one replica or
//! two, are serialised on the filing: on SQLite by `BEGIN IMMEDIATE` (the whole database), on
//! PostgreSQL by locking the filing rows in id order before reading anything the decision uses
//! (READ COMMITTED reads what committed before each statement, so the reads come after the lock).
//! Exactly one of them sees the request complete, and every state change below is also
//! conditional on the state it came from.

use protocol::{HistoryKind, ReturnReason, VerificationState};
use sqlx::{AnyConnection, FromRow};

use super::filings::{event_binds, EVENT};
use super::outbox::push_webhook;
use super::rows;
use super::script::{Bind, Script};
use super::script_row::{read_all, script_row, ScriptRow};
use super::{Engine, Store, StoreResult};
use crate::clock::Millis;
use crate::domain::{Candidate, Effect, EventId, FilingId, FilingSnapshot, FilingState, ProviderId, VerificationId};

/// A candidate as stored, with the hash its code is compared against.
pub struct StoredCandidate {
    pub candidate: Candidate,
    pub code_hash: Vec<u8>,
    pub suffix_hash: Vec<u8>,
    /// The number it was sent to (a link names the verification, not the person).
    pub phone: String,
}

/// The verification behind a short link.
pub struct LinkTarget {
    pub verification_id: VerificationId,
    pub phone: String,
    pub suffix_hash: Vec<u8>,
    /// Wrong suffixes typed through the current link so far.
    pub wrong_suffixes: u32,
}

/// A filing that changed state in this transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Completed {
        filing_id: FilingId,
        provider_id: ProviderId,
        reference: Option<String>,
        province: Province,
    },
    Returned {
        filing_id: FilingId,
        provider_id: ProviderId,
        reference: Option<String>,
        province: Province,
        reason: ReturnReason,
    },
}

/// A closed filing's province code and 管局, as stored (both `None` for filings made before
/// provinces).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Province {
    pub code: Option<String>,
    pub authority: Option<String>,
}

pub struct CheckTx {
    tx: super::WriteTx,
    engine: Engine,
    /// The filings the candidates were read with (one round trip for both), for `filings`, and
    /// whose they are, for the transitions. Read under the filings' lock, so still true.
    read_filings: Vec<ReadFiling>,
    /// Whether each verification read with them has an SMS still to send (an unsent SMS for a
    /// verification that closes is dropped; one that is known to have none needs no statement).
    /// Nothing adds an SMS to a verification without holding its filing's lock, which this
    /// transaction holds from before the read.
    unsent_sms: Vec<(VerificationId, bool)>,
    /// Writes decided so far: sent in one go with the next statement whose answer is needed, or
    /// at commit.
    writes: Script,
}

/// A filing as read under its lock: its state for the decision, its owner for the events.
struct ReadFiling {
    snapshot: FilingSnapshot,
    provider_id: ProviderId,
    reference: Option<String>,
    province: Province,
}

/// Every verification (as a candidate, with its token hash) of the filings `filings_sql` selects,
/// with its filing's state and rule; newest first.
fn with_filings(filings_sql: &str) -> String {
    format!(
        "SELECT v.id, v.filing_id, v.name, v.phone, v.state, v.attempts_used, v.issued_at, v.expires_at, \
         v.code_hash, v.suffix_hash, v.token_hash, f.state AS filing_state, f.completion, \
         f.provider_id, f.reference, f.province, f.authority, \
         (SELECT COUNT(*) FROM sms_outbox s WHERE s.verification_id = v.id AND s.state = 'pending') AS unsent_sms \
         FROM verifications v JOIN filings f ON f.id = v.filing_id \
         WHERE v.filing_id IN ({filings_sql}) ORDER BY v.issued_at DESC, v.id"
    )
}

script_row! {
    /// A verification as a check reads it: the columns of [`with_filings`] but its filing's.
    struct CandidateRow {
        id: VerificationId,
        filing_id: FilingId,
        name: String,
        phone: String,
        state: String,
        attempts_used: i64,
        issued_at: Millis,
        expires_at: Millis,
        code_hash: Vec<u8>,
        suffix_hash: Vec<u8>,
        token_hash: Vec<u8>,
        /// SMS of this verification still to send.
        unsent_sms: i64,
    }
}

script_row! {
    /// A verification's filing, carried on the verification's row (by [`with_filings`] and
    /// `read_filing`), with the verification's id and state.
    struct FilingOfRow {
        filing_id: FilingId,
        filing_state: String,
        completion: String,
        provider_id: ProviderId,
        reference: Option<String>,
        province: Option<String>,
        authority: Option<String>,
        id: VerificationId,
        state: String,
    }
}

script_row! {
    /// A code hash of the person's, per verification.
    struct CodeRow {
        id: VerificationId,
        code_hash: Vec<u8>,
    }
}

/// The verification behind a short link, as stored.
#[derive(FromRow)]
struct LinkRow {
    id: VerificationId,
    phone: String,
    suffix_hash: Vec<u8>,
    link_wrong_suffixes: i64,
}

/// A verification's wrong suffixes through its link, as counted.
#[derive(FromRow)]
struct WrongSuffixesRow {
    link_wrong_suffixes: i64,
}

/// The filings of these rows, each with all its verifications' states.
fn read_filings(rows: Vec<FilingOfRow>) -> StoreResult<Vec<ReadFiling>> {
    let mut filings: Vec<ReadFiling> = Vec::new();
    for row in rows {
        let verification = (row.id, rows::verification_state(&row.state)?);
        match filings.iter_mut().find(|f| f.snapshot.id == row.filing_id) {
            Some(filing) => filing.snapshot.verifications.push(verification),
            None => filings.push(ReadFiling {
                snapshot: FilingSnapshot {
                    id: row.filing_id,
                    state: rows::filing_state(&row.filing_state)?,
                    completion: rows::completion(&row.completion)?,
                    verifications: vec![verification],
                },
                provider_id: row.provider_id,
                reference: row.reference,
                province: Province { code: row.province, authority: row.authority },
            }),
        }
    }
    Ok(filings)
}

impl Store {
    /// The code hashes of everyone with this phone number and ID suffix (verification id, hash):
    /// read without the write lock, so a check knows whether it would be right before it writes.
    pub async fn person_codes(&self, phone: &str, suffix_hash: &[u8]) -> StoreResult<Vec<(VerificationId, Vec<u8>)>> {
        let rows = self
            .read(Script::one(
                "SELECT id, code_hash FROM verifications WHERE phone = $1 AND suffix_hash = $2",
                vec![phone.into(), suffix_hash.into()],
            ))
            .await?;
        Ok(read_all::<CodeRow>(&rows)?.into_iter().map(|row| (row.id, row.code_hash)).collect())
    }

    /// The verification a short link names, for checking the typed suffix against it.
    pub async fn link_target(&self, token_hash: &[u8]) -> StoreResult<Option<LinkTarget>> {
        let row: Option<LinkRow> = sqlx::query_as(
            "SELECT id, phone, suffix_hash, link_wrong_suffixes FROM verifications WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| LinkTarget {
            verification_id: row.id,
            phone: row.phone,
            suffix_hash: row.suffix_hash,
            wrong_suffixes: rows::count(row.link_wrong_suffixes),
        }))
    }

    /// Counts one wrong suffix typed through a verification's link; returns the new count.
    pub async fn count_wrong_link_suffix(&self, verification_id: &VerificationId) -> StoreResult<u32> {
        let counted = self
            .write_one_returning(
                sqlx::query(
                    "UPDATE verifications SET link_wrong_suffixes = link_wrong_suffixes + 1 WHERE id = $1 \
                     RETURNING link_wrong_suffixes",
                )
                .bind(verification_id),
            )
            .await?;
        let row =
            counted.first().ok_or_else(|| super::StoreError::Corrupt(format!("no verification {verification_id}")))?;
        Ok(rows::count(WrongSuffixesRow::from_row(row)?.link_wrong_suffixes))
    }

    /// Whether any pending verification is past its validity (the sweeper's cheap first look).
    pub async fn any_expired_pending(&self, now: Millis) -> StoreResult<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM verifications WHERE state = 'pending' AND expires_at <= $1 LIMIT 1")
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    pub async fn begin_check(&self) -> StoreResult<CheckTx> {
        let tx = self.begin_direct_write().await?;
        Ok(CheckTx {
            tx,
            engine: self.engine,
            read_filings: Vec::new(),
            unsent_sms: Vec::new(),
            writes: Script::default(),
        })
    }
}

impl CheckTx {
    /// The person's verifications, newest first, after locking their filings; read in one round
    /// trip with every verification of those filings (kept for [`CheckTx::filings`]).
    pub async fn candidates(&mut self, phone: &str, suffix_hash: &[u8]) -> StoreResult<Vec<StoredCandidate>> {
        let rows = self.locked_read(FILINGS_OF_PERSON, vec![phone.into(), suffix_hash.into()]).await?;
        self.remember(&rows)?
            .into_iter()
            .filter(|row| row.phone == phone && row.suffix_hash == suffix_hash)
            .map(CandidateRow::into_stored)
            .collect()
    }

    /// Every verification of the filings `filings_sql` selects, with its filing's columns, after
    /// locking those filings on PostgreSQL (SQLite's `BEGIN IMMEDIATE` holds the whole file).
    async fn locked_read(&mut self, filings_sql: &str, binds: Vec<Bind>) -> StoreResult<Vec<ScriptRow>> {
        let mut script = Script::default();
        if self.engine.locks_rows() {
            script.push(lock_filings(self.engine, filings_sql), binds.clone());
        }
        script.push(with_filings(filings_sql), binds);
        // The lock returns the locked ids: only the read's rows carry a verification's state.
        let mut rows = self.tx.run(&mut script).await?;
        rows.retain(|row| row.has("state"));
        Ok(rows)
    }

    /// Uses one of each limit inside the check's transaction (one commit for both), sent with
    /// the writes decided so far; `Err(millis)` when one is full, and the caller drops the
    /// transaction, which changes nothing.
    pub async fn take_limits(
        &mut self,
        store: &Store,
        limits: &[super::RateLimit],
        now: Millis,
    ) -> StoreResult<Result<(), Millis>> {
        super::rate::push_take_cells(&mut self.writes, limits, now);
        // Only the limits' statements return rows: one for each limit that had room.
        let taken = self.tx.run(&mut self.writes).await?;
        match taken.len() == limits.len() {
            true => Ok(Ok(())),
            false => Ok(Err(store.longest_wait(limits, now).await?)),
        }
    }

    /// The verification a short link points at, after locking its filing; read with the rest of
    /// its filing in one round trip.
    pub async fn candidate_by_token(&mut self, token_hash: &[u8]) -> StoreResult<Option<StoredCandidate>> {
        let filing_of_link = "SELECT filing_id FROM verifications WHERE token_hash = $1";
        let rows = self.locked_read(filing_of_link, vec![token_hash.into()]).await?;
        let candidates = self.remember(&rows)?;
        candidates.into_iter().find(|row| row.token_hash == token_hash).map(CandidateRow::into_stored).transpose()
    }

    /// Keeps what the rows of [`with_filings`] say about the filings and their unsent SMS;
    /// returns their verifications.
    fn remember(&mut self, rows: &[ScriptRow]) -> StoreResult<Vec<CandidateRow>> {
        self.read_filings = read_filings(read_all(rows)?)?;
        let candidates: Vec<CandidateRow> = read_all(rows)?;
        self.unsent_sms = candidates.iter().map(|row| (row.id.clone(), row.unsent_sms > 0)).collect();
        Ok(candidates)
    }

    /// Whether a verification is known to have no SMS left to send.
    fn known_no_unsent_sms(&self, verification_id: &VerificationId) -> bool {
        self.unsent_sms.iter().any(|(id, unsent)| id == verification_id && !unsent)
    }

    /// The filings of these verifications, with all their verifications' states (those read with
    /// the candidates are not read again).
    pub async fn filings(&mut self, filing_ids: &[&FilingId]) -> StoreResult<Vec<FilingSnapshot>> {
        let mut snapshots = Vec::new();
        for id in filing_ids {
            if snapshots.iter().any(|s: &FilingSnapshot| s.id == **id) {
                continue;
            }
            snapshots.push(self.read_filing(id).await?.snapshot.clone());
        }
        Ok(snapshots)
    }

    /// A filing as read in this transaction; read now (one round trip, the filing's columns on
    /// each of its verifications) if it was not.
    async fn read_filing(&mut self, id: &FilingId) -> StoreResult<&mut ReadFiling> {
        if let Some(at) = self.read_filings.iter().position(|f| f.snapshot.id == *id) {
            return Ok(&mut self.read_filings[at]);
        }
        let mut read = Script::one(
            "SELECT f.id AS filing_id, f.state AS filing_state, f.completion, f.provider_id, f.reference, \
             f.province, f.authority, v.id, v.state \
             FROM filings f JOIN verifications v ON v.filing_id = f.id WHERE f.id = $1",
            vec![id.into()],
        );
        let joined = self.tx.run(&mut read).await?;
        let Some(read) = read_filings(read_all(&joined)?)?.pop() else {
            return Err(super::StoreError::Corrupt(format!("filing {id} has no verifications")));
        };
        self.read_filings.push(read);
        Ok(self.read_filings.last_mut().expect("just pushed"))
    }

    /// Applies the decided effects; returns the filings that completed or were returned.
    pub async fn apply(&mut self, effects: &[Effect], now: Millis) -> StoreResult<Vec<Transition>> {
        let mut transitions = Vec::new();
        for effect in effects {
            match effect {
                Effect::Verify { verification_id } => {
                    self.close_verification(verification_id, VerificationState::Verified, now, 0);
                }
                Effect::UseTry { verification_id } => self.writes.push(
                    "UPDATE verifications SET attempts_used = attempts_used + 1 WHERE id = $1 AND state = 'pending'",
                    vec![verification_id.into()],
                ),
                Effect::UseLastTry { verification_id } => {
                    self.close_verification(verification_id, VerificationState::AttemptsUsedUp, now, 1);
                }
                Effect::ExpireVerification { verification_id } => {
                    self.close_verification(verification_id, VerificationState::Expired, now, 0);
                }
                Effect::CompleteFiling { filing_id } => {
                    if let Some(t) = self.close_filing(filing_id, None, now).await? {
                        transitions.push(t);
                    }
                }
                Effect::ReturnFiling { filing_id, reason } => {
                    if let Some(t) = self.close_filing(filing_id, Some(*reason), now).await? {
                        transitions.push(t);
                    }
                }
            }
        }
        Ok(transitions)
    }

    /// Records a check's outcome in the history of the filing its verification belongs to.
    pub fn record_check(&mut self, filing_id: &FilingId, verification_id: &VerificationId, outcome: &str, now: Millis) {
        self.writes.push(EVENT, event_binds(filing_id, now, HistoryKind::Check, Some(verification_id), Some(outcome)));
    }

    /// Queues a provider event in this transaction (only if the provider has a callback URL).
    pub fn queue_webhook(
        &mut self,
        event_id: &EventId,
        provider_id: &ProviderId,
        filing_id: &FilingId,
        body: &str,
        now: Millis,
    ) {
        push_webhook(&mut self.writes, event_id, provider_id, filing_id, body, now);
    }

    /// Sends the writes still waiting, then commits.
    pub async fn commit(mut self) -> StoreResult<()> {
        if !self.writes.is_empty() {
            self.tx.run(&mut self.writes).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }

    /// Closes a pending verification, dropping its unsent SMS (unless it is known to have none).
    fn close_verification(&mut self, id: &VerificationId, state: VerificationState, now: Millis, extra_attempts: i64) {
        self.writes.push(
            "UPDATE verifications SET state = $1, closed_at = $2, attempts_used = attempts_used + $3 \
             WHERE id = $4 AND state = 'pending'",
            vec![state.as_str().into(), now.into(), extra_attempts.into(), id.into()],
        );
        if !self.known_no_unsent_sms(id) {
            self.writes.push(SUPERSEDE_UNSENT_SMS, vec![id.into()]);
        }
    }

    /// Completes (`reason` None) or returns a pending filing, closing its other pending
    /// verifications; `None` if it is not pending (a second effect for one filing changes nothing).
    async fn close_filing(
        &mut self,
        filing_id: &FilingId,
        reason: Option<ReturnReason>,
        now: Millis,
    ) -> StoreResult<Option<Transition>> {
        // The filing's new state names its history entry; its people still pending follow it.
        let (state, history, rest) = match reason {
            None => (FilingState::Completed, HistoryKind::Completed, VerificationState::NotNeeded),
            Some(_) => (FilingState::Returned, HistoryKind::Returned, VerificationState::Returned),
        };
        let read = self.read_filing(filing_id).await?;
        if read.snapshot.state != FilingState::Pending {
            return Ok(None);
        }
        read.snapshot.state = state;
        let (provider_id, reference, province) =
            (read.provider_id.clone(), read.reference.clone(), read.province.clone());
        let still_pending: Vec<VerificationId> = read
            .snapshot
            .verifications
            .iter()
            .filter(|(_, state)| *state == VerificationState::Pending)
            .map(|(id, _)| id.clone())
            .collect();
        self.writes.push(
            "UPDATE filings SET state = $1, return_reason = $2, closed_at = $3 WHERE id = $4 AND state = 'pending'",
            vec![state.as_str().into(), reason.map(ReturnReason::as_str).into(), now.into(), filing_id.into()],
        );
        self.writes.push(
            "UPDATE verifications SET state = $1, closed_at = $2 WHERE filing_id = $3 AND state = 'pending'",
            vec![rest.as_str().into(), now.into(), filing_id.into()],
        );
        // The SMS after their verifications, the order `finish_sms` locks them in on PostgreSQL
        // (the other order deadlocked with a dispatcher marking one of them sent).
        for id in still_pending {
            if !self.known_no_unsent_sms(&id) {
                self.writes.push(SUPERSEDE_UNSENT_SMS, vec![(&id).into()]);
            }
        }
        self.writes.push(EVENT, event_binds(filing_id, now, history, None, reason.map(ReturnReason::as_str)));
        let filing_id = filing_id.clone();
        Ok(Some(match reason {
            None => Transition::Completed { filing_id, provider_id, reference, province },
            Some(reason) => Transition::Returned { filing_id, provider_id, reference, province, reason },
        }))
    }
}

/// The person's filings: a SELECT of filing ids with the phone ($1) and ID suffix hash ($2).
pub(super) const FILINGS_OF_PERSON: &str = "SELECT filing_id FROM verifications WHERE phone = $1 AND suffix_hash = $2";

/// The statement that locks the filings `verifications_sql` names (a SELECT of filing ids), in id
/// order so that two transactions never wait for each other in a circle.
pub(super) fn lock_filings(engine: Engine, verifications_sql: &str) -> String {
    format!("SELECT id FROM filings WHERE id IN ({verifications_sql}) ORDER BY id{}", engine.lock_rows())
}

/// An SMS not yet sent for a verification that is closed would only carry a dead code: drop it.
const SUPERSEDE_UNSENT_SMS: &str =
    "UPDATE sms_outbox SET state = 'superseded', payload = NULL WHERE verification_id = $1 AND state = 'pending'";

pub(super) async fn supersede_unsent_sms(tx: &mut AnyConnection, verification_id: &VerificationId) -> StoreResult<()> {
    sqlx::query(SUPERSEDE_UNSENT_SMS).bind(verification_id).execute(&mut *tx).await?;
    Ok(())
}

impl CandidateRow {
    fn into_stored(self) -> StoreResult<StoredCandidate> {
        Ok(StoredCandidate {
            candidate: Candidate {
                verification_id: self.id,
                filing_id: self.filing_id,
                name: self.name,
                state: rows::verification_state(&self.state)?,
                attempts_used: rows::count(self.attempts_used),
                issued_at: self.issued_at,
                expires_at: self.expires_at,
                code_matches: false,
            },
            code_hash: self.code_hash,
            suffix_hash: self.suffix_hash,
            phone: self.phone,
        })
    }
}

impl CheckTx {
    /// Pending verifications past their validity (for the expiry sweeper), oldest first, after
    /// locking their filings. A verification that expires between the lock and the read is
    /// handled too: every change the sweep makes is conditional on the state it came from.
    pub async fn expired_pending(&mut self, now: Millis, limit: u32) -> StoreResult<Vec<Candidate>> {
        let expired = "SELECT filing_id FROM verifications WHERE state = 'pending' AND expires_at <= $1 \
                       ORDER BY expires_at LIMIT $2";
        let rows = self.locked_read(expired, vec![now.into(), i64::from(limit).into()]).await?;
        let mut candidates = self
            .remember(&rows)?
            .into_iter()
            .filter(|row| row.state == VerificationState::Pending.as_str() && row.expires_at <= now)
            .map(|row| row.into_stored().map(|stored| stored.candidate))
            .collect::<StoreResult<Vec<_>>>()?;
        candidates.sort_by_key(|c| c.expires_at);
        Ok(candidates)
    }
}
