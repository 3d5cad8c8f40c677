//! "收不到短信？": the help page for browsers without WebAssembly or JavaScript (`/help.html`) and
//! the sender numbers the app's help page lists (`GET /api/v1/senders`). Both show the numbers the
//! server is configured to send from, in the words of `protocol::help`.

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use protocol::{help, FieldError, InputField, Senders, BACK_TO_FORM, HELP_LINK, SUBMIT_RESEND};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::html::{escape, form, page};
use super::openapi::{Internal, RequestTimeout};
use crate::service::Service;
use crate::sms::SenderNumbers;

/// `/help.html` (the static form's link; the app's own help page is `/help`).
pub fn router() -> Router<Service> {
    Router::new().route("/help.html", get(help_page))
}

/// `/senders`, under the API prefix.
pub fn api_router() -> OpenApiRouter<Service> {
    OpenApiRouter::new().routes(routes!(senders))
}

async fn help_page(State(service): State<Service>) -> Html<String> {
    Html(render(&senders_of(&service), &[(InputField::Phone, ""), (InputField::IdSuffix, "")], &[]))
}

/// The numbers the SMS come from, by carrier (for the help page).
#[utoipa::path(
    get,
    path = "/senders",
    operation_id = "senders",
    tag = "people",
    responses(
        (status = 200, description = "The sender numbers the server is configured with.", body = Senders),
        (status = 408, response = RequestTimeout),
        (status = 500, response = Internal),
    )
)]
async fn senders(State(service): State<Service>) -> Json<Senders> {
    Json(senders_of(&service))
}

fn senders_of(service: &Service) -> Senders {
    SenderNumbers::from_settings(&service.settings().sms).for_people()
}

/// The help page, its resend form holding `typed` with `errors` beside the fields (a refused
/// no-script resend comes back here).
pub fn render(senders: &Senders, typed: &[(InputField, &str)], errors: &[FieldError]) -> String {
    let senders: String = senders
        .senders
        .iter()
        .map(|sender| {
            format!(r#"<li>{}：<span class="number">{}</span></li>"#, escape(&sender.carrier), escape(&sender.number))
        })
        .collect();
    let body = format!(
        r#"<section aria-labelledby="help-filter">
<h2 id="help-filter">{filter_heading}</h2>
<p>{filter_text}</p>
<ul class="senders">{senders}</ul>
<p class="hint">{filter_note}</p>
</section>
<section aria-labelledby="help-resend">
<h2 id="help-resend">{resend_heading}</h2>
<p>{resend_text}</p>
{form}</section>
<section aria-labelledby="help-number">
<h2 id="help-number">{number_heading}</h2>
<p>{number_text}</p>
</section>
<p><a href="/">{back}</a></p>"#,
        filter_heading = escape(help::FILTER_HEADING),
        filter_text = escape(help::FILTER_TEXT),
        filter_note = escape(help::FILTER_NOTE),
        resend_heading = escape(help::RESEND_HEADING),
        resend_text = escape(help::RESEND_TEXT),
        form = form("/resend", typed, errors, SUBMIT_RESEND),
        number_heading = escape(help::NUMBER_HEADING),
        number_text = escape(help::NUMBER_TEXT),
        back = escape(BACK_TO_FORM),
    );
    page(help::TITLE, HELP_LINK, &body)
}
