//! One module per route.

mod check;
mod help;
mod link;
mod link_form;
mod not_found;
mod resend;

pub use check::{CheckForm, CheckPage, Draft};
pub use help::{HelpPage, SenderList};
pub use link::{LinkLandingView, LinkPage};
pub use not_found::NotFoundPage;
pub use resend::ResendForm;
