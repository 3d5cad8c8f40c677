//! Attacks through the browser: framing our pages (clickjacking a person into verifying someone
//! else's filing), running injected inline code in them, sniffing a JSON answer as HTML, leaking
//! the link page's token in a Referer, and reading a person's answers back from a cache.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::header::HeaderMap;
use reqwest::{Client, Method, Response};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::*;

/// What a Trunk build writes: the CSS inlined, the loader script inline, comments, an external script.
const INDEX_STYLE: &str = "body{margin:0}.title{font-size:1.5rem}";
const LOADER: &str = "\nrequestAnimationFrame(() => setTimeout(async () => {\n  const { default: init } = \
                      await import('/beian-verify-0123456789abcdef.js');\n  await init({ module_or_path: \
                      '/beian-verify-0123456789abcdef_bg.wasm' });\n}, 0));\n";
const HELP_STYLE: &str = "\n.senders{padding:0}\n";

fn index_html() -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>备案短信核验</title>\
         <style>{INDEX_STYLE}</style>\n<!-- <script>not code</script> -->\
         <script type=\"module\">{LOADER}</script><script src=\"/extra-0123456789abcdef.js\"></script>\
         </head><body><main><h1 id=\"title\">备案短信核验</h1></main></body></html>"
    )
}

fn write_fixture_dist(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("index.html"), index_html()).unwrap();
    let help = format!("<!doctype html><html><head><style>{HELP_STYLE}</style></head><body></body></html>");
    fs::write(dir.join("help.html"), help).unwrap();
    fs::write(dir.join("app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
}

fn sha256_source(text: &str) -> String {
    format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// The policy as directive name → its sources.
fn csp(headers: &HeaderMap) -> BTreeMap<String, BTreeSet<String>> {
    let policy = headers.get("content-security-policy").expect("a Content-Security-Policy").to_str().unwrap();
    policy
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace();
            Some((words.next()?.to_string(), words.map(String::from).collect()))
        })
        .collect()
}

fn set(sources: &[&str]) -> BTreeSet<String> {
    sources.iter().map(|s| s.to_string()).collect()
}

/// A person's filing in progress: (app, provider key, filing id, verification id, link token, code).
async fn app_with_a_pending_filing() -> (TestApp, String, String, String, String, String) {
    let app = spawn_with(|s| write_fixture_dist(&s.server.static_dir)).await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &single_person_filing()).await;
    let sms = app.latest_sms(ZHANG.1).await;
    let token = sms.link.rsplit('/').next().unwrap().to_string();
    let id = filing["id"].as_str().unwrap().to_string();
    let vid = filing["verifications"][0]["id"].as_str().unwrap().to_string();
    (app, key, id, vid, token, sms.code)
}

async fn send(app: &TestApp, method: Method, path: &str, key: Option<&str>, body: Option<Value>) -> Response {
    let mut request = Client::new().request(method, app.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Response {
    Client::new().post(app.url(path)).form(fields).send().await.unwrap()
}

#[tokio::test]
async fn attack_framing_any_page_is_refused_by_frame_ancestors_and_x_frame_options() {
    let (app, _, _, _, token, _) = app_with_a_pending_filing().await;
    let answers = [
        ("/", send(&app, Method::GET, "/", None, None).await),
        ("/v/<token>", send(&app, Method::GET, &format!("/v/{token}"), None, None).await),
        ("/help.html", send(&app, Method::GET, "/help.html", None, None).await),
        ("POST /check", form(&app, "/check", &[("code", "000000"), ("phone", ZHANG.1), ("id_suffix", ZHANG.3)]).await),
        ("POST /resend", form(&app, "/resend", &[("phone", ZHANG.1), ("id_suffix", ZHANG.3)]).await),
        ("landing API", send(&app, Method::GET, &format!("/api/v1/links/{token}"), None, None).await),
        ("unknown API", send(&app, Method::GET, "/api/v1/unknown", None, None).await),
    ];
    for (what, answer) in answers {
        let policy = csp(answer.headers());
        assert_eq!(policy["frame-ancestors"], set(&["'none'"]), "{what}");
        assert_eq!(answer.headers()["x-frame-options"], "DENY", "{what}");
    }
    app.stop().await;
}

#[tokio::test]
async fn attack_reading_a_persons_answers_back_from_a_cache_finds_every_one_marked_no_store() {
    let (app, key, id, vid, token, code) = app_with_a_pending_filing().await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let check = json!({"code": wrong, "phone": ZHANG.1, "id_suffix": ZHANG.3});
    let resend = json!({"phone": ZHANG.1, "id_suffix": ZHANG.3});
    let answers = [
        ("check (names the person)", send(&app, Method::POST, "/api/v1/checks", None, Some(check)).await),
        ("link landing", send(&app, Method::GET, &format!("/api/v1/links/{token}"), None, None).await),
        (
            "link check",
            send(
                &app,
                Method::POST,
                &format!("/api/v1/links/{token}/checks"),
                None,
                Some(json!({"id_suffix": "999999"})),
            )
            .await,
        ),
        ("resend", send(&app, Method::POST, "/api/v1/resends", None, Some(resend)).await),
        ("filing list", send(&app, Method::GET, "/api/v1/filings", Some(&key), None).await),
        ("filing", send(&app, Method::GET, &format!("/api/v1/filings/{id}"), Some(&key), None).await),
        (
            "provider resend",
            send(&app, Method::POST, &format!("/api/v1/filings/{id}/verifications/{vid}/resend"), Some(&key), None)
                .await,
        ),
        (
            "callback secret",
            send(&app, Method::PUT, "/api/v1/callback", Some(&key), Some(json!({"url": "https://example.cn/hook"})))
                .await,
        ),
        ("form check", form(&app, "/check", &[("code", wrong), ("phone", ZHANG.1), ("id_suffix", ZHANG.3)]).await),
        ("form resend", form(&app, "/resend", &[("phone", ZHANG.1), ("id_suffix", ZHANG.3)]).await),
        ("link page (URL holds the token)", send(&app, Method::GET, &format!("/v/{token}"), None, None).await),
    ];
    for (what, answer) in answers {
        assert_eq!(answer.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{what}");
    }

    // Pages and assets without personal data keep their caching.
    let home = send(&app, Method::GET, "/", None, None).await;
    assert_eq!(home.headers()["cache-control"], "no-cache");
    let wasm = send(&app, Method::GET, "/app-0123456789abcdef_bg.wasm", None, None).await;
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    app.stop().await;
}

#[tokio::test]
async fn attack_sniffing_or_leaking_the_url_is_refused_and_unused_features_are_off() {
    let (app, _, _, _, token, _) = app_with_a_pending_filing().await;
    for path in ["/".to_string(), format!("/v/{token}"), format!("/api/v1/links/{token}"), "/healthz".to_string()] {
        let answer = send(&app, Method::GET, &path, None, None).await;
        let headers = answer.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        let permissions = headers["permissions-policy"].to_str().unwrap();
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"] {
            assert!(permissions.contains(feature), "{path}: {feature} in {permissions}");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn attack_injected_inline_code_cannot_run_the_csp_allows_only_the_served_inline_elements_by_hash() {
    let app = spawn_with(|s| write_fixture_dist(&s.server.static_dir)).await;
    let home = send(&app, Method::GET, "/", None, None).await;
    let policy = csp(home.headers());
    assert_eq!(home.text().await.unwrap(), index_html(), "the fixture is what is served");

    let form_page = form(&app, "/check", &[("code", "x")]).await.text().await.unwrap();
    let form_style = form_page.split_once("<style>").unwrap().1.split_once("</style>").unwrap().0;

    assert_eq!(policy["default-src"], set(&["'self'"]));
    assert_eq!(policy["script-src"], set(&["'self'", "'wasm-unsafe-eval'", &sha256_source(LOADER)]));
    let styles = [sha256_source(INDEX_STYLE), sha256_source(HELP_STYLE), sha256_source(form_style)];
    assert_eq!(policy["style-src"], set(&["'self'", &styles[0], &styles[1], &styles[2]]));
    for (directive, sources) in [("object-src", "'none'"), ("base-uri", "'none'"), ("form-action", "'self'")] {
        assert_eq!(policy[directive], set(&[sources]), "{directive}");
    }
    let everything: BTreeSet<&String> = policy.values().flatten().collect();
    for unsafe_source in ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"] {
        assert!(!everything.contains(&unsafe_source.to_string()), "{unsafe_source} in {policy:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_deployment_says_it_is_behind_tls() {
    let plain = spawn_app().await;
    let answer = send(&plain, Method::GET, "/healthz", None, None).await;
    assert!(answer.headers().get("strict-transport-security").is_none());
    plain.stop().await;

    let behind_tls = spawn_with(|s| s.server.hsts_max_age_secs = Some(31_536_000)).await;
    for path in ["/healthz", "/", "/api/v1/unknown"] {
        let answer = send(&behind_tls, Method::GET, path, None, None).await;
        assert_eq!(answer.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains", "{path}");
    }
    behind_tls.stop().await;
}
