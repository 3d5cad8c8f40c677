//! The path for browsers without WebAssembly or JavaScript (iOS Lockdown Mode, old WebViews):
//! `index.html` carries plain HTML forms that post here; we answer with a small page carrying the
//! same outcome text the app would show.

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use protocol::{
    province_site_name, CheckRequest, FieldError, InputField, ProvinceCode, ResendRequest, ERROR_PREFIX, HELP_LINK,
    SITE_NAME, SUBMIT_CHECK,
};
use serde::Deserialize;

use super::client_addr::ClientAddr;
use super::{help, html};
use crate::service::{Service, ServiceError};
use crate::sms::SenderNumbers;

pub fn router() -> Router<Service> {
    // `/v/<token>` stays the app's (GET): without script it shows index.html's manual form.
    Router::new().route("/check", post(check)).route("/resend", post(resend))
}

/// `?p=330000` on the form's action: the form was the one a province's site led to, and its answer
/// keeps that province in the heading and the way back.
#[derive(Deserialize, Default)]
struct Entry {
    p: Option<String>,
}

impl Entry {
    fn province(&self, service: &Service) -> Option<ProvinceName> {
        let code = ProvinceCode::parse(self.p.as_deref()?).ok()?;
        Some(ProvinceName { code, name: service.rollout().province(code).name.clone() })
    }
}

/// The province a no-script form came from.
struct ProvinceName {
    code: ProvinceCode,
    name: String,
}

async fn check(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    entry: Result<Query<Entry>, QueryRejection>,
    form: Result<Form<CheckRequest>, FormRejection>,
) -> Response {
    let province = entry.map(|Query(entry)| entry).unwrap_or_default().province(&service);
    let Ok(Form(request)) = form else { return page_for_bad_form() };
    match request.parse() {
        Err(errors) => refused_check(&request, &errors, province.as_ref()),
        Ok(parsed) => match service.check(&parsed, client).await {
            Ok(outcome) => page_in(province.as_ref(), StatusCode::OK, outcome.is_success(), &outcome.message()),
            Err(e) => page_for_error(e),
        },
    }
}

async fn resend(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    form: Result<Form<ResendRequest>, FormRejection>,
) -> Response {
    let Ok(Form(request)) = form else { return page_for_bad_form() };
    match request.parse() {
        Err(errors) => refused_resend(&service, &request, &errors),
        Ok((phone, suffix)) => match service.resend_for_person(&phone, &suffix, client).await {
            Ok(outcome) => page(StatusCode::OK, outcome.is_success(), &outcome.message()),
            Err(e) => page_for_error(e),
        },
    }
}

fn page_for_bad_form() -> Response {
    page(StatusCode::BAD_REQUEST, false, "提交的表单不完整，请返回重新填写。")
}

/// The code form again, holding what was typed, each error beside its field and the summary on
/// top, as the app shows a refused submit.
fn refused_check(request: &CheckRequest, errors: &[FieldError], province: Option<&ProvinceName>) -> Response {
    let typed = [
        (InputField::Code, &*request.code),
        (InputField::Phone, &*request.phone),
        (InputField::IdSuffix, &*request.id_suffix),
    ];
    let body = format!(
        r#"{form}<p class="help-link"><a href="/help.html">{HELP_LINK}</a></p>"#,
        form = html::form(&check_action(province), &typed, errors, SUBMIT_CHECK)
    );
    let site_name = site_name(province);
    let page = html::page(&format!("{ERROR_PREFIX}{site_name}"), &site_name, &body);
    (StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response()
}

/// The help page again, its resend form holding what was typed with the errors.
fn refused_resend(service: &Service, request: &ResendRequest, errors: &[FieldError]) -> Response {
    let senders = SenderNumbers::from_settings(&service.settings().sms).for_people();
    let typed = [(InputField::Phone, &*request.phone), (InputField::IdSuffix, &*request.id_suffix)];
    (StatusCode::UNPROCESSABLE_ENTITY, Html(help::render(&senders, &typed, errors))).into_response()
}

fn page_for_error(error: ServiceError) -> Response {
    match error {
        ServiceError::RateLimited { retry_after_seconds } => {
            page(StatusCode::TOO_MANY_REQUESTS, false, &format!("尝试次数过多，请在{retry_after_seconds}秒后再试。"))
        }
        other => {
            let problem = super::error::ApiError::from(other).0;
            page(
                StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                false,
                &problem.title,
            )
        }
    }
}

/// The answer pages' only style, inline so the page needs no other file; the CSP allows it by
/// its hash (`security_headers`), computed from this constant.
pub const PAGE_STYLE: &str = r#"body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:36rem;margin:0 auto;padding:1rem;line-height:1.6;color:#1a1a1a;background:#fff}
.ok{border-left:.4rem solid #1b6e3a;background:#eef8f1}.error{border-left:.4rem solid #b3261e;background:#fdf0ef}
.result{padding:.75rem 1rem;margin:1rem 0}a{display:inline-block;min-height:44px;line-height:44px;color:#0b57d0}
@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}.ok{background:#10291a}.error{background:#331311}a{color:#8ab4f8}}"#;

/// The code form's action, keeping the province it was entered from.
fn check_action(province: Option<&ProvinceName>) -> String {
    province.map_or_else(|| "/check".to_owned(), |p| format!("/check?p={}", p.code))
}

/// The site's name, with the province's when the form came from its site (`浙江省备案短信核验`).
fn site_name(province: Option<&ProvinceName>) -> String {
    province.map_or_else(|| SITE_NAME.to_owned(), |p| province_site_name(&p.name))
}

fn page(status: StatusCode, success: bool, message: &str) -> Response {
    page_in(None, status, success, message)
}

/// A complete, self-contained page: readable on any browser, no script, no external files.
fn page_in(province: Option<&ProvinceName>, status: StatusCode, success: bool, message: &str) -> Response {
    let (role, class, heading) =
        if success { ("status", "ok", "核验结果") } else { ("alert", "error", "未能完成") };
    let lines: String = message.lines().map(|l| format!("<p>{}</p>", html::escape(l))).collect();
    let site_name = html::escape(&site_name(province));
    let home = province.map_or_else(|| "/".to_owned(), |p| format!("/?p={}", p.code));
    let body = format!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading} - {site_name}</title>
<style>{PAGE_STYLE}</style>
</head><body><main><h1>{site_name}</h1>
<div class="result {class}" role="{role}"><h2>{heading}</h2>{lines}</div>
<p><a href="{home}">返回短信核验</a> · <a href="/help.html">收不到短信？</a></p></main></body></html>"#
    );
    (status, Html(body)).into_response()
}
