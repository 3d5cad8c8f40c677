//! A provider sets (or removes) the URL its filing events are delivered to. The signing secret (a
//! Standard Webhooks `whsec_` secret, see `crate::webhook::signing`) is made by the service and shown
//! once, in the answer. The URL must be https and must not name a non-public
//! address (`crate::webhook::target`); names are checked again, resolved, at every delivery.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use protocol::{InvalidField, ProblemType};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Provider;
use super::error::ApiError;
use super::extract::ApiJson;
use super::openapi::{Internal, JsonBodyErrors, NotFound, RequestTimeout, Unauthorized};
use crate::service::Service;
use crate::webhook::{parse_callback_url, TargetPolicy};

pub fn router() -> OpenApiRouter<Service> {
    OpenApiRouter::new().routes(routes!(set, remove))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct CallbackRequest {
    #[schema(schema_with = callback_url)]
    url: String,
}

/// What `parse_callback_url` takes on every deployment (white space at the ends, which it trims,
/// included: so no `format: uri`, which would refuse that): https, a host name (a name is checked when
/// each delivery resolves it; an address literal must be public, which no pattern can say, so the
/// document offers names only), an optional port, path and query. Development deployments
/// (`BEIAN_ALLOW_HTTP_CALLBACKS`, `BEIAN_ALLOW_PRIVATE_CALLBACKS`) take more.
const CALLBACK_URL: &str = concat!(
    r"^[\t\n\u000B\f\r ]*https://",
    // Labels of letters, digits and inner hyphens, none of them punycode (`xn--`, which must decode).
    r"(?:(?![Xx][Nn]--)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+",
    // The last one starts with a letter: a name, never an IPv4 address in another spelling.
    r"(?![Xx][Nn]--)[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
    r"(?::(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?",
    r"(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*)?",
    r"(?:\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?",
    r"[\t\n\u000B\f\r ]*$"
);

fn callback_url() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(CALLBACK_URL))
        .examples(["https://provider.example.com/beian/events"])
        .description(Some(
            "Where events are POSTed: https, without a user name or password, not naming a loopback, private, \
             link-local, unique-local, CGNAT, multicast, unspecified or reserved address. A host name is resolved \
             at every delivery and the delivery fails when any of its addresses is such an address.",
        ))
}

#[derive(Serialize, utoipa::ToSchema)]
struct CallbackSet {
    url: String,
    /// The `whsec_…` secret that signs deliveries (`webhook-signature`); shown only here.
    #[schema(pattern = "^whsec_[A-Za-z0-9+/]+={0,2}$")]
    secret: String,
}

/// Set where this provider's filing events are delivered.
///
/// Events (`filing.completed`, `filing.returned`) are POSTed as JSON, at least once, signed the
/// Standard Webhooks way (see `webhooks.filingEvent`): verify them with a `standardwebhooks`
/// library and the secret this call answers with, and drop duplicates by `webhook-id` (the event's
/// `id`, the same on every retry). Redirects are not followed. Setting the URL again makes a new
/// secret.
#[utoipa::path(
    put,
    path = "/callback",
    operation_id = "setCallback",
    tag = "providers",
    security(("providerKey" = [])),
    request_body = CallbackRequest,
    responses(
        (status = 200, description = "Set; the signing secret is shown only here.", body = CallbackSet),
        JsonBodyErrors,
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 422, description = "Not an https URL, a URL with a user name or password, or an address that \
            is not public; `errors[].field` is `/url`.", body = protocol::Problem,
            content_type = "application/problem+json"),
    )
)]
async fn set(
    State(service): State<Service>,
    Provider(provider): Provider,
    ApiJson(request): ApiJson<CallbackRequest>,
) -> Result<Json<CallbackSet>, ApiError> {
    let policy = TargetPolicy::from_settings(&service.settings().jobs);
    let url = parse_callback_url(&request.url, policy).map_err(|e| {
        tracing::info!(provider_id = %provider.id, refused = %e, "callback URL refused");
        ApiError::invalid(vec![InvalidField::new("/url", e.reason())])
    })?;
    // The provider authenticated just now: only a removal in between makes it unknown.
    let secret = service.set_callback(&provider.id, &url).await?.ok_or_else(|| ApiError::new(ProblemType::NotFound))?;
    Ok(Json(CallbackSet { url: url.to_string(), secret }))
}

/// Stop delivering events.
#[utoipa::path(
    delete,
    path = "/callback",
    operation_id = "removeCallback",
    tag = "providers",
    security(("providerKey" = [])),
    responses(
        (status = 204, description = "Removed; no more deliveries."),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 408, response = RequestTimeout),
        (status = 500, response = Internal),
    )
)]
async fn remove(State(service): State<Service>, Provider(provider): Provider) -> Result<StatusCode, ApiError> {
    if !service.remove_callback(&provider.id).await? {
        return Err(ApiError::new(ProblemType::NotFound));
    }
    Ok(StatusCode::NO_CONTENT)
}
