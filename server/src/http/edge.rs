//! What every request passes through, outermost first: the client's `x-request-id` set aside and
//! ours made; a span and one response log line; the stalled-body and whole-request deadlines; a
//! panic turned into a 500 problem.

use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

use super::request_id::{self, ClientRequestId};
use super::{deadline, panic};
use crate::config::ServerSettings;

/// How long a request may take.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// Longest pause while the body arrives.
    pub body: Duration,
    /// From the headers to the answer.
    pub request: Duration,
}

impl Deadlines {
    pub fn from_settings(server: &ServerSettings) -> Deadlines {
        Deadlines { body: server.body_timeout(), request: server.request_timeout() }
    }
}

pub fn layers(router: Router, deadlines: Deadlines) -> Router {
    router
        .layer(CatchPanicLayer::custom(panic::answer))
        .layer(axum::middleware::from_fn_with_state(deadlines.request, deadline::within))
        .layer(RequestBodyTimeoutLayer::new(deadlines.body))
        .layer(TraceLayer::new_for_http().make_span_with(request_span).on_request(()).on_response(
            |response: &axum::response::Response, latency: Duration, _span: &tracing::Span| {
                tracing::info!(
                    status = response.status().as_u16(),
                    latency_ms = latency.as_millis() as u64,
                    "response"
                );
            },
        ))
        .layer(PropagateRequestIdLayer::new(request_id::HEADER.clone()))
        .layer(SetRequestIdLayer::new(request_id::HEADER.clone(), request_id::RandomId))
        .layer(axum::middleware::map_request(request_id::set_aside_clients_id))
}

/// Names the route template and the request ids, never the path (it may hold a link token).
fn request_span(request: &Request) -> tracing::Span {
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("static");
    let id = request.headers().get(&request_id::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        route,
        request_id = id,
        client_request_id = tracing::field::Empty
    );
    if let Some(ClientRequestId(theirs)) = request.extensions().get() {
        span.record("client_request_id", theirs.as_str());
    }
    span
}
