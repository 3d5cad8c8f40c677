//! Extractors whose rejections are our problem bodies, not axum's plain text.

use axum::extract::rejection::{JsonDataError, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use protocol::{Problem, ProblemType};
use serde::de::DeserializeOwned;

use super::body_path;
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
        JsonRejection::JsonDataError(e) => data_error(&e),
        JsonRejection::JsonSyntaxError(e) => ApiError::detail(ProblemType::MalformedBody, e.body_text()),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(ProblemType::BodyTooLarge),
        other => ApiError::detail(ProblemType::MalformedBody, other.body_text()),
    }
}

/// JSON, but not the JSON this endpoint takes: the problem also names where, as `errors[].field`.
fn data_error(rejection: &JsonDataError) -> ApiError {
    let problem = Problem::new(ProblemType::MalformedBody).with_detail(rejection.body_text());
    match source_of::<serde_path_to_error::Error<serde_json::Error>>(rejection) {
        Some(error) => ApiError(problem.with_errors(vec![body_path::invalid_field(error)])),
        None => ApiError(problem),
    }
}

fn source_of<'a, E: std::error::Error + 'static>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a E> {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(found) = error.downcast_ref::<E>() {
            return Some(found);
        }
        cause = error.source();
    }
    None
}

/// The body's deadline (`RequestBodyTimeoutLayer`) passed while it was being read.
fn body_timed_out(rejection: &JsonRejection) -> bool {
    source_of::<tower_http::timeout::TimeoutError>(rejection).is_some()
}
