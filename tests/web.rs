//! The SPA's components in a real browser: what people type, what they are told, and that every
//! outcome reads exactly as the protocol crate words it. No HTTP: components that show answers
//! take them as props.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test web` (headless Chromium via
//! wasm-bindgen-test-runner, see .cargo/config.toml and webdriver.json).

#![cfg(target_arch = "wasm32")]

use std::any::Any;

use beian_verify::{
    api::ApiError,
    json::{self, ProblemBody},
    CheckForm, CheckOutcomeView, CheckPage, Failure, Field, FormState, HelpPage, LinkLandingView, NotFoundPage,
    ResendForm, ResendOutcomeView, SenderList, SubmitButton,
};
use gloo_timers::future::TimeoutFuture;
use leptos::{mount::mount_to, prelude::*, task::tick, wasm_bindgen::JsCast};
use protocol::{
    half_width_beside_chinese, BusinessType, CheckOutcome, CheckRequest, CodeError, FieldError, IdSuffixError,
    InputField, LinkLanding, LinkState, PhoneError, Problem, ProblemType, ResendOutcome, Sender, VerificationState,
};
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

// ---- helpers ---------------------------------------------------------------------------------

/// A view mounted in its own container; dropping it unmounts the view and removes the container,
/// so ids never clash between tests.
struct Mounted {
    container: HtmlElement,
    _handle: Box<dyn Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.container.remove();
    }
}

fn mount<F, N>(view: F) -> Mounted
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = mount_to(container.clone(), view);
    Mounted { container, _handle: Box::new(handle) }
}

/// Lets Leptos apply pending updates and run effects.
async fn settle() {
    for _ in 0..3 {
        tick().await;
    }
}

impl Mounted {
    fn find(&self, selector: &str) -> Element {
        self.try_find(selector).unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    fn try_find(&self, selector: &str) -> Option<Element> {
        self.container.query_selector(selector).unwrap()
    }

    fn count(&self, selector: &str) -> u32 {
        self.container.query_selector_all(selector).unwrap().length()
    }

    fn text(&self) -> String {
        self.container.text_content().unwrap_or_default()
    }

    /// Types like a person: sets the value, then fires `input` and `change` as a browser would.
    fn type_into(&self, field: InputField, text: &str) {
        let input: HtmlInputElement = self.find(&format!("#{}", beian_verify::field_id(field))).unchecked_into();
        input.set_value(text);
        for kind in ["input", "change"] {
            let init = EventInit::new();
            init.set_bubbles(true);
            input.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap()).unwrap();
        }
    }

    fn submit(&self) {
        self.find("button[type=submit]").unchecked_into::<HtmlElement>().click();
    }

    fn attribute(&self, selector: &str, name: &str) -> Option<String> {
        self.find(selector).get_attribute(name)
    }

    fn error_on(&self, field: InputField) -> Option<String> {
        let id = beian_verify::field_id(field);
        self.try_find(&format!("#{id}-error")).and_then(|element| element.text_content())
    }

    fn is_invalid(&self, field: InputField) -> bool {
        self.attribute(&format!("#{}", beian_verify::field_id(field)), "aria-invalid").as_deref() == Some("true")
    }
}

fn focused() -> Option<Element> {
    document().active_element()
}

fn every_check_outcome() -> Vec<CheckOutcome> {
    CheckOutcome::every_kind("张三", 2)
}

const EVERY_RESEND_OUTCOME: [ResendOutcome; 4] =
    [ResendOutcome::Requested, ResendOutcome::Sent, ResendOutcome::NothingPending, ResendOutcome::LimitReached];

fn landing(state: LinkState, seconds_left: u64) -> LinkLanding {
    LinkLanding {
        name: "李四".into(),
        masked_phone: "138****8000".into(),
        business_type: BusinessType::NewFiling,
        subject_name: "杭州示例科技有限公司".into(),
        website_names: vec!["示例网".into(), "示例商城".into()],
        state,
        expires_at: "2026-11-29T17:00:00Z".into(),
        seconds_left,
    }
}

// ---- the code form ---------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_code_form_has_three_labelled_fields_with_the_right_keyboards() {
    let page = mount(|| view! { <CheckForm /> });
    settle().await;

    assert_eq!(page.find("label[for=f-code]").text_content().unwrap(), "短信验证码");
    assert_eq!(page.find("label[for=f-phone]").text_content().unwrap(), "手机号码");
    assert_eq!(page.find("label[for=f-id_suffix]").text_content().unwrap(), "证件号码后六位");
    assert_eq!(page.count("input"), 3);

    assert_eq!(page.attribute("#f-code", "autocomplete").as_deref(), Some("one-time-code"));
    assert_eq!(page.attribute("#f-code", "inputmode").as_deref(), Some("numeric"));
    assert_eq!(page.attribute("#f-code", "type").as_deref(), Some("text"));
    assert_eq!(page.attribute("#f-phone", "type").as_deref(), Some("tel"));
    assert_eq!(page.attribute("#f-phone", "autocomplete").as_deref(), Some("tel"));
    assert_eq!(page.attribute("#f-id_suffix", "class").as_deref(), Some("upper"));
    assert_eq!(page.attribute("#f-id_suffix", "inputmode"), None, "letters must stay typeable");
    assert_eq!(page.attribute("form", "action").as_deref(), Some("/check"));
}

#[wasm_bindgen_test]
async fn full_width_digits_a_plus_86_prefix_and_a_lower_case_x_are_accepted() {
    let page = mount(|| view! { <CheckForm /> });
    page.type_into(InputField::Code, "１２３４５６");
    page.type_into(InputField::Phone, "+86 138 0013 8000");
    page.type_into(InputField::IdSuffix, "31002x");
    page.submit();
    settle().await;

    for field in [InputField::Code, InputField::Phone, InputField::IdSuffix] {
        assert!(!page.is_invalid(field), "{field:?} refused");
        assert_eq!(page.error_on(field), None);
    }
    assert_eq!(page.count(".error-list"), 0, "no error summary");
    let button = page.find("button[type=submit]");
    assert!(button.has_attribute("disabled"), "no second submit while the first is under way");
    assert_eq!(button.text_content().unwrap(), "正在提交…");
}

#[wasm_bindgen_test]
async fn a_short_phone_number_shows_its_chinese_error_on_the_phone_field_only() {
    let page = mount(|| view! { <CheckForm /> });
    page.type_into(InputField::Code, "123456");
    page.type_into(InputField::Phone, "1380013800");
    page.type_into(InputField::IdSuffix, "31002X");
    page.submit();
    settle().await;

    assert_eq!(page.error_on(InputField::Phone).unwrap(), format!("错误：{}", PhoneError::WrongLength.message()));
    assert!(page.is_invalid(InputField::Phone));
    let described_by = page.attribute("#f-phone", "aria-describedby").unwrap();
    assert!(described_by.split(' ').any(|id| id == "f-phone-error"), "{described_by}");
    assert!(!page.is_invalid(InputField::Code));
    assert!(!page.is_invalid(InputField::IdSuffix));
    assert_eq!(page.error_on(InputField::Code), None);
}

#[wasm_bindgen_test]
async fn a_letter_in_the_code_and_a_symbol_in_the_id_suffix_are_refused_on_their_fields() {
    let page = mount(|| view! { <CheckForm /> });
    page.type_into(InputField::Code, "12345a");
    page.type_into(InputField::Phone, "13800138000");
    page.type_into(InputField::IdSuffix, "3100#X");
    page.submit();
    settle().await;

    assert!(page.error_on(InputField::Code).unwrap().ends_with(CodeError::NotDigits.message()));
    assert!(page.error_on(InputField::IdSuffix).unwrap().ends_with(IdSuffixError::NotAlphanumeric.message()));
    assert!(!page.is_invalid(InputField::Phone));
}

#[wasm_bindgen_test]
async fn an_empty_form_lists_every_field_in_a_focused_error_summary() {
    let page = mount(|| view! { <CheckForm /> });
    page.submit();
    settle().await;

    let summary = page.find("[role=alert]");
    assert_eq!(page.count(".error-list li"), 3);
    let text = summary.text_content().unwrap();
    for message in [CodeError::Empty.message(), PhoneError::Empty.message(), IdSuffixError::Empty.message()] {
        assert!(text.contains(message), "{text}");
    }
    assert_eq!(page.attribute(".error-list a", "href").as_deref(), Some("#f-code"));
    assert_eq!(focused(), Some(summary), "focus moves to the summary");
    assert!(!page.find("button[type=submit]").has_attribute("disabled"), "nothing was sent");
}

#[wasm_bindgen_test]
async fn a_corrected_field_loses_its_error_when_the_person_leaves_it() {
    let page = mount(|| view! { <CheckForm /> });
    page.type_into(InputField::Code, "123456");
    page.type_into(InputField::IdSuffix, "31002X");
    page.submit();
    settle().await;
    assert!(page.is_invalid(InputField::Phone));

    page.type_into(InputField::Phone, "138-0013-8000");
    settle().await;
    assert!(!page.is_invalid(InputField::Phone));
    assert_eq!(page.error_on(InputField::Phone), None);
}

#[wasm_bindgen_test]
async fn a_summary_link_moves_focus_to_its_field() {
    let page = mount(|| view! { <CheckForm /> });
    page.submit();
    settle().await;
    let link: HtmlElement = page.find(".error-list li:nth-child(2) a").unchecked_into();
    link.click();
    settle().await;
    assert_eq!(focused().map(|element| element.id()).as_deref(), Some("f-phone"));
}

// ---- refusals and waits from the server --------------------------------------------------------

#[wasm_bindgen_test]
async fn refusals_from_the_server_appear_on_their_fields() {
    let state = FormState::new();
    let value = RwSignal::new(String::new());
    let page = mount(move || {
        view! { <Field field=InputField::Phone value error=state.error_for(InputField::Phone) /> }
    });
    let refused = Err::<CheckOutcome, _>(ApiError::Invalid(vec![FieldError::new(
        InputField::Phone,
        PhoneError::NotMobile.message(),
    )]));
    state.absorb(&refused);
    settle().await;

    assert!(page.is_invalid(InputField::Phone));
    assert!(page.error_on(InputField::Phone).unwrap().ends_with(PhoneError::NotMobile.message()));
}

#[wasm_bindgen_test]
async fn a_rate_limit_disables_submit_and_counts_the_seconds_down() {
    let state = FormState::new();
    let page = mount(move || view! { <SubmitButton label="提交核验" pending=Signal::stored(false) wait=state.wait /> });
    state.absorb(&Err::<CheckOutcome, _>(ApiError::RateLimited { retry_after: 3 }));
    settle().await;

    let button = page.find("button");
    assert!(button.has_attribute("disabled"));
    assert_eq!(button.text_content().unwrap(), "请在3秒后重试");

    TimeoutFuture::new(1_300).await;
    settle().await;
    assert_eq!(button.text_content().unwrap(), "请在2秒后重试");

    TimeoutFuture::new(2_000).await;
    settle().await;
    assert!(!button.has_attribute("disabled"), "submit comes back when the wait is over");
    assert_eq!(button.text_content().unwrap(), "提交核验");
}

#[wasm_bindgen_test]
async fn a_network_failure_says_so_and_offers_a_retry() {
    let retried = RwSignal::new(0);
    let retry = Callback::new(move |()| retried.update(|n| *n += 1));
    let page = mount(move || view! { <Failure error=ApiError::Network retry /> });
    settle().await;

    let alert = page.find("[role=alert]");
    assert!(alert.text_content().unwrap().contains(&ApiError::Network.message()));
    assert_eq!(focused(), Some(alert));
    page.find("button").unchecked_into::<HtmlElement>().click();
    assert_eq!(retried.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn a_timeout_offers_a_retry_but_a_rate_limit_only_says_how_long_to_wait() {
    let retry = Callback::new(|()| {});
    let timeout = mount(move || view! { <Failure error=ApiError::Timeout retry /> });
    let limited = mount(move || view! { <Failure error=ApiError::RateLimited { retry_after: 42 } retry /> });
    settle().await;

    assert_eq!(timeout.count("button"), 1);
    assert_eq!(limited.count("button"), 0);
    assert!(limited.text().contains("42秒"), "{}", limited.text());
}

// ---- outcomes ------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn every_check_outcome_is_shown_in_its_exact_words() {
    for outcome in every_check_outcome() {
        let shown = outcome.clone();
        let page = mount(move || view! { <CheckOutcomeView outcome=shown /> });
        settle().await;

        assert_eq!(page.find(".outcome").text_content().unwrap(), outcome.message(), "{}", outcome.kind());
        let (role, heading) =
            if outcome.is_success() { ("status", "核验成功") } else { ("alert", "核验未通过") };
        let notice = page.find(&format!("[role={role}]"));
        assert!(notice.text_content().unwrap().contains(heading), "{}", outcome.kind());
    }
}

#[wasm_bindgen_test]
async fn success_and_failure_differ_in_more_than_colour() {
    let ok = mount(|| view! { <CheckOutcomeView outcome=CheckOutcome::Completed { name: "张三".into() } /> });
    let bad = mount(|| view! { <CheckOutcomeView outcome=CheckOutcome::NotFound /> });
    settle().await;

    assert_ne!(ok.find(".notice-heading").text_content(), bad.find(".notice-heading").text_content());
    assert_ne!(ok.find(".notice-icon").text_content(), bad.find(".notice-icon").text_content());
}

#[wasm_bindgen_test]
async fn an_outcome_takes_focus_when_it_appears() {
    let page = mount(|| view! { <CheckOutcomeView outcome=CheckOutcome::Partial { name: "张三".into() } /> });
    settle().await;
    assert_eq!(focused(), Some(page.find("[role=status]")));
}

#[wasm_bindgen_test]
async fn every_resend_outcome_is_shown_in_its_exact_words() {
    for outcome in EVERY_RESEND_OUTCOME {
        let shown = outcome.clone();
        let page = mount(move || view! { <ResendOutcomeView outcome=shown /> });
        settle().await;

        assert_eq!(page.find(".outcome").text_content().unwrap(), outcome.message());
        let role = if outcome.is_success() { "status" } else { "alert" };
        assert_eq!(page.count(&format!("[role={role}]")), 1, "{outcome:?}");
    }
}

// ---- the short link ------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn an_open_link_shows_who_what_and_how_long_and_asks_only_for_the_id_suffix() {
    let page = mount(|| {
        view! {
            <LinkLandingView landing=landing(LinkState::PENDING, 86_399) token="t0k3n".to_owned() />
        }
    });
    settle().await;

    let text = page.text();
    for shown in ["李四", "138****8000", "新增备案", "杭州示例科技有限公司", "示例网、示例商城", "23小时59分钟"]
    {
        assert!(text.contains(shown), "{shown} missing from {text}");
    }
    assert_eq!(page.count("input"), 1);
    assert_eq!(page.count("#f-id_suffix"), 1);
}

#[wasm_bindgen_test]
async fn a_used_or_expired_link_says_so_and_leads_to_the_manual_form() {
    use VerificationState::*;
    let person = LinkState::Person;
    let cases = [
        (person(Verified), 100, CheckOutcome::AlreadyVerified { name: "李四".into() }),
        (person(Expired), 0, CheckOutcome::Expired { name: "李四".into() }),
        (person(Pending), 0, CheckOutcome::Expired { name: "李四".into() }),
        (person(AttemptsUsedUp), 100, CheckOutcome::AttemptsUsedUp { name: "李四".into() }),
        (person(Returned), 100, CheckOutcome::Returned { name: "李四".into() }),
        (person(NotNeeded), 100, CheckOutcome::NotNeeded { name: "李四".into() }),
        (LinkState::DISABLED, 100, CheckOutcome::LinkDisabled),
    ];
    for (state, seconds_left, outcome) in cases {
        let page = mount(move || {
            view! {
                <LinkLandingView landing=landing(state, seconds_left) token="t0k3n".to_owned() />
            }
        });
        settle().await;

        assert_eq!(page.find(".outcome").text_content().unwrap(), outcome.message(), "{state:?}");
        assert_eq!(page.count("input"), 0, "{state:?}: nothing to type");
        assert_eq!(page.attribute("a[href='/']", "href").as_deref(), Some("/"), "{state:?}");
    }
}

#[wasm_bindgen_test]
async fn the_link_form_refuses_a_short_id_suffix_on_its_field() {
    let page = mount(|| {
        view! {
            <LinkLandingView landing=landing(LinkState::PENDING, 600) token="t0k3n".to_owned() />
        }
    });
    page.type_into(InputField::IdSuffix, "1234");
    page.submit();
    settle().await;

    assert!(page.is_invalid(InputField::IdSuffix));
    assert!(page.error_on(InputField::IdSuffix).unwrap().ends_with(IdSuffixError::WrongLength.message()));
}

// ---- help and resend ------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_help_page_lists_the_sender_numbers_the_server_gives_and_sets_its_title() {
    let senders = vec![
        Sender { carrier: "中国电信".into(), number: "1069012345".into() },
        Sender { carrier: "中国移动".into(), number: "106575000130".into() },
    ];
    let list = mount(move || view! { <SenderList senders /> });
    let page = mount(|| view! { <HelpPage /> });
    settle().await;

    assert_eq!(list.text(), "中国电信：1069012345中国移动：106575000130");
    let text = page.text();
    assert!(text.contains("接入商"), "says to ask the access provider for another number");
    assert!(document().title().starts_with("收不到短信？"));
    assert_eq!(page.count("form[action='/resend']"), 1);
}

#[wasm_bindgen_test]
async fn a_page_entered_from_a_province_link_keeps_the_province_in_its_heading_and_title() {
    // The heading as the server writes it for `/?p=330000`, before the app takes the page over.
    let heading = document().create_element("h1").unwrap();
    heading.set_id("title");
    heading.set_attribute("data-province", "浙江省").unwrap();
    heading.set_text_content(Some("浙江省备案短信核验"));
    document().body().unwrap().append_child(&heading).unwrap();
    let page = mount(|| view! { <CheckPage /> });
    settle().await;
    let (text, title) = (heading.text_content(), document().title());
    // Other tests render their own heading: leave no static one behind.
    heading.remove();
    drop(page);
    assert_eq!(text.as_deref(), Some("浙江省备案短信核验"));
    assert_eq!(title, "浙江省备案短信核验");
}

#[wasm_bindgen_test]
async fn the_resend_form_asks_for_phone_and_id_suffix_and_refuses_bad_input() {
    let page = mount(ResendForm);
    page.type_into(InputField::Phone, "23800138000");
    page.type_into(InputField::IdSuffix, "31002x");
    page.submit();
    settle().await;

    assert_eq!(page.count("input"), 2);
    assert!(page.error_on(InputField::Phone).unwrap().ends_with(PhoneError::NotMobile.message()));
    assert!(!page.is_invalid(InputField::IdSuffix));
}

// ---- punctuation ---------------------------------------------------------------------------

/// Asserts that `page` shows no half-width `?`, `,`, `:`, `(` or `)` beside Chinese text.
fn assert_full_width(what: &str, page: &Mounted) {
    let text = page.text();
    assert_eq!(half_width_beside_chinese(&text), Vec::<String>::new(), "{what}: {text}");
}

#[wasm_bindgen_test]
async fn every_text_the_app_renders_uses_full_width_punctuation_beside_chinese() {
    let refused = mount(|| view! { <CheckForm /> });
    refused.submit();
    let resend = mount(ResendForm);
    resend.type_into(InputField::Phone, "1");
    resend.submit();
    let help = mount(|| view! { <HelpPage /> });
    let not_found = mount(|| view! { <NotFoundPage /> });
    settle().await;
    for (what, page) in
        [("refused code form", &refused), ("refused resend", &resend), ("help", &help), ("404", &not_found)]
    {
        assert_full_width(what, page);
    }
    let state = FormState::new();
    let waiting =
        mount(move || view! { <SubmitButton label="提交核验" pending=Signal::stored(false) wait=state.wait /> });
    state.absorb(&Err::<CheckOutcome, _>(ApiError::RateLimited { retry_after: 9 }));
    settle().await;
    assert_full_width("waiting button", &waiting);

    for outcome in every_check_outcome() {
        assert_full_width(outcome.kind(), &mount(move || view! { <CheckOutcomeView outcome /> }));
    }
    for outcome in EVERY_RESEND_OUTCOME {
        assert_full_width("resend", &mount(move || view! { <ResendOutcomeView outcome /> }));
    }
    let errors = [
        ApiError::Invalid(vec![]),
        ApiError::RateLimited { retry_after: 5 },
        ApiError::NotFound,
        ApiError::Timeout,
        ApiError::Network,
        ApiError::Server { status: 500, title: ProblemType::Internal.title().into() },
    ];
    for error in errors {
        assert_full_width("failure", &mount(move || view! { <Failure error /> }));
    }
    for state in LinkState::every() {
        let page = mount(move || {
            view! {
                <LinkLandingView landing=landing(state, 3_600) token="t0k3n".to_owned() />
            }
        });
        settle().await;
        assert_full_width("link landing", &page);
    }
}

// ---- the wire: the SPA reads what the protocol's serde derives write ---------------------------

#[wasm_bindgen_test]
fn every_check_and_resend_outcome_is_read_back_from_what_the_server_writes() {
    for outcome in every_check_outcome() {
        let text = serde_json::to_string(&outcome).unwrap();
        assert_eq!(json::decode::<CheckOutcome>(&text), Some(outcome), "{text}");
    }
    for outcome in EVERY_RESEND_OUTCOME {
        let text = serde_json::to_string(&outcome).unwrap();
        assert_eq!(json::decode::<ResendOutcome>(&text), Some(outcome), "{text}");
    }
}

#[wasm_bindgen_test]
fn a_link_landing_is_read_back_in_every_state_and_business_type() {
    for (state, business_type) in LinkState::every().into_iter().zip(BusinessType::ALL) {
        let mut sent = landing(state, 3_600);
        sent.business_type = business_type;
        let text = serde_json::to_string(&sent).unwrap();
        assert_eq!(json::decode::<LinkLanding>(&text), Some(sent), "{text}");
    }
    let mut no_websites = landing(LinkState::PENDING, 1);
    no_websites.website_names.clear();
    assert_eq!(json::decode::<LinkLanding>(&serde_json::to_string(&no_websites).unwrap()), Some(no_websites));
}

#[wasm_bindgen_test]
fn a_problem_body_gives_its_title_field_errors_and_wait() {
    let errors = vec![
        FieldError::new(InputField::Code, CodeError::WrongLength.message()),
        FieldError::new(InputField::IdSuffix, IdSuffixError::Empty.message()),
    ];
    let problem = Problem::new(ProblemType::InvalidInput)
        .with_errors(errors.iter().cloned().map(Into::into).collect())
        .with_retry_after(17);
    let read = json::decode::<ProblemBody>(&serde_json::to_string(&problem).unwrap()).unwrap();
    assert_eq!(read.title.as_deref(), Some(ProblemType::InvalidInput.title()));
    // The JSON pointers the server writes (`/code`) read back as the form's fields.
    assert_eq!(read.errors, errors);
    assert_eq!(read.retry_after_seconds, Some(17));
}

#[wasm_bindgen_test]
fn what_is_not_an_answer_is_not_read_as_one() {
    assert_eq!(json::decode::<CheckOutcome>("<html>captive portal</html>"), None);
    assert_eq!(json::decode::<CheckOutcome>(r#"{"outcome":"partial"}"#), None, "a name is required");
    assert_eq!(json::decode::<CheckOutcome>(r#"{"outcome":"wrong_code","name":"张三","tries_left":-1}"#), None);
    assert_eq!(json::decode::<LinkLanding>(r#"{"name":"张三"}"#), None);
}

#[wasm_bindgen_test]
fn request_bodies_are_exactly_what_the_server_parses() {
    let body = json::object_of_strings(&[("code", "123456"), ("phone", "13800138000"), ("id_suffix", "31002X")]);
    let request: CheckRequest = serde_json::from_str(&body).unwrap();
    assert_eq!(
        request,
        CheckRequest { code: "123456".into(), phone: "13800138000".into(), id_suffix: "31002X".into() }
    );
}
