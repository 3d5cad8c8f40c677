//! The HTTP edge: where the server listens and what it serves, clients behind proxies, slow
//! clients, the metrics listener, response headers and the log format.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use ipnet::IpNet;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Server")]
pub struct ServerSettings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "BEIAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The built SPA (Trunk's `dist/`).
    #[arg(long, env = "BEIAN_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Base URL people open from their SMS (short links); default `http://<addr>`.
    #[arg(long, env = "BEIAN_PUBLIC_URL")]
    pub public_url: Option<String>,

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

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "BEIAN_BODY_LIMIT_BYTES", default_value_t = 64 * 1024)]
    pub body_limit_bytes: usize,

    /// Where `/metrics` is served: a listener of its own, never the public one (the public
    /// address answers 404 there). Keep it on loopback or a private network; `off` for none.
    #[arg(long, env = "BEIAN_METRICS_ADDR", default_value = "127.0.0.1:9464", value_parser = parse_listen_addr)]
    // Spelled out so clap takes the whole `Option` from the parser (`off` is `None`) instead of
    // treating the setting as optional.
    pub metrics_addr: ::std::option::Option<SocketAddr>,

    /// Send `Strict-Transport-Security: max-age=<this>; includeSubDomains` with every answer. Set
    /// it only when people reach the service over HTTPS alone (a TLS proxy in front of it): browsers
    /// then refuse plain HTTP to the host and its subdomains for that long. Unset: no HSTS.
    #[arg(long, env = "BEIAN_HSTS_MAX_AGE_SECS")]
    pub hsts_max_age_secs: Option<u64>,

    /// Log as JSON lines instead of text.
    #[arg(long, env = "BEIAN_LOG_JSON", default_value_t = false, action = clap::ArgAction::Set)]
    pub log_json: bool,
}

impl ServerSettings {
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
    use super::super::tests::parse;
    use super::*;

    #[test]
    fn by_default_no_proxy_is_trusted_and_metrics_listen_on_loopback() {
        let server = parse(&[]).unwrap().server;
        assert!(server.trusted_proxies.is_empty());
        assert_eq!(server.metrics_addr, Some("127.0.0.1:9464".parse().unwrap()));
    }

    #[test]
    fn trusted_proxies_take_cidrs_and_single_addresses_comma_separated() {
        let server = parse(&["--trusted-proxies", "10.0.0.0/8, 192.168.1.7,fd00::/8"]).unwrap().server;
        let expected: Vec<IpNet> =
            ["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"].iter().map(|n| n.parse().unwrap()).collect();
        assert_eq!(server.trusted_proxies, expected);
    }

    #[test]
    fn a_bad_trusted_proxy_is_a_start_up_error_naming_it() {
        let error = parse(&["--trusted-proxies", "10.0.0.0/33"]).expect_err("refused").to_string();
        assert!(error.contains("10.0.0.0/33"), "{error}");
        assert!(parse(&["--trusted-proxies", "proxy.example.cn"]).is_err());
    }

    #[test]
    fn an_empty_trusted_proxies_value_trusts_nobody() {
        assert!(parse(&["--trusted-proxies", ""]).unwrap().server.trusted_proxies.is_empty());
    }

    #[test]
    fn the_metrics_listener_can_be_turned_off() {
        assert_eq!(parse(&["--metrics-addr", "off"]).unwrap().server.metrics_addr, None);
        assert!(parse(&["--metrics-addr", "nowhere"]).is_err());
    }

    #[test]
    fn timeouts_and_the_connection_cap_refuse_zero() {
        assert!(parse(&["--header-read-timeout-secs", "0"]).is_err());
        assert!(parse(&["--max-connections", "0"]).is_err());
    }
}
