//! Which IP addresses a callback may reach: public unicast only. Everything else (loopback,
//! private, link-local, ULA, CGNAT, multicast, unspecified, broadcast, documentation and other
//! reserved ranges, and IPv6 forms that embed such an IPv4 address) would let whoever registers
//! a callback make this server call into its own network (SSRF).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is not a public one, for the log; `None` for a public address.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => non_public_v6(v6),
    }
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    let reason = match (a, b, c) {
        (0, _, _) => "unspecified (0.0.0.0/8)",
        (10, _, _) => "private (10/8)",
        (100, 64..=127, _) => "shared address space (100.64/10, CGNAT)",
        (127, _, _) => "loopback (127/8)",
        (169, 254, _) => "link-local (169.254/16)",
        (172, 16..=31, _) => "private (172.16/12)",
        (192, 0, 0) => "IETF protocol assignments (192.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (192, 88, 99) => "6to4 relay anycast (192.88.99/24)",
        (192, 168, _) => "private (192.168/16)",
        (198, 18..=19, _) => "benchmarking (198.18/15)",
        (224..=239, _, _) => "multicast (224/4)",
        (255, 255, 255) if ip == Ipv4Addr::BROADCAST => "broadcast",
        (240..=255, _, _) => "reserved (240/4)",
        _ => return None,
    };
    Some(reason)
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        // ::ffff:a.b.c.d reaches a.b.c.d.
        return non_public_v4(v4).map(|_| "IPv4-mapped non-public address");
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address through the gateway.
        return non_public_v4(embedded_v4(segments[6], segments[7])).map(|_| "NAT64 of a non-public address");
    }
    if segments[0] == 0x2002 {
        // 6to4 embeds the IPv4 address in the next 32 bits.
        return non_public_v4(embedded_v4(segments[1], segments[2])).map(|_| "6to4 of a non-public address");
    }
    let reason = match segments {
        _ if ip.is_unspecified() => "unspecified (::)",
        _ if ip.is_loopback() => "loopback (::1)",
        [0, 0, 0, 0, 0, 0, _, _] => "IPv4-compatible (::/96, deprecated)",
        [0xfe80..=0xfebf, ..] => "link-local (fe80::/10)",
        [0xfec0..=0xfeff, ..] => "site-local (fec0::/10, deprecated)",
        [0xfc00..=0xfdff, ..] => "unique local (fc00::/7)",
        [0xff00..=0xffff, ..] => "multicast (ff00::/8)",
        [0x2001, 0xdb8, ..] => "documentation (2001:db8::/32)",
        [0x3fff, 0x0000..=0x0fff, ..] => "documentation (3fff::/20)",
        [0x2001, 0x0000, ..] => "Teredo (2001::/32)",
        [0x2001, 0x0002, 0, ..] => "benchmarking (2001:2::/48)",
        [0x2001, 0x0010..=0x002f, ..] => "ORCHID (2001:10::/28, 2001:20::/28)",
        [0x0100, 0, 0, 0, ..] => "discard (100::/64)",
        // Global unicast is 2000::/3; everything else is reserved.
        [first, ..] if !(0x2000..=0x3fff).contains(&first) => "reserved (outside 2000::/3)",
        _ => return None,
    };
    Some(reason)
}

fn embedded_v4(high: u16, low: u16) -> Ipv4Addr {
    let [a, b] = high.to_be_bytes();
    let [c, d] = low.to_be_bytes();
    Ipv4Addr::new(a, b, c, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn every_non_public_range_is_refused_at_its_edges() {
        let refused = [
            "0.0.0.0",
            "0.255.255.255",
            "10.0.0.0",
            "10.0.0.1",
            "10.255.255.255",
            "100.64.0.0",
            "100.127.255.255",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.0.0",
            "169.254.169.254",
            "169.254.255.255",
            "172.16.0.0",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.0.1",
            "192.168.255.255",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::ffff:0.0.0.0",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
            "2002:c0a8:101::",
            "fe80::1",
            "febf:ffff::1",
            "fec0::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "ff05::2",
            "2001:db8::1",
            "3fff::1",
            "2001::1",
            "2001:2::1",
            "2001:10::1",
            "2001:20::1",
            "100::1",
            "4000::1",
            "::2:3:4",
        ];
        for text in refused {
            assert!(non_public(ip(text)).is_some(), "{text} must be refused");
        }
    }

    #[test]
    fn public_addresses_pass_including_the_neighbours_of_refused_ranges() {
        let public = [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.1",
            "192.0.3.1",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "203.0.114.1",
            "223.255.255.255",
            "114.114.114.114",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2400:3200::1",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "2001:db9::1",
            "3fff:1000::1",
        ];
        for text in public {
            assert_eq!(non_public(ip(text)), None, "{text} is public");
        }
    }

    #[test]
    fn the_reason_names_the_range() {
        assert_eq!(non_public(ip("169.254.169.254")), Some("link-local (169.254/16)"));
        assert_eq!(non_public(ip("::ffff:127.0.0.1")), Some("IPv4-mapped non-public address"));
        assert_eq!(non_public(ip("255.255.255.255")), Some("broadcast"));
    }
}
