//! A provider verifies our deliveries with the Standard Webhooks reference library (PyPI
//! `standardwebhooks`, in the Python venv `cargo xtask setup` makes), not with code of ours.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use crate::helpers::*;

/// What a provider writes: the library checks the headers against the body and the secret, and
/// raises when they do not match.
const VERIFY: &str = r#"
import json, sys
from standardwebhooks import Webhook
delivery = json.load(sys.stdin)
payload = Webhook(delivery["secret"]).verify(delivery["body"], delivery["headers"])
print(payload["kind"])
"#;

/// The venv's Python, where `cargo xtask setup` puts it. Missing: the test is skipped, except
/// under `CI=true`, where it fails.
fn venv_python() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    if python.exists() {
        return Some(python);
    }
    let why = format!("no Python venv at {} (`cargo xtask setup` makes it)", python.display());
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{why}, and CI=true needs it to verify a delivery with standardwebhooks");
    }
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
    None
}

/// Runs the library's verification; its stdout on success, its stderr on refusal.
fn library_verifies(python: &PathBuf, secret: &str, headers: &HeaderMap, body: &[u8]) -> Result<String, String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let delivery = json!({
        "secret": secret,
        "body": String::from_utf8_lossy(body),
        "headers": {
            "webhook-id": header("webhook-id"),
            "webhook-timestamp": header("webhook-timestamp"),
            "webhook-signature": header("webhook-signature"),
        },
    });
    let mut child = Command::new(python)
        .args(["-c", VERIFY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the venv's python starts");
    child.stdin.take().unwrap().write_all(delivery.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    match output.status.success() {
        true => Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned()),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

#[tokio::test]
async fn a_real_delivery_verifies_with_the_standardwebhooks_library_and_a_tampered_one_does_not() {
    let Some(python) = venv_python() else { return };
    let app = spawn_with(allow_loopback_callbacks).await;
    let deliveries: Arc<Mutex<Vec<(HeaderMap, Bytes)>>> = Arc::default();
    let seen = deliveries.clone();
    let router = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            seen.lock().unwrap().push((headers, body));
            async { StatusCode::NO_CONTENT }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let key = app.new_provider("甲").await;
    let response =
        app.client.put(app.url("/api/v1/callback")).bearer_auth(&key).json(&json!({"url": url})).send().await.unwrap();
    let (status, set): (u16, Value) = status_json(response).await;
    assert_eq!(status, 200, "{set}");
    let secret = set["secret"].as_str().unwrap().to_owned();

    app.submitted(&key, &single_person_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    assert_eq!(app.check(&code, ZHANG.1, ZHANG.3).await["outcome"], "completed");
    let mut waited = 0;
    let (headers, body) = loop {
        if let Some(delivery) = deliveries.lock().unwrap().first().cloned() {
            break delivery;
        }
        assert!(waited < 500, "no delivery arrived within 10 s");
        waited += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    assert_eq!(library_verifies(&python, &secret, &headers, &body), Ok("filing.completed".to_owned()));
    let tampered = String::from_utf8_lossy(&body).replace("filing.completed", "filing.returned");
    let refused = library_verifies(&python, &secret, &headers, tampered.as_bytes());
    assert!(refused.as_ref().is_err_and(|e| e.contains("WebhookVerificationError")), "{refused:?}");
    app.stop().await;
}
