//! Everything that differs between the two engines, in one place. The rest of the store is SQL
//! both run (`$1` parameters, `ON CONFLICT`, `RETURNING`, window functions).
//!
//! - SQLite has one writer per file: the process writes through one connection, in a transaction
//!   begun `IMMEDIATE` (it holds the write lock, so what a writer reads stays true until commit),
//!   writers queued in process rather than in SQLite's sleeping busy handler and committed in
//!   groups (`write.rs`).
//! - PostgreSQL runs many writers at once, from many replicas, at READ COMMITTED: a transaction
//!   that may close a filing first locks the filing rows it may close, in id order
//!   ([`Engine::lock_rows`]), and outbox claims skip rows another replica holds
//!   ([`Engine::skip_locked`]).

/// The database engine behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a database URL names (`sqlite:…`, `postgres://…` or `postgresql://…`).
    pub fn of_url(url: &str) -> Option<Engine> {
        let scheme = url.split(':').next()?;
        match scheme {
            "sqlite" => Some(Engine::Sqlite),
            "postgres" | "postgresql" => Some(Engine::Postgres),
            _ => None,
        }
    }

    /// Whether this engine is a server that several replicas share (and so must agree on a key).
    pub fn is_shared(self) -> bool {
        self == Engine::Postgres
    }

    /// Whether transactions lock the rows they will change (PostgreSQL), rather than the whole
    /// database (SQLite).
    pub(super) fn locks_rows(self) -> bool {
        self == Engine::Postgres
    }

    /// Appended to a SELECT whose rows the transaction will change (SQLite's `BEGIN IMMEDIATE`
    /// already holds the whole database). `NO KEY UPDATE`, the lock an UPDATE of non-key columns
    /// takes, leaves inserts that reference the row (history, SMS) free to go on.
    pub(super) fn lock_rows(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR NO KEY UPDATE",
        }
    }

    /// Appended to an outbox claim's inner SELECT: rows another replica is claiming are left to it.
    pub(super) fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Engine;

    #[test]
    fn the_engine_comes_from_the_url_scheme() {
        assert_eq!(Engine::of_url("sqlite://data/beian.db"), Some(Engine::Sqlite));
        assert_eq!(Engine::of_url("sqlite::memory:"), Some(Engine::Sqlite));
        assert_eq!(Engine::of_url("postgres://postgres@127.0.0.1/beian"), Some(Engine::Postgres));
        assert_eq!(Engine::of_url("postgresql://db.internal/beian"), Some(Engine::Postgres));
        assert_eq!(Engine::of_url("mysql://root@localhost/beian"), None);
        assert_eq!(Engine::of_url("data/beian.db"), None);
    }
}
