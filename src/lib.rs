//! The single-page app people verify with (短信核验): the code form, the short-link landing and the
//! "didn't get the SMS" help with its resend form.
//!
//! Components are public so `tests/web.rs` can mount them without HTTP. Every message a person reads
//! about an outcome comes from the `protocol` crate; every HTTP call goes through [`api`].

pub mod api;
mod app;
mod components;
mod countdown;
mod form_controller;
mod form_state;
pub mod json;
mod mount;
mod pages;

pub use app::App;
pub use components::{
    field_id, CheckOutcomeView, ErrorSummary, Failure, Field, FormSummary, HelpLink, Notice, Page, ResendOutcomeView,
    SubmitButton, Tone,
};
pub use countdown::Countdown;
pub use form_controller::{FormController, Reply};
pub use form_state::FormState;
pub use mount::start;
pub use pages::{
    CheckForm, CheckPage, Draft, HelpPage, LinkLandingView, LinkPage, NotFoundPage, ResendForm, SenderList,
};
