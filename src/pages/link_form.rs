//! The short link's form: the token says who, the person proves it with the ID suffix.

use leptos::prelude::*;
use protocol::{CheckOutcome, InputField, LinkCheckRequest};

use crate::{
    api,
    components::{answer, CheckOutcomeView, Field, FormSummary, SubmitButton},
    FormState,
};

/// The ID-suffix field and its answer. The form goes away once the answer is final; it stays
/// after a wrong suffix (while the link has tries left) so the person can try again.
#[component]
pub fn LinkCheckForm(
    /// The link's token.
    token: String,
) -> impl IntoView {
    let id_suffix = RwSignal::new(String::new());
    let state = FormState::new();
    let token = StoredValue::new(token);
    let typed = move || LinkCheckRequest { id_suffix: id_suffix.get_untracked() };
    let check = Action::new_local(move |request: &LinkCheckRequest| {
        let (token, request) = (token.get_value(), request.clone());
        async move {
            let result = api::link_check(token, request).await;
            state.absorb(&result);
            result
        }
    });
    let submit = move || {
        if check.pending().get_untracked() || state.wait.running_untracked() {
            return;
        }
        match typed().parse() {
            Ok(suffix) => {
                state.accept();
                check.dispatch(LinkCheckRequest { id_suffix: suffix.as_str().to_owned() });
            }
            Err(errors) => state.refuse(errors),
        }
    };
    let recheck = Callback::new(move |()| {
        if state.has_refusals() {
            state.revise(typed().parse().err().unwrap_or_default());
        }
    });
    let finished = move || {
        check.value().with(|value| match value {
            Some(Ok(outcome)) => !matches!(outcome, CheckOutcome::WrongSuffix { .. }),
            _ => false,
        })
    };
    view! {
        <Show when=move || !finished()>
            <form
                class="form"
                method="post"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <FormSummary state />
                <Field
                    field=InputField::IdSuffix
                    value=id_suffix
                    error=state.error_for(InputField::IdSuffix)
                    on_change=recheck
                />
                <SubmitButton label=protocol::SUBMIT_LINK_CHECK pending=check.pending() wait=state.wait />
            </form>
        </Show>
        {answer(
            check,
            |outcome| view! { <CheckOutcomeView outcome /> }.into_any(),
            Callback::new(move |()| submit()),
        )}
    }
}
