//! The access providers' side of the wire: submitting a filing request and reading it back.

use serde::{Deserialize, Serialize};

use crate::{BusinessType, IdKind};

/// A person named on a filing, as the provider submits them. Debug output hides the ID number.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Name))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Phone))]
    pub mobile: String,
    pub id_type: IdKind,
    /// The whole number; only its last six characters are kept, as a keyed hash.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::IdNumber))]
    pub id_number: String,
}

impl std::fmt::Debug for NewPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewPerson")
            .field("name", &self.name)
            .field("mobile", &self.mobile)
            .field("id_type", &self.id_type)
            .field("id_number", &crate::check::HIDDEN)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSubject {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Name))]
    pub name: String,
    pub principal: NewPerson,
    /// For a change: the subject's data changed.
    #[serde(default)]
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWebsite {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Name))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::schema::Domain>))]
    pub domains: Vec<String>,
    pub principal: NewPerson,
    /// For a change: this website's data changed. For a phone change: this principal's number.
    #[serde(default)]
    pub changed: bool,
}

/// `POST /api/v1/filings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewFiling {
    pub business_type: BusinessType,
    /// The province whose 管局 reviews the request: its GB/T 2260 code, `330000` for 浙江.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::ProvinceCode))]
    pub province: String,
    /// The provider's own reference for the request.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::Reference>))]
    pub reference: Option<String>,
    pub subject: NewSubject,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub websites: Vec<NewWebsite>,
    /// For a change that touches only the remarks (no SMS, straight to review).
    #[serde(default)]
    pub remarks_changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
pub enum FilingState {
    /// Waiting for verifications.
    Pending,
    /// Everyone needed verified: handed to the provincial administration for review.
    Complete,
    /// Sent back to the access provider.
    Returned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// A code was tried wrongly too often.
    FailedAttempts,
    /// A code's validity ran out.
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
pub enum VerificationState {
    Pending,
    Verified,
    Failed,
    Expired,
    /// Closed because the request was returned on someone else's account.
    Closed,
    /// An any-one request completed by someone else.
    NotNeeded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationView {
    pub id: String,
    pub name: String,
    pub masked_phone: String,
    /// `subject_principal`, `website_principal:<website name>`.
    pub roles: Vec<String>,
    pub state: VerificationState,
    pub attempts_used: u32,
    pub resends_used: u32,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub verified_at: Option<String>,
    /// The SMS for this verification could not be delivered (after all retries).
    #[serde(default)]
    pub sms_failed: bool,
}

/// One entry of a filing's history. Never carries a code, a token or ID digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilingEvent {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// `submitted`, `sms_queued`, `sms_sent`, `sms_failed`, `check`, `resend`, `completed`, `returned`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
    /// For a check: the outcome's wire name; for a return: the reason; for a completion with
    /// nobody to verify because the province does not verify by SMS: `province_not_verifying`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilingView {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub business_type: BusinessType,
    /// The province's GB/T 2260 code (`330000`); null only for filings made before provinces.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::ProvinceCode>))]
    pub province: Option<String>,
    pub state: FilingState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_reason: Option<ReturnReason>,
    /// `all` or `any`: how many verifications complete the request.
    pub completion: String,
    pub subject_name: String,
    /// The 管局 reviewing the request (`浙江省通信管理局`): set once it is complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// Why it went to review with nobody verifying, in Chinese (its province did not verify by
    /// SMS on the day it was submitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub closed_at: Option<String>,
    pub verifications: Vec<VerificationView>,
    pub events: Vec<FilingEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilingList {
    pub filings: Vec<FilingView>,
    /// Pass as `cursor` for the page after this one; null on the last page.
    pub next: Option<String>,
}
