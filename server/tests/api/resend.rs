//! Resend (用户手动重发): a new code replaces the old one; limits and the minimum interval. A
//! person's answer is the same whether or not anything matched (`requested`).

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_resend_sends_a_new_code_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    let old = app.latest_sms(ZHANG.1).await;
    app.clock.advance(61_000);
    let (status, outcome) = app.resend(ZHANG.1, ZHANG.3).await;
    assert_eq!((status, outcome), (200, json!({"outcome": "requested"})));
    let new = app.wait_for_sms(ZHANG.1, 2).await;
    assert_ne!(new.link, old.link);

    let (status, _) = app.get_as("", &format!("/api/v1/links/{}", old.link.rsplit('/').next().unwrap())).await;
    assert_eq!(status, 404, "the old link is gone");
    if old.code != new.code {
        assert_eq!(app.check(&old.code, ZHANG.1, ZHANG.3).await["outcome"], "wrong_code");
    }
    assert_eq!(app.check(&new.code, ZHANG.1, ZHANG.3).await["outcome"], "completed");
    app.stop().await;
}

#[tokio::test]
async fn resends_are_limited_per_verification_and_spaced_by_the_minimum_interval() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    app.latest_sms(ZHANG.1).await;

    // Too soon after the first SMS: the same answer, and no second SMS.
    assert_eq!(app.resend(ZHANG.1, ZHANG.3).await, (200, json!({"outcome": "requested"})));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.sms_count(), 1);

    for sent in 2..=3 {
        app.clock.advance(61_000);
        assert_eq!(app.resend(ZHANG.1, ZHANG.3).await.1["outcome"], "requested");
        // A resend drops an older SMS not yet sent; wait for this one to reach the phone.
        app.wait_for_sms(ZHANG.1, sent).await;
    }
    app.clock.advance(61_000);
    let (status, outcome) = app.resend(ZHANG.1, ZHANG.3).await;
    assert_eq!((status, outcome), (200, json!({"outcome": "limit_reached"})));
    app.stop().await;
}

#[tokio::test]
async fn nothing_pending_reads_the_same_as_sent() {
    let app = spawn_app().await;
    let (status, outcome) = app.resend("13900000000", "123456").await;
    assert_eq!((status, outcome), (200, json!({"outcome": "requested"})));
    let (status, problem) = app.resend("1390000", "123456").await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("invalid_input")));
    app.stop().await;
}

#[tokio::test]
async fn a_provider_can_resend_for_one_of_its_verifications() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &single_person_filing()).await;
    app.latest_sms(ZHANG.1).await;
    app.clock.advance(61_000);
    let path = format!(
        "/api/v1/filings/{}/verifications/{}/resend",
        filing["id"].as_str().unwrap(),
        filing["verifications"][0]["id"].as_str().unwrap()
    );
    let response = app.client.post(app.url(&path)).bearer_auth(&key).send().await.unwrap();
    let (status, outcome) = status_json(response).await;
    assert_eq!((status, outcome), (200, json!({"outcome": "sent"})));
    let new = app.wait_for_sms(ZHANG.1, 2).await;
    assert_eq!(app.check(&new.code, ZHANG.1, ZHANG.3).await["outcome"], "completed");
    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!(view["verifications"][0]["resends_used"], 1);
    app.stop().await;
}
