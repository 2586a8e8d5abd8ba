//! SQL for the organisation, teams and people.
use super::model::{Organisation, Person, Team};
use crate::error::{AppError, AppResult, ErrorCode};
use sqlx::{AnyPool, Row};

pub const ORG_ID: &str = "org";

pub async fn organisation(pool: &AnyPool) -> AppResult<Option<Organisation>> {
    let row =
        sqlx::query("SELECT name, time_zone, currency, version FROM organisation WHERE id = $1")
            .bind(ORG_ID)
            .fetch_optional(pool)
            .await?;
    row.map(|r| {
        Ok(Organisation {
            name: r.try_get("name")?,
            time_zone: r.try_get("time_zone")?,
            currency: r.try_get("currency")?,
            version: r.try_get("version")?,
        })
    })
    .transpose()
}

pub async fn update_organisation(pool: &AnyPool, org: &Organisation, now: &str) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE organisation SET name = $1, time_zone = $2, currency = $3, version = version + 1, updated_at = $4
         WHERE id = $5 AND version = $6",
    )
    .bind(&org.name)
    .bind(&org.time_zone)
    .bind(&org.currency)
    .bind(now)
    .bind(ORG_ID)
    .bind(org.version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}

pub async fn teams(pool: &AnyPool) -> AppResult<Vec<Team>> {
    Ok(sqlx::query_as::<_, Team>(
        "SELECT id, name, parent_id, leader_id, version FROM teams ORDER BY name",
    )
    .fetch_all(pool)
    .await?)
}

/// Inserts a team under a client-made id; the same id twice stores once.
/// Returns false when the id was already taken.
pub async fn insert_team(pool: &AnyPool, team: &Team, now: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO teams (id, name, parent_id, leader_id, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&team.id)
    .bind(&team.name)
    .bind(&team.parent_id)
    .bind(&team.leader_id)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_team(pool: &AnyPool, team: &Team, now: &str) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE teams SET name = $1, parent_id = $2, leader_id = $3, version = version + 1, updated_at = $4
         WHERE id = $5 AND version = $6",
    )
    .bind(&team.name)
    .bind(&team.parent_id)
    .bind(&team.leader_id)
    .bind(now)
    .bind(&team.id)
    .bind(team.version)
    .execute(pool)
    .await?;
    stale_or_missing(pool, "teams", &team.id, done.rows_affected()).await
}

async fn stale_or_missing(pool: &AnyPool, table: &str, id: &str, affected: u64) -> AppResult<()> {
    if affected > 0 {
        return Ok(());
    }
    let exists: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(pool)
        .await?;
    Err(AppError::new(if exists > 0 {
        ErrorCode::StaleVersion
    } else {
        ErrorCode::NotFound
    }))
}

fn person(row: &sqlx::any::AnyRow) -> AppResult<Person> {
    let user = crate::auth::store::session_user(row)?;
    Ok(Person {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        team_id: user.team_id,
        language: user.language,
        active: row.try_get::<i64, _>("active")? == 1,
        version: row.try_get("version")?,
    })
}

const PERSON_COLUMNS: &str = "id, email, display_name, role, team_id, language, active, version";

pub async fn people(pool: &AnyPool) -> AppResult<Vec<Person>> {
    let rows = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM users ORDER BY active DESC, display_name"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(person).collect()
}

pub async fn person_by_id(pool: &AnyPool, id: &str) -> AppResult<Option<Person>> {
    let row = sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(person).transpose()
}

pub async fn email_taken(pool: &AnyPool, email: &str, except_id: &str) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1 AND id <> $2")
        .bind(email)
        .bind(except_id)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// Inserts a person under a client-made id; false when that id already exists.
pub async fn insert_person<'e, E>(
    exec: E,
    p: &Person,
    password_hash: &str,
    now: &str,
) -> AppResult<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, team_id, language, active, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&p.id)
    .bind(&p.email)
    .bind(&p.display_name)
    .bind(password_hash)
    .bind(p.role)
    .bind(&p.team_id)
    .bind(p.language)
    .bind(p.active as i64)
    .bind(now)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_person(pool: &AnyPool, p: &Person, now: &str) -> AppResult<()> {
    let done = sqlx::query(
        // Deactivating someone ends their sessions (a new session generation).
        "UPDATE users SET display_name = $1, email = $2, role = $3, team_id = $4, active = $5,
                session_gen = session_gen + (CASE WHEN active = 1 AND $6 = 0 THEN 1 ELSE 0 END),
                version = version + 1, updated_at = $7
         WHERE id = $8 AND version = $9",
    )
    .bind(&p.display_name)
    .bind(&p.email)
    .bind(p.role)
    .bind(&p.team_id)
    .bind(p.active as i64)
    .bind(p.active as i64)
    .bind(now)
    .bind(&p.id)
    .bind(p.version)
    .execute(pool)
    .await?;
    stale_or_missing(pool, "users", &p.id, done.rows_affected()).await
}

pub async fn insert_organisation<'e, E>(exec: E, org: &Organisation, now: &str) -> AppResult<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "INSERT INTO organisation (id, name, time_zone, currency, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(ORG_ID)
    .bind(&org.name)
    .bind(&org.time_zone)
    .bind(&org.currency)
    .bind(now)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}
