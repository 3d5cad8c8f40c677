//! Where a callback may point. At registration: https (http only when a development setting
//! allows it), a host, no userinfo, and an IP-literal host must be public. At delivery every name
//! is resolved through [`PublicResolver`], which refuses the whole name when any of its addresses
//! is not public; the client connects only to addresses that resolver returned, so what was
//! checked is what is reached (no second lookup an attacker's DNS could answer differently).

use std::error::Error as StdError;
use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

use super::address::non_public;
use crate::config::JobSettings;

/// What the deployment allows beyond public https targets (both off in production).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    pub allow_http: bool,
    pub allow_private: bool,
}

impl TargetPolicy {
    pub fn from_settings(jobs: &JobSettings) -> TargetPolicy {
        TargetPolicy { allow_http: jobs.allow_http_callbacks, allow_private: jobs.allow_private_callbacks }
    }
}

/// Why a callback URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("not an absolute URL")]
    NotAUrl,
    #[error("the scheme must be https")]
    NotHttps,
    #[error("the URL carries a user name or password")]
    Userinfo,
    #[error("the URL has no host")]
    NoHost,
    #[error("the host is a {0} address")]
    NonPublic(&'static str),
}

impl TargetError {
    /// What a provider is told (the `errors` message for `/url`).
    pub fn reason(&self) -> &'static str {
        match self {
            TargetError::NotAUrl | TargetError::NoHost => "应为 https:// 开头的完整网址。",
            TargetError::NotHttps => "回调地址必须使用 https://。",
            TargetError::Userinfo => "回调地址不能包含用户名或密码。",
            TargetError::NonPublic(_) => "回调地址必须是公网地址，不能指向本机、内网或保留地址。",
        }
    }
}

/// Parses and checks a callback URL for registration.
pub fn parse_callback_url(text: &str, policy: TargetPolicy) -> Result<Url, TargetError> {
    let url = Url::parse(text.trim()).map_err(|_| TargetError::NotAUrl)?;
    check_url(&url, policy)?;
    Ok(url)
}

/// The rules [`parse_callback_url`] applies, again at delivery (a URL stored before the rules
/// existed, or by an older replica, is held to them too).
pub fn check_url(url: &Url, policy: TargetPolicy) -> Result<(), TargetError> {
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_http => {}
        _ => return Err(TargetError::NotHttps),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Userinfo);
    }
    let ip = match url.host().ok_or(TargetError::NoHost)? {
        url::Host::Domain(_) => return Ok(()),
        url::Host::Ipv4(v4) => IpAddr::V4(v4),
        url::Host::Ipv6(v6) => IpAddr::V6(v6),
    };
    // An IP literal is never looked up, so the resolver never sees it: check it here.
    check_address(ip, policy)
}

fn check_address(ip: IpAddr, policy: TargetPolicy) -> Result<(), TargetError> {
    match non_public(ip) {
        Some(reason) if !policy.allow_private => Err(TargetError::NonPublic(reason)),
        _ => Ok(()),
    }
}

/// The webhook client's DNS: the system resolver, then every address checked.
#[derive(Debug, Clone, Copy)]
pub struct PublicResolver {
    pub policy: TargetPolicy,
}

/// A name that resolved to an address a callback may not reach. Found in a failed delivery's
/// error chain (see `sender::transport_error`), which makes the failure permanent.
#[derive(Debug, thiserror::Error)]
#[error("the callback host resolves to a {reason} address")]
pub struct RefusedAddress {
    pub reason: &'static str,
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: the client puts the URL's port in.
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            // One bad address refuses the name: a mix is how DNS rebinding is usually served.
            if let Some(reason) = found.iter().find_map(|a| check_address(a.ip(), policy).err()) {
                let TargetError::NonPublic(reason) = reason else {
                    unreachable!("only NonPublic comes from an address")
                };
                return Err(Box::new(RefusedAddress { reason }) as Box<dyn StdError + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// The [`RefusedAddress`] somewhere in `error`'s chain of sources.
pub fn refused_address<'e>(error: &'e (dyn StdError + 'static)) -> Option<&'e RefusedAddress> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(refused) = e.downcast_ref::<RefusedAddress>() {
            return Some(refused);
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: TargetPolicy = TargetPolicy { allow_http: false, allow_private: false };
    const DEV: TargetPolicy = TargetPolicy { allow_http: true, allow_private: true };

    #[test]
    fn registration_refuses_what_could_reach_inside_or_leak_credentials() {
        let cases = [
            ("ftp://example.cn/hook", TargetError::NotHttps),
            ("http://example.cn/hook", TargetError::NotHttps),
            ("not a url", TargetError::NotAUrl),
            ("https://user:pass@example.cn/hook", TargetError::Userinfo),
            ("https://user@example.cn/hook", TargetError::Userinfo),
            ("https://127.0.0.1/hook", TargetError::NonPublic("loopback (127/8)")),
            ("https://[::1]/hook", TargetError::NonPublic("loopback (::1)")),
            ("https://169.254.169.254/latest", TargetError::NonPublic("link-local (169.254/16)")),
            ("https://10.0.0.1/", TargetError::NonPublic("private (10/8)")),
            ("https://0.0.0.0/", TargetError::NonPublic("unspecified (0.0.0.0/8)")),
            // The URL parser reads these spellings as IP addresses too.
            ("https://2130706433/", TargetError::NonPublic("loopback (127/8)")),
            ("https://0x7f.1/", TargetError::NonPublic("loopback (127/8)")),
            ("https://[::ffff:7f00:1]/", TargetError::NonPublic("IPv4-mapped non-public address")),
        ];
        for (url, expected) in cases {
            assert_eq!(parse_callback_url(url, STRICT), Err(expected), "{url}");
        }
    }

    #[test]
    fn registration_accepts_public_https_and_names_that_are_checked_at_delivery() {
        for url in ["https://example.cn/hook?k=1", "https://8.8.8.8/hook", "https://localhost:8443/hook"] {
            assert!(parse_callback_url(url, STRICT).is_ok(), "{url}");
        }
    }

    #[test]
    fn the_development_settings_allow_http_and_loopback_but_never_userinfo() {
        assert!(parse_callback_url("http://127.0.0.1:9/hook", DEV).is_ok());
        assert_eq!(parse_callback_url("http://u:p@127.0.0.1/", DEV), Err(TargetError::Userinfo));
        let http_only = TargetPolicy { allow_http: true, allow_private: false };
        assert!(matches!(parse_callback_url("http://127.0.0.1/", http_only), Err(TargetError::NonPublic(_))));
    }

    #[tokio::test]
    async fn the_resolver_refuses_a_name_that_resolves_to_loopback() {
        let resolver = PublicResolver { policy: STRICT };
        let error = resolver.resolve("localhost".parse().unwrap()).await.err().expect("refused");
        assert!(refused_address(error.as_ref()).is_some(), "{error}");

        let dev = PublicResolver { policy: DEV };
        let addrs: Vec<SocketAddr> = dev.resolve("localhost".parse().unwrap()).await.ok().unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
