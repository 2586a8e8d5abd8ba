//! Pages of growth and training plans: a person's growth (level, assessment,
//! plan, suggestions, budget), the leaders' training dashboard with the
//! competency heatmap, the catalog, mentoring, the framework, periods and
//! budgets, and a closed period's summary.
mod catalog;
mod dashboard;
mod framework;
mod framework_edit;
mod mentoring;
mod parts;
mod period_summary;
mod person;
mod plan;
mod plan_item;
mod settings;

pub use catalog::GrowthCatalogPage;
pub use dashboard::GrowthDashboardPage;
pub use framework::GrowthFrameworkPage;
pub use mentoring::GrowthMentoringPage;
pub use period_summary::PeriodSummaryPage;
pub use person::{MyGrowthPage, PersonGrowthPage};
pub use settings::GrowthSettingsPage;
