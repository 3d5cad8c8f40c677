//! Replicas share one PostgreSQL database, so they must share one secret key.

use beian_verify_server::startup::StartupError;
use beian_verify_server::Application;

use crate::database::TestDatabase;
use crate::helpers::*;

#[tokio::test]
async fn a_server_on_postgresql_without_a_configured_key_refuses_to_start() {
    let database = TestDatabase::postgres().await;
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(data.path().to_path_buf());
    settings.database.database_url = database.url().map(Into::into);
    settings.database.secret_key = None;
    settings.database.secret_key_file = None;

    let refused = Application::build(settings).await.err().expect("refused");
    assert!(matches!(refused, StartupError::SharedDatabaseNeedsKey), "{refused}");
    assert!(refused.to_string().contains("BEIAN_SECRET_KEY"), "{refused}");
    assert!(!data.path().join("secret.key").exists(), "no key is made up for a shared database");
}

#[tokio::test]
async fn a_replica_with_another_key_refuses_to_start_and_one_with_the_same_key_verifies_the_first_ones_codes() {
    let database = TestDatabase::postgres().await;
    let settings_with = |key: &str, data: &std::path::Path| {
        let mut settings = test_settings(data.to_path_buf());
        settings.database.database_url = database.url().map(Into::into);
        settings.database.secret_key = Some(key.into());
        settings
    };
    let (first_data, second_data, third_data) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let key = "12".repeat(32);
    let first = Application::build(settings_with(&key, first_data.path())).await.expect("first replica");

    let other = Application::build(settings_with(&"34".repeat(32), second_data.path())).await.err().expect("refused");
    assert!(other.to_string().contains("another secret key"), "{other}");

    // A code hashed by the first replica verifies on a second one with the same key.
    let provider = first.service().create_provider("甲").await.unwrap().1;
    let second = Application::build(settings_with(&key, third_data.path())).await.expect("same key starts");
    let client = reqwest::Client::new();
    let submitted = client
        .post(format!("http://{}/api/v1/filings", first.address()))
        .bearer_auth(&provider)
        .json(&single_person_filing())
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 201);
    // Either replica's dispatcher may have sent it.
    let code = sms_code_from_console(&[first_data.path(), third_data.path()], ZHANG.1).await;
    let answer: serde_json::Value = client
        .post(format!("http://{}/api/v1/checks", second.address()))
        .json(&serde_json::json!({"code": code, "phone": ZHANG.1, "id_suffix": ZHANG.3}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["outcome"], "completed", "{answer}");
    first.shutdown().await;
    second.shutdown().await;
}

/// The code a console gateway wrote to `<data dir>/sms.jsonl` for `phone`, waiting up to 5 s.
async fn sms_code_from_console(data_dirs: &[&std::path::Path], phone: &str) -> String {
    for _ in 0..250 {
        let sent: String =
            data_dirs.iter().map(|dir| std::fs::read_to_string(dir.join("sms.jsonl")).unwrap_or_default()).collect();
        let code = sent
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .rfind(|sms| sms["to"] == phone)
            .map(|sms| sms["code"].as_str().unwrap().to_owned());
        if let Some(code) = code {
            return code;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no SMS for {phone}");
}
