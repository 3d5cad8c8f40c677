//! What a short link's landing page shows before the person types their ID suffix.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantNames};

use crate::{BusinessType, VerificationState};

/// Where the person a short link was sent to stands, as its landing page shows it: one of the
/// person's [`VerificationState`]s, by the same name, or `link_disabled` (docs/states.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum LinkState {
    /// Waiting for the person: the page asks for the ID suffix.
    Pending,
    /// The person already verified.
    Verified,
    /// The person typed a wrong code as often as allowed; the request was returned.
    AttemptsUsedUp,
    /// The code ran out (also shown for a pending code past its validity that the sweep has not
    /// closed yet); the request was returned.
    Expired,
    /// The request was returned on someone else's account.
    Returned,
    /// Someone else completed a request that needed only one of its people.
    NotNeeded,
    /// The person is still pending, but this link stopped after too many wrong ID suffixes; the
    /// code still works on the form. Named like the check outcome that stops it.
    LinkDisabled,
}

impl LinkState {
    /// The state's name (`pending`, …, `link_disabled`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl From<VerificationState> for LinkState {
    /// The person's state, by the same name.
    fn from(state: VerificationState) -> LinkState {
        match state {
            VerificationState::Pending => LinkState::Pending,
            VerificationState::Verified => LinkState::Verified,
            VerificationState::AttemptsUsedUp => LinkState::AttemptsUsedUp,
            VerificationState::Expired => LinkState::Expired,
            VerificationState::Returned => LinkState::Returned,
            VerificationState::NotNeeded => LinkState::NotNeeded,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_person_state_is_a_link_state_of_the_same_name() {
        use VerificationState::*;
        for state in [Pending, Verified, AttemptsUsedUp, Expired, Returned, NotNeeded] {
            assert_eq!(LinkState::from(state).as_str(), state.as_str());
        }
    }
}
