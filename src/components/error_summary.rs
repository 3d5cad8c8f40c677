//! The list of refused fields shown above a form after a refused submit.

use leptos::{prelude::*, wasm_bindgen::JsCast};
use protocol::{FieldError, FIX_THESE};

use super::{field_id, Notice, Tone};

/// Every refused field, each a link that moves focus to its input. It is an alert and takes focus,
/// so the person hears at once that the submit did not go through and why.
#[component]
pub fn ErrorSummary(
    /// The refusals, in form order.
    errors: Vec<FieldError>,
) -> impl IntoView {
    let items = errors
        .into_iter()
        .map(|error| {
            let id = field_id(error.field);
            let href = format!("#{id}");
            let focus_field = move |ev: leptos::ev::MouseEvent| {
                // Focusing the input (not just scrolling to it) lets the person type straight away.
                ev.prevent_default();
                if let Some(input) = document().get_element_by_id(&id) {
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                        let _ = input.focus();
                    }
                }
            };
            view! {
                <li>
                    // The messages name their field already (请输入手机号码。).
                    <a href=href on:click=focus_field>{error.message}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <Notice tone=Tone::Problem heading=FIX_THESE>
            <ul class="error-list">{items}</ul>
        </Notice>
    }
}
