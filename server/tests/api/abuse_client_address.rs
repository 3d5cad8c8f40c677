//! Item 5 of issue 8: the per-client limit keys on the real client behind a trusted proxy, cannot
//! be dodged by writing `X-Forwarded-For` yourself, and keys IPv6 clients by their /64.

use serde_json::json;

use crate::helpers::{spawn_with, TestApp};

/// 6 a minute: half of it (3) at once, then one every 20 s.
const LIMIT: u32 = 6;
const AT_ONCE: u32 = LIMIT / 2;

/// A check (of a number nobody is verifying) as `forwarded_for`; returns the status.
async fn check_as(app: &TestApp, forwarded_for: &str, phone: &str) -> u16 {
    let body = json!({"code": "123456", "phone": phone, "id_suffix": "123456"});
    let response = app
        .client
        .post(app.url("/api/v1/checks"))
        .header("x-forwarded-for", forwarded_for)
        .json(&body)
        .send()
        .await
        .unwrap();
    response.status().as_u16()
}

/// `AT_ONCE` checks as `client` all answered, then one more refused.
async fn use_up_limit(app: &TestApp, client: &str) {
    for i in 0..AT_ONCE {
        assert_eq!(check_as(app, client, &format!("1390000000{i}")).await, 200, "check {i} as {client}");
    }
    assert_eq!(check_as(app, client, "13900000009").await, 429, "over the limit as {client}");
}

#[tokio::test]
async fn attack_one_person_behind_the_proxy_cannot_use_up_everyones_limit() {
    let app = spawn_with(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        s.limits.checks_per_client_per_minute = LIMIT;
    })
    .await;
    // The proxy appends the address it saw; a client's own entry is left of it.
    use_up_limit(&app, "198.51.100.1").await;

    assert_eq!(check_as(&app, "198.51.100.2", "13900000010").await, 200, "someone else keeps their own limit");
    assert_eq!(check_as(&app, "203.0.113.5, 198.51.100.3", "13900000011").await, 200);
    assert_eq!(check_as(&app, "198.51.100.2, 198.51.100.1", "13900000012").await, 429, "the right-most entry counts");
    app.stop().await;
}

#[tokio::test]
async fn attack_rotating_a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_dodge_the_limit() {
    let app = spawn_with(|s| {
        s.server.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()]; // the test client (127.0.0.1) is not one
        s.limits.checks_per_client_per_minute = LIMIT;
    })
    .await;
    for i in 0..AT_ONCE {
        assert_eq!(check_as(&app, &format!("198.51.100.{i}"), &format!("1390000000{i}")).await, 200);
    }
    for i in 10..15 {
        let spoofed = format!("198.51.100.{i}, 10.0.0.{i}");
        assert_eq!(check_as(&app, &spoofed, "13900000009").await, 429, "spoofed {spoofed}");
    }
    app.stop().await;
}

#[tokio::test]
async fn attack_addresses_in_one_ipv6_64_share_one_limit_and_the_next_64_has_its_own() {
    let app = spawn_with(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        s.limits.checks_per_client_per_minute = LIMIT;
    })
    .await;
    use_up_limit(&app, "2001:db8:1:2::1").await;

    assert_eq!(check_as(&app, "2001:db8:1:2:ffff:ffff:ffff:9", "13900000010").await, 429, "same /64");
    assert_eq!(check_as(&app, "[2001:db8:1:2::77]:4711", "13900000011").await, 429, "same /64, with a port");
    assert_eq!(check_as(&app, "2001:db8:1:3::1", "13900000012").await, 200, "the next /64");
    app.stop().await;
}
