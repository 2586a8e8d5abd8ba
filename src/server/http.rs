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

/// Pages a visitor may open without signing in (an invitation link's page
/// too: its secret travels in the fragment, read by the page itself).
fn is_public_page(path: &str) -> bool {
    matches!(path, "/login" | "/setup" | "/invite")
}

/// Pages only an admin may open. A person's handover page is also for the
/// leaders above them (its server functions decide).
fn is_admin_page(path: &str) -> bool {
    path == "/people" || (path.starts_with("/people/") && !path.ends_with("/handover"))
}

pub async fn router(state: AppState) -> Result<Router, String> {
    let sessions = SessionManagerLayer::new(state.sessions.clone())
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
        // The token API (its own authentication; see `guard`).
        .merge(crate::api_tokens::rest::routes())
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
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn(plain_form_posts))
        .layer(middleware::from_fn(body_limits))
        // The body limit of server functions (leptos_routes registers each one
        // at its own path, ahead of /api/{*fn_name}, so it goes on the router):
        // imports send files up to csv_cell::MAX_IMPORT_BYTES; a body past this
        // gets the typed file_too_large error (see AppError::from_server_fn_error).
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::csv_cell::MAX_REQUEST_BYTES,
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

/// The ranked backlog as CSV (UTF-8 with BOM), for anyone signed in, in
/// their language. The page guard has already sent visitors without a
/// session to sign in.
async fn export_backlog_csv(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let Some(user) = signed_in(&req) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (backlog, body) = match crate::backlog::api::export_csv(&state.pool, &user, &id).await {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let encoded = crate::ui::url_encode(&backlog.name);
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

/// The session's user, while they are active and the session's generation
/// is still theirs (a password change, reset or deactivation ends it).
async fn load_user(state: &AppState, session: Option<&Session>) -> Option<SessionUser> {
    let session = session?;
    let id: String = session
        .get(crate::auth::api::SESSION_USER_KEY)
        .await
        .ok()
        .flatten()?;
    let session_gen: i64 = session
        .get(crate::auth::api::SESSION_GEN_KEY)
        .await
        .ok()
        .flatten()?;
    match crate::auth::store::session_owner(&state.pool, &id, session_gen).await {
        Ok(Some(user)) => Some(user),
        Ok(None) => {
            // Ended elsewhere: forget it here too.
            let _ = session.flush().await;
            None
        }
        Err(_) => None,
    }
}

/// The one place where a server function's error gets its HTTP status:
/// leptos answers every error with 500; the error's code decides (403
/// refused, 404 missing, 409 stale, 422 bad input, 429, 413 …).
async fn error_status(req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.code.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Request bodies of server functions are bounded per route: the imports
/// take files up to `MAX_REQUEST_BYTES` (the router's limit), everything
/// else `MAX_FORM_BYTES`. A declared length over the limit is refused before
/// anything is read; a body without one is cut off at the limit, which the
/// server function reports as the same typed error (413).
async fn body_limits(req: Request, next: Next) -> Response {
    use crate::csv_cell::{FILE_ENDPOINTS, MAX_FORM_BYTES, MAX_REQUEST_BYTES};
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let limit = if FILE_ENDPOINTS.contains(&req.uri().path()) {
        MAX_REQUEST_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        let err = crate::error::AppError::new(crate::error::ErrorCode::FileTooLarge);
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&err).unwrap_or_default(),
        )
            .into_response();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

/// Server functions are routed by leptos (one route each), so plain form
/// posts to them are recognised here, around whichever route serves them.
async fn plain_form_posts(req: Request, next: Next) -> Response {
    if req.method() != Method::POST
        || !req.uri().path().starts_with("/api/")
        || is_token_api(req.uri().path())
    {
        return next.run(req).await;
    }
    match PlainForm::of(&req) {
        None => next.run(req).await,
        Some(mut form) => {
            let req = form.read_email(req).await;
            let res = next.run(req).await;
            form.answer(res).await
        }
    }
}

/// A server-function call sent by a plain HTML form, before the page is
/// interactive (no JavaScript yet): the browser gets a redirect back to a
/// page, never a JSON body, and no form value ever goes into the URL
/// (only the error's code and field, and a sign-in's email).
struct PlainForm {
    endpoint: String,
    back_to: String,
    /// The page's own query (e.g. the chosen backlog, `?b=`), kept on the
    /// way back; the answer's own pairs are replaced.
    keep: Vec<(String, String)>,
    email: Option<String>,
}

impl PlainForm {
    fn of(req: &Request) -> Option<PlainForm> {
        let h = req.headers();
        let accepts_html = h
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        let is_form = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !accepts_html || !is_form {
            return None;
        }
        let endpoint = req.uri().path().trim_start_matches("/api/").to_string();
        // Back to the page the form was on (its path only; the guard has
        // already refused other sites).
        let referer = h
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| r.parse::<axum::http::Uri>().ok());
        let back_to = referer
            .as_ref()
            .map(|u| u.path().to_string())
            .filter(|p| p.starts_with('/') && !p.starts_with("//"))
            .unwrap_or_else(|| "/".to_string());
        let keep = referer
            .as_ref()
            .and_then(|u| u.query())
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .filter(|(k, _)| {
                        !matches!(k.as_ref(), "done" | "error" | "field" | "email" | "failed")
                    })
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Some(PlainForm {
            endpoint,
            back_to,
            keep,
            email: None,
        })
    }

    /// For a sign-in, remembers the typed email (not the password) so that
    /// the form shows it again after an error.
    async fn read_email(&mut self, req: Request) -> Request {
        if self.endpoint != "login" {
            return req;
        }
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 64 * 1024)
            .await
            .unwrap_or_default();
        self.email = form_urlencoded_value(&bytes, "email")
            .filter(|e| e.len() <= crate::auth::model::MAX_EMAIL_LEN);
        Request::from_parts(parts, Body::from(bytes))
    }

    async fn answer(mut self, res: Response) -> Response {
        let cookies: Vec<HeaderValue> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .cloned()
            .collect();
        let failed = res.headers().contains_key("serverfnerror")
            || res.status().is_client_error()
            || res.status().is_server_error();
        let mut location = if failed {
            let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
                .await
                .unwrap_or_default();
            let err: crate::error::AppError = serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| crate::error::AppError::internal());
            let code = serde_json::to_value(err.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "internal".into());
            let mut q: Vec<(&str, String)> = self
                .keep
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            q.push(("error", code));
            if let Some(f) = err.field {
                q.push(("field", f));
            }
            // Which form failed, so that a page with several shows the
            // error at that one only.
            q.push(("failed", self.endpoint.clone()));
            if let Some(e) = self.email.take() {
                q.push(("email", e));
            }
            format!("{}?{}", self.back_to, query_string(&q))
        } else {
            match self.endpoint.as_str() {
                "login" | "setup" => "/".to_string(),
                done => {
                    let mut q: Vec<(&str, String)> = self
                        .keep
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.clone()))
                        .collect();
                    q.push(("done", done.to_string()));
                    format!("{}?{}", self.back_to, query_string(&q))
                }
            }
        };
        if location.len() > 2000 {
            location.truncate(self.back_to.len());
        }
        let mut out = Redirect::to(&location).into_response();
        // Keep the cookies the call set (the language).
        for value in cookies {
            out.headers_mut().append(header::SET_COOKIE, value);
        }
        out
    }
}

/// One field of an urlencoded form body.
fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body).find_map(|(k, v)| (k == name).then(|| v.into_owned()))
}

fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::ui::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A state-changing request must show it comes from this site: the
/// browser's `Sec-Fetch-Site: same-origin`, or else an `Origin` equal to this
/// host with the scheme it is served on. A request with neither is refused
/// too (every browser sends one of them on a POST).
pub fn is_cross_site(req: &Request, settings: &super::config::Settings) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let headers = req.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match text("sec-fetch-site") {
        Some("same-origin") => return false,
        Some(_) => return true,
        None => {}
    }
    let Some(origin) = text("origin") else {
        return true;
    };
    let host = text("host").unwrap_or_default();
    let Some((scheme, origin_host)) = origin.split_once("://") else {
        return true;
    };
    if origin_host != host || host.is_empty() {
        return true;
    }
    let forwarded = settings
        .trust_proxy
        .then(|| text("x-forwarded-proto"))
        .flatten();
    let expected = match forwarded {
        Some(proto) => proto,
        None if settings.secure_cookies => "https",
        None => "http",
    };
    let loopback = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|l| host == *l || host.starts_with(&format!("{l}:")));
    !(scheme == expected || (scheme == "http" && loopback))
}

/// The client's address: the peer, or behind a trusted proxy the last
/// X-Forwarded-For entry (the one the proxy added).
fn client_address(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(last) = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .last()
        {
            return last.chars().take(64).collect();
        }
    }
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The JSON API for analytics tools (`api_tokens::rest`): its callers are
/// API tokens in the `Authorization` header, never a session.
pub fn is_token_api(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

/// Loads the signed-in user for every request, refuses cross-site writes, and
/// sends visitors to setup or sign-in before any page renders.
async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let address = client_address(&req, state.settings.trust_proxy);
    req.extensions_mut()
        .insert(super::request::ClientAddress(address));
    if is_token_api(&path) {
        // Tools call from anywhere, so no cross-site check; and no session
        // is loaded, so a browser's cookie gives a cross-site page nothing
        // here (the handlers read only the bearer token).
        return next.run(req).await;
    }
    if is_cross_site(&req, &state.settings) {
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
        // Static files are compressed once at build time (`--precompress`):
        // the file server picks the .br or .gz twin the browser accepts, so
        // caches must key on Accept-Encoding (the compression layer, which
        // adds this when it compresses, leaves encoded responses alone).
        if res.status().is_success() && !res.headers().contains_key(header::VARY) {
            res.headers_mut()
                .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
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
    // A token made before the page was interactive comes back to the
    // profile in a cookie (`api_tokens::api`); the page that shows it clears
    // it here, whatever point of the page's streaming shows it, and is not
    // kept by the browser's cache either.
    let fresh_token = is_page
        && path == "/profile"
        && req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains(crate::api_tokens::api::FRESH_COOKIE));
    let mut res = next.run(req).await;
    if forbidden {
        *res.status_mut() = StatusCode::FORBIDDEN;
    }
    if is_page {
        // Pages carry personal data: never stored by shared caches.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if fresh_token {
                "no-store"
            } else {
                "private, no-cache"
            }),
        );
    }
    if fresh_token {
        res.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&crate::api_tokens::api::fresh_cookie_header(
                "",
                0,
                state.settings.secure_cookies,
            ))
            .unwrap_or_else(|_| HeaderValue::from_static("")),
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
