//! `IdDocument::parse` of every kind on any text (the first byte picks the kind): a document or a
//! refusal, never a panic (issue 8: an 18-byte resident ID with a two-byte character panicked).
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::{IdDocument, IdKind};

const KINDS: [IdKind; 4] = [IdKind::ResidentId, IdKind::Passport, IdKind::HkMacauPermit, IdKind::TaiwanPermit];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let kind = KINDS[usize::from(pick) % KINDS.len()];
    let text = String::from_utf8_lossy(rest);
    if let Ok(document) = IdDocument::parse(kind, &text) {
        assert!(document.number().ends_with(document.suffix().as_str()));
        assert!(!format!("{document:?}").contains(document.suffix().as_str()), "debug output hides the number");
        assert_eq!(IdDocument::parse(kind, document.number()), Ok(document));
    }
});
