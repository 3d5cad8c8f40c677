//! `/help`: what to do when the SMS does not arrive.
//!
//! The words are `protocol::help`'s, which the server's no-script `/help.html` renders too; the
//! sender numbers are the server's configured ones (`GET /api/v1/senders`).

use leptos::{prelude::*, task::spawn_local};
use protocol::{help, Sender, HELP_LINK};

use super::ResendForm;
use crate::{
    api::{self, ApiError},
    components::{Failure, Page},
};

/// Three ways out: check the phone's SMS filter, ask for a resend, or have the access provider
/// resubmit with another number.
#[component]
pub fn HelpPage() -> impl IntoView {
    let senders = RwSignal::new(None::<Result<Vec<Sender>, ApiError>>);
    let load = move || {
        spawn_local(async move {
            let answer = api::senders().await.map(|senders| senders.senders);
            senders.try_set(Some(answer));
        })
    };
    load();
    let retry = Callback::new(move |()| {
        senders.set(None);
        load();
    });
    let numbers = move || match senders.get() {
        None => view! { <p class="loading">{help::SENDERS_LOADING}</p> }.into_any(),
        Some(Ok(senders)) => view! { <SenderList senders /> }.into_any(),
        Some(Err(error)) => view! { <Failure error retry /> }.into_any(),
    };
    view! {
        <Page title=help::TITLE heading=HELP_LINK>
            <section aria-labelledby="help-filter">
                <h2 id="help-filter">{help::FILTER_HEADING}</h2>
                <p>{help::FILTER_TEXT}</p>
                {numbers}
                <p class="hint">{help::FILTER_NOTE}</p>
            </section>
            <section aria-labelledby="help-resend">
                <h2 id="help-resend">{help::RESEND_HEADING}</h2>
                <p>{help::RESEND_TEXT}</p>
                <ResendForm />
            </section>
            <section aria-labelledby="help-number">
                <h2 id="help-number">{help::NUMBER_HEADING}</h2>
                <p>{help::NUMBER_TEXT}</p>
            </section>
            <p>
                <a href="/">{protocol::BACK_TO_FORM}</a>
            </p>
        </Page>
    }
}

/// The sender numbers by carrier (a number moved to another carrier, or one of a virtual operator,
/// gets them from the carrier that hosts it).
#[component]
pub fn SenderList(
    /// As the server lists them.
    senders: Vec<Sender>,
) -> impl IntoView {
    let items = senders
        .into_iter()
        .map(|Sender { carrier, number }| {
            view! {
                <li>
                    {carrier}
                    "："
                    <span class="number">{number}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="senders">{items}</ul> }
}
