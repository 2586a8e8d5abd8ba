use super::config::Settings;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::AnyPool;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Everything a route or server function needs, given to both.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: AnyPool,
    /// Where sessions are kept: the same database, through its own small pool.
    pub sessions: super::sessions::Sessions,
    pub settings: Arc<Settings>,
    /// Once the first admin exists, setup is gone for good; cached so pages need not ask.
    pub setup_done: Arc<AtomicBool>,
    /// The one-time token the setup page asks for (see README).
    pub setup_token: Arc<String>,
    /// Sign-in token buckets per client address and for the server.
    pub sign_in: Arc<crate::auth::throttle::SignInThrottle>,
    /// Token buckets of the personal API tokens (see `api_tokens::rest`).
    pub api_tokens: Arc<crate::api_tokens::rest::TokenThrottle>,
    /// Every KPI row with the change counter it was read at (see `kpi::store::kpis`).
    pub kpi_rows: crate::kpi::store::KpiCache,
    /// The training dashboard's snapshot of a period (see `growth::store::snapshot`).
    pub growth: crate::growth::store::SnapshotCache,
    /// Tallies of closed survey rounds (see `surveys::store::tally`).
    pub surveys: crate::surveys::store::TallyCache,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
