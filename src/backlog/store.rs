//! SQL for backlogs and requirements.
use super::model::{
    Backlog, Evidence, EvidenceKind, HistoryEntry, MySubmission, RequirementPage, RequirementRow,
    ScoreInput, Sort, Source, Status,
};
use crate::error::{AppError, AppResult};
use sqlx::{AnyConnection, AnyPool, Row};

use crate::server::db::versioned;

fn backlog_of(row: &sqlx::any::AnyRow) -> AppResult<Backlog> {
    Ok(Backlog {
        id: row.try_get("id")?,
        team_id: row.try_get("team_id")?,
        owner_id: row.try_get("owner_id")?,
        name: row.try_get("name")?,
        framework: row.try_get("framework")?,
        version: row.try_get("version")?,
        requirements: row.try_get("requirement_count")?,
    })
}

pub async fn backlogs(pool: &AnyPool) -> AppResult<Vec<Backlog>> {
    let rows = sqlx::query(
        "SELECT id, team_id, owner_id, name, framework, version, requirement_count FROM backlogs ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(backlog_of).collect()
}

pub async fn backlog(pool: &AnyPool, id: &str) -> AppResult<Option<Backlog>> {
    let row = sqlx::query(
        "SELECT id, team_id, owner_id, name, framework, version, requirement_count FROM backlogs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(backlog_of).transpose()
}

pub async fn insert_backlog(conn: &mut AnyConnection, b: &Backlog, now: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO backlogs (id, team_id, owner_id, name, framework, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&b.id)
    .bind(&b.team_id)
    .bind(&b.owner_id)
    .bind(&b.name)
    .bind(b.framework)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_backlog_owner(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    owner: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE backlogs SET owner_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
    )
    .bind(owner)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// One requirement's place in its backlog's order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    /// The requirement's id.
    pub id: String,
    pub score: Option<f64>,
    /// Whether it was moved by hand (pinned where it was put).
    pub pinned: bool,
    pub rank_key: String,
}

/// The rank keys of a backlog in order.
pub async fn order(pool: &AnyPool, backlog_id: &str) -> AppResult<Vec<OrderRow>> {
    let rows = sqlx::query(
        "SELECT id, score, pinned, rank_key FROM requirements WHERE backlog_id = $1 ORDER BY rank_key, id",
    )
    .bind(backlog_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OrderRow {
                id: r.try_get("id")?,
                score: r.try_get("score")?,
                pinned: r.try_get::<i64, _>("pinned")? == 1,
                rank_key: r.try_get("rank_key")?,
            })
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

/// Stores a new requirement with its "created" history entry; the same id
/// twice stores once.
pub async fn insert_requirement(
    conn: &mut AnyConnection,
    r: &NewRequirement<'_>,
    now: &str,
) -> AppResult<bool> {
    let links = serde_json::to_string(r.links).unwrap_or_else(|_| "[]".into());
    let done = sqlx::query(
        "INSERT INTO requirements (id, backlog_id, title, description, source, requester, customer, segment, links,
             submitted_by, status, rank_key, pinned, version, created_at, updated_at, status_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'new', $11, 0, 1, $12, $13, $14) ON CONFLICT (id) DO NOTHING",
    )
    .bind(r.id)
    .bind(r.backlog_id)
    .bind(r.title)
    .bind(r.description)
    .bind(r.source)
    .bind(r.requester)
    .bind(r.customer)
    .bind(r.segment)
    .bind(links)
    .bind(r.submitted_by)
    .bind(r.rank_key)
    .bind(now)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let fresh = done.rows_affected() == 1;
    if fresh {
        record_event(
            &mut *conn,
            r.id,
            r.submitted_by,
            "created",
            None,
            Some("new"),
            now,
        )
        .await?;
    }
    Ok(fresh)
}

const ROW_COLUMNS: &str =
    "r.id, r.backlog_id, r.title, r.description, r.source, r.status, r.score, r.score_input,
    r.pinned, r.rank_key, r.version, r.owner_id, r.submitted_by, r.created_at, r.status_changed_at,
    (SELECT display_name FROM users u WHERE u.id = r.owner_id) AS owner_name,
    (SELECT string_agg(l.label, '\n' ORDER BY l.label) FROM requirement_labels l WHERE l.requirement_id = r.id) AS labels,
    (SELECT COUNT(*) FROM votes v WHERE v.requirement_id = r.id) AS votes,
    (SELECT COUNT(*) FROM votes v WHERE v.requirement_id = r.id AND v.user_id = $1) AS voted";

fn split_labels(labels: Option<String>) -> Vec<String> {
    labels
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\n').map(str::to_string).collect())
        .unwrap_or_default()
}

fn requirement_of(row: &sqlx::any::AnyRow) -> AppResult<RequirementRow> {
    let input: Option<String> = row.try_get("score_input")?;
    Ok(RequirementRow {
        id: row.try_get("id")?,
        backlog_id: row.try_get("backlog_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        source: Source::parse_any(row.try_get::<&str, _>("source")?)
            .ok_or_else(AppError::internal)?,
        status: row.try_get("status")?,
        score: row.try_get("score")?,
        score_input: input.and_then(|s| serde_json::from_str::<ScoreInput>(&s).ok()),
        pinned: row.try_get::<i64, _>("pinned")? == 1,
        out_of_order: false,
        votes: row.try_get("votes")?,
        voted: row.try_get::<i64, _>("voted")? > 0,
        rank_key: row.try_get("rank_key")?,
        version: row.try_get("version")?,
        labels: split_labels(row.try_get("labels")?),
        owner_id: row.try_get("owner_id")?,
        owner_name: row.try_get("owner_name")?,
        submitted_by: row.try_get("submitted_by")?,
        created_at: row.try_get("created_at")?,
        status_changed_at: row.try_get("status_changed_at")?,
    })
}

use crate::server::db::like_pattern;

/// What the list is narrowed to.
#[derive(Debug, Default)]
pub struct ListFilter<'a> {
    pub search: &'a str,
    pub status: Option<Status>,
    pub source: Option<Source>,
    pub label: &'a str,
    /// An owner's id, or "none" for requirements without one.
    pub owner: &'a str,
}

impl ListFilter<'_> {
    fn is_empty(&self) -> bool {
        self.search.trim().is_empty()
            && self.status.is_none()
            && self.source.is_none()
            && self.label.trim().is_empty()
            && self.owner.trim().is_empty()
    }

    /// The `FROM … WHERE …` of the list, its parameters numbered from
    /// `$first`: the backlog first, then the filter's in [`Self::bind`]'s order.
    fn sql(&self, first: usize) -> String {
        let mut n = first;
        let mut next = || {
            n += 1;
            format!("${}", n)
        };
        let mut sql = format!(" FROM requirements r WHERE r.backlog_id = ${first}");
        if !self.search.trim().is_empty() {
            let (a, b) = (next(), next());
            sql.push_str(&format!(
                " AND (lower(r.title) LIKE {a} ESCAPE '\\' OR lower(r.description) LIKE {b} ESCAPE '\\')"
            ));
        }
        if self.status.is_some() {
            sql.push_str(&format!(" AND r.status = {}", next()));
        }
        if self.source.is_some() {
            sql.push_str(&format!(" AND r.source = {}", next()));
        }
        if !self.label.trim().is_empty() {
            sql.push_str(&format!(" AND EXISTS (SELECT 1 FROM requirement_labels l WHERE l.requirement_id = r.id AND l.label = {})", next()));
        }
        match self.owner.trim() {
            "" => {}
            "none" => sql.push_str(" AND r.owner_id IS NULL"),
            _ => sql.push_str(&format!(" AND r.owner_id = {}", next())),
        }
        sql
    }

    /// How many parameters [`Self::sql`] adds after the backlog's.
    fn params(&self) -> usize {
        2 * usize::from(!self.search.trim().is_empty())
            + usize::from(self.status.is_some())
            + usize::from(self.source.is_some())
            + usize::from(!self.label.trim().is_empty())
            + usize::from(!matches!(self.owner.trim(), "" | "none"))
    }

    fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let search = self.search.trim();
        if !search.is_empty() {
            let p = like_pattern(search);
            q = q.bind(p.clone()).bind(p);
        }
        if let Some(s) = self.status {
            q = q.bind(s);
        }
        if let Some(s) = self.source {
            q = q.bind(s);
        }
        if !self.label.trim().is_empty() {
            q = q.bind(self.label.trim());
        }
        if !matches!(self.owner.trim(), "" | "none") {
            q = q.bind(self.owner.trim());
        }
        q
    }
}

fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Rank => " ORDER BY r.rank_key, r.id",
        Sort::Score => " ORDER BY r.score IS NULL, r.score DESC, r.rank_key, r.id",
        Sort::Votes => " ORDER BY votes DESC, r.rank_key, r.id",
        Sort::Newest => " ORDER BY r.created_at DESC, r.id",
        Sort::Oldest => " ORDER BY r.created_at, r.id",
    }
}

/// One page of the list in the chosen order; a search matches substrings of
/// title and description (so Chinese words are found). Reads the page and
/// the few rows around it, never the whole backlog.
#[allow(clippy::too_many_arguments)]
pub async fn requirements_page(
    pool: &AnyPool,
    backlog_id: &str,
    // The backlog's size, the total when nothing narrows the list.
    backlog_size: i64,
    viewer_id: &str,
    filter: &ListFilter<'_>,
    sort: Sort,
    offset: i64,
    limit: i64,
) -> AppResult<RequirementPage> {
    let total: i64 = if filter.is_empty() {
        backlog_size
    } else {
        let count_sql = format!("SELECT COUNT(*){}", filter.sql(1));
        filter
            .bind(sqlx::query(&count_sql).bind(backlog_id))
            .fetch_one(pool)
            .await?
            .try_get(0)?
    };
    let offset = offset.clamp(0, (total - 1).max(0));
    let offset = offset - offset % limit;
    // Two rows before the page and one after come along for moves at its edges.
    let from = (offset - 2).max(0);
    // The list leaves descriptions out (the requirement page shows them).
    let columns = ROW_COLUMNS.replace("r.description,", "'' AS description,");
    // The viewer is $1 (in the columns), the backlog $2, the filter's next.
    let last = 2 + filter.params();
    let sql = format!(
        "SELECT {columns}{}{} LIMIT ${} OFFSET ${}",
        filter.sql(2),
        order_by(sort),
        last + 1,
        last + 2
    );
    let rows = filter
        .bind(sqlx::query(&sql).bind(viewer_id).bind(backlog_id))
        .bind(limit + (offset - from) + 1)
        .bind(from)
        .fetch_all(pool)
        .await?;
    let mut all: Vec<RequirementRow> = rows.iter().map(requirement_of).collect::<AppResult<_>>()?;
    let skip = (offset - from) as usize;
    let before: Vec<String> = all.iter().take(skip).map(|r| r.id.clone()).collect();
    if sort == Sort::Rank {
        let flags = super::model::out_of_order(&all.iter().map(|r| r.score).collect::<Vec<_>>());
        for (r, f) in all.iter_mut().zip(flags) {
            r.out_of_order = f;
        }
    }
    let mut rows: Vec<RequirementRow> = all.into_iter().skip(skip).collect();
    let after = if rows.len() as i64 > limit {
        rows.pop().map(|r| r.id)
    } else {
        None
    };
    Ok(RequirementPage {
        unscored: 0,
        can_undo_reset: false,
        rows,
        total,
        offset,
        before,
        after,
    })
}

pub async fn requirement(
    pool: &AnyPool,
    id: &str,
    viewer_id: &str,
) -> AppResult<Option<RequirementRow>> {
    let row = sqlx::query(&format!(
        "SELECT {ROW_COLUMNS} FROM requirements r WHERE r.id = $2"
    ))
    .bind(viewer_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(requirement_of).transpose()
}

/// The key of the last requirement of a backlog.
pub async fn last_key<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    backlog_id: &str,
) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT rank_key FROM requirements WHERE backlog_id = $1 ORDER BY rank_key DESC, id DESC LIMIT 1",
    )
    .bind(backlog_id)
    .fetch_optional(exec)
    .await?)
}

/// The (key, id) ranked directly after `after` (none: the first), leaving
/// `skip` out.
async fn next_after(
    pool: &AnyPool,
    backlog_id: &str,
    skip: &str,
    after: Option<(&str, &str)>,
) -> AppResult<Option<(String, String)>> {
    let row = match after {
        None => {
            sqlx::query(
                "SELECT rank_key, id FROM requirements WHERE backlog_id = $1 AND id <> $2
             ORDER BY rank_key, id LIMIT 1",
            )
            .bind(backlog_id)
            .bind(skip)
            .fetch_optional(pool)
            .await?
        }
        Some((key, id)) => {
            sqlx::query(
                "SELECT rank_key, id FROM requirements WHERE backlog_id = $1 AND id <> $2
               AND rank_key >= $3 AND (rank_key > $4 OR id > $5)
             ORDER BY rank_key, id LIMIT 1",
            )
            .bind(backlog_id)
            .bind(skip)
            .bind(key)
            .bind(key)
            .bind(id)
            .fetch_optional(pool)
            .await?
        }
    };
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// The (key, id) ranked directly before `before`, leaving `skip` out.
async fn previous_before(
    pool: &AnyPool,
    backlog_id: &str,
    skip: &str,
    before: Option<(&str, &str)>,
) -> AppResult<Option<(String, String)>> {
    let row = match before {
        None => {
            sqlx::query(
                "SELECT rank_key, id FROM requirements WHERE backlog_id = $1 AND id <> $2
             ORDER BY rank_key DESC, id DESC LIMIT 1",
            )
            .bind(backlog_id)
            .bind(skip)
            .fetch_optional(pool)
            .await?
        }
        Some((key, id)) => {
            sqlx::query(
                "SELECT rank_key, id FROM requirements WHERE backlog_id = $1 AND id <> $2
               AND rank_key <= $3 AND (rank_key < $4 OR id < $5)
             ORDER BY rank_key DESC, id DESC LIMIT 1",
            )
            .bind(backlog_id)
            .bind(skip)
            .bind(key)
            .bind(key)
            .bind(id)
            .fetch_optional(pool)
            .await?
        }
    };
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// The neighbours' keys for putting `id` just after `after_id` (empty: at the
/// top). Reads two rows. `None` when `after_id` is not in the backlog.
pub async fn keys_for_move(
    pool: &AnyPool,
    backlog_id: &str,
    id: &str,
    after_id: &str,
) -> AppResult<Option<(Option<String>, Option<String>)>> {
    if after_id.is_empty() {
        let next = next_after(pool, backlog_id, id, None).await?;
        return Ok(Some((None, next.map(|n| n.0))));
    }
    let anchor: Option<String> = sqlx::query_scalar(
        "SELECT rank_key FROM requirements WHERE id = $1 AND backlog_id = $2 AND id <> $3",
    )
    .bind(after_id)
    .bind(backlog_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(anchor) = anchor else {
        return Ok(None);
    };
    let next = next_after(pool, backlog_id, id, Some((&anchor, after_id))).await?;
    Ok(Some((Some(anchor), next.map(|n| n.0))))
}

/// The neighbours' keys for an unpinned requirement with a new `score`: just
/// before the first unpinned one that scores lower (see
/// `model::placement_index`), stepping over pinned ones.
pub async fn keys_for_score(
    pool: &AnyPool,
    backlog_id: &str,
    id: &str,
    score: f64,
) -> AppResult<(Option<String>, Option<String>)> {
    let target = sqlx::query(
        "SELECT rank_key, id FROM requirements WHERE backlog_id = $1 AND id <> $2 AND pinned = 0
           AND (score IS NULL OR score < $3)
         ORDER BY rank_key, id LIMIT 1",
    )
    .bind(backlog_id)
    .bind(id)
    .bind(score)
    .fetch_optional(pool)
    .await?;
    let target: Option<(String, String)> = target
        .map(|r| AppResult::Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()?;
    let before = previous_before(
        pool,
        backlog_id,
        id,
        target.as_ref().map(|(k, i)| (k.as_str(), i.as_str())),
    )
    .await?;
    Ok((before.map(|b| b.0), target.map(|t| t.0)))
}

/// Stores new score inputs (checked against the version) and, when given,
/// the requirement's new place. One row.
pub async fn set_score(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    input: &ScoreInput,
    score: f64,
    rank_key: Option<&str>,
    now: &str,
) -> AppResult<()> {
    let json = serde_json::to_string(input).map_err(|_| AppError::internal())?;
    let done = sqlx::query(
        "UPDATE requirements SET score_input = $1, score = $2, rank_key = COALESCE($3, rank_key),
             version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6",
    )
    .bind(json)
    .bind(score)
    .bind(rank_key)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// Moves one requirement: one row written.
pub async fn set_rank(
    conn: &mut AnyConnection,
    id: &str,
    key: &str,
    pinned: bool,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE requirements SET rank_key = $1, pinned = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(key)
    .bind(pinned as i64)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    status: Status,
    reason: Option<&str>,
    duplicate_of: Option<&str>,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE requirements SET status = $1, reject_reason = $2, duplicate_of = $3, status_changed_at = $4,
             version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7",
    )
    .bind(status)
    .bind(reason)
    .bind(duplicate_of)
    .bind(now)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// Records who did what to a requirement and when (in a transaction or not).
pub async fn record_event<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    requirement_id: &str,
    actor_id: &str,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO requirement_events (id, requirement_id, actor_id, kind, from_value, to_value, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(requirement_id)
    .bind(actor_id)
    .bind(kind)
    .bind(from)
    .bind(to)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(())
}

/// Casts (`voted`) or takes back the caller's vote: a set, not a toggle, so
/// that sending it twice leaves one vote (or none). One per person.
pub async fn set_vote(
    conn: &mut AnyConnection,
    requirement_id: &str,
    user_id: &str,
    voted: bool,
    now: &str,
) -> AppResult<()> {
    if voted {
        sqlx::query(
            "INSERT INTO votes (requirement_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(requirement_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("DELETE FROM votes WHERE requirement_id = $1 AND user_id = $2")
            .bind(requirement_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Lays a backlog out in the given order with fresh keys and unpins every
/// requirement ("reset to score order").
pub async fn reset_keys(
    conn: &mut AnyConnection,
    ids: &[&str],
    keys: &[String],
    now: &str,
) -> AppResult<()> {
    for (id, key) in ids.iter().zip(keys) {
        sqlx::query(
            "UPDATE requirements SET rank_key = $1, pinned = 0, updated_at = $2 WHERE id = $3",
        )
        .bind(key)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The labels used in a backlog, for the label filter.
pub async fn labels(pool: &AnyPool, backlog_id: &str) -> AppResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT l.label FROM requirement_labels l JOIN requirements r ON r.id = l.requirement_id
         WHERE r.backlog_id = $1 ORDER BY l.label LIMIT 500",
    )
    .bind(backlog_id)
    .fetch_all(pool)
    .await?)
}

pub async fn insert_evidence(
    conn: &mut AnyConnection,
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
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(requirement_id)
    .bind(kind)
    .bind(body)
    .bind(source)
    .bind(author_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_labels(
    conn: &mut AnyConnection,
    requirement_id: &str,
    labels: &[String],
) -> AppResult<()> {
    sqlx::query("DELETE FROM requirement_labels WHERE requirement_id = $1")
        .bind(requirement_id)
        .execute(&mut *conn)
        .await?;
    for label in labels {
        sqlx::query("INSERT INTO requirement_labels (requirement_id, label) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(requirement_id)
            .bind(label)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn draft_of(r: &sqlx::any::AnyRow) -> AppResult<super::model::RequirementDraft> {
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
        labels: split_labels(labels),
    })
}

/// The backlog in rank order as a CSV file, read row by row: the intake
/// fields, then id, version, state (as `status` names it), score, owner's
/// email, votes and rank; headers in Chinese when `zh`.
pub async fn export_csv(
    pool: &AnyPool,
    backlog_id: &str,
    zh: bool,
    status: impl Fn(Status) -> &'static str,
) -> AppResult<Vec<u8>> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT r.id, r.title, r.description, r.source, r.requester, r.customer, r.segment, r.links,
            (SELECT string_agg(l.label, '\n' ORDER BY l.label) FROM requirement_labels l WHERE l.requirement_id = r.id) AS labels,
            r.version, r.status, r.score,
            (SELECT u.email FROM users u WHERE u.id = r.owner_id) AS owner_email,
            (SELECT COUNT(*) FROM votes v WHERE v.requirement_id = r.id) AS votes
         FROM requirements r WHERE r.backlog_id = $1 ORDER BY r.rank_key, r.id",
    )
    .bind(backlog_id)
    .fetch(pool);
    let mut out = super::csv::ExportWriter::new(zh);
    let mut rank = 0;
    while let Some(row) = rows.try_next().await? {
        rank += 1;
        let draft = draft_of(&row)?;
        let id: String = row.try_get("id")?;
        let state: Status = row.try_get("status")?;
        let owner: Option<String> = row.try_get("owner_email")?;
        out.push(&super::csv::ExportRow {
            draft: &draft,
            id: &id,
            version: Some(row.try_get("version")?),
            status: status(state),
            score: row.try_get("score")?,
            owner: owner.as_deref().unwrap_or_default(),
            votes: Some(row.try_get("votes")?),
            rank: Some(rank),
        });
    }
    Ok(out.finish())
}

/// The requirements of a backlog among `ids` (any others are left out), as
/// an import compares its rows with them.
pub async fn import_targets(
    conn: &mut AnyConnection,
    backlog_id: &str,
    ids: &[&str],
) -> AppResult<std::collections::HashMap<String, super::csv::Stored>> {
    use crate::server::db::{Backend, Kind};
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let json = serde_json::to_string(&ids.iter().map(|id| [id]).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let rows = sqlx::query(&format!(
        "SELECT r.id, r.title, r.description, r.source, r.requester, r.customer, r.segment, r.links,
            (SELECT string_agg(l.label, '\n' ORDER BY l.label) FROM requirement_labels l WHERE l.requirement_id = r.id) AS labels,
            r.version, r.owner_id,
            (SELECT u.email FROM users u WHERE u.id = r.owner_id) AS owner_email
         FROM requirements r WHERE r.backlog_id = $1 AND r.id IN (SELECT c0 FROM ({}) ids)",
        Backend::of_conn(conn).json_rows(2, &[Kind::Text])
    ))
    .bind(backlog_id)
    .bind(json)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let owner_email: Option<String> = r.try_get("owner_email")?;
        out.insert(
            r.try_get("id")?,
            super::csv::Stored {
                version: r.try_get("version")?,
                draft: draft_of(&r)?,
                owner_id: r.try_get("owner_id")?,
                owner_email: owner_email.map(|e| e.to_lowercase()),
            },
        );
    }
    Ok(out)
}

pub async fn requirement_extra(
    pool: &AnyPool,
    id: &str,
) -> AppResult<super::model::RequirementExtra> {
    let r = sqlx::query(
        "SELECT r.requester, r.customer, r.segment, r.links, r.reject_reason, r.duplicate_of,
            (SELECT display_name FROM users u WHERE u.id = r.submitted_by) AS submitter,
            (SELECT title FROM requirements k WHERE k.id = r.duplicate_of) AS kept_title
         FROM requirements r WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let links: String = r.try_get("links")?;
    let dup: Option<String> = r.try_get("duplicate_of")?;
    let kept: Option<String> = r.try_get("kept_title")?;
    Ok(super::model::RequirementExtra {
        requester: r.try_get("requester")?,
        customer: r.try_get("customer")?,
        segment: r.try_get("segment")?,
        links: serde_json::from_str(&links).unwrap_or_default(),
        submitted_by_name: r
            .try_get::<Option<String>, _>("submitter")?
            .unwrap_or_default(),
        reject_reason: r.try_get("reject_reason")?,
        duplicate_of: dup.zip(kept),
    })
}

/// A requirement's evidence, oldest first; `mine` marks what `viewer` wrote.
pub async fn evidence(
    pool: &AnyPool,
    requirement_id: &str,
    viewer: &str,
) -> AppResult<Vec<Evidence>> {
    let rows = sqlx::query(
        "SELECT e.id, e.kind, e.body, e.source, e.created_at, e.edited_at, e.author_id, u.display_name
         FROM evidence e JOIN users u ON u.id = e.author_id
         WHERE e.requirement_id = $1 ORDER BY e.created_at, e.id",
    )
    .bind(requirement_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Evidence {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                body: r.try_get("body")?,
                source: r.try_get("source")?,
                author_name: r.try_get("display_name")?,
                created_at: r.try_get("created_at")?,
                edited_at: r.try_get("edited_at")?,
                mine: r.try_get::<String, _>("author_id")? == viewer,
            })
        })
        .collect()
}

fn history_of(r: &sqlx::any::AnyRow) -> AppResult<HistoryEntry> {
    let kind: String = r.try_get("kind")?;
    let from: Option<String> = r.try_get("from_value")?;
    let to: Option<String> = r.try_get("to_value")?;
    let changes = if kind == "score" {
        let old = from
            .as_deref()
            .and_then(|f| serde_json::from_str::<ScoreInput>(f).ok());
        to.as_deref()
            .and_then(|t| serde_json::from_str::<ScoreInput>(t).ok())
            .map(|new| super::model::score_changes(old.as_ref(), &new))
            .unwrap_or_default()
    } else {
        vec![]
    };
    Ok(HistoryEntry {
        requirement_id: r.try_get("requirement_id")?,
        requirement_title: r.try_get("title")?,
        kind,
        actor_name: r.try_get("display_name")?,
        from,
        to,
        changes,
        at: r.try_get("at")?,
        now_above: r.try_get::<Option<i64>, _>("now_above")?.map(|v| v == 1),
    })
}

/// The history columns; `now_above` is an SQL expression (over `q`, the
/// requirement the entry belongs to) saying whether it is ranked above the
/// one asked about, or NULL.
fn history_select(now_above: &str) -> String {
    format!(
        "SELECT e.requirement_id, q.title, e.kind, e.from_value, e.to_value, e.at, u.display_name,
                {now_above} AS now_above
         FROM requirement_events e JOIN users u ON u.id = e.actor_id JOIN requirements q ON q.id = e.requirement_id"
    )
}

/// The newest `limit` entries of what happened to a requirement, newest
/// first, and how many there are in all.
pub async fn history(
    pool: &AnyPool,
    requirement_id: &str,
    limit: i64,
) -> AppResult<(Vec<HistoryEntry>, i64)> {
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM requirement_events WHERE requirement_id = $1")
            .bind(requirement_id)
            .fetch_one(pool)
            .await?;
    let rows = sqlx::query(&format!(
        "{} WHERE e.requirement_id = $1 ORDER BY e.at DESC, e.rowid DESC LIMIT $2",
        history_select("NULL")
    ))
    .bind(requirement_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok((
        rows.iter().map(history_of).collect::<AppResult<_>>()?,
        total,
    ))
}

/// "Why did this move since `since`": the requirement's own changes; those
/// of requirements now ranked above it that were created, scored, moved,
/// reordered or changed state since then (they may have risen past it); and
/// those of requirements now below it that were scored, moved, reordered or
/// changed state (they may have dropped past it, which let it rise).
pub async fn changes_since(
    pool: &AnyPool,
    req: &RequirementRow,
    since: &str,
) -> AppResult<Vec<HistoryEntry>> {
    // ?1 the requirement, ?2 its key, ?3 since, ?4 its backlog.
    let rows = sqlx::query(&format!(
        "{}
         WHERE e.at >= $3 AND q.backlog_id = $4
           AND (e.requirement_id = $1
                OR e.kind IN ('score', 'move', 'reset', 'status', 'unreset', 'reopen', 'rescore')
                OR (e.kind = 'created' AND (q.rank_key < $2 OR (q.rank_key = $2 AND q.id < $1))))
         ORDER BY e.at, e.rowid LIMIT 200",
        history_select(
            "CASE WHEN q.id = $1 THEN NULL WHEN q.rank_key < $2 OR (q.rank_key = $2 AND q.id < $1) THEN 1 ELSE 0 END"
        )
    ))
    .bind(&req.id)
    .bind(&req.rank_key)
    .bind(since)
    .bind(&req.backlog_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(history_of).collect()
}

/// Place in rank order (1-based) and the backlog's size.
pub async fn position(pool: &AnyPool, req: &RequirementRow) -> AppResult<(i64, i64)> {
    let r = sqlx::query(
        "SELECT
            (SELECT COUNT(*) FROM requirements WHERE backlog_id = $1 AND (rank_key < $2 OR (rank_key = $2 AND id < $3))),
            (SELECT COUNT(*) FROM requirements WHERE backlog_id = $1)",
    )
    .bind(&req.backlog_id)
    .bind(&req.rank_key)
    .bind(&req.id)
    .fetch_one(pool)
    .await?;
    Ok((r.try_get::<i64, _>(0)? + 1, r.try_get(1)?))
}

pub async fn set_owner_and_labels(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    owner: Option<&str>,
    labels: &[String],
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE requirements SET owner_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
    )
    .bind(owner)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)?;
    set_labels(&mut *conn, id, labels).await
}

/// A duplicate's merge as stored, so that it can be undone.
pub struct Merge {
    pub kept_id: String,
    pub previous_status: Status,
    pub moved_votes: Vec<String>,
    pub moved_evidence: Vec<String>,
    pub kept_status: Status,
    pub at: String,
}

/// Marks `dup` a duplicate of `kept` and moves its votes (of people who had
/// not voted for the kept one) and evidence over, in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn merge(
    conn: &mut AnyConnection,
    dup: &RequirementRow,
    kept: &RequirementRow,
    actor_id: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE requirements SET status = 'duplicate', duplicate_of = $1, reject_reason = NULL,
             status_changed_at = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5",
    )
    .bind(&kept.id)
    .bind(now)
    .bind(now)
    .bind(&dup.id)
    .bind(dup.version)
    .execute(&mut *conn)
    .await?;
    versioned(done)?;
    let voters: Vec<String> = sqlx::query_scalar(
        "SELECT user_id FROM votes WHERE requirement_id = $1
           AND user_id NOT IN (SELECT user_id FROM votes WHERE requirement_id = $2)",
    )
    .bind(&dup.id)
    .bind(&kept.id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE votes SET requirement_id = $1 WHERE requirement_id = $2
           AND user_id NOT IN (SELECT user_id FROM votes WHERE requirement_id = $3)",
    )
    .bind(&kept.id)
    .bind(&dup.id)
    .bind(&kept.id)
    .execute(&mut *conn)
    .await?;
    let evidence: Vec<String> =
        sqlx::query_scalar("SELECT id FROM evidence WHERE requirement_id = $1")
            .bind(&dup.id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("UPDATE evidence SET requirement_id = $1 WHERE requirement_id = $2")
        .bind(&kept.id)
        .bind(&dup.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO requirement_merges (duplicate_id, kept_id, previous_status, moved_votes, moved_evidence, kept_status, actor_id, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (duplicate_id) DO UPDATE SET kept_id = excluded.kept_id, previous_status = excluded.previous_status,
             moved_votes = excluded.moved_votes, moved_evidence = excluded.moved_evidence,
             kept_status = excluded.kept_status, actor_id = excluded.actor_id, at = excluded.at",
    )
    .bind(&dup.id)
    .bind(&kept.id)
    .bind(dup.status)
    .bind(serde_json::to_string(&voters).unwrap_or_default())
    .bind(serde_json::to_string(&evidence).unwrap_or_default())
    .bind(kept.status)
    .bind(actor_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    record_event(
        &mut *conn,
        &dup.id,
        actor_id,
        "merge",
        Some(dup.status.as_str()),
        Some(&kept.id),
        now,
    )
    .await?;
    Ok(())
}

pub async fn merge_of(pool: &AnyPool, dup_id: &str) -> AppResult<Option<Merge>> {
    let r = sqlx::query(
        "SELECT kept_id, previous_status, moved_votes, moved_evidence, kept_status, at FROM requirement_merges WHERE duplicate_id = $1",
    )
    .bind(dup_id)
    .fetch_optional(pool)
    .await?;
    r.map(|r| {
        let votes: String = r.try_get("moved_votes")?;
        let evidence: String = r.try_get("moved_evidence")?;
        Ok(Merge {
            kept_id: r.try_get("kept_id")?,
            previous_status: r.try_get("previous_status")?,
            moved_votes: serde_json::from_str(&votes).unwrap_or_default(),
            moved_evidence: serde_json::from_str(&evidence).unwrap_or_default(),
            kept_status: r.try_get("kept_status")?,
            at: r.try_get("at")?,
        })
    })
    .transpose()
}

/// Undoes a merge: the duplicate gets its state back, and the votes and
/// evidence that moved return to it.
pub async fn unmerge(
    conn: &mut AnyConnection,
    dup: &RequirementRow,
    merge: &Merge,
    actor_id: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE requirements SET status = $1, duplicate_of = NULL, status_changed_at = $2,
             version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5 AND status = 'duplicate'",
    )
    .bind(merge.previous_status)
    .bind(now)
    .bind(now)
    .bind(&dup.id)
    .bind(dup.version)
    .execute(&mut *conn)
    .await?;
    versioned(done)?;
    for user in &merge.moved_votes {
        sqlx::query(
            "UPDATE votes SET requirement_id = $1 WHERE requirement_id = $2 AND user_id = $3",
        )
        .bind(&dup.id)
        .bind(&merge.kept_id)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    }
    for ev in &merge.moved_evidence {
        sqlx::query(
            "UPDATE evidence SET requirement_id = $1 WHERE id = $2 AND requirement_id = $3",
        )
        .bind(&dup.id)
        .bind(ev)
        .bind(&merge.kept_id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM requirement_merges WHERE duplicate_id = $1")
        .bind(&dup.id)
        .execute(&mut *conn)
        .await?;
    record_event(
        &mut *conn,
        &dup.id,
        actor_id,
        "unmerge",
        Some(&merge.kept_id),
        Some(merge.previous_status.as_str()),
        now,
    )
    .await?;
    Ok(())
}

/// Titles of the duplicates merged into a requirement.
pub async fn merged_into(pool: &AnyPool, kept_id: &str) -> AppResult<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT id, title FROM requirements WHERE duplicate_of = $1 ORDER BY status_changed_at",
    )
    .bind(kept_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// The requirements a person submitted, newest first, with their place in
/// rank order while open.
pub async fn submitted_by(
    pool: &AnyPool,
    user_id: &str,
    search: &str,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<MySubmission>, i64)> {
    let search = search.trim();
    let pattern = if search.is_empty() {
        "%".to_string()
    } else {
        crate::server::db::like_pattern(search)
    };
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM requirements r WHERE r.submitted_by = $1 AND lower(r.title) LIKE $2 ESCAPE '\\'",
    )
    .bind(user_id)
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(
        "SELECT r.id, r.title, b.name AS backlog_name, r.status, r.status_changed_at, r.created_at,
            r.reject_reason, r.duplicate_of,
            (SELECT title FROM requirements k WHERE k.id = r.duplicate_of) AS kept_title,
            (SELECT COUNT(*) FROM requirements o WHERE o.backlog_id = r.backlog_id
                AND (o.rank_key < r.rank_key OR (o.rank_key = r.rank_key AND o.id < r.id))) + 1 AS position,
            (SELECT COUNT(*) FROM requirements o WHERE o.backlog_id = r.backlog_id) AS total,
            (SELECT COUNT(*) FROM votes v WHERE v.requirement_id = r.id) AS votes
         FROM requirements r JOIN backlogs b ON b.id = r.backlog_id
         WHERE r.submitted_by = $1 AND lower(r.title) LIKE $2 ESCAPE '\\'
         ORDER BY r.created_at DESC, r.id LIMIT $3 OFFSET $4",
    )
    .bind(user_id)
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let list = rows
        .iter()
        .map(|r| {
            let status: Status = r.try_get("status")?;
            let dup: Option<String> = r.try_get("duplicate_of")?;
            let kept: Option<String> = r.try_get("kept_title")?;
            let open = !status.is_closed();
            Ok(MySubmission {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                backlog_name: r.try_get("backlog_name")?,
                status,
                status_changed_at: r.try_get("status_changed_at")?,
                created_at: r.try_get("created_at")?,
                reject_reason: r.try_get("reject_reason")?,
                duplicate_of: dup.zip(kept),
                position: if open {
                    Some(r.try_get("position")?)
                } else {
                    None
                },
                total: r.try_get("total")?,
                votes: r.try_get("votes")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok((list, total))
}

/// Raw figures of the backlog dashboard: per requirement its status, score,
/// source, title, creation and last state change.
pub struct OverviewRow {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub source: Source,
    pub score: Option<f64>,
    pub created_at: String,
    pub status_changed_at: String,
}

pub async fn overview_rows(pool: &AnyPool, backlog_id: &str) -> AppResult<Vec<OverviewRow>> {
    let rows = sqlx::query(
        "SELECT id, title, status, source, score, created_at, status_changed_at
         FROM requirements WHERE backlog_id = $1",
    )
    .bind(backlog_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OverviewRow {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                status: r.try_get("status")?,
                source: Source::parse_any(r.try_get::<&str, _>("source")?)
                    .ok_or_else(AppError::internal)?,
                score: r.try_get("score")?,
                created_at: r.try_get("created_at")?,
                status_changed_at: r.try_get("status_changed_at")?,
            })
        })
        .collect()
}

/// Group scoring (priority poker).
pub mod poker;

/// A requirement's intake fields as its submitter or the team's PMs correct
/// them (the same rules as submitting, `model::parse_requirement`), or as an
/// import sets them. `owner` is `None` to keep the owner, `Some(o)` to set it
/// (an import sets the owner its file names, or none), in the same versioned write.
pub async fn set_fields(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    d: &super::model::RequirementDraft,
    owner: Option<Option<&str>>,
    now: &str,
) -> AppResult<()> {
    let links = serde_json::to_string(&d.links).unwrap_or_else(|_| "[]".into());
    let done = sqlx::query(
        "UPDATE requirements SET title = $1, description = $2, source = $3, requester = $4, customer = $5,
             segment = $6, links = $7, owner_id = CASE WHEN $8 = 1 THEN $9 ELSE owner_id END,
             version = version + 1, updated_at = $10
         WHERE id = $11 AND version = $12",
    )
    .bind(&d.title)
    .bind(&d.description)
    .bind(d.source.unwrap_or(Source::InternalIdea))
    .bind(&d.requester)
    .bind(&d.customer)
    .bind(&d.segment)
    .bind(links)
    .bind(i64::from(owner.is_some()))
    .bind(owner.flatten())
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// Renames a backlog and sets its framework.
pub async fn set_backlog_settings(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    name: &str,
    framework: super::model::Framework,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE backlogs SET name = $1, framework = $2, version = version + 1, updated_at = $3
         WHERE id = $4 AND version = $5",
    )
    .bind(name)
    .bind(framework)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// The framework changed: every score of the backlog is cleared (each
/// requirement's old inputs go into its history as a "rescore" entry, with
/// the new framework) and the requirements wait to be scored again. Their
/// order stays as it was.
pub async fn clear_scores(
    conn: &mut AnyConnection,
    backlog_id: &str,
    actor_id: &str,
    framework: super::model::Framework,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO requirement_events (id, requirement_id, actor_id, kind, from_value, to_value, at)
         SELECT 'rescore-' || id || '-' || $1, id, $2, 'rescore', score_input, $3, $4
         FROM requirements WHERE backlog_id = $5 AND score_input IS NOT NULL",
    )
    .bind(now)
    .bind(actor_id)
    .bind(framework)
    .bind(now)
    .bind(backlog_id)
    .execute(&mut *conn)
    .await?;
    // Every requirement's version moves on, scored or not, so that a score
    // sent in the old framework meanwhile is refused as stale.
    sqlx::query(
        "UPDATE requirements SET score_input = NULL, score = NULL, version = version + 1, updated_at = $1
         WHERE backlog_id = $2",
    )
    .bind(now)
    .bind(backlog_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What the list says waits in a backlog, in one query: the open
/// requirements without a score, and whether the last reset can be undone.
pub async fn waiting(pool: &AnyPool, backlog_id: &str) -> AppResult<(i64, bool)> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM requirements WHERE backlog_id = $1 AND score IS NULL
                    AND status IN ('new', 'under_review', 'planned', 'in_progress')) AS unscored,
                (SELECT COUNT(*) FROM backlog_resets WHERE backlog_id = $1) AS resets",
    )
    .bind(backlog_id)
    .fetch_one(pool)
    .await?;
    Ok((
        row.try_get("unscored")?,
        row.try_get::<i64, _>("resets")? > 0,
    ))
}

/// The order before a "reset to score order", kept until the next manual
/// move so that the reset can be undone.
pub async fn save_reset(
    conn: &mut AnyConnection,
    backlog_id: &str,
    previous: &[OrderRow],
    actor_id: &str,
    now: &str,
) -> AppResult<()> {
    let rows: Vec<(&str, &str, bool)> = previous
        .iter()
        .map(|r| (r.id.as_str(), r.rank_key.as_str(), r.pinned))
        .collect();
    let json = serde_json::to_string(&rows).map_err(|_| AppError::internal())?;
    forget_reset(&mut *conn, backlog_id).await?;
    sqlx::query(
        "INSERT INTO backlog_resets (backlog_id, previous, actor_id, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(backlog_id)
    .bind(json)
    .bind(actor_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A manual move ends the chance to undo the last reset.
pub async fn forget_reset(conn: &mut AnyConnection, backlog_id: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM backlog_resets WHERE backlog_id = $1")
        .bind(backlog_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts the order from before the last reset back (keys and "placed by
/// hand" marks of the requirements that were there; ones submitted since
/// keep their places) and records it in each restored requirement's history
/// that was placed by hand. `None` when there is nothing to undo.
pub async fn undo_reset(
    conn: &mut AnyConnection,
    backlog_id: &str,
    actor_id: &str,
    now: &str,
) -> AppResult<Option<usize>> {
    // Taken and removed in one statement, so that of two undos (or an undo
    // and a move) on PostgreSQL only one ever acts on it.
    let previous: Option<String> =
        sqlx::query_scalar("DELETE FROM backlog_resets WHERE backlog_id = $1 RETURNING previous")
            .bind(backlog_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(previous) = previous else {
        return Ok(None);
    };
    let rows: Vec<(String, String, bool)> =
        serde_json::from_str(&previous).map_err(|_| AppError::internal())?;
    for (id, key, pinned) in &rows {
        sqlx::query(
            "UPDATE requirements SET rank_key = $1, pinned = $2, updated_at = $3 WHERE id = $4 AND backlog_id = $5",
        )
        .bind(key)
        .bind(i64::from(*pinned))
        .bind(now)
        .bind(id)
        .bind(backlog_id)
        .execute(&mut *conn)
        .await?;
        if *pinned {
            record_event(&mut *conn, id, actor_id, "unreset", None, None, now).await?;
        }
    }
    Ok(Some(rows.len()))
}

/// Corrects a piece of evidence (its author only: `author_id` must match).
/// False when there is no such evidence by that author.
pub async fn set_evidence(
    conn: &mut AnyConnection,
    id: &str,
    author_id: &str,
    kind: EvidenceKind,
    body: &str,
    source: &str,
    now: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE evidence SET kind = $1, body = $2, source = $3, edited_at = $4 WHERE id = $5 AND author_id = $6",
    )
    .bind(kind)
    .bind(body)
    .bind(source)
    .bind(now)
    .bind(id)
    .bind(author_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a piece of evidence (its author only). False when there is no
/// such evidence by that author.
pub async fn delete_evidence(
    conn: &mut AnyConnection,
    id: &str,
    author_id: &str,
) -> AppResult<bool> {
    let done = sqlx::query("DELETE FROM evidence WHERE id = $1 AND author_id = $2")
        .bind(id)
        .bind(author_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Who wrote a piece of evidence and on which requirement.
pub async fn evidence_owner(pool: &AnyPool, id: &str) -> AppResult<Option<(String, String)>> {
    let row = sqlx::query("SELECT author_id, requirement_id FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| Ok((r.try_get("author_id")?, r.try_get("requirement_id")?)))
        .transpose()
}
