//! The place under a form where the answer to a submit appears.

use leptos::prelude::*;

use super::Failure;
use crate::api::ApiError;

/// The answer area of a form: empty while a request is under way (so an old answer is never read
/// as the new one), then the outcome, or what went wrong. Refused fields (422) show on the fields
/// and in the error summary instead, so they leave this area empty.
pub fn answer<I, T>(
    action: Action<I, Result<T, ApiError>>,
    outcome: impl Fn(T) -> AnyView + Copy + Send + Sync + 'static,
    retry: Callback<()>,
) -> impl IntoView
where
    I: 'static,
    T: Clone + 'static,
{
    move || {
        if action.pending().get() {
            return None;
        }
        action.value().get().map(|result| match result {
            Ok(value) => outcome(value),
            Err(ApiError::Invalid(_)) => ().into_any(),
            Err(error) => view! { <Failure error retry /> }.into_any(),
        })
    }
}
