//! A whole ID document number, accepted from access providers only to derive the suffix a person
//! proves themselves with. The server never stores it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id_suffix::IdSuffix;
use crate::normalize::compact;

/// The kinds of ID document a principal may be named with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 居民身份证 (also the 18-digit residence permits of HK, Macau and Taiwan residents).
    ResidentId,
    /// 护照
    Passport,
    /// 港澳居民来往内地通行证
    HkMacauPermit,
    /// 台湾居民来往大陆通行证
    TaiwanPermit,
}

/// A parsed document number. Debug output hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct IdDocument {
    kind: IdKind,
    /// Upper-case ASCII letters and digits only, at least six of them (every kind's format says so).
    number: String,
    suffix: IdSuffix,
}

/// Why a document number was refused. Carries no part of the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdDocumentError {
    Empty,
    Malformed,
    BadCheckDigit,
}

impl IdDocumentError {
    pub fn message(self) -> &'static str {
        match self {
            IdDocumentError::Empty => "证件号码不能为空。",
            IdDocumentError::Malformed => "证件号码格式不正确。",
            IdDocumentError::BadCheckDigit => "居民身份证号码校验位不正确。",
        }
    }
}

impl fmt::Display for IdDocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for IdDocumentError {}

impl IdDocument {
    /// Parses a number of the given kind, checking what its format allows us to check.
    ///
    /// Total over any input: the format is checked on the characters as ASCII bytes only after
    /// every character is known to be an ASCII letter or digit, so no index can fall inside a
    /// multi-byte character (an 18-byte string is not always 18 characters).
    pub fn parse(kind: IdKind, input: &str) -> Result<IdDocument, IdDocumentError> {
        let number = compact(input).to_ascii_uppercase();
        if number.is_empty() {
            return Err(IdDocumentError::Empty);
        }
        if !number.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(IdDocumentError::Malformed);
        }
        let bytes = number.as_bytes();
        let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
        let well_formed = match (kind, bytes) {
            (IdKind::ResidentId, [first17 @ .., last]) => {
                first17.len() == 17 && digits(first17) && matches!(last, b'0'..=b'9' | b'X')
            }
            (IdKind::ResidentId, []) => false,
            (IdKind::Passport, _) => (6..=20).contains(&bytes.len()),
            (IdKind::HkMacauPermit, [b'H' | b'M', rest @ ..]) => matches!(rest.len(), 8 | 10) && digits(rest),
            (IdKind::HkMacauPermit, _) => false,
            (IdKind::TaiwanPermit, _) => matches!(bytes.len(), 8 | 10) && digits(bytes),
        };
        if !well_formed {
            return Err(IdDocumentError::Malformed);
        }
        if let (IdKind::ResidentId, [first17 @ .., last]) = (kind, bytes) {
            if resident_id_check_digit(first17) != *last {
                return Err(IdDocumentError::BadCheckDigit);
            }
        }
        let suffix_start = number.len().saturating_sub(IdSuffix::LEN);
        let suffix = number.get(suffix_start..).map(IdSuffix::parse);
        let Some(Ok(suffix)) = suffix else {
            return Err(IdDocumentError::Malformed);
        };
        Ok(IdDocument { kind, number, suffix })
    }

    pub fn kind(&self) -> IdKind {
        self.kind
    }

    /// The number as parsed: upper case, separators and widths folded away. Personal data: for
    /// comparing and re-parsing, never for logs or storage.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The last six characters, which the person types to prove who they are.
    pub fn suffix(&self) -> IdSuffix {
        self.suffix.clone()
    }
}

impl fmt::Debug for IdDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdDocument({:?}, ******)", self.kind)
    }
}

/// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits (ASCII digits, checked by the caller).
fn resident_id_check_digit(first17: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d.wrapping_sub(b'0')) * w).sum();
    CHECK[(sum % 11) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_documents_and_derives_the_suffix() {
        let cases = [
            (IdKind::ResidentId, "11010519491231002X", "31002X", "resident ID with X"),
            (IdKind::ResidentId, "11010519491231002x", "31002X", "lower-case x"),
            (IdKind::ResidentId, "110105 19491231 002X", "31002X", "spaced"),
            (IdKind::ResidentId, "440524188001010014", "010014", "check digit 4"),
            (IdKind::Passport, "E12345678", "345678", "Chinese passport"),
            (IdKind::HkMacauPermit, "H12345678", "345678", "HK permit"),
            (IdKind::HkMacauPermit, "M1234567890", "567890", "Macau permit, 10 digits"),
            (IdKind::TaiwanPermit, "12345678", "345678", "Taiwan permit"),
        ];
        for (kind, input, suffix, why) in cases {
            let doc = IdDocument::parse(kind, input).unwrap_or_else(|e| panic!("{why}: {e}"));
            assert_eq!(doc.suffix().as_str(), suffix, "{why}");
        }
    }

    #[test]
    fn refuses_malformed_documents() {
        let cases = [
            (IdKind::ResidentId, "", IdDocumentError::Empty, "empty"),
            (IdKind::ResidentId, "110105194912310021", IdDocumentError::BadCheckDigit, "wrong check digit"),
            (IdKind::ResidentId, "11010519491231002", IdDocumentError::Malformed, "17 characters"),
            (IdKind::ResidentId, "1101051949123100AX", IdDocumentError::Malformed, "letter inside"),
            (IdKind::Passport, "E123", IdDocumentError::Malformed, "too short"),
            (IdKind::HkMacauPermit, "X12345678", IdDocumentError::Malformed, "wrong letter"),
            (IdKind::TaiwanPermit, "1234567", IdDocumentError::Malformed, "seven digits"),
        ];
        for (kind, input, expected, why) in cases {
            assert_eq!(IdDocument::parse(kind, input), Err(expected), "{why}");
        }
    }

    /// The attack of issue 8: 16 digits and a two-byte character make 18 bytes but 17
    /// characters; slicing the first 17 bytes panicked, and the panic message quoted the digits.
    #[test]
    fn attack_multibyte_resident_id_does_not_panic() {
        let attacks = [
            "1101051949123100é",
            "110105194912310é2X",
            "11010519491231002\u{00e9}",
            "é10105194912310021",
            "1101051949123100中",
            "110105194912310\u{0301}2X",
            "11010519491231002😀",
            "１１０１０５１９４９１２３１００２é",
        ];
        for input in attacks {
            for kind in [IdKind::ResidentId, IdKind::Passport, IdKind::HkMacauPermit, IdKind::TaiwanPermit] {
                let result = std::panic::catch_unwind(|| IdDocument::parse(kind, input));
                assert_eq!(result.ok(), Some(Err(IdDocumentError::Malformed)), "{kind:?} {input:?}");
            }
        }
    }

    #[test]
    fn refusals_never_show_the_number() {
        for error in [IdDocumentError::Empty, IdDocumentError::Malformed, IdDocumentError::BadCheckDigit] {
            let shown = format!("{error} {error:?}");
            assert!(!shown.chars().any(|c| c.is_ascii_digit()), "{shown}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_number() {
        let doc = IdDocument::parse(IdKind::ResidentId, "11010519491231002X").unwrap();
        assert!(!format!("{doc:?}").contains("1002X"));
    }
}
