//! SQL for personal API tokens.
use crate::auth::store::{parse_instant, session_user};
use crate::auth::{ApiScope, SessionUser};
use crate::error::AppResult;
use sqlx::{AnyPool, Row};

/// A token as stored (never its secret: only the hash is kept).
pub struct StoredToken {
    pub id: String,
    pub name: String,
    pub shown: String,
    pub scope: ApiScope,
    pub expires_at: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A new token's row.
pub struct NewTokenRow<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub shown: &'a str,
    pub scope: ApiScope,
    pub expires_at: &'a str,
    pub created_at: &'a str,
}

/// Whether a token with this id exists (anyone's: a replayed create).
pub async fn exists(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM api_tokens WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
            > 0,
    )
}

pub async fn insert(conn: &mut sqlx::AnyConnection, t: &NewTokenRow<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, scope, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.id)
    .bind(t.user_id)
    .bind(t.name)
    .bind(t.token_hash)
    .bind(t.shown)
    .bind(t.scope)
    .bind(t.expires_at)
    .bind(t.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One person's tokens, newest first.
pub async fn list(pool: &AnyPool, user_id: &str) -> AppResult<Vec<StoredToken>> {
    let rows = sqlx::query(
        "SELECT id, name, prefix, scope, expires_at, created_at, last_used_at, revoked_at
         FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredToken {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                shown: r.try_get("prefix")?,
                scope: r.try_get("scope")?,
                expires_at: r.try_get("expires_at")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
                revoked_at: r.try_get("revoked_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// Revokes one of the person's tokens (a revoked one stays revoked when it
/// was already). Whether the person has a token with this id.
pub async fn revoke(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    user_id: &str,
    now: &str,
) -> AppResult<bool> {
    let owned = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM api_tokens WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?
        > 0;
    if owned {
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(owned)
}

/// A presented token, found by its hash, with its owner.
pub struct TokenOwner {
    pub id: String,
    pub scope: ApiScope,
    pub expires_at: i64,
    pub revoked: bool,
    pub last_used_at: Option<i64>,
    pub owner_active: bool,
    pub user: SessionUser,
}

pub async fn by_hash(pool: &AnyPool, token_hash: &str) -> AppResult<Option<TokenOwner>> {
    let row = sqlx::query(
        "SELECT t.id AS token_id, t.scope, t.expires_at, t.revoked_at, t.last_used_at,
                u.id, u.email, u.display_name, u.role, u.team_id, u.language, u.active
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let expires: String = r.try_get("expires_at")?;
    let last: Option<String> = r.try_get("last_used_at")?;
    Ok(Some(TokenOwner {
        id: r.try_get("token_id")?,
        scope: r.try_get("scope")?,
        // An instant that does not read is treated as already past.
        expires_at: parse_instant(&expires).unwrap_or(0),
        revoked: r.try_get::<Option<String>, _>("revoked_at")?.is_some(),
        last_used_at: last.as_deref().and_then(parse_instant),
        owner_active: r.try_get::<i64, _>("active")? != 0,
        user: session_user(&r)?,
    }))
}

/// Notes when a token was last used.
pub async fn touch(pool: &AnyPool, id: &str, now: &str) -> AppResult<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}
