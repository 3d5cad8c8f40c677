//! The verification rules as pure functions over plain data: no I/O, no clock, no database.

pub mod check;
pub mod filing_request;
pub mod ids;
pub mod name_mask;
pub mod plan;
pub mod rollout;
pub mod sliding_window;
pub mod states;

pub use check::{decide, Candidate, Decision, Effect, FilingSnapshot};
pub use filing_request::{parse_filing, FilingRequest, InvalidField, Person, Subject, Website};
pub use ids::{EventId, FilingId, ProviderId, SmsId, VerificationId};
pub use name_mask::mask_name;
pub use plan::{plan, Completion, Plan, PlanError, PlannedVerification, Role};
pub use rollout::{Province, Rollout, RolloutError};
pub use states::{FilingState, ReturnReason, VerificationState};
