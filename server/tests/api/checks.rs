//! Each outcome of a check by code, phone number and ID suffix.

use crate::helpers::*;

#[tokio::test]
async fn first_of_two_people_is_partial_and_second_completes_the_request() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &new_filing()).await;
    let zhang = app.code_for(ZHANG.1).await;
    let li = app.code_for(LI.1).await;

    let first = app.check(&zhang, ZHANG.1, ZHANG.3).await;
    assert_eq!(first["outcome"], "partial");
    assert_eq!(first["name"], "张三");
    let second = app.check(&li, LI.1, LI.3).await;
    assert_eq!(second["outcome"], "completed");
    assert_eq!(second["name"], "李四");

    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!(view["state"], "completed");
    let kinds: Vec<&str> = view["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"completed"), "{kinds:?}");
    app.stop().await;
}

#[tokio::test]
async fn input_as_people_type_it_is_accepted() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    let full_width: String = code.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
    let outcome = app.check(&full_width, "+86 138-0013-8000", "31002x").await;
    assert_eq!(outcome["outcome"], "completed");
    app.stop().await;
}

#[tokio::test]
async fn the_same_code_again_is_already_verified() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &new_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    assert_eq!(app.check(&code, ZHANG.1, ZHANG.3).await["outcome"], "partial");
    let again = app.check(&code, ZHANG.1, ZHANG.3).await;
    assert_eq!(again["outcome"], "already_verified");
    assert_eq!(again["name"], "张三");
    app.stop().await;
}

#[tokio::test]
async fn unknown_phone_or_wrong_suffix_is_not_found_without_a_name() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &new_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    for (phone, suffix) in [("13900000000", ZHANG.3), (ZHANG.1, "99999X")] {
        let outcome = app.check(&code, phone, suffix).await;
        assert_eq!(outcome, serde_json::json!({"outcome": "not_found"}));
    }
    app.stop().await;
}

#[tokio::test]
async fn wrong_code_fails_and_says_how_many_tries_are_left() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &new_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    let wrong = wrong_code(&code);
    let first = app.check(wrong, ZHANG.1, ZHANG.3).await;
    assert_eq!(first, serde_json::json!({"outcome": "wrong_code", "name": "张*", "tries_left": 2}));
    let second = app.check(wrong, ZHANG.1, ZHANG.3).await;
    assert_eq!(second["tries_left"], 1);
    // The right code still works before the last try is spent.
    assert_eq!(app.check(&code, ZHANG.1, ZHANG.3).await["outcome"], "partial");
    app.stop().await;
}

#[tokio::test]
async fn third_wrong_code_returns_the_request_and_closes_its_other_verifications() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &new_filing()).await;
    let zhang = app.code_for(ZHANG.1).await;
    let li = app.code_for(LI.1).await;
    let wrong = wrong_code(&zhang);
    app.check(wrong, ZHANG.1, ZHANG.3).await;
    app.check(wrong, ZHANG.1, ZHANG.3).await;
    let third = app.check(wrong, ZHANG.1, ZHANG.3).await;
    assert_eq!(third, serde_json::json!({"outcome": "attempts_used_up", "name": "张*"}));

    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!(view["state"], "returned");
    assert_eq!(view["return_reason"], "attempts_used_up");
    let states: Vec<&str> =
        view["verifications"].as_array().unwrap().iter().map(|v| v["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["attempts_used_up", "returned"]);

    // Both people are now told the request went back, even with their right code.
    assert_eq!(app.check(&zhang, ZHANG.1, ZHANG.3).await["outcome"], "attempts_used_up");
    assert_eq!(app.check(&li, LI.1, LI.3).await, serde_json::json!({"outcome": "returned", "name": "李四"}));
    app.stop().await;
}

#[tokio::test]
async fn any_one_request_completes_with_one_person_and_tells_the_other_they_are_not_needed() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut filing = new_filing();
    filing["business_type"] = "cancel_website".into();
    app.submitted(&key, &filing).await;
    let li = app.code_for(LI.1).await;
    let zhang = app.code_for(ZHANG.1).await;
    assert_eq!(app.check(&li, LI.1, LI.3).await["outcome"], "completed");
    assert_eq!(app.check(&zhang, ZHANG.1, ZHANG.3).await, serde_json::json!({"outcome": "not_needed", "name": "张三"}));
    app.stop().await;
}

#[tokio::test]
async fn one_number_in_two_roles_gets_one_sms_and_one_check_covers_both() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut filing = new_filing();
    filing["websites"][0]["principal"] = p(ZHANG);
    let filing = app.submitted(&key, &filing).await;
    assert_eq!(filing["verifications"].as_array().unwrap().len(), 1);
    assert_eq!(
        filing["verifications"][0]["roles"],
        serde_json::json!(["subject_principal", "website_principal:示例网站"])
    );
    let code = app.code_for(ZHANG.1).await;
    assert_eq!(app.check(&code, ZHANG.1, ZHANG.3).await["outcome"], "completed");
    assert_eq!(app.sms_count(), 1);
    app.stop().await;
}

#[tokio::test]
async fn two_open_requests_for_one_person_each_need_their_own_code() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let first = app.submitted(&key, &single_person_filing()).await;
    let first_code = app.code_for(ZHANG.1).await;
    let second = app.submitted(&key, &single_person_filing()).await;
    let second_code = app.wait_for_sms(ZHANG.1, 2).await.code;

    assert_eq!(app.check(&second_code, ZHANG.1, ZHANG.3).await["outcome"], "completed");
    assert_eq!(app.filing(&key, first["id"].as_str().unwrap()).await["state"], "pending");
    assert_eq!(app.filing(&key, second["id"].as_str().unwrap()).await["state"], "completed");
    assert_eq!(app.check(&first_code, ZHANG.1, ZHANG.3).await["outcome"], "completed");
    app.stop().await;
}

#[tokio::test]
async fn remarks_only_change_goes_straight_to_review_without_sms() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut filing = new_filing();
    filing["business_type"] = "change".into();
    filing["remarks_changed"] = true.into();
    let view = app.submitted(&key, &filing).await;
    assert_eq!(view["state"], "completed");
    assert!(view["verifications"].as_array().unwrap().is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.sms_count(), 0);
    app.stop().await;
}
