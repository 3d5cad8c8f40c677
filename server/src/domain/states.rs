//! The life cycles of a filing and of one person's verification (docs/states.md). Their names,
//! on the wire and as stored, are derived once in `protocol` (`as_str`, `FromStr`).

pub use protocol::{FilingState, ReturnReason, VerificationState};
