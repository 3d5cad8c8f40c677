//! Every setting in one typed struct: a documented default, overridable from a `BEIAN_*`
//! environment variable and from the command line (flag beats variable beats default).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use ipnet::IpNet;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "BEIAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Where the SQLite file, the generated secret key and the development SMS file live.
    #[arg(long, env = "BEIAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL: `sqlite://…` (default `sqlite://<data dir>/beian.db`) or `postgres://…`.
    #[arg(long, env = "BEIAN_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Connections each server process keeps open to a PostgreSQL database (a SQLite file: 8).
    /// Keep replicas × this below the database server's `max_connections`.
    #[arg(long, env = "BEIAN_DATABASE_MAX_CONNECTIONS", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
    pub database_max_connections: u32,

    /// The built SPA (Trunk's `dist/`).
    #[arg(long, env = "BEIAN_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Base URL people open from their SMS (short links); default `http://<addr>`.
    #[arg(long, env = "BEIAN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The server secret as 64 hex characters, from the environment only (`BEIAN_SECRET_KEY`):
    /// a command-line value would show in `ps`. Default: the key file.
    #[arg(skip = std::env::var("BEIAN_SECRET_KEY").ok())]
    pub secret_key: Option<String>,

    /// File holding the server secret (64 hex characters, mode 0600; created if missing); lets
    /// the key live outside the data directory. Default: `<data dir>/secret.key`.
    #[arg(long, env = "BEIAN_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,

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

    /// Wrong phone-number + ID-suffix guesses allowed per phone number per hour, shared by the
    /// form, short links and resends. Past it, only answers that would be wrong are refused: a
    /// right code, or a link with the right suffix, always goes through. With ~10^4–10^5 likely
    /// suffixes per person, 10 an hour and 20 a day keep guessing hopeless.
    #[arg(long, env = "BEIAN_WRONG_GUESSES_PER_PHONE_PER_HOUR", default_value_t = 10)]
    pub wrong_guesses_per_phone_per_hour: u32,

    /// The same budget per day.
    #[arg(long, env = "BEIAN_WRONG_GUESSES_PER_PHONE_PER_DAY", default_value_t = 20)]
    pub wrong_guesses_per_phone_per_day: u32,

    /// Wrong ID suffixes typed through one short link before the link stops working (the code
    /// still works on the form). They use none of the code's tries.
    #[arg(long, env = "BEIAN_WRONG_SUFFIXES_PER_LINK", default_value_t = 3)]
    pub wrong_suffixes_per_link: u32,

    /// Per client address (IPv6: per /64) per minute: checks that would be wrong, and resends.
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

    /// The SMS-verification rollout by province (`code short name authority sms_from [site]` per
    /// line, all 31 provinces); default: the built-in table (the 2018 pilot FAQ's dates).
    #[arg(long, env = "BEIAN_PROVINCES_FILE")]
    pub provinces_file: Option<PathBuf>,

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

    // --- HTTP edge: client addresses behind proxies, slow clients, the metrics listener ---
    /// Reverse proxies whose client-address headers are believed: CIDRs or single addresses,
    /// comma separated (`10.0.0.0/8,192.168.1.7`). For per-client limits the client is then the
    /// right-most address in that header which is not one of these; the header of any other peer
    /// is ignored, so it cannot be spoofed. Default: none, the client is the socket's peer (right
    /// only when nothing sits in front of the server).
    #[arg(long, env = "BEIAN_TRUSTED_PROXIES", default_value = "", value_parser = parse_proxies)]
    // Spelled out so clap hands the whole list to the parser: an empty value means none.
    pub trusted_proxies: ::std::vec::Vec<IpNet>,

    /// The header the trusted proxies write the client chain into: `x-forwarded-for` or
    /// `forwarded` (RFC 7239). Only this one is read: a proxy passes the other through unchanged,
    /// so a client could write it.
    #[arg(long, env = "BEIAN_FORWARDED_HEADER", value_enum, default_value_t = ForwardedHeader::XForwardedFor)]
    pub forwarded_header: ForwardedHeader,

    /// Longest wait for a request's headers, counted from the connection's first read or the end
    /// of the previous answer; then the connection is closed (slow or idle clients).
    #[arg(long, env = "BEIAN_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,

    /// Longest pause while a request body arrives; then the request fails with 408.
    #[arg(long, env = "BEIAN_BODY_TIMEOUT_SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_secs: u64,

    /// Longest time from a request's headers to its answer (body included); then 408.
    #[arg(long, env = "BEIAN_REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout_secs: u64,

    /// Connections served at once. Beyond this the server stops accepting until one closes; new
    /// connections wait in the kernel's queue.
    #[arg(long, env = "BEIAN_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Where `/metrics` is served: a listener of its own, never the public one (the public
    /// address answers 404 there). Keep it on loopback or a private network; `off` for none.
    #[arg(long, env = "BEIAN_METRICS_ADDR", default_value = "127.0.0.1:9464", value_parser = parse_listen_addr)]
    // Spelled out so clap takes the whole `Option` from the parser (`off` is `None`) instead of
    // treating the setting as optional.
    pub metrics_addr: ::std::option::Option<SocketAddr>,

    // --- outbound abuse: callbacks, SMS quotas, API keys, webhook concurrency ---
    /// Development only: accept `http://` callback URLs (production callbacks must be https).
    #[arg(long, env = "BEIAN_ALLOW_HTTP_CALLBACKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_http_callbacks: bool,

    /// Development and testing only: let callbacks reach loopback, private, link-local and other
    /// non-public addresses. Off, such targets are refused at registration and at delivery.
    #[arg(long, env = "BEIAN_ALLOW_PRIVATE_CALLBACKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_private_callbacks: bool,

    /// SMS one access provider may cause per minute (submits and its resends), sliding window.
    /// Sized well above a real provider's peak so only a stolen key pumping SMS meets it.
    #[arg(long, env = "BEIAN_SMS_PER_PROVIDER_PER_MINUTE", default_value_t = 600)]
    pub sms_per_provider_per_minute: u32,

    /// SMS one access provider may cause per day (sliding 24 hours).
    #[arg(long, env = "BEIAN_SMS_PER_PROVIDER_PER_DAY", default_value_t = 50_000)]
    pub sms_per_provider_per_day: u32,

    /// SMS one phone number may receive per day (sliding 24 hours) across all providers, resends
    /// included. A person on a few filings with two resends each stays well below 10.
    #[arg(long, env = "BEIAN_SMS_PER_PHONE_PER_DAY", default_value_t = 10)]
    pub sms_per_phone_per_day: u32,

    /// After `POST /api/v1/keys/rotate` (or `rotate-key`), how long the previous key still works,
    /// so a provider can roll the new one out without an outage.
    #[arg(long, env = "BEIAN_KEY_ROTATION_OVERLAP_SECS", default_value_t = 24 * 3600)]
    pub key_rotation_overlap_secs: u64,

    /// Webhook deliveries in flight at once for one provider: a hanging receiver holds at most
    /// this many, and other providers' events go on.
    #[arg(long, env = "BEIAN_WEBHOOK_CONCURRENCY_PER_PROVIDER", default_value_t = 4)]
    pub webhook_concurrency_per_provider: u32,

    /// Webhook deliveries in flight at once in this process, all providers together.
    #[arg(long, env = "BEIAN_WEBHOOK_CONCURRENCY", default_value_t = 32)]
    pub webhook_concurrency: u32,

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

    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_secs)
    }

    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.body_timeout_secs)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

/// The header trusted proxies name the client in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2`
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`
    Forwarded,
}

/// Comma-separated CIDRs or single addresses (their own /32 or /128); empty for none.
fn parse_proxies(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(',').map(str::trim).filter(|entry| !entry.is_empty()).map(parse_proxy).collect()
}

fn parse_proxy(entry: &str) -> Result<IpNet, String> {
    entry
        .parse::<IpNet>()
        .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{entry}` is neither a CIDR (10.0.0.0/8, fd00::/8) nor an IP address"))
}

/// `host:port`, or `off`.
fn parse_listen_addr(text: &str) -> Result<Option<SocketAddr>, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|e| format!("`{text}` is not `off` nor an address like 127.0.0.1:9464: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Settings, clap::Error> {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            settings: Settings,
        }
        let args = std::iter::once("beian").chain(args.iter().copied());
        <Only as clap::Parser>::try_parse_from(args).map(|o| o.settings)
    }

    #[test]
    fn by_default_no_proxy_is_trusted_and_metrics_listen_on_loopback() {
        let settings = Settings::defaults();
        assert!(settings.trusted_proxies.is_empty());
        assert_eq!(settings.metrics_addr, Some("127.0.0.1:9464".parse().unwrap()));
    }

    #[test]
    fn trusted_proxies_take_cidrs_and_single_addresses_comma_separated() {
        let settings = parse(&["--trusted-proxies", "10.0.0.0/8, 192.168.1.7,fd00::/8"]).unwrap();
        let expected: Vec<IpNet> =
            ["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"].iter().map(|n| n.parse().unwrap()).collect();
        assert_eq!(settings.trusted_proxies, expected);
    }

    #[test]
    fn a_bad_trusted_proxy_is_a_start_up_error_naming_it() {
        let error = parse(&["--trusted-proxies", "10.0.0.0/33"]).expect_err("refused").to_string();
        assert!(error.contains("10.0.0.0/33"), "{error}");
        assert!(parse(&["--trusted-proxies", "proxy.example.cn"]).is_err());
    }

    #[test]
    fn an_empty_trusted_proxies_value_trusts_nobody() {
        assert!(parse(&["--trusted-proxies", ""]).unwrap().trusted_proxies.is_empty());
    }

    #[test]
    fn the_metrics_listener_can_be_turned_off() {
        assert_eq!(parse(&["--metrics-addr", "off"]).unwrap().metrics_addr, None);
        assert!(parse(&["--metrics-addr", "nowhere"]).is_err());
    }

    #[test]
    fn timeouts_and_the_connection_cap_refuse_zero() {
        assert!(parse(&["--header-read-timeout-secs", "0"]).is_err());
        assert!(parse(&["--max-connections", "0"]).is_err());
    }

    #[test]
    fn the_secret_key_is_never_a_command_line_value() {
        let key = "ab".repeat(32);
        assert!(parse(&["--secret-key", &key]).is_err(), "a key on the command line shows in `ps`");
        let settings = parse(&["--secret-key-file", "/etc/beian/key"]).unwrap();
        assert_eq!(settings.secret_key_file.unwrap().to_str(), Some("/etc/beian/key"));
    }
}
