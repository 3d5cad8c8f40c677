//! The short link: landing data, then a check with only the ID suffix.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_link_shows_who_and_what_and_verifies_with_the_id_suffix() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    let sms = app.latest_sms(ZHANG.1).await;
    assert!(sms.link.starts_with("https://beian.example.cn/v/"));
    assert!(sms.text.ends_with(&format!("\n@beian.example.cn #{}", sms.code)), "origin-bound last line: {}", sms.text);
    let token = token_of(&sms.link);
    assert!(token.len() * 6 >= 72, "at least 72 bits");

    let (status, landing) = app.get_as("", &format!("/api/v1/links/{token}")).await;
    assert_eq!(status, 200);
    assert_eq!(landing["name"], "张*", "masked until the suffix is right");
    assert_eq!(landing["masked_phone"], "138****8000");
    assert_eq!(landing["business_type"], "cancel_subject");
    assert_eq!(landing["subject_name"], "示例科技有限公司");
    assert_eq!(landing["state"], "pending");
    assert!(landing["seconds_left"].as_u64().unwrap() > 23 * 3600);

    let (status, outcome) = app.post(&format!("/api/v1/links/{token}/checks"), &json!({"id_suffix": "31002x"})).await;
    assert_eq!((status, outcome["outcome"].as_str()), (200, Some("completed")));
    assert_eq!(outcome["name"], "张三", "in full once the suffix was right");
    let (_, landing) = app.get_as("", &format!("/api/v1/links/{token}")).await;
    assert_eq!(landing["state"], "verified");
    let (_, again) = app.post(&format!("/api/v1/links/{token}/checks"), &json!({"id_suffix": "31002X"})).await;
    assert_eq!(again["outcome"], "already_verified");
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_suffix_through_the_link_says_so_and_uses_none_of_the_codes_tries() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    let sms = app.latest_sms(ZHANG.1).await;
    let path = format!("/api/v1/links/{}/checks", token_of(&sms.link));
    let (_, outcome) = app.post(&path, &json!({"id_suffix": "999999"})).await;
    assert_eq!(outcome, json!({"outcome": "wrong_suffix", "tries_left": 2}));
    let failed = app.check(wrong_code(&sms.code), ZHANG.1, ZHANG.3).await;
    assert_eq!(failed["tries_left"], 2, "the link's wrong suffix used none of the code's tries");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_link_is_404_for_landing_and_check() {
    let app = spawn_app().await;
    let (status, problem) = app.get_as("", "/api/v1/links/AAAAAAAAAAAAAAAA").await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("not_found")));
    let (status, _) = app.post("/api/v1/links/AAAAAAAAAAAAAAAA/checks", &json!({"id_suffix": "31002X"})).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn the_no_script_form_answers_with_a_page_carrying_the_outcome_text() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &new_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    let response = app
        .client
        .post(app.url("/check"))
        .form(&[("code", code.as_str()), ("phone", ZHANG.1), ("id_suffix", ZHANG.3)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = response.text().await.unwrap();
    assert!(page.contains("张三的短信核验完成。请等待其他待核验人进行短信核验。"), "{page}");
    assert!(page.contains(r#"lang="zh-CN""#));

    let response = app
        .client
        .post(app.url("/check"))
        .form(&[("code", "12"), ("phone", ZHANG.1), ("id_suffix", ZHANG.3)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("短信验证码应为6位数字。"));
    app.stop().await;
}
