//! The one error body every endpoint answers with: RFC 9457 problem details.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use crate::FieldError;

/// The stable, machine-readable kinds of error. Clients branch on these, never on the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumIter)]
#[strum(serialize_all = "kebab-case", prefix = "/problems/")]
pub enum ProblemType {
    /// The body is not JSON, or not the JSON this endpoint takes (a missing field, a wrong type,
    /// an unknown field; `errors` names where when the body is JSON).
    MalformedBody,
    /// The JSON is well formed but a value is not acceptable; `errors` says which and why.
    InvalidInput,
    /// The body is larger than the server takes.
    BodyTooLarge,
    /// The body is not sent as `application/json`.
    UnsupportedMediaType,
    /// No provider API key, or one that is unknown, ended or revoked.
    Unauthorized,
    /// Nothing by that name (a provider sees only their own filings).
    NotFound,
    /// The path exists, but not with this method.
    MethodNotAllowed,
    /// An Idempotency-Key was reused with a different request.
    IdempotencyConflict,
    /// Too many attempts; `retry_after_seconds` says when to try again.
    RateLimited,
    /// The request (its body, or the whole of it) took longer than the server waits.
    RequestTimeout,
    /// Something failed on our side; the details are in the server's log, not here.
    Internal,
    /// The server cannot serve now (its database is out of reach); try again later.
    Unavailable,
}

impl ProblemType {
    /// The `type` URI reference of RFC 9457: `/problems/` and the kind in kebab case
    /// (`/problems/malformed-body`).
    pub fn uri(self) -> &'static str {
        self.into()
    }

    pub fn status(self) -> u16 {
        match self {
            ProblemType::MalformedBody => 400,
            ProblemType::InvalidInput => 422,
            ProblemType::BodyTooLarge => 413,
            ProblemType::UnsupportedMediaType => 415,
            ProblemType::Unauthorized => 401,
            ProblemType::NotFound => 404,
            ProblemType::MethodNotAllowed => 405,
            ProblemType::IdempotencyConflict => 409,
            ProblemType::RateLimited => 429,
            ProblemType::RequestTimeout => 408,
            ProblemType::Internal => 500,
            ProblemType::Unavailable => 503,
        }
    }

    /// A Chinese sentence a person can read.
    pub fn title(self) -> &'static str {
        match self {
            ProblemType::MalformedBody => "请求格式不正确。",
            ProblemType::InvalidInput => "填写的信息有误，请检查后重新提交。",
            ProblemType::BodyTooLarge => "请求内容过大。",
            ProblemType::UnsupportedMediaType => "请求内容类型应为 application/json。",
            ProblemType::Unauthorized => "缺少有效的接入商 API 密钥。",
            ProblemType::NotFound => "找不到请求的资源。",
            ProblemType::MethodNotAllowed => "不支持该请求方法。",
            ProblemType::IdempotencyConflict => "该 Idempotency-Key 已用于另一个不同的请求。",
            ProblemType::RateLimited => "尝试次数过多，请稍后再试。",
            ProblemType::RequestTimeout => "请求超时，请重试。",
            ProblemType::Internal => "系统繁忙，请稍后再试。",
            ProblemType::Unavailable => "服务暂时不可用，请稍后再试。",
        }
    }
}

/// `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    /// The stable kind, for clients that prefer a plain name to a URI.
    pub code: ProblemType,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Each refused value, by its place in the request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InvalidField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

/// One refused value and why, in Chinese. `field` is a JSON pointer (RFC 6901) into the request
/// body (`/phone`, `/websites/0/principal/mobile`), or `/<name>` for a query parameter (`/limit`).
/// A refusal that two values cause together (one phone number, two names) names both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvalidField {
    pub field: String,
    pub message: String,
}

impl InvalidField {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> InvalidField {
        InvalidField { field: field.into(), message: message.into() }
    }
}

impl From<FieldError> for InvalidField {
    fn from(error: FieldError) -> InvalidField {
        InvalidField { field: error.field.pointer().to_owned(), message: error.message }
    }
}

impl Problem {
    pub fn new(code: ProblemType) -> Problem {
        Problem {
            type_uri: code.uri().to_owned(),
            code,
            title: code.title().to_owned(),
            status: code.status(),
            detail: None,
            errors: Vec::new(),
            retry_after_seconds: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_errors(mut self, errors: Vec<InvalidField>) -> Problem {
        self.errors = errors;
        self
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Problem {
        self.retry_after_seconds = Some(seconds);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_uri_is_the_code_under_problems_in_kebab_case() {
        assert_eq!(ProblemType::MalformedBody.uri(), "/problems/malformed-body");
        for kind in [ProblemType::UnsupportedMediaType, ProblemType::RateLimited, ProblemType::Internal] {
            let code = serde_json::to_value(kind).unwrap();
            assert_eq!(kind.uri(), format!("/problems/{}", code.as_str().unwrap().replace('_', "-")));
        }
    }
}
