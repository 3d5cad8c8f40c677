//! A provider sets (or removes) the URL its filing events are delivered to. The signing secret (a
//! Standard Webhooks `whsec_` secret, see `crate::webhook::signing`) is made by the service and shown once,
//! in the answer. The URL must be https and must not name a non-public
//! address (`crate::webhook::target`); names are checked again, resolved, at every delivery.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::put;
use axum::{Json, Router};
use protocol::{InvalidField, ProblemType};
use serde::{Deserialize, Serialize};

use super::auth::Provider;
use super::error::ApiError;
use super::extract::ApiJson;
use crate::service::Service;
use crate::webhook::{parse_callback_url, TargetPolicy};

pub fn router() -> Router<Service> {
    Router::new().route("/callback", put(set).delete(remove))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallbackRequest {
    url: String,
}

#[derive(Serialize)]
struct CallbackSet {
    url: String,
    /// The `whsec_…` secret that signs deliveries (`webhook-signature`); shown only here.
    secret: String,
}

async fn set(
    State(service): State<Service>,
    Provider(provider): Provider,
    ApiJson(request): ApiJson<CallbackRequest>,
) -> Result<Json<CallbackSet>, ApiError> {
    let policy = TargetPolicy::from_settings(&service.settings().jobs);
    let url = parse_callback_url(&request.url, policy).map_err(|e| {
        tracing::info!(provider_id = provider.id, refused = %e, "callback URL refused");
        ApiError::invalid(vec![InvalidField::new("/url", e.reason())])
    })?;
    // The provider authenticated just now: only a removal in between makes it unknown.
    let secret = service.set_callback(&provider.id, &url).await?.ok_or_else(|| ApiError::new(ProblemType::NotFound))?;
    Ok(Json(CallbackSet { url: url.to_string(), secret }))
}

async fn remove(State(service): State<Service>, Provider(provider): Provider) -> Result<StatusCode, ApiError> {
    if !service.remove_callback(&provider.id).await? {
        return Err(ApiError::new(ProblemType::NotFound));
    }
    Ok(StatusCode::NO_CONTENT)
}
