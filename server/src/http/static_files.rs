//! The built SPA: sent precompressed, hashed assets cached for a year, `index.html` revalidated
//! every time (never stored at all under `/v/<token>`: that URL holds a link token), and every path the app routes itself (`/v/<token>`, `/help`) answered with `index.html`.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(static_dir: &Path) -> Router {
    // The build writes .br and .gz beside each file (Trunk.toml's post_build hook).
    let index = ServeFile::new(static_dir.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(static_dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new().fallback_service(files).layer(axum::middleware::from_fn(cache_control))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let link_page = request.uri().path().starts_with("/v/");
    let mut response = next.run(request).await;
    let policy = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else if link_page {
        "no-store"
    } else if response.headers().get("content-type").is_some_and(|t| t.as_bytes().starts_with(b"text/html")) {
        "no-cache"
    } else {
        "public, max-age=3600"
    };
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Trunk names built assets `<name>-<16 hex digits>.<ext>` (and `_bg.wasm` beside the JS).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn only_trunk_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/beian-verify-4f2c1d0e9a8b7c6d.js"));
        assert!(is_hashed_asset("/beian-verify-4f2c1d0e9a8b7c6d_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/favicon.svg"));
        assert!(!is_hashed_asset("/v/abcdef"));
    }
}
