//! The service worker, generated per build so that its cache name and
//! precache list follow the hashed asset names.
use super::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use std::sync::OnceLock;

/// The hashed asset file names of this build (`keel.<hash>.js` ...), read from
/// hash.txt beside the server binary the way leptos does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildAssets {
    pub js: String,
    pub wasm: String,
    pub css: String,
    pub version: String,
}

pub fn build_assets(options: &LeptosOptions) -> BuildAssets {
    let name = options.output_name.to_string();
    let mut assets = BuildAssets {
        js: format!("{name}.js"),
        wasm: format!("{name}_bg.wasm"),
        css: format!("{name}.css"),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    if !options.hash_files {
        return assets;
    }
    let hash_path = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())));
    let Some(text) = hash_path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        return assets;
    };
    let mut version = String::new();
    for line in text.lines() {
        if let Some((kind, hash)) = line.split_once(':') {
            let hash = hash.trim();
            match kind.trim() {
                "js" => assets.js = format!("{name}.{hash}.js"),
                "wasm" => assets.wasm = format!("{name}.{hash}.wasm"),
                "css" => assets.css = format!("{name}.{hash}.css"),
                _ => continue,
            }
            version.push_str(&hash[..hash.len().min(8)]);
        }
    }
    if !version.is_empty() {
        assets.version = version;
    }
    assets
}

pub fn service_worker_source(options: &LeptosOptions) -> String {
    let assets = build_assets(options);
    let pkg = options.site_pkg_dir.to_string();
    let precache = [
        format!("/{pkg}/{}", assets.js),
        format!("/{pkg}/{}", assets.wasm),
        format!("/{pkg}/{}", assets.css),
        "/manifest.webmanifest".to_string(),
        "/icons/icon-192.png".to_string(),
        "/icons/icon-512.png".to_string(),
        "/icons/maskable-512.png".to_string(),
        "/icons/icon.svg".to_string(),
    ];
    let list = serde_json::to_string(&precache).unwrap_or_else(|_| "[]".into());
    include_str!("sw.js")
        .replace("__VERSION__", &assets.version)
        .replace("__PRECACHE__", &list)
        .replace("__PKG__", &pkg)
}

pub async fn service_worker(State(state): State<AppState>) -> Response {
    static SOURCE: OnceLock<String> = OnceLock::new();
    let body = SOURCE
        .get_or_init(|| service_worker_source(&state.leptos_options))
        .clone();
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("service-worker-allowed", HeaderValue::from_static("/"));
    res
}
