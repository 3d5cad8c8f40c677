//! Growing out of SQLite: every row of a SQLite deployment copied into an empty PostgreSQL
//! database, in one transaction on each side (a consistent snapshot of the source, even while it
//! serves; all or nothing on the target).

use sqlx::{Any, FromRow, Row, Transaction};

use super::{Engine, Store, StoreError, StoreResult};

/// Every table, parents before the tables that refer to them.
const TABLES: [&str; 10] = [
    "deployment",
    "providers",
    "provider_keys",
    "filings",
    "verifications",
    "filing_events",
    "sms_outbox",
    "webhook_outbox",
    "rate_limits",
    "sms_quota_counters",
];

/// One table's rows, counted on both sides after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTable {
    pub table: &'static str,
    pub source_rows: i64,
    pub target_rows: i64,
}

/// A SQLite column as `pragma_table_info` describes it.
#[derive(FromRow)]
struct ColumnInfo {
    name: String,
    #[sqlx(rename = "type")]
    declared: String,
}

#[derive(Debug, Clone, Copy)]
enum ColumnKind {
    Integer,
    Text,
    Bytes,
}

impl Store {
    /// Copies this (SQLite) store's data into `target` (PostgreSQL, migrated, empty).
    pub async fn copy_into(&self, target: &Store) -> StoreResult<Vec<CopiedTable>> {
        if self.engine != Engine::Sqlite || target.engine != Engine::Postgres {
            return Err(StoreError::Copy("the copy goes from a SQLite database into a PostgreSQL one".into()));
        }
        for table in TABLES {
            if target.rows_in(table).await? > 0 {
                return Err(StoreError::Copy(format!("the target database is not empty (table {table} has rows)")));
            }
        }
        let mut source = self.pool.begin().await?;
        let mut into = target.pool.begin().await?;
        for table in TABLES {
            copy_table(&mut source, &mut into, table).await?;
        }
        // Later history rows continue after the copied ones.
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('filing_events', 'id'), COALESCE(MAX(id), 0) + 1, false) \
             FROM filing_events",
        )
        .execute(&mut *into)
        .await?;
        into.commit().await?;
        source.commit().await?;
        let mut counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            counts.push(CopiedTable {
                table,
                source_rows: self.rows_in(table).await?,
                target_rows: target.rows_in(table).await?,
            });
        }
        Ok(counts)
    }

    async fn rows_in(&self, table: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.pool).await?)
    }
}

async fn copy_table(
    source: &mut Transaction<'static, Any>,
    into: &mut Transaction<'static, Any>,
    table: &str,
) -> StoreResult<()> {
    let columns: Vec<(String, ColumnKind)> =
        sqlx::query_as::<_, ColumnInfo>(&format!("SELECT name, type FROM pragma_table_info('{table}')"))
            .fetch_all(&mut **source)
            .await?
            .into_iter()
            .map(|column| (column.name, kind_of(&column.declared)))
            .collect();
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let select = format!("SELECT {} FROM {table} ORDER BY rowid", names.join(", "));
    let insert = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
    for row in sqlx::query(&select).fetch_all(&mut **source).await? {
        let mut query = sqlx::query(&insert);
        for (index, (_, kind)) in columns.iter().enumerate() {
            query = match kind {
                ColumnKind::Integer => query.bind(row.try_get::<Option<i64>, _>(index)?),
                ColumnKind::Text => query.bind(row.try_get::<Option<String>, _>(index)?),
                ColumnKind::Bytes => query.bind(row.try_get::<Option<Vec<u8>>, _>(index)?),
            };
        }
        query.execute(&mut **into).await?;
    }
    Ok(())
}

/// A SQLite column's declared type, as the value to bind on PostgreSQL.
fn kind_of(declared: &str) -> ColumnKind {
    let declared = declared.to_ascii_uppercase();
    if declared.contains("INT") {
        ColumnKind::Integer
    } else if declared.contains("BLOB") {
        ColumnKind::Bytes
    } else {
        ColumnKind::Text
    }
}
