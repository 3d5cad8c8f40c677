//! `/?p=330000`: the code form entered from a province's filing site (people reach the page from
//! there). The same page as `/`, the built `index.html`, so it works without script and the app
//! takes it over as usual, with the province in the heading (`浙江省备案短信核验`, kept by the app
//! through `data-province`) and, when the rollout gives the province's site, a link back to it
//! beside the heading (outside `#app`, so the app leaves it in place). Without `p`, or with a code
//! that names no province, it is the national page.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use protocol::{back_to_province, province_site_name, ProvinceCode, SITE_NAME};
use serde::Deserialize;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::html::{self, escape};
use crate::domain::Province;
use crate::service::Service;

/// The `data-` attribute on the heading that tells the app which province's page it took over.
pub const PROVINCE_ATTRIBUTE: &str = "data-province";

#[derive(Deserialize)]
struct Entry {
    p: Option<String>,
}

pub fn router(static_dir: &Path) -> Router<Service> {
    let index_path = static_dir.join("index.html");
    // Read once, like the Content-Security-Policy's hashes: a new build needs a restart anyway.
    let index: Arc<Option<String>> = Arc::new(std::fs::read_to_string(&index_path).ok());
    Router::new().route(
        "/",
        get(move |State(service): State<Service>, Query(entry): Query<Entry>, request: Request| {
            let index = index.clone();
            let index_path = index_path.clone();
            async move {
                let province = entry.p.as_deref().and_then(|p| ProvinceCode::parse(p).ok());
                match province {
                    Some(code) => province_page(service.rollout().province(code), index.as_deref()),
                    None => national_page(&index_path, request).await,
                }
            }
        }),
    )
}

/// `index.html` as the static files serve it (precompressed, revalidated every time).
async fn national_page(index_path: &Path, request: Request) -> Response {
    let file = ServeFile::new(index_path).precompressed_br().precompressed_gzip();
    let mut response = match file.oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn province_page(province: &Province, index: Option<&str>) -> Response {
    let page = index
        .and_then(|index| with_province(index, province))
        // Without a built app (or a heading to name), the server's own page: the same form.
        .unwrap_or_else(|| plain_page(province));
    let mut response = Html(page).into_response();
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `index.html` with the province in the title and heading, and the way back after the heading.
/// `None` when the page has no `<h1 id="title">` to name it in.
pub fn with_province(index: &str, province: &Province) -> Option<String> {
    let heading = province_site_name(&province.name);
    let start = index.find("<h1")?;
    let open_end = start + index[start..].find('>')?;
    if !names_the_title(&index[start..open_end]) {
        return None;
    }
    let close = open_end + index[open_end..].find("</h1>")?;
    let after = close + "</h1>".len();
    let page = format!(
        r#"{before} {PROVINCE_ATTRIBUTE}="{name}">{heading}</h1>{back}{rest}"#,
        before = &index[..open_end],
        name = escape(&province.name),
        heading = escape(&heading),
        back = back_link(province),
        rest = &index[after..],
    );
    let title = format!("<title>{SITE_NAME}</title>");
    let page = page.replacen(&title, &format!("<title>{}</title>", escape(&heading)), 1);
    // The form's answer page (without script) keeps the province too.
    let action = format!(r#"action="{}""#, check_action(province));
    Some(page.replacen(r#"action="/check""#, &action, 1).replacen("action=/check ", &format!("{action} "), 1))
}

/// Where the code form posts: `/check?p=330000`, so the answer keeps the province.
fn check_action(province: &Province) -> String {
    format!("/check?p={}", province.code)
}

/// Whether an opening tag has `id="title"`, quoted or as the build's minifier writes it (`id=title`).
fn names_the_title(tag: &str) -> bool {
    tag.split_whitespace().any(|attribute| matches!(attribute, r#"id="title""# | "id=title" | "id='title'"))
}

/// The link back to the province's filing site; nothing when the rollout gives none.
fn back_link(province: &Province) -> String {
    match &province.site {
        Some(site) => format!(
            r#"<p class="province-site"><a id="province-site" href="{}">{}</a></p>"#,
            escape(site),
            escape(&back_to_province(&province.name))
        ),
        None => String::new(),
    }
}

/// The code form as the server's no-script pages render it, for a deployment without the app.
fn plain_page(province: &Province) -> String {
    let heading = province_site_name(&province.name);
    let fields =
        [(protocol::InputField::Code, ""), (protocol::InputField::Phone, ""), (protocol::InputField::IdSuffix, "")];
    let body = format!(
        "{back}{form}<p class=\"help-link\"><a href=\"/help.html\">{help}</a></p>",
        back = back_link(province),
        form = html::form(&check_action(province), &fields, &[], protocol::SUBMIT_CHECK),
        help = escape(protocol::HELP_LINK),
    );
    html::page(&heading, &heading, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Rollout;

    const INDEX: &str = r#"<html><head><title>备案短信核验</title></head><body><main>
<h1 id="title" class="title" tabindex="-1">备案短信核验</h1><div id="app"><form action="/check"></form></div></main></body></html>"#;

    fn zhejiang(site: Option<&str>) -> Province {
        let mut province = Rollout::default().province(ProvinceCode::parse("330000").unwrap()).clone();
        province.site = site.map(str::to_owned);
        province
    }

    #[test]
    fn the_province_is_named_in_the_title_and_heading_and_the_way_back_follows_it() {
        let page = with_province(INDEX, &zhejiang(Some("https://beian.zj.example.cn/?a=1&b=2"))).unwrap();
        assert!(page.contains("<title>浙江省备案短信核验</title>"), "{page}");
        assert!(
            page.contains(
                r#"<h1 id="title" class="title" tabindex="-1" data-province="浙江省">浙江省备案短信核验</h1>"#
            ),
            "{page}"
        );
        assert!(page.contains(r#"href="https://beian.zj.example.cn/?a=1&amp;b=2">返回浙江省备案系统</a>"#), "{page}");
        assert!(page.contains(r#"<form action="/check?p=330000">"#), "{page}");
    }

    #[test]
    fn the_minified_built_page_is_named_too() {
        let built = r#"<title>备案短信核验</title><main><h1 class=title id=title tabindex=-1>备案短信核验</h1><div id=app><form action=/check class=form>"#;
        let page = with_province(built, &zhejiang(None)).unwrap();
        assert!(
            page.contains(r#"<h1 class=title id=title tabindex=-1 data-province="浙江省">浙江省备案短信核验</h1>"#),
            "{page}"
        );
        assert!(page.contains("<title>浙江省备案短信核验</title>"));
        assert!(page.contains(r#"action="/check?p=330000""#), "{page}");
    }

    #[test]
    fn without_a_site_there_is_no_link_back_and_without_a_heading_no_rewrite() {
        let page = with_province(INDEX, &zhejiang(None)).unwrap();
        assert!(!page.contains("province-site"));
        assert_eq!(with_province("<html><h1>其他</h1></html>", &zhejiang(None)), None);
    }
}
