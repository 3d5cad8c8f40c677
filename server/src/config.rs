//! Every setting in one typed struct: a documented default, overridable from a `BEIAN_*`
//! environment variable and from the command line (flag beats variable beats default).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "BEIAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Where the SQLite file, the generated secret key and the development SMS file live.
    #[arg(long, env = "BEIAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL; default `sqlite://<data dir>/beian.db`.
    #[arg(long, env = "BEIAN_DATABASE_URL")]
    pub database_url: Option<String>,

    /// The built SPA (Trunk's `dist/`).
    #[arg(long, env = "BEIAN_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Base URL people open from their SMS (short links); default `http://<addr>`.
    #[arg(long, env = "BEIAN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// 64 hex characters; default: generated into `<data dir>/secret.key` (mode 0600).
    #[arg(long, env = "BEIAN_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// How long a code and its link stay valid.
    #[arg(long, env = "BEIAN_CODE_VALIDITY_SECS", default_value_t = 24 * 3600)]
    pub code_validity_secs: u64,

    /// Wrong codes allowed per verification; the last one returns the request.
    #[arg(long, env = "BEIAN_MAX_ATTEMPTS", default_value_t = 3)]
    pub max_attempts: u32,

    /// Resends a person may ask for per verification (MIIT practice: 2).
    #[arg(long, env = "BEIAN_MAX_RESENDS", default_value_t = 2)]
    pub max_resends: u32,

    /// Minimum time between two SMS for one verification.
    #[arg(long, env = "BEIAN_RESEND_INTERVAL_SECS", default_value_t = 60)]
    pub resend_interval_secs: u64,

    /// Failed and not-found checks allowed per phone number per hour. Three wrong codes already
    /// return a request, so a real person needs a handful; 10 leaves room for typos across several
    /// requests while keeping guessing (10^6 codes × 36^6 suffixes) hopeless. ASVS 2.2.1 asks ≤ 100.
    #[arg(long, env = "BEIAN_FAILED_CHECKS_PER_PHONE_PER_HOUR", default_value_t = 10)]
    pub failed_checks_per_phone_per_hour: u32,

    /// Checks (and resends) allowed per client address per minute.
    #[arg(long, env = "BEIAN_CHECKS_PER_CLIENT_PER_MINUTE", default_value_t = 30)]
    pub checks_per_client_per_minute: u32,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "BEIAN_BODY_LIMIT_BYTES", default_value_t = 64 * 1024)]
    pub body_limit_bytes: usize,

    /// SMS gateway: `console` (development: prints and appends to `<data dir>/sms.jsonl`) or an
    /// `http://` / `https://` URL that accepts JSON.
    #[arg(long, env = "BEIAN_SMS_GATEWAY", default_value = "console")]
    pub sms_gateway: String,

    /// SMS text with `{code}`, `{hours}` and `{link}`; the origin-bound line `@host #code` is
    /// always added as the last line. Default: `sms::template::DEFAULT_TEMPLATE`.
    #[arg(long, env = "BEIAN_SMS_TEMPLATE")]
    pub sms_template: Option<String>,

    /// Number-range table (`prefix<TAB>carrier` per line); default: the built-in table.
    #[arg(long, env = "BEIAN_NUMBER_RANGES_FILE")]
    pub number_ranges_file: Option<PathBuf>,

    /// Per-number carrier overrides for ported numbers (`number<TAB>carrier` per line).
    #[arg(long, env = "BEIAN_NUMBER_OVERRIDES_FILE")]
    pub number_overrides_file: Option<PathBuf>,

    /// Sender numbers per carrier.
    #[arg(long, env = "BEIAN_SENDER_CHINA_MOBILE", default_value = "106575000130")]
    pub sender_china_mobile: String,
    #[arg(long, env = "BEIAN_SENDER_CHINA_UNICOM", default_value = "10655113")]
    pub sender_china_unicom: String,
    #[arg(long, env = "BEIAN_SENDER_CHINA_TELECOM", default_value = "106598051001")]
    pub sender_china_telecom: String,
    /// China Broadnet shares China Mobile's network: its sender unless set.
    #[arg(long, env = "BEIAN_SENDER_CHINA_BROADNET")]
    pub sender_china_broadnet: Option<String>,

    /// Bearer token for the HTTP SMS gateway.
    #[arg(long, env = "BEIAN_SMS_GATEWAY_TOKEN", hide_env_values = true)]
    pub sms_gateway_token: Option<String>,

    /// Timeout for one call to the SMS gateway or a provider's callback.
    #[arg(long, env = "BEIAN_OUTBOUND_TIMEOUT_SECS", default_value_t = 10)]
    pub outbound_timeout_secs: u64,

    /// Run the background jobs (SMS and webhook dispatch, expiry) in this process.
    #[arg(long, env = "BEIAN_JOBS", default_value_t = true, action = clap::ArgAction::Set)]
    pub jobs: bool,

    /// How often background jobs look for work when not woken.
    #[arg(long, env = "BEIAN_JOB_INTERVAL_MILLIS", default_value_t = 1000)]
    pub job_interval_millis: u64,

    // --- response headers ---
    /// Send `Strict-Transport-Security: max-age=<this>; includeSubDomains` with every answer. Set
    /// it only when people reach the service over HTTPS alone (a TLS proxy in front of it): browsers
    /// then refuse plain HTTP to the host and its subdomains for that long. Unset: no HSTS.
    #[arg(long, env = "BEIAN_HSTS_MAX_AGE_SECS")]
    pub hsts_max_age_secs: Option<u64>,

    /// Log as JSON lines instead of text.
    #[arg(long, env = "BEIAN_LOG_JSON", default_value_t = false, action = clap::ArgAction::Set)]
    pub log_json: bool,
}

impl Settings {
    /// The defaults, as if started with no flags and no environment (for tests and tools).
    pub fn defaults() -> Settings {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            settings: Settings,
        }
        <Only as clap::Parser>::try_parse_from(["beian"]).map(|o| o.settings).expect("defaults parse")
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("beian.db").display()))
    }

    pub fn code_validity(&self) -> Duration {
        Duration::from_secs(self.code_validity_secs)
    }

    pub fn resend_interval(&self) -> Duration {
        Duration::from_secs(self.resend_interval_secs)
    }
}
