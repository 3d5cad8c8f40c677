//! The short link's form: the token says who, the person proves it with the ID suffix.

use leptos::prelude::*;
use protocol::{CheckOutcome, InputField, LinkCheckRequest, SUBMIT_LINK_CHECK};

use crate::{
    api,
    components::{field, form_answer, ControlledForm},
    form_controller::{FormController, Reply, Sending},
};

/// The ID-suffix field and its answer. The form goes away once the answer is final; it stays
/// after a wrong suffix (while the link has tries left) so the person can try again.
#[component]
pub fn LinkCheckForm(
    /// The link's token.
    token: String,
) -> impl IntoView {
    let id_suffix = RwSignal::new(String::new());
    let form = FormController::new(move || {
        let suffix = LinkCheckRequest { id_suffix: id_suffix.get_untracked() }.parse()?;
        let (token, request) = (token.clone(), LinkCheckRequest { id_suffix: suffix.as_str().to_owned() });
        let sending: Sending = Box::pin(async move { api::link_check(token, request).await.map(Reply::Check) });
        Ok(sending)
    });
    let finished = Memo::new(move |_| {
        form.with_reply(|reply| {
            matches!(reply, Some(Ok(Reply::Check(outcome))) if !matches!(outcome, CheckOutcome::WrongSuffix { .. }))
        })
    });
    view! {
        {move || {
            (!finished.get())
                .then(|| {
                    view! {
                        <ControlledForm form label=SUBMIT_LINK_CHECK>
                            {field(form, InputField::IdSuffix, id_suffix)}
                        </ControlledForm>
                    }
                })
        }}
        {form_answer(form)}
    }
}
