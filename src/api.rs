//! Every HTTP call the SPA makes, and the few ways one can go wrong, as a person should hear them.
//!
//! Each call gives up after [`TIMEOUT_MS`]: on a bad mobile connection a request can hang for
//! minutes, and a person waiting on a spinner cannot tell that from a slow server.

use std::{cell::Cell, future::Future, pin::Pin, rc::Rc};

use gloo_net::http::{Method, Request, RequestBuilder};
use gloo_timers::callback::Timeout;
use protocol::{
    CheckOutcome, CheckRequest, FieldError, LinkCheckRequest, LinkLanding, ProblemType, ResendOutcome, ResendRequest,
    Senders, API_PREFIX,
};
use web_sys::AbortController;

use crate::json::{self, object_of_strings, FromJson, ProblemBody};

/// How long a call may take, answer body included, before it is aborted.
pub const TIMEOUT_MS: u32 = 15_000;

/// The wait used when a 429 names none (neither `Retry-After` nor `retry_after_seconds`).
const DEFAULT_RETRY_AFTER: u64 = 30;

/// Why a call gave no answer of the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 422: the server refused these fields (its parsers are ours, so this is rare).
    Invalid(Vec<FieldError>),
    /// 429: too many tries; the server takes another after this many seconds.
    RateLimited { retry_after: u64 },
    /// 404 (or 410): nothing behind this address, e.g. an unknown short link.
    NotFound,
    /// No answer within [`TIMEOUT_MS`].
    Timeout,
    /// No answer at all: offline, connection reset, or an answer we could not read.
    Network,
    /// Any other problem the server answered with: its status and its Chinese title.
    Server { status: u16, title: String },
}

impl ApiError {
    /// What the person reads. Server-side problems use the server's own Chinese title.
    pub fn message(&self) -> String {
        match self {
            ApiError::Invalid(_) => ProblemType::InvalidInput.title().to_owned(),
            ApiError::RateLimited { retry_after } => {
                format!("{}请在{}秒后重新提交。", ProblemType::RateLimited.title(), retry_after)
            }
            ApiError::NotFound => ProblemType::NotFound.title().to_owned(),
            ApiError::Timeout => "网络响应超时，请检查网络连接后重试。".to_owned(),
            ApiError::Network => "网络连接失败，请检查网络连接后重试。".to_owned(),
            ApiError::Server { title, .. } => title.clone(),
        }
    }

    /// Whether sending the same request again may help (the retry button).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Timeout | ApiError::Network => true,
            ApiError::Server { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// `POST /api/v1/checks`: the manual form.
pub async fn check(request: CheckRequest) -> Result<CheckOutcome, ApiError> {
    let body =
        object_of_strings(&[("code", &request.code), ("phone", &request.phone), ("id_suffix", &request.id_suffix)]);
    decode(send(Method::POST, format!("{API_PREFIX}/checks"), Some(body)).await)
}

/// `GET /api/v1/links/{token}`: what a short link is about.
pub async fn link_landing(token: String) -> Result<LinkLanding, ApiError> {
    let token = checked_token(&token)?;
    decode(send(Method::GET, format!("{API_PREFIX}/links/{token}"), None).await)
}

/// `POST /api/v1/links/{token}/checks`: the short-link path, ID suffix only.
pub async fn link_check(token: String, request: LinkCheckRequest) -> Result<CheckOutcome, ApiError> {
    let token = checked_token(&token)?;
    let body = object_of_strings(&[("id_suffix", &request.id_suffix)]);
    decode(send(Method::POST, format!("{API_PREFIX}/links/{token}/checks"), Some(body)).await)
}

/// `POST /api/v1/resends`: a new SMS for a pending verification.
pub async fn resend(request: ResendRequest) -> Result<ResendOutcome, ApiError> {
    let body = object_of_strings(&[("phone", &request.phone), ("id_suffix", &request.id_suffix)]);
    decode(send(Method::POST, format!("{API_PREFIX}/resends"), Some(body)).await)
}

/// `GET /api/v1/senders`: the numbers the SMS come from, as the server is configured.
pub async fn senders() -> Result<Senders, ApiError> {
    decode(send(Method::GET, format!("{API_PREFIX}/senders"), None).await)
}

/// Tokens are URL-safe by construction; anything else cannot be one, and must not be able to
/// change the path it is put into.
fn checked_token(token: &str) -> Result<&str, ApiError> {
    let url_safe = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if !token.is_empty() && token.len() <= 128 && token.chars().all(url_safe) {
        Ok(token)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A 2xx body as `T`. A 2xx we cannot read is a proxy or captive portal page, not our server.
fn decode<T: FromJson>(body: Result<String, ApiError>) -> Result<T, ApiError> {
    json::decode(&body?).ok_or(ApiError::Network)
}

/// Sends one request and gives the body of a 2xx answer, or what went wrong. Boxed and not generic
/// on purpose: the one state machine is shared by every call instead of copied into each (wasm
/// size is a budget here).
fn send(method: Method, url: String, body: Option<String>) -> Pin<Box<dyn Future<Output = Result<String, ApiError>>>> {
    Box::pin(async move {
        let controller = AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        // Dropping the timer cancels it, so an answer in time leaves nothing behind.
        let _timer = controller.clone().map(|controller| {
            let timed_out = Rc::clone(&timed_out);
            Timeout::new(TIMEOUT_MS, move || {
                timed_out.set(true);
                controller.abort();
            })
        });
        let signal = controller.as_ref().map(AbortController::signal);
        let builder = RequestBuilder::new(&url).method(method).abort_signal(signal.as_ref());
        let request = match body {
            Some(body) => builder.header("content-type", "application/json").body(body),
            None => builder.build(),
        };
        let result = match request {
            Ok(request) => exchange(request).await,
            Err(_) => Err(ApiError::Network),
        };
        if timed_out.get() {
            return Err(ApiError::Timeout);
        }
        result
    })
}

async fn exchange(request: Request) -> Result<String, ApiError> {
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    let body = response.text().await.map_err(|_| ApiError::Network)?;
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(refusal(status, retry_after, &body))
    }
}

/// Turns a non-2xx answer into an [`ApiError`], reading the problem body when there is one.
fn refusal(status: u16, retry_after: Option<String>, body: &str) -> ApiError {
    let problem = json::decode::<ProblemBody>(body).unwrap_or_default();
    let title = |fallback: ProblemType| problem.title.clone().unwrap_or_else(|| fallback.title().to_owned());
    match status {
        422 if !problem.errors.is_empty() => ApiError::Invalid(problem.errors),
        429 => {
            let header_wait = retry_after.and_then(|value| value.trim().parse::<u64>().ok());
            let wait = problem.retry_after_seconds.or(header_wait).unwrap_or(DEFAULT_RETRY_AFTER);
            ApiError::RateLimited { retry_after: wait.max(1) }
        }
        404 | 410 => ApiError::NotFound,
        422 => ApiError::Server { status, title: title(ProblemType::InvalidInput) },
        _ => ApiError::Server { status, title: title(ProblemType::Internal) },
    }
}
