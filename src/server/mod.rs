//! Server-only plumbing: configuration, database, state, middleware, the
//! service worker and the demo organisation.
pub mod cli;
pub mod clock;
pub mod config;
pub mod copy;
pub mod db;
pub mod demo;
pub mod http;
pub mod jobs;
pub mod pwa;
pub mod request;
pub mod secrets;
pub mod sessions;
pub mod snapshot;
pub mod state;

pub use state::AppState;

/// Now, as an RFC 3339 UTC instant (the only way instants are stored).
pub fn now_rfc3339() -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Today in the organisation's time zone, as text and day number.
pub async fn org_today(pool: &sqlx::AnyPool) -> crate::error::AppResult<(String, i64)> {
    let (text, _) = clock::OrgClock::load(pool).await?.today();
    let n = crate::kpi::model::day_number(&text).unwrap_or(0);
    Ok((text, n))
}

pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Builds the application state from configuration: database, migrations, demo data.
pub async fn build_state(
    settings: config::Settings,
    mut leptos_options: leptos::config::LeptosOptions,
) -> Result<AppState, String> {
    leptos_options.site_addr = settings.site_addr;
    let pool = db::connect(&settings.database_url).await?;
    let sessions = sessions::Sessions::open(&settings.database_url).await?;
    let survey_key = settings.survey_key.as_ref();
    crate::surveys::store::check_key(&pool, survey_key).await?;
    if settings.demo && demo::seed_if_empty(&pool, survey_key).await? {
        tracing::info!("seeded the demo organisation");
    }
    // Rounds that closed while the server was down get their free text
    // finalised now (then every minute, see `jobs`).
    if let Err(e) = crate::surveys::store::sweep(&pool, survey_key).await {
        tracing::warn!("survey sweep failed: {e}");
    }
    let setup_done = crate::auth::store::organisation_exists(&pool)
        .await
        .map_err(|e| format!("database check failed: {e}"))?;
    let setup_token = settings
        .setup_token
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    if !setup_done {
        // Whoever reaches the port first must not become admin: setup asks
        // for this token, which only someone reading the log has.
        tracing::warn!(
            "Keel is not set up yet: open /setup and enter the setup token {setup_token}"
        );
    }
    Ok(AppState {
        leptos_options,
        pool,
        sessions,
        settings: std::sync::Arc::new(settings),
        setup_done: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(setup_done)),
        setup_token: std::sync::Arc::new(setup_token),
        sign_in: Default::default(),
        api_tokens: Default::default(),
        kpi_rows: Default::default(),
        growth: Default::default(),
        surveys: Default::default(),
    })
}

/// Server start: configuration, pool, migrations, router, graceful shutdown.
pub async fn run() -> Result<(), String> {
    use axum::serve::ListenerExt;
    use tracing_subscriber::EnvFilter;

    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn")),
        )
        .init();

    let settings = config::Settings::from_env()?;
    let conf = leptos::config::get_configuration(None)
        .map_err(|e| format!("LEPTOS_* configuration: {e}"))?;
    let mut options = conf.leptos_options;
    // Started without cargo-leptos: use the hashed file names when the build wrote them.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside_exe = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())));
        options.hash_files = beside_exe.is_some_and(|p| p.exists());
    }
    let addr = settings.site_addr;
    let state = build_state(settings, options).await?;
    let pool = state.pool.clone();
    tokio::spawn(jobs::background(state.clone()));
    let app = http::router(state).await?;

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("LEPTOS_SITE_ADDR: cannot listen on {addr}: {e}"))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("LEPTOS_SITE_ADDR: {e}"))?;
    // Streaming SSR otherwise waits on delayed ACKs for every keep-alive request.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("Keel listening on http://{bound}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    pool.close().await;
    tracing::info!("Keel stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
