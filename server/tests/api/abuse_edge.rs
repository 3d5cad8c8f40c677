//! Request ids the server makes, and `/metrics` kept off the public listener (issue 8, "Also").

use crate::helpers::spawn_app;

#[tokio::test]
async fn attack_a_client_chosen_request_id_is_not_echoed_as_the_id() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).header("x-request-id", "attacker").send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(id, "attacker");
    assert!(id.starts_with("req"), "{id}");

    let again = app.client.get(app.url("/healthz")).header("x-request-id", "attacker").send().await.unwrap();
    assert_ne!(again.headers()["x-request-id"].to_str().unwrap(), id, "each request gets its own");
    app.stop().await;
}

#[tokio::test]
async fn attack_metrics_are_not_readable_on_the_public_listener() {
    let app = spawn_app().await;
    let public = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);
    assert_eq!(public.headers()["content-type"], "application/problem+json");

    let metrics = app.client.get(app.metrics_url()).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(metrics.text().await.unwrap().contains("beian_sms_outbox_depth"));
    app.stop().await;
}
