//! The last six characters of a person's ID document number, the second thing that proves who
//! they are (with the phone number).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::normalize::compact;

/// Six upper-case ASCII letters or digits. The only way to get one is [`IdSuffix::parse`] (or from
/// a whole [`crate::IdDocument`]).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdSuffix(String);

/// Why an ID suffix was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdSuffixError {
    Empty,
    WrongLength,
    NotAlphanumeric,
}

impl IdSuffixError {
    /// The message shown next to the field.
    pub fn message(self) -> &'static str {
        match self {
            IdSuffixError::Empty => "请输入证件号码后六位。",
            IdSuffixError::WrongLength => "请输入证件号码的最后6位。",
            IdSuffixError::NotAlphanumeric => "证件号码后六位只能包含数字和字母。",
        }
    }
}

impl fmt::Display for IdSuffixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for IdSuffixError {}

impl IdSuffix {
    /// The number of characters in a suffix.
    pub const LEN: usize = 6;

    /// Accepts spaces, full-width characters and lower case (a resident ID's final x becomes X).
    pub fn parse(input: &str) -> Result<IdSuffix, IdSuffixError> {
        let compact = compact(input);
        if compact.is_empty() {
            return Err(IdSuffixError::Empty);
        }
        if !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(IdSuffixError::NotAlphanumeric);
        }
        if compact.len() != Self::LEN {
            return Err(IdSuffixError::WrongLength);
        }
        Ok(IdSuffix(compact.to_ascii_uppercase()))
    }

    /// The six characters, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// ID digits are personal data: debug output hides them.
impl fmt::Debug for IdSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdSuffix(******)")
    }
}

impl fmt::Display for IdSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for IdSuffix {
    type Error = IdSuffixError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        IdSuffix::parse(&value)
    }
}

impl From<IdSuffix> for String {
    fn from(suffix: IdSuffix) -> String {
        suffix.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_digits_letters_any_case_and_full_width() {
        let cases = [
            ("12345X", "12345X", "upper-case X"),
            ("12345x", "12345X", "lower-case x"),
            ("１２３４５ｘ", "12345X", "full-width with x"),
            ("123 45X", "12345X", "a space inside"),
            ("a12345", "A12345", "passport-style letter"),
            ("000000", "000000", "zeros"),
        ];
        for (input, expected, why) in cases {
            assert_eq!(IdSuffix::parse(input).map(|s| s.0), Ok(expected.into()), "{why}");
        }
    }

    #[test]
    fn refuses_anything_but_six_letters_or_digits() {
        let cases = [
            ("", IdSuffixError::Empty, "empty"),
            ("12345", IdSuffixError::WrongLength, "five characters"),
            ("1234567", IdSuffixError::WrongLength, "seven characters"),
            ("12345*", IdSuffixError::NotAlphanumeric, "a symbol"),
            ("12345中", IdSuffixError::NotAlphanumeric, "a Chinese character"),
        ];
        for (input, expected, why) in cases {
            assert_eq!(IdSuffix::parse(input), Err(expected), "{why}");
        }
    }

    proptest! {
        #[test]
        fn anything_accepted_prints_back_and_parses_to_the_same_value(input in "[0-9a-zA-Z０-９ｘ ]{0,9}") {
            if let Ok(suffix) = IdSuffix::parse(&input) {
                prop_assert_eq!(IdSuffix::parse(&suffix.to_string()), Ok(suffix));
            }
        }
    }
}
