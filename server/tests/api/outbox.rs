//! The SMS outbox: nothing accepted is lost across a restart, the HTTP gateway is retried until it
//! accepts, and in the normal path nothing is sent twice.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn sms_committed_but_not_sent_before_a_restart_are_sent_after_it() {
    let app = spawn_with(|s| s.jobs.enabled = false).await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &new_filing()).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(app.sms_count(), 0, "no dispatcher ran");

    let mut app = app.restart().await;
    app.settings.jobs.enabled = true;
    let app = app.restart().await;
    app.wait_for_sms(ZHANG.1, 1).await;
    app.wait_for_sms(LI.1, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let sent = app.phones.0.lock().unwrap().clone();
    let mut ids: Vec<&str> = sent.iter().map(|s| s.id.as_str()).collect();
    ids.dedup();
    assert_eq!((sent.len(), ids.len()), (2, 2), "each SMS exactly once");
    app.stop().await;
}

/// A carrier gateway that refuses the first `failures` requests with 503.
async fn flaky_gateway(failures: usize) -> (String, Arc<Mutex<Vec<Value>>>, Arc<AtomicUsize>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let calls = Arc::new(AtomicUsize::new(0));
    let (r, c) = (received.clone(), calls.clone());
    let router = Router::new().route(
        "/sms",
        post(move |Json(body): Json<Value>| {
            let (r, c) = (r.clone(), c.clone());
            async move {
                if c.fetch_add(1, Ordering::SeqCst) < failures {
                    return (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({})));
                }
                r.lock().unwrap().push(body);
                (StatusCode::OK, Json(serde_json::json!({"id": "gw-1"})))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, received, calls)
}

#[tokio::test]
async fn the_http_gateway_is_retried_until_it_accepts() {
    let (url, received, calls) = flaky_gateway(2).await;
    let app = spawn_with_gateway(|s| {
        s.sms.sms_gateway = url.parse().expect("an http URL");
        s.jobs.outbound_timeout_secs = 2;
    })
    .await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &single_person_filing()).await;

    for _ in 0..300 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        // Backoff is measured on the injected clock: move it instead of waiting.
        app.clock.advance(30_000);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "accepted once");
    assert_eq!(calls.load(Ordering::SeqCst), 3, "two refusals, then accepted");
    assert_eq!(received[0]["to"], ZHANG.1);
    assert_eq!(received[0]["sender"], "106575000130", "138 is China Mobile");
    assert!(received[0]["text"].as_str().unwrap().contains("/v/"));

    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!(view["verifications"][0]["sms_failed"], false);
    app.stop().await;
}

#[tokio::test]
async fn an_sms_the_gateway_refuses_is_marked_failed_for_the_provider_to_see() {
    // A 4xx is a permanent refusal: no retry, the provider sees it on the verification.
    let (url, _, calls) = flaky_gateway(usize::MAX).await;
    let refusing = url.replace("/sms", "/nowhere");
    let app = spawn_with_gateway(|s| s.sms.sms_gateway = refusing.parse().expect("an http URL")).await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &single_person_filing()).await;
    let id = filing["id"].as_str().unwrap();
    for _ in 0..250 {
        let view = app.filing(&key, id).await;
        if view["verifications"][0]["sms_failed"] == true {
            let kinds: Vec<&str> =
                view["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
            assert!(kinds.contains(&"sms_failed"), "{kinds:?}");
            assert_eq!(calls.load(Ordering::SeqCst), 0, "the stub's route was never hit: 404 came first");
            app.stop().await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the refused SMS was never marked failed");
}

#[tokio::test]
async fn a_new_code_still_unsent_when_its_person_fails_is_never_sent() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &new_filing()).await;
    let first = app.latest_sms(ZHANG.1).await;
    app.latest_sms(LI.1).await;

    // Dispatch stops; 张三 asks for a new code, whose SMS waits in the outbox.
    let app = app.restart_with(|s| s.jobs.enabled = false).await;
    app.clock.advance(61_000);
    assert_eq!(app.resend(ZHANG.1, ZHANG.3).await.1["outcome"], "requested");
    // The first code no longer works: three tries with it and 张三 has failed.
    for _ in 0..3 {
        app.check(&first.code, ZHANG.1, ZHANG.3).await;
    }
    assert_eq!(app.filing(&key, filing["id"].as_str().unwrap()).await["state"], "returned");

    // Dispatch resumes: another person's SMS goes out, 张三's dead code does not.
    let app = app.restart_with(|s| s.jobs.enabled = true).await;
    let wang = json!({"name": "王五", "mobile": "13700137000", "id_type": "passport", "id_number": "E12345678"});
    app.submitted(
        &key,
        &json!({"business_type": "cancel_subject", "province": ZHEJIANG, "subject": {"name": "另一家公司", "principal": wang}}),
    )
    .await;
    app.wait_for_sms("13700137000", 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let to_zhang = app.phones.0.lock().unwrap().iter().filter(|s| s.to.as_str() == ZHANG.1).count();
    assert_eq!(to_zhang, 1, "only the first SMS reached 张三");
    app.stop().await;
}
