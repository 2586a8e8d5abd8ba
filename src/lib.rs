//! Keel: goals, backlog, growth and surveys for product organisations.
//!
//! The same crate compiles twice: with `ssr` into the server (axum, sqlx) and
//! with `hydrate` into the browser's wasm module. Shared domain types and rules
//! live in each capability's `model.rs` so both sides compute the same thing.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod app;
pub mod auth;
pub mod error;
pub mod people;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    ui::pwa::register_service_worker();
}
