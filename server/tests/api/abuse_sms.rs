//! A stolen provider key pumping SMS: quotas per provider (per minute, per day) and a cap per
//! phone number per day across all providers, resends included. A refused submit stores nothing.

use serde_json::{json, Value};

use crate::helpers::*;

/// A one-person filing whose person has the phone `mobile`.
fn filing_for(mobile: &str) -> Value {
    json!({
        "business_type": "cancel_subject",
        "province": "330000",
        "subject": {"name": "示例科技有限公司", "principal": person("张三", mobile, ZHANG.2)}
    })
}

async fn filing_count(app: &TestApp, key: &str) -> usize {
    let (_, list) = app.get_as(key, "/api/v1/filings").await;
    list["filings"].as_array().unwrap().len()
}

async fn submit_with_retry_after(app: &TestApp, key: &str, filing: &Value) -> (u16, Value, Option<u64>) {
    let response = app.client.post(app.url("/api/v1/filings")).bearer_auth(key).json(filing).send().await.unwrap();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok());
    let (status, body) = status_json(response).await;
    (status, body, retry_after)
}

#[tokio::test]
async fn attack_a_stolen_key_pumping_sms_is_stopped_by_the_providers_quota_per_minute() {
    let app = spawn_with(|s| s.limits.sms_per_provider_per_minute = 5).await;
    let stolen = app.new_provider("甲").await;
    let other = app.new_provider("乙").await;
    for i in 0..5 {
        app.submitted(&stolen, &filing_for(&format!("1380013{i:04}"))).await;
    }
    let (status, problem, retry_after) = submit_with_retry_after(&app, &stolen, &filing_for("13900139000")).await;
    assert_eq!(status, 429, "{problem}");
    assert_eq!(problem["code"], "rate_limited");
    let retry_after = retry_after.expect("Retry-After");
    // Within two minutes: the sliding count may need the next window to decay this one.
    assert!((1..=120).contains(&retry_after), "{retry_after}");
    assert_eq!(filing_count(&app, &stolen).await, 5, "a refused submit was stored");
    app.wait_for_sms("13800130004", 1).await;
    assert_eq!(app.sms_count(), 5);

    // Another provider has its own quota; the thief's refills as the minute slides.
    app.submitted(&other, &filing_for("13900139000")).await;
    app.clock.advance(120_000);
    app.submitted(&stolen, &filing_for("13900139001")).await;
    app.stop().await;
}

#[tokio::test]
async fn attack_a_stolen_key_pumping_sms_is_stopped_by_the_providers_quota_per_day() {
    let app = spawn_with(|s| s.limits.sms_per_provider_per_day = 3).await;
    let stolen = app.new_provider("甲").await;
    for i in 0..3 {
        app.submitted(&stolen, &filing_for(&format!("1380013{i:04}"))).await;
        app.clock.advance(3_600_000);
    }
    let (status, problem, retry_after) = submit_with_retry_after(&app, &stolen, &filing_for("13900139000")).await;
    assert_eq!((status, problem["code"].as_str()), (429, Some("rate_limited")), "{problem}");
    assert!(retry_after.unwrap() > 60, "{retry_after:?}");
    assert_eq!(filing_count(&app, &stolen).await, 3);
    app.stop().await;
}

#[tokio::test]
async fn attack_flooding_one_phone_number_stops_at_its_daily_cap_across_providers_and_resends() {
    let app = spawn_with(|s| s.limits.sms_per_phone_per_day = 3).await;
    let first = app.new_provider("甲").await;
    let second = app.new_provider("乙").await;
    let victim = ZHANG.1;
    let filing = app.submitted(&first, &filing_for(victim)).await;
    app.submitted(&second, &filing_for(victim)).await;
    app.wait_for_sms(victim, 2).await;

    // The third SMS: a provider's resend (after the minimum interval).
    app.clock.advance(61_000);
    let verification = filing["verifications"][0]["id"].as_str().unwrap();
    let resend = format!("/api/v1/filings/{}/verifications/{verification}/resend", filing["id"].as_str().unwrap());
    let response = app.client.post(app.url(&resend)).bearer_auth(&first).send().await.unwrap();
    assert_eq!(response.status(), 200);
    app.wait_for_sms(victim, 3).await;

    // The cap is reached: another provider's submit is refused, naming the field.
    let (status, problem, retry_after) = submit_with_retry_after(&app, &second, &filing_for(victim)).await;
    assert_eq!(status, 429, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "/subject/principal/mobile", "{problem}");
    assert!(retry_after.is_some());
    assert!(!problem.to_string().contains(victim), "the answer repeats the number");
    // A filing with the victim as one of two people is refused as a whole.
    let (status, problem, _) = submit_with_retry_after(&app, &second, &new_filing()).await;
    assert_eq!(status, 429);
    assert_eq!(problem["errors"][0]["field"], "/subject/principal/mobile");
    // Resends count too: the provider's is refused, the person is told theirs are used up.
    app.clock.advance(61_000);
    let response = app.client.post(app.url(&resend)).bearer_auth(&first).send().await.unwrap();
    assert_eq!(response.status(), 429);
    let (status, outcome) = app.post("/api/v1/resends", &json!({"phone": victim, "id_suffix": ZHANG.3})).await;
    assert_eq!((status, outcome["outcome"].as_str()), (200, Some("limit_reached")), "{outcome}");
    assert_eq!(filing_count(&app, &second).await, 1, "a refused submit was stored");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.phones.0.lock().unwrap().iter().filter(|s| s.to.as_str() == victim).count(), 3);

    // A day later the number can be reached again.
    app.clock.advance(2 * 24 * 3_600_000);
    app.submitted(&second, &filing_for(victim)).await;
    app.stop().await;
}
