//! Access providers: submit a filing, read it and its history, list by state and province a page
//! at a time, ask for a resend.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use protocol::{FilingList, FilingView, NewFiling, ProblemType, ResendOutcome};

use super::auth::Provider;
use super::error::ApiError;
use super::extract::ApiJson;
use super::filing_list_query;
use crate::service::Service;

pub fn router() -> Router<Service> {
    Router::new()
        .route("/filings", post(submit).get(list))
        .route("/filings/{id}", get(read))
        .route("/filings/{id}/verifications/{verification_id}/resend", post(resend))
}

const MAX_IDEMPOTENCY_KEY: usize = 200;

async fn submit(
    State(service): State<Service>,
    Provider(provider): Provider,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewFiling>,
) -> Result<(StatusCode, Json<FilingView>), ApiError> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = value.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= MAX_IDEMPOTENCY_KEY);
            Some(key.ok_or_else(|| {
                ApiError::detail(ProblemType::InvalidInput, "Idempotency-Key 应为 1 到 200 个可见 ASCII 字符。")
            })?)
        }
    };
    let submitted = service.submit_filing(&provider.id, &new, key.map(str::to_owned)).await?;
    let status = if submitted.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(submitted.filing)))
}

async fn read(
    State(service): State<Service>,
    Provider(provider): Provider,
    Path(id): Path<String>,
) -> Result<Json<FilingView>, ApiError> {
    let view = service.filing_view(&provider.id, &id).await?;
    view.map(Json).ok_or_else(|| ApiError::new(ProblemType::NotFound))
}

async fn list(
    State(service): State<Service>,
    Provider(provider): Provider,
    RawQuery(query): RawQuery,
) -> Result<Json<FilingList>, ApiError> {
    let page = filing_list_query::parse(query.as_deref()).map_err(ApiError::invalid)?;
    let (filings, last) = service.list_filings(&provider.id, &page).await?;
    Ok(Json(FilingList { filings, next: last.as_ref().map(filing_list_query::cursor) }))
}

async fn resend(
    State(service): State<Service>,
    Provider(provider): Provider,
    Path((id, verification_id)): Path<(String, String)>,
) -> Result<Json<ResendOutcome>, ApiError> {
    Ok(Json(service.resend_for_provider(&provider.id, &id, &verification_id).await?))
}
