//! Codes expire after their validity; the request goes back to its provider exactly once.

use std::sync::Arc;

use crate::helpers::*;

const DAY_MILLIS: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn a_check_after_the_validity_is_expired_and_returns_the_request() {
    let app = spawn_with(|s| s.jobs.enabled = true).await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &new_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    app.clock.advance(DAY_MILLIS + 1);
    let outcome = app.check(&code, ZHANG.1, ZHANG.3).await;
    assert_eq!(outcome, serde_json::json!({"outcome": "expired", "name": "张三"}));
    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!((view["state"].as_str(), view["return_reason"].as_str()), (Some("returned"), Some("expired")));
    app.stop().await;
}

#[tokio::test]
async fn the_validity_is_configurable() {
    let app = spawn_with(|s| s.limits.code_validity_secs = 60).await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    app.clock.advance(61_000);
    assert_eq!(app.check(&code, ZHANG.1, ZHANG.3).await["outcome"], "expired");
    app.stop().await;
}

#[tokio::test]
async fn racing_sweepers_return_an_expired_request_exactly_once() {
    // Jobs off: the test runs the sweepers itself, several at once, like replicas would.
    let app = spawn_with(|s| s.jobs.enabled = false).await;
    let key = app.new_provider("甲").await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(app.submitted(&key, &new_filing()).await["id"].as_str().unwrap().to_owned());
    }
    app.clock.advance(DAY_MILLIS + 1);
    let service = Arc::new(app.service().clone());
    let sweeps: Vec<_> = (0..4)
        .map(|_| {
            let service = service.clone();
            tokio::spawn(async move { service.expire_due().await.unwrap() })
        })
        .collect();
    let mut expired = 0;
    for sweep in sweeps {
        expired += sweep.await.unwrap();
    }
    assert!(expired >= 10, "every verification expired: {expired}");
    for id in &ids {
        let view = app.filing(&key, id).await;
        assert_eq!(view["state"], "returned");
        let returned = view["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "returned").count();
        assert_eq!(returned, 1, "returned once: {view}");
        let states: Vec<&str> =
            view["verifications"].as_array().unwrap().iter().map(|v| v["state"].as_str().unwrap()).collect();
        assert!(states.iter().all(|s| *s == "expired" || *s == "returned"), "{states:?}");
    }
    assert_eq!(service.expire_due().await.unwrap(), 0);
    app.stop().await;
}

#[tokio::test]
async fn when_every_code_of_a_request_ran_out_each_person_is_told_it_expired() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let id = app.submitted(&key, &new_filing()).await["id"].as_str().unwrap().to_owned();
    let codes = [app.code_for(ZHANG.1).await, app.code_for(LI.1).await];
    app.clock.advance(DAY_MILLIS + 1);
    // The background sweeper may get there first: then this sweep finds nothing left.
    app.service().expire_due().await.unwrap();
    let view = app.filing(&key, &id).await;
    let states: Vec<&str> =
        view["verifications"].as_array().unwrap().iter().map(|v| v["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["expired", "expired"]);
    assert_eq!(app.check(&codes[0], ZHANG.1, ZHANG.3).await["outcome"], "expired");
    assert_eq!(app.check(&codes[1], LI.1, LI.3).await["outcome"], "expired");
    app.stop().await;
}

#[tokio::test]
async fn the_background_sweeper_returns_requests_nobody_checks() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let id = app.submitted(&key, &single_person_filing()).await["id"].as_str().unwrap().to_owned();
    app.clock.advance(DAY_MILLIS + 1);
    for _ in 0..100 {
        if app.filing(&key, &id).await["state"] == "returned" {
            app.stop().await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the sweeper did not return the request");
}
