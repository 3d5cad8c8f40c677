//! The answer to a check or a resend, in the exact words of the protocol crate.

use leptos::prelude::*;
use protocol::{CheckOutcome, ResendOutcome};

use super::{Notice, Tone};

/// What a check did: `outcome.message()` under a heading that says success or not.
#[component]
pub fn CheckOutcomeView(
    /// The server's answer.
    outcome: CheckOutcome,
) -> impl IntoView {
    let (tone, heading) =
        if outcome.is_success() { (Tone::Success, "核验成功") } else { (Tone::Problem, "核验未通过") };
    view! {
        <Notice tone heading>
            <p class="outcome" data-outcome=outcome.kind()>{outcome.message()}</p>
        </Notice>
    }
}

/// What a resend request did: `outcome.message()` under a heading that says sent or not.
#[component]
pub fn ResendOutcomeView(
    /// The server's answer.
    outcome: ResendOutcome,
) -> impl IntoView {
    let (tone, heading) =
        if outcome.is_success() { (Tone::Success, "已重新发送") } else { (Tone::Problem, "未重新发送") };
    view! {
        <Notice tone heading>
            <p class="outcome">{outcome.message()}</p>
        </Notice>
    }
}
