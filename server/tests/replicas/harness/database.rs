//! A fresh PostgreSQL database for one test, `beian_t_<random>` on `BEIAN_TEST_POSTGRES_URL`,
//! dropped when the test ends (also when it fails).

use std::io::Write;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection, Executor};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub struct TestDatabase {
    /// The test database's URL, for the replicas.
    pub url: String,
    name: String,
    server: PgConnectOptions,
}

impl TestDatabase {
    /// Creates the database. When PostgreSQL cannot be reached, prints why and returns None (the
    /// test then passes as skipped), except under `CI=true`, where that fails the test.
    pub async fn create() -> Option<TestDatabase> {
        let server_url = std::env::var("BEIAN_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_URL.to_string());
        let server = PgConnectOptions::from_str(&server_url).expect("BEIAN_TEST_POSTGRES_URL is a postgres:// URL");
        let mut admin = match tokio::time::timeout(Duration::from_secs(5), server.connect()).await {
            Ok(Ok(connection)) => connection,
            failed => {
                let why = match failed {
                    Ok(Err(e)) => e.to_string(),
                    _ => "no answer within 5 s".to_string(),
                };
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!("PostgreSQL unreachable at {server_url} ({why}), and CI=true needs it");
                }
                // Past libtest's capture (it takes only print! and eprint!), so the line shows.
                let test = std::thread::current().name().unwrap_or_default().to_string();
                let _ = writeln!(std::io::stderr(), "skipped: PostgreSQL unreachable at {server_url} ({why}): {test}");
                return None;
            }
        };
        let name = format!("beian_t_{:016x}", rand::random::<u64>());
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("CREATE DATABASE");
        let _ = admin.close().await;
        let url = with_database(&server_url, &name);
        Some(TestDatabase { url, name, server })
    }
}

impl Drop for TestDatabase {
    /// Drops the database on a thread of its own: Drop cannot await, and it may run inside the
    /// test's runtime. `WITH (FORCE)` ends connections a killed replica left behind.
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let mut admin: PgConnection = server.connect().await?;
                admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await?;
                admin.close().await
            })?;
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// `url` naming database `name` instead (query string kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..].find('/').map_or(base.len(), |i| authority + i);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{}/{name}{query}", &base[..path])
}
