//! What every SMS gateway does: take one composed SMS and say whether it was accepted.
//!
//! The trait returns a boxed future instead of using `async fn`, so it stays object-safe
//! (`Arc<dyn SmsGateway>`) without the `async-trait` crate.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use protocol::Phone;

use super::carrier::Carrier;

/// One SMS ready to go, as the outbox dispatcher hands it to a gateway.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingSms {
    /// The outbox row's id: the gateway's idempotency key, so a retry never sends twice.
    pub id: String,
    pub to: Phone,
    pub carrier: Carrier,
    /// The sender number for `carrier`.
    pub sender: String,
    /// The whole text, link and code included.
    pub text: String,
    /// The link inside `text`, for the development gateway's log.
    pub link: String,
    /// The code inside `text`, for the development gateway's log.
    pub code: String,
}

/// Never print the text, link or code by accident.
impl fmt::Debug for OutgoingSms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingSms")
            .field("id", &self.id)
            .field("to", &self.to.masked())
            .field("carrier", &self.carrier)
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

/// A gateway accepted the SMS (accepted for delivery, not yet delivered to the phone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatewayReceipt {
    /// The gateway's own id for the message, when it gives one.
    pub gateway_id: Option<String>,
}

/// Why a gateway did not accept an SMS. [`GatewayError::is_retryable`] tells the dispatcher
/// whether to try again later or to give up and mark the SMS failed.
/// Never carries the SMS text or the gateway's answer body (either may echo the code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    #[error("the SMS gateway did not answer in time")]
    Timeout,
    #[error("could not reach the SMS gateway: {0}")]
    Connection(String),
    #[error("the SMS gateway failed with HTTP {0}")]
    ServerError(u16),
    #[error("the SMS gateway is throttling us (HTTP {0})")]
    Throttled(u16),
    #[error("the SMS gateway refused the message with HTTP {0}")]
    Rejected(u16),
    #[error("the SMS gateway answered with unexpected HTTP {0}")]
    UnexpectedStatus(u16),
    #[error("the development gateway could not write its log: {0}")]
    Io(String),
}

impl GatewayError {
    /// Timeouts, connection failures, 5xx, 408/429 and local I/O may pass; a 4xx refusal will not.
    pub fn is_retryable(&self) -> bool {
        match self {
            GatewayError::Timeout
            | GatewayError::Connection(_)
            | GatewayError::ServerError(_)
            | GatewayError::Throttled(_)
            | GatewayError::Io(_) => true,
            GatewayError::Rejected(_) | GatewayError::UnexpectedStatus(_) => false,
        }
    }
}

/// The future a gateway's `send` returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<GatewayReceipt, GatewayError>> + Send + 'a>>;

/// Something that can send an SMS: the console gateway in development, an HTTP gateway in
/// production, a fake in tests.
pub trait SmsGateway: Send + Sync {
    /// Hands one SMS to the gateway. Must be safe to call again with the same `sms.id` after an
    /// error (a retry), which is why the id travels with it.
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> SendFuture<'a>;

    /// A short name for logs and metrics (`console`, `http`).
    fn name(&self) -> &'static str;
}

#[cfg(test)]
pub(crate) fn sample_sms() -> OutgoingSms {
    OutgoingSms {
        id: "outbox-1".into(),
        to: Phone::parse("13800138000").unwrap(),
        carrier: Carrier::ChinaMobile,
        sender: "106575000130".into(),
        text: "验证码482913 https://beian.example.cn/v/k3J9xQ2mW7pL4vNa\n@beian.example.cn #482913".into(),
        link: "https://beian.example.cn/v/k3J9xQ2mW7pL4vNa".into(),
        code: "482913".into(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    struct Accepting;

    impl SmsGateway for Accepting {
        fn send<'a>(&'a self, sms: &'a OutgoingSms) -> SendFuture<'a> {
            Box::pin(async move { Ok(GatewayReceipt { gateway_id: Some(sms.id.clone()) }) })
        }
        fn name(&self) -> &'static str {
            "accepting"
        }
    }

    #[tokio::test]
    async fn a_gateway_works_behind_an_arc_dyn() {
        let gateway: Arc<dyn SmsGateway> = Arc::new(Accepting);
        let receipt = gateway.send(&sample_sms()).await.unwrap();
        assert_eq!(receipt.gateway_id.as_deref(), Some("outbox-1"));
        assert_eq!(gateway.name(), "accepting");
    }

    #[test]
    fn debug_output_hides_the_code_link_and_number() {
        let shown = format!("{:?}", sample_sms());
        assert!(!shown.contains("482913") && !shown.contains("k3J9") && !shown.contains("13800138000"), "{shown}");
    }

    #[test]
    fn only_refusals_are_permanent() {
        let retryable = [
            GatewayError::Timeout,
            GatewayError::Connection("refused".into()),
            GatewayError::ServerError(503),
            GatewayError::Throttled(429),
            GatewayError::Io("disk full".into()),
        ];
        assert!(retryable.iter().all(GatewayError::is_retryable));
        assert!(!GatewayError::Rejected(400).is_retryable());
        assert!(!GatewayError::UnexpectedStatus(302).is_retryable());
    }
}
