//! The built SPA as the server sends it: precompressed, cached by name, app routes answered with
//! index.html, API paths never swallowed by the app.

use std::fs;

use crate::helpers::*;

#[tokio::test]
async fn the_spa_is_sent_precompressed_with_cache_lifetimes_by_file_kind() {
    let app = spawn_app().await;
    let dist = &app.settings.server.static_dir;
    fs::create_dir_all(dist).unwrap();
    fs::write(dist.join("index.html"), "<!doctype html><title>备案短信核验</title>").unwrap();
    fs::write(dist.join("index.html.br"), b"brotli bytes").unwrap();
    fs::write(dist.join("app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    let client = reqwest::Client::new(); // no decompression features: headers as sent

    let home = client.get(app.url("/")).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(home.headers()["content-encoding"], "br");
    assert_eq!(home.headers()["cache-control"], "no-cache");

    let link = client.get(app.url("/v/someToken")).send().await.unwrap();
    assert_eq!(link.status(), 200);
    assert_eq!(link.headers()["cache-control"], "no-store", "the URL holds a link token");
    assert!(link.text().await.unwrap().contains("备案短信核验"), "app routes get index.html");

    let wasm = client.get(app.url("/app-0123456789abcdef_bg.wasm")).send().await.unwrap();
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");

    let api = client.get(app.url("/api/v1/unknown")).send().await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    app.stop().await;
}
