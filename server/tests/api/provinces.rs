//! Provinces: a request is verified by SMS only where its province verifies on the day it is
//! submitted (the app's clock); elsewhere it goes straight to its 管局 for review, saying why.

use std::path::PathBuf;

use beian_verify_server::domain::rollout::DEFAULT_ROLLOUT;
use beian_verify_server::startup::StartupError;
use beian_verify_server::Application;
use serde_json::{json, Value};

use crate::helpers::*;

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

fn in_province(mut filing: Value, province: &str) -> Value {
    filing["province"] = province.into();
    filing
}

fn event_kinds(view: &Value) -> Vec<(String, Option<String>)> {
    view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap().to_owned(), e["detail"].as_str().map(str::to_owned)))
        .collect()
}

async fn metrics(app: &TestApp) -> String {
    app.client.get(app.metrics_url()).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn a_filing_in_a_verifying_province_is_verified_by_sms_and_handed_to_its_authority() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &single_person_filing()).await;
    assert_eq!((filing["state"].as_str(), filing["province"].as_str()), (Some("pending"), Some(ZHEJIANG)));
    assert_eq!(filing["authority"], Value::Null, "named once the request is the 管局's");
    assert!(metrics(&app).await.contains("beian_filings_pending{province=\"330000\"} 1"));
    let code = app.code_for(ZHANG.1).await;
    let outcome = app.check(&code, ZHANG.1, ZHANG.3).await;
    assert_eq!(outcome["outcome"], "completed");
    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!(view["state"], "completed");
    assert_eq!(view["authority"], "浙江省通信管理局");
    assert_eq!(view["review_note"], Value::Null);
    let text = metrics(&app).await;
    assert!(text.contains("beian_filings_closed_total{state=\"completed\",province=\"330000\"} 1"), "{text}");
    assert!(text.contains("beian_sms_sent_total{carrier=\"china_mobile\",province=\"330000\"} 1"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn a_filing_in_a_province_without_sms_verification_goes_straight_to_review_with_no_sms() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &in_province(new_filing(), BEIJING)).await;
    assert_eq!(filing["state"], "completed");
    assert_eq!(filing["province"], BEIJING);
    assert_eq!(filing["verifications"], json!([]));
    assert_eq!(filing["authority"], "北京市通信管理局");
    assert_eq!(filing["review_note"], "北京市未开展短信核验，该请求已直接提交北京市通信管理局审核。");
    assert_eq!(
        event_kinds(&filing),
        [("submitted".into(), None), ("completed".into(), Some("province_not_verifying".into()))]
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.sms_count(), 0, "nobody is asked to verify");
    let text = metrics(&app).await;
    assert!(text.contains("beian_filings_closed_total{state=\"completed\",province=\"110000\"} 1"), "{text}");
    app.stop().await;
}

/// The shipped rollout with 浙江 starting on `day` (YYYY-MM-DD) and a filing site.
fn rollout_with_zhejiang_from(day: &str) -> String {
    DEFAULT_ROLLOUT
        .lines()
        .map(|line| match line.starts_with("330000") {
            true => format!("330000\t浙江\t浙江省\t浙江省通信管理局\t{day}\thttps://beian.zj.example.cn/"),
            false => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_rollout(app_dir: &std::path::Path, text: &str) -> PathBuf {
    let path = app_dir.join("provinces.tsv");
    std::fs::write(&path, text).unwrap();
    path
}

/// Tomorrow in China time, by the system clock the test clock starts from.
fn tomorrow_in_china() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap());
    let tomorrow = now.date().next_day().unwrap();
    format!("{:04}-{:02}-{:02}", tomorrow.year(), u8::from(tomorrow.month()), tomorrow.day())
}

#[tokio::test]
async fn a_province_starts_verifying_on_its_start_date_by_the_apps_clock() {
    let rollout_dir = tempfile::tempdir().unwrap();
    let path = write_rollout(rollout_dir.path(), &rollout_with_zhejiang_from(&tomorrow_in_china()));
    let app = spawn_with(|s| s.limits.provinces_file = Some(path)).await;
    let key = app.new_provider("甲").await;
    let before = app.submitted(&key, &single_person_filing()).await;
    assert_eq!(before["state"], "completed", "the day before its start: straight to review");
    assert_eq!(before["authority"], "浙江省通信管理局");
    app.clock.advance(DAY_MILLIS);
    let after = app.submitted(&key, &single_person_filing()).await;
    assert_eq!(after["state"], "pending", "from its start date: verified by SMS");
    assert_eq!(after["verifications"].as_array().unwrap().len(), 1);
    app.wait_for_sms(ZHANG.1, 1).await;
    app.stop().await;
}

#[tokio::test]
async fn a_province_given_by_name_or_in_full_width_digits_is_a_422_at_the_province_field() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    for province in ["浙江", "浙江省", "３３００００", "330100", ""] {
        let (status, problem) = app.submit(&key, &in_province(new_filing(), province)).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("invalid_input")), "{province}: {problem}");
        let errors = problem["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{problem}");
        assert_eq!(errors[0]["field"], "/province");
        assert!(errors[0]["message"].as_str().unwrap().contains("330000"), "names the accepted form: {problem}");
    }
    let mut missing = new_filing();
    missing.as_object_mut().unwrap().remove("province");
    let (status, _) = app.submit(&key, &missing).await;
    assert_eq!(status, 400, "a required field missing is a malformed body");
    let (_, list) = app.get_as(&key, "/api/v1/filings").await;
    assert!(list["filings"].as_array().unwrap().is_empty());
    assert_eq!(app.sms_count(), 0);
    app.stop().await;
}

#[tokio::test]
async fn the_list_filters_by_province_and_another_provider_sees_none_of_its_filings() {
    let app = spawn_app().await;
    let mine = app.new_provider("甲").await;
    let theirs = app.new_provider("乙").await;
    let zhejiang = app.submitted(&mine, &single_person_filing()).await;
    app.submitted(&mine, &in_province(single_person_filing(), BEIJING)).await;
    let ids = |list: &Value| -> Vec<String> {
        list["filings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect()
    };
    let (status, list) = app.get_as(&mine, "/api/v1/filings?province=330000").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&list), [zhejiang["id"].as_str().unwrap()]);
    let (_, list) = app.get_as(&mine, "/api/v1/filings?province=110000&state=completed").await;
    assert_eq!(list["filings"][0]["province"], BEIJING);
    let (_, list) = app.get_as(&theirs, "/api/v1/filings?province=330000").await;
    assert!(ids(&list).is_empty());
    let (status, _) = app.get_as(&theirs, &format!("/api/v1/filings/{}", zhejiang["id"].as_str().unwrap())).await;
    assert_eq!(status, 404);
    let (status, problem) = app.get_as(&mine, "/api/v1/filings?province=%E6%B5%99%E6%B1%9F").await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("/province")), "{problem}");
    app.stop().await;
}

#[tokio::test]
async fn start_refuses_a_provinces_file_with_an_unknown_code_a_duplicate_or_a_bad_date() {
    let zhejiang = "330000\t浙江\t浙江省\t浙江省通信管理局\t2018-09-10";
    let cases = [
        ("unknown code", format!("{DEFAULT_ROLLOUT}990000\t外\t外省\t外省通信管理局\t-\n"), "990000"),
        ("duplicate row", format!("{DEFAULT_ROLLOUT}{zhejiang}\n"), "already listed"),
        ("bad date", rollout_with_zhejiang_from("2018-09-31"), "2018-09-31"),
        ("missing province", DEFAULT_ROLLOUT.replace(zhejiang, ""), "330000 is not listed"),
    ];
    for (why, text, says) in cases {
        let data = tempfile::tempdir().unwrap();
        let mut settings = test_settings(data.path().to_path_buf());
        settings.limits.provinces_file = Some(write_rollout(data.path(), &text));
        let refused = Application::build(settings).await.err().unwrap_or_else(|| panic!("{why}: started"));
        assert!(matches!(refused, StartupError::Provinces { .. }), "{why}: {refused}");
        let message = refused.to_string();
        assert!(message.contains("provinces.tsv") && message.contains(says), "{why}: {message}");
    }
}

/// The app's own `index.html` (the page the build serves at `/`).
const INDEX_HTML: &str = include_str!("../../../index.html");

#[tokio::test]
async fn a_province_link_names_the_province_and_links_back_to_its_site_and_without_it_the_page_is_national() {
    let dir = tempfile::tempdir().unwrap();
    let rollout = write_rollout(dir.path(), &rollout_with_zhejiang_from("2018-09-10"));
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    let app = spawn_with(|s| {
        s.limits.provinces_file = Some(rollout);
        s.server.static_dir = dist;
    })
    .await;
    let page = |path: &'static str| {
        let request = app.client.get(app.url(path));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let zhejiang = page("/?p=330000").await;
    assert!(zhejiang.contains(r#"data-province="浙江省">浙江省备案短信核验</h1>"#), "{zhejiang}");
    assert!(zhejiang.contains(r#"<a id="province-site" href="https://beian.zj.example.cn/">返回浙江省备案系统</a>"#));
    assert!(zhejiang.contains(r#"action="/check?p=330000""#), "the same working form, keeping the province");
    let beijing = page("/?p=110000").await;
    assert!(beijing.contains("北京市备案短信核验") && !beijing.contains("province-site"), "no site, no link");
    for national in [page("/").await, page("/?p=%E6%B5%99%E6%B1%9F").await, page("/?p=330100").await] {
        assert!(national.contains(r#"tabindex="-1">备案短信核验</h1>"#) && !national.contains("浙江"), "{national}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_province_link_works_without_a_built_app_too() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/?p=330000")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("<h1 class=\"title\">浙江省备案短信核验</h1>") && page.contains("action=\"/check?p=330000\""),
        "{page}"
    );
    assert!(protocol::half_width_beside_chinese(&page).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn without_script_the_answer_to_a_province_pages_form_keeps_the_province() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/?p=330000")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"action="/check?p=330000""#), "{page}");
    let form = [("code", "123456"), ("phone", "13900000000"), ("id_suffix", "123456")];
    let answer = app.client.post(app.url("/check?p=330000")).form(&form).send().await.unwrap().text().await.unwrap();
    assert!(answer.contains("<h1>浙江省备案短信核验</h1>") && answer.contains(r#"href="/?p=330000""#), "{answer}");
    let refused = [("code", "12"), ("phone", "13900000000"), ("id_suffix", "123456")];
    let again = app.client.post(app.url("/check?p=330000")).form(&refused).send().await.unwrap().text().await.unwrap();
    assert!(again.contains("浙江省备案短信核验") && again.contains(r#"action="/check?p=330000""#), "{again}");
    let national = app.client.post(app.url("/check")).form(&form).send().await.unwrap().text().await.unwrap();
    assert!(national.contains("<h1>备案短信核验</h1>") && !national.contains("浙江"), "{national}");
    app.stop().await;
}
