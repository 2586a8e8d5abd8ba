//! Server functions of one's own API tokens (the profile page): list, make
//! and revoke. Only the owner sees or touches a token.
use super::model::{NewToken, TokensView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{
        TOKEN_BYTES, TokenRow, TokenState, expires_at, format_token, is_usable, parse_expiry,
        parse_name, parse_scope, shown_part,
    },
    super::store,
    crate::auth::Action,
    crate::auth::store::{format_instant, invitation_hash, parse_instant},
    crate::error::ErrorCode,
    crate::server::{
        now_unix,
        request::{allow, client_id, require_actor, state},
    },
};

/// The cookie that carries a token made by a plain form post (before the
/// page was interactive) back to the profile page, which shows it once and
/// clears it. It stays in the browser (HttpOnly, only sent to `/profile`,
/// five minutes): the server never stores the token itself, not even in the
/// session, and it never goes into a URL.
#[cfg(feature = "ssr")]
pub(crate) const FRESH_COOKIE: &str = "keel_new_token";

/// The `Set-Cookie` value that carries (or, empty with `max_age` 0, clears) it.
#[cfg(feature = "ssr")]
pub(crate) fn fresh_cookie_header(token: &str, max_age: u32, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{FRESH_COOKIE}={token}; Path=/profile; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    )
}

#[cfg(feature = "ssr")]
fn set_fresh_cookie(res: &leptos_axum::ResponseOptions, token: &str, max_age: u32, secure: bool) {
    if let Ok(v) = axum::http::HeaderValue::from_str(&fresh_cookie_header(token, max_age, secure)) {
        res.append_header(axum::http::header::SET_COOKIE, v);
    }
}

/// The token a plain form post left in the request's cookie, if it reads as one.
#[cfg(feature = "ssr")]
fn fresh_cookie() -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(FRESH_COOKIE)?.strip_prefix('='))
        .find_map(|v| super::model::parse_token(v).map(str::to_string))
}

/// Whether this call is a plain HTML form's post (see
/// `server::http::plain_form_posts`): its answer is a redirect, so a new
/// token's secret cannot travel in it.
#[cfg(feature = "ssr")]
fn plain_form_post() -> bool {
    use axum::http::header;
    use_context::<axum::http::request::Parts>().is_some_and(|p| {
        let text = |name| p.headers.get(name).and_then(|v| v.to_str().ok());
        text(header::ACCEPT).is_some_and(|v| v.contains("text/html"))
            && text(header::CONTENT_TYPE)
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
    })
}

/// One's own tokens, newest first, with a token made by a plain form post
/// just before (shown once: it is forgotten as it is read).
#[server(prefix = "/api", endpoint = "list_api_tokens")]
pub async fn list_api_tokens() -> Result<TokensView, AppError> {
    let pool = &state()?.pool;
    // Cleared by `server::http::guard` on the page's response.
    let cookie = fresh_cookie();
    let actor = require_actor().await?;
    allow(&actor, Action::EditOwnAccount)?;
    let clock = crate::server::clock::OrgClock::load(pool).await?;
    let now = now_unix();
    let tokens = store::list(pool, &actor.user.id)
        .await?
        .into_iter()
        .map(|t| {
            let expires = parse_instant(&t.expires_at).unwrap_or(0);
            let state = if t.revoked_at.is_some() {
                TokenState::Revoked
            } else if !is_usable(expires, false, now) {
                TokenState::Expired
            } else {
                TokenState::Active
            };
            TokenRow {
                id: t.id,
                name: t.name,
                shown: t.shown,
                scope: t.scope,
                expires_at: clock.local(&t.expires_at),
                created_at: clock.local(&t.created_at),
                last_used_at: t.last_used_at.as_deref().map(|at| clock.local(at)),
                state,
            }
        })
        .collect();
    // Shown once: the cookie is cleared as it is read, and only a live
    // token of the caller's own is shown.
    let mut fresh = None;
    if let Some(token) = cookie {
        if let Some(found) = store::by_hash(pool, &invitation_hash(&token)).await? {
            if found.user.id == actor.user.id && !found.revoked {
                let name = store::list(pool, &actor.user.id)
                    .await?
                    .into_iter()
                    .find(|t| t.id == found.id)
                    .map(|t| t.name)
                    .unwrap_or_default();
                fresh = Some(NewToken {
                    id: found.id,
                    name,
                    token,
                });
            }
        }
    }
    Ok(TokensView { tokens, fresh })
}

/// Makes a token for oneself: a name, a scope (`read` or `checkins`) and a
/// lifetime of 30, 90 or 365 days. The answer carries the token, the only
/// time it leaves the server (only its SHA-256 is stored); the same id
/// again is refused (`id_conflict`), never answered with the secret.
#[server(prefix = "/api", endpoint = "create_api_token")]
pub async fn create_api_token(
    id: String,
    name: String,
    scope: String,
    expires_days: String,
) -> Result<NewToken, AppError> {
    use chacha20poly1305::aead::{OsRng, rand_core::RngCore};

    let st = state()?;
    let (pool, secure) = (&st.pool, st.settings.secure_cookies);
    let plain = plain_form_post();
    let response = use_context::<leptos_axum::ResponseOptions>();
    let actor = require_actor().await?;
    allow(&actor, Action::EditOwnAccount)?;
    let id = client_id(&id)?;
    let name = parse_name(&name)?;
    let scope = parse_scope(&scope)?;
    let days = parse_expiry(&expires_days)?;
    let mut bytes = [0u8; TOKEN_BYTES];
    OsRng.fill_bytes(&mut bytes);
    let token = format_token(&bytes);
    let now = now_unix();
    let mut tx = crate::server::db::begin(pool).await?;
    if store::exists(&mut tx, &id).await? {
        return Err(AppError::new(ErrorCode::IdConflict));
    }
    store::insert(
        &mut tx,
        &store::NewTokenRow {
            id: &id,
            user_id: &actor.user.id,
            name: &name,
            token_hash: &invitation_hash(&token),
            shown: &shown_part(&token),
            scope,
            expires_at: &format_instant(expires_at(now, days)),
            created_at: &format_instant(now),
        },
    )
    .await?;
    tx.commit().await?;
    let made = NewToken { id, name, token };
    if plain {
        if let Some(res) = &response {
            set_fresh_cookie(res, &made.token, 300, secure);
        }
    }
    Ok(made)
}

/// Revokes one of one's own tokens at once (revoking it again changes
/// nothing); another person's token, or none, is not found.
#[server(prefix = "/api", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::EditOwnAccount)?;
    let mut tx = crate::server::db::begin(pool).await?;
    let owned = store::revoke(
        &mut tx,
        id.trim(),
        &actor.user.id,
        &crate::server::now_rfc3339(),
    )
    .await?;
    if !owned {
        return Err(AppError::new(ErrorCode::NotFound));
    }
    tx.commit().await?;
    Ok(())
}
