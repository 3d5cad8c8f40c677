//! Attacks through what the server sends out: a callback URL aimed inside the network (SSRF),
//! and a receiver that hangs to stall every provider's events.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use crate::helpers::*;

async fn put_callback(app: &TestApp, key: &str, url: &str) -> (u16, Value) {
    let response =
        app.client.put(app.url("/api/v1/callback")).bearer_auth(key).json(&json!({"url": url})).send().await.unwrap();
    status_json(response).await
}

/// A receiver on loopback that counts calls and answers after `delay`.
async fn counting_receiver(delay: Duration) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let router = Router::new().route(
        "/hook",
        post(move || {
            let seen = seen.clone();
            async move {
                seen.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, calls)
}

/// Submits a one-person filing and completes it, so its provider is sent `filing.completed`.
async fn complete_a_filing(app: &TestApp, key: &str, who: (&str, &str, &str, &str)) {
    let filing = json!({"business_type": "cancel_subject", "province": "330000", "subject": {"name": "示例科技有限公司", "principal": p(who)}});
    app.submitted(key, &filing).await;
    let code = app.code_for(who.1).await;
    assert_eq!(app.check(&code, who.1, who.3).await["outcome"], "completed");
}

async fn webhook_states(app: &TestApp) -> Vec<(String, Option<String>)> {
    let pool = app.database_pool().await;
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT state, last_error FROM webhook_outbox").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows
}

#[tokio::test]
async fn attack_callback_urls_aimed_inside_the_network_are_refused_at_registration() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let inside = [
        "http://127.0.0.1:8080/hook",
        "https://127.0.0.1/hook",
        "https://[::1]/",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/",
        "https://0.0.0.0/",
        "https://192.168.1.1/",
        "https://[fd00::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://2130706433/",
        "https://user:secret@example.cn/hook",
        "http://example.cn/hook",
    ];
    for url in inside {
        let (status, problem) = put_callback(&app, &key, url).await;
        assert_eq!(status, 422, "{url} was accepted: {problem}");
        assert_eq!(problem["errors"][0]["field"], "/url", "{url}: {problem}");
    }
    let (status, set) = put_callback(&app, &key, "https://hooks.example.cn/beian?token=abc").await;
    assert_eq!(status, 200, "{set}");
    app.stop().await;
}

#[tokio::test]
async fn attack_a_callback_name_resolving_to_loopback_is_refused_at_delivery_and_the_receiver_gets_nothing() {
    // https is allowed to be bypassed for a plain receiver; private targets are not.
    let app = spawn_with(|s| s.jobs.allow_http_callbacks = true).await;
    let (addr, calls) = counting_receiver(Duration::ZERO).await;
    let key = app.new_provider("甲").await;
    // A name, so it passes registration; it resolves to 127.0.0.1 where a real receiver listens.
    let (status, set) =
        put_callback(&app, &key, &format!("http://localhost:{}/hook?key=provider-secret", addr.port())).await;
    assert_eq!(status, 200, "{set}");
    complete_a_filing(&app, &key, ZHANG).await;

    let mut states = Vec::new();
    for _ in 0..250 {
        states = webhook_states(&app).await;
        if states.iter().all(|(state, _)| state != "pending") && !states.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(states.len(), 1, "{states:?}");
    let (state, error) = &states[0];
    assert_eq!(state, "failed", "{states:?}");
    let error = error.as_deref().unwrap_or("");
    assert!(error.contains("loopback") && !error.contains("provider-secret"), "{error}");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the receiver on loopback was called");
    app.stop().await;
}

#[tokio::test]
async fn attack_a_hanging_receiver_does_not_delay_another_providers_events() {
    let timeout = Duration::from_secs(4);
    let app = spawn_with(|s| {
        allow_loopback_callbacks(s);
        s.jobs.outbound_timeout_secs = timeout.as_secs();
    })
    .await;
    let (hanging, hanging_calls) = counting_receiver(Duration::from_secs(3600)).await;
    let (prompt, prompt_calls) = counting_receiver(Duration::ZERO).await;
    let a = app.new_provider("甲").await;
    let b = app.new_provider("乙").await;
    assert_eq!(put_callback(&app, &a, &format!("http://{hanging}/hook")).await.0, 200);
    assert_eq!(put_callback(&app, &b, &format!("http://{prompt}/hook")).await.0, 200);

    // A's receiver takes A's event and never answers...
    complete_a_filing(&app, &a, ZHANG).await;
    let started = Instant::now();
    while hanging_calls.load(Ordering::SeqCst) == 0 {
        assert!(started.elapsed() < Duration::from_secs(5), "A's receiver was never called");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // ...while B's event comes in and must not wait for A's timeout.
    let b_queued = Instant::now();
    complete_a_filing(&app, &b, LI).await;
    while prompt_calls.load(Ordering::SeqCst) == 0 {
        assert!(b_queued.elapsed() < timeout, "B's event waited for A's hanging receiver");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let waited = b_queued.elapsed();
    assert!(waited < timeout / 2, "B waited {waited:?}");
    eprintln!("B's event delivered {waited:?} after it was queued, while A's receiver hangs");
    app.stop().await;
}
