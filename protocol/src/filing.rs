//! The access providers' side of the wire: submitting a filing request and reading it back.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr, VariantNames};

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
    /// For a change: this website's data changed. For a phone change: its principal's number.
    #[serde(default)]
    pub changed: bool,
    pub principal: NewPerson,
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

/// Where a filing request stands (docs/states.md). The same names are stored, listed
/// (`?state=`), counted in `/metrics`, and end the webhook event kinds (`filing.completed`,
/// `filing.returned`) and the history entries (`completed`, `returned`) that mark the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum FilingState {
    /// Waiting for the people named on it to verify.
    Pending,
    /// Everyone needed verified (or its province does not verify by SMS): handed to the
    /// province's 管局 for review. Its remaining `pending` people became `not_needed`.
    Completed,
    /// Sent back to the access provider, who must submit again: one person's tries were used up
    /// or their code expired (`return_reason`). Its remaining `pending` people became `returned`.
    Returned,
}

/// Why a filing was returned: the state the person who caused it ended in (docs/states.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum ReturnReason {
    /// A person typed a wrong code as often as allowed: they are `attempts_used_up`.
    AttemptsUsedUp,
    /// A person's code ran out before they verified: they are `expired`.
    Expired,
}

/// Where one person's verification of a filing stands (docs/states.md). The same names are used
/// in the filing view, on the short link's landing ([`crate::LinkState`]), for the check
/// outcome that ends in the state ([`crate::CheckOutcome`]), and in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, VariantNames, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum VerificationState {
    /// Sent a code and link; waiting for the person (a wrong code with tries left stays here).
    Pending,
    /// The person typed their code (or opened the link and typed their ID suffix) in time.
    Verified,
    /// The person typed a wrong code as often as allowed; the filing was returned
    /// (`return_reason` `attempts_used_up`).
    AttemptsUsedUp,
    /// The person's code ran out before they verified; the filing was returned
    /// (`return_reason` `expired`).
    Expired,
    /// The filing was returned on someone else's account (their tries used up or code expired)
    /// while this person was still pending; nothing left for them to do.
    Returned,
    /// A request that needed only one of its people was completed by someone else while this
    /// person was still pending.
    NotNeeded,
}

impl FilingState {
    /// The state's name (`pending`, `completed`, `returned`): serde's, and what is stored.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl ReturnReason {
    /// The reason's name (`attempts_used_up`, `expired`): serde's, and what is stored.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl VerificationState {
    /// The state's name (`pending`, `verified`, …): serde's, and what is stored.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationView {
    pub id: String,
    pub name: String,
    pub masked_phone: String,
    /// `subject_principal`, `website_principal:<website name>`.
    pub roles: Vec<String>,
    /// Where this person stands (docs/states.md).
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

/// What an entry of a filing's history records. The two that close a filing are named after the
/// state it entered (docs/states.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum HistoryKind {
    /// The provider submitted the filing.
    Submitted,
    /// A person's SMS was queued at submit (a resend's is recorded as `resend`).
    SmsQueued,
    /// The SMS gateway accepted a person's SMS.
    SmsSent,
    /// The SMS gateway refused a person's SMS, or the retries ran out.
    SmsFailed,
    /// A person checked; `detail` is the check's outcome.
    Check,
    /// A new code and link were sent; `detail` says who asked (`person`, `provider`).
    Resend,
    /// The filing became `completed`.
    Completed,
    /// The filing became `returned`; `detail` is the return reason.
    Returned,
}

impl HistoryKind {
    /// The kind's name (`submitted`, …): serde's, and what is stored.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One entry of a filing's history. Never carries a code, a token or ID digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilingEvent {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    pub kind: HistoryKind,
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
    /// Where the filing stands (docs/states.md).
    pub state: FilingState,
    /// Set once it is `returned`: the state of the person who caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_reason: Option<ReturnReason>,
    /// `all` or `any`: how many verifications complete the request.
    pub completion: String,
    pub subject_name: String,
    /// The 管局 reviewing the request (`浙江省通信管理局`): set once it is `completed`.
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
