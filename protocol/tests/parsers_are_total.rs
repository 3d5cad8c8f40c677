//! Every parser of outside input is total: any Unicode string gives a value or a refusal, never a
//! panic, and what it accepts prints back to text that parses to the same value.
//!
//! Each property runs on arbitrary strings and on strings built from the shapes that break
//! byte-indexed code: digits mixed with full-width digits, `X`, multi-byte characters, combining
//! marks and emoji, at lengths around each format's boundaries.

use proptest::prelude::*;
use protocol::{
    BusinessType, CheckOutcome, CheckRequest, Code, IdDocument, IdKind, IdSuffix, InputField, LinkCheckRequest,
    LinkState, Phone, ResendOutcome, ResendRequest,
};

/// Characters that sit at the edges of the parsers' rules.
const AWKWARD: &[char] = &[
    '0',
    '1',
    '3',
    '8',
    '9',
    'X',
    'x',
    'H',
    'M',
    '+',
    '-',
    ' ',
    '.',
    '(', // ASCII the rules name
    '０',
    '１',
    '８',
    '９',
    'Ｘ',
    'ｘ',
    '＋',
    '－',
    '\u{3000}', // full width, ideographic space
    'é',
    'ß',
    'İ',
    '中',
    '٣',
    '߀', // two- and three-byte letters and non-ASCII digits
    '\u{0301}',
    '\u{200B}',
    '\u{FEFF}',
    '\u{2212}', // combining acute, zero widths, minus sign
    '😀',
    '𝟘',
    '\u{10FFFF}',
    '\0',
    '\n', // four-byte characters, NUL, newline
];

/// Up to 24 characters drawn from [`AWKWARD`]: covers 6, 11, 13 and 18 characters and the
/// byte lengths that differ from them.
fn awkward() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(AWKWARD), 0..=24).prop_map(|chars| chars.into_iter().collect())
}

/// A number that is nearly right: digits around one awkward character, 14 to 21 bytes or so.
fn nearly_a_number() -> impl Strategy<Value = String> {
    ("[0-9]{0,18}", prop::sample::select(AWKWARD), "[0-9Xx]{0,3}")
        .prop_map(|(head, odd, tail)| format!("{head}{odd}{tail}"))
}

/// Any of the three.
fn input() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), awkward(), nearly_a_number()]
}

fn kind() -> impl Strategy<Value = IdKind> {
    prop::sample::select(vec![IdKind::ResidentId, IdKind::Passport, IdKind::HkMacauPermit, IdKind::TaiwanPermit])
}

proptest! {
    #[test]
    fn a_phone_number_parses_or_is_refused_and_round_trips(text in input()) {
        if let Ok(phone) = Phone::parse(&text) {
            prop_assert_eq!(phone.as_str().len(), 11);
            prop_assert!(phone.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(phone.masked().len(), 11);
            prop_assert_eq!(Phone::parse(&phone.to_string()), Ok(phone));
        }
    }

    #[test]
    fn a_code_parses_or_is_refused_and_round_trips(text in input()) {
        if let Ok(code) = Code::parse(&text) {
            prop_assert!(code.as_str().len() == Code::LEN && code.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(Code::parse(&code.to_string()), Ok(code));
        }
    }

    #[test]
    fn an_id_suffix_parses_or_is_refused_and_round_trips(text in input()) {
        if let Ok(suffix) = IdSuffix::parse(&text) {
            let s = suffix.as_str();
            prop_assert!(s.len() == IdSuffix::LEN && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
            prop_assert_eq!(IdSuffix::parse(&suffix.to_string()), Ok(suffix));
        }
    }

    #[test]
    fn an_id_document_parses_or_is_refused_and_round_trips(kind in kind(), text in input()) {
        if let Ok(document) = IdDocument::parse(kind, &text) {
            prop_assert!(document.number().ends_with(document.suffix().as_str()));
            prop_assert_eq!(IdDocument::parse(kind, document.number()), Ok(document));
        }
    }

    #[test]
    fn a_wire_value_deserialises_exactly_when_its_parser_accepts(text in input()) {
        let json = serde_json::Value::String(text.clone());
        prop_assert_eq!(serde_json::from_value::<Phone>(json.clone()).ok(), Phone::parse(&text).ok());
        prop_assert_eq!(serde_json::from_value::<Code>(json.clone()).ok(), Code::parse(&text).ok());
        prop_assert_eq!(serde_json::from_value::<IdSuffix>(json).ok(), IdSuffix::parse(&text).ok());
    }

    #[test]
    fn a_check_form_parses_field_by_field_in_form_order(code in input(), phone in input(), id_suffix in input()) {
        let request = CheckRequest { code: code.clone(), phone: phone.clone(), id_suffix: id_suffix.clone() };
        let each = (Code::parse(&code), Phone::parse(&phone), IdSuffix::parse(&id_suffix));
        match (request.parse(), each) {
            (Ok(parsed), (Ok(code), Ok(phone), Ok(id_suffix))) => {
                prop_assert_eq!((parsed.code, parsed.phone, parsed.id_suffix), (code, phone, id_suffix));
            }
            (Err(errors), (code, phone, id_suffix)) => {
                let expected: Vec<(InputField, &str)> = [
                    code.err().map(|e| (InputField::Code, e.message())),
                    phone.err().map(|e| (InputField::Phone, e.message())),
                    id_suffix.err().map(|e| (InputField::IdSuffix, e.message())),
                ]
                .into_iter()
                .flatten()
                .collect();
                let got: Vec<(InputField, &str)> = errors.iter().map(|e| (e.field, e.message.as_str())).collect();
                prop_assert_eq!(got, expected);
            }
            (parsed, each) => prop_assert!(false, "form {:?} but fields {:?}", parsed, each),
        }
    }

    #[test]
    fn a_link_check_and_a_resend_parse_like_their_fields(phone in input(), id_suffix in input()) {
        let link = LinkCheckRequest { id_suffix: id_suffix.clone() }.parse();
        prop_assert_eq!(link.ok(), IdSuffix::parse(&id_suffix).ok());
        let resend = ResendRequest { phone: phone.clone(), id_suffix: id_suffix.clone() }.parse();
        prop_assert_eq!(resend.ok(), Phone::parse(&phone).ok().zip(IdSuffix::parse(&id_suffix).ok()));
    }

    #[test]
    fn a_wire_name_gives_a_value_only_when_it_is_that_value_s_name(
        name in prop_oneof![input(), "[a-z_]{0,20}"],
        person in proptest::option::of(input()),
        tries_left in proptest::option::of(any::<u32>()),
    ) {
        if let Some(t) = BusinessType::from_wire(&name) {
            prop_assert_eq!(t.as_str(), name.as_str());
        }
        if let Some(outcome) = CheckOutcome::from_wire(&name, person, tries_left) {
            prop_assert_eq!(outcome.kind(), name.as_str());
        }
        if let Some(outcome) = ResendOutcome::from_wire(&name) {
            prop_assert_eq!(&serde_json::to_value(&outcome).unwrap()["outcome"], name.as_str());
        }
        if let Some(state) = LinkState::from_wire(&name) {
            prop_assert_eq!(serde_json::to_value(state).unwrap(), name.as_str());
        }
        if let Some(field) = InputField::from_wire(&name) {
            prop_assert_eq!(serde_json::to_value(field).unwrap(), name.as_str());
        }
    }
}
