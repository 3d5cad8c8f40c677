//! PostgreSQL locks rows, so two transactions that take the same rows in different orders can
//! wait for each other in a circle; PostgreSQL then aborts one (a 500 for a person). Every writer
//! takes a verification's row before its SMS rows: here a transaction that does what the SMS
//! dispatcher does when the gateway accepts an SMS races a check that returns the filing.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use sqlx::{Connection, Executor, PgConnection};

use crate::database::TestDatabase;
use crate::helpers::*;

#[tokio::test]
async fn a_check_returning_a_filing_and_an_sms_marked_sent_meanwhile_both_go_through() {
    // Jobs off: 李四's SMS stays unsent until this test marks it, as the dispatcher would.
    let app = spawn_on(TestDatabase::postgres().await, |s| s.jobs.enabled = false).await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &new_filing()).await;
    let tries = app.settings.limits.max_attempts;
    for _ in 1..tries {
        assert_eq!(app.check("000000", ZHANG.1, ZHANG.3).await["outcome"], "wrong_code");
    }

    // The dispatcher's order: 李四's verification, then (below) his SMS.
    let url = app.settings.database.url();
    let mut dispatcher = PgConnection::connect(url.expose_secret()).await.unwrap();
    dispatcher.execute("BEGIN").await.unwrap();
    let li = format!("UPDATE verifications SET sms_failed = 0 WHERE phone = '{}'", LI.1);
    dispatcher.execute(li.as_str()).await.unwrap();

    // The last wrong try returns the filing, closing 李四's verification and dropping his SMS.
    let last_try = {
        let (client, url) = (app.client.clone(), app.url("/api/v1/checks"));
        let body = serde_json::json!({"code": "000000", "phone": ZHANG.1, "id_suffix": ZHANG.3});
        tokio::spawn(async move { status_json(client.post(url).json(&body).send().await.unwrap()).await })
    };
    wait_until_a_statement_waits_for_a_lock(&url).await;

    let sms = format!("UPDATE sms_outbox SET state = 'sent', payload = NULL WHERE phone = '{}'", LI.1);
    dispatcher.execute(sms.as_str()).await.expect("the SMS row is free: the check waits on the verification");
    dispatcher.execute("COMMIT").await.unwrap();

    let (status, outcome) = last_try.await.unwrap();
    assert_eq!((status, outcome["outcome"].as_str()), (200, Some("attempts_used_up")), "{outcome}");
    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!(view["state"], "returned");
    app.stop().await;
}

/// Waits (up to 10 s) until some statement on this database waits for a row lock.
async fn wait_until_a_statement_waits_for_a_lock(url: &SecretString) {
    let mut watcher = PgConnection::connect(url.expose_secret()).await.unwrap();
    for _ in 0..500 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&mut watcher)
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the check never waited for the verification's lock");
}
