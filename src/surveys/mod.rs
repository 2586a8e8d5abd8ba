//! Team-culture and wellbeing surveys (issue 6): rounds made from templates,
//! anonymous answers, results under the minimum-group-size and suppression
//! rules, heatmap, trends and action plans.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod seal;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;
