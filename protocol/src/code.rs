//! The 6-digit verification code a person receives by SMS.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::normalize::compact;

/// Six ASCII digits. The only way to get one is [`Code::parse`] (or, on the server, generating one).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code(String);

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    Empty,
    NotDigits,
    WrongLength,
}

impl CodeError {
    /// The message shown next to the field.
    pub fn message(self) -> &'static str {
        match self {
            CodeError::Empty => "请输入短信验证码。",
            CodeError::NotDigits => "短信验证码只能包含数字。",
            CodeError::WrongLength => "短信验证码应为6位数字。",
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for CodeError {}

impl Code {
    /// The number of digits in a code.
    pub const LEN: usize = 6;

    /// Accepts spaces, hyphens and full-width digits around and between the six digits.
    pub fn parse(input: &str) -> Result<Code, CodeError> {
        let compact = compact(input);
        if compact.is_empty() {
            return Err(CodeError::Empty);
        }
        if !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::NotDigits);
        }
        if compact.len() != Self::LEN {
            return Err(CodeError::WrongLength);
        }
        Ok(Code(compact))
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never print a code by accident: debug output hides it.
impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(******)")
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Code {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Code::parse(&value)
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_digits_with_spaces_and_full_width() {
        let cases = [
            ("123456", "plain"),
            ("123 456", "spaced"),
            ("12-34-56", "hyphenated"),
            ("１２３４５６", "full-width"),
            ("　123456　", "ideographic spaces around"),
        ];
        for (input, why) in cases {
            assert_eq!(Code::parse(input).map(|c| c.0), Ok("123456".into()), "{why}");
        }
    }

    #[test]
    fn refuses_anything_but_six_digits() {
        let cases = [
            ("", CodeError::Empty, "empty"),
            ("12345", CodeError::WrongLength, "five digits"),
            ("1234567", CodeError::WrongLength, "seven digits"),
            ("12345a", CodeError::NotDigits, "a letter"),
            ("１２３４５", CodeError::WrongLength, "five full-width digits"),
        ];
        for (input, expected, why) in cases {
            assert_eq!(Code::parse(input), Err(expected), "{why}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_digits() {
        assert!(!format!("{:?}", Code::parse("123456").unwrap()).contains("123456"));
    }

    proptest! {
        #[test]
        fn anything_accepted_prints_back_and_parses_to_the_same_value(input in "[0-9０-９ \\-]{0,10}") {
            if let Ok(code) = Code::parse(&input) {
                prop_assert_eq!(Code::parse(&code.to_string()), Ok(code));
            }
        }
    }
}
