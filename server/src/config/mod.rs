//! Every setting, typed, in five groups (server, data and database, verification rules and
//! limits, SMS, background jobs): a documented default, overridable from a `BEIAN_*` environment
//! variable and from the command line (flag beats variable beats default). `--help` shows each
//! group under its own heading. Secrets are `SecretString`s, so `Debug` never shows them.

mod database;
mod jobs;
mod limits;
mod server;
mod sms;

use std::convert::Infallible;

use clap::Args;
use secrecy::SecretString;

pub use database::DatabaseSettings;
pub use jobs::JobSettings;
pub use limits::LimitSettings;
pub use server::{ForwardedHeader, ServerSettings};
pub use sms::{SmsGatewayKind, SmsSettings};

#[derive(Debug, Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub server: ServerSettings,
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[command(flatten)]
    pub limits: LimitSettings,
    #[command(flatten)]
    pub sms: SmsSettings,
    #[command(flatten)]
    pub jobs: JobSettings,
}

impl Settings {
    /// The defaults, as if started with no flags and no environment (for tests and tools).
    pub fn defaults() -> Settings {
        <Only as clap::Parser>::try_parse_from(["beian"]).map(|o| o.settings).expect("defaults parse")
    }
}

/// The settings as a command line of their own, without subcommands.
#[derive(clap::Parser)]
struct Only {
    #[command(flatten)]
    settings: Settings,
}

/// Reads a secret straight into a `SecretString`, so no plain copy outlives parsing.
fn secret(text: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(text))
}

#[cfg(test)]
pub(super) mod tests {
    use clap::CommandFactory;

    use super::*;

    pub fn parse(args: &[&str]) -> Result<Settings, clap::Error> {
        let args = std::iter::once("beian").chain(args.iter().copied());
        <Only as clap::Parser>::try_parse_from(args).map(|o| o.settings)
    }

    /// What deployments set today: renaming one would silently drop an operator's setting.
    const VARIABLES: [&str; 46] = [
        "BEIAN_ADDR",
        "BEIAN_ALLOW_HTTP_CALLBACKS",
        "BEIAN_ALLOW_PRIVATE_CALLBACKS",
        "BEIAN_BODY_LIMIT_BYTES",
        "BEIAN_BODY_TIMEOUT_SECS",
        "BEIAN_CHECKS_PER_CLIENT_PER_MINUTE",
        "BEIAN_CODE_VALIDITY_SECS",
        "BEIAN_DATABASE_MAX_CONNECTIONS",
        "BEIAN_DATABASE_URL",
        "BEIAN_DATA_DIR",
        "BEIAN_FORWARDED_HEADER",
        "BEIAN_HEADER_READ_TIMEOUT_SECS",
        "BEIAN_HSTS_MAX_AGE_SECS",
        "BEIAN_JOBS",
        "BEIAN_JOB_INTERVAL_MILLIS",
        "BEIAN_KEY_ROTATION_OVERLAP_SECS",
        "BEIAN_LOG_JSON",
        "BEIAN_MAX_ATTEMPTS",
        "BEIAN_MAX_CONNECTIONS",
        "BEIAN_MAX_RESENDS",
        "BEIAN_METRICS_ADDR",
        "BEIAN_NUMBER_OVERRIDES_FILE",
        "BEIAN_NUMBER_RANGES_FILE",
        "BEIAN_OUTBOUND_TIMEOUT_SECS",
        "BEIAN_PROVINCES_FILE",
        "BEIAN_PUBLIC_URL",
        "BEIAN_REQUEST_TIMEOUT_SECS",
        "BEIAN_RESEND_INTERVAL_SECS",
        "BEIAN_SECRET_KEY_FILE",
        "BEIAN_SENDER_CHINA_BROADNET",
        "BEIAN_SENDER_CHINA_MOBILE",
        "BEIAN_SENDER_CHINA_TELECOM",
        "BEIAN_SENDER_CHINA_UNICOM",
        "BEIAN_SMS_GATEWAY",
        "BEIAN_SMS_GATEWAY_TOKEN",
        "BEIAN_SMS_PER_PHONE_PER_DAY",
        "BEIAN_SMS_PER_PROVIDER_PER_DAY",
        "BEIAN_SMS_PER_PROVIDER_PER_MINUTE",
        "BEIAN_SMS_TEMPLATE",
        "BEIAN_STATIC_DIR",
        "BEIAN_TRUSTED_PROXIES",
        "BEIAN_WEBHOOK_CONCURRENCY",
        "BEIAN_WEBHOOK_CONCURRENCY_PER_PROVIDER",
        "BEIAN_WRONG_GUESSES_PER_PHONE_PER_DAY",
        "BEIAN_WRONG_GUESSES_PER_PHONE_PER_HOUR",
        "BEIAN_WRONG_SUFFIXES_PER_LINK",
    ];

    #[test]
    fn every_deployed_variable_is_still_read_and_its_flag_is_its_name() {
        let command = Only::command();
        let mut read: Vec<String> = Vec::new();
        for arg in command.get_arguments() {
            let Some(variable) = arg.get_env().and_then(|v| v.to_str()) else { continue };
            let flag = variable.trim_start_matches("BEIAN_").to_lowercase().replace('_', "-");
            assert_eq!(arg.get_long(), Some(flag.as_str()), "{variable}");
            read.push(variable.to_owned());
        }
        read.sort();
        let mut expected = VARIABLES.to_vec();
        expected.sort();
        assert_eq!(read, expected);
    }

    #[test]
    fn help_shows_each_group_under_its_own_heading() {
        let help = Only::command().render_long_help().to_string();
        let at = |text: &str| help.find(text).unwrap_or_else(|| panic!("no {text}:\n{help}"));
        let groups = [
            ("\nServer:\n", "--addr <"),
            ("\nData and database:\n", "--database-url <"),
            ("\nVerification rules and limits:\n", "--max-attempts <"),
            ("\nSMS:\n", "--sms-gateway <"),
            ("\nBackground jobs and callbacks:\n", "--jobs <"),
        ];
        for (heading, flag) in groups {
            let (heading_at, flag_at) = (at(heading), at(flag));
            let between = groups.iter().any(|(other, _)| (heading_at + 1..flag_at).contains(&at(other)));
            assert!(heading_at < flag_at && !between, "{flag} is not under{heading}{help}");
        }
    }

    #[test]
    fn debug_output_hides_the_secret_key_and_the_database_url() {
        let mut settings = parse(&["--database-url", "postgres://beian:pa55word@db.internal/beian"]).unwrap();
        settings.database.secret_key = Some(SecretString::from("ab".repeat(32)));
        let debug = format!("{settings:?}");
        assert!(!debug.contains("pa55word") && !debug.contains(&"ab".repeat(32)), "{debug}");
    }
}
