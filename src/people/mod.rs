//! Organisation, teams and people, and the admin screens that manage them.
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod handover;
pub mod model;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

pub use model::*;
