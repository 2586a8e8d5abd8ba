//! SQL for the organisation, teams and people.
use super::model::{Holding, HoldingKind, Organisation, Person, Team};
use crate::error::{AppError, AppResult, ErrorCode};
use sqlx::{AnyConnection, AnyPool, Row};

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

async fn stale_or_missing<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    table: &str,
    id: &str,
    affected: u64,
) -> AppResult<()> {
    if affected > 0 {
        return Ok(());
    }
    let exists: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(exec)
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

/// Leaders and admins, for choosing and naming team leaders.
pub async fn leaders(pool: &AnyPool) -> AppResult<Vec<Person>> {
    let rows = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM users WHERE role IN ('leader', 'admin') ORDER BY active DESC, display_name"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(person).collect()
}

/// Active people per team.
pub async fn team_sizes(pool: &AnyPool) -> AppResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT team_id, COUNT(*) FROM users WHERE active = 1 AND team_id IS NOT NULL GROUP BY team_id",
    )
    .fetch_all(pool)
    .await?)
}

pub async fn people_total(pool: &AnyPool) -> AppResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?)
}

/// What the people list is narrowed to.
#[derive(Debug, Default)]
pub struct PeopleFilter<'a> {
    /// Part of a name or email.
    pub search: &'a str,
    pub team: Option<&'a str>,
    pub role: Option<crate::auth::Role>,
    pub active: Option<bool>,
}

/// One page of people (by active first, then name) matching a filter, and
/// how many match.
pub async fn people_page(
    pool: &AnyPool,
    f: &PeopleFilter<'_>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Person>, i64)> {
    let mut clauses = vec!["1 = 1".to_string()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let search = f.search.trim();
    if !search.is_empty() {
        let (a, b) = (next(), next());
        clauses.push(format!(
            "(lower(display_name) LIKE {a} ESCAPE '\\' OR lower(email) LIKE {b} ESCAPE '\\')"
        ));
    }
    if f.team.is_some() {
        clauses.push(format!("team_id = {}", next()));
    }
    if f.role.is_some() {
        clauses.push(format!("role = {}", next()));
    }
    if f.active.is_some() {
        clauses.push(format!("active = {}", next()));
    }
    let (lim, off) = (next(), next());
    let filter = clauses.join(" AND ");
    let pattern = (!search.is_empty()).then(|| crate::server::db::like_pattern(search));
    fn bind<'q>(
        sql: &'q str,
        pattern: &Option<String>,
        f: &PeopleFilter<'_>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut q = sqlx::query(sql);
        if let Some(p) = pattern {
            q = q.bind(p.clone()).bind(p.clone());
        }
        if let Some(t) = f.team {
            q = q.bind(t.to_string());
        }
        if let Some(r) = f.role {
            q = q.bind(r);
        }
        if let Some(a) = f.active {
            q = q.bind(i64::from(a));
        }
        q
    }
    let count_sql = format!("SELECT COUNT(*) FROM users WHERE {filter}");
    let total: i64 = bind(&count_sql, &pattern, f)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let sql = format!(
        "SELECT {PERSON_COLUMNS} FROM users WHERE {filter} ORDER BY active DESC, display_name, id LIMIT {lim} OFFSET {off}"
    );
    let rows = bind(&sql, &pattern, f)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    Ok((rows.iter().map(person).collect::<AppResult<_>>()?, total))
}

pub async fn person_by_email(pool: &AnyPool, email: &str) -> AppResult<Option<Person>> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(person).transpose()
}

/// Sets the language a person reads Keel in.
pub async fn set_language(
    conn: &mut AnyConnection,
    id: &str,
    language: crate::auth::Language,
) -> AppResult<()> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(language)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
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

pub async fn update_person(conn: &mut AnyConnection, p: &Person, now: &str) -> AppResult<()> {
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
    .execute(&mut *conn)
    .await?;
    stale_or_missing(&mut *conn, "users", &p.id, done.rows_affected()).await
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

/// Everything `person` owns or leads that someone else must take over when
/// they leave: teams they lead, their active KPIs and goals, backlogs, the
/// mentoring pairs they mentor, survey rounds not yet closed and open
/// action items.
pub async fn holdings(pool: &AnyPool, person: &str, now: &str) -> AppResult<Vec<Holding>> {
    let sources: [(HoldingKind, &str); 7] = [
        (
            HoldingKind::Team,
            "SELECT id, name AS title, id AS team_id FROM teams WHERE leader_id = $1 ORDER BY name",
        ),
        (
            HoldingKind::Kpi,
            "SELECT id, code || ' ' || name AS title, team_id FROM kpis WHERE owner_id = $1 AND archived_at IS NULL ORDER BY code",
        ),
        (
            HoldingKind::Goal,
            "SELECT g.id, g.title, u.team_id FROM goals g JOIN users u ON u.id = g.owner_id
             WHERE g.owner_id = $1 AND g.archived_at IS NULL ORDER BY g.title",
        ),
        (
            HoldingKind::Backlog,
            "SELECT id, name AS title, team_id FROM backlogs WHERE owner_id = $1 ORDER BY name",
        ),
        (
            HoldingKind::Mentoring,
            "SELECT m.id, u.display_name AS title, u.team_id FROM mentorships m JOIN users u ON u.id = m.mentee_id
             WHERE m.mentor_id = $1 AND m.active = 1 ORDER BY u.display_name",
        ),
        (
            HoldingKind::SurveyRound,
            "SELECT id, title, CAST(NULL AS TEXT) AS team_id FROM survey_rounds WHERE owner_id = $1 AND closes_at > $2 AND cancelled_at IS NULL ORDER BY opens_at",
        ),
        (
            HoldingKind::SurveyAction,
            "SELECT id, action AS title, team_id FROM survey_actions WHERE owner_id = $1 AND status = 'open' ORDER BY due_date",
        ),
    ];
    let mut out = Vec::new();
    for (kind, sql) in sources {
        let mut q = sqlx::query(sql).bind(person);
        if kind == HoldingKind::SurveyRound {
            q = q.bind(now);
        }
        let rows = q.fetch_all(pool).await?;
        for r in &rows {
            out.push(Holding {
                kind,
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                team_id: r.try_get("team_id")?,
            });
        }
    }
    Ok(out)
}

/// Hands one holding from `from` to `to`: one row written, and only while
/// `from` still holds it (false otherwise). Versions move on, so an editor
/// holding the old version is told it changed.
pub async fn transfer(
    conn: &mut AnyConnection,
    kind: HoldingKind,
    id: &str,
    from: &str,
    to: &str,
    now: &str,
) -> AppResult<bool> {
    // $1 the receiver, $2 the record, $3 the person leaving, $4 now.
    let sql = match kind {
        HoldingKind::Team => {
            "UPDATE teams SET leader_id = $1, version = version + 1, updated_at = $4 WHERE id = $2 AND leader_id = $3"
        }
        // A KPI owned by a PM belongs to the PM's team, as when reassigned.
        HoldingKind::Kpi => {
            "UPDATE kpis SET owner_id = $1, team_id = (SELECT team_id FROM users WHERE id = $1), version = version + 1, updated_at = $4
             WHERE id = $2 AND owner_id = $3 AND archived_at IS NULL"
        }
        HoldingKind::Goal => {
            "UPDATE goals SET owner_id = $1, version = version + 1, updated_at = $4 WHERE id = $2 AND owner_id = $3 AND archived_at IS NULL"
        }
        HoldingKind::Backlog => {
            "UPDATE backlogs SET owner_id = $1, version = version + 1, updated_at = $4 WHERE id = $2 AND owner_id = $3"
        }
        HoldingKind::SurveyRound => {
            "UPDATE survey_rounds SET owner_id = $1, version = version + 1 WHERE id = $2 AND owner_id = $3 AND closes_at > $4 AND cancelled_at IS NULL"
        }
        // Neither table records when it changed.
        HoldingKind::Mentoring => {
            // A mentee cannot mentor themselves: such a pair is not handed over.
            "UPDATE mentorships SET mentor_id = $1, version = version + 1 WHERE id = $2 AND mentor_id = $3 AND active = 1 AND mentee_id <> $1"
        }
        HoldingKind::SurveyAction => {
            "UPDATE survey_actions SET owner_id = $1, version = version + 1 WHERE id = $2 AND owner_id = $3 AND status = 'open'"
        }
    };
    let mut q = sqlx::query(sql).bind(to).bind(id).bind(from);
    if !matches!(kind, HoldingKind::Mentoring | HoldingKind::SurveyAction) {
        q = q.bind(now);
    }
    let done = q.execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// A deactivated leader stops leading: their teams are left without a
/// leader (approvals go to the next leader up, or to admins).
pub async fn clear_leadership(conn: &mut AnyConnection, person: &str, now: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE teams SET leader_id = NULL, version = version + 1, updated_at = $1 WHERE leader_id = $2",
    )
    .bind(now)
    .bind(person)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
