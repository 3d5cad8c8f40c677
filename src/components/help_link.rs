//! The way to the help page, on every page that asks for a code.

use leptos::prelude::*;
use protocol::HELP_LINK;

/// "收不到短信？": leads to the help page (SMS filters, resend, another number).
#[component]
pub fn HelpLink() -> impl IntoView {
    view! {
        <p class="help-link">
            <a href="/help">{HELP_LINK}</a>
        </p>
    }
}
