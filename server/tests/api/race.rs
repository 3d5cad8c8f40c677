//! Two people checking the last two verifications of one request at the same instant: exactly one
//! of them sees "completed", the other "partial", and the request completes once.

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_rounds_of_the_last_two_verifications_racing_complete_exactly_once_each() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    for round in 1..=50 {
        let filing = app.submitted(&key, &new_filing()).await;
        let zhang = app.wait_for_sms(ZHANG.1, round).await.code;
        let li = app.wait_for_sms(LI.1, round).await.code;
        let (a, b) = tokio::join!(app.check(&zhang, ZHANG.1, ZHANG.3), app.check(&li, LI.1, LI.3));
        let mut outcomes = [a["outcome"].as_str().unwrap().to_owned(), b["outcome"].as_str().unwrap().to_owned()];
        outcomes.sort();
        assert_eq!(outcomes, ["completed", "partial"], "round {round}");
        let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
        let completed = view["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "completed").count();
        assert_eq!((view["state"].as_str(), completed), (Some("completed"), 1), "round {round}");
    }
    app.stop().await;
}
