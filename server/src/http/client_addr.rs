//! Who the client is, for per-client limits. The socket's peer, unless that peer is a trusted
//! reverse proxy: then the right-most address of its forwarding header that is not itself a
//! trusted proxy (each proxy appends the address it saw, so only the part right of the first
//! untrusted hop was written by someone we trust). IPv6 clients are keyed by their /64, which one
//! subscriber usually holds whole.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};
use ipnet::IpNet;

use crate::config::ForwardedHeader;
use crate::service::Service;

/// The key per-client limits count under: the client's IPv4 address or IPv6 /64 network.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<Service> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, service: &Service) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let settings = service.settings();
        let client =
            client_ip(peer, &parts.headers, &settings.server.trusted_proxies, settings.server.forwarded_header);
        Ok(ClientAddr(limit_key(client)))
    }
}

/// The client's address as far as trusted proxies vouch for it. A hop that cannot be read stops
/// the walk at the nearest trusted proxy: the client then shares that proxy's limit, which is
/// stricter, never a key the client chose.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet], header: ForwardedHeader) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(&client) {
        return client;
    }
    for hop in hops_right_to_left(headers, header) {
        match hop {
            Some(ip) => client = ip.to_canonical(),
            None => break,
        }
        if !is_trusted(&client) {
            break;
        }
    }
    client
}

/// IPv4 addresses as they are; IPv6 addresses reduced to their /64 network.
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u64::MAX as u128))),
        v4 => v4,
    }
}

/// The addresses the header names, nearest hop first; `None` for an entry that is not one.
fn hops_right_to_left(headers: &HeaderMap, header: ForwardedHeader) -> impl Iterator<Item = Option<IpAddr>> + '_ {
    let name = match header {
        ForwardedHeader::XForwardedFor => HeaderName::from_static("x-forwarded-for"),
        ForwardedHeader::Forwarded => HeaderName::from_static("forwarded"),
    };
    // Repeated header lines are one list in order (RFC 9110 5.3).
    let lines: Vec<_> = headers.get_all(name).iter().collect();
    lines.into_iter().rev().flat_map(move |line| {
        let entries: Vec<Option<IpAddr>> = match line.to_str() {
            Ok(text) => text
                .rsplit(',')
                .map(|entry| match header {
                    ForwardedHeader::XForwardedFor => node(entry),
                    ForwardedHeader::Forwarded => forwarded_for(entry),
                })
                .collect(),
            Err(_) => vec![None],
        };
        entries
    })
}

/// The `for=` of one RFC 7239 element (`for=192.0.2.60;proto=https;by=...`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    let value = element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case("for").then_some(value.trim())
    })?;
    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    node(value)
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
/// Obfuscated (`_hidden`) and `unknown` nodes are not addresses.
fn node(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| text.strip_prefix('[')?.strip_suffix(']')?.parse::<Ipv6Addr>().ok().map(IpAddr::V6))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn xff(peer: &str, values: &[&str], trusted: &[&str]) -> IpAddr {
        client_ip(ip(peer), &headers("x-forwarded-for", values), &nets(trusted), ForwardedHeader::XForwardedFor)
    }

    fn forwarded(peer: &str, values: &[&str], trusted: &[&str]) -> IpAddr {
        client_ip(ip(peer), &headers("forwarded", values), &nets(trusted), ForwardedHeader::Forwarded)
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() {
        assert_eq!(xff("203.0.113.9", &["198.51.100.1"], &[]), ip("203.0.113.9"));
        assert_eq!(forwarded("203.0.113.9", &["for=198.51.100.1"], &[]), ip("203.0.113.9"));
    }

    #[test]
    fn an_untrusted_peers_header_is_ignored() {
        assert_eq!(xff("203.0.113.9", &["198.51.100.1"], &["10.0.0.0/8"]), ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client() {
        let trusted = ["10.0.0.0/8"];
        // The client spoofed `1.1.1.1`; the proxies appended what they saw.
        assert_eq!(xff("10.0.0.2", &["1.1.1.1, 198.51.100.7, 10.0.0.1"], &trusted), ip("198.51.100.7"));
        assert_eq!(xff("10.0.0.2", &["1.1.1.1", "198.51.100.7,10.0.0.1"], &trusted), ip("198.51.100.7"));
        assert_eq!(
            forwarded("10.0.0.2", &[r#"for=1.1.1.1, for="198.51.100.7:4711";proto=https, for=10.0.0.1"#], &trusted),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_trusted_proxy_without_a_header_is_its_own_client() {
        assert_eq!(xff("10.0.0.2", &[], &["10.0.0.0/8"]), ip("10.0.0.2"));
    }

    #[test]
    fn an_unreadable_hop_stops_the_walk_at_the_nearest_trusted_proxy() {
        let trusted = ["10.0.0.0/8"];
        assert_eq!(xff("10.0.0.2", &["198.51.100.7, garbage, 10.0.0.1"], &trusted), ip("10.0.0.1"));
        assert_eq!(xff("10.0.0.2", &["198.51.100.7,,"], &trusted), ip("10.0.0.2"));
        assert_eq!(forwarded("10.0.0.2", &["for=198.51.100.7, for=unknown"], &trusted), ip("10.0.0.2"));
        assert_eq!(forwarded("10.0.0.2", &["for=198.51.100.7, proto=https"], &trusted), ip("10.0.0.2"));
    }

    #[test]
    fn ports_brackets_and_mapped_ipv4_are_understood() {
        let trusted = ["127.0.0.1/32"];
        assert_eq!(xff("127.0.0.1", &["198.51.100.7:5000"], &trusted), ip("198.51.100.7"));
        assert_eq!(xff("127.0.0.1", &["[2001:db8::7]:5000"], &trusted), ip("2001:db8::7"));
        assert_eq!(forwarded("127.0.0.1", &[r#"For="[2001:db8::7]""#], &trusted), ip("2001:db8::7"));
        // A dual-stack socket shows IPv4 peers as ::ffff:a.b.c.d.
        assert_eq!(xff("::ffff:127.0.0.1", &["198.51.100.7"], &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_and_ipv4_by_the_address() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(limit_key(ip("2001:db8:1:2:bbbb::9")), ip("2001:db8:1:2::"));
        assert_ne!(limit_key(ip("2001:db8:1:3::1")), ip("2001:db8:1:2::"));
        assert_eq!(limit_key(ip("198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(limit_key(ip("::ffff:198.51.100.7")), ip("198.51.100.7"));
    }
}
