//! Statements a write transaction sends together.
//!
//! sqlx's SQLite driver runs each statement on the connection's own thread: every statement sent
//! alone costs a hand-off there and back while the writer holds the file, and the hand-offs, not
//! SQLite, were most of a check's time under load. A script goes in one hand-off: its statements
//! joined, each one's `$1…$n` renumbered to follow the previous one's (SQLite numbers parameters
//! across the whole text). PostgreSQL takes one statement per message with parameters, so there
//! the script runs its statements one after another, as they would have run anyway.

use std::borrow::Cow;
use std::fmt::Write as _;

use sqlx::AnyConnection;

use super::{Engine, StoreResult, StoredRow};

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

/// Statements to run in order, in the caller's transaction; their rows come back in order.
#[derive(Default)]
pub(super) struct Script {
    statements: Vec<(Cow<'static, str>, Vec<Bind>)>,
}

impl Script {
    /// Adds a statement whose parameters are `$1…$n`, `n` being `binds.len()`.
    pub(super) fn push(&mut self, sql: impl Into<Cow<'static, str>>, binds: Vec<Bind>) {
        self.statements.push((sql.into(), binds));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Runs every statement and empties the script; the rows of all of them, in order.
    pub(super) async fn run(&mut self, engine: Engine, conn: &mut AnyConnection) -> StoreResult<Vec<StoredRow>> {
        let statements = std::mem::take(&mut self.statements);
        match engine {
            Engine::Sqlite if statements.len() > 1 => {
                let (sql, binds) = joined(statements);
                Ok(bound(sqlx::query(&sql), binds).fetch_all(&mut *conn).await?)
            }
            _ => {
                self.statements = statements;
                self.run_one_by_one(conn).await
            }
        }
    }

    /// Runs every statement on its own, on either engine, and empties the script.
    pub(super) async fn run_one_by_one(&mut self, conn: &mut AnyConnection) -> StoreResult<Vec<StoredRow>> {
        let mut rows = Vec::new();
        for (sql, binds) in std::mem::take(&mut self.statements) {
            rows.extend(bound(sqlx::query(&sql), binds).fetch_all(&mut *conn).await?);
        }
        Ok(rows)
    }
}

/// One text of all the statements, parameters numbered across it, and all their parameters.
fn joined(statements: Vec<(Cow<'static, str>, Vec<Bind>)>) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut all = Vec::new();
    for (statement, binds) in statements {
        renumber(&statement, all.len(), &mut sql);
        sql.push_str(";\n");
        all.extend(binds);
    }
    (sql, all)
}

/// Appends `statement` with each `$n` written as `$(n + offset)`. Our SQL has no `$` elsewhere
/// (no dollar-quoted strings, no `$` in literals).
fn renumber(statement: &str, offset: usize, out: &mut String) {
    let mut rest = statement;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
        match rest[at + 1..at + 1 + digits].parse::<usize>() {
            Ok(n) => {
                let _ = write!(out, "${}", n + offset);
            }
            Err(_) => out.push('$'),
        }
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
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
    use sqlx::Row;

    use super::{joined, Bind, Script};
    use crate::store::Store;

    #[test]
    fn each_statement_s_parameters_follow_the_previous_ones() {
        let (sql, binds) = joined(vec![
            ("UPDATE a SET x = $1 WHERE id = $2".into(), vec![Bind::Int(1), "a".into()]),
            ("INSERT INTO b VALUES ($1, $1)".into(), vec![Bind::Int(2)]),
            ("SELECT 1".into(), vec![]),
            ("DELETE FROM c WHERE id = $1 AND n > $10".into(), vec![Bind::NullText]),
        ]);
        assert_eq!(
            sql,
            "UPDATE a SET x = $1 WHERE id = $2;\nINSERT INTO b VALUES ($3, $3);\nSELECT 1;\n\
             DELETE FROM c WHERE id = $4 AND n > $13;\n"
        );
        assert_eq!(binds, [Bind::Int(1), "a".into(), Bind::Int(2), Bind::NullText]);
    }

    /// The script runs on a real SQLite file: every statement's parameters reach that statement,
    /// and the rows of every statement come back in order.
    #[tokio::test]
    async fn a_joined_script_writes_and_returns_like_its_statements_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("beian.db").display()), 1).await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        let mut script = Script::default();
        script.push("INSERT INTO rate_limits (key, tat) VALUES ($1, $2)", vec!["one".into(), Bind::Int(10)]);
        script.push(
            "INSERT INTO rate_limits (key, tat) VALUES ($1, $2) RETURNING key",
            vec!["two".into(), Bind::Int(20)],
        );
        script.push(
            "UPDATE rate_limits SET tat = tat + $1 WHERE key = $2 RETURNING tat",
            vec![Bind::Int(5), "one".into()],
        );
        let rows = script.run(store.engine(), &mut tx).await.unwrap();
        assert!(script.is_empty());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get::<String, _>("key"), "two");
        assert_eq!(rows[1].get::<i64, _>("tat"), 15);
        tx.commit().await.unwrap();
        let stored: Vec<(String, i64)> =
            sqlx::query_as("SELECT key, tat FROM rate_limits ORDER BY key").fetch_all(&store.pool).await.unwrap();
        assert_eq!(stored, [("one".to_owned(), 15), ("two".to_owned(), 20)]);
        store.close().await;
    }
}
