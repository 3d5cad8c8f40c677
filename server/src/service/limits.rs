//! Abuse limits, kept in the database so every replica shares them, and applied only to answers
//! that would be wrong: a right code, or a short link with the right ID suffix, always goes
//! through, so nobody who merely knows a phone number can lock its owner out.
//!
//! - Per phone number: one budget of wrong phone + ID-suffix guesses (the form, links and
//!   resends), so many an hour and so many a day. Once it is used up, every answer that would be
//!   wrong is refused, including a wrong code with the right suffix: otherwise "refused" versus
//!   "wrong code" would tell a guesser that the suffix was right.
//! - Per client address (IPv6 by /64, resolved through trusted proxies at the HTTP edge): wrong
//!   checks and all resends per minute.

use std::net::IpAddr;

use super::{Service, ServiceError, ServiceResult};
use crate::clock::Millis;
use crate::store::{CheckTx, RateLimit};

const MINUTE: Millis = 60_000;
const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

/// Why a request was refused, and when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after_seconds: u64,
}

impl Service {
    /// A phone number and ID suffix that matched nobody: counted against the client and the
    /// number, in one transaction; refused (429, nothing changed) once either is used up.
    pub(super) async fn throttle_guess(&self, client: IpAddr, phone: &str) -> ServiceResult<()> {
        let [hour, day] = self.guess_limits(phone);
        self.take(&[self.client_limit(client), hour, day]).await
    }

    /// A wrong code for a number and suffix that matched is refused while the number's guess
    /// budget is used up: otherwise "refused" versus "wrong code" would tell a guesser the suffix
    /// was right.
    pub(super) async fn refuse_wrong_code_over_budget(&self, phone: &str) -> ServiceResult<()> {
        self.peek(&self.guess_limits(phone)).await
    }

    /// Counts a wrong code against the client inside the check's own transaction; when the
    /// client's limit is used up the caller drops the transaction (nothing changed) and answers 429.
    pub(super) async fn count_wrong_code(&self, tx: &mut CheckTx, client: IpAddr) -> ServiceResult<()> {
        tx.take_limits(self.store(), &[self.client_limit(client)], self.now()).await?.map_err(limited)
    }

    /// Every resend request counts against the client, whatever it matches, so a refusal here
    /// says nothing about the ID suffix.
    pub(super) async fn throttle_resend(&self, client: IpAddr) -> ServiceResult<()> {
        self.take(&[self.client_limit(client)]).await
    }

    /// Counts a wrong phone + suffix guess against the number; `false` once its budget is used up.
    pub(super) async fn count_guess(&self, phone: &str) -> ServiceResult<bool> {
        Ok(self.store().take(&self.guess_limits(phone), self.now()).await?.is_ok())
    }

    /// Whether the number's guess budget has room left.
    pub(super) async fn guesses_left(&self, phone: &str) -> ServiceResult<bool> {
        Ok(self.store().peek(&self.guess_limits(phone), self.now()).await?.is_ok())
    }

    async fn take(&self, limits: &[RateLimit]) -> ServiceResult<()> {
        self.store().take(limits, self.now()).await?.map_err(limited)
    }

    async fn peek(&self, limits: &[RateLimit]) -> ServiceResult<()> {
        self.store().peek(limits, self.now()).await?.map_err(limited)
    }

    fn client_limit(&self, client: IpAddr) -> RateLimit {
        let count = self.settings().limits.checks_per_client_per_minute;
        RateLimit { key: format!("client:{client}"), count, period_millis: MINUTE }
    }

    fn guess_limits(&self, phone: &str) -> [RateLimit; 2] {
        let number = self.number_key("rate_phone", phone);
        let settings = self.settings();
        [
            RateLimit {
                key: format!("guess-hour:{number}"),
                count: settings.limits.wrong_guesses_per_phone_per_hour,
                period_millis: HOUR,
            },
            RateLimit {
                key: format!("guess-day:{number}"),
                count: settings.limits.wrong_guesses_per_phone_per_day,
                period_millis: DAY,
            },
        ]
    }
}

fn limited(millis_left: Millis) -> ServiceError {
    ServiceError::RateLimited { retry_after_seconds: retry_after_seconds(millis_left) }
}

/// A wait in milliseconds as `Retry-After` seconds: rounded up, at least 1.
pub(super) fn retry_after_seconds(millis: Millis) -> u64 {
    (millis.max(0) as u64).div_ceil(1000).max(1)
}
