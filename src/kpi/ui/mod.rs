//! Pages of goals and KPIs: the dashboard of cards, a KPI's page with its
//! trend and check-ins, the goal tree, charters, the new-KPI form and CSV.
mod charters;
mod dashboard;
mod goals;
mod home_card;
mod kpi_page;
mod new_kpi;
mod parts;
mod sparkline;

pub use charters::{CharterPage, ChartersPage};
pub use dashboard::KpisPage;
pub use goals::GoalsPage;
pub use home_card::CheckinsDue;
pub use kpi_page::{CHECKIN_SENDER, KpiPage};
pub use new_kpi::NewKpiPage;
pub use parts::{StatusBadge, status_label};
