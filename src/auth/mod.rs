//! Sign-in, sessions, roles and the one authorisation helper.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod throttle;
pub mod ui;

pub use model::*;
