//! Storage: the one module that speaks SQL. SQLite file by default (WAL); the SQL is kept to what
//! PostgreSQL also runs. Migrations are embedded and run at start.

mod checks;
mod filings;
mod links;
mod outbox;
mod providers;
mod quota;
mod rate;
mod resend;
mod rows;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use checks::{CheckTx, LinkTarget, StoredCandidate, Transition};
pub use filings::{NewFilingRecord, NewVerificationRecord, SubmitResult};
pub use outbox::{DueSms, DueWebhook};
pub use providers::ProviderRecord;
pub use quota::{QuotaAsk, QuotaTaken};
pub use rate::RateLimit;
pub use resend::{ResendCandidate, ResendTx};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("creating the database file {path}: {source}")]
    File { path: String, source: std::io::Error },
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// SQLite has one writer. Queuing writers here, in order, instead of letting them collide in
    /// SQLite's busy handler (which sleeps and retries) keeps write latency flat under load.
    writer: Arc<Mutex<()>>,
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // An answered 200 must survive an OS crash or power loss, not only a process kill:
            // in WAL mode NORMAL may lose the last commits then; FULL syncs the WAL per commit.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        create_owner_only(options.get_filename())?;
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool, writer: Arc::new(Mutex::new(())) })
    }

    /// Held for the whole of a write (a statement or a transaction).
    async fn write_lane(&self) -> OwnedMutexGuard<()> {
        self.writer.clone().lock_owned().await
    }

    /// For `/readyz`: the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
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

#[cfg(test)]
mod tests {
    use super::Store;

    #[tokio::test]
    async fn commits_are_synced_to_disk_and_the_files_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("beian.db");
        let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        // 2 = FULL: in WAL mode, NORMAL can lose the last commits on power loss.
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&store.pool).await.unwrap();
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
