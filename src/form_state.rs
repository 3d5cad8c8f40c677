//! What a form remembers between submits: refused fields and the wait after a 429.
//!
//! Part of the one form controller ([`crate::FormController`]) the three forms share.

use leptos::prelude::*;
use protocol::{FieldError, InputField};

use crate::{api::ApiError, Countdown};

/// The refused fields and the rate-limit wait of one form.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    /// What each field shows now; updated as the person corrects a field.
    errors: RwSignal<Vec<FieldError>>,
    /// What the error summary shows: a snapshot taken at submit, so it does not jump while typing.
    summary: RwSignal<Vec<FieldError>>,
    /// Counts up on every refused submit, so the summary is shown (and focused) anew each time.
    refusals: RwSignal<u32>,
    /// Running while the server asks us to wait; submit stays disabled until it ends.
    pub wait: Countdown,
}

impl Default for FormState {
    fn default() -> Self {
        FormState::new()
    }
}

impl FormState {
    pub fn new() -> FormState {
        FormState {
            errors: RwSignal::new(Vec::new()),
            summary: RwSignal::new(Vec::new()),
            refusals: RwSignal::new(0),
            wait: Countdown::new(),
        }
    }

    /// The message to show on `field`, if it is refused.
    pub fn error_for(self, field: InputField) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|errors| message_for(errors, field)))
    }

    /// Shows these refusals on their fields and in a fresh error summary.
    pub fn refuse(self, errors: Vec<FieldError>) {
        self.summary.set(errors.clone());
        self.errors.set(errors);
        self.refusals.update(|n| *n += 1);
    }

    /// Updates the field messages after an edit, leaving the summary as it was at submit.
    pub fn revise(self, errors: Vec<FieldError>) {
        self.errors.set(errors);
    }

    /// Clears every refusal, before a request that parsed goes out.
    pub fn accept(self) {
        self.errors.set(Vec::new());
        self.summary.set(Vec::new());
    }

    /// Whether a submit was refused since the last accepted one (field messages then follow edits).
    pub fn has_refusals(self) -> bool {
        self.summary.with_untracked(|summary| !summary.is_empty())
    }

    /// The summary's content (tracked), keyed by the submit that produced it.
    pub fn summary(self) -> (u32, Vec<FieldError>) {
        (self.refusals.get(), self.summary.get())
    }

    /// Takes in what an answer means for the form: refused fields (422) or a wait (429).
    pub fn absorb<T>(self, result: &Result<T, ApiError>) {
        match result {
            Err(ApiError::Invalid(errors)) => self.refuse(errors.clone()),
            Err(ApiError::RateLimited { retry_after }) => self.wait.start(*retry_after),
            _ => {}
        }
    }
}

fn message_for(errors: &[FieldError], field: InputField) -> Option<String> {
    errors.iter().find(|error| error.field == field).map(|error| error.message.clone())
}
