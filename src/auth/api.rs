//! Server functions for signing in and out, first-admin setup and one's own account.
use super::model::{Language, SessionUser};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::request::{allow, require_actor, session, state};

/// Session keys holding the signed-in user's id and their session
/// generation at sign-in (a password change, reset or deactivation moves the
/// user's generation on, which ends every other session).
#[cfg(feature = "ssr")]
pub const SESSION_USER_KEY: &str = "uid";
#[cfg(feature = "ssr")]
pub const SESSION_GEN_KEY: &str = "gen";
/// The cookie leptos_i18n reads to pick the language before hydration.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The signed-in user, or None.
#[server(prefix = "/api", endpoint = "me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(crate::server::request::current_user())
}

/// Puts the person into a fresh session (a new id, so a planted one is useless).
#[cfg(feature = "ssr")]
async fn start_session(user_id: &str, session_gen: i64) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(|_| AppError::internal())?;
    session
        .insert(SESSION_USER_KEY, user_id.to_string())
        .await
        .map_err(|_| AppError::internal())?;
    session
        .insert(SESSION_GEN_KEY, session_gen)
        .await
        .map_err(|_| AppError::internal())?;
    Ok(())
}

/// Signs in. In front of the password check: a token bucket per client
/// address and for the server, a backoff per (account, address), a bounded
/// number of concurrent hashes, and an email that can be one at all.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
    use super::model::{BACKOFF_WINDOW_MINUTES, MAX_PASSWORD_LEN, backoff_until, plausible_email};
    use super::store::{self, password as pw};
    use crate::error::ErrorCode;
    use crate::server::now_unix;
    use crate::server::request::client_address;

    let state = state()?;
    let pool = &state.pool;
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "email"));
    }
    if password.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "password"));
    }
    // Junk is refused before it costs a hash or a row.
    if !plausible_email(&email) || password.len() > MAX_PASSWORD_LEN {
        return Err(AppError::new(ErrorCode::InvalidCredentials));
    }
    let address = client_address();
    if state.sign_in.take(&address).is_err() {
        tracing::warn!(%address, "sign-in throttled");
        return Err(AppError::new(ErrorCode::TooManyAttempts));
    }
    let now = now_unix();
    let since = store::format_instant(now - BACKOFF_WINDOW_MINUTES * 60);
    let failures = store::recent_failures(pool, &email, &address, &since).await?;
    if backoff_until(&failures, now).is_some() {
        return Err(AppError::new(ErrorCode::AccountLocked));
    }
    let record = store::login_record(pool, &email).await?;
    // An unknown email, or a person who has not set a password yet (invited
    // or imported), costs the same hash as a real check: the timing tells
    // nobody which accounts exist.
    let hash = record
        .as_ref()
        .map(|r| r.password_hash.clone())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| pw::dummy_hash().to_string());
    let verified = pw::verify(password, hash).await?;
    match record {
        Some(r) if verified && r.active => {
            state.sign_in.give_back(&address);
            store::record_sign_in(pool, &r, &address, now).await?;
            start_session(&r.user.id, r.session_gen).await?;
            set_locale_cookie(r.user.language);
            tracing::info!(user = %r.user.id, "signed in");
            Ok(r.user)
        }
        Some(r) if verified && !r.active => Err(AppError::new(ErrorCode::AccountInactive)),
        _ => {
            store::record_failure(pool, &email, &address, now).await?;
            Err(AppError::new(ErrorCode::InvalidCredentials))
        }
    }
}

/// Failed attempts on the caller's account since they last signed in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignInAlert {
    /// When, in the organisation's time zone ("YYYY-MM-DD HH:MM").
    pub at: String,
    /// The client address the attempt came from.
    pub address: String,
}

#[server(prefix = "/api", endpoint = "sign_in_alerts")]
pub async fn sign_in_alerts() -> Result<Vec<SignInAlert>, AppError> {
    use super::model::Action;
    let state = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::EditOwnAccount)?;
    let clock = crate::server::clock::OrgClock::load(&state.pool).await?;
    let rows = super::store::sign_in_alerts(&state.pool, &actor.user.id).await?;
    Ok(rows
        .into_iter()
        .map(|(at, address)| SignInAlert {
            at: crate::calendar::minute_part(&clock.local(&at)),
            address,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "dismiss_sign_in_alerts")]
pub async fn dismiss_sign_in_alerts() -> Result<(), AppError> {
    use super::model::Action;
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::EditOwnAccount)?;
    super::store::dismiss_sign_in_alerts(pool, &actor.user.id).await
}

#[cfg(feature = "ssr")]
fn set_locale_cookie(lang: Language) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!(
            "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.as_str()
        );
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            res.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
}

/// Who an invitation link is for, shown on the page where they set their
/// password.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvitationInfo {
    pub display_name: String,
    pub email: String,
}

/// Reads an invitation link's secret (sent in the body: the page takes it
/// from the address's fragment, which never reaches a server or a log). One
/// answer, `invitation_invalid`, for a link that is unknown, used or expired.
/// No throttle: a secret of 256 random bits cannot be guessed, a wrong one
/// costs one indexed read, and the password is hashed only for a good one.
#[server(prefix = "/api", endpoint = "invitation_details")]
pub async fn invitation_details(token: String) -> Result<InvitationInfo, AppError> {
    let record = open_invitation(&token).await?;
    Ok(InvitationInfo {
        display_name: record.user.display_name,
        email: record.user.email,
    })
}

#[cfg(feature = "ssr")]
async fn open_invitation(token: &str) -> Result<super::store::LoginRecord, AppError> {
    use crate::error::ErrorCode;
    let state = state()?;
    let now = super::store::format_instant(crate::server::now_unix());
    let hash = super::store::invitation_hash(token);
    match super::store::open_invitation(&state.pool, &hash, &now).await? {
        Some(r) if r.active => Ok(r),
        _ => Err(AppError::field(ErrorCode::InvitationInvalid, "token")),
    }
}

/// Sets the invited person's password from their invitation link and signs
/// them in. The link works once: the password, the link used up and the
/// end of any other session commit together.
#[server(prefix = "/api", endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<SessionUser, AppError> {
    use crate::error::ErrorCode;
    let password = crate::input::parse_new_password("password", &password)?;
    let pool = &state()?.pool;
    let record = open_invitation(&token).await?;
    let hash = super::store::password::hash(password).await?;
    let now = super::store::format_instant(crate::server::now_unix());
    let mut tx = crate::server::db::begin(pool).await?;
    if !super::store::use_invitation(&mut tx, &super::store::invitation_hash(&token), &now).await? {
        return Err(AppError::field(ErrorCode::InvitationInvalid, "token"));
    }
    let generation = super::store::set_password_hash(
        &mut tx,
        &record.user.id,
        &hash,
        &crate::server::now_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    start_session(&record.user.id, generation).await?;
    set_locale_cookie(record.user.language);
    tracing::info!(user = %record.user.id, "invitation accepted");
    Ok(record.user)
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let session = session().await?;
    session.flush().await.map_err(|_| AppError::internal())?;
    Ok(())
}

/// Creates the organisation and its first admin, then signs them in. Refused
/// for good once an organisation exists.
#[server(prefix = "/api", endpoint = "setup")]
pub async fn setup_first_admin(
    organisation: String,
    display_name: String,
    email: String,
    password: String,
    language: Language,
    setup_token: String,
) -> Result<SessionUser, AppError> {
    use super::model::Role;
    use super::store::password as pw;
    use crate::error::ErrorCode;
    use crate::people::{model as pm, store as ps};
    use crate::server::now_rfc3339;

    let state = state()?;
    let address = crate::server::request::client_address();
    if super::store::organisation_exists(&state.pool).await? {
        return Err(AppError::new(ErrorCode::SetupDone));
    }
    if !super::model::same_secret(setup_token.trim(), &state.setup_token) {
        tracing::warn!(%address, "setup refused: wrong setup token");
        return Err(AppError::field(ErrorCode::InvalidSetupToken, "setup_token"));
    }
    let org_name = crate::input::parse_name("organisation", &organisation)?;
    let display_name = crate::input::parse_name("display_name", &display_name)?;
    let email = crate::input::parse_email(&email)?;
    let password = crate::input::parse_new_password("password", &password)?;
    let hash = pw::hash(password).await?;
    let now = now_rfc3339();
    let org = pm::Organisation {
        name: org_name,
        time_zone: crate::calendar::DEFAULT_TIME_ZONE.into(),
        currency: crate::calendar::DEFAULT_CURRENCY.into(),
        version: 1,
    };
    let admin = pm::Person {
        id: uuid::Uuid::new_v4().to_string(),
        email,
        display_name,
        role: Role::Admin,
        team_id: None,
        language,
        active: true,
        version: 1,
    };
    let mut tx = crate::server::db::begin(&state.pool).await?;
    if !ps::insert_organisation(&mut *tx, &org, &now).await? {
        return Err(AppError::new(ErrorCode::SetupDone));
    }
    ps::insert_person(&mut *tx, &admin, &hash, &now).await?;
    tx.commit().await?;
    state
        .setup_done
        .store(true, std::sync::atomic::Ordering::Relaxed);

    start_session(&admin.id, 1).await?;
    set_locale_cookie(language);
    tracing::info!("first admin created");
    Ok(SessionUser {
        id: admin.id,
        email: admin.email,
        display_name: admin.display_name,
        role: Role::Admin,
        team_id: None,
        language,
    })
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(old_password: String, new_password: String) -> Result<(), AppError> {
    use super::model::Action;
    use super::store::{self, password as pw};
    use crate::error::ErrorCode;

    let state = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::EditOwnAccount)?;
    if old_password.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "old_password"));
    }
    let new_password = crate::input::parse_new_password("new_password", &new_password)?;
    let current = store::password_hash(&state.pool, &actor.user.id).await?;
    if !pw::verify(old_password, current).await? {
        return Err(AppError::field(ErrorCode::WrongOldPassword, "old_password"));
    }
    let hash = pw::hash(new_password).await?;
    // Every other session of the person ends; this one carries on.
    let mut tx = crate::server::db::begin(&state.pool).await?;
    let session_gen = store::set_password_hash(
        &mut tx,
        &actor.user.id,
        &hash,
        &crate::server::now_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    start_session(&actor.user.id, session_gen).await?;
    Ok(())
}

/// Remembers the chosen language for the signed-in person (signed-out
/// visitors keep it in the locale cookie only).
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(language: Language) -> Result<(), AppError> {
    set_locale_cookie(language);
    if let Some(user) = crate::server::request::current_user() {
        let state = state()?;
        super::store::set_language(
            &state.pool,
            &user.id,
            language,
            &crate::server::now_rfc3339(),
        )
        .await?;
    }
    Ok(())
}
