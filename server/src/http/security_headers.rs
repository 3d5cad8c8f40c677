//! The headers every answer carries so that no other site can frame our pages, run script in them,
//! or learn the link-page URL (it holds a token): a Content-Security-Policy without
//! `'unsafe-inline'`, `X-Frame-Options`, `nosniff`, `no-referrer`, a Permissions-Policy, and HSTS
//! when the deployment says it is behind TLS.
//!
//! The policy is built once at start: it allows by hash exactly the inline scripts and styles of
//! the HTML pages in the static directory and the no-script form pages' style. Restart the server
//! after rebuilding the SPA (the loader script names new files).

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::inline_hashes::{hash_source, inline_elements};

static PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Browser features the pages never use, turned off for them and anything they might embed.
const UNUSED_FEATURES: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
    encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), \
    midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), \
    usb=(), xr-spatial-tracking=()";

/// The header values, ready to copy into each answer.
#[derive(Clone)]
pub struct SecurityHeaders(Arc<HeaderMap>);

impl SecurityHeaders {
    /// Reads the HTML pages directly in `static_dir` for their inline elements; `extra_styles` are
    /// the server's own inline styles (the form pages'). HSTS only with `hsts_max_age_secs`.
    pub fn new(static_dir: &Path, extra_styles: &[&str], hsts_max_age_secs: Option<u64>) -> SecurityHeaders {
        let mut scripts = Vec::new();
        let mut styles: Vec<String> = extra_styles.iter().map(|s| s.to_string()).collect();
        for html in html_pages(static_dir) {
            let found = inline_elements(&html);
            scripts.extend(found.scripts);
            styles.extend(found.styles);
        }
        tracing::info!(scripts = scripts.len(), styles = styles.len(), "inline elements allowed by hash in the CSP");
        let policy = content_security_policy(&scripts, &styles);

        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).expect("hashes are header-safe"));
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        headers.insert(PERMISSIONS_POLICY.clone(), HeaderValue::from_static(UNUSED_FEATURES));
        if let Some(max_age) = hsts_max_age_secs {
            let value = format!("max-age={max_age}; includeSubDomains");
            headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_str(&value).expect("digits"));
        }
        SecurityHeaders(Arc::new(headers))
    }
}

/// Middleware: sets the headers on every answer (replacing any a handler set).
pub async fn add(State(headers): State<SecurityHeaders>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    for (name, value) in headers.0.iter() {
        response.headers_mut().insert(name, value.clone());
    }
    response
}

/// Same origin only; inline code only by hash; the wasm may be compiled (`'wasm-unsafe-eval'`,
/// which allows no JavaScript `eval`); no plugins, no `<base>`, forms post to us, no framing.
fn content_security_policy(scripts: &[String], styles: &[String]) -> String {
    let hashes = |texts: &[String]| {
        let mut sources: Vec<String> = texts.iter().map(|t| hash_source(t)).collect();
        sources.sort();
        sources.dedup();
        sources.iter().map(|s| format!(" {s}")).collect::<String>()
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        hashes(scripts),
        hashes(styles)
    )
}

/// The text of each `*.html` file directly in `dir` (none when the SPA is not built).
fn html_pages(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        tracing::warn!(dir = %dir.display(), "no static directory: the CSP allows no inline script or style of it");
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "html"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) => {
                tracing::warn!(file = %path.display(), error = %e, "static page not read for the CSP");
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_allows_inline_code_only_by_hash_and_forbids_framing() {
        let policy = content_security_policy(&["go()".into()], &["p{}".into(), "p{}".into()]);
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {};", hash_source("go()"))), "{policy}");
        assert!(
            policy.contains(&format!("style-src 'self' {};", hash_source("p{}"))),
            "the same style is listed once: {policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }
}
