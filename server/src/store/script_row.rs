//! A script's rows, from whichever driver ran the script, and the row structs they are read into.
//!
//! A row struct is declared once, with [`script_row!`]: the struct, and its reading from a
//! [`ScriptRow`] field by field, each from the column of its name. A macro of ours rather than
//! `sqlx::FromRow` because the direct driver's rows are rusqlite values, which sqlx's `FromRow`
//! cannot take (its `Row` belongs to a sqlx database, and making an `AnyRow` of them would lean
//! on sqlx's hidden internals). sqlx's rows are read through sqlx's own `Decode`, as `FromRow`
//! reads them, the direct ones through [`FromColumn`], and both fail with sqlx's errors on a
//! missing column or a value of another type.

use rusqlite::types::Value;
use sqlx::{Any, Decode, Row, Type};

use super::direct::DirectRow;
use super::{StoreResult, StoredRow};
use crate::domain::{FilingId, ProviderId, VerificationId};

/// A row of a script, from whichever driver ran it.
pub(super) enum ScriptRow {
    Sqlx(StoredRow),
    Direct(DirectRow),
}

impl ScriptRow {
    /// The value of `column`.
    pub(super) fn try_get<T: FromColumn>(&self, column: &str) -> Result<T, sqlx::Error> {
        match self {
            ScriptRow::Sqlx(row) => row.try_get(column),
            ScriptRow::Direct(row) => {
                let value = row.value(column).ok_or_else(|| sqlx::Error::ColumnNotFound(column.to_owned()))?;
                T::from_value(value).ok_or_else(|| sqlx::Error::ColumnDecode {
                    index: column.to_owned(),
                    source: format!("the column holds {:?}", value.data_type()).into(),
                })
            }
        }
    }

    /// Whether the row has this column (rows of different statements of a script differ).
    pub(super) fn has(&self, column: &str) -> bool {
        match self {
            ScriptRow::Sqlx(row) => row.try_column(column).is_ok(),
            ScriptRow::Direct(row) => row.value(column).is_some(),
        }
    }
}

/// A row struct that a script's row is read into; declared with [`script_row!`].
pub(super) trait FromScriptRow: Sized {
    fn from_script_row(row: &ScriptRow) -> Result<Self, sqlx::Error>;
}

/// Every row read into `R`.
pub(super) fn read_all<R: FromScriptRow>(rows: &[ScriptRow]) -> StoreResult<Vec<R>> {
    Ok(rows.iter().map(R::from_script_row).collect::<Result<_, _>>()?)
}

/// Declares a row struct and its [`FromScriptRow`]: each field from the column of its name.
macro_rules! script_row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($(#[$field_meta:meta])* $field_vis:vis $field:ident: $ty:ty,)* }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$field_meta])* $field_vis $field: $ty,)*
        }

        impl $crate::store::script_row::FromScriptRow for $name {
            fn from_script_row(row: &$crate::store::script_row::ScriptRow) -> Result<Self, sqlx::Error> {
                Ok($name { $($field: row.try_get(stringify!($field))?,)* })
            }
        }
    };
}

pub(super) use script_row;

/// A column type both drivers read: through sqlx's `Decode`, or from a rusqlite value.
pub(super) trait FromColumn: Sized + for<'r> Decode<'r, Any> + Type<Any> {
    fn from_value(value: &Value) -> Option<Self>;
}

impl FromColumn for i64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Integer(n) => Some(*n),
            _ => None,
        }
    }
}

impl FromColumn for String {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl FromColumn for Vec<u8> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Blob(bytes) => Some(bytes.clone()),
            _ => None,
        }
    }
}

impl<T: FromColumn> FromColumn for Option<T> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// Ids read as the text they are stored as.
macro_rules! id_columns {
    ($($id:ty),*) => {$(
        impl FromColumn for $id {
            fn from_value(value: &Value) -> Option<Self> {
                String::from_value(value).map(<$id>::new)
            }
        }
    )*};
}

id_columns!(FilingId, VerificationId, ProviderId);

#[cfg(test)]
mod tests {
    use super::read_all;
    use crate::store::script::{Bind, Script};
    use crate::store::{scratch_write, StoreError};

    script_row! {
        #[derive(Debug, PartialEq)]
        struct Cell {
            key: String,
            tat: i64,
        }
    }

    script_row! {
        // Never read: the reading fails.
        #[allow(dead_code)]
        struct Misread {
            key: i64,
        }
    }

    script_row! {
        #[allow(dead_code)]
        struct Missing {
            nowhere: String,
        }
    }

    /// sqlx's rows and the direct connection's are read into the same struct, and a row the
    /// struct does not fit is an error on both (not a panic, not a default).
    #[tokio::test]
    async fn a_row_struct_reads_alike_from_either_driver_and_a_misfit_is_an_error() {
        for direct in [false, true] {
            let (_dir, store, mut tx) = scratch_write(direct).await;
            let mut script = Script::one(
                "INSERT INTO rate_limits (key, tat) VALUES ($1, $2) RETURNING key, tat",
                vec!["one".into(), Bind::Int(7)],
            );
            let rows = tx.run(&mut script).await.unwrap();
            let cells: Vec<Cell> = read_all(&rows).unwrap();
            assert_eq!(cells, [Cell { key: "one".into(), tat: 7 }], "direct: {direct}");
            let misread = read_all::<Misread>(&rows).map(|_| ());
            assert!(matches!(misread, Err(StoreError::Database(sqlx::Error::ColumnDecode { .. }))), "direct: {direct}");
            let missing = read_all::<Missing>(&rows).map(|_| ());
            assert!(matches!(missing, Err(StoreError::Database(sqlx::Error::ColumnNotFound(_)))), "direct: {direct}");
            drop(tx);
            store.close().await;
        }
    }
}
