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

pub mod api_tokens;
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
pub mod notify;
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
