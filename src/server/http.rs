//! The router and its middleware: sessions, page guards, cross-site refusal,
//! security headers, compression, health.
use super::AppState;
use super::request::CurrentUser;
use crate::auth::{Role, SessionUser};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::atomic::Ordering;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

pub const SESSION_COOKIE: &str = "keel_session";

/// Paths served without a page guard (assets, API, health).
fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path.starts_with("/api/")
        || matches!(
            path,
            "/sw.js" | "/manifest.webmanifest" | "/favicon.ico" | "/healthz" | "/robots.txt"
        )
}

/// Pages a visitor may open without signing in.
fn is_public_page(path: &str) -> bool {
    matches!(path, "/login" | "/setup")
}

/// Pages only an admin may open.
fn is_admin_page(path: &str) -> bool {
    path == "/people" || path.starts_with("/people/")
}

pub async fn session_store(pool: &sqlx::SqlitePool) -> Result<SqliteStore, String> {
    let store = SqliteStore::new(pool.clone())
        .with_table_name("sessions")
        .map_err(|e| e.to_string())?;
    store
        .migrate()
        .await
        .map_err(|e| format!("session table migration failed: {e}"))?;
    Ok(store)
}

pub async fn router(state: AppState) -> Result<Router, String> {
    let store = session_store(&state.pool).await?;
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(14),
        ));

    let routes = generate_route_list(crate::app::App);
    let leptos_options = state.leptos_options.clone();
    let ctx_state = state.clone();
    let fn_state = state.clone();

    let app = Router::new()
        .route(
            "/api/{*fn_name}",
            axum::routing::post(move |req: Request| {
                let state = fn_state.clone();
                async move {
                    leptos_axum::handle_server_fns_with_context(
                        move || provide_context(state.clone()),
                        req,
                    )
                    .await
                }
            }),
        )
        .route("/healthz", get(healthz))
        .route("/backlog/{id}/export.csv", get(export_backlog_csv))
        .route("/kpis/export.csv", get(export_checkins_csv))
        .route("/surveys/{id}/export.csv", get(export_survey_csv))
        .route("/sw.js", get(super::pwa::service_worker))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(ctx_state.clone());
                leptos::nonce::provide_nonce();
            },
            {
                let options = leptos_options.clone();
                move || crate::app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let st = state.clone();
                move || provide_context(st.clone())
            },
            crate::app::shell,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(sessions)
        .layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .br(true)
                .compress_when(tower_http::compression::DefaultPredicate::new()),
        )
        .layer(middleware::from_fn(security_headers))
        .with_state(state);
    Ok(app)
}

async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// The check-ins of every KPI the person may see, as CSV that imports again.
async fn export_checkins_csv(State(state): State<AppState>, req: Request) -> Response {
    let Some(user) = signed_in(&req) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let body = match crate::kpi::api::export_csv(&state.pool, user).await {
        Ok(body) => body,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    csv_response(body, "attachment; filename=\"checkins.csv\"")
}

/// A closed round's results as CSV, under the same suppression as its page.
async fn export_survey_csv(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let Some(user) = signed_in(&req) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let body = match crate::surveys::api::export_csv(&state, user, &id).await {
        Ok(body) => body,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return status.into_response();
        }
    };
    csv_response(body, "attachment; filename=\"survey-results.csv\"")
}

/// The ranked backlog as CSV (UTF-8 with BOM), for anyone signed in. The
/// page guard has already sent visitors without a session to sign in.
async fn export_backlog_csv(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let signed_in = req
        .extensions()
        .get::<CurrentUser>()
        .is_some_and(|u| u.0.is_some());
    if !signed_in {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let backlog = match crate::backlog::store::backlog(&state.pool, &id).await {
        Ok(Some(b)) => b,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let body = match crate::backlog::store::export_csv(&state.pool, &backlog.id).await {
        Ok(body) => body,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let encoded: String = backlog
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition =
        format!("attachment; filename=\"backlog.csv\"; filename*=UTF-8''{encoded}.csv");
    csv_response(body, &disposition)
}

/// A CSV download: the body with its content type and disposition.
fn csv_response(body: impl IntoResponse, disposition: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The signed-in user the session middleware put into the request.
fn signed_in(req: &Request) -> Option<crate::auth::SessionUser> {
    req.extensions()
        .get::<CurrentUser>()
        .and_then(|u| u.0.clone())
}

/// The locale cookie holds the latest language chosen in this browser (sign-in
/// sets it from the person's stored choice). If a switch's own save did not
/// reach us (say, the page was reloaded at once), the next request stores it.
async fn sync_language(
    state: &AppState,
    user: &mut SessionUser,
    chosen: Option<crate::auth::Language>,
) {
    if let Some(lang) = chosen.filter(|l| *l != user.language) {
        let now = super::now_rfc3339();
        if crate::auth::store::set_language(&state.pool, &user.id, lang, &now)
            .await
            .is_ok()
        {
            user.language = lang;
        }
    }
}

fn cookie_language(headers: &axum::http::HeaderMap) -> Option<crate::auth::Language> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| {
            c.trim()
                .strip_prefix(crate::auth::api::LOCALE_COOKIE)?
                .strip_prefix('=')
        })
        .find_map(|v| crate::auth::Language::parse(v.trim()).ok())
}

async fn load_user(state: &AppState, session: Option<&Session>) -> Option<SessionUser> {
    let session = session?;
    let id: String = session
        .get(crate::auth::api::SESSION_USER_KEY)
        .await
        .ok()
        .flatten()?;
    match crate::auth::store::active_user(&state.pool, &id).await {
        Ok(user) => user,
        Err(_) => None,
    }
}

/// A state-changing request from another site is refused: the browser's
/// Origin (or Sec-Fetch-Site) must say it came from this host.
pub fn is_cross_site(req: &Request) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or("null");
    origin_host != host
}

/// Loads the signed-in user for every request, refuses cross-site writes, and
/// sends visitors to setup or sign-in before any page renders.
async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_cross_site(&req) {
        tracing::warn!(%path, "refused a cross-site request");
        let body = serde_json::to_string(&crate::error::AppError::new(
            crate::error::ErrorCode::CrossSite,
        ))
        .unwrap_or_default();
        return (StatusCode::FORBIDDEN, body).into_response();
    }
    if path.starts_with("/pkg/") || path.starts_with("/icons/") {
        let hashed = path.starts_with("/pkg/") && state.leptos_options.hash_files;
        let mut res = next.run(req).await;
        if hashed && res.status().is_success() {
            // File names carry a content hash: a new build gets new names.
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
        }
        return res;
    }
    let mut user = load_user(&state, req.extensions().get::<Session>()).await;
    if let Some(u) = user.as_mut() {
        let chosen = cookie_language(req.headers());
        sync_language(&state, u, chosen).await;
    }
    let is_page = req.method() == Method::GET && !is_asset(&path);
    let mut forbidden = false;
    if is_page {
        if !state.setup_done.load(Ordering::Relaxed) {
            match crate::auth::store::organisation_exists(&state.pool).await {
                Ok(true) => state.setup_done.store(true, Ordering::Relaxed),
                Ok(false) if path != "/setup" => return Redirect::to("/setup").into_response(),
                _ => {}
            }
        }
        let setup_done = state.setup_done.load(Ordering::Relaxed);
        if path == "/setup" && setup_done {
            return Redirect::to(if user.is_some() { "/" } else { "/login" }).into_response();
        }
        match &user {
            None if !is_public_page(&path) => {
                return Redirect::to("/login").into_response();
            }
            Some(_) if path == "/login" => return Redirect::to("/").into_response(),
            Some(u) if is_admin_page(&path) && u.role != Role::Admin => forbidden = true,
            _ => {}
        }
    }
    req.extensions_mut().insert(CurrentUser(user));
    let mut res = next.run(req).await;
    if forbidden {
        *res.status_mut() = StatusCode::FORBIDDEN;
    }
    if is_page {
        // Pages carry personal data: never stored by shared caches.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    res
}

/// Headers on every response. Pages set their own Content-Security-Policy with
/// the per-response nonce (see `app::shell`); everything else gets a strict one.
async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"),
        );
    }
    res
}

/// The Content-Security-Policy of a rendered page, allowing leptos's inline
/// scripts by their nonce and the wasm module.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; \
         form-action 'self'; object-src 'none'"
    )
}
