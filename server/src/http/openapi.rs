//! The API's OpenAPI 3.1 document, generated, never written by hand: the paths from the API
//! router itself (every route is registered through utoipa-axum's `routes!`, which reads the
//! handler's `#[utoipa::path]`), the schemas from the wire types' `ToSchema` derives (protocol's
//! `openapi` feature), each error answer from the [`problem_responses!`] below. Served at
//! `/api/v1/openapi.json`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use protocol::{
    BusinessType, FilingState, HistoryKind, IdKind, LinkOnlyState, ProblemType, ResendOutcome, ReturnReason,
    VerificationState,
};
use serde::Serialize;
use serde_json::{json, Map, Value};
use strum::{EnumMessage, IntoEnumIterator};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi, ToResponse, ToSchema};

use crate::webhook::{WebhookEvent, WebhookKind, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// The security scheme every provider operation names.
pub const PROVIDER_KEY: &str = "providerKey";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "beian-verify API",
        version = "1.0.0",
        description = "The SMS verification step (短信核验) of the ICP filing system. People verify without \
                       login; access providers use an API key (Bearer). Every error is \
                       application/problem+json (RFC 9457): `code` is the stable kind, `errors` names each \
                       refused value by a JSON pointer into the request (`/limit` for a query parameter)."
    ),
    servers((url = "/api/v1")),
    components(
        schemas(WebhookEvent),
        responses(
            MalformedBody,
            Unauthorized,
            NotFound,
            RequestTimeout,
            IdempotencyConflict,
            BodyTooLarge,
            UnsupportedMediaType,
            InvalidInput,
            RateLimited,
            Internal
        )
    ),
    modifiers(&ProviderKeyScheme)
)]
pub struct ApiDoc;

struct ProviderKeyScheme;

impl Modify for ProviderKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some("An access provider's API key (`beian-verify-server create-provider`).".to_owned());
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(PROVIDER_KEY, SecurityScheme::Http(http));
    }
}

/// Each error answer an operation names (`(status = 400, response = MalformedBody)`): a problem
/// body of its kind, under the kind's own status, so the two cannot disagree.
macro_rules! problem_responses {
    ($($name:ident => $description:literal,)*) => {$(
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), problem_response(ProblemType::$name, $description).into())
            }
        }
    )*

        #[cfg(test)]
        const PROBLEM_RESPONSES: &[(&str, ProblemType)] = &[$((stringify!($name), ProblemType::$name)),*];
    };
}

problem_responses! {
    MalformedBody => "The body is not JSON, or not the JSON this operation takes (a missing field, a wrong \
                      type, a field it does not take); nothing changed. Unless the body is not JSON at all, \
                      `errors` names where: a missing field by its own pointer, a wrong type by the value's, \
                      an unknown field by the object that holds it.",
    Unauthorized => "No API key, or one that is unknown, ended or revoked (`WWW-Authenticate: Bearer`).",
    NotFound => "Nothing by that name here (for a provider: no such filing of theirs).",
    RequestTimeout => "The body paused longer than the server waits (`BEIAN_BODY_TIMEOUT_SECS`) or the \
                       request took longer than it allows (`BEIAN_REQUEST_TIMEOUT_SECS`); nothing changed.",
    IdempotencyConflict => "The Idempotency-Key was used before with a different request.",
    BodyTooLarge => "The body is larger than the server takes (`BEIAN_BODY_LIMIT_BYTES`).",
    UnsupportedMediaType => "The body is not sent as `Content-Type: application/json`.",
    InvalidInput => "A value is not acceptable; `errors` names each by its JSON pointer and says why, \
                     in Chinese. Nothing changed.",
    RateLimited => "Too many requests; `Retry-After` (and `retry_after_seconds`) says when to try again. \
                    Nothing changed.",
    Internal => "Something failed on the server's side; the details are in its log, never here.",
}

/// The errors every operation that reads a JSON body can answer: the body unreadable, too slow,
/// too large or not JSON, and the server's own failure (`responses(..., JsonBodyErrors)`).
pub struct JsonBodyErrors;

impl IntoResponses for JsonBodyErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([
            ("400".to_owned(), reference::<MalformedBody>()),
            ("408".to_owned(), reference::<RequestTimeout>()),
            ("413".to_owned(), reference::<BodyTooLarge>()),
            ("415".to_owned(), reference::<UnsupportedMediaType>()),
            ("500".to_owned(), reference::<Internal>()),
        ])
    }
}

/// A reference to one of the error answers above, by its component name.
fn reference<R: ToResponse<'static>>() -> RefOr<Response> {
    Ref::from_response_name(R::response().0).into()
}

fn problem_response(kind: ProblemType, description: &str) -> Response {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(protocol::Problem::name()))).build();
    let mut response = ResponseBuilder::new().description(description).content("application/problem+json", content);
    match kind {
        ProblemType::RateLimited => {
            let seconds = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0));
            let header = HeaderBuilder::new().schema(seconds).description(Some("Seconds to wait before trying again."));
            response = response.header("Retry-After", header.build());
        }
        ProblemType::Unauthorized => {
            let scheme = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["Bearer"]));
            response = response.header("WWW-Authenticate", HeaderBuilder::new().schema(scheme).build());
        }
        _ => {}
    }
    response.build()
}

/// The document, made once from the router.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| serde_json::to_string_pretty(&generate()).expect("the OpenAPI document serialises"));

/// The document as `/api/v1/openapi.json` serves it.
pub fn document() -> &'static str {
    &DOCUMENT
}

fn generate() -> Value {
    let openapi = super::api_router().into_openapi();
    let mut document = serde_json::to_value(openapi).expect("the OpenAPI document serialises");
    let schemas = document["components"]["schemas"].as_object_mut().expect("the document has schemas");
    describe_variants::<BusinessType>(schemas);
    describe_variants::<IdKind>(schemas);
    describe_variants::<FilingState>(schemas);
    describe_variants::<ReturnReason>(schemas);
    describe_variants::<VerificationState>(schemas);
    describe_variants::<LinkOnlyState>(schemas);
    describe_variants::<ResendOutcome>(schemas);
    describe_variants::<ProblemType>(schemas);
    describe_variants::<WebhookKind>(schemas);
    describe_variants::<HistoryKind>(schemas);
    document["webhooks"] = webhooks();
    document
}

/// utoipa writes an enum of plain names as `{"enum": [...]}`, which has no room for what each
/// name means: write it as `oneOf` the names, each with its variant's doc comment. An internally
/// tagged enum's variants (`{"outcome": "sent"}`) are already a `oneOf`: each gets its doc.
fn describe_variants<T>(schemas: &mut Map<String, Value>)
where
    T: ToSchema + IntoEnumIterator + EnumMessage + Serialize,
{
    let name = T::name();
    let schema = schemas.get_mut(name.as_ref()).unwrap_or_else(|| panic!("{name} is in the document"));
    // One line per doc comment (rustdoc's line breaks are not the reader's).
    let documented = |variant: &T| {
        variant.get_documentation().map(|doc| Value::from(doc.split_whitespace().collect::<Vec<_>>().join(" ")))
    };
    if schema.get("enum").is_some() {
        let one_of: Vec<Value> = T::iter()
            .map(|variant| {
                let mut item = json!({ "const": serde_json::to_value(&variant).unwrap() });
                if let Some(doc) = documented(&variant) {
                    item["description"] = doc;
                }
                item
            })
            .collect();
        let object = schema.as_object_mut().expect("an enum schema is an object");
        object.remove("enum");
        object.insert("oneOf".to_owned(), Value::Array(one_of));
        return;
    }
    let one_of = schema["oneOf"].as_array_mut().unwrap_or_else(|| panic!("{name} is an enum or a oneOf"));
    for variant in T::iter() {
        let wire = serde_json::to_value(&variant).unwrap();
        let (tag, value) = wire.as_object().and_then(|o| o.iter().next()).expect("a tagged variant is an object");
        let item = one_of
            .iter_mut()
            .find(|item| item["properties"][tag]["enum"] == json!([value]))
            .unwrap_or_else(|| panic!("{name}'s variant {value} is in its oneOf"));
        if let Some(doc) = documented(&variant) {
            item["description"] = doc;
        }
    }
}

/// What a provider's callback receives (OpenAPI 3.1 `webhooks`; utoipa 5 has no field for them).
fn webhooks() -> Value {
    let header = |name: &str, description: &str, schema: Value| json!({ "name": name, "in": "header", "required": true, "description": description, "schema": schema });
    json!({
        "filingEvent": {
            "post": {
                "summary": "A filing completed or was returned (sent to the provider's callback URL)",
                "description": "Standard Webhooks: the signature is `v1,` and the base64 of HMAC-SHA256 over \
                    `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64-decoded part of the `whsec_` \
                    secret. Reject a timestamp more than 5 minutes from your clock. A 2xx answer ends the \
                    delivery; 5xx, 408, 429 and no answer are retried with backoff; other answers are not.",
                "parameters": [
                    header(ID_HEADER, "The event's `id`: the same on every retry of one event, so use it to drop duplicates.",
                        json!({ "type": "string" })),
                    header(TIMESTAMP_HEADER, "When this attempt was signed, in Unix seconds.",
                        json!({ "type": "string", "pattern": "^[0-9]+$" })),
                    header(SIGNATURE_HEADER, "`v1,<base64 signature>`; more space-separated entries may appear while \
                        a secret rotates, one match is enough.", json!({ "type": "string" })),
                ],
                "requestBody": {
                    "required": true,
                    "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{}", WebhookEvent::name()) } } }
                },
                "responses": { "2XX": { "description": "Received; not sent again." } }
            }
        }
    })
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    responses(
        (status = 200, description = "This document (OpenAPI 3.1).", content_type = "application/json", body = Object),
        (status = 408, response = RequestTimeout),
        (status = 500, response = Internal),
    )
)]
pub async fn spec() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_answer_is_documented_under_its_kinds_status() {
        let document: Value = serde_json::from_str(document()).unwrap();
        for (name, kind) in PROBLEM_RESPONSES {
            let response = &document["components"]["responses"][name];
            assert!(response["content"]["application/problem+json"].is_object(), "{name}");
            for (path, item) in document["paths"].as_object().unwrap() {
                for (method, operation) in item.as_object().unwrap() {
                    for (status, answer) in operation["responses"].as_object().unwrap() {
                        if answer["$ref"] == format!("#/components/responses/{name}") {
                            assert_eq!(status, &kind.status().to_string(), "{method} {path}: {name}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_enum_value_is_described() {
        let document: Value = serde_json::from_str(document()).unwrap();
        for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
            // A province is named by its code, which needs no words.
            if schema.get("enum").is_some() && name != "ProvinceCode" {
                panic!("{name} lists values without saying what they mean: add it to `generate`");
            }
            let items = schema["oneOf"].as_array().into_iter().flatten();
            let undescribed: Vec<&Value> = items
                .filter(|item| {
                    item.get("description").is_none() && item.get("$ref").is_none() && item["type"] != "null"
                })
                .collect();
            assert!(undescribed.is_empty(), "{name}: a doc comment for each of {undescribed:?}");
        }
    }

    #[test]
    fn every_operation_names_its_errors_and_every_provider_operation_its_key() {
        let document: Value = serde_json::from_str(document()).unwrap();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let responses = operation["responses"].as_object().unwrap();
                let has_body = operation.get("requestBody").is_some();
                for status in ["400", "413", "415"] {
                    assert_eq!(responses.contains_key(status), has_body, "{method} {path}: {status}");
                }
                // Any request can outlast its deadline or meet a failure on the server's side.
                for status in ["408", "500"] {
                    assert!(responses.contains_key(status), "{method} {path}: {status}");
                }
                let provider = operation.get("security").is_some();
                assert_eq!(responses.contains_key("401"), provider, "{method} {path}");
                if provider {
                    assert_eq!(operation["security"], json!([{ PROVIDER_KEY: [] }]), "{method} {path}");
                }
            }
        }
    }
}
