//! One labelled input with its hint and its error, tied together for assistive technology.

use leptos::prelude::*;
use protocol::InputField;

/// The `id` of a field's input: `f-code`, `f-phone`, `f-id_suffix`. The static form in
/// `index.html` uses the same ids, so focus can be carried over when the app takes over.
pub fn field_id(field: InputField) -> String {
    format!("f-{}", field_name(field))
}

/// The form field name, as the server's HTML form posts and the JSON bodies spell it.
fn field_name(field: InputField) -> &'static str {
    match field {
        InputField::Code => "code",
        InputField::Phone => "phone",
        InputField::IdSuffix => "id_suffix",
    }
}

/// How the browser should treat each field: keyboard, autofill and a short hint.
struct InputKind {
    input_type: &'static str,
    inputmode: Option<&'static str>,
    autocomplete: &'static str,
    hint: &'static str,
}

fn kind(field: InputField) -> InputKind {
    match field {
        // one-time-code lets iOS and Android offer the code straight from the SMS.
        InputField::Code => InputKind {
            input_type: "text",
            inputmode: Some("numeric"),
            autocomplete: "one-time-code",
            hint: "短信中的6位数字",
        },
        InputField::Phone => {
            InputKind {
                input_type: "tel", inputmode: None, autocomplete: "tel", hint: "接收核验短信的手机号码"
            }
        }
        // Letters are allowed (a resident ID may end in X), so no numeric keyboard here.
        InputField::IdSuffix => {
            InputKind { input_type: "text", inputmode: None, autocomplete: "off", hint: "末位是X时请输入X" }
        }
    }
}

/// A labelled text input. Its error, when there is one, sits between label and input, is named in
/// `aria-describedby` and sets `aria-invalid`, so a screen reader reads it with the field.
#[component]
pub fn Field(
    /// Which field: gives the label, `id`, `name` and input attributes.
    field: InputField,
    /// The text as typed, bound both ways.
    value: RwSignal<String>,
    /// The refusal shown on this field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Called when the person leaves the field after changing it.
    #[prop(optional)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let id = field_id(field);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let InputKind { input_type, inputmode, autocomplete, hint } = kind(field);
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    let is_suffix = field == InputField::IdSuffix;
    view! {
        <div class="field">
            <label for=id.clone()>{field.label()}</label>
            <p class="hint" id=hint_id>{hint}</p>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                <span class="visually-hidden">"错误："</span>
                                {message}
                            </p>
                        }
                    })
            }}
            <input
                id=id
                name=field_name(field)
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                autocapitalize=is_suffix.then_some("characters")
                spellcheck="false"
                class=is_suffix.then_some("upper")
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
                bind:value=value
                on:change=move |_| {
                    if let Some(on_change) = on_change {
                        on_change.run(());
                    }
                }
            />
        </div>
    }
}
