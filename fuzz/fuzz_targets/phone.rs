//! `Phone::parse` on any text: a number or a refusal, and an accepted number parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::Phone;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(phone) = Phone::parse(&text) {
        assert!(phone.as_str().len() == 11 && phone.as_str().bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(phone.masked().len(), 11);
        assert_eq!(Phone::parse(&phone.to_string()), Ok(phone));
    }
});
