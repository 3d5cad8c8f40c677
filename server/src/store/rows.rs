//! Reading stored names back into domain types.

use std::str::FromStr;

use protocol::{BusinessType, HistoryKind};

use super::{StoreError, StoreResult};
use crate::domain::{Completion, FilingState, ReturnReason, VerificationState};

/// A stored name read back into its enum, whose names are derived once (strum's `FromStr`, the
/// same names serde writes; docs/states.md). An unknown name is a corrupt row, never a default.
fn named<T: FromStr>(what: &str, name: &str) -> StoreResult<T> {
    name.parse().map_err(|_| StoreError::Corrupt(format!("{what} {name}")))
}

pub(super) fn verification_state(name: &str) -> StoreResult<VerificationState> {
    named("verification state", name)
}

pub(super) fn filing_state(name: &str) -> StoreResult<FilingState> {
    named("filing state", name)
}

pub(super) fn return_reason(name: &str) -> StoreResult<ReturnReason> {
    named("return reason", name)
}

pub(super) fn history_kind(name: &str) -> StoreResult<HistoryKind> {
    named("history entry", name)
}

pub(super) fn completion(name: &str) -> StoreResult<Completion> {
    named("completion", name)
}

pub(super) fn business_type(name: &str) -> StoreResult<BusinessType> {
    named("business type", name)
}

/// A stored counter (an INTEGER column) as a count; never negative, saturating at `u32::MAX`.
pub(super) fn count(stored: i64) -> u32 {
    stored.clamp(0, i64::from(u32::MAX)) as u32
}

pub(super) fn string_list(json: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("list column: {e}")))
}
