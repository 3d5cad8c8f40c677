//! The PostgreSQL server the tests use: `BEIAN_TEST_POSTGRES_URL`, by default the local one this
//! kind of machine runs (trust auth). The API suite runs on it as well as on SQLite.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

pub const DEFAULT_TEST_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The configured test server's URL.
pub fn test_url() -> String {
    std::env::var("BEIAN_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_TEST_URL.to_owned())
}

/// Whether something accepts connections at the URL's host and port (`Err` says why not).
pub fn reachable(url: &str) -> Result<(), String> {
    let address = host_port(url).ok_or_else(|| format!("no host in {url}"))?;
    let resolved = address.to_socket_addrs().map_err(|e| format!("{address}: {e}"))?.collect::<Vec<_>>();
    let first = resolved.first().ok_or_else(|| format!("{address} resolves to nothing"))?;
    TcpStream::connect_timeout(first, Duration::from_secs(3)).map(drop).map_err(|e| format!("{address}: {e}"))
}

/// `host:port` of a `postgres://user:password@host:port/db?…` URL (port 5432 when absent).
fn host_port(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, after)| after);
    let has_port = match host_port.strip_prefix('[') {
        Some(v6) => v6.contains("]:"),
        None => host_port.contains(':'),
    };
    match (host_port, has_port) {
        ("", _) => None,
        (with_port, true) => Some(with_port.to_owned()),
        (host, false) => Some(format!("{host}:5432")),
    }
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn the_address_is_read_from_the_url() {
        assert_eq!(host_port("postgres://postgres@127.0.0.1:5432/postgres").as_deref(), Some("127.0.0.1:5432"));
        assert_eq!(host_port("postgres://u:p%40ss@db.internal/beian").as_deref(), Some("db.internal:5432"));
        assert_eq!(host_port("postgresql://[::1]:6543/x").as_deref(), Some("[::1]:6543"));
        assert_eq!(host_port("postgres:///beian"), None);
    }
}
