//! What a form shows when a request got no usable answer.

use leptos::prelude::*;

use super::{Notice, Tone};
use crate::api::ApiError;

/// A failed request in plain words, with a retry button when trying again may help (no network,
/// timeout, server error). After a 429 there is no button: the submit button counts down instead.
#[component]
pub fn Failure(
    /// What went wrong.
    error: ApiError,
    /// Sends the same request again.
    #[prop(optional)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let retry = retry.filter(|_| error.is_transient()).map(|retry| {
        view! {
            <button type="button" class="secondary" on:click=move |_| retry.run(())>
                "重试"
            </button>
        }
    });
    view! {
        <Notice tone=Tone::Problem heading="提交未成功">
            <p>{error.message()}</p>
            {retry}
        </Notice>
    }
}
