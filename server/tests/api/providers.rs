//! Access providers: keys, isolation, idempotent submits, reading and listing.

use beian_verify_server::webhook::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn no_key_or_an_unknown_key_is_401() {
    let app = spawn_app().await;
    let response = app.client.post(app.url("/api/v1/filings")).json(&new_filing()).send().await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, problem) = status_json(response).await;
    assert_eq!((status, problem["code"].as_str()), (401, Some("unauthorized")));
    let (status, _) = app.get_as("bv_not-a-key", "/api/v1/filings").await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn a_provider_never_sees_another_providers_filing() {
    let app = spawn_app().await;
    let mine = app.new_provider("甲").await;
    let theirs = app.new_provider("乙").await;
    let filing = app.submitted(&mine, &new_filing()).await;
    let id = filing["id"].as_str().unwrap();
    let (status, problem) = app.get_as(&theirs, &format!("/api/v1/filings/{id}")).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("not_found")));
    let (_, list) = app.get_as(&theirs, "/api/v1/filings").await;
    assert!(list["filings"].as_array().unwrap().is_empty());
    let vid = filing["verifications"][0]["id"].as_str().unwrap();
    let response = app
        .client
        .post(app.url(&format!("/api/v1/filings/{id}/verifications/{vid}/resend")))
        .bearer_auth(&theirs)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn a_retried_submit_with_the_same_idempotency_key_returns_the_first_filing_and_sends_nothing_more() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let submit = || {
        app.client
            .post(app.url("/api/v1/filings"))
            .bearer_auth(&key)
            .header("idempotency-key", "order-42")
            .json(&new_filing())
            .send()
    };
    let (first_status, first) = status_json(submit().await.unwrap()).await;
    let (second_status, second) = status_json(submit().await.unwrap()).await;
    assert_eq!((first_status, second_status), (201, 200));
    assert_eq!(first["id"], second["id"]);
    app.wait_for_sms(LI.1, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.sms_count(), 2, "one SMS per person, once");

    let mut different = new_filing();
    different["reference"] = "REF-2".into();
    let response = app
        .client
        .post(app.url("/api/v1/filings"))
        .bearer_auth(&key)
        .header("idempotency-key", "order-42")
        .json(&different)
        .send()
        .await
        .unwrap();
    let (status, problem) = status_json(response).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("idempotency_conflict")));
    let (_, list) = app.get_as(&key, "/api/v1/filings").await;
    assert_eq!(list["filings"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_filing_shows_each_verification_and_a_history_without_secrets() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &new_filing()).await;
    let id = filing["id"].as_str().unwrap();
    let code = app.code_for(ZHANG.1).await;
    app.wait_for_sms(LI.1, 1).await;
    app.check(&code, ZHANG.1, ZHANG.3).await;

    let view = app.filing(&key, id).await;
    assert_eq!(view["reference"], "REF-1");
    assert_eq!(view["business_type"], "new_filing");
    assert_eq!(view["completion"], "all");
    let zhang = &view["verifications"][0];
    assert_eq!(
        (zhang["name"].as_str(), zhang["masked_phone"].as_str(), zhang["state"].as_str()),
        (Some("张三"), Some("138****8000"), Some("verified"))
    );
    let kinds: Vec<&str> = view["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "sms_queued").count(), 2);
    assert!(kinds.contains(&"sms_sent") && kinds.contains(&"check"), "{kinds:?}");
    let text = view.to_string();
    assert!(
        !text.contains(&code) && !text.contains("31002X") && !text.contains("11010519491231002X"),
        "no secrets: {text}"
    );

    let (_, pending) = app.get_as(&key, "/api/v1/filings?state=pending").await;
    assert_eq!(pending["filings"].as_array().unwrap().len(), 1);
    let (_, complete) = app.get_as(&key, "/api/v1/filings?state=completed").await;
    assert!(complete["filings"].as_array().unwrap().is_empty());
    let (status, _) = app.get_as(&key, "/api/v1/filings?state=sideways").await;
    assert_eq!(status, 422);
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = spawn_app().await;
    let (status, spec) = status_json(app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    // What is served is what the router and the types generate, nothing kept beside them.
    let generated: serde_json::Value = serde_json::from_str(beian_verify_server::http::openapi_document()).unwrap();
    assert_eq!(spec, generated);
    for path in [
        "/checks",
        "/links/{token}",
        "/links/{token}/checks",
        "/resends",
        "/filings",
        "/filings/{id}",
        "/filings/{id}/verifications/{verification_id}/resend",
        "/callback",
        "/keys/rotate",
        "/keys/current",
        "/senders",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} documented");
    }
    let schemas = &spec["components"]["schemas"];
    assert!(schemas["NewFiling"]["required"].as_array().unwrap().contains(&json!("province")));
    let list_params = spec["paths"]["/filings"]["get"]["parameters"].as_array().unwrap();
    for name in ["state", "province", "limit", "cursor"] {
        assert!(list_params.iter().any(|p| p["name"] == name), "the list's {name} parameter");
    }
    // Every field a real view carries (a filing straight to review carries them all) is documented.
    let key = app.new_provider("甲").await;
    let mut filing = new_filing();
    filing["province"] = BEIJING.into();
    let view = app.submitted(&key, &filing).await;
    for field in view.as_object().unwrap().keys() {
        assert!(schemas["FilingView"]["properties"][field].is_object(), "FilingView.{field} documented");
    }
    let (_, list) = app.get_as(&key, "/api/v1/filings?limit=1").await;
    for field in list.as_object().unwrap().keys() {
        assert!(schemas["FilingList"]["properties"][field].is_object(), "FilingList.{field} documented");
    }
    let (_, problem) = app.get_as(&key, "/api/v1/filings?limit=0").await;
    for field in problem["errors"][0].as_object().unwrap().keys() {
        assert!(schemas["InvalidField"]["properties"][field].is_object(), "errors[].{field}");
    }
    // The events a callback receives, and the headers that sign them.
    let headers: Vec<&str> = spec["webhooks"]["filingEvent"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(headers, [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]);
    let (status, _) = app.post("/api/v1/checks", &json!({})).await;
    assert_eq!(status, 400);
    app.stop().await;
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(app.client.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    assert_eq!(app.client.get(app.url("/readyz")).send().await.unwrap().status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn metrics_count_checks_by_outcome_and_label_requests_by_route_never_by_token() {
    let app = spawn_app().await;
    app.check("123456", "13900000000", "123456").await;
    app.get_as("", "/api/v1/links/SecretTokenValue0").await;
    let text = app.client.get(app.metrics_url()).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("beian_checks_total{outcome=\"not_found\"} 1"), "{text}");
    assert!(text.contains("beian_sms_outbox_depth 0"));
    assert!(text.contains("route=\"/api/v1/links/{token}\""), "{text}");
    assert!(!text.contains("SecretTokenValue0"));
    app.stop().await;
}
