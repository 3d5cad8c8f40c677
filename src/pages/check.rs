//! `/`: the manual form (短信验证码, 手机号码, 证件号码后六位).

use leptos::prelude::*;
use protocol::{CheckRequest, InputField, ParsedCheck};

use crate::{
    api,
    components::{answer, CheckOutcomeView, Field, FormSummary, HelpLink, Page, SubmitButton},
    FormState,
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
        <Page title="备案短信核验" heading="备案短信核验">
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
    let state = FormState::new();
    let typed = move || CheckRequest {
        code: code.get_untracked(),
        phone: phone.get_untracked(),
        id_suffix: id_suffix.get_untracked(),
    };
    let check = Action::new_local(move |request: &CheckRequest| {
        let request = request.clone();
        async move {
            let result = api::check(request).await;
            state.absorb(&result);
            result
        }
    });
    let submit = move || {
        if check.pending().get_untracked() || state.wait.running_untracked() {
            return;
        }
        match typed().parse() {
            Ok(parsed) => {
                state.accept();
                check.dispatch(normalised(parsed));
            }
            Err(errors) => state.refuse(errors),
        }
    };
    // After a refused submit, each edit re-checks, so a fixed field loses its error at once.
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
            action="/check"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <FormSummary state />
            {field(InputField::Code, code)}
            {field(InputField::Phone, phone)}
            {field(InputField::IdSuffix, id_suffix)}
            <SubmitButton label=protocol::SUBMIT_CHECK pending=check.pending() wait=state.wait />
        </form>
        {answer(
            check,
            |outcome| view! { <CheckOutcomeView outcome /> }.into_any(),
            Callback::new(move |()| submit()),
        )}
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
