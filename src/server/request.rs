//! What a server function knows about its caller.
use super::AppState;
use crate::auth::{Actor, Role, SessionUser};
use crate::error::{AppError, AppResult, ErrorCode};
use leptos::prelude::*;

/// The signed-in user, put into the request by the session middleware.
#[derive(Clone, Debug, Default)]
pub struct CurrentUser(pub Option<SessionUser>);

/// The client's IP address as the guard saw it (the peer, or the last
/// X-Forwarded-For hop behind a trusted proxy); "unknown" when not known.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

pub fn client_address() -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().cloned())
        .map(|c| c.0)
        .unwrap_or_else(|| "unknown".to_string())
}

pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(AppError::internal)
}

pub fn current_user() -> Option<SessionUser> {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
        .and_then(|c| c.0)
}

/// The caller, with the teams they lead; refuses anyone not signed in.
pub async fn require_actor() -> AppResult<Actor> {
    let user = current_user().ok_or_else(|| AppError::new(ErrorCode::NotSignedIn))?;
    actor_of(user, &state()?.pool).await
}

/// A signed-in user with the teams they lead (for handlers outside server functions too).
pub async fn actor_of(user: SessionUser, pool: &sqlx::AnyPool) -> AppResult<Actor> {
    let led_scope = if user.role == Role::Leader {
        let teams = crate::people::store::teams(pool).await?;
        crate::people::led_scope(&user.id, &teams)
    } else {
        Default::default()
    };
    Ok(Actor { user, led_scope })
}

/// Authorises the caller for an action, or refuses with 403.
pub fn allow(actor: &Actor, action: crate::auth::Action<'_>) -> AppResult<()> {
    crate::auth::authorize(actor, action)
}

pub async fn session() -> AppResult<tower_sessions::Session> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|_| AppError::internal())
}

/// A client-made id (UUID) of a create, so that sending it twice stores once.
pub fn client_id(raw: &str) -> AppResult<String> {
    uuid::Uuid::parse_str(raw.trim())
        .map(|u| u.to_string())
        .map_err(|_| AppError::field(ErrorCode::InvalidChoice, "id"))
}
