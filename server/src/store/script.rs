//! Statements a transaction decides first and sends later, and the rows they return, on either
//! driver: a check collects its writes and sends them together, through SQLite directly on
//! SQLite (`direct.rs`, no thread hand-off per statement) and through sqlx, one after another,
//! on PostgreSQL.

use std::borrow::Cow;

use sqlx::AnyConnection;

use super::script_row::ScriptRow;
use super::StoreResult;
use crate::domain::{EventId, FilingId, ProviderId, SmsId, VerificationId};

/// A statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Bind {
    /// A text NULL: PostgreSQL types each parameter, and every parameter that may be NULL is text.
    NullText,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Bind {
    fn from(value: i64) -> Bind {
        Bind::Int(value)
    }
}

impl From<&str> for Bind {
    fn from(value: &str) -> Bind {
        Bind::Text(value.to_owned())
    }
}

impl From<&[u8]> for Bind {
    fn from(value: &[u8]) -> Bind {
        Bind::Blob(value.to_vec())
    }
}

impl From<Option<&str>> for Bind {
    fn from(value: Option<&str>) -> Bind {
        value.map_or(Bind::NullText, Into::into)
    }
}

/// Ids bind as the text they are, as do their `sqlx::Type`s.
macro_rules! id_binds {
    ($($id:ty),*) => {$(
        impl From<&$id> for Bind {
            fn from(value: &$id) -> Bind {
                Bind::Text(value.as_str().to_owned())
            }
        }

        impl From<Option<&$id>> for Bind {
            fn from(value: Option<&$id>) -> Bind {
                value.map_or(Bind::NullText, Into::into)
            }
        }
    )*};
}

id_binds!(FilingId, VerificationId, ProviderId, SmsId, EventId);

/// Statements to run in order, in the caller's transaction (`WriteTx::run`); their rows come
/// back in order.
#[derive(Default)]
pub(super) struct Script {
    statements: Vec<(Cow<'static, str>, Vec<Bind>)>,
}

impl Script {
    /// A script of one statement.
    pub(super) fn one(sql: impl Into<Cow<'static, str>>, binds: Vec<Bind>) -> Script {
        let mut script = Script::default();
        script.push(sql, binds);
        script
    }

    /// Adds a statement whose parameters are `$1…$n`, `n` being `binds.len()`.
    pub(super) fn push(&mut self, sql: impl Into<Cow<'static, str>>, binds: Vec<Bind>) {
        self.statements.push((sql.into(), binds));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The statements, leaving the script empty.
    pub(super) fn take(&mut self) -> Vec<(Cow<'static, str>, Vec<Bind>)> {
        std::mem::take(&mut self.statements)
    }

    /// Runs every statement through sqlx on its own, on either engine, and empties the script.
    pub(super) async fn run_one_by_one(&mut self, conn: &mut AnyConnection) -> StoreResult<Vec<ScriptRow>> {
        let mut rows = Vec::new();
        for (sql, binds) in self.take() {
            let found = bound(sqlx::query(&sql), binds).fetch_all(&mut *conn).await?;
            rows.extend(found.into_iter().map(ScriptRow::Sqlx));
        }
        Ok(rows)
    }
}

fn bound<'q>(mut query: super::AnyQuery<'q>, binds: Vec<Bind>) -> super::AnyQuery<'q> {
    for bind in binds {
        query = match bind {
            Bind::NullText => query.bind(None::<String>),
            Bind::Int(value) => query.bind(value),
            Bind::Text(value) => query.bind(value),
            Bind::Blob(value) => query.bind(value),
        };
    }
    query
}

#[cfg(test)]
mod tests {
    use super::{Bind, Script};
    use crate::store::scratch_write;

    /// The script runs on a real SQLite file, through sqlx and through the direct connection:
    /// every statement's parameters reach that statement (bound by number, whatever order they
    /// appear in), and the rows of every statement come back in order.
    #[tokio::test]
    async fn a_script_writes_and_returns_like_its_statements_one_by_one_on_either_connection() {
        for direct in [false, true] {
            let (_dir, store, mut tx) = scratch_write(direct).await;
            let mut script = Script::default();
            script.push("INSERT INTO rate_limits (key, tat) VALUES ($1, $2)", vec!["one".into(), Bind::Int(10)]);
            script.push(
                "INSERT INTO rate_limits (key, tat) VALUES ($2, $1) RETURNING key",
                vec![Bind::Int(20), "two".into()],
            );
            script.push(
                "UPDATE rate_limits SET tat = tat + $1 WHERE key = $2 RETURNING tat",
                vec![Bind::Int(5), "one".into()],
            );
            let rows = tx.run(&mut script).await.unwrap();
            assert!(script.is_empty());
            assert_eq!(rows.len(), 2, "direct: {direct}");
            assert_eq!(rows[0].try_get::<String>("key").unwrap(), "two");
            assert_eq!(rows[1].try_get::<i64>("tat").unwrap(), 15);
            tx.commit().await.unwrap();
            let stored: Vec<(String, i64)> =
                sqlx::query_as("SELECT key, tat FROM rate_limits ORDER BY key").fetch_all(&store.pool).await.unwrap();
            assert_eq!(stored, [("one".to_owned(), 15), ("two".to_owned(), 20)], "direct: {direct}");
            store.close().await;
        }
    }
}
