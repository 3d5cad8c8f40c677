//! The error summary of a form, shown anew on each refused submit.

use leptos::prelude::*;

use super::ErrorSummary;
use crate::FormState;

/// Renders the [`ErrorSummary`] for the form's last refused submit, or nothing. Each refused
/// submit builds a new summary, so focus moves to it again even when the errors are the same.
#[component]
pub fn FormSummary(
    /// The form whose refusals to list.
    state: FormState,
) -> impl IntoView {
    move || {
        let (_, errors) = state.summary();
        (!errors.is_empty()).then(|| view! { <ErrorSummary errors /> })
    }
}
