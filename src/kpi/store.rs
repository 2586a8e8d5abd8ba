//! SQL for goals, KPIs, check-ins and charters.
use super::csv::ExportRow;
use super::model::{
    Charter, CheckInRow, Direction, Goal, GoalLevel, KpiFields, Owner, Recorded, Spark, Visibility,
    day_number, effective_series,
};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::server::db::Backend;
use sqlx::{AnyConnection, AnyPool, Row};

/// A KPI as stored, with its owner's and team's names.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct KpiRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub team_id: String,
    pub team_name: String,
    pub unit: String,
    pub direction: String,
    pub baseline: f64,
    pub target: f64,
    pub start_date: String,
    pub due_date: String,
    pub cadence_days: i64,
    pub visibility: String,
    pub goal_id: Option<String>,
    pub weight: f64,
    pub version: i64,
    pub current_value: Option<f64>,
    pub last_day: Option<String>,
    pub forecast: Option<f64>,
    /// When it was archived (RFC 3339 UTC); archived KPIs leave the
    /// dashboard and the reminders and keep their page and history.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// The status it ended on when a growth period's close archived it;
    /// shown instead of the live one until it is restored.
    #[serde(default)]
    pub final_status: Option<String>,
}

impl KpiRow {
    pub fn direction(&self) -> Direction {
        Direction::parse(&self.direction).unwrap_or(Direction::Increase)
    }
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Private)
    }
    pub fn final_status(&self) -> Option<super::model::KpiStatus> {
        self.final_status
            .as_deref()
            .and_then(super::model::KpiStatus::parse)
    }
    pub fn owner(&self) -> Owner {
        match &self.owner_id {
            Some(p) => Owner::Pm(p.clone()),
            None => Owner::Team(self.team_id.clone()),
        }
    }
}

const KPI_SELECT: &str = "SELECT k.id, k.code, k.name, k.owner_id, u.display_name AS owner_name,
        k.team_id, t.name AS team_name, k.unit, k.direction, k.baseline, k.target,
        k.start_date, k.due_date, k.cadence_days, k.visibility, k.goal_id, k.weight,
        k.version, k.current_value, k.last_day, k.forecast, k.archived_at, k.final_status
    FROM kpis k JOIN teams t ON t.id = k.team_id LEFT JOIN users u ON u.id = k.owner_id";

/// The KPI rows a server holds in memory, with the change counter they were read at.
pub type KpiCache = std::sync::Arc<crate::server::snapshot::Snapshot<Vec<KpiRow>>>;

/// Every KPI, as `kpis`, from memory while the change counter has not moved
/// (one small read instead of every row: the dashboard reads them all on every
/// request). Triggers move the counter, so it holds across several servers.
pub async fn kpis_cached(
    pool: &AnyPool,
    cache: &KpiCache,
) -> AppResult<std::sync::Arc<Vec<KpiRow>>> {
    cache.get_or_load(pool, "kpis", || kpis(pool)).await
}

/// Every KPI, ordered by team name and code (the dashboard's grouping).
///
/// The rows come back as one JSON array in one row: the SQLite driver hands
/// each row from its worker thread to the caller separately, and for the
/// dashboard's hundreds of rows those hand-overs cost more than the query.
pub async fn kpis(pool: &AnyPool) -> AppResult<Vec<KpiRow>> {
    let sql = format!(
        "SELECT {} FROM kpis k JOIN teams t ON t.id = k.team_id LEFT JOIN users u ON u.id = k.owner_id",
        Backend::of(pool).json_objects(&[
            ("id", "k.id"),
            ("code", "k.code"),
            ("name", "k.name"),
            ("owner_id", "k.owner_id"),
            ("owner_name", "u.display_name"),
            ("team_id", "k.team_id"),
            ("team_name", "t.name"),
            ("unit", "k.unit"),
            ("direction", "k.direction"),
            ("baseline", "k.baseline"),
            ("target", "k.target"),
            ("start_date", "k.start_date"),
            ("due_date", "k.due_date"),
            ("cadence_days", "k.cadence_days"),
            ("visibility", "k.visibility"),
            ("goal_id", "k.goal_id"),
            ("weight", "k.weight"),
            ("version", "k.version"),
            ("current_value", "k.current_value"),
            ("last_day", "k.last_day"),
            ("forecast", "k.forecast"),
            ("archived_at", "k.archived_at"),
            ("final_status", "k.final_status"),
        ])
    );
    let text: String = sqlx::query_scalar(&sql).fetch_one(pool).await?;
    let mut rows: Vec<KpiRow> = serde_json::from_str(&text).map_err(|e| {
        tracing::error!(error = %e, "KPI rows");
        AppError::internal()
    })?;
    rows.sort_by(|a, b| (&a.team_name, &a.code).cmp(&(&b.team_name, &b.code)));
    Ok(rows)
}

pub async fn kpi(pool: &AnyPool, id: &str) -> AppResult<Option<KpiRow>> {
    let sql = format!("{KPI_SELECT} WHERE k.id = $1");
    Ok(sqlx::query_as::<_, KpiRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// [`kpi`] read in a transaction (what it writes shows).
pub async fn kpi_in(conn: &mut AnyConnection, id: &str) -> AppResult<Option<KpiRow>> {
    let sql = format!("{KPI_SELECT} WHERE k.id = $1");
    Ok(sqlx::query_as::<_, KpiRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn kpi_by_code(pool: &AnyPool, code: &str) -> AppResult<Option<KpiRow>> {
    let sql = format!("{KPI_SELECT} WHERE k.code = $1");
    Ok(sqlx::query_as::<_, KpiRow>(&sql)
        .bind(code)
        .fetch_optional(pool)
        .await?)
}

/// The stored effective series of one KPI.
pub async fn series(pool: &AnyPool, id: &str) -> AppResult<Vec<(i64, f64)>> {
    let text: Option<String> = sqlx::query_scalar("SELECT series FROM kpis WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default())
}

/// The stored sparklines of some KPIs, by id (one row of JSON, as in `kpis`).
pub async fn sparks(
    pool: &AnyPool,
    ids: &[&str],
) -> AppResult<std::collections::HashMap<String, Spark>> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(200) {
        if chunk.is_empty() {
            continue;
        }
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, spark FROM kpis WHERE id IN ({})",
            marks.join(",")
        );
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        let mut part = Vec::with_capacity(chunk.len());
        for (id, spark) in q.fetch_all(pool).await? {
            let spark: Spark = serde_json::from_str(&spark).map_err(|e| {
                tracing::error!(error = %e, "KPI sparklines");
                AppError::internal()
            })?;
            part.push((id, spark));
        }
        out.extend(part);
    }
    Ok(out)
}

/// Redraws a KPI's sparkline and forecast from its stored series and due date.
async fn refresh_spark(conn: &mut sqlx::AnyConnection, kpi_id: &str) -> AppResult<()> {
    let row = sqlx::query("SELECT series, due_date FROM kpis WHERE id = $1")
        .bind(kpi_id)
        .fetch_one(&mut *conn)
        .await?;
    let series: Vec<(i64, f64)> =
        serde_json::from_str(&row.try_get::<String, _>("series")?).unwrap_or_default();
    let due = day_number(&row.try_get::<String, _>("due_date")?).unwrap_or(0);
    let spark = super::model::spark(&series, due);
    sqlx::query("UPDATE kpis SET spark = $1, forecast = $2 WHERE id = $3")
        .bind(serde_json::to_string(&spark).unwrap_or_else(|_| "{}".into()))
        .bind(crate::server::db::OptionalFloat(super::model::forecast(
            &series, due,
        )))
        .bind(kpi_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Stores a new KPI under its client-made id. Returns false when the id was
/// already taken (sent twice); a code in use is refused at the field.
pub async fn insert_kpi(
    pool: &AnyPool,
    id: &str,
    f: &KpiFields,
    team_id: &str,
    by: &str,
    now: &str,
) -> AppResult<bool> {
    if kpi_by_code(pool, &f.code).await?.is_some() {
        return Err(AppError::field(ErrorCode::CodeTaken, "code"));
    }
    let owner_id = match &f.owner {
        Owner::Pm(p) => Some(p.as_str()),
        Owner::Team(_) => None,
    };
    let done = sqlx::query(
        "INSERT INTO kpis (id, code, name, owner_id, team_id, unit, direction, baseline, target,
            start_date, due_date, cadence_days, visibility, goal_id, weight, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT(id) DO NOTHING",
    )
    .bind(id)
    .bind(&f.code)
    .bind(&f.name)
    .bind(owner_id)
    .bind(team_id)
    .bind(&f.unit)
    .bind(f.direction)
    .bind(f.baseline)
    .bind(f.target)
    .bind(&f.start_date)
    .bind(&f.due_date)
    .bind(f.cadence_days)
    .bind(f.visibility)
    .bind(&f.goal_id)
    .bind(f.weight)
    .bind(by)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Rewrites a KPI's definition (not its owner) if the version still matches.
pub async fn update_kpi(
    pool: &AnyPool,
    id: &str,
    version: i64,
    f: &KpiFields,
    now: &str,
) -> AppResult<()> {
    if kpi_by_code(pool, &f.code)
        .await?
        .is_some_and(|k| k.id != id)
    {
        return Err(AppError::field(ErrorCode::CodeTaken, "code"));
    }
    let mut tx = crate::server::db::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE kpis SET code = $1, name = $2, unit = $3, direction = $4, baseline = $5, target = $6,
            start_date = $7, due_date = $8, cadence_days = $9, visibility = $10, goal_id = $11, weight = $12,
            version = version + 1, updated_at = $13
         WHERE id = $14 AND version = $15",
    )
    .bind(&f.code)
    .bind(&f.name)
    .bind(&f.unit)
    .bind(f.direction)
    .bind(f.baseline)
    .bind(f.target)
    .bind(&f.start_date)
    .bind(&f.due_date)
    .bind(f.cadence_days)
    .bind(f.visibility)
    .bind(&f.goal_id)
    .bind(f.weight)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    crate::server::db::versioned(done)?;
    refresh_spark(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Hands a KPI to another owner (a PM and their team, or a team).
pub async fn set_kpi_owner(
    pool: &AnyPool,
    id: &str,
    version: i64,
    owner_id: Option<&str>,
    team_id: &str,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE kpis SET owner_id = $1, team_id = $2, version = version + 1, updated_at = $3
         WHERE id = $4 AND version = $5",
    )
    .bind(owner_id)
    .bind(team_id)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}

/// A check-in to store.
pub struct NewCheckIn<'a> {
    pub id: &'a str,
    pub kpi_id: &'a str,
    pub day: &'a str,
    pub value: f64,
    pub confidence: i64,
    pub note: &'a str,
    pub corrects: Option<&'a str>,
    pub author: &'a str,
}

/// Stores check-ins of one KPI and refreshes its derived series in the same
/// transaction. Check-ins whose id is already stored are skipped (sending
/// twice stores once); returns how many were stored.
pub async fn insert_checkins(
    pool: &AnyPool,
    kpi_id: &str,
    items: &[NewCheckIn<'_>],
    now: &str,
) -> AppResult<usize> {
    let mut tx = crate::server::db::begin(pool).await?;
    let stored = insert_checkins_in(&mut tx, kpi_id, items, now).await?;
    tx.commit().await?;
    Ok(stored)
}

/// [`insert_checkins`] in the caller's transaction.
pub async fn insert_checkins_in(
    tx: &mut AnyConnection,
    kpi_id: &str,
    items: &[NewCheckIn<'_>],
    now: &str,
) -> AppResult<usize> {
    let mut stored = 0;
    for c in items {
        let done = sqlx::query(
            "INSERT INTO checkins (id, kpi_id, day, value, confidence, note, corrects_id, author_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(id) DO NOTHING",
        )
        .bind(c.id)
        .bind(kpi_id)
        .bind(c.day)
        .bind(c.value)
        .bind(c.confidence)
        .bind(c.note)
        .bind(c.corrects)
        .bind(c.author)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        stored += done.rows_affected() as usize;
    }
    if stored > 0 {
        let rows = sqlx::query(
            "SELECT id, day, value, corrects_id FROM checkins WHERE kpi_id = $1 ORDER BY created_at, rowid",
        )
        .bind(kpi_id)
        .fetch_all(&mut *tx)
        .await?;
        let recorded: Vec<Recorded> = rows
            .iter()
            .map(|r| {
                Ok(Recorded {
                    id: r.try_get("id")?,
                    day: day_number(&r.try_get::<String, _>("day")?).unwrap_or(0),
                    value: r.try_get("value")?,
                    corrects: r.try_get("corrects_id")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        let series = effective_series(&recorded);
        let last = series.last().copied();
        sqlx::query("UPDATE kpis SET series = $1, current_value = $2, last_day = $3 WHERE id = $4")
            .bind(serde_json::to_string(&series).unwrap_or_else(|_| "[]".into()))
            .bind(last.map(|l| l.1))
            .bind(last.map(|l| super::model::day_text(l.0)))
            .bind(kpi_id)
            .execute(&mut *tx)
            .await?;
        refresh_spark(&mut *tx, kpi_id).await?;
    }
    Ok(stored)
}

/// A check-in's KPI, when the id is stored.
pub async fn checkin_kpi(pool: &AnyPool, id: &str) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT kpi_id FROM checkins WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

/// A KPI's check-ins, newest first, with who made them and which were corrected.
pub async fn checkins(pool: &AnyPool, kpi_id: &str) -> AppResult<Vec<CheckInRow>> {
    let rows = sqlx::query(
        "SELECT c.id, c.day, c.value, c.confidence, c.note, c.created_at, c.corrects_id,
                u.display_name AS author,
                CASE WHEN EXISTS (SELECT 1 FROM checkins x WHERE x.corrects_id = c.id) THEN 1 ELSE 0 END AS corrected
         FROM checkins c JOIN users u ON u.id = c.author_id
         WHERE c.kpi_id = $1 ORDER BY c.created_at DESC, c.rowid DESC",
    )
    .bind(kpi_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CheckInRow {
                id: r.try_get("id")?,
                day: r.try_get("day")?,
                value: r.try_get("value")?,
                confidence: r.try_get("confidence")?,
                note: r.try_get("note")?,
                author_name: r.try_get("author")?,
                at: r.try_get("created_at")?,
                corrects: r.try_get("corrects_id")?,
                corrected: r.try_get::<i64, _>("corrected")? != 0,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// The effective check-ins of some KPIs for export, corrections applied,
/// oldest first per KPI.
pub async fn export_rows(pool: &AnyPool, kpi_ids: &[String]) -> AppResult<Vec<ExportRow>> {
    let mut out = Vec::new();
    for id in kpi_ids {
        let rows = sqlx::query(
            "SELECT c.id, c.day, c.value, c.confidence, c.note, c.corrects_id, k.code
             FROM checkins c JOIN kpis k ON k.id = c.kpi_id
             WHERE c.kpi_id = $1 ORDER BY c.created_at, c.rowid",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        // The latest correction of each original carries value, confidence and note.
        // (original's id, its row)
        let mut originals: Vec<(String, ExportRow)> = Vec::new();
        for r in &rows {
            let cid: String = r.try_get("id")?;
            let corrects: Option<String> = r.try_get("corrects_id")?;
            let value: f64 = r.try_get("value")?;
            let confidence: i64 = r.try_get("confidence")?;
            let note: String = r.try_get("note")?;
            match corrects {
                None => originals.push((
                    cid,
                    ExportRow {
                        code: r.try_get("code")?,
                        day: r.try_get("day")?,
                        value,
                        confidence,
                        note,
                    },
                )),
                Some(target) => {
                    // Follow a correction of a correction to its original.
                    let mut root = target;
                    while let Some(row) = rows.iter().find(|x| {
                        x.try_get::<String, _>("id").ok().as_deref() == Some(root.as_str())
                    }) {
                        match row.try_get::<Option<String>, _>("corrects_id")? {
                            Some(up) if up != root => root = up,
                            _ => break,
                        }
                    }
                    if let Some((_, o)) = originals.iter_mut().find(|o| o.0 == root) {
                        o.value = value;
                        o.confidence = confidence;
                        o.note = note;
                    }
                }
            }
        }
        let mut list: Vec<ExportRow> = originals.into_iter().map(|(_, row)| row).collect();
        list.sort_by(|a, b| a.day.cmp(&b.day));
        out.extend(list);
    }
    Ok(out)
}

// ---------------------------------------------------------------- goals

/// Every goal with its owner's name and owning teams.
pub async fn goals(pool: &AnyPool) -> AppResult<Vec<Goal>> {
    let rows = sqlx::query(
        "SELECT g.id, g.title, g.level, g.owner_id, u.display_name AS owner_name, g.parent_id,
                g.visibility, g.weight, g.version, g.description, g.start_date, g.due_date,
                g.archived_at
         FROM goals g LEFT JOIN users u ON u.id = g.owner_id ORDER BY g.created_at, g.id",
    )
    .fetch_all(pool)
    .await?;
    let teams = sqlx::query(
        "SELECT gt.goal_id, t.id, t.name FROM goal_teams gt JOIN teams t ON t.id = gt.team_id ORDER BY t.name",
    )
    .fetch_all(pool)
    .await?;
    let mut by_goal: std::collections::HashMap<String, Vec<(String, String)>> = Default::default();
    for r in &teams {
        by_goal
            .entry(r.try_get("goal_id")?)
            .or_default()
            .push((r.try_get("id")?, r.try_get("name")?));
    }
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            Ok(Goal {
                teams: by_goal.remove(&id).unwrap_or_default(),
                id,
                title: r.try_get("title")?,
                level: GoalLevel::parse(&r.try_get::<String, _>("level")?)
                    .unwrap_or(GoalLevel::Team),
                owner_id: r.try_get("owner_id")?,
                owner_name: r.try_get("owner_name")?,
                parent_id: r.try_get("parent_id")?,
                visibility: Visibility::parse(&r.try_get::<String, _>("visibility")?)
                    .unwrap_or(Visibility::Private),
                weight: r.try_get("weight")?,
                version: r.try_get("version")?,
                description: r.try_get("description")?,
                start_date: r.try_get("start_date")?,
                due_date: r.try_get("due_date")?,
                archived: r.try_get::<Option<String>, _>("archived_at")?.is_some(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// What hangs under a goal and so keeps it from being deleted: child goals
/// (id, title) and KPIs (id, "CODE name"), archived ones included.
pub async fn goal_dependents(
    pool: &AnyPool,
    id: &str,
) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let goals: Vec<(String, String)> =
        sqlx::query_as("SELECT id, title FROM goals WHERE parent_id = $1 ORDER BY title, id")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let kpis: Vec<(String, String)> =
        sqlx::query_as("SELECT id, code || ' ' || name FROM kpis WHERE goal_id = $1 ORDER BY code")
            .bind(id)
            .fetch_all(pool)
            .await?;
    Ok((goals, kpis))
}

/// The editable fields of a goal.
pub struct GoalEdit<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub owner_id: Option<&'a str>,
    pub teams: &'a [String],
    pub parent_id: Option<&'a str>,
    pub visibility: Visibility,
    pub start_date: Option<&'a str>,
    pub due_date: Option<&'a str>,
}

/// Saves an edit of an active goal at `version`, its owning teams
/// replaced, in one transaction (a stale version changes nothing).
pub async fn update_goal(
    pool: &AnyPool,
    id: &str,
    version: i64,
    e: &GoalEdit<'_>,
    now: &str,
) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE goals SET title = $1, description = $2, owner_id = $3, parent_id = $4,
             visibility = $5, start_date = $6, due_date = $7, updated_at = $8,
             version = version + 1
         WHERE id = $9 AND version = $10 AND archived_at IS NULL",
    )
    .bind(e.title)
    .bind(e.description)
    .bind(e.owner_id)
    .bind(e.parent_id)
    .bind(e.visibility)
    .bind(e.start_date)
    .bind(e.due_date)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    crate::server::db::versioned(done)?;
    sqlx::query("DELETE FROM goal_teams WHERE goal_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for team in e.teams {
        sqlx::query("INSERT INTO goal_teams (goal_id, team_id) VALUES ($1, $2)")
            .bind(id)
            .bind(team)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Archives (`Some(now)`) or restores (`None`) a goal at `version`.
pub async fn set_goal_archived(
    pool: &AnyPool,
    id: &str,
    version: i64,
    at: Option<&str>,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE goals SET archived_at = $1, updated_at = $2, version = version + 1
         WHERE id = $3 AND version = $4",
    )
    .bind(at)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}

/// Deletes a goal at `version` when nothing hangs under it (checked again
/// inside the transaction): `Ok(false)` when something does.
pub async fn delete_goal(pool: &AnyPool, id: &str, version: i64) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    let under: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM goals WHERE parent_id = $1)
              + (SELECT COUNT(*) FROM kpis WHERE goal_id = $1)",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if under > 0 {
        return Ok(false);
    }
    let done = sqlx::query("DELETE FROM goals WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    crate::server::db::versioned(done)?;
    tx.commit().await?;
    Ok(true)
}

/// Archives (`Some(now)`) or restores (`None`) a KPI at `version`; the
/// change counter (a trigger) tells every server's dashboard cache.
/// Deletes a KPI and its check-ins (at `version`).
pub async fn delete_kpi(conn: &mut sqlx::AnyConnection, id: &str, version: i64) -> AppResult<()> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM kpis WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists != Some(version) {
        return Err(crate::error::AppError::new(
            crate::error::ErrorCode::StaleVersion,
        ));
    }
    sqlx::query("DELETE FROM checkins WHERE kpi_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM kpis WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    crate::server::db::versioned(done)
}

pub async fn set_kpi_archived(
    pool: &AnyPool,
    id: &str,
    version: i64,
    at: Option<&str>,
    now: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE kpis SET archived_at = $1, updated_at = $2, version = version + 1,
             final_status = CASE WHEN $1 IS NULL THEN NULL ELSE final_status END
         WHERE id = $3 AND version = $4",
    )
    .bind(at)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}

/// The active (not archived) KPIs due between two dates, both included,
/// read in the caller's transaction (a period's close).
pub async fn due_between(
    conn: &mut sqlx::AnyConnection,
    start: &str,
    end: &str,
) -> AppResult<Vec<KpiRow>> {
    let sql = format!(
        "{KPI_SELECT} WHERE k.archived_at IS NULL AND k.due_date >= $1 AND k.due_date <= $2
         ORDER BY t.name, k.code"
    );
    Ok(sqlx::query_as::<_, KpiRow>(&sql)
        .bind(start)
        .bind(end)
        .fetch_all(&mut *conn)
        .await?)
}

/// Archives a KPI at a period's close with the status it ended on; `false`
/// when it was archived meanwhile (it keeps what it had).
pub async fn archive_at_close(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    status: super::model::KpiStatus,
    now: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE kpis SET archived_at = $1, final_status = $2, updated_at = $1, version = version + 1
         WHERE id = $3 AND archived_at IS NULL",
    )
    .bind(now)
    .bind(status)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn goal_exists(pool: &AnyPool, id: &str) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM goals WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?
            > 0,
    )
}

/// Stores a goal and its owning teams under a client-made id; false when the
/// id was already taken.
pub async fn insert_goal(pool: &AnyPool, g: &Goal, by: &str, now: &str) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    let done = sqlx::query(
        "INSERT INTO goals (id, title, level, owner_id, parent_id, visibility, weight, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT(id) DO NOTHING",
    )
    .bind(&g.id)
    .bind(&g.title)
    .bind(g.level)
    .bind(&g.owner_id)
    .bind(&g.parent_id)
    .bind(g.visibility)
    .bind(g.weight)
    .bind(by)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    for (team, _) in &g.teams {
        sqlx::query(
            "INSERT INTO goal_teams (goal_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&g.id)
        .bind(team)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

// ---------------------------------------------------------------- charters

/// The stored part of a PM's charter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharterText {
    pub responsibilities: String,
    pub decision_rights: String,
    /// 0 before the first save.
    pub version: i64,
    /// When it was last saved (stored UTC text), if ever.
    pub updated_at: Option<String>,
}

/// A PM's charter text and version (empty, version 0, before the first save).
pub async fn charter_text(pool: &AnyPool, person_id: &str) -> AppResult<CharterText> {
    let row = sqlx::query(
        "SELECT responsibilities, decision_rights, version, updated_at FROM charters WHERE person_id = $1",
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some(r) => CharterText {
            responsibilities: r.try_get("responsibilities")?,
            decision_rights: r.try_get("decision_rights")?,
            version: r.try_get("version")?,
            updated_at: r.try_get("updated_at")?,
        },
        None => CharterText::default(),
    })
}

/// Saves a charter if `version` is the one stored (0 for the first save).
pub async fn save_charter(pool: &AnyPool, c: &Charter, by: &str, now: &str) -> AppResult<()> {
    let done = if c.version == 0 {
        sqlx::query(
            "INSERT INTO charters (person_id, responsibilities, decision_rights, version, updated_by, updated_at)
             VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT(person_id) DO NOTHING",
        )
        .bind(&c.person_id)
        .bind(&c.responsibilities)
        .bind(&c.decision_rights)
        .bind(by)
        .bind(now)
        .execute(pool)
        .await?
    } else {
        sqlx::query(
            "UPDATE charters SET responsibilities = $1, decision_rights = $2, version = version + 1,
                updated_by = $3, updated_at = $4
             WHERE person_id = $5 AND version = $6",
        )
        .bind(&c.responsibilities)
        .bind(&c.decision_rights)
        .bind(by)
        .bind(now)
        .bind(&c.person_id)
        .bind(c.version)
        .execute(pool)
        .await?
    };
    crate::server::db::versioned(done)
}
