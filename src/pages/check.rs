//! `/`: the manual form (短信验证码, 手机号码, 证件号码后六位).

use leptos::prelude::*;
use protocol::{CheckRequest, InputField, ParsedCheck, SITE_NAME, SUBMIT_CHECK};

use crate::{
    api,
    components::{field, form_answer, ControlledForm, HelpLink, Page},
    form_controller::{FormController, Reply, Sending},
};

/// What the static form in `index.html` held when the app took over: people may start typing
/// before the wasm arrives, and must not lose it.
#[derive(Debug, Clone, Default)]
pub struct Draft(pub CheckRequest);

/// The home page: the code form and the way to help.
#[component]
pub fn CheckPage() -> impl IntoView {
    let initial = use_context::<Draft>().map(|Draft(draft)| draft).unwrap_or_default();
    view! {
        <Page title=SITE_NAME heading=SITE_NAME>
            <CheckForm initial />
            <HelpLink />
        </Page>
    }
}

/// The three fields, parsed with the same `CheckRequest::parse` the server runs; only a request
/// that parses is sent, in its normalised form.
#[component]
pub fn CheckForm(
    /// Values to start with (the static form's, when the app took it over).
    #[prop(optional)]
    initial: CheckRequest,
) -> impl IntoView {
    let code = RwSignal::new(initial.code);
    let phone = RwSignal::new(initial.phone);
    let id_suffix = RwSignal::new(initial.id_suffix);
    let form = FormController::new(move || {
        let typed = CheckRequest {
            code: code.get_untracked(),
            phone: phone.get_untracked(),
            id_suffix: id_suffix.get_untracked(),
        };
        let request = normalised(typed.parse()?);
        let sending: Sending = Box::pin(async move { api::check(request).await.map(Reply::Check) });
        Ok(sending)
    });
    view! {
        <ControlledForm form action="/check" label=SUBMIT_CHECK>
            {field(form, InputField::Code, code)}
            {field(form, InputField::Phone, phone)}
            {field(form, InputField::IdSuffix, id_suffix)}
        </ControlledForm>
        {form_answer(form)}
    }
}

/// The request as the parsers understood it (half-width digits, no +86, upper-case X).
fn normalised(parsed: ParsedCheck) -> CheckRequest {
    CheckRequest {
        code: parsed.code.as_str().to_owned(),
        phone: parsed.phone.as_str().to_owned(),
        id_suffix: parsed.id_suffix.as_str().to_owned(),
    }
}
