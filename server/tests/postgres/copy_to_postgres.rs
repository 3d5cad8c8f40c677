//! `copy-to-postgres`: a SQLite deployment moves to PostgreSQL with its filings, codes and
//! history, and goes on where it stopped.

use std::sync::Arc;

use beian_verify_server::cli::copy_to_postgres;

use crate::database::TestDatabase;
use crate::helpers::*;

/// The demo deployment on SQLite, its key in the data directory's key file.
async fn live_demo_on_sqlite() -> TestApp {
    let app = spawn_with(|s| {
        s.database.database_url = None;
        s.database.secret_key = None;
    })
    .await;
    beian_verify_server::demo::seed(app.service()).await.unwrap();
    app
}

#[tokio::test]
async fn a_live_sqlite_deployment_moves_to_postgresql_and_its_filing_completes_there() {
    let app = live_demo_on_sqlite().await;
    let zhang_code = app.code_for(ZHANG.1).await;
    let li_code = app.code_for(LI.1).await;
    assert_eq!(app.check(&zhang_code, ZHANG.1, ZHANG.3).await["outcome"], "partial");
    let target = Arc::new(TestDatabase::postgres().await);
    let target_url = target.url().unwrap();

    // Copied while the SQLite server is still answering.
    copy_to_postgres(app.settings.clone(), &target_url).await.expect("copied");

    let key_file = app.data.path().join("secret.key");
    let app = app
        .restart_with(|s| {
            s.database.database_url = Some(target_url.clone().into());
            s.database.secret_key_file = Some(key_file);
        })
        .await;
    let done = app.check(&li_code, LI.1, LI.3).await;
    assert_eq!(done["outcome"], "completed", "{done}");
    assert_eq!(done["name"], "李四");
    // 张三's code was used on SQLite: the copy kept that too.
    assert_eq!(app.check(&zhang_code, ZHANG.1, ZHANG.3).await["outcome"], "already_verified");
    // The province and its 管局 came along.
    let target_pool = app.database_pool().await;
    let (province, authority): (String, String) =
        sqlx::query_as("SELECT province, authority FROM filings").fetch_one(&target_pool).await.unwrap();
    assert_eq!((province.as_str(), authority.as_str()), ("330000", "浙江省通信管理局"));
    target_pool.close().await;
    app.stop().await;
}

#[tokio::test]
async fn the_copy_refuses_a_target_that_already_holds_data_and_changes_nothing() {
    let app = live_demo_on_sqlite().await;
    let target = TestDatabase::postgres().await;
    let target_url = target.url().unwrap();
    copy_to_postgres(app.settings.clone(), &target_url).await.expect("first copy");

    let again = copy_to_postgres(app.settings.clone(), &target_url).await.expect_err("second copy refused");
    assert!(again.to_string().contains("not empty"), "{again}");
    app.stop().await;
}

#[tokio::test]
async fn the_copy_refuses_a_key_that_is_not_the_deployments_own() {
    let app = live_demo_on_sqlite().await;
    let target = TestDatabase::postgres().await;
    let mut settings = app.settings.clone();
    settings.database.secret_key = Some("ab".repeat(32).into());

    let refused =
        copy_to_postgres(settings, &target.url().unwrap()).await.expect_err("a copy under another key is refused");
    assert!(refused.to_string().contains("another secret key"), "{refused}");
    app.stop().await;
}
