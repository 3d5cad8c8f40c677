//! Request bodies as the server reads them: any bytes through serde into each request type, then
//! through its parsers (a filing's people through `Phone` and `IdDocument`, as the server does).
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::{CheckRequest, IdDocument, LinkCheckRequest, NewFiling, NewPerson, Phone, ResendRequest};

fn parse_person(person: &NewPerson) {
    let _ = Phone::parse(&person.mobile);
    if let Ok(document) = IdDocument::parse(person.id_type, &person.id_number) {
        assert!(document.number().ends_with(document.suffix().as_str()));
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = serde_json::from_slice::<CheckRequest>(data) {
        let _ = request.parse();
    }
    if let Ok(request) = serde_json::from_slice::<LinkCheckRequest>(data) {
        let _ = request.parse();
    }
    if let Ok(request) = serde_json::from_slice::<ResendRequest>(data) {
        let _ = request.parse();
    }
    if let Ok(filing) = serde_json::from_slice::<NewFiling>(data) {
        parse_person(&filing.subject.principal);
        filing.websites.iter().for_each(|website| parse_person(&website.principal));
    }
});
