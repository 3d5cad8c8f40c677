//! Notifications to access providers when a filing completes or is returned: the event, its
//! signature, and one delivery attempt. The outbox dispatcher (`crate::jobs::webhook_dispatch`)
//! retries them.

pub mod address;
pub mod event;
pub mod sender;
pub mod signing;
pub mod target;

pub use event::{WebhookEvent, WebhookKind};
pub use sender::{deliver, deliver_body, deliver_with_timeout, DeliveryError, WebhookClient};
pub use signing::{
    new_secret, sign, verify, SignedHeaders, SigningKey, VerifyError, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
pub use target::{parse_callback_url, TargetError, TargetPolicy};
