//! The wasm chunks each page needs, from the split manifest cargo-leptos
//! writes (`cargo leptos build --split`), for the `<link rel="preload">`s of
//! a rendered page: the page's chunks download alongside the main module
//! instead of after it.
use leptos::config::LeptosOptions;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The split build's files: each lazy function's chunks and the loader.
#[derive(Debug, Default)]
pub struct Chunks {
    /// Lazy function name (without its hash suffix) → chunk file stems.
    by_function: HashMap<String, Vec<String>>,
    /// The split loader (`__wasm_split.<hash>.js`).
    loader: Option<String>,
    pkg: String,
}

impl Chunks {
    /// Reads the manifest named in hash.txt (beside the server binary, as
    /// leptos does), or the unhashed one; an unsplit build has none.
    pub fn load(options: &LeptosOptions) -> Chunks {
        let pkg = options.site_pkg_dir.to_string();
        let mut manifest = "__wasm_split_manifest.json".to_string();
        let mut loader = None;
        if options.hash_files {
            let hashes = std::env::current_exe()
                .ok()
                .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())))
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default();
            for line in hashes.lines() {
                match line.split_once(':') {
                    Some(("manifest", h)) => {
                        manifest = format!("__wasm_split_manifest.{}.json", h.trim())
                    }
                    Some(("split", h)) => loader = Some(format!("__wasm_split.{}.js", h.trim())),
                    _ => {}
                }
            }
        }
        let path = std::path::Path::new(options.site_root.as_ref())
            .join(&pkg)
            .join(manifest);
        let Ok(text) = std::fs::read_to_string(path) else {
            return Chunks::default();
        };
        Chunks::parse(&text, loader, pkg)
    }

    fn parse(text: &str, loader: Option<String>, pkg: String) -> Chunks {
        let raw: HashMap<String, Vec<String>> = serde_json::from_str(text).unwrap_or_default();
        let by_function = raw
            .into_iter()
            .map(|(name, files)| {
                // `kpi_pages_5302756623715741478`: the macro's hash suffix.
                let base = name
                    .rsplit_once('_')
                    .filter(|(_, h)| h.chars().all(|c| c.is_ascii_digit()))
                    .map(|(b, _)| b.to_string())
                    .unwrap_or(name);
                (base, files)
            })
            .collect();
        Chunks {
            by_function,
            loader: loader.or_else(|| Some("__wasm_split.______________________.js".into())),
            pkg,
        }
    }

    /// The files to preload for the page at `path`: its chunks' wasm and the
    /// split loader's JavaScript.
    pub fn preloads(&self, path: &str) -> (Vec<String>, Option<String>) {
        let Some(files) = crate::pages::chunk_of(path).and_then(|f| self.by_function.get(f)) else {
            return (Vec::new(), None);
        };
        let wasm = files
            .iter()
            .map(|f| format!("/{}/{f}.wasm", self.pkg))
            .collect();
        let loader = self.loader.as_ref().map(|l| format!("/{}/{l}", self.pkg));
        (wasm, loader)
    }
}

/// This server's chunks, read once.
pub fn chunks(options: &LeptosOptions) -> &'static Chunks {
    static CHUNKS: OnceLock<Chunks> = OnceLock::new();
    CHUNKS.get_or_init(|| Chunks::load(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_preloads_the_chunks_of_its_capability() {
        let c = Chunks::parse(
            r#"{"kpi_pages_123":["chunk_1.aa","split_kpi_pages_123.bb"],"sign_in_pages_9":["chunk_2.cc"]}"#,
            Some("__wasm_split.dd.js".into()),
            "pkg".into(),
        );
        let (wasm, loader) = c.preloads("/kpis/abc");
        assert_eq!(
            wasm,
            ["/pkg/chunk_1.aa.wasm", "/pkg/split_kpi_pages_123.bb.wasm"]
        );
        assert_eq!(loader.as_deref(), Some("/pkg/__wasm_split.dd.js"));
        assert_eq!(c.preloads("/login").0, ["/pkg/chunk_2.cc.wasm"]);
        // A capability with no chunk (an unsplit build) preloads nothing.
        assert_eq!(c.preloads("/growth"), (Vec::new(), None));
    }
}
