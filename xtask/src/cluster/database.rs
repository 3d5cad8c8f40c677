//! The cluster's database: a PostgreSQL database created when missing (through the server's
//! `postgres` maintenance database), or a fresh one dropped again at the end (`--temporary-database`).
//! A SQLite URL is passed through: the replicas share the file (slowly; for trying the mechanics).

use crate::Result;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};
use std::time::{SystemTime, UNIX_EPOCH};

/// PostgreSQL's "database already exists" (another process created it first).
const DUPLICATE_DATABASE: &str = "42P04";

/// The database the replicas use.
pub struct Database {
    /// What the replicas get as BEIAN_DATABASE_URL.
    pub url: String,
    /// Dropped by [`Database::drop_if_temporary`].
    temporary: bool,
}

impl Database {
    /// Creates the PostgreSQL database `url` names unless it exists; with `temporary`, a new one
    /// named `beian_tmp_<pid>_<time>` on the same server instead. SQLite URLs are used as they are.
    pub async fn prepare(url: &str, temporary: bool) -> Result<Database> {
        if !is_postgres(url) {
            if temporary {
                return Err("--temporary-database needs a postgres:// URL".into());
            }
            return Ok(Database { url: url.to_string(), temporary });
        }
        let url = if temporary { with_database(url, &temporary_name())? } else { url.to_string() };
        let options: PgConnectOptions = url.parse().map_err(|e| format!("database URL {}: {e}", shown(&url)))?;
        let name = options.get_database().ok_or(format!("{} names no database", shown(&url)))?.to_string();
        let mut server = maintenance(&options).await?;
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut server)
            .await
            .map_err(|e| format!("looking for database {name}: {e}"))?;
        if exists {
            eprintln!("cluster: database {} exists", shown(&url));
        } else {
            match sqlx::query(&format!("CREATE DATABASE {}", quote_identifier(&name))).execute(&mut server).await {
                Ok(_) => eprintln!("cluster: created database {}", shown(&url)),
                Err(e) if e.as_database_error().and_then(|d| d.code()).as_deref() == Some(DUPLICATE_DATABASE) => {}
                Err(e) => return Err(format!("creating database {name}: {e}")),
            }
        }
        let _ = server.close().await;
        Ok(Database { url, temporary })
    }

    /// Drops a temporary database (its replicas must have stopped).
    pub async fn drop_if_temporary(&self) -> Result<()> {
        if !self.temporary {
            return Ok(());
        }
        let options: PgConnectOptions = self.url.parse().map_err(|e| format!("{}: {e}", shown(&self.url)))?;
        let name = options.get_database().unwrap_or_default().to_string();
        let mut server = maintenance(&options).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_identifier(&name)))
            .execute(&mut server)
            .await
            .map_err(|e| format!("dropping database {name}: {e}"))?;
        let _ = server.close().await;
        eprintln!("cluster: dropped database {name}");
        Ok(())
    }
}

/// A connection to the `postgres` database of the server `options` point at.
async fn maintenance(options: &PgConnectOptions) -> Result<PgConnection> {
    let options = options.clone().database("postgres");
    options.connect().await.map_err(|e| {
        format!(
            "cannot reach PostgreSQL at {}:{} as {}: {e} (start it, or pass --database)",
            options.get_host(),
            options.get_port(),
            options.get_username()
        )
    })
}

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn temporary_name() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or_default();
    format!("beian_tmp_{}_{nanos}", std::process::id())
}

/// `url` with its database (the path) replaced by `name`; the query string is kept.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").ok_or(format!("{} is not a URL", shown(url)))? + 3;
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Ok(out)
}

/// A PostgreSQL identifier in double quotes, inner quotes doubled.
fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `url` with any password replaced by `***`, for messages.
pub fn shown(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let rest = &url[scheme_end..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}{}:***{}", &url[..scheme_end], &authority[..colon], &url[scheme_end + at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_database_replaces_only_the_path() {
        assert_eq!(with_database("postgres://u@h:5432/beian", "t1").unwrap(), "postgres://u@h:5432/t1");
        assert_eq!(
            with_database("postgres://u@h/beian?sslmode=disable", "t1").unwrap(),
            "postgres://u@h/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h:5432", "t1").unwrap(), "postgres://h:5432/t1");
    }

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(shown("postgres://beian:s3cret@db:5432/beian"), "postgres://beian:***@db:5432/beian");
        assert_eq!(shown("postgres://postgres@127.0.0.1:5432/beian"), "postgres://postgres@127.0.0.1:5432/beian");
        assert_eq!(shown("sqlite://data/beian.db"), "sqlite://data/beian.db");
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_identifier("beian"), "\"beian\"");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }
}
