//! Any path the app does not know.

use leptos::prelude::*;

use protocol::HELP_LINK;

use crate::components::Page;

/// Says the page does not exist and leads back to the form and the help.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Page title="页面不存在 - 备案短信核验" heading="页面不存在">
            <p>"您访问的页面不存在。"</p>
            <p>
                <a href="/">"前往短信核验"</a>
            </p>
            <p>
                <a href="/help">{HELP_LINK}</a>
            </p>
        </Page>
    }
}
