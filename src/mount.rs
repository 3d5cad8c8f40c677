//! Taking over the static page that `index.html` shows before the wasm arrives.

use std::time::Duration;

use leptos::{mount::mount_to, prelude::*, wasm_bindgen::JsCast};
use protocol::{CheckRequest, InputField};
use web_sys::{Element, HtmlElement, HtmlInputElement};

use crate::{components::field_id, pages::Draft, App};

/// The element the static page lives in and the app replaces.
const ROOT_ID: &str = "app";

/// Replaces the static form in `#app` with the app, keeping what was typed and where focus was:
/// on a slow connection people start typing before the wasm arrives.
///
/// The takeover waits until the static page has been painted once. On a fast connection the wasm
/// can otherwise arrive before the first paint, and the largest paint (LCP) would then wait for
/// the wasm; this way the static heading is always the LCP element, and the app's identical one
/// does not count again.
pub fn start() {
    // A frame callback runs just before a paint; a zero timeout set in it runs just after.
    request_animation_frame(|| set_timeout(take_over, Duration::ZERO));
}

fn take_over() {
    let document = document();
    let Some(root) = document.get_element_by_id(ROOT_ID) else {
        leptos::mount::mount_to_body(App);
        return;
    };
    let draft = Draft(CheckRequest {
        code: typed(&root, InputField::Code),
        phone: typed(&root, InputField::Phone),
        id_suffix: typed(&root, InputField::IdSuffix),
    });
    let focused = document.active_element().map(|element| element.id()).filter(|id| id.starts_with("f-"));
    root.set_inner_html("");
    let Ok(root) = root.dyn_into::<HtmlElement>() else { return };
    let marker = root.clone();
    mount_to(root, move || {
        provide_context(draft);
        App()
    })
    .forget();
    // A marker for end-to-end tests and support: the page is now the app, not the static form.
    let _ = marker.set_attribute("data-app", "ready");
    if let Some(element) = focused.and_then(|id| document.get_element_by_id(&id)) {
        if let Ok(element) = element.dyn_into::<HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// The value of the static form's input for `field`, or empty.
fn typed(root: &Element, field: InputField) -> String {
    root.query_selector(&format!("#{}", field_id(field)))
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default()
}
