//! The one error type of the HTTP edge. Every error leaves as `application/problem+json`; a 5xx
//! body is opaque and the cause is logged here, once.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use protocol::{FieldError, InvalidField, Problem, ProblemType};

use crate::service::ServiceError;
use crate::store::StoreError;

#[derive(Debug)]
pub struct ApiError(pub Problem);

impl ApiError {
    pub fn new(kind: ProblemType) -> ApiError {
        ApiError(Problem::new(kind))
    }

    /// A person's form refused, field by field.
    pub fn fields(errors: Vec<FieldError>) -> ApiError {
        ApiError::invalid(errors.into_iter().map(InvalidField::from).collect())
    }

    /// A 422 naming each refused value by its JSON pointer.
    pub fn invalid(errors: Vec<InvalidField>) -> ApiError {
        ApiError(Problem::new(ProblemType::InvalidInput).with_errors(errors))
    }

    pub fn detail(kind: ProblemType, detail: impl Into<String>) -> ApiError {
        ApiError(Problem::new(kind).with_detail(detail))
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        match error {
            ServiceError::InvalidFiling(errors) => ApiError::invalid(errors),
            // Rules over several values: every value involved is named, with the one reason.
            ServiceError::Plan(e) => {
                let errors = e.fields().into_iter().map(|field| InvalidField::new(field, e.to_string())).collect();
                ApiError(Problem::new(ProblemType::InvalidInput).with_detail(e.to_string()).with_errors(errors))
            }
            ServiceError::NotFound => ApiError::new(ProblemType::NotFound),
            ServiceError::IdempotencyConflict => ApiError::new(ProblemType::IdempotencyConflict),
            ServiceError::RateLimited { retry_after_seconds } => {
                ApiError(Problem::new(ProblemType::RateLimited).with_retry_after(retry_after_seconds))
            }
            // 429, not 422: the request is valid and is accepted once the window has room;
            // `errors` still names the mobile fields when a person's number is the cause.
            ServiceError::SmsQuota { quota, retry_after_seconds, fields, .. } => ApiError(
                Problem::new(ProblemType::RateLimited)
                    .with_detail(quota.detail())
                    .with_errors(fields)
                    .with_retry_after(retry_after_seconds),
            ),
            ServiceError::Store(e) => {
                tracing::error!(error = %e, "request failed in storage");
                ApiError::new(ProblemType::Internal)
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ServiceError::Store(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = self.0;
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = problem.retry_after_seconds;
        let body = serde_json::to_vec(&problem).expect("problems serialise");
        let mut response =
            (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"))], body)
                .into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
