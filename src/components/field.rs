//! One labelled input with its hint and its error, tied together for assistive technology.

use leptos::prelude::*;
use protocol::{InputField, InputKind, ERROR_PREFIX};

/// The `id` of a field's input: `f-code`, `f-phone`, `f-id_suffix`. The static form in
/// `index.html` and the server's form pages use the same ids, so focus can be carried over when
/// the app takes over.
pub fn field_id(field: InputField) -> String {
    field.id().to_owned()
}

/// A labelled text input. Its error, when there is one, sits between label and input, is named in
/// `aria-describedby` and sets `aria-invalid`, so a screen reader reads it with the field. The
/// server's no-script form pages render the same markup.
#[component]
pub fn Field(
    /// Which field: gives the label, hint, `id`, `name` and input attributes.
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
    let id = field.id();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let InputKind { input_type, inputmode, autocomplete, upper } = field.kind();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    view! {
        <div class="field">
            <label for=id>{field.label()}</label>
            <p class="hint" id=hint_id>{field.hint()}</p>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                <span class="visually-hidden">{ERROR_PREFIX}</span>
                                {message}
                            </p>
                        }
                    })
            }}
            <input
                id=id
                name=field.name()
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                autocapitalize=upper.then_some("characters")
                spellcheck="false"
                class=upper.then_some("upper")
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
