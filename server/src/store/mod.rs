//! Storage: the one module that speaks SQL, on either engine: a SQLite file (the default, WAL,
//! one process) or PostgreSQL (several replicas). The SQL is shared; what differs is in
//! `dialect.rs`, and each engine has its own embedded migrations, run at start.

mod checks;
mod copy;
mod deployment;
mod dialect;
mod direct;
mod filings;
mod links;
mod outbox;
mod providers;
mod quota;
mod rate;
mod resend;
mod rows;
mod script;
mod script_row;
mod write;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor};

pub use checks::{CheckTx, LinkTarget, Province as ClosedProvince, StoredCandidate, Transition};
pub use copy::CopiedTable;
pub use deployment::KeyMismatch;
pub use dialect::Engine;
pub use filings::{FilingKey, FilingPage, NewFilingRecord, NewVerificationRecord, SubmitResult};
pub use outbox::{DueSms, DueWebhook};
pub use providers::ProviderRecord;
pub use quota::{QuotaAsk, QuotaTaken};
pub use rate::RateLimit;
pub use resend::{ResendCandidate, ResendTx};
use script::Script;
use script_row::ScriptRow;
use write::{GroupCommit, Lane, WriteTx};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("creating the database file {path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("unsupported database URL (expected sqlite://… or postgres://…): {0}")]
    UnsupportedUrl(String),
    #[error(transparent)]
    KeyMismatch(#[from] KeyMismatch),
    #[error("copying into PostgreSQL: {0}")]
    Copy(String),
    #[error("committing: {0}")]
    Commit(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// How every SQLite connection is set up. An answered 200 must survive an OS crash or power
/// loss, not only a process kill: in WAL mode NORMAL may lose the last commits then; FULL syncs
/// the WAL per commit.
const SQLITE_SETTINGS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// A row as either engine returns it.
type StoredRow = AnyRow;

/// A statement with its parameters bound, for either engine.
type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// SQLite's one writing connection, whose writers are committed in groups (`write.rs`);
    /// none on PostgreSQL.
    group_commit: Option<GroupCommit>,
    /// SQLite's connections for the reads a check starts with (`direct.rs`); none on PostgreSQL.
    readers: Option<Arc<direct::Readers>>,
}

impl Store {
    /// Opens (creating a SQLite file if needed) the database and brings its schema up to date;
    /// `max_connections` sizes a PostgreSQL pool (SQLite's has 8: it has one writer anyway).
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let engine = Engine::of_url(url).ok_or_else(|| StoreError::UnsupportedUrl(redact(url)))?;
        let pool = match engine {
            Engine::Sqlite => {
                create_owner_only(SqliteConnectOptions::from_str(url)?.get_filename())?;
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(SQLITE_SETTINGS).await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
            Engine::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?
            }
        };
        let (group_commit, readers) = match engine {
            Engine::Sqlite => {
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
                let file = SqliteConnectOptions::from_str(url)?.get_filename().to_owned();
                (Some(GroupCommit::start(&pool, file.clone()).await?), Some(Arc::new(direct::Readers::new(file))))
            }
            Engine::Postgres => {
                sqlx::migrate!("./migrations/postgres").run(&pool).await?;
                (None, None)
            }
        };
        Ok(Store { pool, engine, group_commit, readers })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a transaction that writes: on SQLite, a turn of the one writer, in a group commit.
    async fn begin_write(&self) -> StoreResult<WriteTx> {
        self.begin_write_on(Lane::Sqlx).await
    }

    /// As [`Store::begin_write`], for a transaction that runs only scripts (`WriteTx::run`): on
    /// SQLite it writes through the direct connection, with no thread hand-offs (`direct.rs`).
    async fn begin_direct_write(&self) -> StoreResult<WriteTx> {
        self.begin_write_on(Lane::Direct).await
    }

    async fn begin_write_on(&self, lane: Lane) -> StoreResult<WriteTx> {
        match &self.group_commit {
            Some(group) => Ok(WriteTx::Batched(group.begin(lane).await?)),
            None => Ok(WriteTx::Own(self.pool.begin().await?)),
        }
    }

    /// One statement that writes, committed before it returns (on PostgreSQL, on its own).
    async fn write_one<'q>(&self, query: AnyQuery<'q>) -> StoreResult<sqlx::any::AnyQueryResult> {
        match &self.group_commit {
            Some(_) => {
                let mut tx = self.begin_write().await?;
                let done = query.execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(done)
            }
            None => Ok(query.execute(&self.pool).await?),
        }
    }

    /// As [`Store::write_one`], for a statement that returns rows.
    async fn write_one_returning<'q>(&self, query: AnyQuery<'q>) -> StoreResult<Vec<StoredRow>> {
        match &self.group_commit {
            Some(_) => {
                let mut tx = self.begin_write().await?;
                let rows = query.fetch_all(&mut *tx).await?;
                tx.commit().await?;
                Ok(rows)
            }
            None => Ok(query.fetch_all(&self.pool).await?),
        }
    }

    /// Runs statements that read, outside any transaction: on SQLite on the calling thread
    /// (`direct.rs`), on PostgreSQL through the pool.
    async fn read(&self, mut script: Script) -> StoreResult<Vec<ScriptRow>> {
        match &self.readers {
            Some(readers) => Ok(readers.run(&script.take())?.into_iter().map(ScriptRow::Direct).collect()),
            None => script.run_one_by_one(&mut *self.pool.acquire().await?).await,
        }
    }

    /// For `/readyz`: the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(group) = &self.group_commit {
            group.flush().await;
        }
        self.pool.close().await;
    }
}

/// A database URL without its password, for error messages.
fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((before, after)) => match before.rsplit_once(':') {
            Some((user, _)) if user.contains("//") => format!("{user}:***@{after}"),
            _ => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Creates the database file owner-only before SQLite does (it would use the umask, usually
/// 0644); SQLite gives its -wal and -shm files the database file's permissions.
fn create_owner_only(path: &std::path::Path) -> StoreResult<()> {
    if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" || path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::File { path: path.display().to_string(), source: e }),
    }
}

/// A store on the SQLite file `beian.db` in `dir` (created if missing), for the store's tests.
#[cfg(test)]
async fn sqlite_store(dir: &tempfile::TempDir) -> Store {
    Store::connect(&format!("sqlite://{}", dir.path().join("beian.db").display()), 1).await.unwrap()
}

/// A store on a fresh SQLite file, and a write transaction on it through sqlx or, with `direct`,
/// the direct connection: what the tests of scripts and their rows run on, once per connection.
#[cfg(test)]
async fn scratch_write(direct: bool) -> (tempfile::TempDir, Store, WriteTx) {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_store(&dir).await;
    let tx = match direct {
        true => store.begin_direct_write().await.unwrap(),
        false => store.begin_write().await.unwrap(),
    };
    (dir, store, tx)
}

#[cfg(test)]
mod tests {
    use super::Store;

    /// A database written before the states had one name each (docs/states.md) reads back in the
    /// new names once the server has started on it.
    #[tokio::test]
    async fn a_database_with_the_old_state_names_is_migrated_to_the_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let before = dir.path().join("before");
        std::fs::create_dir(&before).unwrap();
        let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        for entry in std::fs::read_dir(&migrations).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            if name.as_str() < "0006" {
                std::fs::copy(&path, before.join(name)).unwrap();
            }
        }
        let url = format!("sqlite://{}", dir.path().join("beian.db").display());
        let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&url).unwrap();
        let old = sqlx::SqlitePool::connect_with(options.create_if_missing(true)).await.unwrap();
        sqlx::migrate::Migrator::new(before.as_path()).await.unwrap().run(&old).await.unwrap();
        for statement in [
            "INSERT INTO providers (id, name, key_hash, created_at) VALUES ('p', '甲', x'00', 0)",
            "INSERT INTO filings (id, provider_id, business_type, subject_name, website_names, completion, state, \
             return_reason, created_at) VALUES ('done', 'p', 'new_filing', 's', '[]', 'all', 'complete', NULL, 0), \
             ('back', 'p', 'new_filing', 's', '[]', 'all', 'returned', 'failed_attempts', 0)",
            "INSERT INTO verifications (id, filing_id, name, phone, suffix_hash, code_hash, token_hash, roles, state, \
             issued_at, expires_at) VALUES ('v1', 'back', '张三', '13800000000', x'01', x'02', x'03', '[]', 'failed', 0, 1), \
             ('v2', 'back', '李四', '13900000000', x'01', x'02', x'04', '[]', 'closed', 0, 1)",
            "INSERT INTO filing_events (filing_id, at, kind, verification_id, detail) VALUES \
             ('back', 0, 'check', 'v1', 'failed'), ('done', 0, 'check', NULL, 'complete'), \
             ('back', 0, 'returned', NULL, 'failed_attempts'), ('back', 0, 'check', 'v1', 'attempts_used_up')",
        ] {
            sqlx::query(statement).execute(&old).await.unwrap();
        }
        old.close().await;

        let store = Store::connect(&url, 1).await.unwrap();
        let column = |sql: &'static str| {
            let pool = store.pool.clone();
            async move {
                let column: Vec<Option<String>> = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
                column.into_iter().map(Option::unwrap_or_default).collect::<Vec<_>>()
            }
        };
        assert_eq!(column("SELECT state FROM filings ORDER BY id").await, ["returned", "completed"]);
        assert_eq!(column("SELECT return_reason FROM filings ORDER BY id").await, ["attempts_used_up", ""]);
        assert_eq!(column("SELECT state FROM verifications ORDER BY id").await, ["attempts_used_up", "returned"]);
        assert_eq!(
            column("SELECT detail FROM filing_events ORDER BY id").await,
            ["wrong_code", "completed", "attempts_used_up", "attempts_used_up"]
        );
        store.close().await;
    }

    #[tokio::test]
    async fn commits_are_synced_to_disk_and_the_files_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("beian.db");
        let store = Store::connect(&format!("sqlite://{}", path.display()), 1).await.unwrap();
        // 2 = FULL: in WAL mode, NORMAL can lose the last commits on power loss.
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&store.pool).await.unwrap();
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&store.pool).await.unwrap();
        assert_eq!(journal, "wal");
        assert_eq!(synchronous, 2);
        store.ping().await.unwrap();
        #[cfg(unix)]
        for file in ["beian.db", "beian.db-wal", "beian.db-shm"] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(file)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
        store.close().await;
    }
}
