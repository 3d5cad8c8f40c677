//! What a provider is told: one JSON object per event, the same bytes on every retry.
//!
//! ```json
//! {"id":"3f0c…","kind":"filing.returned","filing_id":"…","reference":"A-17",
//!  "reason":"expired","occurred_at":"2026-11-20T08:30:00Z","province":"330000"}
//! ```
//! `reference` is the provider's own (null when they gave none); `reason` is null unless the
//! kind is `filing.returned`. A `filing.completed` event also names the reviewing `authority`
//! (`浙江省通信管理局`), and carries a `note` when nobody verified because the province did not
//! verify by SMS on the day. Receivers should deduplicate by `id`: a delivery can be repeated.

use protocol::ReturnReason;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{EventId, FilingId};

/// What happened to a filing: `filing.` and the state it entered (docs/states.md).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, strum::EnumIter, strum::EnumMessage,
)]
pub enum WebhookKind {
    /// The filing became `completed`: everyone needed verified (or its province does not verify
    /// by SMS), and it goes to the province's 管局 for review.
    #[serde(rename = "filing.completed")]
    FilingCompleted,
    /// The filing became `returned`: it went back to the provider, `reason` says why
    /// (`attempts_used_up` or `expired`, the state of the person who caused it).
    #[serde(rename = "filing.returned")]
    FilingReturned,
}

/// One event, POSTed to the provider's callback URL as the body of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookEvent {
    /// 128 random bits as 32 lowercase hex digits; unique per event, the same on every retry.
    #[schema(value_type = String)]
    pub id: EventId,
    pub kind: WebhookKind,
    #[schema(value_type = String)]
    pub filing_id: FilingId,
    /// The provider's own reference, as submitted (null when they gave none).
    #[schema(required = true)]
    pub reference: Option<String>,
    /// Why a `filing.returned` went back; null for `filing.completed`.
    #[schema(required = true)]
    pub reason: Option<ReturnReason>,
    /// When it happened (RFC 3339, UTC).
    #[serde(with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: OffsetDateTime,
    /// The GB/T 2260 code; absent for filings made before provinces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<protocol::ProvinceCode>)]
    pub province: Option<String>,
    /// The 管局 the completed request goes to for review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// Why nobody verified, in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl WebhookEvent {
    pub fn completed(filing_id: FilingId, reference: Option<String>, occurred_at: OffsetDateTime) -> WebhookEvent {
        WebhookEvent {
            id: new_event_id(),
            kind: WebhookKind::FilingCompleted,
            filing_id,
            reference,
            reason: None,
            occurred_at,
            province: None,
            authority: None,
            note: None,
        }
    }

    pub fn returned(
        filing_id: FilingId,
        reference: Option<String>,
        reason: ReturnReason,
        occurred_at: OffsetDateTime,
    ) -> WebhookEvent {
        WebhookEvent {
            id: new_event_id(),
            kind: WebhookKind::FilingReturned,
            filing_id,
            reference,
            reason: Some(reason),
            occurred_at,
            province: None,
            authority: None,
            note: None,
        }
    }

    /// The filing's province, and (for a completion) its reviewing 管局.
    pub fn in_province(mut self, province: impl Into<Option<String>>, authority: Option<String>) -> WebhookEvent {
        self.province = province.into();
        self.authority = authority;
        self
    }

    pub fn with_note(mut self, note: Option<String>) -> WebhookEvent {
        self.note = note;
        self
    }

    /// The body that is signed and sent.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a webhook event always serialises")
    }
}

/// 128 bits from the OS-seeded CSPRNG, hex-encoded.
pub fn new_event_id() -> EventId {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    EventId::new(hex::encode(bytes))
}

/// RFC 3339 in UTC (`2026-11-20T08:30:00Z`), without needing time's `serde` feature.
mod rfc3339 {
    use serde::{de, Deserialize, Deserializer, Serializer};
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, UtcOffset};

    pub fn serialize<S: Serializer>(at: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        let text = at.to_offset(UtcOffset::UTC).format(&Rfc3339).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        OffsetDateTime::parse(&text, &Rfc3339).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use time::macros::datetime;

    use super::*;

    #[test]
    fn a_returned_event_serialises_with_its_reason() {
        let event = WebhookEvent::returned(
            FilingId::new("f-1"),
            Some("A-17".into()),
            ReturnReason::AttemptsUsedUp,
            datetime!(2026-11-20 16:30:00 +8),
        );
        let json: serde_json::Value = serde_json::from_slice(&event.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": event.id,
                "kind": "filing.returned",
                "filing_id": "f-1",
                "reference": "A-17",
                "reason": "attempts_used_up",
                "occurred_at": "2026-11-20T08:30:00Z",
            })
        );
    }

    #[test]
    fn a_completed_event_has_no_reason_and_reads_back() {
        let event = WebhookEvent::completed(FilingId::new("f-2"), None, datetime!(2026-11-20 08:30:00.5 UTC));
        let json: serde_json::Value = serde_json::from_slice(&event.to_json()).unwrap();
        assert_eq!(json["kind"], "filing.completed");
        assert_eq!(json["reason"], serde_json::Value::Null);
        assert_eq!(json["reference"], serde_json::Value::Null);
        assert_eq!(json["occurred_at"], "2026-11-20T08:30:00.5Z");
        let back: WebhookEvent = serde_json::from_slice(&event.to_json()).unwrap();
        assert_eq!(back, event);
    }

    #[test]
    fn a_completed_event_names_its_province_and_reviewing_authority() {
        let event = WebhookEvent::completed(FilingId::new("f-3"), None, datetime!(2026-11-20 08:30:00 UTC))
            .in_province("330000".to_owned(), Some("浙江省通信管理局".into()));
        let json: serde_json::Value = serde_json::from_slice(&event.to_json()).unwrap();
        assert_eq!(json["province"], "330000");
        assert_eq!(json["authority"], "浙江省通信管理局");
        assert_eq!(json.get("note"), None);
    }

    #[test]
    fn every_field_an_event_carries_is_in_the_api_document() {
        let spec: serde_json::Value = serde_json::from_str(crate::http::openapi::document()).unwrap();
        let documented = &spec["components"]["schemas"]["WebhookEvent"]["properties"];
        let event =
            WebhookEvent::completed(FilingId::new("f-4"), Some("A-1".into()), datetime!(2026-11-20 08:30:00 UTC))
                .in_province("110000".to_owned(), Some("北京市通信管理局".into()))
                .with_note(Some("北京市未开展短信核验。".into()));
        let json: serde_json::Value = serde_json::from_slice(&event.to_json()).unwrap();
        for field in json.as_object().unwrap().keys() {
            assert!(documented[field].is_object(), "WebhookEvent.{field} is not documented");
        }
    }

    #[test]
    fn each_kind_is_filing_and_the_state_the_filing_entered() {
        use crate::domain::FilingState;
        for (kind, state) in [
            (WebhookKind::FilingCompleted, FilingState::Completed),
            (WebhookKind::FilingReturned, FilingState::Returned),
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), format!("filing.{}", state.as_str()));
        }
    }

    #[test]
    fn event_ids_are_unique_over_ten_thousand_events() {
        let at = datetime!(2026-11-20 08:30:00 UTC);
        let ids: HashSet<EventId> =
            (0..10_000).map(|i| WebhookEvent::completed(FilingId::new(format!("f-{i}")), None, at).id).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| id.as_str().len() == 32 && id.as_str().bytes().all(|b| b.is_ascii_hexdigit())));
    }
}
