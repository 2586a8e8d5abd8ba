//! SQL for backlogs and requirements.
use super::model::{Backlog, EvidenceKind, Framework, RequirementRow, ScoreInput, Source, Status};
use crate::error::{AppError, AppResult, ErrorCode};
use sqlx::{Row, SqlitePool};

/// An update guarded by `version = ?` that matched nothing was based on an old version.
fn versioned(done: sqlx::sqlite::SqliteQueryResult) -> AppResult<()> {
    if done.rows_affected() == 0 {
        Err(AppError::new(ErrorCode::StaleVersion))
    } else {
        Ok(())
    }
}

fn backlog_of(row: &sqlx::sqlite::SqliteRow) -> AppResult<Backlog> {
    Ok(Backlog {
        id: row.try_get("id")?,
        team_id: row.try_get("team_id")?,
        owner_id: row.try_get("owner_id")?,
        name: row.try_get("name")?,
        framework: Framework::parse(row.try_get::<&str, _>("framework")?)
            .map_err(|_| AppError::internal())?,
        version: row.try_get("version")?,
    })
}

pub async fn backlogs(pool: &SqlitePool) -> AppResult<Vec<Backlog>> {
    let rows = sqlx::query(
        "SELECT id, team_id, owner_id, name, framework, version FROM backlogs ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(backlog_of).collect()
}

pub async fn backlog(pool: &SqlitePool, id: &str) -> AppResult<Option<Backlog>> {
    let row = sqlx::query(
        "SELECT id, team_id, owner_id, name, framework, version FROM backlogs WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(backlog_of).transpose()
}

pub async fn insert_backlog(pool: &SqlitePool, b: &Backlog, now: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO backlogs (id, team_id, owner_id, name, framework, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&b.id)
    .bind(&b.team_id)
    .bind(&b.owner_id)
    .bind(&b.name)
    .bind(b.framework.as_str())
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_backlog_owner(
    pool: &SqlitePool,
    id: &str,
    version: i64,
    owner: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE backlogs SET owner_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
    )
    .bind(owner)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    versioned(done)
}

/// The rank keys of a backlog in order: (id, score, pinned, key).
pub async fn order(
    pool: &SqlitePool,
    backlog_id: &str,
) -> AppResult<Vec<(String, Option<f64>, bool, String)>> {
    let rows = sqlx::query(
        "SELECT id, score, pinned, rank_key FROM requirements WHERE backlog_id = ? ORDER BY rank_key, id",
    )
    .bind(backlog_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("score")?,
                r.try_get::<i64, _>("pinned")? == 1,
                r.try_get("rank_key")?,
            ))
        })
        .collect()
}

pub struct NewRequirement<'a> {
    pub id: &'a str,
    pub backlog_id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub source: Source,
    pub requester: &'a str,
    pub customer: &'a str,
    pub segment: &'a str,
    pub links: &'a [String],
    pub submitted_by: &'a str,
    pub rank_key: &'a str,
}

pub async fn insert_requirement(
    pool: &SqlitePool,
    r: &NewRequirement<'_>,
    now: &str,
) -> AppResult<bool> {
    let links = serde_json::to_string(r.links).unwrap_or_else(|_| "[]".into());
    let done = sqlx::query(
        "INSERT INTO requirements (id, backlog_id, title, description, source, requester, customer, segment, links,
             submitted_by, status, rank_key, pinned, version, created_at, updated_at, status_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, 0, 1, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(r.id)
    .bind(r.backlog_id)
    .bind(r.title)
    .bind(r.description)
    .bind(r.source.as_str())
    .bind(r.requester)
    .bind(r.customer)
    .bind(r.segment)
    .bind(links)
    .bind(r.submitted_by)
    .bind(r.rank_key)
    .bind(now)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

const ROW_COLUMNS: &str =
    "r.id, r.backlog_id, r.title, r.description, r.source, r.status, r.score, r.score_input,
    r.pinned, r.rank_key, r.version,
    (SELECT COUNT(*) FROM votes v WHERE v.requirement_id = r.id) AS votes,
    (SELECT COUNT(*) FROM votes v WHERE v.requirement_id = r.id AND v.user_id = ?) AS voted";

fn requirement_of(row: &sqlx::sqlite::SqliteRow) -> AppResult<RequirementRow> {
    let input: Option<String> = row.try_get("score_input")?;
    Ok(RequirementRow {
        id: row.try_get("id")?,
        backlog_id: row.try_get("backlog_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        source: Source::parse_any(row.try_get::<&str, _>("source")?)
            .ok_or_else(AppError::internal)?,
        status: Status::parse(row.try_get::<&str, _>("status")?).ok_or_else(AppError::internal)?,
        score: row.try_get("score")?,
        score_input: input.and_then(|s| serde_json::from_str::<ScoreInput>(&s).ok()),
        pinned: row.try_get::<i64, _>("pinned")? == 1,
        out_of_order: false,
        votes: row.try_get("votes")?,
        voted: row.try_get::<i64, _>("voted")? > 0,
        rank_key: row.try_get("rank_key")?,
        version: row.try_get("version")?,
    })
}

/// Escapes LIKE wildcards so a search matches the typed text literally.
fn like_pattern(s: &str) -> String {
    let mut p = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The ranked list, in stored order; a search matches substrings of title and
/// description (so Chinese words are found).
pub async fn requirements(
    pool: &SqlitePool,
    backlog_id: &str,
    viewer_id: &str,
    search: &str,
    status: Option<Status>,
    source: Option<Source>,
) -> AppResult<Vec<RequirementRow>> {
    let mut sql = format!("SELECT {ROW_COLUMNS} FROM requirements r WHERE r.backlog_id = ?");
    let search = search.trim();
    if !search.is_empty() {
        sql.push_str(" AND (r.title LIKE ? ESCAPE '\\' OR r.description LIKE ? ESCAPE '\\')");
    }
    if status.is_some() {
        sql.push_str(" AND r.status = ?");
    }
    if source.is_some() {
        sql.push_str(" AND r.source = ?");
    }
    sql.push_str(" ORDER BY r.rank_key, r.id");
    let mut q = sqlx::query(&sql).bind(viewer_id).bind(backlog_id);
    if !search.is_empty() {
        let p = like_pattern(search);
        q = q.bind(p.clone()).bind(p);
    }
    if let Some(s) = status {
        q = q.bind(s.as_str());
    }
    if let Some(s) = source {
        q = q.bind(s.as_str());
    }
    let rows = q.fetch_all(pool).await?;
    let mut list: Vec<RequirementRow> =
        rows.iter().map(requirement_of).collect::<AppResult<_>>()?;
    let flags = super::model::out_of_order(&list.iter().map(|r| r.score).collect::<Vec<_>>());
    for (r, f) in list.iter_mut().zip(flags) {
        r.out_of_order = f;
    }
    Ok(list)
}

pub async fn requirement(
    pool: &SqlitePool,
    id: &str,
    viewer_id: &str,
) -> AppResult<Option<RequirementRow>> {
    let row = sqlx::query(&format!(
        "SELECT {ROW_COLUMNS} FROM requirements r WHERE r.id = ?"
    ))
    .bind(viewer_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(requirement_of).transpose()
}

/// Stores new score inputs (checked against the version) and, when given,
/// the requirement's new place. One row.
pub async fn set_score(
    pool: &SqlitePool,
    id: &str,
    version: i64,
    input: &ScoreInput,
    score: f64,
    rank_key: Option<&str>,
    now: &str,
) -> AppResult<()> {
    let json = serde_json::to_string(input).map_err(|_| AppError::internal())?;
    let done = sqlx::query(
        "UPDATE requirements SET score_input = ?, score = ?, rank_key = COALESCE(?, rank_key),
             version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
    )
    .bind(json)
    .bind(score)
    .bind(rank_key)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    versioned(done)
}

/// Moves one requirement: one row written.
pub async fn set_rank(
    pool: &SqlitePool,
    id: &str,
    key: &str,
    pinned: bool,
    now: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE requirements SET rank_key = ?, pinned = ?, updated_at = ? WHERE id = ?")
        .bind(key)
        .bind(pinned as i64)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn set_status(
    pool: &SqlitePool,
    id: &str,
    version: i64,
    status: Status,
    reason: Option<&str>,
    duplicate_of: Option<&str>,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE requirements SET status = ?, reject_reason = ?, duplicate_of = ?, status_changed_at = ?,
             version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(duplicate_of)
    .bind(now)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    versioned(done)
}

pub async fn record_event(
    pool: &SqlitePool,
    requirement_id: &str,
    actor_id: &str,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO requirement_events (id, requirement_id, actor_id, kind, from_value, to_value, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(requirement_id)
    .bind(actor_id)
    .bind(kind)
    .bind(from)
    .bind(to)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Casts or withdraws the caller's vote; one per person per requirement.
pub async fn toggle_vote(
    pool: &SqlitePool,
    requirement_id: &str,
    user_id: &str,
    now: &str,
) -> AppResult<bool> {
    let added = sqlx::query(
        "INSERT INTO votes (requirement_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(requirement_id)
    .bind(user_id)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected()
        == 1;
    if !added {
        sqlx::query("DELETE FROM votes WHERE requirement_id = ? AND user_id = ?")
            .bind(requirement_id)
            .bind(user_id)
            .execute(pool)
            .await?;
    }
    Ok(added)
}

pub async fn insert_evidence(
    pool: &SqlitePool,
    id: &str,
    requirement_id: &str,
    kind: EvidenceKind,
    body: &str,
    source: &str,
    author_id: &str,
    now: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO evidence (id, requirement_id, kind, body, source, author_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(requirement_id)
    .bind(kind.as_str())
    .bind(body)
    .bind(source)
    .bind(author_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_labels(
    pool: &SqlitePool,
    requirement_id: &str,
    labels: &[String],
) -> AppResult<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM requirement_labels WHERE requirement_id = ?")
        .bind(requirement_id)
        .execute(&mut *tx)
        .await?;
    for label in labels {
        sqlx::query("INSERT INTO requirement_labels (requirement_id, label) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(requirement_id)
            .bind(label)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The backlog in rank order as CSV rows.
pub async fn export_rows(
    pool: &SqlitePool,
    backlog_id: &str,
) -> AppResult<Vec<super::model::RequirementDraft>> {
    let rows = sqlx::query(
        "SELECT r.id, r.title, r.description, r.source, r.requester, r.customer, r.segment, r.links,
            (SELECT group_concat(label, char(10)) FROM (SELECT label FROM requirement_labels l WHERE l.requirement_id = r.id ORDER BY label)) AS labels
         FROM requirements r WHERE r.backlog_id = ? ORDER BY r.rank_key, r.id",
    )
    .bind(backlog_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let links: String = r.try_get("links")?;
            let labels: Option<String> = r.try_get("labels")?;
            Ok(super::model::RequirementDraft {
                title: r.try_get("title")?,
                description: r.try_get("description")?,
                source: Source::parse_any(r.try_get::<&str, _>("source")?),
                requester: r.try_get("requester")?,
                customer: r.try_get("customer")?,
                segment: r.try_get("segment")?,
                links: serde_json::from_str(&links).unwrap_or_default(),
                labels: labels
                    .map(|l| l.split('\n').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}
