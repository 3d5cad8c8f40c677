//! The three forms a person sends (check, link check, resend) on any text, split on newlines into
//! their fields: each parses exactly when its fields do, and refusals come in form order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::{CheckRequest, Code, IdSuffix, InputField, LinkCheckRequest, Phone, ResendRequest};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.splitn(3, '\n').map(str::to_owned);
    let code = fields.next().unwrap_or_default();
    let phone = fields.next().unwrap_or_default();
    let id_suffix = fields.next().unwrap_or_default();

    let check = CheckRequest { code: code.clone(), phone: phone.clone(), id_suffix: id_suffix.clone() }.parse();
    let each = (Code::parse(&code), Phone::parse(&phone), IdSuffix::parse(&id_suffix));
    match (check, each) {
        (Ok(parsed), (Ok(code), Ok(phone), Ok(id_suffix))) => {
            assert_eq!((parsed.code, parsed.phone, parsed.id_suffix), (code, phone, id_suffix));
        }
        (Err(errors), (code, phone, id_suffix)) => {
            let expected: Vec<InputField> = [
                code.err().map(|_| InputField::Code),
                phone.err().map(|_| InputField::Phone),
                id_suffix.err().map(|_| InputField::IdSuffix),
            ]
            .into_iter()
            .flatten()
            .collect();
            assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), expected);
        }
        (check, each) => panic!("the form and its fields disagree: {check:?} / {each:?}"),
    }

    let link = LinkCheckRequest { id_suffix: id_suffix.clone() }.parse();
    assert_eq!(link.ok(), IdSuffix::parse(&id_suffix).ok());
    let resend = ResendRequest { phone: phone.clone(), id_suffix: id_suffix.clone() }.parse();
    assert_eq!(resend.ok(), Phone::parse(&phone).ok().zip(IdSuffix::parse(&id_suffix).ok()));
});
