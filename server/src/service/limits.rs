//! Abuse limits, counted in the database so every replica shares them: checks per client address
//! per minute, failed and not-found checks per phone number per hour. Answered 429 + Retry-After.

use std::net::IpAddr;

use super::{Service, ServiceError, ServiceResult};
use crate::clock::Millis;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 3_600_000;

/// Why a request was refused, and when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after_seconds: u64,
}

impl Service {
    pub(super) async fn limit_client(&self, client: IpAddr) -> ServiceResult<()> {
        let now = self.now();
        let window = now - now.rem_euclid(MINUTE);
        let count = self.store().count_hit(&format!("client:{client}"), window).await?;
        if count > i64::from(self.settings().checks_per_client_per_minute) {
            return Err(limited(window + MINUTE - now));
        }
        Ok(())
    }

    pub(super) async fn limit_phone_failures(&self, phone: &str) -> ServiceResult<()> {
        let now = self.now();
        let window = now - now.rem_euclid(HOUR);
        let count = self.store().count_of(&self.phone_key(phone), window).await?;
        if count >= i64::from(self.settings().failed_checks_per_phone_per_hour) {
            return Err(limited(window + HOUR - now));
        }
        Ok(())
    }

    pub(super) async fn count_phone_failure(&self, phone: &str) -> ServiceResult<()> {
        let now = self.now();
        self.store().count_hit(&self.phone_key(phone), now - now.rem_euclid(HOUR)).await?;
        Ok(())
    }

    /// Counters name a phone number by a keyed hash: the table is not a list of who tried.
    fn phone_key(&self, phone: &str) -> String {
        format!("phone:{}", hex::encode(&self.keys().keyed_hash("rate_phone", &[phone.as_bytes()])[..16]))
    }
}

fn limited(millis_left: Millis) -> ServiceError {
    ServiceError::RateLimited { retry_after_seconds: (millis_left.max(0) as u64).div_ceil(1000).max(1) }
}
