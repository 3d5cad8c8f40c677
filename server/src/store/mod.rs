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

pub use checks::{CheckTx, StoredCandidate, Transition};
pub use filings::{NewFilingRecord, NewVerificationRecord, SubmitResult};
pub use outbox::{DueSms, DueWebhook};
pub use providers::ProviderRecord;
pub use quota::{QuotaAsk, QuotaTaken};
pub use resend::{ResendCandidate, ResendTx};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
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
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
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
