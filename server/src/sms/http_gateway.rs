//! The production SMS gateway: POSTs each SMS as JSON to the operator's SMS provider (or their
//! own relay in front of the carriers' platforms).
//!
//! Request: `POST <url>` with `{"id", "to", "sender", "carrier", "text"}`, `Idempotency-Key: <id>`
//! and, when configured, `Authorization: Bearer <token>`. Any 2xx means accepted (a JSON body
//! with an `"id"` is kept as the gateway's message id); 5xx, 408, 429, a timeout or a
//! connection failure may pass on a retry; any other 4xx is a refusal that will not.

use std::fmt;
use std::time::Duration;

use reqwest::{redirect, Client, StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::carrier::Carrier;
use super::gateway::{GatewayError, GatewayReceipt, OutgoingSms, SendFuture, SmsGateway};

/// How long one request may take, connection included, unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct HttpGatewayConfig {
    pub url: Url,
    pub timeout: Duration,
    pub bearer_token: Option<SecretString>,
}

impl HttpGatewayConfig {
    /// [`DEFAULT_TIMEOUT`] and no token.
    pub fn new(url: Url) -> HttpGatewayConfig {
        HttpGatewayConfig { url, timeout: DEFAULT_TIMEOUT, bearer_token: None }
    }
}

/// The HTTP client could not be built (for instance, no TLS backend).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the SMS gateway's HTTP client: {0}")]
pub struct ClientBuildError(#[from] reqwest::Error);

#[derive(Debug, Serialize)]
struct Request<'a> {
    id: &'a str,
    to: &'a str,
    sender: &'a str,
    carrier: Carrier,
    text: &'a str,
}

#[derive(Debug, Default, Deserialize)]
struct Accepted {
    #[serde(default)]
    id: Option<String>,
}

#[derive(Clone)]
pub struct HttpGateway {
    client: Client,
    config: HttpGatewayConfig,
}

impl fmt::Debug for HttpGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpGateway").field("config", &self.config).finish_non_exhaustive()
    }
}

impl HttpGateway {
    pub fn new(config: HttpGatewayConfig) -> Result<HttpGateway, ClientBuildError> {
        let client = Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            // A redirected POST is either a misconfiguration or an attack: never follow one.
            .redirect(redirect::Policy::none())
            .build()?;
        Ok(HttpGateway { client, config })
    }

    async fn post(&self, sms: &OutgoingSms) -> Result<GatewayReceipt, GatewayError> {
        let body =
            Request { id: &sms.id, to: sms.to.as_str(), sender: &sms.sender, carrier: sms.carrier, text: &sms.text };
        let mut request = self.client.post(self.config.url.clone()).header("Idempotency-Key", &sms.id).json(&body);
        if let Some(token) = &self.config.bearer_token {
            request = request.bearer_auth(token.expose_secret());
        }
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        if status.is_success() {
            // Accepted whatever the body says; an unreadable body only loses the gateway's id.
            let accepted = response
                .bytes()
                .await
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Accepted>(&bytes).ok())
                .unwrap_or_default();
            return Ok(GatewayReceipt { gateway_id: accepted.id });
        }
        // The answer's body is not kept: a gateway may echo the text, and with it the code.
        Err(status_error(status))
    }
}

fn status_error(status: StatusCode) -> GatewayError {
    let code = status.as_u16();
    match status {
        StatusCode::REQUEST_TIMEOUT => GatewayError::Timeout,
        StatusCode::TOO_MANY_REQUESTS => GatewayError::Throttled(code),
        s if s.is_server_error() => GatewayError::ServerError(code),
        s if s.is_client_error() => GatewayError::Rejected(code),
        _ => GatewayError::UnexpectedStatus(code),
    }
}

fn transport_error(error: reqwest::Error) -> GatewayError {
    if error.is_timeout() {
        GatewayError::Timeout
    } else {
        // Without the URL: it may carry a key in its query.
        GatewayError::Connection(error.without_url().to_string())
    }
}

impl SmsGateway for HttpGateway {
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> SendFuture<'a> {
        Box::pin(self.post(sms))
    }

    fn name(&self) -> &'static str {
        "http"
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use axum::{Json, Router};

    use super::super::gateway::sample_sms;
    use super::*;

    #[derive(Default)]
    struct Stub {
        failures_left: AtomicUsize,
        requests: Mutex<Vec<(HeaderMap, serde_json::Value)>>,
    }

    async fn flaky(
        State(stub): State<Arc<Stub>>,
        headers: HeaderMap,
        Json(body): Json<serde_json::Value>,
    ) -> (StatusCode, Json<serde_json::Value>) {
        stub.requests.lock().unwrap().push((headers, body));
        let failing = stub.failures_left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
        if failing {
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"error": "busy"})))
        } else {
            (StatusCode::ACCEPTED, Json(serde_json::json!({"id": "gw-42"})))
        }
    }

    async fn serve(app: Router) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    }

    fn gateway(addr: SocketAddr, timeout: Duration, token: Option<&str>) -> HttpGateway {
        HttpGateway::new(HttpGatewayConfig {
            url: format!("http://{addr}/sms").parse().unwrap(),
            timeout,
            bearer_token: token.map(SecretString::from),
        })
        .unwrap()
    }

    async fn answering(status: StatusCode) -> SocketAddr {
        serve(Router::new().route("/sms", post(move || async move { status }))).await
    }

    #[tokio::test]
    async fn service_unavailable_is_retryable_until_the_gateway_accepts() {
        let stub = Arc::new(Stub { failures_left: AtomicUsize::new(2), ..Stub::default() });
        let addr = serve(Router::new().route("/sms", post(flaky)).with_state(stub.clone())).await;
        let gateway = gateway(addr, Duration::from_secs(5), Some("s3cret"));
        let sms = sample_sms();

        for _ in 0..2 {
            let error = gateway.send(&sms).await.unwrap_err();
            assert_eq!(error, GatewayError::ServerError(503));
            assert!(error.is_retryable());
        }
        let receipt = gateway.send(&sms).await.unwrap();
        assert_eq!(receipt.gateway_id.as_deref(), Some("gw-42"));

        let requests = stub.requests.lock().unwrap();
        assert_eq!(requests.len(), 3);
        let (headers, body) = &requests[2];
        assert_eq!(headers["authorization"], "Bearer s3cret");
        assert_eq!(headers["idempotency-key"], "outbox-1");
        assert_eq!(
            body,
            &serde_json::json!({
                "id": "outbox-1",
                "to": "13800138000",
                "sender": "106575000130",
                "carrier": "china_mobile",
                "text": sms.text,
            })
        );
    }

    #[tokio::test]
    async fn a_gateway_that_hangs_times_out_as_retryable() {
        let addr = serve(Router::new().route(
            "/sms",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                StatusCode::OK
            }),
        ))
        .await;
        let started = std::time::Instant::now();
        let error = gateway(addr, Duration::from_millis(200), None).send(&sample_sms()).await.unwrap_err();
        assert_eq!(error, GatewayError::Timeout);
        assert!(error.is_retryable());
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_bad_request_is_permanent() {
        let addr = answering(StatusCode::BAD_REQUEST).await;
        let error = gateway(addr, Duration::from_secs(5), None).send(&sample_sms()).await.unwrap_err();
        assert_eq!(error, GatewayError::Rejected(400));
        assert!(!error.is_retryable());
    }

    #[tokio::test]
    async fn statuses_map_to_retryable_or_permanent() {
        let cases = [
            (StatusCode::OK, None),
            (StatusCode::NO_CONTENT, None),
            (StatusCode::INTERNAL_SERVER_ERROR, Some(true)),
            (StatusCode::BAD_GATEWAY, Some(true)),
            (StatusCode::TOO_MANY_REQUESTS, Some(true)),
            (StatusCode::REQUEST_TIMEOUT, Some(true)),
            (StatusCode::UNAUTHORIZED, Some(false)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(false)),
            (StatusCode::FOUND, Some(false)),
        ];
        for (status, retryable) in cases {
            let addr = answering(status).await;
            let result = gateway(addr, Duration::from_secs(5), None).send(&sample_sms()).await;
            match retryable {
                None => assert_eq!(result, Ok(GatewayReceipt { gateway_id: None }), "{status}"),
                Some(retryable) => {
                    assert_eq!(result.unwrap_err().is_retryable(), retryable, "{status}")
                }
            }
        }
    }

    #[tokio::test]
    async fn an_unreachable_gateway_is_retryable() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let error = gateway(addr, Duration::from_secs(2), None).send(&sample_sms()).await.unwrap_err();
        assert!(matches!(error, GatewayError::Connection(_)), "{error:?}");
        assert!(error.is_retryable());
    }

    #[test]
    fn debug_output_hides_the_token() {
        let config = HttpGatewayConfig {
            bearer_token: Some("s3cret".into()),
            ..HttpGatewayConfig::new("https://sms.example.cn/send".parse().unwrap())
        };
        assert_eq!(config.timeout, Duration::from_secs(10));
        assert!(!format!("{config:?}").contains("s3cret"));
    }
}
