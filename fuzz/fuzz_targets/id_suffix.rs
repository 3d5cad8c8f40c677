//! `IdSuffix::parse` on any text: six letters or digits or a refusal, and it parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::IdSuffix;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(suffix) = IdSuffix::parse(&text) {
        let s = suffix.as_str();
        assert!(s.len() == IdSuffix::LEN && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
        assert_eq!(IdSuffix::parse(&suffix.to_string()), Ok(suffix));
    }
});
