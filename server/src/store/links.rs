//! What a short link's landing page may show.

use protocol::{LinkLanding, LinkState, Phone, VerificationState};
use sqlx::FromRow;

use super::rows;
use super::{Store, StoreResult};
use crate::clock::{rfc3339, Millis};

/// A link's verification and its filing, as the landing shows them.
#[derive(FromRow)]
struct LandingRow {
    name: String,
    phone: String,
    state: String,
    expires_at: Millis,
    link_wrong_suffixes: i64,
    business_type: String,
    subject_name: String,
    website_names: String,
}

impl Store {
    /// The landing as stored (the name in full: the service masks it), and how many wrong
    /// suffixes the link has had.
    pub async fn landing(&self, token_hash: &[u8], now: Millis) -> StoreResult<Option<(LinkLanding, u32)>> {
        let row: Option<LandingRow> = sqlx::query_as(
            "SELECT v.name, v.phone, v.state, v.expires_at, v.link_wrong_suffixes, \
             f.business_type, f.subject_name, f.website_names \
             FROM verifications v JOIN filings f ON f.id = v.filing_id WHERE v.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at = row.expires_at;
        let state = match rows::verification_state(&row.state)? {
            // Ran out, and the sweep has not closed it yet.
            VerificationState::Pending if expires_at <= now => LinkState::Person(VerificationState::Expired),
            person => LinkState::from(person),
        };
        let wrong_suffixes = rows::count(row.link_wrong_suffixes);
        let landing = LinkLanding {
            masked_phone: Phone::parse(&row.phone).map(|p| p.masked()).unwrap_or_default(),
            business_type: rows::business_type(&row.business_type)?,
            website_names: rows::string_list(&row.website_names)?,
            name: row.name,
            subject_name: row.subject_name,
            state,
            expires_at: rfc3339(expires_at),
            seconds_left: if state == LinkState::PENDING { ((expires_at - now) / 1000).max(0) as u64 } else { 0 },
        };
        Ok(Some((landing, wrong_suffixes)))
    }
}
