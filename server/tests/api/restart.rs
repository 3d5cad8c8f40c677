//! Stopping and starting the server on the same SQLite file keeps every state.

use crate::helpers::*;

#[tokio::test]
async fn a_restart_on_the_same_file_keeps_every_state() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let verified = app.submitted(&key, &new_filing()).await["id"].as_str().unwrap().to_owned();
    let zhang = app.code_for(ZHANG.1).await;
    let li = app.code_for(LI.1).await;
    app.check(&zhang, ZHANG.1, ZHANG.3).await;
    let wrong = wrong_code(&li);
    app.check(wrong, LI.1, LI.3).await;
    let before = app.filing(&key, &verified).await;

    let app = app.restart().await;
    let after = app.filing(&key, &verified).await;
    assert_eq!(before, after, "filing, verifications and history unchanged");
    assert_eq!(app.check(&zhang, ZHANG.1, ZHANG.3).await["outcome"], "already_verified");
    let failed = app.check(wrong, LI.1, LI.3).await;
    assert_eq!(failed["tries_left"], 1, "the try used before the restart still counts");
    assert_eq!(app.check(&li, LI.1, LI.3).await["outcome"], "completed");
    app.stop().await;
}
