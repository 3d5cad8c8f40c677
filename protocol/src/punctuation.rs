//! Chinese text takes full-width punctuation (`收不到短信？`, not `收不到短信?`). The tests of the
//! app and the server run every text they render through [`half_width_beside_chinese`].

/// The half-width marks that have a full-width form in Chinese text.
const HALF_WIDTH: [char; 5] = ['?', ',', ':', '(', ')'];

/// Each half-width `?`, `,`, `:`, `(` or `)` that touches a Chinese character (spaces between
/// them skipped), with the text around it; empty when the text is clean.
pub fn half_width_beside_chinese(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !HALF_WIDTH.contains(c) {
            continue;
        }
        let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
        let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
        if before.is_some_and(|&c| is_chinese(c)) || after.is_some_and(|&c| is_chinese(c)) {
            let from = i.saturating_sub(8);
            let to = (i + 9).min(chars.len());
            found.push(chars[from..to].iter().collect());
        }
    }
    found
}

/// CJK ideographs and CJK punctuation (a half-width mark beside `。` is as wrong as beside `字`).
fn is_chinese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF01}'..='\u{FF60}' // full-width forms
        | '\u{20000}'..='\u{3134F}') // extensions B to G
}

#[cfg(test)]
mod tests {
    use super::half_width_beside_chinese;

    #[test]
    fn half_width_marks_beside_chinese_are_found() {
        assert_eq!(half_width_beside_chinese("收不到短信?"), ["收不到短信?"]);
        assert_eq!(half_width_beside_chinese("号码 (170) 发送").len(), 2);
        assert_eq!(half_width_beside_chinese("错误:请输入").len(), 1);
        assert_eq!(half_width_beside_chinese("完成,请等待").len(), 1);
    }

    #[test]
    fn full_width_marks_and_half_width_ones_between_latin_text_pass() {
        assert!(half_width_beside_chinese("收不到短信？中国电信：106598051001（号段）").is_empty());
        assert!(half_width_beside_chinese("https://example.cn/v/abc?x=1, (a): b").is_empty());
        assert!(half_width_beside_chinese("").is_empty());
    }
}
