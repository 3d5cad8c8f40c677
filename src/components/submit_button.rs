//! A form's submit button, which refuses a second submit while one is under way or while waiting.

use leptos::prelude::*;

use crate::Countdown;

/// The submit button. Disabled while the request is pending (no double submit) and while the
/// server's wait after a 429 runs, showing the seconds left.
#[component]
pub fn SubmitButton(
    /// The words on the button when it can be pressed.
    label: &'static str,
    /// Whether a request is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// The wait after a 429.
    wait: Countdown,
) -> impl IntoView {
    let text = move || {
        if pending.get() {
            "正在提交…".to_owned()
        } else if wait.running() {
            format!("请在{}秒后重试", wait.left())
        } else {
            label.to_owned()
        }
    };
    view! {
        <button
            type="submit"
            class="primary"
            disabled=move || pending.get() || wait.running()
            aria-busy=move || pending.get().then_some("true")
        >
            {text}
        </button>
    }
}
