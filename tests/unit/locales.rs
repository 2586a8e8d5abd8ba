//! Unit tests of `src/lib.rs`: the locale files (`locales/*.json`) have the
//! same keys in both languages, and the Chinese one is translated.

use serde_json::Value;
use std::collections::BTreeSet;

fn keys(prefix: &str, v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                keys(&p, v, out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

fn load(name: &str) -> BTreeSet<String> {
    let path = format!("{}/../locales/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("locale file");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    let mut out = BTreeSet::new();
    keys("", &v, &mut out);
    out
}

/// A key in one language and not the other fails the build's tests.
#[test]
fn every_key_exists_in_both_languages() {
    let en = load("en");
    let zh = load("zh");
    let only_en: Vec<_> = en.difference(&zh).collect();
    let only_zh: Vec<_> = zh.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_zh.is_empty(),
        "only in en: {only_en:?}; only in zh: {only_zh:?}"
    );
    assert!(en.len() > 100);
}

/// Chinese strings are written, not left in English.
#[test]
fn chinese_strings_are_translated() {
    let path = format!("{}/../locales/zh.json", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for key in [
        "dashboard",
        "kpis",
        "backlog",
        "growth",
        "surveys",
        "people",
    ] {
        let s = v["nav"][key].as_str().unwrap();
        assert!(
            s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "nav.{key} = {s}"
        );
    }
}
