//! Provider notifications: signed the Standard Webhooks way, retried after the receiver fails
//! under the same `webhook-id`, each event with a unique id.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use beian_verify_server::webhook::{verify, SignedHeaders, SigningKey, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde_json::Value;

use crate::helpers::*;

const SECRET: &str = "whsec_dGVzdC13ZWJob29rLXNlY3JldC0zMi1ieXRlcyE=";

struct Receiver {
    url: String,
    events: Arc<Mutex<Vec<Value>>>,
    /// The `webhook-id` of every call, failed ones too.
    ids: Arc<Mutex<Vec<String>>>,
    calls: Arc<AtomicUsize>,
}

/// A provider's endpoint that fails its first `failures` calls and verifies every signature.
async fn receiver(secret: &str, failures: usize) -> Receiver {
    serve_receiver(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(), secret, failures)
}

fn serve_receiver(listener: tokio::net::TcpListener, secret: &str, failures: usize) -> Receiver {
    let key = SigningKey::from_secret(secret);
    let events = Arc::new(Mutex::new(Vec::new()));
    let ids = Arc::new(Mutex::new(Vec::new()));
    let calls = Arc::new(AtomicUsize::new(0));
    let (e, i, c) = (events.clone(), ids.clone(), calls.clone());
    let router = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let (e, i, c, key) = (e.clone(), i.clone(), c.clone(), key.clone());
            async move {
                let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
                let signed = SignedHeaders {
                    id: header(ID_HEADER),
                    timestamp: header(TIMESTAMP_HEADER),
                    signature: header(SIGNATURE_HEADER),
                };
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                if verify(&key, signed, &body, now, 300).is_err() {
                    return StatusCode::UNAUTHORIZED;
                }
                i.lock().unwrap().push(signed.id.to_owned());
                if c.fetch_add(1, Ordering::SeqCst) < failures {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                e.lock().unwrap().push(serde_json::from_slice(&body).unwrap());
                StatusCode::NO_CONTENT
            }
        }),
    );
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Receiver { url, events, ids, calls }
}

async fn provider_with_callback(app: &TestApp, url: &str, secret: &str) -> String {
    let (id, key) = app.service().create_provider("甲").await.unwrap();
    app.service().store().set_provider_callback(&id, Some((url, secret))).await.unwrap();
    key
}

async fn wait_for_events(app: &TestApp, receiver: &Receiver, count: usize) -> Vec<Value> {
    for _ in 0..300 {
        let events = receiver.events.lock().unwrap().clone();
        if events.len() >= count {
            return events;
        }
        app.clock.advance(30_000);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("only {} of {count} events arrived", receiver.events.lock().unwrap().len());
}

#[tokio::test]
async fn a_completed_filing_is_announced_with_a_verifiable_signature_after_the_receiver_recovers() {
    let app = spawn_with(allow_loopback_callbacks).await;
    let hook = receiver(SECRET, 1).await;
    let key = provider_with_callback(&app, &hook.url, SECRET).await;
    let filing = app.submitted(&key, &single_person_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    assert_eq!(app.check(&code, ZHANG.1, ZHANG.3).await["outcome"], "completed");

    let events = wait_for_events(&app, &hook, 1).await;
    assert_eq!(hook.calls.load(Ordering::SeqCst), 2, "failed once, then delivered");
    // The retry is the same message: the receiver's idempotency key does not change.
    let ids = hook.ids.lock().unwrap().clone();
    assert_eq!(ids, [events[0]["id"].as_str().unwrap(); 2]);
    assert_eq!(events[0]["kind"], "filing.completed");
    assert_eq!(events[0]["filing_id"], filing["id"]);
    assert_eq!(
        (events[0]["province"].as_str(), events[0]["authority"].as_str()),
        (Some("330000"), Some("浙江省通信管理局"))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_filing_in_a_province_without_sms_verification_is_announced_complete_at_once_saying_why() {
    let app = spawn_with(allow_loopback_callbacks).await;
    let hook = receiver(SECRET, 0).await;
    let key = provider_with_callback(&app, &hook.url, SECRET).await;
    let mut filing = single_person_filing();
    filing["province"] = BEIJING.into();
    let filing = app.submitted(&key, &filing).await;
    let events = wait_for_events(&app, &hook, 1).await;
    assert_eq!(events[0]["kind"], "filing.completed");
    assert_eq!(events[0]["filing_id"], filing["id"]);
    assert_eq!(events[0]["authority"], "北京市通信管理局");
    assert_eq!(events[0]["note"], filing["review_note"]);
    app.stop().await;
}

#[tokio::test]
async fn returned_filings_are_announced_with_their_reason_and_unique_event_ids() {
    let app = spawn_with(allow_loopback_callbacks).await;
    let hook = receiver(SECRET, 0).await;
    let key = provider_with_callback(&app, &hook.url, SECRET).await;
    for _ in 0..3 {
        app.submitted(&key, &single_person_filing()).await;
    }
    app.clock.advance(24 * 3600 * 1000 + 1);
    let events = wait_for_events(&app, &hook, 3).await;
    assert!(events.iter().all(|e| e["kind"] == "filing.returned" && e["reason"] == "expired"), "{events:?}");
    let ids: HashSet<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn a_provider_sets_its_callback_over_the_api_and_receives_events_signed_with_the_secret_it_was_given() {
    let app = spawn_with(allow_loopback_callbacks).await;
    let key = app.new_provider("甲").await;
    let (status, problem) = put_callback(&app, &key, "ftp://example.cn/hook").await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("invalid_input")));

    // The receiver only accepts the secret the API answers with.
    let hook_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", hook_listener.local_addr().unwrap());
    let (status, set) = put_callback(&app, &key, &url).await;
    assert_eq!(status, 200, "{set}");
    let given = set["secret"].as_str().unwrap();
    assert!(given.starts_with("whsec_") && given.len() >= 32, "{given}");
    let hook = serve_receiver(hook_listener, given, 0);

    app.submitted(&key, &single_person_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    app.check(&code, ZHANG.1, ZHANG.3).await;
    let events = wait_for_events(&app, &hook, 1).await;
    assert_eq!(events[0]["kind"], "filing.completed");

    let response = app.client.delete(app.url("/api/v1/callback")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(response.status(), 204);
    app.stop().await;
}

async fn put_callback(app: &TestApp, key: &str, url: &str) -> (u16, Value) {
    let response = app
        .client
        .put(app.url("/api/v1/callback"))
        .bearer_auth(key)
        .json(&serde_json::json!({"url": url}))
        .send()
        .await
        .unwrap();
    status_json(response).await
}
