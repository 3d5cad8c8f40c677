//! What a short link's landing page may show.

use protocol::{LinkLanding, LinkState, Phone, VerificationState};
use sqlx::Row;

use super::rows;
use super::{Store, StoreResult};
use crate::clock::{rfc3339, Millis};

impl Store {
    /// The landing as stored (the name in full: the service masks it), and how many wrong
    /// suffixes the link has had.
    pub async fn landing(&self, token_hash: &[u8], now: Millis) -> StoreResult<Option<(LinkLanding, u32)>> {
        let row = sqlx::query(
            "SELECT v.name, v.phone, v.state, v.expires_at, v.link_wrong_suffixes, \
             f.business_type, f.subject_name, f.website_names \
             FROM verifications v JOIN filings f ON f.id = v.filing_id WHERE v.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.get("expires_at");
        let state = match rows::verification_state(row.get("state"))? {
            // Ran out, and the sweep has not closed it yet.
            VerificationState::Pending if expires_at <= now => LinkState::Person(VerificationState::Expired),
            person => LinkState::from(person),
        };
        let phone: String = row.get("phone");
        let wrong_suffixes = rows::count(row.get("link_wrong_suffixes"));
        let landing = LinkLanding {
            name: row.get("name"),
            masked_phone: Phone::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
            business_type: rows::business_type(row.get("business_type"))?,
            subject_name: row.get("subject_name"),
            website_names: rows::string_list(row.get("website_names"))?,
            state,
            expires_at: rfc3339(expires_at),
            seconds_left: if state == LinkState::Person(VerificationState::Pending) {
                ((expires_at - now) / 1000).max(0) as u64
            } else {
                0
            },
        };
        Ok(Some((landing, wrong_suffixes)))
    }
}
