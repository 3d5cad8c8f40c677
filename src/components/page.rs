//! The frame of every page: its document title and its heading.

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::{html::H1, prelude::*, wasm_bindgen::JsCast};
use protocol::{province_site_name, SITE_NAME};

/// The `id` of the heading `index.html` paints before the wasm arrives.
const STATIC_HEADING_ID: &str = "title";

/// Set on that heading by the server when the page was entered from a province's site
/// (`/?p=330000`): the province's full name, which the site's name then carries.
const PROVINCE_ATTRIBUTE: &str = "data-province";

/// Whether a page was shown before: the first one replaces the static form and must not steal
/// focus from someone already typing; later ones come from in-app navigation.
static SHOWN_BEFORE: AtomicBool = AtomicBool::new(false);

/// Sets `document.title` and the page's `<h1>`. After in-app navigation, focus moves to the
/// heading so a screen reader announces the new page, as a full page load would.
///
/// The `<h1>` is the static one from `index.html` when there is one: it is the page's largest
/// paint (LCP), and Chrome counts a re-created heading as a new, later LCP even at the same size.
/// Only its text is changed, and only when it differs. Without it (in tests), the page renders
/// its own heading.
#[component]
pub fn Page(
    /// The document title (the browser tab, history, and what a screen reader reads first).
    title: &'static str,
    /// The visible heading.
    heading: &'static str,
    /// The page's content.
    children: Children,
) -> impl IntoView {
    let navigated = SHOWN_BEFORE.swap(true, Ordering::Relaxed);
    let heading_view = match document().get_element_by_id(STATIC_HEADING_ID) {
        Some(element) => {
            // Entered from a province's site: the site's name stays that province's, on every page.
            let province = element.get_attribute(PROVINCE_ATTRIBUTE);
            let named = |text: &'static str| match &province {
                Some(name) if text == SITE_NAME => province_site_name(name),
                _ => text.to_owned(),
            };
            document().set_title(&named(title));
            let heading = named(heading);
            if element.text_content().as_deref() != Some(heading.as_str()) {
                element.set_text_content(Some(&heading));
            }
            if navigated {
                if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
            }
            None
        }
        None => {
            document().set_title(title);
            Some(own_heading(heading, navigated))
        }
    };
    view! {
        {heading_view}
        {children()}
    }
}

fn own_heading(heading: &'static str, navigated: bool) -> impl IntoView {
    let node = NodeRef::<H1>::new();
    if navigated {
        Effect::new(move |_| {
            if let Some(heading) = node.get() {
                let _ = heading.focus();
            }
        });
    }
    view! {
        <h1 class="title" tabindex="-1" node_ref=node>
            {heading}
        </h1>
    }
}
