//! What a short link's landing page shows before the person types their ID suffix.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantNames};

use crate::{BusinessType, VerificationState};

/// Where the person a short link was sent to stands, as its landing page shows it: the person's
/// own [`VerificationState`], by the same name, or what only a link has (docs/states.md). On the
/// wire it is one name either way (`pending`, …, `link_disabled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum LinkState {
    Person(VerificationState),
    Link(LinkOnlyState),
}

/// What a link can be in that its person cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum LinkOnlyState {
    /// The person is still `pending`, but this link stopped after too many wrong ID suffixes; the
    /// code still works on the form. Named like the check outcome that stops it.
    LinkDisabled,
}

impl LinkState {
    /// The person is still to verify, through this link or the form.
    pub const PENDING: LinkState = LinkState::Person(VerificationState::Pending);

    /// The link stopped after too many wrong ID suffixes.
    pub const DISABLED: LinkState = LinkState::Link(LinkOnlyState::LinkDisabled);

    /// Every link state: each of the person's, then `link_disabled`; what a test walks to cover
    /// them all, including one added later.
    pub fn every() -> Vec<LinkState> {
        use strum::IntoEnumIterator;
        VerificationState::iter().map(LinkState::Person).chain([LinkState::DISABLED]).collect()
    }

    /// The state's name (`pending`, …, `link_disabled`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Person(state) => state.as_str(),
            LinkState::Link(state) => state.into(),
        }
    }
}

impl From<VerificationState> for LinkState {
    fn from(state: VerificationState) -> LinkState {
        LinkState::Person(state)
    }
}

impl std::str::FromStr for LinkState {
    type Err = strum::ParseError;

    fn from_str(name: &str) -> Result<LinkState, Self::Err> {
        name.parse().map(LinkState::Person).or_else(|_| name.parse().map(LinkState::Link))
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
    fn a_link_state_is_named_as_serde_writes_it_and_parses_back() {
        use VerificationState::*;
        for state in LinkState::every() {
            let json = serde_json::to_value(state).unwrap();
            assert_eq!(json, state.as_str());
            assert_eq!(serde_json::from_value::<LinkState>(json).unwrap(), state);
            assert_eq!(state.as_str().parse::<LinkState>(), Ok(state));
        }
        assert_eq!(LinkState::from(Expired).as_str(), Expired.as_str());
        assert_eq!(LinkState::DISABLED.as_str(), "link_disabled");
        assert!("closed".parse::<LinkState>().is_err());
    }
}
