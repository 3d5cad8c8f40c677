//! A province's code (GB/T 2260, `330000` for 浙江): which 管局 reviews a request, and whether SMS
//! verification runs there. The 31 provincial-level divisions of the mainland are fixed by the
//! standard; their names, 管局 and start dates are the server's data, not the contract.

use std::fmt;

/// The 31 provincial-level codes of GB/T 2260, in the standard's order.
pub const PROVINCE_CODES: [u32; 31] = [
    110000, 120000, 130000, 140000, 150000, 210000, 220000, 230000, 310000, 320000, 330000, 340000, 350000, 360000,
    370000, 410000, 420000, 430000, 440000, 450000, 460000, 500000, 510000, 520000, 530000, 540000, 610000, 620000,
    630000, 640000, 650000,
];

/// A known province code. The only constructor is [`ProvinceCode::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvinceCode(u32);

/// Why a province code was refused. Carries no part of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvinceError {
    /// Not six half-width digits (a name, full-width digits, spaces...).
    NotSixDigits,
    /// Six digits, but not one of the 31 provincial codes.
    Unknown,
}

impl ProvinceError {
    /// For the provider's field error: says which form is accepted.
    pub fn message(self) -> &'static str {
        match self {
            ProvinceError::NotSixDigits => "应为省级行政区划代码（GB/T 2260），6位半角数字，例如330000（浙江省）。",
            ProvinceError::Unknown => "不是省级行政区划代码（GB/T 2260），例如330000（浙江省）、110000（北京市）。",
        }
    }
}

impl fmt::Display for ProvinceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ProvinceError {}

impl ProvinceCode {
    /// Exactly six half-width digits naming one of the 31 provinces. Full-width digits and names
    /// are refused rather than guessed at: a provider's system sends codes.
    pub fn parse(text: &str) -> Result<ProvinceCode, ProvinceError> {
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProvinceError::NotSixDigits);
        }
        let number: u32 = text.parse().map_err(|_| ProvinceError::NotSixDigits)?;
        if PROVINCE_CODES.contains(&number) {
            Ok(ProvinceCode(number))
        } else {
            Err(ProvinceError::Unknown)
        }
    }

    /// Every province, in code order.
    pub fn all() -> impl Iterator<Item = ProvinceCode> {
        PROVINCE_CODES.into_iter().map(ProvinceCode)
    }

    /// The code as the wire and the database spell it (`330000`).
    pub fn as_string(self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for ProvinceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_31_provincial_codes_parse_and_print_back() {
        for code in PROVINCE_CODES {
            assert_eq!(ProvinceCode::parse(&code.to_string()).unwrap().as_string(), code.to_string());
        }
        assert_eq!(ProvinceCode::all().count(), 31);
    }

    #[test]
    fn names_full_width_digits_and_city_codes_are_refused() {
        let cases = [
            ("浙江", ProvinceError::NotSixDigits),
            ("浙江省", ProvinceError::NotSixDigits),
            ("３３００００", ProvinceError::NotSixDigits),
            (" 330000", ProvinceError::NotSixDigits),
            ("33000", ProvinceError::NotSixDigits),
            ("+33000", ProvinceError::NotSixDigits),
            ("", ProvinceError::NotSixDigits),
            ("330100", ProvinceError::Unknown),
            ("710000", ProvinceError::Unknown),
            ("000000", ProvinceError::Unknown),
        ];
        for (text, why) in cases {
            assert_eq!(ProvinceCode::parse(text), Err(why), "{text}");
        }
    }

    #[test]
    fn every_refusal_names_the_accepted_form() {
        for why in [ProvinceError::NotSixDigits, ProvinceError::Unknown] {
            assert!(why.message().contains("330000"));
            assert!(crate::half_width_beside_chinese(why.message()).is_empty(), "{}", why.message());
        }
    }
}
