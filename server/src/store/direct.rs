//! SQLite through its C library directly (rusqlite), for the writes a check makes and the reads
//! it starts with.
//!
//! sqlx runs each SQLite statement on the connection's own thread, so a statement costs two thread
//! wake-ups; on a virtual machine whose idle cores halt, a wake-up is an interrupt to the
//! hypervisor, and the writer holds the file meanwhile. A check's transaction is the hot path and
//! writes through this connection instead, on the calling thread: no hand-off at all between
//! taking the writer's turn and leaving it; its reads go through [`Readers`]. Everything else
//! keeps sqlx (`write.rs` keeps the two writers from ever holding a transaction at once).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};

use super::script::Bind;
use super::{StoreError, StoreResult};

/// Opens the file for writing with the settings sqlx's connections get (see `Store::connect`).
pub(super) fn open(path: &Path) -> StoreResult<Connection> {
    let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    connection.execute_batch(super::SQLITE_SETTINGS)?;
    // A check's statements are few and always the same: keep them all prepared.
    connection.set_prepared_statement_cache_capacity(64);
    Ok(connection)
}

/// Connections that only read, each used by one caller at a time on the caller's thread; as many
/// as ever read at once (the runtime's threads), kept open.
pub(super) struct Readers {
    file: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub(super) fn new(file: PathBuf) -> Readers {
        Readers { file, idle: Mutex::new(Vec::new()) }
    }

    /// Runs statements that read, each in its own snapshot; the rows of all of them, in order.
    pub(super) fn run(&self, statements: &[(impl AsRef<str>, Vec<Bind>)]) -> StoreResult<Vec<DirectRow>> {
        let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let connection = match idle {
            Some(connection) => connection,
            None => {
                let connection = open(&self.file)?;
                connection.execute_batch("PRAGMA query_only = ON;")?;
                connection
            }
        };
        let rows = run(&connection, statements)?;
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(connection);
        Ok(rows)
    }
}

/// Runs statements in order; the rows of all of them, in order.
pub(super) fn run(connection: &Connection, statements: &[(impl AsRef<str>, Vec<Bind>)]) -> StoreResult<Vec<DirectRow>> {
    let mut found = Vec::new();
    // Each statement's time, as sqlx logs its own (`cargo xtask bench --statements` reads both).
    let timed = tracing::enabled!(tracing::Level::DEBUG);
    for (sql, binds) in statements {
        let started = timed.then(std::time::Instant::now);
        let mut statement = connection.prepare_cached(sql.as_ref())?;
        // Bound by name (`$n` is the n-th bind), as sqlx does, whatever order they appear in.
        for index in 1..=statement.parameter_count() {
            let bind = statement
                .parameter_name(index)
                .and_then(|name| name.strip_prefix('$'))
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| binds.get(n.wrapping_sub(1)))
                .ok_or_else(|| StoreError::Corrupt(format!("parameter {index} of: {}", sql.as_ref())))?;
            statement.raw_bind_parameter(index, bind)?;
        }
        let columns: Arc<[String]> = statement.column_names().into_iter().map(str::to_owned).collect();
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next()? {
            let values = (0..columns.len()).map(|i| row.get::<_, Value>(i)).collect::<Result<_, _>>()?;
            found.push(DirectRow { columns: columns.clone(), values });
        }
        if let Some(started) = started {
            tracing::debug!(db.statement = sql.as_ref(), elapsed_secs = started.elapsed().as_secs_f64(), "statement");
        }
    }
    Ok(found)
}

/// A row read through the direct connection.
pub(super) struct DirectRow {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl DirectRow {
    /// The value of `column`; `None` if the row has no such column.
    pub(super) fn value(&self, column: &str) -> Option<&Value> {
        self.columns.iter().position(|c| c == column).and_then(|at| self.values.get(at))
    }
}

impl ToSql for Bind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Bind::NullText => ValueRef::Null,
            Bind::Int(value) => ValueRef::Integer(*value),
            Bind::Text(value) => ValueRef::Text(value.as_bytes()),
            Bind::Blob(value) => ValueRef::Blob(value),
        }))
    }
}
