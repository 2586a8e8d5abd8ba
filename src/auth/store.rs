//! SQL for sign-in, sessions and passwords.
use super::model::{Language, SessionUser};
use crate::error::AppResult;
use sqlx::{AnyPool, Row};

pub const USER_COLUMNS: &str = "id, email, display_name, role, team_id, language";

/// Maps a users row (at least the session columns) to the signed-in user.
pub fn session_user(row: &sqlx::any::AnyRow) -> AppResult<SessionUser> {
    Ok(SessionUser {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        team_id: row.try_get("team_id")?,
        language: Language::parse(row.try_get::<&str, _>("language")?).unwrap_or(Language::En),
    })
}

/// The active user with this id whose session generation is still `gen`.
pub async fn session_owner(pool: &AnyPool, id: &str, gen_: i64) -> AppResult<Option<SessionUser>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND active = 1 AND session_gen = $2"
    ))
    .bind(id)
    .bind(gen_)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(session_user).transpose()
}

pub struct LoginRecord {
    pub user: SessionUser,
    pub password_hash: String,
    pub active: bool,
    pub session_gen: i64,
    pub last_sign_in_at: Option<String>,
}

/// The columns `login_record_of` reads.
const LOGIN_COLUMNS: &str = "password_hash, active, session_gen, last_sign_in_at";

fn login_record_of(row: &sqlx::any::AnyRow) -> AppResult<LoginRecord> {
    Ok(LoginRecord {
        user: session_user(row)?,
        password_hash: row.try_get("password_hash")?,
        active: row.try_get::<i64, _>("active")? == 1,
        session_gen: row.try_get("session_gen")?,
        last_sign_in_at: row.try_get("last_sign_in_at")?,
    })
}

pub async fn login_record(pool: &AnyPool, email: &str) -> AppResult<Option<LoginRecord>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, {LOGIN_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(login_record_of).transpose()
}

/// The password hash and session generation of a user.
pub async fn password_hash(pool: &AnyPool, user_id: &str) -> AppResult<String> {
    let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(row.try_get("password_hash")?)
}

/// Failure instants (unix seconds) of one account from one address since `since`.
pub async fn recent_failures(
    pool: &AnyPool,
    email: &str,
    address: &str,
    since: &str,
) -> AppResult<Vec<i64>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT failed_at FROM login_failures WHERE email = $1 AND address = $2 AND failed_at >= $3",
    )
    .bind(email)
    .bind(address)
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().filter_map(|t| parse_instant(t)).collect())
}

/// Failures are kept for a day, and never more than this many in all.
const MAX_FAILURE_ROWS: i64 = 100_000;

/// Records a failure (the email is already checked to be short and
/// plausible) and prunes what is older than a day or over the cap.
pub async fn record_failure(pool: &AnyPool, email: &str, address: &str, now: i64) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    sqlx::query("INSERT INTO login_failures (email, address, failed_at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(address)
        .bind(format_instant(now))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
        .bind(format_instant(now - 24 * 3600))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM login_failures WHERE rowid <= (SELECT MAX(rowid) FROM login_failures) - $1",
    )
    .bind(MAX_FAILURE_ROWS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A successful sign-in: the pair's failures are forgiven, the failures on
/// this account since its last sign-in become alerts for the owner, and the
/// sign-in time is remembered. One transaction.
pub async fn record_sign_in(
    pool: &AnyPool,
    record: &LoginRecord,
    address: &str,
    now: i64,
) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    sqlx::query(
        "INSERT INTO sign_in_alerts (user_id, failed_at, address)
         SELECT $1, failed_at, address FROM login_failures
         WHERE email = $2 AND failed_at > COALESCE($3, '')",
    )
    .bind(&record.user.id)
    .bind(&record.user.email)
    .bind(&record.last_sign_in_at)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM login_failures WHERE email = $1 AND address = $2")
        .bind(&record.user.email)
        .bind(address)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(format_instant(now))
        .bind(&record.user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Failed attempts on the person's account they have not dismissed yet,
/// newest first: (instant, address).
pub async fn sign_in_alerts(pool: &AnyPool, user_id: &str) -> AppResult<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT failed_at, address FROM sign_in_alerts WHERE user_id = $1
         ORDER BY failed_at DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("failed_at")?, r.try_get("address")?)))
        .collect()
}

pub async fn dismiss_sign_in_alerts(pool: &AnyPool, user_id: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sign_in_alerts WHERE user_id = $1")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn clear_failures<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    email: &str,
) -> AppResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(exec)
        .await?;
    Ok(())
}

/// Sets a new password hash, ends every session of the person (a new
/// session generation) and every unused invitation link of theirs; returns
/// that generation.
pub async fn set_password_hash(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    hash: &str,
    now: &str,
) -> AppResult<i64> {
    let generation = sqlx::query_scalar(
        "UPDATE users SET password_hash = $1, session_gen = session_gen + 1, version = version + 1, updated_at = $2
         WHERE id = $3 RETURNING session_gen",
    )
    .bind(hash)
    .bind(now)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    revoke_invitations(&mut *conn, user_id).await?;
    Ok(generation)
}

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// A fresh invitation secret (32 random bytes, hex) and the hash stored for it.
pub fn new_invitation_token() -> (String, String) {
    use chacha20poly1305::aead::{OsRng, rand_core::RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = invitation_hash(&token);
    (token, hash)
}

/// What is stored of an invitation secret: its SHA-256, hex.
pub fn invitation_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores a new invitation for a person, replacing any unused one.
pub async fn replace_invitation(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    token_hash: &str,
    by: &str,
    now: &str,
    expires_at: &str,
) -> AppResult<()> {
    sqlx::query("DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO invitations (token_hash, user_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The person an unused, unexpired invitation is for, and whether they are
/// active: None for a link that is unknown, used or expired.
pub async fn open_invitation<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    token_hash: &str,
    now: &str,
) -> AppResult<Option<LoginRecord>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, {LOGIN_COLUMNS} FROM users
         WHERE id = (SELECT user_id FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(exec)
    .await?;
    row.as_ref().map(login_record_of).transpose()
}

/// Ends every unused invitation of a person: their password was set or
/// reset, their email changed, or they were deactivated.
pub async fn revoke_invitations<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    user_id: &str,
) -> AppResult<()> {
    sqlx::query("DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .execute(exec)
        .await?;
    Ok(())
}

/// Uses an invitation up: false when it was used (or expired) meanwhile.
pub async fn use_invitation(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    now: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(now)
    .bind(token_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_language(
    pool: &AnyPool,
    user_id: &str,
    lang: Language,
    now: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE users SET language = $1, updated_at = $2 WHERE id = $3")
        .bind(lang)
        .bind(now)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn organisation_exists(pool: &AnyPool) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organisation")
            .fetch_one(pool)
            .await?
            > 0,
    )
}

pub fn parse_instant(s: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

pub fn format_instant(unix: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// Argon2id hashing and verification, off the async threads (it is slow by design).
pub mod password {
    use crate::error::{AppError, AppResult};
    use argon2::Argon2;
    use argon2::password_hash::{
        PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
    };

    pub fn hash_blocking(password: &str) -> AppResult<String> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| AppError::internal())
    }

    pub fn verify_blocking(password: &str, hash: &str) -> bool {
        PasswordHash::new(hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    }

    /// Gives the 19 MiB that one argon2 run takes back to the system at once:
    /// the blocking thread that ran it may sit idle for long.
    fn release_memory() {
        // SAFETY: mi_collect only walks and frees this thread's own heap.
        unsafe { libmimalloc_sys::mi_collect(true) }
    }

    /// Argon2 runs at most this many at once (19 MiB and a core each).
    pub const HASHING_PERMITS: usize = 2;
    /// Attempts waiting for a permit beyond this are refused at once.
    const MAX_WAITING: usize = 32;

    static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHING_PERMITS);
    // Public (hidden from the docs) for tests/unit/auth/store.rs.
    #[doc(hidden)]
    pub static WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// Counts an attempt waiting for a permit while it lives, so that an
    /// attempt whose request is dropped mid-wait (the client hung up) leaves
    /// the queue too.
    struct Waiting;

    impl Waiting {
        fn enter() -> AppResult<Waiting> {
            use std::sync::atomic::Ordering;
            if WAITING.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
                WAITING.fetch_sub(1, Ordering::SeqCst);
                return Err(AppError::new(crate::error::ErrorCode::TooManyAttempts));
            }
            Ok(Waiting)
        }
    }

    impl Drop for Waiting {
        fn drop(&mut self) {
            WAITING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// A permit to hash, or `TooManyAttempts` when the queue is full: memory
    /// and CPU stay bounded however many sign-ins arrive at once.
    async fn permit() -> AppResult<tokio::sync::SemaphorePermit<'static>> {
        let _waiting = Waiting::enter()?;
        PERMITS.acquire().await.map_err(|_| AppError::internal())
    }

    /// Hashing runs now, and the most that ever ran at once.
    static RUNNING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    // Public (hidden from the docs) for tests/unit/auth/store.rs.
    #[doc(hidden)]
    pub static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// Runs `work` on a blocking thread holding a permit until it is done:
    /// the permit moves into the thread, so a request dropped while argon2
    /// runs does not free its place for another run.
    async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        use std::sync::atomic::Ordering;
        let permit = permit().await?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
            PEAK.fetch_max(now, Ordering::SeqCst);
            let out = work();
            release_memory();
            RUNNING.fetch_sub(1, Ordering::SeqCst);
            out
        })
        .await
        .map_err(|_| AppError::internal())
    }

    pub async fn hash(password: String) -> AppResult<String> {
        bounded(move || hash_blocking(&password)).await?
    }

    /// Whether the password matches; `TooManyAttempts` when hashing is saturated.
    pub async fn verify(password: String, hash: String) -> AppResult<bool> {
        bounded(move || verify_blocking(&password, &hash)).await
    }

    /// A hash to verify against when the email is unknown, so that the answer
    /// takes as long as for a known account.
    pub fn dummy_hash() -> &'static str {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        DUMMY.get_or_init(|| hash_blocking("keel-not-a-real-password").unwrap_or_default())
    }
}
