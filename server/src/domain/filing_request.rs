//! A provider's submitted filing, parsed once into typed values. The full ID number is used here
//! only to derive the suffix and is dropped.

pub use protocol::InvalidField;
use protocol::{BusinessType, IdDocument, IdSuffix, NewFiling, NewPerson, Phone, ProvinceCode};

/// A person named on a filing: what verification needs, nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub phone: Phone,
    pub id_suffix: IdSuffix,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub name: String,
    pub principal: Person,
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website {
    pub name: String,
    pub domains: Vec<String>,
    pub principal: Person,
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingRequest {
    pub business_type: BusinessType,
    /// Whose 管局 reviews it, and whether SMS verification runs there.
    pub province: ProvinceCode,
    pub reference: Option<String>,
    pub subject: Subject,
    pub websites: Vec<Website>,
    pub remarks_changed: bool,
}

const MAX_NAME_CHARS: usize = 100;
const MAX_WEBSITES: usize = 50;

/// Every value checked; every problem reported, each with its path.
pub fn parse_filing(new: &NewFiling) -> Result<FilingRequest, Vec<InvalidField>> {
    let mut errors = Vec::new();
    let province =
        ProvinceCode::parse(&new.province).map_err(|e| errors.push(InvalidField::new("/province", e.message()))).ok();
    let subject_name = text(&new.subject.name, "/subject/name", &mut errors);
    let subject_principal = person(&new.subject.principal, "/subject/principal", &mut errors);
    if new.websites.len() > MAX_WEBSITES {
        errors.push(InvalidField::new("/websites", format!("一个请求最多包含{MAX_WEBSITES}个网站。")));
    }
    // Each website is `None` when one of its values was refused (and reported in `errors`).
    let websites: Vec<Option<Website>> = new
        .websites
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let at = format!("/websites/{i}");
            let name = text(&w.name, &format!("{at}/name"), &mut errors);
            let principal = person(&w.principal, &format!("{at}/principal"), &mut errors);
            let domains: Vec<String> = w.domains.iter().map(|d| d.trim().to_ascii_lowercase()).collect();
            for (j, domain) in domains.iter().enumerate() {
                if !is_domain(domain) {
                    errors.push(InvalidField::new(format!("{at}/domains/{j}"), "域名格式不正确。"));
                }
            }
            Some(Website { name: name?, domains, principal: principal?, changed: w.changed })
        })
        .collect();
    let reference = new.reference.as_ref().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if reference.as_ref().is_some_and(|r| r.chars().count() > MAX_NAME_CHARS) {
        errors.push(InvalidField::new("/reference", format!("reference 最多{MAX_NAME_CHARS}个字符。")));
    }
    let websites: Option<Vec<Website>> = websites.into_iter().collect();
    match (province, subject_name, subject_principal, websites) {
        (Some(province), Some(name), Some(principal), Some(websites)) if errors.is_empty() => Ok(FilingRequest {
            business_type: new.business_type,
            province,
            reference,
            subject: Subject { name, principal, changed: new.subject.changed },
            websites,
            remarks_changed: new.remarks_changed,
        }),
        _ => Err(errors),
    }
}

fn person(new: &NewPerson, at: &str, errors: &mut Vec<InvalidField>) -> Option<Person> {
    let name = text(&new.name, &format!("{at}/name"), errors);
    let phone =
        Phone::parse(&new.mobile).map_err(|e| errors.push(InvalidField::new(format!("{at}/mobile"), e.message()))).ok();
    // The document is parsed for its suffix only; the whole number goes no further than here.
    let id_suffix = IdDocument::parse(new.id_type, &new.id_number)
        .map(|doc| doc.suffix())
        .map_err(|e| errors.push(InvalidField::new(format!("{at}/id_number"), e.message())))
        .ok();
    Some(Person { name: name?, phone: phone?, id_suffix: id_suffix? })
}

fn text(value: &str, at: &str, errors: &mut Vec<InvalidField>) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.push(InvalidField::new(at, "不能为空。"));
        None
    } else if trimmed.chars().count() > MAX_NAME_CHARS || trimmed.chars().any(char::is_control) {
        errors.push(InvalidField::new(at, format!("最多{MAX_NAME_CHARS}个字符，且不能包含控制字符。")));
        None
    } else {
        Some(trimmed.to_owned())
    }
}

fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use protocol::{IdKind, NewSubject, NewWebsite};

    fn new_person(name: &str, mobile: &str) -> NewPerson {
        NewPerson {
            name: name.into(),
            mobile: mobile.into(),
            id_type: IdKind::ResidentId,
            id_number: "11010519491231002X".into(),
        }
    }

    fn new_filing() -> NewFiling {
        NewFiling {
            business_type: BusinessType::NewFiling,
            province: "330000".into(),
            reference: Some(" REF-1 ".into()),
            subject: NewSubject {
                name: "示例公司".into(),
                principal: new_person("张三", "13800138000"),
                changed: false,
            },
            websites: vec![NewWebsite {
                name: "示例网站".into(),
                domains: vec!["Example.CN".into()],
                principal: new_person("李四", "+86 139 0013 9000"),
                changed: false,
            }],
            remarks_changed: false,
        }
    }

    #[test]
    fn a_valid_filing_parses_and_keeps_only_the_id_suffix() {
        let parsed = parse_filing(&new_filing()).unwrap();
        assert_eq!(parsed.reference.as_deref(), Some("REF-1"));
        assert_eq!(parsed.subject.principal.id_suffix.as_str(), "31002X");
        assert_eq!(parsed.websites[0].principal.phone.as_str(), "13900139000");
        assert_eq!(parsed.websites[0].domains, ["example.cn"]);
        assert_eq!(parsed.province.as_string(), "330000");
    }

    #[test]
    fn a_province_given_by_name_or_in_full_width_digits_is_refused_at_its_path() {
        for province in ["浙江", "浙江省", "３３００００", "330100", ""] {
            let mut bad = new_filing();
            bad.province = province.into();
            let errors = parse_filing(&bad).unwrap_err();
            assert_eq!(errors.len(), 1, "{province}");
            assert_eq!(errors[0].field, "/province");
            assert!(errors[0].message.contains("330000"), "{}", errors[0].message);
        }
    }

    #[test]
    fn every_bad_value_is_reported_with_its_json_pointer() {
        let mut bad = new_filing();
        bad.province = "浙江".into();
        bad.subject.name = " ".into();
        bad.subject.principal.mobile = "12345".into();
        bad.websites[0].principal.id_number = "110105194912310021".into();
        bad.websites[0].domains = vec!["not a domain".into()];
        let fields: Vec<_> = parse_filing(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "/province",
                "/subject/name",
                "/subject/principal/mobile",
                "/websites/0/principal/id_number",
                "/websites/0/domains/0"
            ]
        );
        // Each names a value that is in the request, where the pointer says.
        let body = serde_json::to_value(&bad).unwrap();
        assert!(fields.iter().all(|field| body.pointer(field).is_some()), "{body}");
    }

    /// Text of any shape, and the shapes that break byte-indexed code: digits with a multi-byte
    /// character, full-width digits, combining marks, emoji.
    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[0-9０-９Xxé中😀\u{0301} .-]{0,22}", "[0-9]{14,18}[é中😀\u{0301}][0-9Xx]{0,2}"]
    }

    fn kind() -> impl Strategy<Value = IdKind> {
        prop::sample::select(vec![IdKind::ResidentId, IdKind::Passport, IdKind::HkMacauPermit, IdKind::TaiwanPermit])
    }

    /// Text near the edges of the filing's rules: letters, CJK, every kind of white space and
    /// control character, dots and hyphens, up to past the 100-character limit.
    fn near_text() -> impl Strategy<Value = String> {
        let part = prop_oneof![
            4 => "[a-zA-Z0-9]",
            2 => "[张三.\\-]",
            1 => "[ \t\n\u{3000}\u{a0}\u{85}\u{7}\u{1f}\u{7f}\u{200b}\u{feff}]",
            1 => any::<char>().prop_map(String::from),
        ];
        prop_oneof![
            prop::collection::vec(part.clone(), 0..12).prop_map(|p| p.concat()),
            prop::collection::vec(part, 95..106).prop_map(|p| p.concat()),
        ]
    }

    fn matches(pattern: &str, text: &str) -> bool {
        regex::Regex::new(pattern).unwrap().is_match(text)
    }

    proptest! {
        /// The OpenAPI document's patterns (`protocol::schema`) say what these rules take.
        #[test]
        fn the_documented_patterns_accept_what_the_filing_rules_accept(input in near_text()) {
            prop_assert_eq!(matches(protocol::schema::TEXT, &input), text(&input, "", &mut Vec::new()).is_some());
            let mut filing = new_filing();
            filing.reference = Some(input.clone());
            prop_assert_eq!(matches(protocol::schema::REFERENCE, &input), parse_filing(&filing).is_ok());
            // The whole name's 253 is left to the description.
            let domain = input.trim().to_ascii_lowercase();
            if domain.len() <= 253 {
                prop_assert_eq!(matches(protocol::schema::DOMAIN, &input), is_domain(&domain), "{:?}", input);
            }
        }

        #[test]
        fn any_filing_text_is_parsed_or_refused_and_refusals_never_repeat_the_id_number(
            name in any_text(),
            mobile in any_text(),
            kind in kind(),
            id_number in any_text(),
            domain in any_text(),
            reference in proptest::option::of(any_text()),
        ) {
            let mut filing = new_filing();
            filing.reference = reference;
            filing.subject.principal = NewPerson { name: name.clone(), mobile, id_type: kind, id_number: id_number.clone() };
            filing.websites[0].name = name;
            filing.websites[0].domains = vec![domain];
            if let Err(errors) = parse_filing(&filing) {
                prop_assert!(!errors.is_empty());
                let digits: String = id_number.chars().filter(char::is_ascii_digit).collect();
                for error in errors.iter().filter(|_| digits.len() >= 6) {
                    prop_assert!(!error.message.contains(&digits), "{:?}", error);
                }
            }
        }
    }
}
