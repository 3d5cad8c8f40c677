//! Every HTTP call the SPA makes, and the few ways one can go wrong, as a person should hear them.
//!
//! Each call gives up after [`TIMEOUT_MS`]: on a bad mobile connection a request can hang for
//! minutes, and a person waiting on a spinner cannot tell that from a slow server.

use std::{cell::Cell, rc::Rc};

use gloo_net::http::{Request, RequestBuilder, Response};
use gloo_timers::callback::Timeout;
use protocol::{
    CheckOutcome, CheckRequest, FieldError, LinkCheckRequest, LinkLanding, Problem, ProblemType, ResendOutcome,
    ResendRequest, API_PREFIX,
};
use serde::{de::DeserializeOwned, Serialize};
use web_sys::{AbortController, AbortSignal};

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
    /// Any other problem the server answered with.
    Server(Problem),
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
            ApiError::Server(problem) => problem.title.clone(),
        }
    }

    /// Whether sending the same request again may help (the retry button).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Timeout | ApiError::Network => true,
            ApiError::Server(problem) => problem.status >= 500,
            _ => false,
        }
    }
}

/// `POST /api/v1/checks`: the manual form.
pub async fn check(request: CheckRequest) -> Result<CheckOutcome, ApiError> {
    post(&format!("{API_PREFIX}/checks"), &request).await
}

/// `GET /api/v1/links/{token}`: what a short link is about.
pub async fn link_landing(token: String) -> Result<LinkLanding, ApiError> {
    let token = checked_token(&token)?;
    exchange(|signal| Request::get(&format!("{API_PREFIX}/links/{token}")).abort_signal(signal).build()).await
}

/// `POST /api/v1/links/{token}/checks`: the short-link path, ID suffix only.
pub async fn link_check(token: String, request: LinkCheckRequest) -> Result<CheckOutcome, ApiError> {
    let token = checked_token(&token)?;
    post(&format!("{API_PREFIX}/links/{token}/checks"), &request).await
}

/// `POST /api/v1/resends`: a new SMS for a pending verification.
pub async fn resend(request: ResendRequest) -> Result<ResendOutcome, ApiError> {
    post(&format!("{API_PREFIX}/resends"), &request).await
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

async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    exchange(|signal| RequestBuilder::new(url).method(gloo_net::http::Method::POST).abort_signal(signal).json(body))
        .await
}

/// Sends the request built with an abort signal, reads the answer, and aborts both after the timeout.
async fn exchange<T: DeserializeOwned>(
    build: impl FnOnce(Option<&AbortSignal>) -> Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
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
    let request = build(signal.as_ref()).map_err(|_| ApiError::Network)?;
    let result = read(request).await;
    if timed_out.get() {
        return Err(ApiError::Timeout);
    }
    result
}

async fn read<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        // A 2xx we cannot read is a proxy or captive portal page, not our server.
        return response.json::<T>().await.map_err(|_| ApiError::Network);
    }
    Err(refusal(response).await)
}

/// Turns a non-2xx answer into an [`ApiError`], reading the problem body when there is one.
async fn refusal(response: Response) -> ApiError {
    let status = response.status();
    let header_wait = response.headers().get("retry-after").and_then(|value| value.trim().parse::<u64>().ok());
    let problem = response.json::<Problem>().await.ok();
    match status {
        422 => match problem {
            Some(problem) if !problem.errors.is_empty() => ApiError::Invalid(problem.errors),
            Some(problem) => ApiError::Server(problem),
            None => ApiError::Server(Problem::new(ProblemType::InvalidInput)),
        },
        429 => {
            let body_wait = problem.and_then(|problem| problem.retry_after_seconds);
            ApiError::RateLimited { retry_after: body_wait.or(header_wait).unwrap_or(DEFAULT_RETRY_AFTER).max(1) }
        }
        404 | 410 => ApiError::NotFound,
        _ => ApiError::Server(problem.unwrap_or_else(|| {
            let mut problem = Problem::new(ProblemType::Internal);
            problem.status = status;
            problem
        })),
    }
}
