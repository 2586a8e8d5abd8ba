//! Unit tests of `src/server/pwa.rs`.

use keel::server::pwa::*;
use leptos::config::LeptosOptions;

#[test]
fn the_worker_precaches_every_chunk_of_the_build_and_nothing_else() {
    let root = std::env::temp_dir().join(format!("keel-sw-{}", uuid::Uuid::new_v4()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(pkg.join("snippets")).unwrap();
    for f in [
        "keel.AAA.js",
        "keel.BBB.wasm",
        "keel.CCC.css",
        "split_kpi_pages_1.DDD.wasm",
        "chunk_7.EEE.wasm",
        "__wasm_split.FFF.js",
        "snippets/x.js",
        // left out: precompressed twins, the split manifest, type declarations
        "keel.BBB.wasm.br",
        "keel.BBB.wasm.gz",
        "__wasm_split_manifest.GGG.json",
        "keel.d.HHH.ts",
    ] {
        std::fs::write(pkg.join(f), "x").unwrap();
    }
    let options = LeptosOptions::builder()
        .output_name("keel")
        .site_root(root.to_string_lossy().to_string())
        .build();
    let sw = service_worker_source(&options);
    std::fs::remove_dir_all(&root).unwrap();
    let list = sw
        .lines()
        .find(|l| l.starts_with("const PRECACHE"))
        .unwrap();
    for f in [
        "/pkg/keel.AAA.js",
        "/pkg/keel.BBB.wasm",
        "/pkg/keel.CCC.css",
        "/pkg/split_kpi_pages_1.DDD.wasm",
        "/pkg/chunk_7.EEE.wasm",
        "/pkg/__wasm_split.FFF.js",
        "/pkg/snippets/x.js",
        "/manifest.webmanifest",
    ] {
        assert!(list.contains(&format!("\"{f}\"")), "{f} in {list}");
    }
    for f in [".br", ".gz", ".json", ".ts"] {
        assert!(
            !list.contains(&format!("{f}\"")),
            "{f} files left out: {list}"
        );
    }
}
