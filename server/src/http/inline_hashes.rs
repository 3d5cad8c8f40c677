//! The inline `<script>` and `<style>` elements of our HTML pages, as CSP hash sources
//! (`'sha256-<base64>'`). Computed from the files served, never kept by hand: Trunk's loader script
//! names content-hashed files and changes with every build.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The text of a page's inline elements, exactly as a browser hashes it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InlineElements {
    /// Inline scripts (a `<script src>` is a file, allowed by `'self'`, and is not listed).
    pub scripts: Vec<String>,
    pub styles: Vec<String>,
}

/// The CSP source that allows exactly `text` as an inline script or style.
pub fn hash_source(text: &str) -> String {
    format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// Finds the inline scripts and styles of `html`. Not a full HTML parser: enough for pages we
/// write (Trunk's output, `public/*.html`), whose raw text never contains its own end tag.
pub fn inline_elements(html: &str) -> InlineElements {
    // The HTML parser turns CRLF and CR into LF before anything else; the browser hashes that text.
    let html = html.replace("\r\n", "\n").replace('\r', "\n");
    // ASCII lowercasing keeps every byte offset, so offsets found in `lower` slice `html`.
    let lower = html.to_ascii_lowercase();
    let mut found = InlineElements::default();
    let mut at = 0;
    while let Some(offset) = lower[at..].find('<') {
        let start = at + offset;
        if lower[start..].starts_with("<!--") {
            at = lower[start..].find("-->").map_or(lower.len(), |end| start + end + 3);
            continue;
        }
        let Some(kind) = ["script", "style"].into_iter().find(|name| opens(&lower[start + 1..], name)) else {
            at = start + 1;
            continue;
        };
        let Some(tag_len) = start_tag_len(&lower[start..]) else { break };
        let content_start = start + tag_len;
        let content_end = lower[content_start..].find(&format!("</{kind}")).map_or(lower.len(), |i| content_start + i);
        let text = html[content_start..content_end].to_string();
        match kind {
            "script" if !has_attribute(&lower[start..content_start], "src") => found.scripts.push(text),
            "style" => found.styles.push(text),
            _ => {}
        }
        at = content_end;
    }
    found
}

/// Whether `rest` (just after a `<`) starts an element named `name`.
fn opens(rest: &str, name: &str) -> bool {
    rest.starts_with(name) && rest[name.len()..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
}

/// The length of the start tag at the beginning of `tag`, through its `>` (quotes respected).
fn start_tag_len(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, _) => {}
        }
    }
    None
}

/// Whether the (lowercased) start tag has the attribute `name`.
fn has_attribute(tag: &str, name: &str) -> bool {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut names = Vec::new();
    let mut rest = inner.split_once(|c: char| c.is_ascii_whitespace() || c == '/').map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        let end = rest.find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        names.push(&rest[..end]);
        rest = rest[end..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split_once(q).map_or("", |(_, r)| r),
                _ => value.split_once(|c: char| c.is_ascii_whitespace()).map_or("", |(_, r)| r),
            };
        }
    }
    names.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_loader_script_and_inlined_css_are_found_with_their_exact_text() {
        let html = "<!doctype html><html><head><style type=\"text/css\">body{margin:0}</style>\
            <script type=\"module\">\nimport('/a-0123.js');\n</script></head><body></body></html>";
        let found = inline_elements(html);
        assert_eq!(found.scripts, vec!["\nimport('/a-0123.js');\n"]);
        assert_eq!(found.styles, vec!["body{margin:0}"]);
    }

    #[test]
    fn a_script_with_src_is_a_file_not_an_inline_script() {
        let found = inline_elements("<script type=module src='/app.js'></script><script data-x=\"src\">1</script>");
        assert_eq!(found.scripts, vec!["1"]);
    }

    #[test]
    fn comments_stylesheet_links_and_similar_names_are_not_elements() {
        let html = "<!-- <script>no</script> --><link rel=stylesheet href=/app.css><styles>x</styles><p>style</p>";
        assert_eq!(inline_elements(html), InlineElements::default());
    }

    #[test]
    fn tags_in_upper_case_and_crlf_newlines_are_read_as_a_browser_reads_them() {
        let found = inline_elements("<SCRIPT>a\r\nb\rc</SCRIPT><Style>p{}</Style>");
        assert_eq!(found.scripts, vec!["a\nb\nc"]);
        assert_eq!(found.styles, vec!["p{}"]);
    }

    #[test]
    fn a_quoted_greater_than_sign_does_not_end_the_start_tag() {
        let found = inline_elements("<script data-x=\"a>b\">go()</script>");
        assert_eq!(found.scripts, vec!["go()"]);
    }

    #[test]
    fn hash_source_is_the_csp_spelling_of_sha256_in_base64() {
        // Known value: SHA-256 of the empty string.
        assert_eq!(hash_source(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    }
}
