//! The application's use cases, between the HTTP edge and the store: submit a filing, check,
//! resend, expire. Each decides with the pure domain rules and writes through the store in one
//! transaction.

mod check;
mod events;
mod expiry;
mod keys;
mod limits;
mod outgoing;
mod providers;
mod reads;
mod resend;
mod sms_quota;
mod submit;

use std::sync::Arc;

pub use keys::RotatedKey;
pub use limits::Limited;
pub use outgoing::SmsPayload;
pub use sms_quota::SmsQuota;

use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::{InvalidField, PlanError, Rollout, VerificationId};
use crate::metrics::Metrics;
use crate::secrets::Keys;
use crate::sms::template::SmsTemplate;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid filing")]
    InvalidFiling(Vec<InvalidField>),
    #[error("{0}")]
    Plan(#[from] PlanError),
    #[error("not found")]
    NotFound,
    #[error("idempotency key reused with a different request")]
    IdempotencyConflict,
    #[error("rate limited for {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: u64 },
    /// An SMS quota is full (`phone` is the number, never logged; `fields` name it in a filing).
    #[error("SMS quota {quota:?} full for {retry_after_seconds} s")]
    SmsQuota { quota: SmsQuota, retry_after_seconds: u64, phone: Option<String>, fields: Vec<InvalidField> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Everything a use case needs; cloned into every request handler and job.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

/// What a service is made of, built once in `startup` from the settings.
pub struct Parts {
    pub store: Store,
    pub keys: Keys,
    pub settings: Settings,
    pub clock: Arc<dyn Clock>,
    pub template: SmsTemplate,
    pub public_url: String,
    pub metrics: Metrics,
    pub rollout: Arc<Rollout>,
}

struct Inner {
    parts: Parts,
    /// Wakes the SMS dispatcher when something was queued.
    sms_queued: tokio::sync::Notify,
    webhook_queued: tokio::sync::Notify,
}

impl std::ops::Deref for Inner {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.parts
    }
}

impl Service {
    pub fn new(parts: Parts) -> Service {
        let inner = Inner { parts, sms_queued: tokio::sync::Notify::new(), webhook_queued: tokio::sync::Notify::new() };
        Service { inner: Arc::new(inner) }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn keys(&self) -> &Keys {
        &self.inner.keys
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The provinces: names, 管局, and when each verifies by SMS.
    pub fn rollout(&self) -> &Rollout {
        &self.inner.rollout
    }

    pub fn now(&self) -> crate::clock::Millis {
        self.inner.clock.now()
    }

    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    pub fn sms_queued(&self) -> &tokio::sync::Notify {
        &self.inner.sms_queued
    }

    pub fn webhook_queued(&self) -> &tokio::sync::Notify {
        &self.inner.webhook_queued
    }

    /// The keyed hash an ID suffix is stored and looked up as.
    fn suffix_hash(&self, suffix: &protocol::IdSuffix) -> Vec<u8> {
        self.inner.keys.keyed_hash("id_suffix", &[suffix.as_str().as_bytes()])
    }

    fn token_hash(&self, token: &str) -> Vec<u8> {
        self.inner.keys.keyed_hash("link_token", &[token.as_bytes()])
    }

    fn code_hash(&self, verification_id: &VerificationId, code: &protocol::Code) -> Vec<u8> {
        self.inner.keys.keyed_hash("code", &[verification_id.as_str().as_bytes(), code.as_str().as_bytes()])
    }

    fn code_matches(&self, verification_id: &VerificationId, code: &protocol::Code, stored: &[u8]) -> bool {
        self.inner.keys.matches("code", &[verification_id.as_str().as_bytes(), code.as_str().as_bytes()], stored)
    }

    /// A phone number as the limit and quota tables name it: a keyed hash (per `purpose`), so
    /// those tables are not a list of the numbers that were tried or sent to.
    fn number_key(&self, purpose: &str, phone: &str) -> String {
        hex::encode(&self.inner.keys.keyed_hash(purpose, &[phone.as_bytes()])[..16])
    }

    /// The keyed hash a provider's API key is stored as.
    pub fn api_key_hash(&self, key: &str) -> Vec<u8> {
        self.inner.keys.keyed_hash("api_key", &[key.as_bytes()])
    }
}
