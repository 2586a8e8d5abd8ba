//! Goals and KPIs (issue 4): KPIs with automatic status, stale flag and
//! forecast, the goal tree with roll-ups, check-ins, charters, CSV.
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod model;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;
