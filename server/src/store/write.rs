//! Write transactions, and SQLite's group commit.
//!
//! On PostgreSQL a write is a transaction of its own: the server runs many at once.
//!
//! SQLite has one writer per file, and with `synchronous = FULL` each commit waits for an fsync
//! of the WAL, which costs more than the check it makes durable. So writes go one after another,
//! each in a savepoint of a transaction that stays open while writers queue; a committer task
//! commits the whole batch with one fsync, then answers every writer in it. Nobody is answered
//! before the commit that holds their change, and a writer that fails or is dropped rolls back
//! its savepoint only. Writers queue on a fair (FIFO) lock and the committer queues behind them,
//! so a batch is whoever was waiting when it was asked to commit.
//!
//! The writer has two connections to the file: sqlx's, and a direct one (`direct.rs`) for the
//! checks' writes. A batch is open on one of them at a time: a writer for the other commits it
//! first, so the two never hold a transaction at once.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use sqlx::{AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{oneshot, Mutex, Notify, OwnedMutexGuard};

use super::script::Script;
use super::script_row::ScriptRow;
use super::{direct, StoreError, StoreResult};

/// A write transaction: commit it, or drop it to change nothing.
pub(super) enum WriteTx {
    /// PostgreSQL: a transaction of its own.
    Own(Transaction<'static, sqlx::Any>),
    /// SQLite: a savepoint in the batch the committer commits.
    Batched(BatchMember),
}

impl WriteTx {
    pub(super) async fn commit(self) -> StoreResult<()> {
        match self {
            WriteTx::Own(tx) => Ok(tx.commit().await?),
            WriteTx::Batched(member) => member.commit().await,
        }
    }

    /// Runs a script in this transaction: through the direct connection for a direct writer,
    /// through sqlx one statement after another otherwise.
    pub(super) async fn run(&mut self, script: &mut Script) -> StoreResult<Vec<ScriptRow>> {
        match self {
            WriteTx::Own(tx) => script.run_one_by_one(tx).await,
            WriteTx::Batched(member) => match member.lane {
                Lane::Direct => {
                    let rows = direct::run(&member.writer.direct, &script.take())?;
                    Ok(rows.into_iter().map(ScriptRow::Direct).collect())
                }
                Lane::Sqlx => script.run_one_by_one(&mut member.writer.connection).await,
            },
        }
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            WriteTx::Own(tx) => tx,
            WriteTx::Batched(member) => member.sqlx_connection(),
        }
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            WriteTx::Own(tx) => tx,
            WriteTx::Batched(member) => member.sqlx_connection_mut(),
        }
    }
}

/// Which of the writer's connections a batch is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lane {
    Sqlx,
    Direct,
}

/// The SQLite connections that write, shared by every writer of this process.
#[derive(Clone)]
pub(super) struct GroupCommit {
    writer: Arc<Mutex<Writer>>,
    commit_asked: Arc<Notify>,
    /// Batches committed so far: how the tests see that writers share commits.
    commits: Arc<AtomicU64>,
}

struct Writer {
    connection: AnyConnection,
    direct: rusqlite::Connection,
    /// Where a new writing connection comes from if one is left in a transaction it cannot end
    /// (a writer cancelled in the middle of a statement, a full disk).
    pool: AnyPool,
    file: PathBuf,
    /// The connection a batch transaction is open on (`BEGIN IMMEDIATE` holds SQLite's write lock).
    batch: Option<Lane>,
    /// A member's savepoint was left open: it failed or was dropped, and is rolled back before
    /// the connection does anything else.
    abandoned: bool,
    /// Members whose changes wait for the batch's commit.
    waiting: Vec<oneshot::Sender<Result<(), String>>>,
}

/// One writer's turn on a connection; holds the lock until it commits or is dropped.
pub(super) struct BatchMember {
    writer: OwnedMutexGuard<Writer>,
    lane: Lane,
    commit_asked: Arc<Notify>,
    finished: bool,
}

impl GroupCommit {
    /// Takes a connection of `pool`, and one of its own to `file`, as the process's SQLite
    /// writers, and starts their committer.
    pub(super) async fn start(pool: &AnyPool, file: PathBuf) -> StoreResult<GroupCommit> {
        let connection = pool.acquire().await?.detach();
        let writer = Writer {
            connection,
            direct: direct::open(&file)?,
            pool: pool.clone(),
            file,
            batch: None,
            abandoned: false,
            waiting: Vec::new(),
        };
        let group = GroupCommit {
            writer: Arc::new(Mutex::new(writer)),
            commit_asked: Arc::new(Notify::new()),
            commits: Arc::new(AtomicU64::new(0)),
        };
        let committer =
            commit_when_asked(Arc::downgrade(&group.writer), group.commit_asked.clone(), group.commits.clone());
        tokio::spawn(committer);
        Ok(group)
    }

    #[cfg(test)]
    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Waits for the writer's turn and opens a savepoint in the current batch on `lane`.
    pub(super) async fn begin(&self, lane: Lane) -> StoreResult<BatchMember> {
        let mut writer = self.writer.clone().lock_owned().await;
        if writer.batch.is_some_and(|open| open != lane) && writer.commit_batch().await {
            self.commits.fetch_add(1, Ordering::Relaxed);
        }
        if let Err(e) = writer.join(lane).await {
            // A batch this writer opened must not stay open (and hold SQLite's write lock).
            self.commit_asked.notify_one();
            return Err(e);
        }
        Ok(BatchMember { writer, lane, commit_asked: self.commit_asked.clone(), finished: false })
    }

    /// Commits what is waiting (on shutdown).
    pub(super) async fn flush(&self) {
        if self.writer.lock().await.commit_batch().await {
            self.commits.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Writer {
    /// Opens this writer's savepoint (and the batch, for its first writer) on `lane`, where no
    /// batch is open on the other. Savepoints are not released: each writer's is pushed on the
    /// previous one's, `ROLLBACK TO member` undoes the newest, and the commit keeps them all; a
    /// round trip saved per writer.
    async fn join(&mut self, lane: Lane) -> StoreResult<()> {
        self.settle().await;
        let statement = match self.batch {
            Some(_) => "SAVEPOINT member",
            None => "BEGIN IMMEDIATE; SAVEPOINT member",
        };
        if let Err(e) = self.execute(lane, statement).await {
            if self.batch.is_none() {
                let _ = self.execute(lane, "ROLLBACK").await;
            }
            return Err(e);
        }
        self.batch = Some(lane);
        self.abandoned = true;
        Ok(())
    }

    async fn execute(&mut self, lane: Lane, sql: &str) -> StoreResult<()> {
        match lane {
            Lane::Sqlx => self.connection.execute(sql).await.map(|_| ()).map_err(StoreError::from),
            Lane::Direct => self.direct.execute_batch(sql).map_err(StoreError::from),
        }
    }

    /// Rolls back a savepoint its member left open; if even that fails, the whole batch.
    async fn settle(&mut self) {
        let Some(lane) = self.batch.filter(|_| self.abandoned) else { return };
        self.abandoned = false;
        if let Err(e) = self.execute(lane, "ROLLBACK TO member").await {
            self.end_batch(Err(format!("rolling back a failed write: {e}"))).await;
        }
    }

    /// Whether there was a batch to commit.
    async fn commit_batch(&mut self) -> bool {
        self.settle().await;
        let Some(lane) = self.batch else { return false };
        let committed = self.execute(lane, "COMMIT").await.map_err(|e| e.to_string());
        self.end_batch(committed).await;
        true
    }

    /// Ends the batch (rolled back unless it committed) and answers everyone in it.
    async fn end_batch(&mut self, outcome: Result<(), String>) {
        if let (Err(_), Some(lane)) = (&outcome, self.batch) {
            if self.execute(lane, "ROLLBACK").await.is_err() {
                // Nothing of the batch is kept either way: closing a connection rolls back.
                self.replace(lane).await;
            }
        }
        self.batch = None;
        for member in self.waiting.drain(..) {
            let _ = member.send(outcome.clone());
        }
    }

    async fn replace(&mut self, lane: Lane) {
        match lane {
            Lane::Sqlx => {
                if let Ok(fresh) = self.pool.acquire().await {
                    self.connection = fresh.detach();
                }
            }
            Lane::Direct => {
                if let Ok(fresh) = direct::open(&self.file) {
                    self.direct = fresh;
                }
            }
        }
    }
}

impl BatchMember {
    /// Keeps this member's changes and waits for the commit that makes them durable.
    async fn commit(mut self) -> StoreResult<()> {
        self.writer.abandoned = false;
        let (committed, answer) = oneshot::channel();
        self.writer.waiting.push(committed);
        self.finished = true;
        self.commit_asked.notify_one();
        drop(self);
        match answer.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Commit(e)),
            Err(_) => Err(StoreError::Commit("the store closed before the commit".into())),
        }
    }

    /// sqlx's connection, in a batch on it. A direct writer runs scripts only (`WriteTx::run`):
    /// handing it sqlx's connection would write outside its batch.
    fn sqlx_connection(&self) -> &AnyConnection {
        assert_eq!(self.lane, Lane::Sqlx, "a direct writer used sqlx's connection");
        &self.writer.connection
    }

    fn sqlx_connection_mut(&mut self) -> &mut AnyConnection {
        assert_eq!(self.lane, Lane::Sqlx, "a direct writer used sqlx's connection");
        &mut self.writer.connection
    }
}

impl Drop for BatchMember {
    fn drop(&mut self) {
        if !self.finished {
            // Its savepoint is rolled back by whoever takes the connection next, the committer at
            // the latest, so a batch never waits on a writer that is gone.
            self.commit_asked.notify_one();
        }
    }
}

async fn commit_when_asked(writer: Weak<Mutex<Writer>>, commit_asked: Arc<Notify>, commits: Arc<AtomicU64>) {
    loop {
        commit_asked.notified().await;
        let Some(writer) = writer.upgrade() else { return };
        if writer.lock().await.commit_batch().await {
            commits.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{sqlite_store, Store};

    /// Writes one limit row in its own write transaction; commits it unless `keep` is false.
    async fn write_key(store: &Store, key: String, keep: bool) -> Result<(), String> {
        let mut tx = store.begin_write().await.map_err(|e| e.to_string())?;
        sqlx::query("INSERT INTO rate_limits (key, tat) VALUES ($1, 1)")
            .bind(&key)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        match keep {
            true => tx.commit().await.map_err(|e| e.to_string()),
            false => {
                drop(tx);
                Ok(())
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writers_share_commits_and_a_dropped_writer_loses_only_its_own_change() {
        let dir = tempfile::tempdir().unwrap();
        let store = sqlite_store(&dir).await;
        let writers: Vec<_> = (0..60).map(|n| tokio::spawn(write_key_later(store.clone(), n))).collect();
        for writer in writers {
            writer.await.unwrap().unwrap();
        }
        // Read on another connection: only what was committed, and all of it.
        let keys: Vec<String> =
            sqlx::query_scalar("SELECT key FROM rate_limits ORDER BY key").fetch_all(&store.pool).await.unwrap();
        let kept: Vec<String> = (0..60).filter(|n: &u32| !n.is_multiple_of(3)).map(|n| format!("key-{n:02}")).collect();
        assert_eq!(keys, kept);
        let commits = store.group_commit.as_ref().unwrap().commits();
        assert!(commits < 40, "40 writes committed in {commits} commits");
        store.close().await;
    }

    async fn write_key_later(store: Store, n: u32) -> Result<(), String> {
        write_key(&store, format!("key-{n:02}"), !n.is_multiple_of(3)).await
    }

    #[tokio::test]
    async fn a_committed_write_is_in_the_file_when_commit_returns() {
        let dir = tempfile::tempdir().unwrap();
        let store = sqlite_store(&dir).await;
        write_key(&store, "kept".into(), true).await.unwrap();
        write_key(&store, "dropped".into(), false).await.unwrap();
        // Another process would open the file afresh: so does this second store.
        let other = sqlite_store(&dir).await;
        let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM rate_limits").fetch_all(&other.pool).await.unwrap();
        assert_eq!(keys, ["kept"]);
        other.close().await;
        store.close().await;
    }

    #[tokio::test]
    async fn a_failed_statement_rolls_back_its_writer_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = sqlite_store(&dir).await;
        write_key(&store, "first".into(), true).await.unwrap();
        // The same key again: the primary key refuses it, and the writer gives up.
        let refused = write_key(&store, "first".into(), true).await;
        assert!(refused.is_err());
        write_key(&store, "second".into(), true).await.unwrap();
        let keys: Vec<String> =
            sqlx::query_scalar("SELECT key FROM rate_limits ORDER BY key").fetch_all(&store.pool).await.unwrap();
        assert_eq!(keys, ["first", "second"]);
        store.close().await;
    }
}
