//! `spawn_app()`: the real server on 127.0.0.1:0 with its own database (a SQLite file, or a
//! PostgreSQL database: see `database.rs`), a clock the test can move, and a stand-in for the
//! carriers' SMS gateway that records what would reach phones.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use beian_verify_server::clock::ManualClock;
use beian_verify_server::sms::gateway::SendFuture;
use beian_verify_server::sms::{GatewayReceipt, OutgoingSms, SmsGateway};
use beian_verify_server::startup::Overrides;
use beian_verify_server::{Application, Settings};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::database::TestDatabase;

/// The carriers' side: records every SMS the server sends.
#[derive(Clone, Default)]
pub struct Phones(pub Arc<Mutex<Vec<OutgoingSms>>>);

impl SmsGateway for Phones {
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> SendFuture<'a> {
        self.0.lock().unwrap().push(sms.clone());
        Box::pin(async { Ok(GatewayReceipt::default()) })
    }

    fn name(&self) -> &'static str {
        "test-phones"
    }
}

pub struct TestApp {
    pub app: Option<Application>,
    pub address: String,
    pub data: Arc<TempDir>,
    pub database: Arc<TestDatabase>,
    pub clock: ManualClock,
    pub phones: Phones,
    pub client: reqwest::Client,
    pub settings: Settings,
}

/// Errors the server logs go to the test's captured output, so a failing test shows why a
/// request failed (a 500's body is opaque by design). `RUST_LOG` raises the level.
fn log_to_test_output() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "error".into());
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    });
}

pub fn test_settings(data_dir: PathBuf) -> Settings {
    log_to_test_output();
    let mut settings = Settings::defaults();
    settings.server.addr = "127.0.0.1:0".parse().unwrap();
    settings.server.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    settings.database.data_dir = data_dir.clone();
    settings.database.database_url = None;
    settings.server.static_dir = data_dir.join("no-dist");
    settings.server.public_url = Some("https://beian.example.cn".into());
    settings.database.secret_key = None;
    settings.jobs.job_interval_millis = 20;
    settings.limits.checks_per_client_per_minute = 10_000;
    settings.limits.wrong_guesses_per_phone_per_hour = 1_000;
    settings.limits.wrong_guesses_per_phone_per_day = 1_000;
    settings.limits.resend_interval_secs = 60;
    // Tests send many SMS to the same few numbers; the SMS quota tests set their own.
    settings.limits.sms_per_phone_per_day = 100_000;
    settings.limits.sms_per_provider_per_minute = 100_000;
    settings.limits.sms_per_provider_per_day = 100_000;
    settings
}

/// Development settings for tests whose webhook receivers listen on http://127.0.0.1.
pub fn allow_loopback_callbacks(settings: &mut Settings) {
    settings.jobs.allow_http_callbacks = true;
    settings.jobs.allow_private_callbacks = true;
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_on(TestDatabase::fresh().await, configure).await
}

/// Like `spawn_with`, on the given database whichever engine the suite runs on.
pub async fn spawn_on(database: TestDatabase, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let (mut settings, data, database) = fresh_settings(database);
    configure(&mut settings);
    start(settings, data, database, ManualClock::starting_now(), Phones::default()).await
}

/// Test settings on a fresh data directory and the given database. A PostgreSQL database needs a
/// configured secret key (replicas share it), so one is made up for the test.
fn fresh_settings(database: TestDatabase) -> (Settings, Arc<TempDir>, Arc<TestDatabase>) {
    let data = Arc::new(tempfile::tempdir().unwrap());
    let database = Arc::new(database);
    let mut settings = test_settings(data.path().to_path_buf());
    if let Some(url) = database.url() {
        settings.database.database_url = Some(url.into());
        settings.database.secret_key = Some(hex::encode(rand::random::<[u8; 32]>()).into());
    }
    (settings, data, database)
}

/// Like `spawn_with`, but SMS go to the gateway the settings name (`sms_gateway`), not to `phones`.
pub async fn spawn_with_gateway(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let (mut settings, data, database) = fresh_settings(TestDatabase::fresh().await);
    configure(&mut settings);
    let clock = ManualClock::starting_now();
    let overrides = Overrides { clock: Some(Arc::new(clock.clone())), gateway: None };
    let app = Application::build_with(settings.clone(), overrides).await.expect("app starts");
    let address = format!("http://{}", app.address());
    TestApp {
        app: Some(app),
        address,
        data,
        database,
        clock,
        phones: Phones::default(),
        client: reqwest::Client::new(),
        settings,
    }
}

async fn start(
    settings: Settings,
    data: Arc<TempDir>,
    database: Arc<TestDatabase>,
    clock: ManualClock,
    phones: Phones,
) -> TestApp {
    let overrides = Overrides { clock: Some(Arc::new(clock.clone())), gateway: Some(Arc::new(phones.clone())) };
    let app = Application::build_with(settings.clone(), overrides).await.expect("app starts");
    let address = format!("http://{}", app.address());
    TestApp { app: Some(app), address, data, database, clock, phones, client: reqwest::Client::new(), settings }
}

impl TestApp {
    /// Stops the server and starts a new one on the same data directory (and database file).
    pub async fn restart(self) -> TestApp {
        self.restart_with(|_| {}).await
    }

    /// Stops the server and starts a new one on the same data directory, clock and phones, with
    /// its settings changed by `configure`.
    pub async fn restart_with(mut self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        self.app.take().unwrap().shutdown().await;
        configure(&mut self.settings);
        let (settings, data, database, clock, phones) =
            (self.settings.clone(), self.data.clone(), self.database.clone(), self.clock.clone(), self.phones.clone());
        start(settings, data, database, clock, phones).await
    }

    pub async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await;
        }
    }

    pub fn service(&self) -> &beian_verify_server::service::Service {
        self.app.as_ref().unwrap().service()
    }

    /// A pool on the app's own database, for looking at what it stored.
    pub async fn database_pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(self.settings.database.url().expose_secret()).await.unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// `/metrics` on the metrics listener.
    pub fn metrics_url(&self) -> String {
        let addr = self.app.as_ref().unwrap().metrics_address().expect("metrics listener on");
        format!("http://{addr}/metrics")
    }

    pub async fn new_provider(&self, name: &str) -> String {
        self.service().create_provider(name).await.unwrap().1
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self.client.post(self.url(path)).json(body).send().await.unwrap();
        status_json(response).await
    }

    pub async fn get_as(&self, key: &str, path: &str) -> (u16, Value) {
        let response = self.client.get(self.url(path)).bearer_auth(key).send().await.unwrap();
        status_json(response).await
    }

    pub async fn submit(&self, key: &str, filing: &Value) -> (u16, Value) {
        let response =
            self.client.post(self.url("/api/v1/filings")).bearer_auth(key).json(filing).send().await.unwrap();
        status_json(response).await
    }

    /// Submits and expects 201.
    pub async fn submitted(&self, key: &str, filing: &Value) -> Value {
        let (status, body) = self.submit(key, filing).await;
        assert_eq!(status, 201, "{body}");
        body
    }

    pub async fn filing(&self, key: &str, id: &str) -> Value {
        let (status, body) = self.get_as(key, &format!("/api/v1/filings/{id}")).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn check(&self, code: &str, phone: &str, id_suffix: &str) -> Value {
        let (status, body) =
            self.post("/api/v1/checks", &json!({"code": code, "phone": phone, "id_suffix": id_suffix})).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// The newest SMS sent to `phone`, waiting up to 5 s for the dispatcher.
    pub async fn latest_sms(&self, phone: &str) -> OutgoingSms {
        self.wait_for_sms(phone, 1).await
    }

    /// Waits until `phone` has received `count` SMS; returns the newest.
    pub async fn wait_for_sms(&self, phone: &str, count: usize) -> OutgoingSms {
        for _ in 0..250 {
            let sent: Vec<OutgoingSms> =
                self.phones.0.lock().unwrap().iter().filter(|s| s.to.as_str() == phone).cloned().collect();
            if sent.len() >= count {
                return sent.last().unwrap().clone();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no SMS #{count} for {phone}");
    }

    pub fn sms_count(&self) -> usize {
        self.phones.0.lock().unwrap().len()
    }

    pub async fn code_for(&self, phone: &str) -> String {
        self.latest_sms(phone).await.code
    }
}

/// A six-digit code that is not `right`.
pub fn wrong_code(right: &str) -> &'static str {
    if right == "000000" {
        "000001"
    } else {
        "000000"
    }
}

/// The token at the end of an SMS's short link.
pub fn token_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap()
}

impl TestApp {
    /// A person's resend request (`POST /api/v1/resends`).
    pub async fn resend(&self, phone: &str, id_suffix: &str) -> (u16, Value) {
        self.post("/api/v1/resends", &json!({"phone": phone, "id_suffix": id_suffix})).await
    }
}

pub async fn status_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A person on a filing: (name, phone, ID number whose last six characters are the suffix).
pub fn person(name: &str, mobile: &str, id_number: &str) -> Value {
    json!({"name": name, "mobile": mobile, "id_type": "resident_id", "id_number": id_number})
}

pub const ZHANG: (&str, &str, &str, &str) = ("张三", "13800138000", "11010519491231002X", "31002X");
pub const LI: (&str, &str, &str, &str) = ("李四", "18912345678", "440524188001010014", "010014");

pub fn p(who: (&str, &str, &str, &str)) -> Value {
    person(who.0, who.1, who.2)
}

/// 浙江: verifying by SMS since 2018-09-10 in the shipped rollout.
pub const ZHEJIANG: &str = "330000";
/// 北京: not verifying by SMS in the shipped rollout.
pub const BEIJING: &str = "110000";

/// A new filing: subject principal 张三, one website whose principal is 李四.
pub fn new_filing() -> Value {
    json!({
        "business_type": "new_filing",
        "province": ZHEJIANG,
        "reference": "REF-1",
        "subject": {"name": "示例科技有限公司", "principal": p(ZHANG)},
        "websites": [{"name": "示例网站", "domains": ["example.cn"], "principal": p(LI)}]
    })
}

/// A request needing only 张三.
pub fn single_person_filing() -> Value {
    json!({
        "business_type": "cancel_subject",
        "province": ZHEJIANG,
        "subject": {"name": "示例科技有限公司", "principal": p(ZHANG)}
    })
}
