//! Requirements and backlog ranking (issue 3, in progress: the pure rules and
//! ordering keys are here; storage, server functions and pages follow).
pub mod api;
pub mod model;
pub mod rank;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod store;
