//! Personal API tokens and the small JSON API for analytics tools
//! (`/api/v1/…`, see README "API for analytics tools").
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;
