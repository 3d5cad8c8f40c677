//! Extractors whose rejections are our problem bodies, not axum's plain text.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use protocol::ProblemType;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// `Json<T>` whose malformed, mistyped, unknown-field, oversized or non-JSON bodies answer with
/// a problem (400 / 413 / 415; 408 when the body stopped arriving) and change nothing.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    if body_timed_out(&rejection) {
        return ApiError::new(ProblemType::RequestTimeout);
    }
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(ProblemType::UnsupportedMediaType),
        JsonRejection::JsonDataError(e) => ApiError::detail(ProblemType::MalformedBody, e.body_text()),
        JsonRejection::JsonSyntaxError(e) => ApiError::detail(ProblemType::MalformedBody, e.body_text()),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(ProblemType::BodyTooLarge),
        other => ApiError::detail(ProblemType::MalformedBody, other.body_text()),
    }
}

/// The body's deadline (`RequestBodyTimeoutLayer`) passed while it was being read.
fn body_timed_out(rejection: &JsonRejection) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = cause {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = error.source();
    }
    false
}
