//! The frame every form shares: the error summary, the fields, the submit button, and below the
//! form the answer to the last submit.

use leptos::prelude::*;
use protocol::InputField;

use super::{CheckOutcomeView, Failure, Field, FormSummary, ResendOutcomeView, SubmitButton};
use crate::{
    api::ApiError,
    form_controller::{FormController, Reply},
};

/// A `<form>` run by `form`: the summary of refused fields on top, `children` (its fields), then
/// the submit button. It posts to `action` when the app is not running the page.
#[component]
pub fn ControlledForm(
    /// The form's flow.
    form: FormController,
    /// The server's no-script form handler (`/check`, `/resend`), if there is one.
    #[prop(optional)]
    action: Option<&'static str>,
    /// The submit button's words.
    label: &'static str,
    /// The fields (see [`field`]).
    children: Children,
) -> impl IntoView {
    view! {
        <form
            class="form"
            method="post"
            action=action
            on:submit=move |ev| {
                ev.prevent_default();
                form.submit();
            }
        >
            <FormSummary state=form.state />
            {children()}
            <SubmitButton label pending=form.pending() wait=form.state.wait />
        </form>
    }
}

/// One field of `form`, holding `value`, with its error and the recheck on change.
pub fn field(form: FormController, field: InputField, value: RwSignal<String>) -> impl IntoView {
    let recheck = Callback::new(move |()| form.recheck());
    view! { <Field field value error=form.state.error_for(field) on_change=recheck /> }
}

/// The answer area under a form: empty while a request is under way (so an old answer is never
/// read as the new one), then the outcome, or what went wrong with a retry when that may help.
/// Refused fields (422) show on the fields and in the summary instead.
pub fn form_answer(form: FormController) -> impl IntoView {
    let retry = Callback::new(move |()| form.submit());
    move || {
        if form.pending().get() {
            return None;
        }
        form.with_reply(|reply| {
            reply.map(|result| match result.clone() {
                Ok(Reply::Check(outcome)) => view! { <CheckOutcomeView outcome /> }.into_any(),
                Ok(Reply::Resend(outcome)) => view! { <ResendOutcomeView outcome /> }.into_any(),
                Err(ApiError::Invalid(_)) => ().into_any(),
                Err(error) => view! { <Failure error retry /> }.into_any(),
            })
        })
    }
}
