//! `Code::parse` on any text: six digits or a refusal, and an accepted code parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::Code;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = Code::parse(&text) {
        assert!(code.as_str().len() == Code::LEN && code.as_str().bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(Code::parse(&code.to_string()), Ok(code));
    }
});
