//! A mainland China mobile number (11 digits, 1[3-9]…), the key a person is known by.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::normalize::compact;

/// A mainland mobile number. The only way to get one is [`Phone::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Why a phone number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    NotDigits,
    WrongLength,
    NotMobile,
}

impl PhoneError {
    /// The message shown next to the field.
    pub fn message(self) -> &'static str {
        match self {
            PhoneError::Empty => "请输入手机号码。",
            PhoneError::NotDigits => "手机号码只能包含数字。",
            PhoneError::WrongLength => "手机号码应为11位数字。",
            PhoneError::NotMobile => "请输入中国大陆手机号码（以1开头）。",
        }
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for PhoneError {}

impl Phone {
    /// Accepts spaces, hyphens, full-width digits and a +86 / 0086 / 86 country prefix.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let compact = compact(input);
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let national = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .or_else(|| compact.strip_prefix("86").filter(|rest| rest.len() == 11))
            .unwrap_or(&compact);
        if !national.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError::NotDigits);
        }
        if national.len() != 11 {
            return Err(PhoneError::WrongLength);
        }
        let bytes = national.as_bytes();
        if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
            return Err(PhoneError::NotMobile);
        }
        Ok(Phone(national.to_owned()))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as shown to someone who may not be its owner: 138****8000.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_what_people_type() {
        let cases = [
            ("13800138000", "plain"),
            ("138 0013 8000", "spaced"),
            ("138-0013-8000", "hyphenated"),
            ("+86 138 0013 8000", "+86 prefix"),
            ("0086-13800138000", "0086 prefix"),
            ("8613800138000", "86 prefix"),
            ("１３８００１３８０００", "full-width digits"),
            ("＋８６　１３８００１３８０００", "full-width plus and ideographic space"),
            (" 13800138000\n", "surrounding whitespace"),
        ];
        for (input, why) in cases {
            assert_eq!(Phone::parse(input).map(|p| p.0), Ok("13800138000".into()), "{why}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_mainland_mobile_number() {
        let cases = [
            ("", PhoneError::Empty, "empty"),
            ("   ", PhoneError::Empty, "blank"),
            ("1380013800a", PhoneError::NotDigits, "a letter"),
            ("1380013800", PhoneError::WrongLength, "10 digits"),
            ("138001380001", PhoneError::WrongLength, "12 digits"),
            ("23800138000", PhoneError::NotMobile, "does not start with 1"),
            ("12800138000", PhoneError::NotMobile, "second digit 2"),
            ("+85261234567", PhoneError::NotDigits, "Hong Kong number"),
        ];
        for (input, expected, why) in cases {
            assert_eq!(Phone::parse(input), Err(expected), "{why}");
        }
    }

    #[test]
    fn masks_the_middle_four_digits() {
        assert_eq!(Phone::parse("13800138000").unwrap().masked(), "138****8000");
    }

    proptest! {
        #[test]
        fn anything_accepted_prints_back_and_parses_to_the_same_value(input in "[0-9０-９ +\\-]{0,20}") {
            if let Ok(phone) = Phone::parse(&input) {
                prop_assert_eq!(Phone::parse(&phone.to_string()), Ok(phone));
            }
        }

        #[test]
        fn every_mobile_number_is_accepted(rest in "[3-9][0-9]{9}") {
            let number = format!("1{rest}");
            prop_assert_eq!(Phone::parse(&number).map(|p| p.0), Ok(number));
        }
    }
}
