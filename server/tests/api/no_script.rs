//! The server's pages for browsers without WebAssembly or JavaScript: the help page with the
//! configured sender numbers, a refused form shown again with what was typed, and full-width
//! punctuation in every text they render.

use protocol::half_width_beside_chinese;
use serde_json::Value;

use crate::helpers::*;

async fn page(app: &TestApp, path: &str, form: Option<&[(&str, &str)]>) -> (u16, String) {
    let request = match form {
        Some(fields) => app.client.post(app.url(path)).form(fields),
        None => app.client.get(app.url(path)),
    };
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The text a browser shows: tags dropped (each ends a run of text), entities left as they are.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.split("</style>").last().unwrap_or(html).chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push('\n');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[tokio::test]
async fn the_help_page_and_the_senders_api_list_the_numbers_the_server_is_configured_with() {
    let app = spawn_with(|s| {
        s.sms.sender_china_telecom = "1069012345".into();
        s.sms.sender_china_broadnet = Some("1069054321".into());
    })
    .await;
    let (status, html) = page(&app, "/help.html", None).await;
    assert_eq!(status, 200);
    for shown in
        ["中国电信：<span class=\"number\">1069012345</span>", "中国联通", "10655113", "中国广电", "1069054321"]
    {
        assert!(html.contains(shown), "{shown} in {html}");
    }
    assert!(!html.contains("106598051001"), "the default China Telecom number is replaced");
    assert!(html.contains(r#"action="/resend""#) && html.contains(r#"href="/app.css""#));

    let senders: Value = app.client.get(app.url("/api/v1/senders")).send().await.unwrap().json().await.unwrap();
    assert_eq!(senders["senders"][0]["carrier"], "中国电信");
    assert_eq!(senders["senders"][0]["number"], "1069012345");
    assert_eq!(senders["senders"].as_array().unwrap().len(), 4);
    app.stop().await;

    let defaults = spawn_app().await;
    let (_, html) = page(&defaults, "/help.html", None).await;
    assert!(html.contains("106598051001") && html.contains("106575000130") && !html.contains("中国广电"), "{html}");
    defaults.stop().await;
}

#[tokio::test]
async fn a_refused_code_form_comes_back_holding_what_was_typed_with_each_error_beside_its_field() {
    let app = spawn_app().await;
    let typed = [("code", "12345"), ("phone", "138 0013"), ("id_suffix", "31002x")];
    let (status, html) = page(&app, "/check", Some(&typed)).await;
    assert_eq!(status, 422);
    for (name, value) in typed {
        assert!(html.contains(&format!(r#"name="{name}""#)), "{name}");
        assert!(html.contains(&format!(r#"value="{value}""#)), "{value} kept in {html}");
    }
    let summary = html.find(r#"role="alert""#).expect("an error summary");
    let code_error = html.find(r#"<p class="field-error" id="f-code-error">"#).expect("the code's error");
    let code_input = html.find(r#"<input id="f-code""#).unwrap();
    let phone_error = html.find(r#"id="f-phone-error""#).expect("the phone's error");
    assert!(summary < code_error && code_error < code_input && code_input < phone_error, "{html}");
    assert!(html.contains(r##"<a href="#f-code">短信验证码应为6位数字。</a>"##), "{html}");
    assert!(!html.contains("f-id_suffix-error"), "the suffix was fine");
    assert!(html.contains(r#"action="/check""#));
    app.stop().await;
}

#[tokio::test]
async fn a_refused_resend_comes_back_on_the_help_page_holding_what_was_typed() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/resend", Some(&[("phone", "12"), ("id_suffix", "31002X")])).await;
    assert_eq!(status, 422);
    assert!(html.contains("收不到短信？") && html.contains(r#"action="/resend""#));
    assert!(html.contains(r#"value="12""#) && html.contains(r#"value="31002X""#), "{html}");
    assert!(html.contains(r#"id="f-phone-error""#) && !html.contains(r#"id="f-id_suffix-error""#));
    app.stop().await;
}

#[tokio::test]
async fn every_no_script_page_uses_full_width_punctuation_in_chinese_text() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &new_filing()).await;
    let code = app.code_for(ZHANG.1).await;
    let pages = [
        page(&app, "/help.html", None).await,
        page(&app, "/check", Some(&[("code", ""), ("phone", ""), ("id_suffix", "")])).await,
        page(&app, "/check", Some(&[("code", "x"), ("phone", "1"), ("id_suffix", "?")])).await,
        page(&app, "/check", Some(&[("code", "000000"), ("phone", "13900000000"), ("id_suffix", "123456")])).await,
        page(&app, "/check", Some(&[("code", &code), ("phone", ZHANG.1), ("id_suffix", ZHANG.3)])).await,
        page(&app, "/check", Some(&[("code", &code), ("phone", ZHANG.1), ("id_suffix", ZHANG.3)])).await,
        page(&app, "/check", Some(&[("code", "1")])).await,
        page(&app, "/resend", Some(&[("phone", ""), ("id_suffix", "")])).await,
        page(&app, "/resend", Some(&[("phone", ZHANG.1), ("id_suffix", ZHANG.3)])).await,
    ];
    let index = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../index.html")).unwrap();
    for html in pages.iter().map(|(_, html)| html).chain([&index]) {
        let text = visible_text(html);
        assert_eq!(half_width_beside_chinese(&text), Vec::<String>::new(), "in {text}");
    }
    app.stop().await;
}
