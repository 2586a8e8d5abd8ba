//! The JSON API for analytics tools, under `/api/v1/` (README "API for
//! analytics tools"). A caller is its personal API token, sent only as
//! `Authorization: Bearer keel_pat_…`: cookies are never read here (the
//! guard loads no session for these paths and lets them past its cross-site
//! check), and a token in the address (`?token=`) is refused before any
//! lookup. After the token come `authorize(UseToken …)` and the KPI pages'
//! own rules (`kpi::api::visible` / `editable`), so a token does exactly
//! what its owner could do on the pages, within its scope.
use super::model::{RATE_CAPACITY, RATE_PER_SECOND, bearer, is_usable, parse_token, should_touch};
use super::store;
use crate::auth::model::Bucket;
use crate::auth::{Action, Actor, ApiScope};
use crate::error::{AppError, ErrorCode};
use crate::kpi::api::{CheckInInput, add_checkin_as, editable, quick_status, visible};
use crate::server::AppState;
use crate::server::request::{ClientAddress, actor_of};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// The largest check-in body read.
const MAX_BODY_BYTES: usize = 16 * 1024;
/// Beyond this many tracked tokens, full buckets are forgotten.
const PRUNE_AT: usize = 10_000;

/// Token buckets per API token, in server memory (per server process, like
/// the sign-in buckets: N servers allow N times the rate).
pub struct TokenThrottle {
    buckets: Mutex<HashMap<String, Bucket>>,
    started: std::time::Instant,
}

impl Default for TokenThrottle {
    fn default() -> Self {
        TokenThrottle {
            buckets: Mutex::new(HashMap::new()),
            started: std::time::Instant::now(),
        }
    }
}

impl TokenThrottle {
    /// Takes a call for the token `id`, or says how many seconds to wait.
    pub fn take(&self, id: &str) -> Result<(), u64> {
        let now = self.started.elapsed().as_secs_f64();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= PRUNE_AT {
            buckets.retain(|_, b| !b.is_full(RATE_CAPACITY, RATE_PER_SECOND, now));
        }
        buckets
            .entry(id.to_string())
            .or_insert_with(|| Bucket::full(RATE_CAPACITY, now))
            .take(RATE_CAPACITY, RATE_PER_SECOND, now)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/kpis", get(list_kpis)).route(
        "/api/v1/kpis/{code}/checkins",
        get(read_checkins).post(post_checkin),
    )
}

/// A JSON answer that no cache keeps.
fn answer(status: StatusCode, body: Value) -> Response {
    let mut res = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A refusal: `{code, field}` with the code's status (or `status`).
fn refuse(status: Option<StatusCode>, err: AppError) -> Response {
    let status = status.unwrap_or_else(|| {
        StatusCode::from_u16(err.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    });
    let body = serde_json::to_value(&err).unwrap_or(Value::Null);
    let mut res = answer(status, body);
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"keel\""),
        );
    }
    res
}

fn invalid_token() -> Response {
    refuse(None, AppError::new(ErrorCode::TokenInvalid))
}

fn too_many(wait: u64) -> Response {
    let mut res = refuse(
        Some(StatusCode::TOO_MANY_REQUESTS),
        AppError::new(ErrorCode::TooManyAttempts),
    );
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// One value of the request's query.
fn query_value(parts: &Parts, name: &str) -> Option<String> {
    let query = parts.uri.query()?;
    form_urlencoded::parse(query.as_bytes()).find_map(|(k, v)| (k == name).then(|| v.into_owned()))
}

/// The caller behind the request's bearer token, allowed to do what
/// `needed` asks; or the refusal to send.
async fn authenticate(
    state: &AppState,
    parts: &Parts,
    needed: ApiScope,
) -> Result<(Actor, ApiScope), Response> {
    // A token in the address ends up in logs and histories: refused
    // without being looked up, whatever it is.
    let in_query = parts.uri.query().is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "token" || k == "access_token")
    });
    if in_query {
        return Err(refuse(
            Some(StatusCode::BAD_REQUEST),
            AppError::field(ErrorCode::InvalidChoice, "token"),
        ));
    }
    let Some(raw) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
    else {
        return Err(invalid_token());
    };
    // Guessing tokens costs what guessing passwords does: an unknown token
    // takes from the client address's sign-in bucket, and while that bucket
    // is empty no token is looked up at all. Known tokens cost it nothing,
    // so a tool's many calls never lock people out of signing in.
    let address = parts
        .extensions
        .get::<ClientAddress>()
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "unknown".into());
    state
        .sign_in
        .take(&address)
        .map(|()| state.sign_in.give_back(&address))
        .map_err(too_many)?;
    let unknown = || {
        let _ = state.sign_in.take(&address);
        invalid_token()
    };
    let Some(token) = parse_token(raw) else {
        return Err(unknown());
    };
    let hash = crate::auth::store::invitation_hash(token);
    let found = store::by_hash(&state.pool, &hash)
        .await
        .map_err(|e| refuse(None, e))?;
    let Some(found) = found else {
        return Err(unknown());
    };
    let now = crate::server::now_unix();
    if !found.owner_active || !is_usable(found.expires_at, found.revoked, now) {
        return Err(invalid_token());
    }
    state.api_tokens.take(&found.id).map_err(too_many)?;
    if should_touch(found.last_used_at, now) {
        let at = crate::auth::store::format_instant(now);
        if let Err(e) = store::touch(&state.pool, &found.id, &at).await {
            tracing::warn!(error = %e, "could not note an API token's use");
        }
    }
    let actor = actor_of(found.user, &state.pool)
        .await
        .map_err(|e| refuse(None, e))?;
    crate::auth::authorize(
        &actor,
        Action::UseToken {
            granted: found.scope,
            needed,
        },
    )
    .map_err(|e| refuse(None, e))?;
    Ok((actor, found.scope))
}

/// `GET /api/v1/kpis`: the KPIs the token's owner sees (archived ones left
/// out, as on the dashboard), with whether this token may post check-ins.
async fn list_kpis(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let (actor, scope) = match authenticate(&state, &parts, ApiScope::Read).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    let may_post = crate::auth::can(
        &actor,
        Action::UseToken {
            granted: scope,
            needed: ApiScope::CheckIns,
        },
    );
    let result = async {
        let (_, today) = crate::server::org_today(&state.pool).await?;
        let rows = crate::kpi::store::kpis_cached(&state.pool, &state.kpi_rows).await?;
        let list: Vec<Value> = rows
            .iter()
            .filter(|r| r.archived_at.is_none() && visible(&actor, r))
            .map(|r| {
                let (status, stale) = quick_status(r, today);
                json!({
                    "code": r.code,
                    "name": r.name,
                    "unit": r.unit,
                    "direction": r.direction(),
                    "baseline": r.baseline,
                    "target": r.target,
                    "start_date": r.start_date,
                    "due_date": r.due_date,
                    "current": r.current_value,
                    "last_day": r.last_day,
                    "status": status,
                    "stale": stale,
                    "team": r.team_name,
                    "owner": r.owner_name,
                    "can_check_in": may_post && editable(&actor, r),
                })
            })
            .collect();
        Ok::<_, AppError>(list)
    }
    .await;
    match result {
        Ok(list) => answer(StatusCode::OK, Value::Array(list)),
        Err(e) => refuse(None, e),
    }
}

/// A visible KPI by its code, or 404 (a hidden one is not told apart from
/// one that does not exist).
async fn visible_kpi(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> Result<crate::kpi::store::KpiRow, Response> {
    match crate::kpi::store::kpi_by_code(&state.pool, code).await {
        Ok(Some(row)) if visible(actor, &row) => Ok(row),
        Ok(_) => Err(refuse(None, AppError::new(ErrorCode::NotFound))),
        Err(e) => Err(refuse(None, e)),
    }
}

/// `GET /api/v1/kpis/{code}/checkins?since=YYYY-MM-DD`: the KPI's
/// check-ins (on or after `since` when given), newest first; `at` in the
/// organisation's offset.
async fn read_checkins(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let (actor, _) = match authenticate(&state, &parts, ApiScope::Read).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    let since = match query_value(&parts, "since").filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(s) => match crate::calendar::day_number(s.trim()) {
            Some(_) => Some(s.trim().to_string()),
            None => return refuse(None, AppError::field(ErrorCode::InvalidDate, "since")),
        },
    };
    let row = match visible_kpi(&state, &actor, &code).await {
        Ok(row) => row,
        Err(res) => return res,
    };
    let result = async {
        let clock = crate::server::clock::OrgClock::load(&state.pool).await?;
        let list: Vec<Value> = crate::kpi::store::checkins(&state.pool, &row.id)
            .await?
            .into_iter()
            .filter(|c| since.as_deref().is_none_or(|s| c.day.as_str() >= s))
            .map(|c| {
                json!({
                    "id": c.id,
                    "day": c.day,
                    "value": c.value,
                    "confidence": c.confidence,
                    "note": c.note,
                    "author": c.author_name,
                    "at": clock.local(&c.at),
                    "corrects": c.corrects,
                    "corrected": c.corrected,
                })
            })
            .collect();
        Ok::<_, AppError>(list)
    }
    .await;
    match result {
        Ok(list) => answer(StatusCode::OK, Value::Array(list)),
        Err(e) => refuse(None, e),
    }
}

/// A JSON field as the form's text: a string as is, a number written out,
/// absent or null as empty.
fn text_of(body: &Value, name: &str) -> String {
    match body.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// `POST /api/v1/kpis/{code}/checkins` with `{id, day, value, confidence,
/// note}`: 201 when stored, 200 when that id was stored before (a retry),
/// else the page's refusal (403, 404, 409, 422) as `{code, field}`.
async fn post_checkin(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let (actor, _) = match authenticate(&state, &parts, ApiScope::CheckIns).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    let row = match visible_kpi(&state, &actor, &code).await {
        Ok(row) => row,
        Err(res) => return res,
    };
    let body: Value = match read_json(body).await {
        Some(v @ Value::Object(_)) => v,
        _ => return refuse(None, AppError::field(ErrorCode::InvalidChoice, "body")),
    };
    let id = match crate::server::request::client_id(&text_of(&body, "id")) {
        Ok(id) => id,
        Err(e) => return refuse(None, e),
    };
    let (day, value, confidence, note) = (
        text_of(&body, "day"),
        text_of(&body, "value"),
        text_of(&body, "confidence"),
        text_of(&body, "note"),
    );
    let input = CheckInInput {
        day: &day,
        value: &value,
        confidence: &confidence,
        note: &note,
        corrects: "",
    };
    match add_checkin_as(&state.pool, &actor, &row, &id, &input).await {
        Ok(stored) => {
            let status = if stored {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            answer(status, json!({ "id": id, "stored": stored }))
        }
        Err(e) => refuse(None, e),
    }
}

async fn read_json(body: Body) -> Option<Value> {
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}
