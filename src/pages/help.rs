//! `/help`: what to do when the SMS does not arrive.
//!
//! `index.html` carries the same text for browsers without WebAssembly; keep the two in step.

use leptos::prelude::*;

use super::ResendForm;
use crate::components::Page;

/// The numbers the SMS come from, by carrier (a number moved to another carrier, or one of a virtual
/// operator, gets them from the carrier that hosts it).
const SENDERS: [(&str, &str); 3] =
    [("中国电信", "106598051001"), ("中国联通", "10655113"), ("中国移动", "106575000130")];

/// Three ways out: check the phone's SMS filter, ask for a resend, or have the access provider
/// resubmit with another number.
#[component]
pub fn HelpPage() -> impl IntoView {
    let senders = SENDERS
        .iter()
        .map(|(carrier, number)| {
            view! {
                <li>
                    {*carrier}
                    "："
                    <span class="number">{*number}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <Page title="收不到短信？ - 备案短信核验" heading="收不到短信？">
            <section aria-labelledby="help-filter">
                <h2 id="help-filter">"1. 查看短信是否被拦截"</h2>
                <p>
                    "核验短信由以下号码发送。请在手机的骚扰拦截、垃圾短信或通知过滤中查找，并将号码设为信任："
                </p>
                <ul class="senders">{senders}</ul>
                <p class="hint">"携号转网或虚拟运营商（170、171、162、165、167 号段）的号码，由承载该号段的运营商发送。"</p>
            </section>
            <section aria-labelledby="help-resend">
                <h2 id="help-resend">"2. 重新发送短信"</h2>
                <p>"重发后，之前收到的验证码和链接即失效，请使用最新一条短信。重发次数有限。"</p>
                <ResendForm />
            </section>
            <section aria-labelledby="help-number">
                <h2 id="help-number">"3. 换用其他号码"</h2>
                <p>"如果该手机号码已停用或无法接收短信，请联系为您办理备案的接入商，使用其他手机号码重新提交备案申请。"</p>
            </section>
            <p>
                <a href="/">"返回短信核验"</a>
            </p>
        </Page>
    }
}
