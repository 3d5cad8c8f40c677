//! The text of a verification SMS: an operator's template with `{code}`, `{hours}` and `{link}`,
//! always followed by the origin-bound last line (`@host #code`) that lets browsers offer the
//! code for autofill (WICG "Origin-bound one-time codes delivered via SMS"; Safari, Chrome's
//! WebOTP). Also counts the parts a text is split into, as carriers bill it.

use std::fmt;

use protocol::Code;
use reqwest::Url;

/// The default template. Full-width punctuation; spaces around the link so no client glues the
/// following Chinese text onto the URL.
pub const DEFAULT_TEMPLATE: &str = "【ICP备案】您的备案短信核验验证码为{code}，{hours}小时内有效。\
点击 {link} 或登录备案系统完成核验。请勿泄露验证码。";

/// Why a template or a public base URL was refused at configuration time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the SMS template has no {{{0}}} placeholder; it must contain both {{code}} and {{link}}")]
    MissingPlaceholder(&'static str),
    #[error("the SMS template has an unknown placeholder {{{0}}}; known ones are {{code}}, {{hours}} and {{link}} (write {{{{ and }}}} for literal braces)")]
    UnknownPlaceholder(String),
    #[error("the SMS template has an unmatched brace at character {0} (write {{{{ and }}}} for literal braces)")]
    UnmatchedBrace(usize),
    #[error("the public base URL {url:?} cannot be used for SMS links: {reason}")]
    BadBaseUrl { url: String, reason: &'static str },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Code,
    Hours,
    Link,
}

/// A checked template bound to the public base URL and the code's validity.
/// The only way to get one is [`SmsTemplate::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsTemplate {
    pieces: Vec<Piece>,
    /// The base URL without its trailing slash; links are `<base>/v/<token>`.
    base: String,
    /// The base URL's host, for the origin-bound line.
    host: String,
    valid_hours: u32,
}

/// A composed SMS: the text to send and, separately, the link inside it.
#[derive(Clone, PartialEq, Eq)]
pub struct RenderedSms {
    pub text: String,
    pub link: String,
}

/// The text holds a code and the link a token: keep both out of debug output and logs.
impl fmt::Debug for RenderedSms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderedSms").field("segments", &segments(&self.text)).finish_non_exhaustive()
    }
}

impl SmsTemplate {
    /// Checks `template` (must contain `{code}` and `{link}`; `{hours}` is optional) and the
    /// public base URL (http or https, with a host, no credentials, query or fragment).
    pub fn new(template: &str, public_base_url: &str, valid_hours: u32) -> Result<SmsTemplate, TemplateError> {
        let pieces = parse_template(template)?;
        for (wanted, name) in [(Piece::Code, "code"), (Piece::Link, "link")] {
            if !pieces.contains(&wanted) {
                return Err(TemplateError::MissingPlaceholder(name));
            }
        }
        let (base, host) = parse_base_url(public_base_url)?;
        Ok(SmsTemplate { pieces, base, host, valid_hours })
    }

    /// The short link for a token: `<public base URL>/v/<token>`.
    pub fn link(&self, token: &str) -> String {
        format!("{}/v/{token}", self.base)
    }

    /// The host the origin-bound line names.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The SMS for one verification. The last line is always `@<host> #<code>`.
    pub fn render(&self, code: &Code, token: &str) -> RenderedSms {
        let link = self.link(token);
        let mut text = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(literal) => text.push_str(literal),
                Piece::Code => text.push_str(code.as_str()),
                Piece::Hours => text.push_str(&self.valid_hours.to_string()),
                Piece::Link => text.push_str(&link),
            }
        }
        // The origin-bound line must be the last line, alone: drop trailing blank lines first.
        text.truncate(text.trim_end().len());
        text.push('\n');
        text.push_str(&origin_bound_line(&self.host, code));
        RenderedSms { text, link }
    }
}

/// `@host #code`. The spec makes the origin `("https", host, null, null)`: no scheme and no
/// port may be written, so a base URL's port is dropped (autofill then matches by site).
fn origin_bound_line(host: &str, code: &Code) -> String {
    format!("@{host} #{}", code.as_str())
}

fn parse_template(template: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = template.chars().enumerate().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, next)| next) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|&(_, next)| next) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '}' => return Err(TemplateError::UnmatchedBrace(at)),
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some((_, '}')) => break,
                        Some((_, '{')) | None => return Err(TemplateError::UnmatchedBrace(at)),
                        Some((_, c)) => name.push(c),
                    }
                }
                let piece = match name.as_str() {
                    "code" => Piece::Code,
                    "hours" => Piece::Hours,
                    "link" => Piece::Link,
                    _ => return Err(TemplateError::UnknownPlaceholder(name)),
                };
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(piece);
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

/// The base without trailing slash, and its host.
fn parse_base_url(input: &str) -> Result<(String, String), TemplateError> {
    let bad = |reason| TemplateError::BadBaseUrl { url: input.to_owned(), reason };
    let url = Url::parse(input.trim()).map_err(|_| bad("not an absolute URL"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(bad("the scheme must be https (or http for development)"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not carry a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or a fragment"));
    }
    let host = url.host_str().ok_or_else(|| bad("it has no host"))?.to_owned();
    let base = url.as_str().trim_end_matches('/').to_owned();
    Ok((base, host))
}

/// How a text is encoded over the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsEncoding {
    /// GSM 03.38 7-bit default alphabet (with its extension table): 160 per SMS, 153 per part.
    Gsm7,
    /// UCS-2 (any Chinese character forces it): 70 per SMS, 67 per part.
    Ucs2,
}

const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Sent as escape + char: two septets each.
const GSM7_EXTENSION: &str = "\u{0C}^{}\\[~]|€";

pub fn encoding(text: &str) -> SmsEncoding {
    if text.chars().all(|c| GSM7_BASIC.contains(c) || GSM7_EXTENSION.contains(c)) {
        SmsEncoding::Gsm7
    } else {
        SmsEncoding::Ucs2
    }
}

/// The number of SMS a text is sent as, counted the way carriers bill it: GSM-7 when every
/// character is in the GSM alphabet (160 septets single, 153 per part of a longer one; extension
/// characters count 2), else UCS-2 (70 UTF-16 units single, 67 per part). An escape pair or a
/// surrogate pair is never split across parts. An empty text is one SMS.
pub fn segments(text: &str) -> usize {
    let (single, per_part, units): (usize, usize, Vec<usize>) = match encoding(text) {
        SmsEncoding::Gsm7 => (160, 153, text.chars().map(|c| if GSM7_EXTENSION.contains(c) { 2 } else { 1 }).collect()),
        SmsEncoding::Ucs2 => (70, 67, text.chars().map(char::len_utf16).collect()),
    };
    if units.iter().sum::<usize>() <= single {
        return 1;
    }
    let mut parts = 1;
    let mut used = 0;
    for unit in units {
        if used + unit > per_part {
            parts += 1;
            used = 0;
        }
        used += unit;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://beian.example.cn";
    const TOKEN: &str = "k3J9xQ2mW7pL4vNa"; // 16 characters, like the real tokens

    fn code() -> Code {
        Code::parse("482913").unwrap()
    }

    /// The spec's parsing algorithm, reduced to what we emit: the last line is `@host #code`.
    fn parse_origin_bound(message: &str) -> Option<(String, String)> {
        let normalized = message.replace("\r\n", "\n").replace('\r', "\n");
        let line = normalized.split('\n').next_back()?;
        let rest = line.strip_prefix('@')?;
        let (host, rest) = rest.split_once(' ')?;
        let code: String = rest.strip_prefix('#')?.chars().take_while(|c| !c.is_ascii_whitespace()).collect();
        (!host.is_empty() && !code.is_empty()).then(|| (host.to_owned(), code))
    }

    #[test]
    fn the_default_template_renders_the_code_hours_and_link() {
        let template = SmsTemplate::new(DEFAULT_TEMPLATE, BASE, 24).unwrap();
        let sms = template.render(&code(), TOKEN);
        assert_eq!(sms.link, "https://beian.example.cn/v/k3J9xQ2mW7pL4vNa");
        assert_eq!(
            sms.text,
            "【ICP备案】您的备案短信核验验证码为482913，24小时内有效。\
点击 https://beian.example.cn/v/k3J9xQ2mW7pL4vNa 或登录备案系统完成核验。请勿泄露验证码。\n\
@beian.example.cn #482913"
        );
    }

    #[test]
    fn the_default_sms_is_two_parts() {
        let template = SmsTemplate::new(DEFAULT_TEMPLATE, BASE, 24).unwrap();
        let sms = template.render(&code(), TOKEN);
        assert_eq!(sms.text.chars().count(), 127);
        assert_eq!(encoding(&sms.text), SmsEncoding::Ucs2);
        assert_eq!(segments(&sms.text), 2);
    }

    #[test]
    fn the_last_line_is_always_the_origin_bound_form() {
        let templates = [
            DEFAULT_TEMPLATE,
            "{code} {link}",
            "验证码{code}\n链接{link}\n\n\n",
            "{code} {link}\n@evil.example #000000",
        ];
        for text in templates {
            let sms = SmsTemplate::new(text, BASE, 24).unwrap().render(&code(), TOKEN);
            assert_eq!(
                parse_origin_bound(&sms.text),
                Some(("beian.example.cn".to_owned(), "482913".to_owned())),
                "{text:?}"
            );
            assert_eq!(sms.text.lines().last(), Some("@beian.example.cn #482913"));
        }
    }

    #[test]
    fn the_origin_bound_line_names_the_host_without_scheme_or_port() {
        let cases = [
            ("https://beian.example.cn/", "beian.example.cn", "https://beian.example.cn/v/"),
            ("http://127.0.0.1:8080", "127.0.0.1", "http://127.0.0.1:8080/v/"),
            ("https://example.cn:8443/beian/", "example.cn", "https://example.cn:8443/beian/v/"),
            ("https://[::1]:8080", "[::1]", "https://[::1]:8080/v/"),
            ("https://备案.example.cn", "xn--srsw86a.example.cn", "https://xn--srsw86a.example.cn/v/"),
        ];
        for (base, host, link_start) in cases {
            let template = SmsTemplate::new(DEFAULT_TEMPLATE, base, 24).unwrap();
            let sms = template.render(&code(), TOKEN);
            assert_eq!(template.host(), host, "{base}");
            assert_eq!(sms.link, format!("{link_start}{TOKEN}"), "{base}");
            assert!(sms.text.ends_with(&format!("\n@{host} #482913")), "{base}");
        }
    }

    #[test]
    fn templates_missing_code_or_link_are_refused() {
        let cases = [
            ("验证码{code}", TemplateError::MissingPlaceholder("link")),
            ("点击{link}", TemplateError::MissingPlaceholder("code")),
            ("{hours}小时", TemplateError::MissingPlaceholder("code")),
            ("{code}{link}{name}", TemplateError::UnknownPlaceholder("name".into())),
            ("{code}{link}{", TemplateError::UnmatchedBrace(12)),
            ("{code}{link}}", TemplateError::UnmatchedBrace(12)),
            ("{co{de}{link}", TemplateError::UnmatchedBrace(0)),
        ];
        for (template, expected) in cases {
            let refused = SmsTemplate::new(template, BASE, 24);
            assert_eq!(refused.as_ref().err(), Some(&expected), "{template:?}");
        }
        let message = TemplateError::MissingPlaceholder("link").to_string();
        assert!(message.contains("{link}") && message.contains("{code}"), "{message}");
    }

    #[test]
    fn literal_braces_are_written_doubled() {
        let template = SmsTemplate::new("{{备案}} {code} {link}", BASE, 24).unwrap();
        assert!(template.render(&code(), TOKEN).text.starts_with("{备案} 482913 "));
    }

    #[test]
    fn unusable_base_urls_are_refused() {
        for base in [
            "beian.example.cn",
            "ftp://beian.example.cn",
            "https://user:pw@beian.example.cn",
            "https://beian.example.cn/?a=1",
            "https://beian.example.cn/#top",
            "",
        ] {
            assert!(
                matches!(SmsTemplate::new(DEFAULT_TEMPLATE, base, 24), Err(TemplateError::BadBaseUrl { .. })),
                "{base:?}"
            );
        }
    }

    #[test]
    fn debug_output_hides_the_code_and_link() {
        let sms = SmsTemplate::new(DEFAULT_TEMPLATE, BASE, 24).unwrap().render(&code(), TOKEN);
        let shown = format!("{sms:?}");
        assert!(!shown.contains("482913") && !shown.contains(TOKEN), "{shown}");
    }

    #[test]
    fn segments_follow_the_carriers_limits() {
        let cases: &[(String, usize, &str)] = &[
            (String::new(), 1, "empty"),
            ("a".repeat(160), 1, "GSM-7 full single"),
            ("a".repeat(161), 2, "GSM-7 just over"),
            ("a".repeat(306), 2, "GSM-7 two full parts"),
            ("a".repeat(307), 3, "GSM-7 third part"),
            ("€".repeat(80), 1, "extension chars count 2: 160 septets"),
            ("€".repeat(81), 2, "extension chars count 2: 162 septets"),
            (format!("{}€", "a".repeat(151)) + &"a".repeat(10), 2, "an escape pair ends a part exactly"),
            (format!("{}€", "a".repeat(152)) + &"a".repeat(152), 3, "an escape pair is not split"),
            ("备".repeat(70), 1, "UCS-2 full single"),
            ("备".repeat(71), 2, "UCS-2 just over"),
            ("备".repeat(134), 2, "UCS-2 two full parts"),
            ("备".repeat(135), 3, "UCS-2 third part"),
            (format!("{}备", "a".repeat(69)), 1, "one Chinese char makes it all UCS-2"),
            (format!("{}备", "a".repeat(70)), 2, "one Chinese char: 71 units"),
            ("😀".repeat(35), 1, "surrogate pairs count 2"),
            (format!("{}😀", "备".repeat(66)) + &"备".repeat(66), 3, "a surrogate pair is not split"),
        ];
        for (text, expected, why) in cases {
            assert_eq!(segments(text), *expected, "{why}");
        }
    }

    #[test]
    fn encoding_is_gsm7_only_for_gsm_characters() {
        assert_eq!(encoding("Your code: 123456 @x.cn #123456 {}[]€"), SmsEncoding::Gsm7);
        assert_eq!(encoding("code，123"), SmsEncoding::Ucs2);
        assert_eq!(encoding("ç"), SmsEncoding::Ucs2);
    }
}
