//! SQL for sign-in, sessions and passwords.
use super::model::{Language, Role, SessionUser};
use crate::error::{AppError, AppResult};
use sqlx::{Row, SqlitePool};

const USER_COLUMNS: &str = "id, email, display_name, role, team_id, language";

/// Maps a users row (at least the session columns) to the signed-in user.
pub fn session_user(row: &sqlx::sqlite::SqliteRow) -> AppResult<SessionUser> {
    Ok(SessionUser {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(row.try_get::<&str, _>("role")?).map_err(|_| AppError::internal())?,
        team_id: row.try_get("team_id")?,
        language: Language::parse(row.try_get::<&str, _>("language")?).unwrap_or(Language::En),
    })
}

/// The active user with this id, if any.
pub async fn active_user(pool: &SqlitePool, id: &str) -> AppResult<Option<SessionUser>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = ? AND active = 1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(session_user).transpose()
}

pub struct LoginRecord {
    pub user: SessionUser,
    pub password_hash: String,
    pub active: bool,
}

pub async fn login_record(pool: &SqlitePool, email: &str) -> AppResult<Option<LoginRecord>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, password_hash, active FROM users WHERE email = ?"
    ))
    .bind(email)
    .fetch_optional(pool)
    .await?;
    match row {
        None => Ok(None),
        Some(row) => Ok(Some(LoginRecord {
            user: session_user(&row)?,
            password_hash: row.try_get("password_hash")?,
            active: row.try_get::<i64, _>("active")? == 1,
        })),
    }
}

pub async fn password_hash(pool: &SqlitePool, user_id: &str) -> AppResult<String> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_one(pool)
            .await?,
    )
}

/// Failure instants (unix seconds) for an account within the lockout window.
pub async fn recent_failures(pool: &SqlitePool, email: &str, since: &str) -> AppResult<Vec<i64>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT failed_at FROM login_failures WHERE email = ? AND failed_at >= ?",
    )
    .bind(email)
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().filter_map(|t| parse_instant(t)).collect())
}

pub async fn record_failure(pool: &SqlitePool, email: &str, at: &str) -> AppResult<()> {
    sqlx::query("INSERT INTO login_failures (email, failed_at) VALUES (?, ?)")
        .bind(email)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn clear_failures(pool: &SqlitePool, email: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE email = ?")
        .bind(email)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn set_password_hash(
    pool: &SqlitePool,
    user_id: &str,
    hash: &str,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?",
    )
    .bind(hash)
    .bind(now)
    .bind(user_id)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_language(
    pool: &SqlitePool,
    user_id: &str,
    lang: Language,
    now: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE users SET language = ?, updated_at = ? WHERE id = ?")
        .bind(lang.as_str())
        .bind(now)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn organisation_exists(pool: &SqlitePool) -> AppResult<bool> {
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

    pub async fn hash(password: String) -> AppResult<String> {
        tokio::task::spawn_blocking(move || {
            let hashed = hash_blocking(&password);
            release_memory();
            hashed
        })
        .await
        .map_err(|_| AppError::internal())?
    }

    pub async fn verify(password: String, hash: String) -> bool {
        tokio::task::spawn_blocking(move || {
            let ok = verify_blocking(&password, &hash);
            release_memory();
            ok
        })
        .await
        .unwrap_or(false)
    }

    /// A hash to verify against when the email is unknown, so that the answer
    /// takes as long as for a known account.
    pub fn dummy_hash() -> &'static str {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        DUMMY.get_or_init(|| hash_blocking("keel-not-a-real-password").unwrap_or_default())
    }
}
