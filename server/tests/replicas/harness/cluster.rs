//! Three replicas on one fresh database, sharing one secret key, and an access provider: what a
//! test talks to, replica by replica (`i` picks replica `i % 3`, so a counter is round robin).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use protocol::{CheckOutcome, FilingView, NewFiling};
use serde_json::json;
use tokio::sync::{Mutex, MutexGuard};

use super::database::TestDatabase;
use super::phones::{self, Sent, Sms};
use super::replica::{server_command, Replica};

pub const REPLICAS: usize = 3;

/// Each test runs three servers: two tests at once would only slow each other into timeouts.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

pub struct Cluster {
    pub replicas: Vec<Replica>,
    /// The access provider's API key.
    pub key: String,
    client: reqwest::Client,
    // Dropped in this order: the replicas above are killed before their database goes.
    _database: TestDatabase,
    _turn: MutexGuard<'static, ()>,
}

/// Settings every replica of a test shares: the database, one secret, short job pauses, and
/// limits lifted (every request comes from 127.0.0.1, and tests send many SMS).
fn shared_settings(database_url: &str) -> Vec<(String, String)> {
    let key: String = (0..32).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
    [
        ("BEIAN_DATABASE_URL", database_url.to_string()),
        ("BEIAN_SECRET_KEY", key),
        ("BEIAN_PUBLIC_URL", "https://beian.example.cn".into()),
        ("BEIAN_JOB_INTERVAL_MILLIS", "20".into()),
        ("BEIAN_CHECKS_PER_CLIENT_PER_MINUTE", "1000000".into()),
        ("BEIAN_WRONG_GUESSES_PER_PHONE_PER_HOUR", "1000000".into()),
        ("BEIAN_WRONG_GUESSES_PER_PHONE_PER_DAY", "1000000".into()),
        ("BEIAN_SMS_PER_PHONE_PER_DAY", "1000000".into()),
        ("BEIAN_SMS_PER_PROVIDER_PER_MINUTE", "1000000".into()),
        ("BEIAN_SMS_PER_PROVIDER_PER_DAY", "1000000".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

impl Cluster {
    /// Three replicas with `extra` settings; None when PostgreSQL is unreachable (skipped).
    pub async fn start(extra: &[(&str, &str)]) -> Option<Cluster> {
        Cluster::start_each(extra, |_| Vec::new()).await
    }

    /// Like `start`, with settings of its own for replica `i` (`own(i)`) on top.
    pub async fn start_each(extra: &[(&str, &str)], own: impl Fn(usize) -> Vec<(String, String)>) -> Option<Cluster> {
        let turn = ONE_AT_A_TIME.lock().await;
        let database = TestDatabase::create().await?;
        let mut settings = shared_settings(&database.url);
        settings.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let settings_of = |i: usize| [settings.clone(), own(i)].concat();
        // The first one migrates the empty database; the others then start side by side.
        let first = Replica::start(&settings_of(0)).await;
        let (settings_1, settings_2) = (settings_of(1), settings_of(2));
        let (second, third) = tokio::join!(Replica::start(&settings_1), Replica::start(&settings_2));
        let key = create_provider(&settings).await;
        // Idle connections are dropped before the replicas' own idle limit (10 s) closes them, or a
        // request could go out on a connection the server is closing just then.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_idle_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        Some(Cluster { replicas: vec![first, second, third], key, client, _database: database, _turn: turn })
    }

    fn replica(&self, i: usize) -> &Replica {
        &self.replicas[i % self.replicas.len()]
    }

    /// `POST /api/v1/filings` on replica `i`: the filing if it was accepted (201).
    pub async fn submit(&self, i: usize, filing: &NewFiling) -> Result<FilingView, String> {
        let response = self
            .client
            .post(self.replica(i).url("/api/v1/filings"))
            .bearer_auth(&self.key)
            .json(filing)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match response.status().as_u16() {
            201 => response.json().await.map_err(|e| e.to_string()),
            status => Err(format!("{status}: {}", response.text().await.unwrap_or_default())),
        }
    }

    /// `POST /api/v1/checks` on replica `i`: the outcome if it was answered (200).
    pub async fn check(&self, i: usize, code: &str, phone: &str, id_suffix: &str) -> Result<CheckOutcome, String> {
        let body = json!({"code": code, "phone": phone, "id_suffix": id_suffix});
        let response = self
            .client
            .post(self.replica(i).url("/api/v1/checks"))
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match response.status().as_u16() {
            200 => response.json().await.map_err(|e| e.to_string()),
            status => Err(format!("{status}: {}", response.text().await.unwrap_or_default())),
        }
    }

    /// `GET /api/v1/filings/{id}` on replica `i`; panics unless 200.
    pub async fn filing(&self, i: usize, id: &str) -> FilingView {
        let url = self.replica(i).url(&format!("/api/v1/filings/{id}"));
        let response = self.client.get(url).bearer_auth(&self.key).send().await.expect("GET filing");
        assert_eq!(response.status().as_u16(), 200, "GET filing {id} on replica {}", i % REPLICAS);
        response.json().await.expect("a FilingView")
    }

    /// Every SMS the replicas' gateways have logged (a killed replica's file included).
    pub fn sms(&self) -> Vec<Sent> {
        let dirs: Vec<&std::path::Path> = self.replicas.iter().map(Replica::data_dir).collect();
        phones::read(&dirs)
    }

    /// Waits until each of `phones` has an SMS; returns the first one each got.
    pub async fn wait_for_sms(&self, phones: &[String], within: Duration) -> HashMap<String, Sms> {
        let deadline = Instant::now() + within;
        loop {
            let mut first = HashMap::new();
            for sent in self.sms() {
                first.entry(sent.sms.to.clone()).or_insert(sent.sms);
            }
            let missing = phones.iter().filter(|p| !first.contains_key(*p)).count();
            if missing == 0 {
                return first;
            }
            assert!(Instant::now() < deadline, "{missing} of {} phones got no SMS within {within:?}", phones.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Cluster {
    /// A failing test shows the end of what each replica printed.
    fn drop(&mut self) {
        if std::thread::panicking() {
            for (i, replica) in self.replicas.iter().enumerate() {
                let output = replica.output();
                let tail: Vec<&str> = output.lines().rev().take(40).collect();
                eprintln!("--- replica {i}, last lines ---");
                tail.iter().rev().for_each(|line| eprintln!("{line}"));
            }
        }
    }
}

/// `create-provider --name …` against the test database; its API key.
async fn create_provider(settings: &[(String, String)]) -> String {
    let data = tempfile::tempdir().unwrap();
    let output = server_command(settings)
        .args(["create-provider", "--name", "replica tests"])
        .env("BEIAN_DATA_DIR", data.path())
        .output()
        .await
        .expect("create-provider runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("api_key="))
        .unwrap_or_else(|| {
            panic!("create-provider printed no key: {stdout}{}", String::from_utf8_lossy(&output.stderr))
        })
        .to_string()
}
