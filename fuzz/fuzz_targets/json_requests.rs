//! Request bodies as the server reads them. The input's text, split on newlines, fills every
//! string of each request type; the body goes through JSON (escapes, surrogate pairs and all)
//! and serde into the type, then through its parsers, as the server does (a filing's people
//! through `Phone` and `IdDocument`). Raw bytes are also tried as a body of each type.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::{CheckRequest, IdDocument, IdKind, LinkCheckRequest, NewFiling, NewPerson, Phone, ResendRequest};
use serde_json::json;

const KINDS: [&str; 4] = ["resident_id", "passport", "hk_macau_permit", "taiwan_permit"];

fn parse_person(person: &NewPerson) {
    let _ = Phone::parse(&person.mobile);
    if let Ok(document) = IdDocument::parse(person.id_type, &person.id_number) {
        assert!(document.number().ends_with(document.suffix().as_str()));
    }
}

fn parse_filing(filing: &NewFiling) {
    parse_person(&filing.subject.principal);
    filing.websites.iter().for_each(|website| parse_person(&website.principal));
}

/// Serialised by serde_json, read back by serde_json: must be the same strings.
fn through_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    let body = serde_json::to_vec(&value).expect("a JSON value serialises");
    serde_json::from_slice(&body).expect("a body with every field as a string deserialises")
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let mut fields = text.split('\n');
    let mut next = || fields.next().unwrap_or_default().to_owned();
    let (a, b, c, d) = (next(), next(), next(), next());
    let kind = KINDS[usize::from(pick) % KINDS.len()];

    let check: CheckRequest = through_json(json!({"code": a, "phone": b, "id_suffix": c}));
    assert_eq!(check.parse(), CheckRequest { code: a.clone(), phone: b.clone(), id_suffix: c.clone() }.parse());
    let link: LinkCheckRequest = through_json(json!({"id_suffix": c}));
    assert_eq!(link.parse().ok(), protocol::IdSuffix::parse(&c).ok());
    let resend: ResendRequest = through_json(json!({"phone": b, "id_suffix": c}));
    let _ = resend.parse();

    let person = json!({"name": a, "mobile": b, "id_type": kind, "id_number": d});
    let filing: NewFiling = through_json(json!({
        "business_type": "new_filing",
        "province": "330000",
        "reference": c,
        "subject": {"name": a, "principal": person},
        "websites": [{"name": b, "domains": [c], "principal": person}],
    }));
    assert_eq!(filing.subject.principal.id_number, d);
    let id_type: IdKind = filing.subject.principal.id_type;
    assert_eq!(
        IdDocument::parse(id_type, &d).ok(),
        IdDocument::parse(id_type, &filing.websites[0].principal.id_number).ok()
    );
    parse_filing(&filing);

    if let Ok(request) = serde_json::from_slice::<CheckRequest>(data) {
        let _ = request.parse();
    }
    if let Ok(filing) = serde_json::from_slice::<NewFiling>(data) {
        parse_filing(&filing);
    }
});
