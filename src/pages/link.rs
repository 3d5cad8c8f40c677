//! `/v/:token`: the short link from the SMS. Shows what the request is about, asks only for the
//! ID suffix.

use leptos::{prelude::*, task::spawn_local};
use protocol::{CheckOutcome, LinkLanding, LinkOnlyState, LinkState, VerificationState, SITE_NAME};

use super::link_form::LinkCheckForm;
use crate::{
    api::{self, ApiError},
    components::{CheckOutcomeView, Failure, HelpLink, Notice, Page, Tone},
    Countdown,
};

/// Loads the link's landing data, then shows it, or says why the link cannot be used.
#[component]
pub fn LinkPage(
    /// The token from the path (`/v/<token>`).
    token: String,
) -> impl IntoView {
    // Plain signal, filled by one task: lighter in the wasm than a resource under a Transition.
    let landing = RwSignal::new(None::<Result<LinkLanding, ApiError>>);
    let load = {
        let token = token.clone();
        move || {
            let token = token.clone();
            spawn_local(async move {
                let answer = api::link_landing(token).await;
                landing.try_set(Some(answer));
            })
        }
    };
    load();
    let retry = Callback::new(move |()| {
        landing.set(None);
        load();
    });
    // The help link comes with the answer, not with the loading line: below a line that the
    // details replace, it would jump down (a layout shift).
    let content = move || match landing.get() {
        None => view! { <p class="loading">"正在读取核验信息…"</p> }.into_any(),
        Some(Ok(landing)) => view! {
            <LinkLandingView landing token=token.clone() />
            <HelpLink />
        }
        .into_any(),
        Some(Err(ApiError::NotFound)) => view! {
            <UnknownLink />
            <HelpLink />
        }
        .into_any(),
        Some(Err(error)) => view! {
            <Failure error retry />
            <HelpLink />
        }
        .into_any(),
    };
    view! {
        // The same heading as the static page, so the first paint stays the largest one.
        <Page title="短信链接核验 - 备案短信核验" heading=SITE_NAME>
            {content}
        </Page>
    }
}

/// What a link is about (name, masked phone, business type, subject, websites, time left) and,
/// while it is open, the ID-suffix form; once closed, what happened, worded by the protocol crate.
#[component]
pub fn LinkLandingView(
    /// The landing data from the server.
    landing: LinkLanding,
    /// The link's token, for the check.
    token: String,
) -> impl IntoView {
    let left = Countdown::new();
    left.start(landing.seconds_left);
    // A memo, so the form is built once and only replaced when the time runs out.
    let open = Memo::new(move |_| left.running());
    let closed = closed_outcome(&landing);
    let expired = CheckOutcome::Expired { name: landing.name.clone() };
    let websites = (!landing.website_names.is_empty()).then(|| {
        view! {
            <dt>"网站名称"</dt>
            <dd>{landing.website_names.join("、")}</dd>
        }
    });
    let time_left = closed.is_none().then(|| {
        view! {
            <dt>"剩余有效时间"</dt>
            <dd>{move || time_left_text(left.left())}</dd>
        }
    });
    let next = move || match (&closed, open.get()) {
        (Some(outcome), _) => view! { <ClosedLink outcome=outcome.clone() /> }.into_any(),
        (None, false) => view! { <ClosedLink outcome=expired.clone() /> }.into_any(),
        (None, true) => view! { <LinkCheckForm token=token.clone() /> }.into_any(),
    };
    view! {
        <section class="facts" aria-labelledby="facts-heading">
            <h2 id="facts-heading">"核验信息"</h2>
            <dl>
                <dt>"核验人"</dt>
                <dd>{landing.name.clone()}</dd>
                <dt>"手机号码"</dt>
                <dd>{landing.masked_phone.clone()}</dd>
                <dt>"业务类型"</dt>
                <dd>{landing.business_type.label()}</dd>
                <dt>"主体名称"</dt>
                <dd>{landing.subject_name.clone()}</dd>
                {websites}
                {time_left}
            </dl>
        </section>
        {next}
    }
}

/// What a link that can no longer be used means for the person, in the protocol's words; `None`
/// while it is open. A pending link with no time left has expired even if no job marked it yet.
fn closed_outcome(landing: &LinkLanding) -> Option<CheckOutcome> {
    let name = landing.name.clone();
    let person = match landing.state {
        LinkState::Person(person) => person,
        LinkState::Link(LinkOnlyState::LinkDisabled) => return Some(CheckOutcome::LinkDisabled),
    };
    match person {
        VerificationState::Pending if landing.seconds_left > 0 => None,
        VerificationState::Pending | VerificationState::Expired => Some(CheckOutcome::Expired { name }),
        VerificationState::Verified => Some(CheckOutcome::AlreadyVerified { name }),
        VerificationState::AttemptsUsedUp => Some(CheckOutcome::AttemptsUsedUp { name }),
        VerificationState::Returned => Some(CheckOutcome::Returned { name }),
        VerificationState::NotNeeded => Some(CheckOutcome::NotNeeded { name }),
    }
}

/// "2小时5分钟": whole minutes are precise enough for a validity of hours.
fn time_left_text(seconds: u64) -> String {
    let (hours, minutes) = (seconds / 3600, seconds % 3600 / 60);
    match (hours, minutes) {
        (0, 0) => "不足1分钟".to_owned(),
        (0, minutes) => format!("{minutes}分钟"),
        (hours, minutes) => format!("{hours}小时{minutes}分钟"),
    }
}

/// A link that is used, expired or returned: the outcome, and the way to the manual form.
#[component]
fn ClosedLink(
    /// What happened to the verification behind the link.
    outcome: CheckOutcome,
) -> impl IntoView {
    view! {
        <CheckOutcomeView outcome />
        <p>
            <a href="/">"前往短信核验页面，手动输入验证码"</a>
        </p>
    }
}

/// An unknown token (mistyped, cut off by the SMS app, or from an old request).
#[component]
fn UnknownLink() -> impl IntoView {
    view! {
        <Notice tone=Tone::Problem heading="链接无效">
            <p>"该核验链接不存在或已失效。请检查链接是否完整，或使用短信中的验证码手动核验。"</p>
        </Notice>
        <p>
            <a href="/">"前往短信核验页面，手动输入验证码"</a>
        </p>
    }
}
