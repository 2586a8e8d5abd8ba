//! Keel: goals, backlog, growth and surveys for product organisations.
//!
//! The same crate compiles twice: with `ssr` into the server (axum, sqlx) and
//! with `hydrate` into the browser's wasm module. Shared domain types and rules
//! live in each capability's `model.rs` so both sides compute the same thing.
#![recursion_limit = "512"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// An enum stored and sent as snake_case text, with `ALL` (in the order
/// listed), `as_str` and `parse`; with `ssr` also sqlx's `Type`, `Encode` and
/// `Decode` for SQLite by that text (decoding unknown text is an error), so
/// store code binds and reads the enum itself.
///
/// Attributes before the name (docs, extra derives) go on the enum; a variant
/// may fix its discriminant (`Name = 2 => "name"`). Ending with `without parse`
/// leaves `parse` out, for an enum whose own parse returns an error or accepts
/// other spellings.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident {
        $($variant:ident $(= $disc:literal)? => $text:literal),+ $(,)?
    }) => {
        text_enum!(@enum $(#[$meta])* $name { $($variant $(= $disc)? => $text),+ });

        impl $name {
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
    ($(#[$meta:meta])* $name:ident {
        $($variant:ident $(= $disc:literal)? => $text:literal),+ $(,)?
    } without parse) => {
        text_enum!(@enum $(#[$meta])* $name { $($variant $(= $disc)? => $text),+ });
    };
    (@enum $(#[$meta:meta])* $name:ident {
        $($variant:ident $(= $disc:literal)? => $text:literal),+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant $(= $disc)?),+ }

        impl $name {
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        #[cfg(feature = "ssr")]
        impl ::sqlx::Type<::sqlx::Any> for $name {
            fn type_info() -> ::sqlx::any::AnyTypeInfo {
                <str as ::sqlx::Type<::sqlx::Any>>::type_info()
            }

            fn compatible(ty: &::sqlx::any::AnyTypeInfo) -> bool {
                <str as ::sqlx::Type<::sqlx::Any>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> ::sqlx::Encode<'q, ::sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <::sqlx::Any as ::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'q, ::sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> ::sqlx::Decode<'r, ::sqlx::Any> for $name {
            fn decode(
                value: <::sqlx::Any as ::sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let text = <&str as ::sqlx::Decode<'r, ::sqlx::Any>>::decode(value)?;
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == text)
                    .ok_or_else(|| format!("unknown {} {text:?}", stringify!($name)).into())
            }
        }
    };
}

pub mod app;
pub mod auth;
pub mod backlog;
pub mod calendar;
pub mod csv_cell;
pub mod csv_read;
pub mod error;
pub mod growth;
pub mod home;
pub mod input;
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

#[cfg(all(test, feature = "ssr"))]
mod text_enum_tests {
    use crate::backlog::model::Status;
    use crate::kpi::model::KpiStatus;
    use sqlx::Row;

    #[tokio::test]
    async fn binds_and_reads_as_its_text() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect("sqlite::memory:").await.unwrap();
        let row = sqlx::query("SELECT $1 AS s, typeof($2) AS t, 'nope' AS bad")
            .bind(Status::UnderReview)
            .bind(Status::UnderReview)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>("s"), "under_review");
        assert_eq!(row.get::<String, _>("t"), "text");
        assert_eq!(row.get::<Status, _>("s"), Status::UnderReview);
        assert!(row.try_get::<Status, _>("bad").is_err(), "unknown text");
    }

    #[test]
    fn discriminants_order_and_all_lists() {
        assert_eq!(
            KpiStatus::ALL,
            [
                KpiStatus::OnTrack,
                KpiStatus::AtRisk,
                KpiStatus::OffTrack,
                KpiStatus::Achieved
            ]
        );
        assert!(KpiStatus::OffTrack < KpiStatus::AtRisk);
        assert!(KpiStatus::AtRisk < KpiStatus::OnTrack);
        assert!(KpiStatus::OnTrack < KpiStatus::Achieved);
    }
}
