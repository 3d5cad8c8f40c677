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

    #[test]
    fn full_width_digits_letters_and_spaces_fold_to_ascii() {
        assert_eq!(compact("１３８　０013-８０００ ｘ"), "13800138000x");
    }
}
