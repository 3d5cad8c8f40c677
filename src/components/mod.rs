//! Building blocks the pages share.

mod controlled_form;
mod error_summary;
mod failure;
mod field;
mod form_summary;
mod help_link;
mod notice;
mod outcome;
mod page;
mod submit_button;

pub use controlled_form::{field, form_answer, ControlledForm};
pub use error_summary::ErrorSummary;
pub use failure::Failure;
pub use field::{field_id, Field};
pub use form_summary::FormSummary;
pub use help_link::HelpLink;
pub use notice::{Notice, Tone};
pub use outcome::{CheckOutcomeView, ResendOutcomeView};
pub use page::Page;
pub use submit_button::SubmitButton;
