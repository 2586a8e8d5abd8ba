//! Growth and training plans (issue 5): the competency framework, periods,
//! assessments, plans with suggestions, the catalog, mentoring, budgets with
//! approval, and the leaders' training dashboard.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;
