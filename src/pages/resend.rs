//! The resend form (用户手动重发): phone number and ID suffix ask for a new SMS.

use leptos::prelude::*;
use protocol::{InputField, ResendRequest, SUBMIT_RESEND};

use crate::{
    api,
    components::{field, form_answer, ControlledForm},
    form_controller::{FormController, Reply, Sending},
};

/// Phone and ID suffix, parsed with `ResendRequest::parse`; the answer in the protocol's words, and
/// a countdown when the server says it is too soon to ask again.
#[component]
pub fn ResendForm() -> impl IntoView {
    let phone = RwSignal::new(String::new());
    let id_suffix = RwSignal::new(String::new());
    let form = FormController::new(move || {
        let typed = ResendRequest { phone: phone.get_untracked(), id_suffix: id_suffix.get_untracked() };
        let (phone, suffix) = typed.parse()?;
        let request = ResendRequest { phone: phone.as_str().to_owned(), id_suffix: suffix.as_str().to_owned() };
        let sending: Sending = Box::pin(async move { api::resend(request).await.map(Reply::Resend) });
        Ok(sending)
    });
    view! {
        <ControlledForm form action="/resend" label=SUBMIT_RESEND>
            {field(form, InputField::Phone, phone)}
            {field(form, InputField::IdSuffix, id_suffix)}
        </ControlledForm>
        {form_answer(form)}
    }
}
