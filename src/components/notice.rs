//! A message that answers something the person did, announced and focused when it appears.

use leptos::{html::Div, prelude::*};

/// Whether a notice reports success or a problem. Besides colour, the two differ in icon, heading
/// and border, so they can be told apart without colour vision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Success,
    Problem,
}

/// A result box: `role="status"` for success, `role="alert"` for problems, and focus moved to it
/// so keyboard and screen-reader users land on the answer rather than on a disabled button.
#[component]
pub fn Notice(
    /// Success or problem.
    tone: Tone,
    /// A few words that say which one it is (核验成功, 核验未通过 ...).
    #[prop(into)]
    heading: String,
    /// The message itself.
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    // Runs once the box is in the document, which is when focus can move to it.
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            let _ = element.focus();
        }
    });
    let (role, class, icon) = match tone {
        Tone::Success => ("status", "notice notice-ok", "✓"),
        Tone::Problem => ("alert", "notice notice-problem", "!"),
    };
    view! {
        <div role=role class=class tabindex="-1" node_ref=node>
            <p class="notice-heading">
                <span class="notice-icon" aria-hidden="true">{icon}</span>
                {heading}
            </p>
            {children()}
        </div>
    }
}
