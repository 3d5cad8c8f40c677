//! The routes.

use leptos::prelude::*;
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    path,
};

use crate::pages::{CheckPage, HelpPage, LinkPage, NotFoundPage};

/// The whole app: `/` the code form, `/v/:token` a short link, `/help` when no SMS arrived.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <FlatRoutes fallback=NotFoundPage>
                <Route path=path!("/") view=CheckPage />
                <Route path=path!("/v/:token") view=LinkPage />
                <Route path=path!("/help") view=HelpPage />
            </FlatRoutes>
        </Router>
    }
}
