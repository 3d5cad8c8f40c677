//! What the parsers accept, said in JSON Schema for the server's OpenAPI document (feature
//! `openapi`). Each pattern accepts exactly the strings its parser accepts (the tests below hold
//! them to the parsers), so a client generating values from the document meets no surprise 422.
//!
//! The patterns are ECMA-262, as JSON Schema reads them, written with nothing outside what
//! Python's `re` and Rust's `regex` read the same way: `\uXXXX` escapes, no `\s` or `\d` (whose
//! meaning differs between engines).

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::PROVINCE_CODES;

/// Any run of what [`crate::normalize::compact`] drops: Unicode white space (Rust's
/// `char::is_whitespace`), hyphens and dashes, parentheses and full stops, half- and full-width.
macro_rules! sep {
    () => {
        r"[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\-\u2010-\u2014\u2212().\uFF08\uFF09\uFF0D\uFF0E]*"
    };
}

/// One digit, half- or full-width, and the separators after it.
macro_rules! digit {
    () => {
        concat!(r"[0-9\uFF10-\uFF19]", sep!())
    };
}

/// The SMS code: six digits ([`crate::Code::parse`]).
pub const CODE: &str = concat!("^", sep!(), "(?:", digit!(), "){6}$");

/// A mainland mobile number, `1[3-9]` and nine digits, after an optional `+86`, `0086` or `86`
/// ([`crate::Phone::parse`]).
pub const PHONE: &str = concat!(
    "^",
    sep!(),
    r"(?:[+\uFF0B]",
    sep!(),
    r"[8\uFF18]",
    sep!(),
    r"[6\uFF16]",
    sep!(),
    r"|[0\uFF10]",
    sep!(),
    r"[0\uFF10]",
    sep!(),
    r"[8\uFF18]",
    sep!(),
    r"[6\uFF16]",
    sep!(),
    r"|[8\uFF18]",
    sep!(),
    r"[6\uFF16]",
    sep!(),
    r")?[1\uFF11]",
    sep!(),
    r"[3-9\uFF13-\uFF19]",
    sep!(),
    "(?:",
    digit!(),
    "){9}$"
);

/// One ASCII letter or digit, half- or full-width, and the separators after it.
macro_rules! alnum {
    () => {
        concat!(r"[0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]", sep!())
    };
}

/// The last six characters of an ID document, letters and digits ([`crate::IdSuffix::parse`]).
pub const ID_SUFFIX: &str = concat!("^", sep!(), "(?:", alnum!(), "){6}$");

/// An ID document number of any kind: 6 to 20 letters and digits. Each kind narrows it
/// ([`crate::IdDocument::parse`]: a resident ID is 17 digits and a check character).
pub const ID_NUMBER: &str = concat!("^", sep!(), "(?:", alnum!(), "){6,20}$");

/// One character of Unicode white space (what `str::trim` removes).
macro_rules! ws {
    () => {
        r"[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    };
}

/// One character that is neither white space nor a control character.
macro_rules! visible {
    () => {
        r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    };
}

/// A domain name as a filing gives it: two or more dot-separated labels of letters, digits and
/// inner hyphens, each at most 63 long (ASCII; an IDN in its `xn--` form), white space at the ends
/// aside. The whole name's limit (253) is in the description only: the engines that read this
/// pattern do not share a way to say it.
pub const DOMAIN: &str = concat!(
    "^",
    ws!(),
    r"*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+",
    ws!(),
    "*$"
);

/// A name: white space at the ends aside, 1 to 100 characters, none of them a control character.
pub const TEXT: &str =
    concat!("^", ws!(), "*", visible!(), r"(?:[^\u0000-\u001F\u007F-\u009F]{0,98}", visible!(), ")?", ws!(), "*$");

/// The provider's own reference: white space at the ends aside, at most 100 characters (only
/// white space is no reference at all).
pub const REFERENCE: &str = concat!(
    "^",
    ws!(),
    "*(?:",
    r"[^\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
    r"(?:[\s\S]{0,98}",
    r"[^\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?",
    ws!(),
    "*$"
);

/// A string type of the document: a named schema (`#/components/schemas/<name>`) with its
/// pattern and what it means.
macro_rules! string_schema {
    ($type:ty, $name:literal, $pattern:expr, $description:literal) => {
        impl utoipa::PartialSchema for $type {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some($pattern))
                    .description(Some($description))
                    .into()
            }
        }

        impl utoipa::ToSchema for $type {
            fn name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
        }
    };
}

string_schema!(
    crate::Code,
    "Code",
    CODE,
    "The 6-digit SMS code. Spaces, hyphens and full-width digits are accepted (and dropped)."
);
string_schema!(
    crate::Phone,
    "Phone",
    PHONE,
    "A mainland mobile number (11 digits, 1[3-9]…), optionally after +86, 0086 or 86. Spaces, hyphens, parentheses and full-width digits are accepted (and dropped)."
);
string_schema!(
    crate::IdSuffix,
    "IdSuffix",
    ID_SUFFIX,
    "The last six characters of the ID document number, letters and digits; lower case and full width are accepted, spaces and hyphens dropped."
);

/// A person's or a subject's name (`NewPerson.name`, `NewSubject.name`, `NewWebsite.name`).
pub struct Name;
string_schema!(
    Name,
    "Name",
    TEXT,
    "1 to 100 characters once white space at the ends is trimmed; no control characters."
);

/// The provider's own reference of a filing (`NewFiling.reference`).
pub struct Reference;
string_schema!(
    Reference,
    "Reference",
    REFERENCE,
    "At most 100 characters once white space at the ends is trimmed; only white space counts as no reference."
);

/// A website's domain name (`NewWebsite.domains`).
pub struct Domain;
string_schema!(
    Domain,
    "Domain",
    DOMAIN,
    "A domain name: two or more labels of ASCII letters, digits and inner hyphens (an IDN in its xn-- form), at most 253 characters; stored trimmed and in lower case."
);

/// An ID document's number (`NewPerson.id_number`).
pub struct IdNumber;
string_schema!(
    IdNumber,
    "IdNumber",
    ID_NUMBER,
    "The whole ID document number, used only to derive its last six characters and never stored. By id_type: resident_id 17 digits and the check character (0-9 or X, checked); passport 6 to 20 letters and digits; hk_macau_permit H or M and 8 or 10 digits; taiwan_permit 8 or 10 digits. Spaces, hyphens, lower case and full width are accepted."
);

impl utoipa::PartialSchema for crate::ProvinceCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(PROVINCE_CODES.iter().map(u32::to_string)))
            .examples(["330000"])
            .description(Some(
                "A province by its GB/T 2260 code (six half-width digits): 330000 for 浙江省, 110000 for 北京市. A name, full-width digits or a city's code are refused.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for crate::ProvinceCode {
    fn name() -> std::borrow::Cow<'static, str> {
        "ProvinceCode".into()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;
    use regex::Regex;

    use super::*;
    use crate::{Code, IdSuffix, Phone};

    fn full(pattern: &str) -> Regex {
        Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"))
    }

    static CODE_RE: LazyLock<Regex> = LazyLock::new(|| full(CODE));
    static PHONE_RE: LazyLock<Regex> = LazyLock::new(|| full(PHONE));
    static ID_SUFFIX_RE: LazyLock<Regex> = LazyLock::new(|| full(ID_SUFFIX));

    /// Strings near the edges: digits and letters of both widths, every kind of separator, the
    /// phone prefixes, and anything else.
    fn near(len: usize) -> impl Strategy<Value = String> {
        let parts = prop_oneof![
            4 => "[0-9０-９]",
            1 => "[a-zA-Zｘ]",
            1 => "[ \\-\u{3000}\u{2013}().\t\n\u{85}\u{a0}\u{feff}\u{1c}＋+]",
            1 => Just("86".to_owned()),
            1 => Just("+86".to_owned()),
            1 => Just("0086".to_owned()),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(parts, 0..len).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_code_pattern_accepts_what_the_parser_accepts(input in near(10)) {
            prop_assert_eq!(CODE_RE.is_match(&input), Code::parse(&input).is_ok(), "{:?}", input);
        }

        #[test]
        fn the_phone_pattern_accepts_what_the_parser_accepts(input in near(16)) {
            prop_assert_eq!(PHONE_RE.is_match(&input), Phone::parse(&input).is_ok(), "{:?}", input);
        }

        #[test]
        fn the_suffix_pattern_accepts_what_the_parser_accepts(input in near(10)) {
            prop_assert_eq!(ID_SUFFIX_RE.is_match(&input), IdSuffix::parse(&input).is_ok(), "{:?}", input);
        }
    }

    #[test]
    fn the_patterns_take_the_forms_people_type() {
        for (pattern, good, bad) in [
            (CODE, &["123456", "１２３ ４５６", "12-34-56"][..], &["", "12345", "1234567", "12345a"][..]),
            (PHONE, &["13800138000", "+86 138 0013 8000", "008613800138000", "8613800138000"], &["", "12800138000"]),
            (ID_SUFFIX, &["31002x", "３１００２Ｘ", "31 00 2X"], &["", "31002", "31002X1", "3100_X"]),
            (TEXT, &["张三", " 甲 "], &["", " ", "\u{3000}", "a\u{7}b"]),
            (DOMAIN, &["example.cn", "a-b.example.com.cn"], &["example", "-a.cn", "a..cn", "例子.cn"]),
        ] {
            for text in good {
                assert!(full(pattern).is_match(text), "{pattern} takes {text:?}");
            }
            for text in bad {
                assert!(!full(pattern).is_match(text), "{pattern} refuses {text:?}");
            }
        }
    }
}
