//! Folding what people type into plain ASCII before a parser looks at it.
//!
//! A Chinese IME gives full-width digits and letters (１２３, ｘ) and the ideographic space; people
//! paste numbers with spaces and hyphens. Folding first keeps each parser's own rules small.

/// Full-width ASCII (U+FF01..U+FF5E) to its half-width form; the ideographic space to a space.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Separators people put inside numbers, dropped before parsing.
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' | '(' | ')' | '.'
        )
}

/// The input with widths folded and separators removed.
pub(crate) fn compact(input: &str) -> String {
    input.chars().map(fold_width).filter(|c| !is_separator(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_digits_letters_and_spaces_fold_to_ascii() {
        assert_eq!(compact("１３８　０013-８０００ ｘ"), "13800138000x");
    }

    proptest! {
        #[test]
        fn compacting_any_text_leaves_no_separator_or_full_width_and_is_idempotent(
            input in prop_oneof![any::<String>(), "[0-9０-９ｘＸ\u{3000}\u{0301}é中😀 \\-.()]{0,24}"],
        ) {
            let once = compact(&input);
            let full_width = |c: char| fold_width(c) != c;
            prop_assert!(!once.chars().any(|c| is_separator(c) || full_width(c)), "{:?}", once);
            prop_assert_eq!(compact(&once), once);
        }
    }
}
