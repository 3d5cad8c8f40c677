//! The life cycles of a filing and of one person's verification, as stored.

pub use protocol::{FilingState, VerificationState};

/// Storage names, shared with the wire names.
pub fn filing_state_name(state: FilingState) -> &'static str {
    match state {
        FilingState::Pending => "pending",
        FilingState::Complete => "complete",
        FilingState::Returned => "returned",
    }
}

pub fn parse_filing_state(name: &str) -> Option<FilingState> {
    [FilingState::Pending, FilingState::Complete, FilingState::Returned]
        .into_iter()
        .find(|s| filing_state_name(*s) == name)
}

pub fn verification_state_name(state: VerificationState) -> &'static str {
    match state {
        VerificationState::Pending => "pending",
        VerificationState::Verified => "verified",
        VerificationState::Failed => "failed",
        VerificationState::Expired => "expired",
        VerificationState::Closed => "closed",
        VerificationState::NotNeeded => "not_needed",
    }
}

pub fn parse_verification_state(name: &str) -> Option<VerificationState> {
    [
        VerificationState::Pending,
        VerificationState::Verified,
        VerificationState::Failed,
        VerificationState::Expired,
        VerificationState::Closed,
        VerificationState::NotNeeded,
    ]
    .into_iter()
    .find(|s| verification_state_name(*s) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_names_round_trip_and_match_the_wire() {
        for name in ["pending", "complete", "returned"] {
            let state = parse_filing_state(name).unwrap();
            assert_eq!(serde_json::to_value(state).unwrap(), name);
        }
        for name in ["pending", "verified", "failed", "expired", "closed", "not_needed"] {
            let state = parse_verification_state(name).unwrap();
            assert_eq!(serde_json::to_value(state).unwrap(), name);
        }
    }
}
