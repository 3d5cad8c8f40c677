//! Access providers: submit a filing, read it and its history, list by state and province a page
//! at a time, ask for a resend.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use protocol::{FilingList, FilingView, NewFiling, ProblemType, ResendOutcome};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Provider;
use super::error::ApiError;
use super::extract::ApiJson;
use super::filing_list_query::{self, ListQuery};
use super::openapi::{IdempotencyConflict, Internal, JsonBodyErrors, NotFound, RequestTimeout, Unauthorized};
use crate::domain::{FilingId, VerificationId};
use crate::service::Service;

pub fn router() -> OpenApiRouter<Service> {
    OpenApiRouter::new().routes(routes!(submit, list)).routes(routes!(read)).routes(routes!(resend))
}

const MAX_IDEMPOTENCY_KEY: usize = 200;

/// Submit a filing request.
///
/// Stores the filing and queues an SMS for each person who must verify, in one transaction. Where
/// the province does not verify by SMS on the day, nobody is asked and the filing is `complete` at
/// once, with its `review_note`.
#[utoipa::path(
    post,
    path = "/filings",
    operation_id = "submitFiling",
    request_body = NewFiling,
    tag = "providers",
    security(("providerKey" = [])),
    params((
        "Idempotency-Key" = Option<String>,
        Header,
        description = "A retried submit with the same key and body answers the first result (200) and sends nothing. \
                       1 to 200 visible ASCII characters.",
        nullable = false,
        pattern = "^[!-~](?:[\\t -~]{0,198}[!-~])?$"
    )),
    responses(
        (status = 201, description = "Stored; the SMS are queued.", body = FilingView),
        (status = 200, description = "A repeat of an earlier submit with the same Idempotency-Key.", body = FilingView),
        JsonBodyErrors,
        (status = 401, response = Unauthorized),
        (status = 409, response = IdempotencyConflict),
        (status = 422, description = "A value is not acceptable, or values break a rule together (one phone number \
            under two names or two ID numbers names both `mobile` fields; a business type's missing parts name \
            `/websites`, or `/subject/changed` and `/remarks_changed`); `errors` names each by its JSON pointer \
            and says why. Nothing is stored.", body = protocol::Problem, content_type = "application/problem+json"),
        (status = 429, description = "An SMS quota is full: the provider's per minute or per day, or a person's \
            number per day across all providers (then `errors` names the mobile fields that hold it, e.g. \
            `/subject/principal/mobile`). `Retry-After` says when the request would be accepted; nothing was stored.",
            body = protocol::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again."))),
    )
)]
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

/// One filing of this provider's, with its verifications and history.
#[utoipa::path(
    get,
    path = "/filings/{id}",
    operation_id = "readFiling",
    tag = "providers",
    security(("providerKey" = [])),
    params(("id" = String, Path, description = "The filing's `id`.")),
    responses(
        (status = 200, description = "The filing.", body = FilingView),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 408, response = RequestTimeout),
        (status = 500, response = Internal),
    )
)]
async fn read(
    State(service): State<Service>,
    Provider(provider): Provider,
    Path(id): Path<FilingId>,
) -> Result<Json<FilingView>, ApiError> {
    let view = service.filing_view(&provider.id, &id).await?;
    view.map(Json).ok_or_else(|| ApiError::new(ProblemType::NotFound))
}

/// List this provider's filings, a page at a time.
///
/// Newest first (by `created_at`, then `id`, both descending): follow `next` until it is null.
/// Every filing that exists when the walk starts is listed exactly once, even while new filings
/// arrive (they sort before the pages already read).
#[utoipa::path(
    get,
    path = "/filings",
    operation_id = "listFilings",
    tag = "providers",
    security(("providerKey" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page, newest first; `next` continues it.", body = FilingList),
        (status = 401, response = Unauthorized),
        (status = 408, response = RequestTimeout),
        (status = 422, description = "A parameter is not acceptable (a limit outside 1..500, a cursor the server \
            did not give, an unknown state or province, a parameter given twice or not taken); `errors` names \
            each (`/limit`; `\"\"`, the whole query, for a parameter not taken).",
            body = protocol::Problem, content_type = "application/problem+json"),
        (status = 500, response = Internal),
    )
)]
async fn list(
    State(service): State<Service>,
    Provider(provider): Provider,
    RawQuery(query): RawQuery,
) -> Result<Json<FilingList>, ApiError> {
    let page = filing_list_query::parse(query.as_deref()).map_err(ApiError::invalid)?;
    let (filings, last) = service.list_filings(&provider.id, &page).await?;
    Ok(Json(FilingList { filings, next: last.as_ref().map(filing_list_query::cursor) }))
}

/// Resend one person's SMS.
#[utoipa::path(
    post,
    path = "/filings/{id}/verifications/{verification_id}/resend",
    operation_id = "providerResend",
    tag = "providers",
    security(("providerKey" = [])),
    params(
        ("id" = String, Path, description = "The filing's `id`."),
        ("verification_id" = String, Path, description = "The verification's `id` (`FilingView.verifications`)."),
    ),
    responses(
        (status = 200, description = "`sent`, `nothing_pending` or `limit_reached`.", body = ResendOutcome),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 408, response = RequestTimeout),
        (status = 429, description = "An SMS quota is full (the provider's, or the person's number per day); \
            `Retry-After` says when.", body = protocol::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again."))),
        (status = 500, response = Internal),
    )
)]
async fn resend(
    State(service): State<Service>,
    Provider(provider): Provider,
    Path((id, verification_id)): Path<(FilingId, VerificationId)>,
) -> Result<Json<ResendOutcome>, ApiError> {
    Ok(Json(service.resend_for_provider(&provider.id, &id, &verification_id).await?))
}
