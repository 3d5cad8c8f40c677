//! Every bad input gets a clear problem+json answer and changes nothing.

use serde_json::{json, Value};

use beian_verify_server::store::RateLimit;

use crate::helpers::*;

#[tokio::test]
async fn bad_checks_are_refused_with_a_problem_and_change_nothing() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &new_filing()).await;
    let id = filing["id"].as_str().unwrap();

    let cases: Vec<(&str, &str, Option<&str>, u16, &str)> = vec![
        ("not JSON", "{code:", Some("application/json"), 400, "malformed_body"),
        (
            "wrong type",
            r#"{"code":123456,"phone":"13800138000","id_suffix":"31002X"}"#,
            Some("application/json"),
            400,
            "malformed_body",
        ),
        (
            "unknown field",
            r#"{"code":"123456","phone":"13800138000","id_suffix":"31002X","x":1}"#,
            Some("application/json"),
            400,
            "malformed_body",
        ),
        (
            "missing field",
            r#"{"code":"123456","phone":"13800138000"}"#,
            Some("application/json"),
            400,
            "malformed_body",
        ),
        (
            "no content type",
            r#"{"code":"123456","phone":"13800138000","id_suffix":"31002X"}"#,
            None,
            415,
            "unsupported_media_type",
        ),
        (
            "five-digit code",
            r#"{"code":"12345","phone":"13800138000","id_suffix":"31002X"}"#,
            Some("application/json"),
            422,
            "invalid_input",
        ),
        (
            "landline",
            r#"{"code":"123456","phone":"01012345678","id_suffix":"31002X"}"#,
            Some("application/json"),
            422,
            "invalid_input",
        ),
        (
            "symbol in suffix",
            r#"{"code":"123456","phone":"13800138000","id_suffix":"3100*X"}"#,
            Some("application/json"),
            422,
            "invalid_input",
        ),
    ];
    for (why, body, content_type, status, code) in cases {
        let mut request = app.client.post(app.url("/api/v1/checks")).body(body.to_owned());
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{why}");
        let (got, problem) = status_json(response).await;
        assert_eq!(got, status, "{why}: {problem}");
        assert_eq!(problem["code"], code, "{why}");
        assert_eq!(problem["status"], status, "{why}");
        assert!(problem["title"].as_str().unwrap().chars().any(|c| c > '\u{4e00}'), "{why}: title in Chinese");
    }

    let (_, problem) = app.post("/api/v1/checks", &json!({"code": "12", "phone": "1", "id_suffix": ""})).await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["/code", "/phone", "/id_suffix"]);

    let after = app.filing(&key, id).await;
    assert!(!after["events"].as_array().unwrap().iter().any(|e| e["kind"] == "check"), "no check recorded");
    assert!(after["verifications"].as_array().unwrap().iter().all(|v| v["attempts_used"] == 0));
    app.stop().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    // A small limit keeps the whole body inside the socket buffers, so the client always gets to
    // read the answer instead of a reset.
    let app = spawn_with(|s| s.server.body_limit_bytes = 1024).await;
    let oversized = json!({"code": "1".repeat(3000), "phone": "13800138000", "id_suffix": "31002X"});
    let (status, problem) = app.post("/api/v1/checks", &oversized).await;
    assert_eq!((status, problem["code"].as_str()), (413, Some("body_too_large")));
    app.stop().await;
}

#[tokio::test]
async fn bad_filings_are_refused_with_the_path_of_each_bad_value_and_store_nothing() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut conflicting = new_filing();
    conflicting["websites"][0]["principal"]["mobile"] = ZHANG.1.into();
    let mut no_change = new_filing();
    no_change["business_type"] = "change".into();
    let mut bad_values = new_filing();
    bad_values["subject"]["principal"]["mobile"] = "12345".into();
    bad_values["websites"][0]["principal"]["id_number"] = "110105194912310021".into();
    let mut unknown_type = new_filing();
    unknown_type["business_type"] = "new_everything".into();
    let mut no_websites = new_filing();
    no_websites["business_type"] = "new_website".into();
    no_websites["websites"] = json!([]);

    let cases = [
        ("same number, two names", conflicting, 422, "invalid_input"),
        ("change naming no change", no_change, 422, "invalid_input"),
        ("bad mobile and ID", bad_values.clone(), 422, "invalid_input"),
        ("unknown business type", unknown_type, 400, "malformed_body"),
        ("new website without websites", no_websites, 422, "invalid_input"),
    ];
    for (why, body, status, code) in cases {
        let (got, problem) = app.submit(&key, &body).await;
        assert_eq!((got, problem["code"].as_str()), (status, Some(code)), "{why}: {problem}");
    }
    let (_, problem) = app.submit(&key, &bad_values).await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["/subject/principal/mobile", "/websites/0/principal/id_number"]);

    let (_, list) = app.get_as(&key, "/api/v1/filings").await;
    assert!(list["filings"].as_array().unwrap().is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(app.sms_count(), 0);
    app.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_with_problems() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    let (status, problem) = status_json(response).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("not_found")));
    let response = app.client.delete(app.url("/api/v1/checks")).send().await.unwrap();
    let (status, problem) = status_json(response).await;
    assert_eq!((status, problem["code"].as_str()), (405, Some("method_not_allowed")));
    app.stop().await;
}

#[tokio::test]
async fn wrong_guesses_per_phone_are_limited_with_retry_after() {
    // 4 an hour: 2 at once, then one every half hour.
    let app = spawn_with(|s| s.limits.wrong_guesses_per_phone_per_hour = 4).await;
    for _ in 0..2 {
        app.check("123456", "13900000000", "123456").await;
    }
    let response = app
        .client
        .post(app.url("/api/v1/checks"))
        .json(&json!({"code": "123456", "phone": "139 0000 0000", "id_suffix": "123456"}))
        .send()
        .await
        .unwrap();
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    // Sliding: one guess frees up every half hour, not at the top of the hour.
    assert!((1..=1801).contains(&retry_after), "{retry_after}");
    let (status, problem) = status_json(response).await;
    assert_eq!((status, problem["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(problem["retry_after_seconds"], retry_after);
    // Another number is not affected.
    assert_eq!(app.check("123456", "13900000001", "123456").await["outcome"], "not_found");
    app.stop().await;
}

#[tokio::test]
async fn checks_per_client_address_are_limited() {
    // 10 a minute: 5 at once.
    let app = spawn_with(|s| s.limits.checks_per_client_per_minute = 10).await;
    for i in 0..5 {
        app.check("123456", &format!("1390000000{i}"), "123456").await;
    }
    let (status, problem) =
        app.post("/api/v1/checks", &json!({"code": "123456", "phone": "13900000009", "id_suffix": "123456"})).await;
    assert_eq!((status, problem["code"].as_str()), (429, Some("rate_limited")));
    app.stop().await;
}

#[tokio::test]
async fn spent_rate_limits_are_forgotten_and_live_ones_kept() {
    let app = spawn_app().await;
    let store = app.service().store();
    // Relative to the app's clock: its own hourly clean-up may run meanwhile and must agree.
    let now = app.service().now();
    let limit = |key: &str| RateLimit { key: key.into(), count: 1, period_millis: 3_600_000 };
    assert_eq!(store.take(&[limit("old")], now - 2 * 3_600_000).await.unwrap(), Ok(()));
    assert_eq!(store.take(&[limit("live")], now).await.unwrap(), Ok(()));
    // 0 if the app's own clean-up got there first.
    assert!(store.forget_spent_limits(now).await.unwrap() <= 1);
    assert!(store.peek(&[limit("live")], now).await.unwrap().is_err(), "still limits");
    assert_eq!(store.peek(&[limit("old")], now).await.unwrap(), Ok(()));
    app.stop().await;
}

/// The fields of each `errors` entry, in order.
fn error_fields(problem: &Value) -> Vec<&str> {
    problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn one_phone_under_two_names_or_two_ids_is_a_422_naming_both_mobile_fields() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut two_names = new_filing();
    two_names["websites"][0]["principal"] = person("王五", ZHANG.1, LI.2);
    let mut two_ids = new_filing();
    two_ids["websites"][0]["principal"] = person(ZHANG.0, ZHANG.1, LI.2);
    for (why, filing) in [("two names", two_names), ("two ID numbers", two_ids)] {
        let (status, problem) = app.submit(&key, &filing).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("invalid_input")), "{why}: {problem}");
        assert_eq!(error_fields(&problem), ["/subject/principal/mobile", "/websites/0/principal/mobile"], "{why}");
        // Each pointer names a value of the request that was sent.
        assert!(error_fields(&problem).iter().all(|f| filing.pointer(f) == Some(&json!(ZHANG.1))), "{why}");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("138****8000"), "{why}: {problem}");
        assert!(!problem.to_string().contains(ZHANG.1), "{why}: the answer repeats the number: {problem}");
    }
    let (_, list) = app.get_as(&key, "/api/v1/filings").await;
    assert!(list["filings"].as_array().unwrap().is_empty(), "nothing stored");
    app.stop().await;
}

#[tokio::test]
async fn a_request_missing_what_its_business_type_needs_names_the_fields_to_fill() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut no_websites = new_filing();
    no_websites["business_type"] = "new_website".into();
    no_websites["websites"] = json!([]);
    let mut nothing_changed = new_filing();
    nothing_changed["business_type"] = "change".into();
    for (filing, fields) in
        [(no_websites, vec!["/websites"]), (nothing_changed, vec!["/subject/changed", "/remarks_changed"])]
    {
        let (status, problem) = app.submit(&key, &filing).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(error_fields(&problem), fields, "{problem}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_400_naming_where_without_repeating_values() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let (status, problem) =
        app.post("/api/v1/checks", &json!({"code": 123456, "phone": ZHANG.1, "id_suffix": ZHANG.3})).await;
    assert_eq!((status, error_fields(&problem)), (400, vec!["/code"]), "{problem}");
    assert!(!problem["errors"].to_string().contains("123456"), "{problem}");

    let mut no_province = new_filing();
    no_province.as_object_mut().unwrap().remove("province");
    let mut no_mobile = new_filing();
    no_mobile["websites"][0]["principal"].as_object_mut().unwrap().remove("mobile");
    let mut unknown = new_filing();
    unknown["subject"]["favourite_colour"] = "red".into();
    let cases = [(no_province, "/province"), (no_mobile, "/websites/0/principal/mobile"), (unknown, "/subject")];
    for (filing, field) in cases {
        let (status, problem) = app.submit(&key, &filing).await;
        assert_eq!((status, problem["code"].as_str()), (400, Some("malformed_body")), "{field}: {problem}");
        assert_eq!(error_fields(&problem), [field], "{problem}");
    }
    app.stop().await;
}
