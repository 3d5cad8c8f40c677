//! Sending SMS: the gateway (parsed at start into [`SmsGatewayKind`]), its token, the text, the
//! carrier tables and the sender numbers.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use clap::Args;
use secrecy::SecretString;
use url::Url;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "SMS")]
pub struct SmsSettings {
    /// SMS gateway: `console` (development: prints and appends to `<data dir>/sms.jsonl`) or an
    /// `http://` / `https://` URL that accepts JSON.
    #[arg(long, env = "BEIAN_SMS_GATEWAY", default_value = "console")]
    pub sms_gateway: SmsGatewayKind,

    /// Bearer token for the HTTP SMS gateway.
    #[arg(long, env = "BEIAN_SMS_GATEWAY_TOKEN", hide_env_values = true, value_parser = super::secret)]
    pub sms_gateway_token: Option<SecretString>,

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

    /// Sender number for China Mobile.
    #[arg(long, env = "BEIAN_SENDER_CHINA_MOBILE", default_value = "106575000130")]
    pub sender_china_mobile: String,
    /// Sender number for China Unicom.
    #[arg(long, env = "BEIAN_SENDER_CHINA_UNICOM", default_value = "10655113")]
    pub sender_china_unicom: String,
    /// Sender number for China Telecom.
    #[arg(long, env = "BEIAN_SENDER_CHINA_TELECOM", default_value = "106598051001")]
    pub sender_china_telecom: String,
    /// Sender number for China Broadnet, which shares China Mobile's network: its sender unless set.
    #[arg(long, env = "BEIAN_SENDER_CHINA_BROADNET")]
    pub sender_china_broadnet: Option<String>,
}

/// Where SMS go, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsGatewayKind {
    /// Development: print each SMS and append it to `<data dir>/sms.jsonl`.
    Console,
    /// POST each SMS as JSON to this `http://` or `https://` URL.
    Http(Url),
}

impl FromStr for SmsGatewayKind {
    type Err = String;

    fn from_str(text: &str) -> Result<SmsGatewayKind, String> {
        if text == "console" {
            return Ok(SmsGatewayKind::Console);
        }
        let refused = |why: String| format!("`{text}` is neither `console` nor an http:// or https:// URL: {why}");
        let url = Url::parse(text).map_err(|e| refused(e.to_string()))?;
        match url.scheme() {
            "http" | "https" => Ok(SmsGatewayKind::Http(url)),
            other => Err(refused(format!("the scheme is {other}"))),
        }
    }
}

impl fmt::Display for SmsGatewayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SmsGatewayKind::Console => f.write_str("console"),
            SmsGatewayKind::Http(url) => f.write_str(url.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse;
    use super::*;

    #[test]
    fn the_default_gateway_is_the_console() {
        assert_eq!(parse(&[]).unwrap().sms.sms_gateway, SmsGatewayKind::Console);
    }

    #[test]
    fn an_http_or_https_url_is_a_gateway() {
        let sms = parse(&["--sms-gateway", "https://sms.example.cn/send"]).unwrap().sms;
        assert_eq!(sms.sms_gateway, SmsGatewayKind::Http("https://sms.example.cn/send".parse().unwrap()));
        assert!(parse(&["--sms-gateway", "http://127.0.0.1:9000/sms"]).is_ok());
    }

    #[test]
    fn anything_else_is_refused_at_start_naming_the_value() {
        for wrong in ["consol", "ftp://sms.example.cn/", "sms.example.cn/send", ""] {
            let error = parse(&["--sms-gateway", wrong]).expect_err(wrong).to_string();
            assert!(error.contains("neither `console` nor"), "{wrong}: {error}");
        }
    }

    #[test]
    fn debug_output_hides_the_gateway_token() {
        let settings = parse(&["--sms-gateway-token", "s3cret-token"]).unwrap();
        assert!(!format!("{settings:?}").contains("s3cret-token"));
    }
}
