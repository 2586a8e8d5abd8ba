//! SQL of growth and training plans. Every function is a plain read or a
//! version-checked write; authorisation happens in `api`.
use super::model::{
    CatalogEntry, Competency, Expectation, Framework, ItemKind, ItemStatus, Level, Meeting,
    Mentorship, Names, Period, Track,
};
use crate::error::{AppError, AppResult, ErrorCode};
use sqlx::{AnyConnection, AnyPool};
use std::collections::BTreeMap;

fn stale() -> AppError {
    AppError::new(ErrorCode::StaleVersion)
}

use crate::server::db::versioned;

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Whether an insert (ignoring a repeated id) stored its row; a unique name
/// or code already used by another row is an error at `field`.
fn inserted(res: Result<sqlx::any::AnyQueryResult, sqlx::Error>, field: &str) -> AppResult<bool> {
    match res {
        Ok(r) => Ok(r.rows_affected() == 1),
        Err(e) if is_unique_violation(&e) => Err(AppError::field(ErrorCode::NameTaken, field)),
        Err(e) => Err(e.into()),
    }
}

/// Whether a version-checked update found its row at that version; a unique
/// name or code already used by another row is an error at `field`.
fn updated(res: Result<sqlx::any::AnyQueryResult, sqlx::Error>, field: &str) -> AppResult<()> {
    match res {
        Ok(done) => versioned(done),
        Err(e) if is_unique_violation(&e) => Err(AppError::field(ErrorCode::NameTaken, field)),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- periods

pub async fn periods(pool: &AnyPool) -> AppResult<Vec<Period>> {
    type Row = (
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.id, p.name, p.start_date, p.end_date, p.version, p.closed_at, u.display_name
         FROM periods p LEFT JOIN users u ON u.id = p.closed_by
         ORDER BY p.start_date DESC, p.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, start_date, end_date, version, closed_at, closed_by)| Period {
                id,
                name,
                start_date,
                end_date,
                version,
                closed_at,
                closed_by,
            },
        )
        .collect())
}

/// Renames a period or moves its dates, checked against `p.version`; a name
/// another period has is an error at "name".
pub async fn update_period(conn: &mut AnyConnection, p: &Period) -> AppResult<()> {
    let res = sqlx::query(
        "UPDATE periods SET name = $1, start_date = $2, end_date = $3, version = version + 1
         WHERE id = $4 AND version = $5",
    )
    .bind(&p.name)
    .bind(&p.start_date)
    .bind(&p.end_date)
    .bind(&p.id)
    .bind(p.version)
    .execute(&mut *conn)
    .await;
    updated(res, "name")
}

/// Creates a period; `false` when this id exists already (a repeated create).
pub async fn insert_period(pool: &AnyPool, p: &Period, now: &str) -> AppResult<bool> {
    let res = sqlx::query(
        "INSERT INTO periods (id, name, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&p.id)
    .bind(&p.name)
    .bind(&p.start_date)
    .bind(&p.end_date)
    .bind(now)
    .execute(pool)
    .await;
    inserted(res, "name")
}

// ---------------------------------------------------------------- framework

pub async fn tracks(pool: &AnyPool) -> AppResult<Vec<Track>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, name_en, name_zh FROM tracks ORDER BY created_at, id")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, en, zh)| Track {
            id,
            names: Names { en, zh },
        })
        .collect())
}

/// The competencies of the first track (the dashboard's and catalog's columns).
pub async fn default_competencies(pool: &AnyPool) -> AppResult<Vec<Competency>> {
    Ok(match tracks(pool).await?.into_iter().next() {
        Some(t) => framework(pool, &t.id)
            .await?
            .map(|f| f.competencies)
            .unwrap_or_default(),
        None => Vec::new(),
    })
}

pub async fn framework(pool: &AnyPool, track_id: &str) -> AppResult<Option<Framework>> {
    let Some((id, en, zh)): Option<(String, String, String)> =
        sqlx::query_as("SELECT id, name_en, name_zh FROM tracks WHERE id = $1")
            .bind(track_id)
            .fetch_optional(pool)
            .await?
    else {
        return Ok(None);
    };
    let levels: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, code, version, retired_at FROM levels WHERE track_id = $1 ORDER BY position",
    )
    .bind(track_id)
    .fetch_all(pool)
    .await?;
    let comps: Vec<(String, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, key, name_en, name_zh, version, retired_at FROM competencies
         WHERE track_id = $1 ORDER BY position",
    )
    .bind(track_id)
    .fetch_all(pool)
    .await?;
    let cells: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT e.level_id, e.competency_id, e.text_en, e.text_zh, e.rating, e.version
         FROM expectations e JOIN levels l ON l.id = e.level_id WHERE l.track_id = $1",
    )
    .bind(track_id)
    .fetch_all(pool)
    .await?;
    Ok(Some(Framework {
        track: Track {
            id,
            names: Names { en, zh },
        },
        levels: levels
            .into_iter()
            .map(|(id, code, version, retired)| Level {
                id,
                code,
                version,
                retired: retired.is_some(),
            })
            .collect(),
        competencies: comps
            .into_iter()
            .map(|(id, key, en, zh, version, retired)| Competency {
                id,
                key,
                names: Names { en, zh },
                version,
                retired: retired.is_some(),
            })
            .collect(),
        cells: cells
            .into_iter()
            .map(
                |(level_id, competency_id, en, zh, rating, version)| Expectation {
                    level_id,
                    competency_id,
                    text: Names { en, zh },
                    rating: rating as u8,
                    version,
                },
            )
            .collect(),
    }))
}

pub async fn save_expectation(pool: &AnyPool, e: &Expectation) -> AppResult<()> {
    let res = sqlx::query(
        "UPDATE expectations SET text_en = $1, text_zh = $2, rating = $3, version = version + 1
         WHERE level_id = $4 AND competency_id = $5 AND version = $6",
    )
    .bind(&e.text.en)
    .bind(&e.text.zh)
    .bind(e.rating as i64)
    .bind(&e.level_id)
    .bind(&e.competency_id)
    .bind(e.version)
    .execute(pool)
    .await?;
    versioned(res)
}

/// Adds a competency to a track, with an expectation at every level (rated 3,
/// no text yet). `false` when this id exists already.
pub async fn insert_competency(pool: &AnyPool, track_id: &str, c: &Competency) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    let res = sqlx::query(
        "INSERT INTO competencies (id, track_id, key, name_en, name_zh, position)
         SELECT $1, $2, $3, $4, $5, COALESCE(MAX(position), 0) + 1 FROM competencies WHERE track_id = $6
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&c.id)
    .bind(track_id)
    .bind(&c.key)
    .bind(&c.names.en)
    .bind(&c.names.zh)
    .bind(track_id)
    .execute(&mut *tx)
    .await;
    let stored = inserted(res, "key")?;
    if stored {
        sqlx::query(
            "INSERT INTO expectations (level_id, competency_id, rating)
             SELECT id, $1, 3 FROM levels WHERE track_id = $2",
        )
        .bind(&c.id)
        .bind(track_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(stored)
}

/// Adds a level above the track's highest, expecting what the highest does
/// until edited. `false` when this id exists already.
pub async fn insert_level(pool: &AnyPool, track_id: &str, l: &Level) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    let top: Option<(String,)> =
        sqlx::query_as("SELECT id FROM levels WHERE track_id = $1 ORDER BY position DESC LIMIT 1")
            .bind(track_id)
            .fetch_optional(&mut *tx)
            .await?;
    let res = sqlx::query(
        "INSERT INTO levels (id, track_id, code, position)
         SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1 FROM levels WHERE track_id = $4
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&l.id)
    .bind(track_id)
    .bind(&l.code)
    .bind(track_id)
    .execute(&mut *tx)
    .await;
    let stored = inserted(res, "code")?;
    if stored {
        sqlx::query(
            "INSERT INTO expectations (level_id, competency_id, rating)
             SELECT $1, c.id, COALESCE((SELECT rating FROM expectations WHERE level_id = $2 AND competency_id = c.id), 3)
             FROM competencies c WHERE c.track_id = $3",
        )
        .bind(&l.id)
        .bind(top.map(|t| t.0).unwrap_or_default())
        .bind(track_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(stored)
}

/// Adds a track (no levels or competencies yet); `false` when this id
/// exists already. A name another track has (in either language, whatever
/// the case) is an error at that field.
pub async fn insert_track(conn: &mut AnyConnection, t: &Track, now: &str) -> AppResult<bool> {
    for (field, name) in [("name_en", &t.names.en), ("name_zh", &t.names.zh)] {
        let taken: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM tracks WHERE LOWER({field}) = LOWER($1) AND id <> $2"
        ))
        .bind(name)
        .bind(&t.id)
        .fetch_one(&mut *conn)
        .await?;
        if taken > 0 {
            return Err(AppError::field(ErrorCode::NameTaken, field));
        }
    }
    let res = sqlx::query(
        "INSERT INTO tracks (id, name_en, name_zh, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&t.id)
    .bind(&t.names.en)
    .bind(&t.names.zh)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// A competency or a level: the two parts of a track that are renamed,
/// reordered and retired alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Competency,
    Level,
}

impl Part {
    fn table(self) -> &'static str {
        match self {
            Part::Competency => "competencies",
            Part::Level => "levels",
        }
    }
}

/// The track a competency or level belongs to, and whether it is retired.
pub async fn part_state(pool: &AnyPool, part: Part, id: &str) -> AppResult<Option<(String, bool)>> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT track_id, retired_at FROM {} WHERE id = $1",
        part.table()
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(track, retired)| (track, retired.is_some())))
}

pub async fn rename_competency(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    names: &Names,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE competencies SET name_en = $1, name_zh = $2, version = version + 1
         WHERE id = $3 AND version = $4",
    )
    .bind(&names.en)
    .bind(&names.zh)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// Renames a level; a code another level of the track has is an error at "code".
pub async fn rename_level(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    code: &str,
) -> AppResult<()> {
    let res = sqlx::query(
        "UPDATE levels SET code = $1, version = version + 1 WHERE id = $2 AND version = $3",
    )
    .bind(code)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await;
    updated(res, "code")
}

/// Moves a competency or level one place up or down its track, swapping
/// places with its neighbour (both move to a new version). At either end
/// nothing changes.
pub async fn move_part(
    conn: &mut AnyConnection,
    part: Part,
    id: &str,
    version: i64,
    up: bool,
) -> AppResult<()> {
    let table = part.table();
    let track: Option<String> = sqlx::query_scalar(&format!(
        "SELECT track_id FROM {table} WHERE id = $1 AND version = $2"
    ))
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(track) = track else {
        return Err(stale());
    };
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT id, position FROM {table} WHERE track_id = $1 ORDER BY position, id"
    ))
    .bind(&track)
    .fetch_all(&mut *conn)
    .await?;
    let order: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let Some(other) = super::model::neighbour(&order, id, up) else {
        return Ok(());
    };
    let position = |x: &str| rows.iter().find(|r| r.0 == x).map(|r| r.1).unwrap_or(0);
    let (mine, theirs) = (position(id), position(other));
    let sql = format!("UPDATE {table} SET position = $1, version = version + 1 WHERE id = $2");
    for (target, to) in [(id, theirs), (other, mine)] {
        sqlx::query(&sql)
            .bind(to)
            .bind(target)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Retires a competency or level (`at`: when) or puts it back in use (`None`).
pub async fn set_part_retired(
    conn: &mut AnyConnection,
    part: Part,
    id: &str,
    version: i64,
    at: Option<&str>,
) -> AppResult<()> {
    let done = sqlx::query(&format!(
        "UPDATE {} SET retired_at = $1, version = version + 1 WHERE id = $2 AND version = $3",
        part.table()
    ))
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// Every track's levels in the tracks' order, lowest first: (track, level).
pub async fn all_levels(pool: &AnyPool) -> AppResult<Vec<(String, Level)>> {
    let rows: Vec<(String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT l.track_id, l.id, l.code, l.version, l.retired_at FROM levels l
         JOIN tracks t ON t.id = l.track_id ORDER BY t.created_at, t.id, l.position",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(track, id, code, version, retired)| {
            (
                track,
                Level {
                    id,
                    code,
                    version,
                    retired: retired.is_some(),
                },
            )
        })
        .collect())
}

/// A person's track, level and the version of that record.
pub async fn person_level(
    pool: &AnyPool,
    user_id: &str,
) -> AppResult<Option<(String, String, i64)>> {
    Ok(
        sqlx::query_as("SELECT track_id, level_id, version FROM person_levels WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?,
    )
}

/// Sets a person's level; `version` 0 means "had none". A change of level
/// is kept in the promotion history (`level_changes`) with who made it.
pub async fn set_person_level(
    conn: &mut AnyConnection,
    user_id: &str,
    track_id: &str,
    level_id: &str,
    version: i64,
    by: &str,
    now: &str,
) -> AppResult<()> {
    let before: Option<String> =
        sqlx::query_scalar("SELECT level_id FROM person_levels WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    let res = if version == 0 {
        sqlx::query(
            "INSERT INTO person_levels (user_id, track_id, level_id, version, updated_at)
             VALUES ($1, $2, $3, 1, $4) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(track_id)
        .bind(level_id)
        .bind(now)
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE person_levels SET track_id = $1, level_id = $2, version = version + 1, updated_at = $3
             WHERE user_id = $4 AND version = $5",
        )
        .bind(track_id)
        .bind(level_id)
        .bind(now)
        .bind(user_id)
        .bind(version)
        .execute(&mut *conn)
        .await?
    };
    versioned(res)?;
    if before.as_deref() != Some(level_id) {
        sqlx::query(
            "INSERT INTO level_changes (id, user_id, track_id, from_level_id, to_level_id, changed_by, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(user_id)
        .bind(track_id)
        .bind(before)
        .bind(level_id)
        .bind(by)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A person's promotion history, newest first; `changed_at` as stored (UTC).
pub async fn level_changes(
    pool: &AnyPool,
    user_id: &str,
) -> AppResult<Vec<super::model::LevelChange>> {
    type Row = (
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
    );
    let mut rows: Vec<Row> = sqlx::query_as(
        "SELECT f.code, f.retired_at, t.code, t.retired_at, tr.name_en, tr.name_zh, u.display_name, c.changed_at
         FROM level_changes c JOIN levels t ON t.id = c.to_level_id
         LEFT JOIN levels f ON f.id = c.from_level_id
         JOIN tracks tr ON tr.id = c.track_id JOIN users u ON u.id = c.changed_by
         WHERE c.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    // By instant, not by text: RFC 3339 texts of one second with fractions
    // of different lengths do not sort as their instants do.
    let instant = |at: &str| chrono::DateTime::parse_from_rfc3339(at).ok();
    rows.sort_by(|a, b| instant(&b.7).cmp(&instant(&a.7)).then(b.7.cmp(&a.7)));
    Ok(rows
        .into_iter()
        .map(
            |(from, from_retired, to, to_retired, en, zh, by, at)| super::model::LevelChange {
                from,
                from_retired: from_retired.is_some(),
                to,
                to_retired: to_retired.is_some(),
                track: Names { en, zh },
                changed_by: by,
                changed_at: at,
            },
        )
        .collect())
}

// ---------------------------------------------------------------- assessments

/// An assessment's version (0 when none) and its ratings by competency.
pub async fn assessment(
    pool: &AnyPool,
    period_id: &str,
    user_id: &str,
) -> AppResult<(i64, BTreeMap<String, (Option<u8>, Option<u8>)>)> {
    let version: Option<(i64,)> =
        sqlx::query_as("SELECT version FROM assessments WHERE period_id = $1 AND user_id = $2")
            .bind(period_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    let rows: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT competency_id, self_rating, leader_rating FROM ratings WHERE period_id = $1 AND user_id = $2",
    )
    .bind(period_id)
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok((
        version.map(|v| v.0).unwrap_or(0),
        rows.into_iter()
            .map(|(c, s, l)| (c, (s.map(|v| v as u8), l.map(|v| v as u8))))
            .collect(),
    ))
}

/// Saves one column of ratings (self or leader) in one transaction, checked
/// against the assessment's version (0: none yet).
pub async fn save_ratings(
    pool: &AnyPool,
    period_id: &str,
    user_id: &str,
    version: i64,
    as_leader: bool,
    ratings: &[(String, Option<u8>)],
    now: &str,
) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    let res = if version == 0 {
        sqlx::query(
            "INSERT INTO assessments (period_id, user_id, version, updated_at) VALUES ($1, $2, 1, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(period_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE assessments SET version = version + 1, updated_at = $1
             WHERE period_id = $2 AND user_id = $3 AND version = $4",
        )
        .bind(now)
        .bind(period_id)
        .bind(user_id)
        .bind(version)
        .execute(&mut *tx)
        .await?
    };
    if res.rows_affected() != 1 {
        return Err(stale());
    }
    let sql = if as_leader {
        "INSERT INTO ratings (period_id, user_id, competency_id, leader_rating) VALUES ($1, $2, $3, $4)
         ON CONFLICT (period_id, user_id, competency_id) DO UPDATE SET leader_rating = excluded.leader_rating"
    } else {
        "INSERT INTO ratings (period_id, user_id, competency_id, self_rating) VALUES ($1, $2, $3, $4)
         ON CONFLICT (period_id, user_id, competency_id) DO UPDATE SET self_rating = excluded.self_rating"
    };
    for (competency, rating) in ratings {
        sqlx::query(sql)
            .bind(period_id)
            .bind(user_id)
            .bind(competency)
            .bind(rating.map(|r| r as i64))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- plans

#[derive(Debug, Clone)]
pub struct PlanRow {
    pub id: String,
    pub approved_cost: Option<i64>,
    pub approved_by: Option<String>,
    pub version: i64,
}

pub async fn plan(pool: &AnyPool, period_id: &str, user_id: &str) -> AppResult<Option<PlanRow>> {
    let row: Option<(String, Option<i64>, Option<String>, i64)> = sqlx::query_as(
        "SELECT p.id, p.approved_cost, u.display_name, p.version FROM plans p
         LEFT JOIN users u ON u.id = p.approved_by WHERE p.period_id = $1 AND p.user_id = $2",
    )
    .bind(period_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(
        row.map(|(id, approved_cost, approved_by, version)| PlanRow {
            id,
            approved_cost,
            approved_by,
            version,
        }),
    )
}

/// The plan's owner and period.
pub async fn plan_owner(pool: &AnyPool, plan_id: &str) -> AppResult<Option<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT user_id, period_id FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(pool)
            .await?,
    )
}

type ItemTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
);

fn item_of(t: ItemTuple) -> super::model::PlanItem {
    let (
        id,
        kind,
        title,
        competency_id,
        due_date,
        status,
        evidence,
        cost,
        catalog_id,
        version,
        carried_from,
        carried_to,
    ) = t;
    super::model::PlanItem {
        id,
        kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Course),
        title,
        competency_id,
        due_date,
        status: ItemStatus::parse(&status).unwrap_or(ItemStatus::Planned),
        evidence,
        cost,
        catalog_id,
        version,
        overdue: false,
        carried_from,
        carried_to,
    }
}

/// An item's columns, with the names of the periods it was carried from
/// and into (`ITEM_FROM` joins them).
const ITEM_COLUMNS: &str =
    "i.id, i.kind, i.title, i.competency_id, i.due_date, i.status, i.evidence,
     i.cost, i.catalog_id, i.version, fp.name, tp.name";
const ITEM_FROM: &str = "plan_items i
     LEFT JOIN plan_items fi ON fi.id = i.carried_from_id
     LEFT JOIN plans fpl ON fpl.id = fi.plan_id
     LEFT JOIN periods fp ON fp.id = fpl.period_id
     LEFT JOIN plan_items ti ON ti.carried_from_id = i.id
     LEFT JOIN plans tpl ON tpl.id = ti.plan_id
     LEFT JOIN periods tp ON tp.id = tpl.period_id";

pub async fn plan_items(pool: &AnyPool, plan_id: &str) -> AppResult<Vec<super::model::PlanItem>> {
    let rows: Vec<ItemTuple> = sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.plan_id = $1
         ORDER BY i.due_date, i.created_at, i.id"
    ))
    .bind(plan_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(item_of).collect())
}

/// An item with its plan id.
pub async fn item(pool: &AnyPool, id: &str) -> AppResult<Option<(super::model::PlanItem, String)>> {
    type WithPlan = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
        i64,
        Option<String>,
        Option<String>,
        String,
    );
    let row: Option<WithPlan> = sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS}, i.plan_id FROM {ITEM_FROM} WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(a, b, c, d, e, f, g, h, i, j, k, l, plan)| {
        (item_of((a, b, c, d, e, f, g, h, i, j, k, l)), plan)
    }))
}

/// The plan of a person and period, created when missing.
pub async fn ensure_plan(
    conn: &mut AnyConnection,
    period_id: &str,
    user_id: &str,
    now: &str,
) -> AppResult<String> {
    sqlx::query(
        "INSERT INTO plans (id, period_id, user_id, version, created_at) VALUES ($1, $2, $3, 1, $4)
         ON CONFLICT (period_id, user_id) DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(period_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM plans WHERE period_id = $1 AND user_id = $2")
            .bind(period_id)
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(id)
}

/// Stores a new item; a repeated create with the same id stores nothing and
/// answers `false` (an id already used in another plan is a conflict).
pub async fn insert_item(
    conn: &mut AnyConnection,
    plan_id: &str,
    item: &super::model::PlanItem,
    by: &str,
    now: &str,
) -> AppResult<bool> {
    let res = sqlx::query(
        "INSERT INTO plan_items (id, plan_id, kind, title, competency_id, due_date, status, evidence, cost, catalog_id, version, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&item.id)
    .bind(plan_id)
    .bind(item.kind)
    .bind(&item.title)
    .bind(&item.competency_id)
    .bind(&item.due_date)
    .bind(item.status)
    .bind(&item.evidence)
    .bind(item.cost)
    .bind(&item.catalog_id)
    .bind(by)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if res.rows_affected() == 1 {
        return Ok(true);
    }
    let plan: Option<String> = sqlx::query_scalar("SELECT plan_id FROM plan_items WHERE id = $1")
        .bind(&item.id)
        .fetch_optional(&mut *conn)
        .await?;
    match plan {
        Some(plan) if plan == plan_id => Ok(false),
        _ => Err(AppError::new(ErrorCode::IdConflict)),
    }
}

pub async fn update_item(
    conn: &mut AnyConnection,
    item: &super::model::PlanItem,
    now: &str,
) -> AppResult<()> {
    let res = sqlx::query(
        "UPDATE plan_items SET status = $1, evidence = $2, due_date = $3, cost = $4, version = version + 1, updated_at = $5
         WHERE id = $6 AND version = $7",
    )
    .bind(item.status)
    .bind(&item.evidence)
    .bind(&item.due_date)
    .bind(item.cost)
    .bind(now)
    .bind(&item.id)
    .bind(item.version)
    .execute(&mut *conn)
    .await?;
    versioned(res)
}

/// Changes what an item is: its kind, title and competency.
pub async fn edit_item(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    kind: ItemKind,
    title: &str,
    competency_id: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE plan_items SET kind = $1, title = $2, competency_id = $3, version = version + 1, updated_at = $4
         WHERE id = $5 AND version = $6",
    )
    .bind(kind)
    .bind(title)
    .bind(competency_id)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

pub async fn approve_plan(
    conn: &mut AnyConnection,
    plan_id: &str,
    version: i64,
    cost: i64,
    by: &str,
) -> AppResult<()> {
    let res = sqlx::query(
        "UPDATE plans SET approved_cost = $1, approved_by = $2, version = version + 1 WHERE id = $3 AND version = $4",
    )
    .bind(cost)
    .bind(by)
    .bind(plan_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(res)
}

/// What the people whose primary team is `team_id` spend in a period.
pub async fn team_spent(pool: &AnyPool, period_id: &str, team_id: &str) -> AppResult<i64> {
    let (s,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(i.cost), 0) AS BIGINT) FROM plan_items i JOIN plans p ON p.id = i.plan_id
         JOIN users u ON u.id = p.user_id
         WHERE p.period_id = $1 AND u.team_id = $2 AND i.status <> 'dropped'",
    )
    .bind(period_id)
    .bind(team_id)
    .fetch_one(pool)
    .await?;
    Ok(s)
}

// ---------------------------------------------------------------- budgets

/// A budget's amount and version.
pub async fn budget(
    pool: &AnyPool,
    period_id: &str,
    scope: &str,
    subject: &str,
) -> AppResult<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT amount, version FROM budgets WHERE period_id = $1 AND scope = $2 AND subject_id = $3",
    )
    .bind(period_id)
    .bind(scope)
    .bind(subject)
    .fetch_optional(pool)
    .await?)
}

/// Every budget of a period: (scope, subject) → (amount, version).
pub async fn budgets(
    pool: &AnyPool,
    period_id: &str,
) -> AppResult<BTreeMap<(String, String), (i64, i64)>> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT scope, subject_id, amount, version FROM budgets WHERE period_id = $1",
    )
    .bind(period_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(s, id, a, v)| ((s, id), (a, v)))
        .collect())
}

pub async fn set_budget(
    pool: &AnyPool,
    period_id: &str,
    scope: &str,
    subject: &str,
    amount: i64,
    version: i64,
) -> AppResult<()> {
    let res = if version == 0 {
        sqlx::query(
            "INSERT INTO budgets (period_id, scope, subject_id, amount, version) VALUES ($1, $2, $3, $4, 1)
             ON CONFLICT DO NOTHING",
        )
        .bind(period_id)
        .bind(scope)
        .bind(subject)
        .bind(amount)
        .execute(pool)
        .await?
    } else {
        sqlx::query(
            "UPDATE budgets SET amount = $1, version = version + 1
             WHERE period_id = $2 AND scope = $3 AND subject_id = $4 AND version = $5",
        )
        .bind(amount)
        .bind(period_id)
        .bind(scope)
        .bind(subject)
        .bind(version)
        .execute(pool)
        .await?
    };
    versioned(res)
}

/// Spending of a period per person (non-dropped item costs).
pub async fn spent_by_person(pool: &AnyPool, period_id: &str) -> AppResult<BTreeMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.user_id, CAST(COALESCE(SUM(CASE WHEN i.status <> 'dropped' THEN i.cost ELSE 0 END), 0) AS BIGINT)
         FROM plans p JOIN plan_items i ON i.plan_id = p.id WHERE p.period_id = $1 GROUP BY p.user_id",
    )
    .bind(period_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

// ---------------------------------------------------------------- catalog

/// Every catalog entry, retired ones included (they are kept where used).
pub async fn catalog(pool: &AnyPool) -> AppResult<Vec<CatalogEntry>> {
    Ok(catalog_page(pool, &CatalogFilter::default(), 0, i64::MAX)
        .await?
        .0)
}

/// What the catalog list is narrowed to.
#[derive(Debug, Default)]
pub struct CatalogFilter<'a> {
    /// Part of a title ("" for every entry).
    pub search: &'a str,
    pub competency: Option<&'a str>,
    pub kind: Option<ItemKind>,
}

/// One page of the catalog (by title) matching a filter, and how many match.
pub async fn catalog_page(
    pool: &AnyPool,
    f: &CatalogFilter<'_>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<CatalogEntry>, i64)> {
    use sqlx::Row as _;
    type Row = (
        String,
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        i64,
        Option<String>,
    );
    let mut clauses = vec!["1 = 1".to_string()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let search = f.search.trim();
    let pattern = (!search.is_empty()).then(|| crate::server::db::like_pattern(search));
    if pattern.is_some() {
        clauses.push(format!("lower(c.title) LIKE {} ESCAPE '\\'", next()));
    }
    if f.competency.is_some() {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM catalog_competencies cc WHERE cc.catalog_id = c.id AND cc.competency_id = {})",
            next()
        ));
    }
    if f.kind.is_some() {
        clauses.push(format!("c.kind = {}", next()));
    }
    let (lim, off) = (next(), next());
    let filter = clauses.join(" AND ");
    fn bind<'q>(
        sql: &'q str,
        pattern: &Option<String>,
        f: &CatalogFilter<'_>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut q = sqlx::query(sql);
        if let Some(p) = pattern {
            q = q.bind(p.clone());
        }
        if let Some(c) = f.competency {
            q = q.bind(c.to_string());
        }
        if let Some(k) = f.kind {
            q = q.bind(k.as_str().to_string());
        }
        q
    }
    let count_sql = format!("SELECT COUNT(*) FROM catalog c WHERE {filter}");
    let total: i64 = bind(&count_sql, &pattern, f)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let sql = format!(
        "SELECT c.id, c.title, c.kind, c.link, c.cost, c.language,
                (SELECT string_agg(competency_id, ',') FROM catalog_competencies WHERE catalog_id = c.id),
                c.version, c.retired_at
         FROM catalog c WHERE {filter} ORDER BY c.title, c.id LIMIT {lim} OFFSET {off}"
    );
    let rows = bind(&sql, &pattern, f)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    let rows: Vec<Row> = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                r.try_get(5)?,
                r.try_get(6)?,
                r.try_get(7)?,
                r.try_get(8)?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let entries = rows
        .into_iter()
        .map(
            |(id, title, kind, link, cost, language, comps, version, retired)| CatalogEntry {
                id,
                title,
                kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Course),
                // Competency ids are UUIDs or codes: never a comma.
                competencies: comps
                    .map(|c| c.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
                link,
                cost,
                language,
                version,
                retired: retired.is_some(),
            },
        )
        .collect();
    Ok((entries, total))
}

/// Every competency of every track: id → whether it is retired.
pub async fn competency_states(pool: &AnyPool) -> AppResult<BTreeMap<String, bool>> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, retired_at FROM competencies")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(id, r)| (id, r.is_some())).collect())
}

/// Whether a catalog entry is retired (`None`: there is no such entry).
pub async fn catalog_retired(pool: &AnyPool, id: &str) -> AppResult<Option<bool>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT retired_at FROM catalog WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|r| r.0.is_some()))
}

/// Edits an entry (checked against `e.version`) and replaces its competencies.
pub async fn update_catalog(conn: &mut AnyConnection, e: &CatalogEntry) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE catalog SET title = $1, kind = $2, link = $3, cost = $4, language = $5, version = version + 1
         WHERE id = $6 AND version = $7",
    )
    .bind(&e.title)
    .bind(e.kind)
    .bind(&e.link)
    .bind(e.cost)
    .bind(&e.language)
    .bind(&e.id)
    .bind(e.version)
    .execute(&mut *conn)
    .await?;
    versioned(done)?;
    sqlx::query("DELETE FROM catalog_competencies WHERE catalog_id = $1")
        .bind(&e.id)
        .execute(&mut *conn)
        .await?;
    for c in &e.competencies {
        sqlx::query(
            "INSERT INTO catalog_competencies (catalog_id, competency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&e.id)
        .bind(c)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Retires an entry (`at`: when) or offers it again (`None`).
pub async fn set_catalog_retired(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    at: Option<&str>,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE catalog SET retired_at = $1, version = version + 1 WHERE id = $2 AND version = $3",
    )
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// `false` when this id exists already.
pub async fn insert_catalog(
    pool: &AnyPool,
    e: &CatalogEntry,
    by: &str,
    now: &str,
) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    let res = sqlx::query(
        "INSERT INTO catalog (id, title, kind, link, cost, language, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&e.id)
    .bind(&e.title)
    .bind(e.kind)
    .bind(&e.link)
    .bind(e.cost)
    .bind(&e.language)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if res.rows_affected() == 0 {
        return Ok(false);
    }
    for c in &e.competencies {
        sqlx::query(
            "INSERT INTO catalog_competencies (catalog_id, competency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&e.id)
        .bind(c)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

// ---------------------------------------------------------------- mentoring

pub async fn is_mentor(pool: &AnyPool, mentor: &str, mentee: &str) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mentorships WHERE mentor_id = $1 AND mentee_id = $2 AND active = 1",
    )
    .bind(mentor)
    .bind(mentee)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Every pair, ended ones included, with its meetings (newest first) and
/// the mentee's team. `ended_on` holds the stored instant (UTC) of the end.
pub async fn mentorships(pool: &AnyPool) -> AppResult<Vec<(Mentorship, Option<String>)>> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        i64,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.id, m.mentor_id, a.display_name, m.mentee_id, b.display_name, m.goals, b.team_id,
                m.version, m.ended_at, e.display_name
         FROM mentorships m JOIN users a ON a.id = m.mentor_id JOIN users b ON b.id = m.mentee_id
         LEFT JOIN users e ON e.id = m.ended_by
         ORDER BY b.display_name, a.display_name, m.created_at",
    )
    .fetch_all(pool)
    .await?;
    let meetings: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT mm.mentorship_id, mm.id, mm.day, mm.note, u.display_name FROM mentor_meetings mm
         JOIN users u ON u.id = mm.author_id ORDER BY mm.day DESC, mm.created_at DESC",
    )
    .fetch_all(pool)
    .await?;
    let mut by_pair: BTreeMap<String, Vec<Meeting>> = BTreeMap::new();
    for (pair, id, day, note, author_name) in meetings {
        by_pair.entry(pair).or_default().push(Meeting {
            id,
            day,
            note,
            author_name,
        });
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                mentor_id,
                mentor_name,
                mentee_id,
                mentee_name,
                goals,
                team,
                version,
                ended_at,
                ended_by,
            )| {
                let meetings = by_pair.remove(&id).unwrap_or_default();
                (
                    Mentorship {
                        id,
                        mentor_id,
                        mentor_name,
                        mentee_id,
                        mentee_name,
                        goals,
                        meetings,
                        version,
                        ended_on: ended_at,
                        ended_by,
                        can_end: false,
                    },
                    team,
                )
            },
        )
        .collect())
}

/// A pair's mentee and whether the pair is still active.
pub async fn pair_mentee(pool: &AnyPool, id: &str) -> AppResult<Option<(String, bool)>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT mentee_id, active FROM mentorships WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(mentee, active)| (mentee, active == 1)))
}

/// Ends an active pair: it stays, with when and by whom it ended.
pub async fn end_mentorship(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    by: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE mentorships SET active = 0, ended_at = $1, ended_by = $2, version = version + 1
         WHERE id = $3 AND version = $4 AND active = 1",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// The pair's mentor and mentee.
pub async fn pair(pool: &AnyPool, id: &str) -> AppResult<Option<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT mentor_id, mentee_id FROM mentorships WHERE id = $1 AND active = 1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn insert_mentorship(
    pool: &AnyPool,
    id: &str,
    mentor: &str,
    mentee: &str,
    goals: &str,
    by: &str,
    now: &str,
) -> AppResult<bool> {
    let res = sqlx::query(
        "INSERT INTO mentorships (id, mentor_id, mentee_id, goals, active, created_by, created_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(mentor)
    .bind(mentee)
    .bind(goals)
    .bind(by)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn insert_meeting(
    conn: &mut AnyConnection,
    id: &str,
    pair: &str,
    day: &str,
    note: &str,
    by: &str,
    now: &str,
) -> AppResult<bool> {
    let res = sqlx::query(
        "INSERT INTO mentor_meetings (id, mentorship_id, day, note, author_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(pair)
    .bind(day)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(res.rows_affected() == 1)
}

// ---------------------------------------------------------------- dashboard

/// How many plan items one person has in a period, and what they cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemCounts {
    /// Every item, dropped ones included.
    pub items: i64,
    pub done: i64,
    pub dropped: i64,
    /// Planned or in progress with the due date before today.
    pub overdue: i64,
    /// The cost of the items that are not dropped.
    pub spent: i64,
}

/// Item counts of a period per person: person id → counts.
pub type Counts = BTreeMap<String, ItemCounts>;

pub async fn item_counts(pool: &AnyPool, period_id: &str, today: &str) -> AppResult<Counts> {
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.user_id, COUNT(*),
                CAST(SUM(CASE WHEN i.status = 'done' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN i.status = 'dropped' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN i.status IN ('planned', 'in_progress') AND i.due_date < $1 THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN i.status <> 'dropped' THEN i.cost ELSE 0 END) AS BIGINT)
         FROM plan_items i JOIN plans p ON p.id = i.plan_id
         WHERE p.period_id = $2 GROUP BY p.user_id",
    )
    .bind(today)
    .bind(period_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user, items, done, dropped, overdue, spent)| {
            (
                user,
                ItemCounts {
                    items,
                    done,
                    dropped,
                    overdue,
                    spent,
                },
            )
        })
        .collect())
}

// ---------------------------------------------------------------- dashboard snapshot

/// One active person of the dashboard's snapshot.
#[derive(Debug, Clone, Default)]
pub struct SnapPerson {
    pub id: String,
    pub name: String,
    pub team_id: String,
    pub team_name: String,
    pub level: Option<String>,
    pub counts: ItemCounts,
    pub approved_cost: Option<i64>,
    /// Per competency: (assessed rating, rating the current level expects).
    pub heat: BTreeMap<String, (Option<u8>, u8)>,
}

/// An open plan item past its due date, with whose it is.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct OverdueRow {
    pub person_id: String,
    pub person_name: String,
    pub team_id: String,
    pub title: String,
    pub due_date: String,
    /// The stored status text (`planned` or `in_progress`).
    pub status: String,
}

/// What the training dashboard reads about one period, for everyone: people
/// in team-then-name order with their counts and heat, every overdue item
/// (oldest due first), the budgets and the default track's competencies.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub people: Vec<SnapPerson>,
    pub overdue: Vec<OverdueRow>,
    pub budgets: BTreeMap<(String, String), (i64, i64)>,
    pub competencies: Vec<Competency>,
}

/// The last snapshot with the change counter, period and day it was read at.
pub type SnapshotCache =
    std::sync::Arc<crate::server::snapshot::Snapshot<Snapshot, (String, String)>>;

/// The snapshot of a period as of `today`, read again only when the growth
/// change counter (moved by triggers) or the day has changed, so that it is
/// right with several servers too.
pub async fn snapshot_cached(
    pool: &AnyPool,
    cache: &SnapshotCache,
    period_id: &str,
    today: &str,
) -> AppResult<std::sync::Arc<Snapshot>> {
    let key = (period_id.to_string(), today.to_string());
    cache
        .get_or_load_keyed(pool, "growth", key, || snapshot(pool, period_id, today))
        .await
}

pub async fn snapshot(pool: &AnyPool, period_id: &str, today: &str) -> AppResult<Snapshot> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.team_id, t.name FROM users u JOIN teams t ON t.id = u.team_id
         WHERE u.active = 1 ORDER BY t.name, u.display_name, u.id",
    )
    .fetch_all(pool)
    .await?;
    let counts = item_counts(pool, period_id, today).await?;
    let heat_rows: Vec<(String, String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT pl.user_id, l.code, e.competency_id, COALESCE(r.leader_rating, r.self_rating), e.rating
         FROM person_levels pl JOIN levels l ON l.id = pl.level_id
         JOIN expectations e ON e.level_id = pl.level_id
         LEFT JOIN ratings r ON r.period_id = $1 AND r.user_id = pl.user_id AND r.competency_id = e.competency_id",
    )
    .bind(period_id)
    .fetch_all(pool)
    .await?;
    let mut heat: BTreeMap<String, (String, BTreeMap<String, (Option<u8>, u8)>)> = BTreeMap::new();
    for (user, code, comp, assessed, expected) in heat_rows {
        let e = heat.entry(user).or_insert_with(|| (code, BTreeMap::new()));
        e.1.insert(comp, (assessed.map(|a| a as u8), expected as u8));
    }
    let approvals: BTreeMap<String, Option<i64>> = sqlx::query_as::<_, (String, Option<i64>)>(
        "SELECT user_id, approved_cost FROM plans WHERE period_id = $1",
    )
    .bind(period_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let people = rows
        .into_iter()
        .map(|(id, name, team_id, team_name)| {
            let (level, cells) = heat.remove(&id).unzip();
            SnapPerson {
                counts: counts.get(&id).copied().unwrap_or_default(),
                approved_cost: approvals.get(&id).copied().flatten(),
                level,
                heat: cells.unwrap_or_default(),
                id,
                name,
                team_id,
                team_name,
            }
        })
        .collect();
    let overdue: Vec<OverdueRow> = sqlx::query_as(
        "SELECT u.id AS person_id, u.display_name AS person_name, u.team_id, i.title, i.due_date, i.status
         FROM plan_items i JOIN plans p ON p.id = i.plan_id JOIN users u ON u.id = p.user_id
         WHERE p.period_id = $1 AND u.active = 1 AND u.team_id IS NOT NULL
           AND i.status IN ('planned', 'in_progress') AND i.due_date < $2
         ORDER BY i.due_date, u.display_name",
    )
    .bind(period_id)
    .bind(today)
    .fetch_all(pool)
    .await?;
    // Retired competencies leave the heatmap's columns.
    let competencies = default_competencies(pool)
        .await?
        .into_iter()
        .filter(|c| !c.retired)
        .collect();
    Ok(Snapshot {
        people,
        overdue,
        budgets: budgets(pool, period_id).await?,
        competencies,
    })
}

// ---------------------------------------------------------------- closing a period

/// Marks a period closed, checked against its version; an already closed
/// period is not closed again (a stale version answers the same).
pub async fn close_period(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    by: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE periods SET closed_at = $1, closed_by = $2, version = version + 1
         WHERE id = $3 AND version = $4 AND closed_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    versioned(done)
}

/// Keeps what a close archived of a KPI, as it was then, for the summary.
pub async fn insert_period_kpi(
    conn: &mut AnyConnection,
    period_id: &str,
    k: &crate::kpi::store::KpiRow,
    status: crate::kpi::model::KpiStatus,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO period_kpis (period_id, kpi_id, code, name, team_id, team_name, owner_id,
             visibility, due_date, final_value, final_status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (period_id, kpi_id) DO NOTHING",
    )
    .bind(period_id)
    .bind(&k.id)
    .bind(&k.code)
    .bind(&k.name)
    .bind(&k.team_id)
    .bind(&k.team_name)
    .bind(&k.owner_id)
    .bind(&k.visibility)
    .bind(&k.due_date)
    .bind(crate::server::db::OptionalFloat(k.current_value))
    .bind(status)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A KPI a close archived, as the summary shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeriodKpiRow {
    pub kpi_id: String,
    pub code: String,
    pub name: String,
    pub team_id: String,
    pub team_name: String,
    pub owner_id: Option<String>,
    pub visibility: String,
    pub due_date: String,
    pub final_value: Option<f64>,
    pub final_status: String,
}

pub async fn period_kpis(pool: &AnyPool, period_id: &str) -> AppResult<Vec<PeriodKpiRow>> {
    Ok(sqlx::query_as(
        "SELECT kpi_id, code, name, team_id, team_name, owner_id, visibility, due_date,
                final_value, final_status
         FROM period_kpis WHERE period_id = $1 ORDER BY team_name, code",
    )
    .bind(period_id)
    .fetch_all(pool)
    .await?)
}

/// The unfinished items of a period (planned or in progress, as
/// `ItemStatus::is_open`) not carried over yet: id, owner and due date.
pub async fn unfinished_items(
    conn: &mut AnyConnection,
    period_id: &str,
) -> AppResult<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT i.id, p.user_id, i.due_date FROM plan_items i JOIN plans p ON p.id = i.plan_id
         WHERE p.period_id = $1 AND i.status IN ('planned', 'in_progress')
           AND NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.carried_from_id = i.id)
         ORDER BY p.user_id, i.due_date, i.id",
    )
    .bind(period_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Carries an unfinished item into another plan: a copy under a new id that
/// names the item it continues (`carried_from_id`), with what it is, where it
/// stands, its evidence and cost, and its new due date. The original stays
/// in the closed period's plan as it was.
pub async fn carry_item(
    conn: &mut AnyConnection,
    from_id: &str,
    new_id: &str,
    plan_id: &str,
    due_date: &str,
    by: &str,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO plan_items (id, plan_id, kind, title, competency_id, due_date, status, evidence,
             cost, catalog_id, version, created_by, created_at, updated_at, carried_from_id)
         SELECT $1, $2, kind, title, competency_id, $3, status, evidence, cost, catalog_id, 1, $4, $5, $5, id
         FROM plan_items WHERE id = $6",
    )
    .bind(new_id)
    .bind(plan_id)
    .bind(due_date)
    .bind(by)
    .bind(now)
    .bind(from_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One item of a period's plans for the summary.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SummaryItemRow {
    pub person_id: String,
    pub person_name: String,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub title: String,
    pub status: String,
    /// 1 when it was carried into another period.
    pub carried: i64,
}

pub async fn summary_items(pool: &AnyPool, period_id: &str) -> AppResult<Vec<SummaryItemRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id AS person_id, u.display_name AS person_name, u.team_id, t.name AS team_name,
                i.title, i.status,
                CAST(CASE WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.carried_from_id = i.id)
                     THEN 1 ELSE 0 END AS BIGINT) AS carried
         FROM plan_items i JOIN plans p ON p.id = i.plan_id JOIN users u ON u.id = p.user_id
         LEFT JOIN teams t ON t.id = u.team_id
         WHERE p.period_id = $1
         ORDER BY t.name, u.display_name, i.due_date, i.id",
    )
    .bind(period_id)
    .fetch_all(pool)
    .await?)
}

/// The period the items of a closed period were carried into, if any.
pub async fn carried_to_period(pool: &AnyPool, period_id: &str) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT np.name FROM plan_items i JOIN plans p ON p.id = i.plan_id
         JOIN plan_items c ON c.carried_from_id = i.id JOIN plans cp ON cp.id = c.plan_id
         JOIN periods np ON np.id = cp.period_id
         WHERE p.period_id = $1 LIMIT 1",
    )
    .bind(period_id)
    .fetch_optional(pool)
    .await?)
}
