//! A stolen provider key: the provider rotates it (the old key keeps working for the overlap,
//! then stops) or revokes it at once; the operator can revoke every key of a provider.

use serde_json::Value;

use crate::helpers::*;

const OVERLAP_SECS: u64 = 3600;

async fn works(app: &TestApp, key: &str) -> bool {
    let (status, body) = app.get_as(key, "/api/v1/filings").await;
    assert!(status == 200 || status == 401, "{status} {body}");
    status == 200
}

async fn rotate(app: &TestApp, key: &str) -> (u16, Value) {
    let response = app.client.post(app.url("/api/v1/keys/rotate")).bearer_auth(key).send().await.unwrap();
    status_json(response).await
}

#[tokio::test]
async fn attack_a_rotated_out_key_works_during_the_overlap_and_is_refused_after_it() {
    let app = spawn_with(|s| s.limits.key_rotation_overlap_secs = OVERLAP_SECS).await;
    let stolen = app.new_provider("甲").await;
    let other = app.new_provider("乙").await;

    let (status, rotated) = rotate(&app, &stolen).await;
    assert_eq!(status, 201, "{rotated}");
    let new_key = rotated["api_key"].as_str().unwrap().to_owned();
    assert_ne!(new_key, stolen);
    assert!(rotated["previous_key_expires_at"].as_str().unwrap().ends_with('Z'), "{rotated}");
    assert!(works(&app, &stolen).await && works(&app, &new_key).await, "both keys work during the overlap");

    app.clock.advance((OVERLAP_SECS * 1000) as i64 - 1000);
    assert!(works(&app, &stolen).await, "still inside the overlap");
    app.clock.advance(2000);
    assert!(!works(&app, &stolen).await, "the old key works after the overlap");
    assert!(works(&app, &new_key).await && works(&app, &other).await);
    // An ended key cannot rotate itself back to life.
    assert_eq!(rotate(&app, &stolen).await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn attack_a_revoked_key_is_refused_at_once_and_other_providers_are_unaffected() {
    let app = spawn_app().await;
    let stolen = app.new_provider("甲").await;
    let other = app.new_provider("乙").await;
    let response = app.client.delete(app.url("/api/v1/keys/current")).bearer_auth(&stolen).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert!(!works(&app, &stolen).await, "a revoked key still works");
    assert_eq!(app.submit(&stolen, &single_person_filing()).await.0, 401);
    assert!(works(&app, &other).await);
    app.stop().await;
}

#[tokio::test]
async fn attack_after_a_leak_the_operator_revokes_every_key_of_the_provider_and_issues_a_new_one() {
    let app = spawn_app().await;
    let (provider_id, first) = app.service().create_provider("甲").await.unwrap();
    let other = app.new_provider("乙").await;
    let (_, rotated) = rotate(&app, &first).await;
    let second = rotated["api_key"].as_str().unwrap().to_owned();

    // What `beian-verify-server revoke-keys --provider-id …` runs.
    assert_eq!(app.service().revoke_keys(&provider_id, None).await.unwrap(), 2);
    assert!(!works(&app, &first).await && !works(&app, &second).await, "a leaked key still works");
    assert!(works(&app, &other).await);

    // What `beian-verify-server rotate-key --provider-id …` runs: a new key, the old ones stay ended.
    let fresh = app.service().rotate_key(&provider_id, None).await.unwrap().api_key;
    assert!(works(&app, &fresh).await);
    assert!(!works(&app, &first).await && !works(&app, &second).await);
    app.stop().await;
}
