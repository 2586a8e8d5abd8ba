//! Requirements and backlog ranking (issue 3, in progress: the pure rules and
//! ordering keys are here; storage, server functions and pages follow).
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod model;
pub mod rank;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;
