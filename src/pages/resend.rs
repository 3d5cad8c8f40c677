//! The resend form (用户手动重发): phone number and ID suffix ask for a new SMS.

use leptos::prelude::*;
use protocol::{InputField, ResendRequest};

use crate::{
    api,
    components::{answer, Field, FormSummary, ResendOutcomeView, SubmitButton},
    FormState,
};

/// Phone and ID suffix, parsed with `ResendRequest::parse`; the answer in the protocol's words, and
/// a countdown when the server says it is too soon to ask again.
#[component]
pub fn ResendForm() -> impl IntoView {
    let phone = RwSignal::new(String::new());
    let id_suffix = RwSignal::new(String::new());
    let state = FormState::new();
    let typed = move || ResendRequest { phone: phone.get_untracked(), id_suffix: id_suffix.get_untracked() };
    let resend = Action::new_local(move |request: &ResendRequest| {
        let request = request.clone();
        async move {
            let result = api::resend(request).await;
            state.absorb(&result);
            result
        }
    });
    let submit = move || {
        if resend.pending().get_untracked() || state.wait.running_untracked() {
            return;
        }
        match typed().parse() {
            Ok((phone, suffix)) => {
                state.accept();
                resend.dispatch(ResendRequest {
                    phone: phone.as_str().to_owned(),
                    id_suffix: suffix.as_str().to_owned(),
                });
            }
            Err(errors) => state.refuse(errors),
        }
    };
    let recheck = Callback::new(move |()| {
        if state.has_refusals() {
            state.revise(typed().parse().err().unwrap_or_default());
        }
    });
    let field = move |field, value| {
        view! { <Field field value error=state.error_for(field) on_change=recheck /> }
    };
    view! {
        <form
            class="form"
            method="post"
            action="/resend"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <FormSummary state />
            {field(InputField::Phone, phone)}
            {field(InputField::IdSuffix, id_suffix)}
            <SubmitButton label=protocol::SUBMIT_RESEND pending=resend.pending() wait=state.wait />
        </form>
        {answer(
            resend,
            |outcome| view! { <ResendOutcomeView outcome /> }.into_any(),
            Callback::new(move |()| submit()),
        )}
    }
}
