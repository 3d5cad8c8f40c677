//! One delivery attempt of a webhook event: a signed POST with a timeout, to a public address
//! only (see [`super::target`]). Whether and when to try again is the dispatcher's call, guided
//! by [`DeliveryError::retryable`].

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use reqwest::{redirect, Client, StatusCode, Url};
use time::OffsetDateTime;

use super::event::WebhookEvent;
use super::signing::{sign, SigningKey, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use super::target::{check_url, refused_address, PublicResolver, TargetPolicy};
use crate::domain::EventId;

/// How long one delivery may take with [`WebhookClient`], unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A delivery that did not get a 2xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("webhook delivery failed ({}): {reason}", if *.retryable { "will retry" } else { "permanent" })]
pub struct DeliveryError {
    /// Timeouts, connection failures, 5xx, 408 and 429 may pass later; other answers will not.
    pub retryable: bool,
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    /// For the log; never the body sent or received, nor the URL (its query may hold a key).
    pub reason: String,
}

/// An HTTP client fit for webhooks: every request times out, redirects are not followed (a
/// signed POST must reach the URL the provider registered, or fail), no proxy from the
/// environment is used (it would resolve names where we cannot check them), and every name is
/// resolved through [`PublicResolver`].
#[derive(Clone)]
pub struct WebhookClient {
    http: Client,
    policy: TargetPolicy,
}

impl WebhookClient {
    pub fn new(timeout: Duration, policy: TargetPolicy) -> Result<WebhookClient, reqwest::Error> {
        let http = Client::builder()
            .timeout(timeout)
            .redirect(redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(PublicResolver { policy }))
            .user_agent(concat!("beian-verify-webhook/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(WebhookClient { http, policy })
    }
}

/// POSTs `event` to `url`, signed with `key`, within the client's timeout.
pub async fn deliver(
    client: &WebhookClient,
    url: &str,
    key: &SigningKey,
    event: &WebhookEvent,
) -> Result<(), DeliveryError> {
    post(client, url, key, event.id.as_str(), &event.to_json(), None).await
}

/// As [`deliver`], with this attempt's own timeout instead of the client's.
pub async fn deliver_with_timeout(
    client: &WebhookClient,
    url: &str,
    key: &SigningKey,
    event: &WebhookEvent,
    timeout: Duration,
) -> Result<(), DeliveryError> {
    post(client, url, key, event.id.as_str(), &event.to_json(), Some(timeout)).await
}

/// As [`deliver`], sending an event's stored JSON byte for byte (what [`WebhookEvent::to_json`]
/// gave when it was queued) under its event id, so every retry carries exactly the same message.
pub async fn deliver_body(
    client: &WebhookClient,
    url: &str,
    key: &SigningKey,
    event_id: &EventId,
    body: &[u8],
) -> Result<(), DeliveryError> {
    post(client, url, key, event_id.as_str(), body, None).await
}

async fn post(
    client: &WebhookClient,
    url: &str,
    key: &SigningKey,
    event_id: &str,
    body: &[u8],
    timeout: Option<Duration>,
) -> Result<(), DeliveryError> {
    let url = Url::parse(url).map_err(|_| permanent("the webhook URL is not usable".to_owned()))?;
    check_url(&url, client.policy).map_err(|e| permanent(format!("the webhook URL is refused: {e}")))?;
    let timestamp = OffsetDateTime::now_utc().unix_timestamp();
    let signature = sign(key, event_id, timestamp, body);
    let mut request = client
        .http
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header(ID_HEADER, event_id)
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(SIGNATURE_HEADER, signature)
        .body(body.to_vec());
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let retryable =
        status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS;
    Err(DeliveryError {
        retryable,
        status: Some(status.as_u16()),
        reason: format!("the receiver answered HTTP {status}"),
    })
}

fn permanent(reason: String) -> DeliveryError {
    DeliveryError { retryable: false, status: None, reason }
}

fn transport_error(error: reqwest::Error) -> DeliveryError {
    let (retryable, reason) = if let Some(refused) = refused_address(&error) {
        (false, refused.to_string())
    } else if error.is_builder() {
        (false, "the webhook URL is not usable".to_owned())
    } else if error.is_timeout() {
        (true, "the receiver did not answer in time".to_owned())
    } else {
        // Without the URL: a provider may have put a key in its query.
        (true, format!("could not reach the receiver: {}", error.without_url()))
    };
    DeliveryError { retryable, status: None, reason }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};

    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use axum::Router;
    use protocol::ReturnReason;

    use super::super::signing::{verify, SignedHeaders, DEFAULT_TOLERANCE_SECONDS};
    use super::*;

    const SECRET: &str = "whsec_cHJvdmlkZXItNy13ZWJob29rLXNlY3JldA==";

    fn key() -> SigningKey {
        SigningKey::from_secret(SECRET)
    }

    /// These receivers listen on loopback over http: the development settings.
    fn dev_client(timeout: Duration) -> WebhookClient {
        WebhookClient::new(timeout, TargetPolicy { allow_http: true, allow_private: true }).unwrap()
    }

    /// A provider's endpoint done right: verify the signature before trusting the body.
    async fn receiver(
        State(received): State<Arc<Mutex<Vec<WebhookEvent>>>>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(id), Some(timestamp), Some(signature)) =
            (header(ID_HEADER), header(TIMESTAMP_HEADER), header(SIGNATURE_HEADER))
        else {
            return StatusCode::BAD_REQUEST;
        };
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let signed = SignedHeaders { id, timestamp, signature };
        if verify(&key(), signed, &body, now, DEFAULT_TOLERANCE_SECONDS).is_err() {
            return StatusCode::UNAUTHORIZED;
        }
        received.lock().unwrap().push(serde_json::from_slice(&body).unwrap());
        StatusCode::NO_CONTENT
    }

    async fn serve(app: Router) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    }

    fn event() -> WebhookEvent {
        WebhookEvent::returned(
            crate::domain::FilingId::new("f-9"),
            Some("A-17".into()),
            ReturnReason::Expired,
            OffsetDateTime::now_utc(),
        )
    }

    #[tokio::test]
    async fn a_receiver_verifies_and_accepts_a_delivery() {
        let received = Arc::new(Mutex::new(Vec::new()));
        let addr = serve(Router::new().route("/hook", post(receiver)).with_state(received.clone())).await;
        let event = event();
        deliver(&dev_client(DEFAULT_TIMEOUT), &format!("http://{addr}/hook"), &key(), &event).await.unwrap();
        let received = received.lock().unwrap();
        assert_eq!(received.as_slice(), [event]);
    }

    #[tokio::test]
    async fn a_receiver_with_another_secret_refuses_permanently() {
        let received = Arc::new(Mutex::new(Vec::new()));
        let addr = serve(Router::new().route("/hook", post(receiver)).with_state(received.clone())).await;
        let error = deliver(
            &dev_client(DEFAULT_TIMEOUT),
            &format!("http://{addr}/hook"),
            &SigningKey::from_secret("whsec_c3RhbGU="),
            &event(),
        )
        .await
        .unwrap_err();
        assert_eq!(error.status, Some(401));
        assert!(!error.retryable);
        assert!(received.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn server_errors_and_throttling_are_retryable_other_refusals_are_not() {
        let cases = [
            (StatusCode::INTERNAL_SERVER_ERROR, true),
            (StatusCode::SERVICE_UNAVAILABLE, true),
            (StatusCode::TOO_MANY_REQUESTS, true),
            (StatusCode::REQUEST_TIMEOUT, true),
            (StatusCode::BAD_REQUEST, false),
            (StatusCode::NOT_FOUND, false),
            (StatusCode::MOVED_PERMANENTLY, false),
        ];
        for (status, retryable) in cases {
            let addr = serve(Router::new().route("/hook", post(move || async move { status }))).await;
            let error = deliver(&dev_client(DEFAULT_TIMEOUT), &format!("http://{addr}/hook"), &key(), &event())
                .await
                .unwrap_err();
            assert_eq!((error.retryable, error.status), (retryable, Some(status.as_u16())), "{status}");
        }
    }

    #[tokio::test]
    async fn a_receiver_that_hangs_times_out_as_retryable() {
        let addr = serve(Router::new().route(
            "/hook",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                StatusCode::OK
            }),
        ))
        .await;
        let url = format!("http://{addr}/hook");
        let short = dev_client(Duration::from_millis(200));
        let error = deliver(&short, &url, &key(), &event()).await.unwrap_err();
        assert!(error.retryable && error.status.is_none(), "{error:?}");

        let patient = dev_client(DEFAULT_TIMEOUT);
        let started = std::time::Instant::now();
        let error =
            deliver_with_timeout(&patient, &url, &key(), &event(), Duration::from_millis(200)).await.unwrap_err();
        assert!(error.retryable && error.status.is_none(), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_stored_body_is_sent_byte_for_byte() {
        let received = Arc::new(Mutex::new(Vec::new()));
        let addr = serve(Router::new().route("/hook", post(receiver)).with_state(received.clone())).await;
        let event = event();
        let stored = String::from_utf8(event.to_json()).unwrap();
        let url = format!("http://{addr}/hook");
        deliver_body(&dev_client(DEFAULT_TIMEOUT), &url, &key(), &event.id, stored.as_bytes()).await.unwrap();
        assert_eq!(received.lock().unwrap().as_slice(), [event]);
    }

    #[tokio::test]
    async fn an_unusable_url_is_permanent() {
        let error = deliver(&dev_client(DEFAULT_TIMEOUT), "not a url", &key(), &event()).await.unwrap_err();
        assert!(!error.retryable, "{error:?}");
    }

    #[tokio::test]
    async fn an_unreachable_receiver_is_retryable() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let error =
            deliver(&dev_client(DEFAULT_TIMEOUT), &format!("http://{addr}/hook"), &key(), &event()).await.unwrap_err();
        assert!(error.retryable && error.status.is_none(), "{error:?}");
    }

    #[tokio::test]
    async fn a_redirect_is_not_followed_and_fails_permanently() {
        let hits = Arc::new(Mutex::new(Vec::new()));
        let seen = hits.clone();
        let target = serve(Router::new().route(
            "/inside",
            post(move || {
                seen.lock().unwrap().push(());
                async { StatusCode::OK }
            }),
        ))
        .await;
        let location = format!("http://{target}/inside");
        let addr = serve(Router::new().route(
            "/hook",
            post(move || {
                let location = location.clone();
                async move { (StatusCode::TEMPORARY_REDIRECT, [(axum::http::header::LOCATION, location)]) }
            }),
        ))
        .await;
        let error =
            deliver(&dev_client(DEFAULT_TIMEOUT), &format!("http://{addr}/hook"), &key(), &event()).await.unwrap_err();
        assert_eq!((error.status, error.retryable), (Some(307), false));
        assert!(hits.lock().unwrap().is_empty(), "the redirect target was called");
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused_permanently_and_the_receiver_gets_nothing() {
        let received = Arc::new(Mutex::new(Vec::new()));
        let addr = serve(Router::new().route("/hook", post(receiver)).with_state(received.clone())).await;
        let strict =
            WebhookClient::new(DEFAULT_TIMEOUT, TargetPolicy { allow_http: true, allow_private: false }).unwrap();
        for url in [format!("http://localhost:{}/hook", addr.port()), format!("http://{addr}/hook")] {
            let error = deliver(&strict, &url, &key(), &event()).await.unwrap_err();
            assert!(!error.retryable && error.reason.contains("loopback"), "{url}: {error:?}");
            assert!(!error.reason.contains("/hook"), "the reason carries the URL: {error:?}");
        }
        assert!(received.lock().unwrap().is_empty());
    }
}
