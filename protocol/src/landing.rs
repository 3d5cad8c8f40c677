//! What a short link's landing page shows before the person types their ID suffix.

use serde::{Deserialize, Serialize};

use crate::BusinessType;

/// Whether the link can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Pending,
    Verified,
    Failed,
    Expired,
    Returned,
    NotNeeded,
    /// Stopped after too many wrong ID suffixes; the code still works on the form.
    Disabled,
}

/// The landing data of `/v/<token>`: enough for the person to recognise the request, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkLanding {
    /// Masked (张*, 欧阳**): anyone holding the link sees it before proving who they are.
    pub name: String,
    pub masked_phone: String,
    pub business_type: BusinessType,
    pub subject_name: String,
    pub website_names: Vec<String>,
    pub state: LinkState,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
    /// Counted by the server, so a wrong phone clock cannot mislead.
    pub seconds_left: u64,
}
