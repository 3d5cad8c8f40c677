//! The database each test runs on: a fresh SQLite file in the test's data directory (the default),
//! or, with `BEIAN_TEST_DATABASE=postgres`, a fresh PostgreSQL database on the server at
//! `BEIAN_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`), created here
//! and dropped when the last handle to it goes.

use sqlx::{Connection, Executor, PgConnection};

const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// One test's database. Cloned into restarts of the same app; dropped with the test.
pub struct TestDatabase {
    postgres: Option<PostgresDatabase>,
}

struct PostgresDatabase {
    server: String,
    name: String,
}

impl TestDatabase {
    pub async fn fresh() -> TestDatabase {
        match std::env::var("BEIAN_TEST_DATABASE").as_deref() {
            Ok("postgres") => TestDatabase { postgres: Some(PostgresDatabase::create().await) },
            Ok("sqlite") | Err(_) => TestDatabase { postgres: None },
            Ok(other) => panic!("BEIAN_TEST_DATABASE={other}: expected sqlite or postgres"),
        }
    }

    /// A fresh PostgreSQL database, whichever engine the suite runs on (for the `postgres` tests,
    /// which share this file).
    #[allow(dead_code)]
    pub async fn postgres() -> TestDatabase {
        TestDatabase { postgres: Some(PostgresDatabase::create().await) }
    }

    /// The URL for the server's settings; `None`: the SQLite file in the data directory.
    pub fn url(&self) -> Option<String> {
        self.postgres.as_ref().map(|db| db.url())
    }
}

impl PostgresDatabase {
    async fn create() -> PostgresDatabase {
        let server = std::env::var("BEIAN_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_SERVER.to_owned());
        let name = format!("beian_test_{}", random_suffix());
        let mut admin = PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL unreachable at {server} (BEIAN_TEST_POSTGRES_URL): {e}"));
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create the test database");
        admin.close().await.ok();
        PostgresDatabase { server, name }
    }

    fn url(&self) -> String {
        match self.server.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{}", self.name),
            None => panic!("BEIAN_TEST_POSTGRES_URL has no database name: {}", self.server),
        }
    }
}

impl Drop for PostgresDatabase {
    /// Drops the database from a thread of its own: Drop cannot wait on the test's runtime.
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&server).await?;
                admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await?;
                admin.close().await
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("dropping test database {}: {e}", self.name);
        }
    }
}

/// 24 random hex digits: a database name no other test run picks.
fn random_suffix() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
