//! Unit tests of the library's modules, compiled as one integration-test
//! crate against the ordinary `keel` library (built with `ssr`), so a test
//! run does not compile the whole library a second time under `cfg(test)`.
//!
//! The layout mirrors `src/`: the tests of `src/backlog/model.rs` are in
//! `backlog/model.rs` here. The tests of `src/lib.rs` are `locales` (both
//! languages have every key) and `text_enum` (the `text_enum!` macro).
//! Whatever a test reaches is public in the library, some of it only for
//! these tests (marked `#[doc(hidden)]`).

mod api_tokens;
mod auth;
mod backlog;
mod calendar;
mod csv_cell;
mod csv_read;
mod growth;
mod input;
mod kpi;
mod locales;
mod notify;
mod people;
mod server;
mod surveys;
mod text_enum;
mod ui;
