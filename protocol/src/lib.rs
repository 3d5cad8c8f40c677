//! The contract between the SPA and the server, compiled for wasm32 and native.
//!
//! User input is parsed here, once, into typed values ([`Phone`], [`Code`], [`IdSuffix`],
//! [`IdDocument`]); both sides call the same parsers, so the SPA never accepts what the server
//! refuses. Outcomes and their Chinese texts also live here so the view never retypes them.

mod business;
mod check;
mod code;
mod filing;
mod id_document;
mod id_suffix;
mod landing;
mod normalize;
mod outcome;
mod phone;
mod problem;
mod province;
mod punctuation;
mod resend;
#[cfg(feature = "openapi")]
pub mod schema;
mod texts;
mod wire;

pub use business::BusinessType;
pub use check::{CheckRequest, FieldError, InputField, LinkCheckRequest, ParsedCheck};
pub use code::{Code, CodeError};
pub use filing::{
    FilingEvent, FilingList, FilingState, FilingView, HistoryKind, NewFiling, NewPerson, NewSubject, NewWebsite,
    ReturnReason, VerificationState, VerificationView,
};
pub use id_document::{IdDocument, IdDocumentError, IdKind};
pub use id_suffix::{IdSuffix, IdSuffixError};
pub use landing::{LinkLanding, LinkOnlyState, LinkState};
pub use outcome::{CheckOutcome, OutcomeKind};
pub use phone::{Phone, PhoneError};
pub use problem::{InvalidField, Problem, ProblemType};
pub use province::{ProvinceCode, ProvinceError, PROVINCE_CODES};
pub use punctuation::half_width_beside_chinese;
pub use resend::{ResendOutcome, ResendRequest};
pub use texts::{
    back_to_province, help, province_site_name, straight_to_review, InputKind, Sender, Senders, BACK_TO_FORM,
    ERROR_PREFIX, FIX_THESE, HELP_LINK, SITE_NAME, SUBMIT_CHECK, SUBMIT_LINK_CHECK, SUBMIT_RESEND,
};

/// Where the REST API lives, relative to the site root.
pub const API_PREFIX: &str = "/api/v1";
