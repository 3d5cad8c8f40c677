//! The whole-request deadline: from the request's headers to its answer, body reading included.
//! (Headers have their own deadline in `serve`, a stalled body its own in `edge`.)

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use protocol::ProblemType;

use super::error::ApiError;

pub async fn within(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_secs = limit.as_secs(), "request took too long; answered 408");
            ApiError::new(ProblemType::RequestTimeout).into_response()
        }
    }
}
