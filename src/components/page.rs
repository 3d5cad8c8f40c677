//! The frame of every page: its document title and its heading.

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::{html::H1, prelude::*};

/// Whether a page was shown before: the first one replaces the static form and must not steal
/// focus from someone already typing; later ones come from in-app navigation.
static SHOWN_BEFORE: AtomicBool = AtomicBool::new(false);

/// Sets `document.title` and renders the `<h1>`. After in-app navigation, focus moves to the
/// heading so a screen reader announces the new page, as a full page load would.
#[component]
pub fn Page(
    /// The document title (the browser tab, history, and what a screen reader reads first).
    title: &'static str,
    /// The visible heading.
    heading: &'static str,
    /// The page's content.
    children: Children,
) -> impl IntoView {
    document().set_title(title);
    let node = NodeRef::<H1>::new();
    let navigated = SHOWN_BEFORE.swap(true, Ordering::Relaxed);
    if navigated {
        Effect::new(move |_| {
            if let Some(heading) = node.get() {
                let _ = heading.focus();
            }
        });
    }
    view! {
        <h1 class="title" tabindex="-1" node_ref=node>{heading}</h1>
        {children()}
    }
}
