//! The routes, and the small path router that serves them: in-app links and the back button
//! change the page without a reload. (leptos_router added about 70 KB of wasm, 23 KB brotli.)

use leptos::{ev, prelude::*, wasm_bindgen::JsCast};
use web_sys::{Element, MouseEvent};

use crate::pages::{CheckPage, HelpPage, LinkPage, NotFoundPage};

/// The app's pages, by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: the code form.
    Check,
    /// `/v/<token>`: a short link from an SMS.
    Link(String),
    /// `/help`: when no SMS arrived.
    Help,
    NotFound,
}

impl Route {
    pub fn of(path: &str) -> Route {
        match path {
            "/" => Route::Check,
            "/help" => Route::Help,
            _ => match path.strip_prefix("/v/") {
                Some(token) if !token.is_empty() && !token.contains('/') => Route::Link(token.to_owned()),
                _ => Route::NotFound,
            },
        }
    }
}

/// The whole app: the page for the address bar's path, kept in step with in-app links and history.
#[component]
pub fn App() -> impl IntoView {
    let path = RwSignal::new(current_path());
    let route = Memo::new(move |_| Route::of(&path.get()));
    // Both listen for the page's lifetime: the app is never unmounted.
    let _ = window_event_listener(ev::popstate, move |_| path.set(current_path()));
    let _ = window_event_listener(ev::click, move |ev| {
        if let Some(to) = in_app_link(&ev) {
            ev.prevent_default();
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to));
            }
            path.set(to);
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    move || match route.get() {
        Route::Check => view! { <CheckPage /> }.into_any(),
        Route::Link(token) => view! { <LinkPage token /> }.into_any(),
        Route::Help => view! { <HelpPage /> }.into_any(),
        Route::NotFound => view! { <NotFoundPage /> }.into_any(),
    }
}

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}

/// The path of an app page that a plain left click on a link leads to; `None` for anything the
/// browser should handle itself (other sites, new tabs, downloads, the server's own pages).
fn in_app_link(ev: &MouseEvent) -> Option<String> {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key() {
        return None;
    }
    let anchor = ev.target()?.dyn_into::<Element>().ok()?.closest("a[href]").ok()??;
    if anchor.has_attribute("target") || anchor.has_attribute("download") {
        return None;
    }
    let href = anchor.get_attribute("href")?;
    (href.starts_with('/') && Route::of(&href) != Route::NotFound).then_some(href)
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn paths_map_to_their_pages_and_nothing_else_does() {
        assert_eq!(Route::of("/"), Route::Check);
        assert_eq!(Route::of("/help"), Route::Help);
        assert_eq!(Route::of("/v/AbC-_9"), Route::Link("AbC-_9".into()));
        for other in ["", "/v/", "/v/a/b", "/help.html", "//evil.example/v/x", "/check"] {
            assert_eq!(Route::of(other), Route::NotFound, "{other}");
        }
    }
}
