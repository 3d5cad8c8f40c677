//! Reading stored names back into domain types.

use protocol::BusinessType;

use super::{StoreError, StoreResult};
use crate::domain::{states, Completion, FilingState, VerificationState};

pub(super) fn verification_state(name: &str) -> StoreResult<VerificationState> {
    states::parse_verification_state(name).ok_or_else(|| StoreError::Corrupt(format!("verification state {name}")))
}

pub(super) fn filing_state(name: &str) -> StoreResult<FilingState> {
    states::parse_filing_state(name).ok_or_else(|| StoreError::Corrupt(format!("filing state {name}")))
}

pub(super) fn completion(name: &str) -> StoreResult<Completion> {
    Completion::parse(name).ok_or_else(|| StoreError::Corrupt(format!("completion {name}")))
}

pub(super) fn business_type(name: &str) -> StoreResult<BusinessType> {
    BusinessType::from_wire(name).ok_or_else(|| StoreError::Corrupt(format!("business type {name}")))
}

/// A stored counter (an INTEGER column) as a count; never negative, saturating at `u32::MAX`.
pub(super) fn count(stored: i64) -> u32 {
    stored.clamp(0, i64::from(u32::MAX)) as u32
}

pub(super) fn string_list(json: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("list column: {e}")))
}
