//! Extractors whose rejections are our problem bodies, not axum's plain text.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use protocol::ProblemType;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// `Json<T>` whose malformed, mistyped, unknown-field, oversized or non-JSON bodies answer with
/// a problem (400 / 413 / 415) and change nothing.
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
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(ProblemType::UnsupportedMediaType),
        JsonRejection::JsonDataError(e) => ApiError::detail(ProblemType::MalformedBody, e.body_text()),
        JsonRejection::JsonSyntaxError(e) => ApiError::detail(ProblemType::MalformedBody, e.body_text()),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(ProblemType::BodyTooLarge),
        other => ApiError::detail(ProblemType::MalformedBody, other.body_text()),
    }
}

/// The client's address, for per-client limits.
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientAddr(addr))
    }
}
