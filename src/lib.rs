//! Keel: goals, backlog, growth and surveys for product organisations.
//!
//! The same crate compiles twice: with `ssr` into the server (axum, sqlx) and
//! with `hydrate` into the browser's wasm module. Shared domain types and rules
//! live in each capability's `model.rs` so both sides compute the same thing.
#![recursion_limit = "512"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// An enum stored and sent as snake_case text, with `ALL`, `as_str` and `parse`.
macro_rules! text_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod app;
pub mod auth;
pub mod backlog;
pub mod calendar;
pub mod csv_cell;
pub mod error;
pub mod growth;
pub mod input;
pub mod home;
pub mod kpi;
pub mod people;
pub mod surveys;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets tests (and people debugging) see that the page is interactive.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
    ui::pwa::register_service_worker();
}

#[cfg(test)]
mod locale_tests {
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
        let path = format!("{}/locales/{name}.json", env!("CARGO_MANIFEST_DIR"));
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
        let path = format!("{}/locales/zh.json", env!("CARGO_MANIFEST_DIR"));
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
}
