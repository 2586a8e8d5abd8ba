//! The service worker, generated per build so that its cache name and
//! precache list follow the build's files.
use super::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use std::sync::OnceLock;

/// This build's version: the hashes in hash.txt (beside the server binary,
/// where leptos reads them), so that every build gets new cache names.
fn build_version(options: &LeptosOptions) -> String {
    let fallback = env!("CARGO_PKG_VERSION").to_string();
    if !options.hash_files {
        return fallback;
    }
    let hash_path = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())));
    let Some(text) = hash_path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        return fallback;
    };
    let version: String = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(_, hash)| {
            let hash = hash.trim();
            &hash[..hash.len().min(6)]
        })
        .collect();
    if version.is_empty() {
        fallback
    } else {
        version
    }
}

/// Every file the browser may load from the site's pkg directory: the main
/// module, its JavaScript, the stylesheet and every lazily loaded chunk (and
/// the split loader), so that pages never visited online still work offline.
/// Precompressed twins (.br, .gz) and type declarations are left out.
fn pkg_files(options: &LeptosOptions) -> Vec<String> {
    let pkg = options.site_pkg_dir.to_string();
    let root = std::path::Path::new(options.site_root.as_ref()).join(&pkg);
    let mut files = Vec::new();
    let mut dirs = vec![(root, format!("/{pkg}"))];
    while let Some((dir, url)) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let path = entry.path();
            if path.is_dir() {
                dirs.push((path, format!("{url}/{name}")));
            } else if [".wasm", ".js", ".css"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                files.push(format!("{url}/{name}"));
            }
        }
    }
    files.sort();
    files
}

pub fn service_worker_source(options: &LeptosOptions) -> String {
    let pkg = options.site_pkg_dir.to_string();
    let mut precache = pkg_files(options);
    precache.extend(
        [
            "/manifest.webmanifest",
            "/icons/icon-192.png",
            "/icons/icon-512.png",
            "/icons/maskable-512.png",
            "/icons/icon.svg",
        ]
        .map(String::from),
    );
    let list = serde_json::to_string(&precache).unwrap_or_else(|_| "[]".into());
    include_str!("sw.js")
        .replace("__VERSION__", &build_version(options))
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
