//! The server's HTML pages for browsers without WebAssembly or JavaScript (the help page, a refused
//! form shown again): the app's words (from `protocol`), ids, classes and stylesheet, so both
//! read and look alike. Every value put into a page goes through [`escape`].

use protocol::{FieldError, InputField, ERROR_PREFIX, FIX_THESE};

/// A complete page: the app's stylesheet (`/app.css`, copied beside `index.html` by the build),
/// no script, no inline style.
pub fn page(title: &str, heading: &str, body: &str) -> String {
    let (title, heading) = (escape(title), escape(heading));
    format!(
        r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="format-detection" content="telephone=no">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<main>
<h1 class="title">{heading}</h1>
{body}
</main>
</body>
</html>
"#
    )
}

/// A form posting to `action`: the error summary on top (when refused), then each field with what
/// was typed and its error beside it, then the submit button.
pub fn form(action: &str, fields: &[(InputField, &str)], errors: &[FieldError], submit: &str) -> String {
    let fields: String =
        fields.iter().map(|&(field, value)| self::field(field, value, error_for(errors, field))).collect();
    format!(
        r#"<form class="form" method="post" action="{action}">
{summary}{fields}<button type="submit" class="primary">{submit}</button>
</form>
"#,
        action = escape(action),
        summary = error_summary(errors),
        submit = escape(submit),
    )
}

fn error_for(errors: &[FieldError], field: InputField) -> Option<&str> {
    errors.iter().find(|error| error.field == field).map(|error| error.message.as_str())
}

/// The app's error summary: every refused field, each a link to its input. Empty when none.
fn error_summary(errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let items: String = errors
        .iter()
        .map(|error| format!(r##"<li><a href="#{}">{}</a></li>"##, error.field.id(), escape(&error.message)))
        .collect();
    format!(
        r#"<div role="alert" class="notice notice-problem" tabindex="-1">
<p class="notice-heading"><span class="notice-icon" aria-hidden="true">!</span>{heading}</p>
<ul class="error-list">{items}</ul>
</div>
"#,
        heading = escape(FIX_THESE),
    )
}

/// One labelled input as the app renders it (`src/components/field.rs`): hint, error, input.
fn field(field: InputField, value: &str, error: Option<&str>) -> String {
    let id = field.id();
    let kind = field.kind();
    let mut described_by = format!("{id}-hint");
    let error_line = match error {
        Some(message) => {
            described_by.push_str(&format!(" {id}-error"));
            format!(
                r#"<p class="field-error" id="{id}-error"><span class="visually-hidden">{}</span>{}</p>
"#,
                escape(ERROR_PREFIX),
                escape(message)
            )
        }
        None => String::new(),
    };
    let mut attributes = String::new();
    if let Some(mode) = kind.inputmode {
        attributes.push_str(&format!(r#" inputmode="{mode}""#));
    }
    attributes.push_str(&format!(r#" autocomplete="{}""#, kind.autocomplete));
    if kind.upper {
        attributes.push_str(r#" autocapitalize="characters""#);
    }
    attributes.push_str(r#" spellcheck="false""#);
    if kind.upper {
        attributes.push_str(r#" class="upper""#);
    }
    if error.is_some() {
        attributes.push_str(r#" aria-invalid="true""#);
    }
    format!(
        r#"<div class="field">
<label for="{id}">{label}</label>
<p class="hint" id="{id}-hint">{hint}</p>
{error_line}<input id="{id}" name="{name}" type="{input_type}"{attributes} aria-describedby="{described_by}" value="{value}">
</div>
"#,
        label = escape(field.label()),
        hint = escape(field.hint()),
        name = field.name(),
        input_type = kind.input_type,
        value = escape(value),
    )
}

/// Text made safe for HTML content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_typed_is_shown_again_escaped_with_its_error_beside_its_field() {
        let errors = vec![FieldError::new(InputField::Code, "短信验证码应为6位数字。")];
        let html = form("/check", &[(InputField::Code, "12\"><script>"), (InputField::Phone, "138")], &errors, "提交");
        assert!(html.contains(r#"value="12&quot;&gt;&lt;script&gt;""#), "{html}");
        assert!(!html.contains("<script>"));
        assert!(
            html.contains(r#"id="f-code-error""#) && html.contains(r#"aria-describedby="f-code-hint f-code-error""#)
        );
        assert!(html.contains(r##"<a href="#f-code">短信验证码应为6位数字。</a>"##));
        assert!(!html.contains("f-phone-error"));
        assert!(html.find("role=\"alert\"") < html.find("<div class=\"field\">"), "the summary comes first");
    }

    #[test]
    fn a_form_without_errors_has_no_summary() {
        let html = form("/resend", &[(InputField::Phone, "")], &[], "重新发送短信");
        assert!(!html.contains("role=\"alert\"") && !html.contains("aria-invalid"));
    }
}
