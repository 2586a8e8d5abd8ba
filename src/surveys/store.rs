//! Survey storage, anonymous also against whoever holds the database file,
//! its WAL or a backup (SPEC; README "Survey anonymity on disk"):
//!
//! - Closed-form answers leave no row of their own: a submission adds one to
//!   counters (round × team × question × value) made with the round, which
//!   SQLite overwrites in place, so nothing on disk follows the order of
//!   submissions. `n` holds [`COUNT_BASE`] + the count, so a counter's record
//!   keeps its size (integers of other sizes would make SQLite move the cell).
//! - Participation rows (person + round) are made with the round too; a
//!   submission overwrites their answered flag and fixed-length submission
//!   slot in place, in the same transaction as the counters.
//! - Free text waits apart from participation until the round closes, all
//!   of a round's pending rows rewritten under new random keys at every
//!   submission, so their byte order is never the order of submissions;
//!   [`finalise`] then writes it into `survey_comments` in the order of a
//!   random key drawn at that moment and deletes the pending rows (zeroed:
//!   `secure_delete`).
//! - After each submission and each finalisation the WAL is checkpointed and
//!   truncated, so it no longer holds the commit that joined a participation
//!   row to its answers ([`crate::server::db::checkpoint`]).
//!
//! All of that relies on overwriting in place, which PostgreSQL does not do
//! (every UPDATE is a new row version stamped with its transaction; old
//! versions and the WAL stay). There ([`Backend::overwrites_in_place`]) a
//! submission marks its participation row as above but leaves counters and
//! pending text alone: its answer goes into `survey_sealed` as one row
//! encrypted under the survey key and padded to the round's largest answer
//! ([`seal`]), and the round's close opens them all and adds the totals to
//! the counters and the text to the comments in one transaction
//! ([`finalise`]). Both backends read results the same way, from counters
//! and comments; a database copied from PostgreSQL with rounds still open
//! finalises its sealed answers the same way on SQLite.
use super::model::{
    ActionStatus, AnswerInput, Pulse, Question, QuestionKind, Tally, Theme, Visibility,
};
use super::seal::{self, Answer, SealKey};
use crate::error::AppResult;
use crate::server::db::{Backend, Kind};
use sqlx::AnyPool;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// The tallies of closed rounds, kept in server memory: a closed round can
/// never get another answer, so its tally never changes (with several
/// servers too).
pub type TallyCache = Arc<Mutex<HashMap<String, Arc<Tally>>>>;

/// Instants are stored as "YYYY-MM-DDTHH:MM:SSZ" (UTC), so that text order is time order.
pub fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn now_stamp() -> String {
    stamp(chrono::Utc::now())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub id: String,
    pub title: String,
    pub owner_id: String,
    pub opens_at: String,
    pub closes_at: String,
    pub pulse: String,
    pub series_id: String,
    pub min_group: i64,
    pub comment_min: i64,
    pub visibility: String,
    pub support_note: String,
    pub version: i64,
    /// When it was cancelled (before it opened); such a round never opens.
    pub cancelled_at: Option<String>,
    /// The cadence of a stopped pulse ('' when not stopped).
    pub stopped_pulse: String,
    /// When a stopped pulse was restarted: windows that began before are
    /// not made up for.
    pub pulse_resumed_at: Option<String>,
}

impl RoundRow {
    pub fn pulse(&self) -> Pulse {
        Pulse::parse(&self.pulse).unwrap_or(Pulse::None)
    }
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Private)
    }
    /// The cadence of the pulse this round's series was, when it was stopped.
    pub fn stopped_pulse(&self) -> Option<Pulse> {
        Pulse::parse(&self.stopped_pulse).filter(|p| *p != Pulse::None)
    }
    pub fn status(&self, now: &str) -> super::model::RoundStatus {
        use super::model::RoundStatus::*;
        if self.cancelled_at.is_some() {
            Cancelled
        } else if now < self.opens_at.as_str() {
            Scheduled
        } else if now < self.closes_at.as_str() {
            Open
        } else {
            Closed
        }
    }
}

const ROUND_COLUMNS: &str = "id, title, owner_id, opens_at, closes_at, pulse, series_id, min_group, comment_min, visibility, support_note, version, cancelled_at, stopped_pulse, pulse_resumed_at";

pub async fn round(pool: &AnyPool, id: &str) -> AppResult<Option<RoundRow>> {
    Ok(sqlx::query_as::<_, RoundRow>(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn rounds(pool: &AnyPool) -> AppResult<Vec<RoundRow>> {
    Ok(sqlx::query_as::<_, RoundRow>(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds ORDER BY opens_at DESC, title"
    ))
    .fetch_all(pool)
    .await?)
}

/// The rounds whose title contains `search` (any case; every round when
/// it is blank), newest first (by opening, then title).
pub async fn rounds_matching(pool: &AnyPool, search: &str) -> AppResult<Vec<RoundRow>> {
    let search = search.trim();
    if search.is_empty() {
        return rounds(pool).await;
    }
    Ok(sqlx::query_as::<_, RoundRow>(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE lower(title) LIKE $1 ESCAPE '\\'
         ORDER BY opens_at DESC, title"
    ))
    .bind(crate::server::db::like_pattern(search))
    .fetch_all(pool)
    .await?)
}

/// The teams each round targets.
pub async fn round_teams(pool: &AnyPool) -> AppResult<BTreeMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT round_id, team_id FROM survey_round_teams")
            .fetch_all(pool)
            .await?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (r, t) in rows {
        out.entry(r).or_default().push(t);
    }
    Ok(out)
}

/// What `n` of a counter holds besides the count: 2^40 + any count below
/// 2^47 − 2^40 is stored in 6 bytes, so incrementing never changes a
/// counter record's size (SQLite then overwrites it where it is).
pub const COUNT_BASE: i64 = 1 << 40;

/// The submission slot of a participation row nobody has answered yet:
/// as long as a submission id (a UUID), so the answer overwrites it in place.
pub const NO_SUBMISSION: &str = "00000000-0000-0000-0000-000000000000";

/// The counter of a team's respondents: question '' value −1.
const RESPONDED: (&str, i64) = ("", -1);
/// The value of a question's "answered it" counter.
const ANSWERED: i64 = -1;

/// Invitees and answers per round (from the participation rows made with the round).
/// `round`: only that round, else every round.
pub async fn turnout(
    pool: &AnyPool,
    round: Option<&str>,
) -> AppResult<BTreeMap<String, (u32, u32)>> {
    let rows: Vec<(String, i64, i64)> =
        match round {
            Some(r) => sqlx::query_as(
                "SELECT round_id, COUNT(*), CAST(COALESCE(SUM(answered), 0) AS BIGINT) FROM survey_participation
                 WHERE round_id = $1 GROUP BY round_id",
            )
            .bind(r)
            .fetch_all(pool)
            .await?,
            None => sqlx::query_as(
                "SELECT round_id, COUNT(*), CAST(COALESCE(SUM(answered), 0) AS BIGINT) FROM survey_participation
                 GROUP BY round_id",
            )
            .fetch_all(pool)
            .await?,
        };
    Ok(rows
        .into_iter()
        .map(|(r, invited, answered)| (r, (invited as u32, answered as u32)))
        .collect())
}

/// The submission a person's answer to a round came with, if they answered.
pub async fn submission_of(pool: &AnyPool, round: &str, person: &str) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT submission FROM survey_participation
         WHERE round_id = $1 AND person_id = $2 AND answered = 1",
    )
    .bind(round)
    .bind(person)
    .fetch_optional(pool)
    .await?)
}

/// The rounds a person was asked in, and those they answered.
pub async fn asked(
    pool: &AnyPool,
    person: &str,
) -> AppResult<(BTreeSet<String>, BTreeSet<String>)> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT round_id, answered FROM survey_participation WHERE person_id = $1")
            .bind(person)
            .fetch_all(pool)
            .await?;
    let asked = rows.iter().map(|r| r.0.clone()).collect();
    let done = rows.into_iter().filter(|r| r.1 == 1).map(|r| r.0).collect();
    Ok((asked, done))
}

/// The team a person was asked as, when they were asked.
pub async fn invitee_team(pool: &AnyPool, round: &str, person: &str) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT team_id FROM survey_invitees WHERE round_id = $1 AND person_id = $2",
    )
    .bind(round)
    .bind(person)
    .fetch_optional(pool)
    .await?)
}

/// A round's questions in their order (from a pool or inside a transaction).
pub async fn questions<'e, E>(ex: E, round: &str) -> AppResult<Vec<Question>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<(String, String, String, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, theme, kind, text_en, text_zh, options, distress_at FROM survey_questions
         WHERE round_id = $1 ORDER BY position",
    )
    .bind(round)
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, theme, kind, text_en, text_zh, options, distress_at)| Question {
                id,
                theme: Theme::parse(&theme).unwrap_or(Theme::Engagement),
                kind: QuestionKind::parse(&kind).unwrap_or(QuestionKind::Text),
                text_en,
                text_zh,
                options: serde_json::from_str(&options).unwrap_or_default(),
                distress_at,
            },
        )
        .collect())
}

/// Stores a new round with its teams, questions and invitees (active people
/// of the targeted teams and every team under them, with their team), and
/// everything a submission will overwrite: one participation row per
/// invitee and every counter of every invitee's team, all at zero.
/// `false` when the id exists already (a repeated create).
pub async fn insert_round(
    pool: &AnyPool,
    row: &RoundRow,
    teams: &[String],
    questions: &[Question],
    invitees: &[(String, String)],
    now: &str,
) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    let done = sqlx::query(
        "INSERT INTO survey_rounds (id, title, owner_id, opens_at, closes_at, pulse, series_id,
             min_group, comment_min, visibility, support_note, version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&row.id)
    .bind(&row.title)
    .bind(&row.owner_id)
    .bind(&row.opens_at)
    .bind(&row.closes_at)
    .bind(&row.pulse)
    .bind(&row.series_id)
    .bind(row.min_group)
    .bind(row.comment_min)
    .bind(&row.visibility)
    .bind(&row.support_note)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let mut stored = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        let id = insert_question(&mut tx, &row.id, i as i64, q).await?;
        stored.push(Question { id, ..q.clone() });
    }
    insert_audience(&mut tx, &row.id, teams, invitees, &stored).await?;
    tx.commit().await?;
    Ok(true)
}

/// A round's targeted teams, its invitees with one participation row each,
/// and every counter of every invitee's team, all at zero (what a
/// submission overwrites in place).
async fn insert_audience(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: &str,
    teams: &[String],
    invitees: &[(String, String)],
    questions: &[Question],
) -> AppResult<()> {
    for t in teams {
        sqlx::query("INSERT INTO survey_round_teams (round_id, team_id) VALUES ($1, $2)")
            .bind(round)
            .bind(t)
            .execute(&mut **tx)
            .await?;
    }
    for (person, team) in invitees {
        sqlx::query(
            "INSERT INTO survey_invitees (round_id, person_id, team_id) VALUES ($1, $2, $3)",
        )
        .bind(round)
        .bind(person)
        .bind(team)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO survey_participation (round_id, person_id, answered, submission)
             VALUES ($1, $2, 0, $3)",
        )
        .bind(round)
        .bind(person)
        .bind(NO_SUBMISSION)
        .execute(&mut **tx)
        .await?;
    }
    let invitee_teams: BTreeSet<&str> = invitees.iter().map(|(_, t)| t.as_str()).collect();
    for team in invitee_teams {
        insert_counter(tx, round, team, RESPONDED.0, RESPONDED.1).await?;
        for q in questions {
            insert_counters(tx, round, team, q).await?;
        }
    }
    Ok(())
}

/// The question's counters for one team: "answered it" and one per value
/// (or option); none for free text.
async fn insert_counters(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: &str,
    team: &str,
    q: &Question,
) -> AppResult<()> {
    if q.kind == QuestionKind::Text {
        return Ok(());
    }
    insert_counter(tx, round, team, &q.id, ANSWERED).await?;
    let first = q.kind.first();
    for i in 0..q.kind.scale(q.options.len()) as i64 {
        insert_counter(tx, round, team, &q.id, first + i).await?;
    }
    Ok(())
}

async fn insert_counter(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: &str,
    team: &str,
    question: &str,
    value: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO survey_counts (round_id, team_id, question_id, value, n) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(round)
    .bind(team)
    .bind(question)
    .bind(value)
    .bind(COUNT_BASE)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a question; its id (a new one when the question has none).
async fn insert_question(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: &str,
    position: i64,
    q: &Question,
) -> AppResult<String> {
    let id = if q.id.is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        q.id.clone()
    };
    sqlx::query(
        "INSERT INTO survey_questions (id, round_id, position, theme, kind, text_en, text_zh, options, distress_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(round)
    .bind(position)
    .bind(q.theme)
    .bind(q.kind)
    .bind(&q.text_en)
    .bind(&q.text_zh)
    .bind(serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into()))
    .bind(q.distress_at)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Adds a question at the end of a round that has not opened, with its
/// counters for every invitee's team, and moves the round to its next
/// version (checked against `version` when given); `false` when the id
/// exists already (a repeated add).
pub async fn add_question(
    pool: &AnyPool,
    round: &str,
    version: Option<i64>,
    q: &Question,
) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_questions WHERE id = $1")
        .bind(&q.id)
        .fetch_one(&mut *tx)
        .await?;
    if exists > 0 {
        return Ok(false);
    }
    next_version_before_open(&mut tx, round, version).await?;
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM survey_questions WHERE round_id = $1",
    )
    .bind(round)
    .fetch_one(&mut *tx)
    .await?;
    let id = insert_question(&mut tx, round, next, q).await?;
    let teams: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT team_id FROM survey_invitees WHERE round_id = $1")
            .bind(round)
            .fetch_all(&mut *tx)
            .await?;
    let q = Question { id, ..q.clone() };
    for team in &teams {
        insert_counters(&mut tx, round, team, &q).await?;
    }
    tx.commit().await?;
    Ok(true)
}

pub async fn set_thresholds(
    pool: &AnyPool,
    id: &str,
    version: i64,
    k: u32,
    comment_min: u32,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE survey_rounds SET min_group = $1, comment_min = $2, version = version + 1
         WHERE id = $3 AND version = $4",
    )
    .bind(k as i64)
    .bind(comment_min as i64)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}

/// Closes a round now and writes its free text into its final place, in
/// one transaction; then checkpoints the WAL.
pub async fn close_now(
    pool: &AnyPool,
    key: Option<&SealKey>,
    id: &str,
    version: i64,
    now: &str,
) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE survey_rounds SET closes_at = $1, version = version + 1 WHERE id = $2 AND version = $3",
    )
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    crate::server::db::versioned(done)?;
    finalise_in(&mut tx, key, id).await?;
    tx.commit().await?;
    crate::server::db::checkpoint(pool).await;
    Ok(())
}

/// Stops a pulse: no round of the series repeats any more; each keeps the
/// cadence, so that the pulse can be restarted. Stopping a stopped pulse
/// changes nothing.
pub async fn stop_pulse(pool: &AnyPool, series: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE survey_rounds SET stopped_pulse = pulse, pulse = 'none', version = version + 1
         WHERE series_id = $1 AND pulse <> 'none'",
    )
    .bind(series)
    .execute(pool)
    .await?;
    Ok(())
}

/// Restarts a stopped pulse with `cadence`, from `round` read at `version`
/// (one of the series): its next round is made when a window that begins
/// after `now` has begun (`run_pulses`), none for the windows missed while
/// it was stopped. In one transaction.
pub async fn restart_pulse(
    pool: &AnyPool,
    round: &str,
    version: i64,
    series: &str,
    cadence: Pulse,
    now: &str,
) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE survey_rounds SET version = version + 1
         WHERE id = $1 AND version = $2 AND cancelled_at IS NULL",
    )
    .bind(round)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    crate::server::db::versioned(done)?;
    let done = sqlx::query(
        "UPDATE survey_rounds SET pulse = $1, stopped_pulse = '', pulse_resumed_at = $2,
             version = version + (CASE WHEN id = $3 THEN 0 ELSE 1 END)
         WHERE series_id = $4 AND stopped_pulse <> '' AND cancelled_at IS NULL",
    )
    .bind(cadence)
    .bind(now)
    .bind(round)
    .bind(series)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::error::AppError::new(
            crate::error::ErrorCode::PulseNotStopped,
        ));
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- editing a scheduled round

/// The first write of every change to a round before it opens: the round
/// moves to its next version, only while it has not opened by the
/// database's clock (and is not cancelled), and only from `version` when
/// given. Inside the caller's transaction, so that no change lands after
/// the round opened. Otherwise why not: cancelled, opened, or stale.
async fn next_version_before_open(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: &str,
    version: Option<i64>,
) -> AppResult<()> {
    use crate::error::{AppError, ErrorCode};
    let db_now = Backend::of_conn(tx).now_sql();
    let guard = format!("cancelled_at IS NULL AND opens_at > {db_now}");
    let done = match version {
        Some(v) => {
            sqlx::query(&format!(
                "UPDATE survey_rounds SET version = version + 1 WHERE id = $1 AND version = $2 AND {guard}"
            ))
            .bind(round)
            .bind(v)
            .execute(&mut **tx)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "UPDATE survey_rounds SET version = version + 1 WHERE id = $1 AND {guard}"
            ))
            .bind(round)
            .execute(&mut **tx)
            .await?
        }
    };
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let state: Option<(Option<String>, i64)> = sqlx::query_as(&format!(
        "SELECT cancelled_at, CAST(CASE WHEN opens_at > {db_now} THEN 0 ELSE 1 END AS BIGINT)
         FROM survey_rounds WHERE id = $1"
    ))
    .bind(round)
    .fetch_optional(&mut **tx)
    .await?;
    Err(AppError::new(match state {
        None => ErrorCode::NotFound,
        Some((Some(_), _)) => ErrorCode::RoundCancelled,
        Some((None, 1)) => ErrorCode::RoundLocked,
        Some(_) => ErrorCode::StaleVersion,
    }))
}

/// What an edit of a scheduled round sets.
pub struct RoundEdit<'a> {
    pub title: &'a str,
    pub opens_at: &'a str,
    pub closes_at: &'a str,
    pub visibility: Visibility,
    pub support_note: &'a str,
    /// Sorted, without repeats.
    pub teams: &'a [String],
    /// Today's invitees of `teams`, with their team.
    pub invitees: &'a [(String, String)],
}

/// Changes a round that has not opened, read at `version`, in one
/// transaction. When its teams or the people in them changed, its
/// audience is made anew (nobody can have answered a round before it opens).
pub async fn edit_round(
    pool: &AnyPool,
    round: &str,
    version: i64,
    edit: &RoundEdit<'_>,
) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    next_version_before_open(&mut tx, round, Some(version)).await?;
    sqlx::query(
        "UPDATE survey_rounds SET title = $1, opens_at = $2, closes_at = $3, visibility = $4, support_note = $5
         WHERE id = $6",
    )
    .bind(edit.title)
    .bind(edit.opens_at)
    .bind(edit.closes_at)
    .bind(edit.visibility)
    .bind(edit.support_note)
    .bind(round)
    .execute(&mut *tx)
    .await?;
    let teams: Vec<String> =
        sqlx::query_scalar("SELECT team_id FROM survey_round_teams WHERE round_id = $1")
            .bind(round)
            .fetch_all(&mut *tx)
            .await?;
    let invitees: Vec<(String, String)> =
        sqlx::query_as("SELECT person_id, team_id FROM survey_invitees WHERE round_id = $1")
            .bind(round)
            .fetch_all(&mut *tx)
            .await?;
    let same = teams.into_iter().collect::<BTreeSet<_>>()
        == edit.teams.iter().cloned().collect::<BTreeSet<_>>()
        && invitees.into_iter().collect::<BTreeSet<_>>()
            == edit.invitees.iter().cloned().collect::<BTreeSet<_>>();
    if !same {
        for table in [
            "survey_counts",
            "survey_participation",
            "survey_invitees",
            "survey_round_teams",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE round_id = $1"))
                .bind(round)
                .execute(&mut *tx)
                .await?;
        }
        let questions = questions(&mut *tx, round).await?;
        insert_audience(&mut tx, round, edit.teams, edit.invitees, &questions).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a question from a round that has not opened, read at
/// `version`, with its counters. The last question stays.
pub async fn remove_question(
    pool: &AnyPool,
    round: &str,
    version: i64,
    question: &str,
) -> AppResult<()> {
    use crate::error::{AppError, ErrorCode};
    let mut tx = crate::server::db::begin(pool).await?;
    next_version_before_open(&mut tx, round, Some(version)).await?;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM survey_questions WHERE round_id = $1")
            .bind(round)
            .fetch_all(&mut *tx)
            .await?;
    if !ids.iter().any(|q| q == question) {
        return Err(AppError::new(ErrorCode::NotFound));
    }
    if ids.len() == 1 {
        return Err(AppError::new(ErrorCode::LastQuestion));
    }
    sqlx::query("DELETE FROM survey_counts WHERE round_id = $1 AND question_id = $2")
        .bind(round)
        .bind(question)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM survey_questions WHERE round_id = $1 AND id = $2")
        .bind(round)
        .bind(question)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a question of a round that has not opened, read at `version`,
/// one place up or down (`model::move_question`).
pub async fn move_question(
    pool: &AnyPool,
    round: &str,
    version: i64,
    question: &str,
    up: bool,
) -> AppResult<()> {
    use crate::error::{AppError, ErrorCode};
    let mut tx = crate::server::db::begin(pool).await?;
    next_version_before_open(&mut tx, round, Some(version)).await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, position FROM survey_questions WHERE round_id = $1 ORDER BY position, id",
    )
    .bind(round)
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let order = super::model::move_question(&ids, question, up)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    // Positions become 0, 1, 2, … in the new order (gaps left by removed
    // questions close); only the rows whose position changes are written.
    for (i, id) in order.iter().enumerate() {
        let i = i as i64;
        if rows.iter().any(|(q, p)| q == id && *p != i) {
            sqlx::query("UPDATE survey_questions SET position = $1 WHERE id = $2")
                .bind(i)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Cancels a round that has not opened, read at `version`: it stays, marked,
/// and never opens (nor does a pulse repeat it).
pub async fn cancel_round(pool: &AnyPool, round: &str, version: i64, now: &str) -> AppResult<()> {
    let mut tx = crate::server::db::begin(pool).await?;
    next_version_before_open(&mut tx, round, Some(version)).await?;
    sqlx::query("UPDATE survey_rounds SET cancelled_at = $1 WHERE id = $2")
        .bind(now)
        .bind(round)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// What a submission did to storage.
pub enum Stored {
    New,
    Replay,
    Second,
    /// The round was not open when the submission reached the database.
    NotOpen,
    /// The person was not asked.
    NotAsked,
}

// The database's own clock (`Backend::now_sql`): a submission and the
// finalisation of a round compare `closes_at` with the same clock inside
// their transactions, so no answer can arrive after a round's text was finalised.

/// Stores one person's answers in one transaction, overwriting in place
/// what the round's creation made: first the person's participation row
/// (which stops a second answer and recognises a replay), then one added to
/// each counter the answers name; free text goes into the pending table,
/// whose rows of the round are all rewritten under new random keys
/// ([`reshuffle_pending`]). `while_open`: only while the round is open (by the
/// database's clock); the demo seeds closed rounds with `false`.
/// The WAL is checkpointed afterwards.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    pool: &AnyPool,
    key: Option<&SealKey>,
    round: &str,
    person: &str,
    submission: &str,
    team: &str,
    answers: &[AnswerInput],
    while_open: bool,
) -> AppResult<Stored> {
    if submission.len() != NO_SUBMISSION.len() {
        // Only UUIDs come here (`client_id`); anything else would not fit the slot.
        return Err(crate::error::AppError::internal());
    }
    // Sealed answers are padded to the round's largest (its questions are
    // fixed once it has opened).
    let sealed_size = if Backend::of(pool).overwrites_in_place() {
        0
    } else {
        seal::padded_size(&questions(pool, round).await?)
    };
    let mut tx = crate::server::db::begin(pool).await?;
    // A write first: the transaction takes the write lock at once.
    let db_now = Backend::of_conn(&tx).now_sql();
    let marked = sqlx::query(&format!(
        "UPDATE survey_participation SET answered = 1, submission = $1
         WHERE round_id = $2 AND person_id = $3 AND answered = 0
           AND ($4 = 0 OR EXISTS (SELECT 1 FROM survey_rounds r WHERE r.id = survey_participation.round_id
                AND r.opens_at <= {db_now} AND r.closes_at > {db_now} AND r.cancelled_at IS NULL))"
    ))
    .bind(submission)
    .bind(round)
    .bind(person)
    .bind(i64::from(while_open))
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() == 0 {
        let before: Option<(i64, String)> = sqlx::query_as(
            "SELECT answered, submission FROM survey_participation WHERE round_id = $1 AND person_id = $2",
        )
        .bind(round)
        .bind(person)
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(match before {
            None => Stored::NotAsked,
            Some((1, s)) if s == submission => Stored::Replay,
            Some((1, _)) => Stored::Second,
            Some(_) => Stored::NotOpen,
        });
    }
    // The counters this submission adds one to: the team's respondents, and
    // per closed-form answer "answered it" and each value given.
    let mut keys: Vec<(&str, i64)> = vec![RESPONDED];
    for a in answers.iter().filter(|a| !a.values.is_empty()) {
        keys.push((a.question_id.as_str(), ANSWERED));
        keys.extend(a.values.iter().map(|v| (a.question_id.as_str(), *v)));
    }
    keys.sort();
    keys.dedup();
    let json = serde_json::to_string(&keys).map_err(|_| crate::error::AppError::internal())?;
    let texts: Vec<(String, String, String)> = answers
        .iter()
        .filter(|a| a.values.is_empty())
        .map(|a| (team.to_string(), a.question_id.clone(), a.text.clone()))
        .collect();
    if !Backend::of_conn(&tx).overwrites_in_place() {
        // Sealed until the close, which counts it (see `seal`).
        let Some(key) = key else {
            tracing::error!("survey answers need KEEL_SURVEY_KEY on this database");
            return Err(crate::error::AppError::internal());
        };
        // Another server with another key would make answers the close cannot open.
        if !key_matches(&mut tx, key).await?.0 {
            tracing::error!("KEEL_SURVEY_KEY differs from the key other servers seal with");
            return Err(crate::error::AppError::internal());
        }
        // Every counter it names must exist, as on SQLite (a read: no row
        // version), or the close could not count it.
        let found: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM survey_counts
             WHERE round_id = $1 AND team_id = $2 AND (question_id, value) IN ({})",
            Backend::of_conn(&tx).json_rows(3, &[Kind::Text, Kind::Int])
        ))
        .bind(round)
        .bind(team)
        .bind(&json)
        .fetch_one(&mut *tx)
        .await?;
        if found != keys.len() as i64 {
            tracing::error!(round, "survey counters missing");
            return Err(crate::error::AppError::internal());
        }
        let answer = Answer {
            team: team.to_string(),
            counts: keys.iter().map(|(q, v)| (q.to_string(), *v)).collect(),
            texts: texts.into_iter().map(|(_, q, t)| (q, t)).collect(),
        };
        let sealed = key.seal(round, &answer, sealed_size).map_err(|e| {
            tracing::error!(round, "survey answer not sealed: {e:?}");
            crate::error::AppError::internal()
        })?;
        sqlx::query("INSERT INTO survey_sealed (id, round_id, sealed) VALUES ($1, $2, $3)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(round)
            .bind(sealed)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(Stored::New);
    }
    let counted = sqlx::query(&format!(
        "UPDATE survey_counts SET n = n + 1
         WHERE round_id = $1 AND team_id = $2
           AND (question_id, value) IN
               ({})",
        Backend::of_conn(&tx).json_rows(3, &[Kind::Text, Kind::Int])
    ))
    .bind(round)
    .bind(team)
    .bind(&json)
    .execute(&mut *tx)
    .await?;
    if counted.rows_affected() != keys.len() as u64 {
        // A counter the round's creation should have made is missing:
        // store nothing rather than a partial answer.
        tracing::error!(round, "survey counters missing");
        return Err(crate::error::AppError::internal());
    }
    if !texts.is_empty() {
        reshuffle_pending(&mut tx, round, texts).await?;
    }
    tx.commit().await?;
    crate::server::db::checkpoint(pool).await;
    Ok(Stored::New)
}

/// Rewrites a round's pending free text together with `new` texts, all
/// under keys drawn now and in their order. Random keys alone would not do:
/// SQLite puts each new cell below the previous one in its page, so the
/// byte order of rows only ever added to is the order of submissions, which
/// anything else on disk that follows time (a sign-in time) would pair
/// with people. Rewritten at every submission, the rows
/// are where this rewrite put them, whoever wrote which (the deleted cells
/// are zeroed: `secure_delete`).
async fn reshuffle_pending(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: &str,
    new: Vec<(String, String, String)>,
) -> AppResult<()> {
    let mut rows: Vec<(String, String, String)> = sqlx::query_as(
        "DELETE FROM survey_pending_texts WHERE round_id = $1 RETURNING team_id, question_id, text",
    )
    .bind(round)
    .fetch_all(&mut **tx)
    .await?;
    rows.extend(new);
    let mut keyed: Vec<(String, String, String, String)> = rows
        .into_iter()
        .map(|(team, question, text)| (uuid::Uuid::new_v4().to_string(), team, question, text))
        .collect();
    keyed.sort();
    // One statement, whatever the number of rows (no sort: the array is in key order).
    let json = serde_json::to_string(&keyed).map_err(|_| crate::error::AppError::internal())?;
    sqlx::query(&format!(
        "INSERT INTO survey_pending_texts (id, round_id, team_id, question_id, text)
         SELECT c0, $1, c1, c2, c3 FROM ({}) rows",
        Backend::of_conn(tx).json_rows(2, &[Kind::Text; 4])
    ))
    .bind(round)
    .bind(&json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends a closed round's pending free text to `survey_comments`, in the
/// order of a random key drawn now, and deletes the pending rows, in one
/// transaction; then checkpoints the WAL. Does nothing for a round that is
/// open (by the database's clock) or has nothing pending, so it may run any
/// number of times: at an early close, before results are read, and from
/// the sweep once `closes_at` has passed. `true` when it wrote something.
pub async fn finalise(pool: &AnyPool, key: Option<&SealKey>, round: &str) -> AppResult<bool> {
    let mut tx = crate::server::db::begin(pool).await?;
    if !finalise_in(&mut tx, key, round).await? {
        return Ok(false);
    }
    tx.commit().await?;
    crate::server::db::checkpoint(pool).await;
    Ok(true)
}

/// [`finalise`] inside a transaction (the caller commits and checkpoints).
async fn finalise_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: Option<&SealKey>,
    round: &str,
) -> AppResult<bool> {
    // The deletes come first: the transaction holds the write lock before
    // it reads, so two finalisations of one round cannot both write.
    let db_now = Backend::of_conn(tx).now_sql();
    let sealed: Vec<Vec<u8>> = sqlx::query_scalar(&format!(
        "DELETE FROM survey_sealed
         WHERE round_id = $1 AND EXISTS (SELECT 1 FROM survey_rounds r
               WHERE r.id = survey_sealed.round_id AND r.closes_at <= {db_now})
         RETURNING sealed"
    ))
    .bind(round)
    .fetch_all(&mut **tx)
    .await?;
    let mut rows: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "DELETE FROM survey_pending_texts
         WHERE round_id = $1 AND EXISTS (SELECT 1 FROM survey_rounds r
               WHERE r.id = survey_pending_texts.round_id AND r.closes_at <= {db_now})
         RETURNING team_id, question_id, text"
    ))
    .bind(round)
    .fetch_all(&mut **tx)
    .await?;
    if rows.is_empty() && sealed.is_empty() {
        return Ok(false);
    }
    if !sealed.is_empty() {
        rows.extend(count_sealed(tx, key, round, &sealed).await?);
    }
    let mut shuffled: Vec<(String, (String, String, String))> = rows
        .into_iter()
        .map(|r| (uuid::Uuid::new_v4().to_string(), r))
        .collect();
    shuffled.sort();
    for (key, (team, question, text)) in &shuffled {
        sqlx::query(
            "INSERT INTO survey_comments (id, round_id, team_id, question_id, text) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(key)
        .bind(round)
        .bind(team)
        .bind(question)
        .bind(text)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// What the key check is sealed for (no round has this id).
const KEY_CHECK: &str = "keel survey key check";

/// Whether `key` opens the database's key check (true when there is none).
async fn key_matches(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &SealKey,
) -> AppResult<(bool, bool)> {
    let stored: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT sealed FROM survey_key_check WHERE id = 1")
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match stored {
        None => (true, false),
        Some(s) => (key.open(KEY_CHECK, &s).is_ok(), true),
    })
}

/// At start: refuses a survey key other than the one the answers waiting
/// sealed were sealed with, and a missing key while any wait; with none
/// waiting, the key given becomes the database's (a key can be replaced
/// between rounds). In one write transaction, so that servers starting
/// together with different keys cannot both pass.
pub async fn check_key(pool: &AnyPool, key: Option<&SealKey>) -> Result<(), String> {
    let fail = |e: sqlx::Error| format!("checking the survey key: {e}");
    let mut tx = crate::server::db::begin(pool).await.map_err(fail)?;
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_sealed")
        .fetch_one(&mut *tx)
        .await
        .map_err(fail)?;
    let Some(key) = key else {
        if waiting > 0 {
            return Err(format!(
                "this database holds {waiting} sealed survey answers (of rounds still open, made on PostgreSQL): set KEEL_SURVEY_KEY to the key they were sealed with"
            ));
        }
        return Ok(());
    };
    let (matches, stored) = key_matches(&mut tx, key)
        .await
        .map_err(|e| format!("checking the survey key: {e}"))?;
    if matches && stored {
        return Ok(());
    }
    if waiting > 0 {
        return Err(format!(
            "KEEL_SURVEY_KEY is not the key the {waiting} sealed survey answers in this database were sealed with: start every server with that key"
        ));
    }
    let check = key
        .seal(KEY_CHECK, &Answer::default(), 64)
        .map_err(|e| format!("sealing the survey key check: {e:?}"))?;
    sqlx::query(
        "INSERT INTO survey_key_check (id, sealed) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed",
    )
    .bind(check)
    .execute(&mut *tx)
    .await
    .map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    if stored {
        tracing::info!("the survey key changed (no sealed answers were waiting)");
    }
    Ok(())
}

/// Opens a closed round's sealed answers and adds them into its counters,
/// all in the caller's transaction: one UPDATE per counter with the round's
/// total, in the counters' own order. Their free text, for the comments.
async fn count_sealed(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: Option<&SealKey>,
    round: &str,
    sealed: &[Vec<u8>],
) -> AppResult<Vec<(String, String, String)>> {
    let Some(key) = key else {
        tracing::error!(
            round,
            "this round holds sealed survey answers: set KEEL_SURVEY_KEY to the key they were sealed with"
        );
        return Err(crate::error::AppError::internal());
    };
    let mut totals: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
    let mut texts = Vec::new();
    for s in sealed {
        let answer = key.open(round, s).map_err(|e| {
            tracing::error!(round, "a sealed survey answer does not open: {e:?}");
            crate::error::AppError::internal()
        })?;
        for (q, v) in answer.counts {
            *totals.entry((answer.team.clone(), q, v)).or_default() += 1;
        }
        texts.extend(
            answer
                .texts
                .into_iter()
                .map(|(q, t)| (answer.team.clone(), q, t)),
        );
    }
    for ((team, question, value), n) in totals {
        let done = sqlx::query(
            "UPDATE survey_counts SET n = n + $1
             WHERE round_id = $2 AND team_id = $3 AND question_id = $4 AND value = $5",
        )
        .bind(n)
        .bind(round)
        .bind(&team)
        .bind(&question)
        .bind(value)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            tracing::error!(round, "survey counters missing");
            return Err(crate::error::AppError::internal());
        }
    }
    Ok(texts)
}

/// The periodic work that keeps storage final: every round whose
/// `closes_at` has passed gets its free text finalised, and the WAL is
/// checkpointed (again, should readers have kept an earlier checkpoint from
/// finishing; nearly free when it is empty).
pub async fn sweep(pool: &AnyPool, key: Option<&SealKey>) -> AppResult<()> {
    let db_now = Backend::of(pool).now_sql();
    let due: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT p.round_id FROM survey_pending_texts p
         JOIN survey_rounds r ON r.id = p.round_id WHERE r.closes_at <= {db_now}
         UNION
         SELECT s.round_id FROM survey_sealed s
         JOIN survey_rounds r ON r.id = s.round_id WHERE r.closes_at <= {db_now}"
    ))
    .fetch_all(pool)
    .await?;
    // One round that cannot be finalised (say, sealed answers and no key)
    // holds up no other.
    for round in due {
        if let Err(e) = finalise(pool, key, &round).await {
            tracing::warn!(round, "finalising a closed survey round failed: {e}");
        }
    }
    crate::server::db::checkpoint(pool).await;
    Ok(())
}

/// A round's counters per (question, team) and its comments; cached once
/// the round has closed. Only for closed rounds: results never exist before.
pub async fn tally(
    pool: &AnyPool,
    key: Option<&SealKey>,
    cache: &TallyCache,
    round: &str,
    questions: &[Question],
) -> AppResult<Arc<Tally>> {
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(round).cloned()) {
        return Ok(t);
    }
    finalise(pool, key, round).await?;
    let first: BTreeMap<&str, i64> = questions
        .iter()
        .map(|q| (q.id.as_str(), q.kind.first()))
        .collect();
    let scale: BTreeMap<&str, usize> = questions
        .iter()
        .map(|q| (q.id.as_str(), q.kind.scale(q.options.len())))
        .collect();
    let mut t = Tally::default();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT team_id, COUNT(*) FROM survey_invitees WHERE round_id = $1 GROUP BY team_id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    t.invited = rows.into_iter().map(|(k, n)| (k, n as u32)).collect();
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT question_id, team_id, value, n - $1 FROM survey_counts WHERE round_id = $2",
    )
    .bind(COUNT_BASE)
    .bind(round)
    .fetch_all(pool)
    .await?;
    for (q, team, value, n) in rows {
        let n = n.max(0) as u32;
        if (q.as_str(), value) == RESPONDED {
            t.responses.insert(team, n);
            continue;
        }
        if value == ANSWERED {
            t.answered.insert((q, team), n);
            continue;
        }
        let (Some(lo), Some(len)) = (first.get(q.as_str()), scale.get(q.as_str())) else {
            continue;
        };
        let i = (value - lo) as usize;
        let c = t.counts.entry((q, team)).or_insert_with(|| vec![0; *len]);
        if let Some(slot) = c.get_mut(i) {
            *slot += n;
        }
    }
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT question_id, team_id, text FROM survey_comments WHERE round_id = $1 ORDER BY id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    for (q, team, text) in rows {
        t.comments.entry((q, team)).or_default().push(text);
    }
    // Cached only once nothing is pending (the sweep finalises a round whose
    // close the clocks disagreed about).
    let pending: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = $1)
              + (SELECT COUNT(*) FROM survey_sealed WHERE round_id = $1)",
    )
    .bind(round)
    .fetch_one(pool)
    .await?;
    let t = Arc::new(t);
    if pending == 0 {
        if let Ok(mut c) = cache.lock() {
            c.insert(round.to_string(), t.clone());
        }
    }
    Ok(t)
}

// ---------------------------------------------------------------- pulses

/// Makes the next round of every pulse whose next window has begun, with the
/// same questions, teams and settings and today's people as invitees.
pub async fn run_pulses(pool: &AnyPool, now: &str) -> AppResult<()> {
    let latest: Vec<RoundRow> = sqlx::query_as::<_, RoundRow>(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds r WHERE pulse <> 'none' AND cancelled_at IS NULL
         AND opens_at = (SELECT MAX(opens_at) FROM survey_rounds s
                         WHERE s.series_id = r.series_id AND s.cancelled_at IS NULL)"
    ))
    .fetch_all(pool)
    .await?;
    if latest.is_empty() {
        return Ok(());
    }
    let teams = crate::people::store::teams(pool).await?;
    let people = crate::people::store::people(pool).await?;
    let all_round_teams = round_teams(pool).await?;
    for mut row in latest {
        let Some(step) = row.pulse().step() else {
            continue;
        };
        let questions = questions(pool, &row.id).await?;
        let targets = all_round_teams.get(&row.id).cloned().unwrap_or_default();
        // A restarted pulse: the windows that began while it was stopped
        // are passed over, not made up for.
        if let Some(from) = row.pulse_resumed_at.clone() {
            for _ in 0..10_000 {
                match (advance(&row.opens_at, step), advance(&row.closes_at, step)) {
                    (Some(opens), Some(closes)) if opens < from => {
                        row.opens_at = opens;
                        row.closes_at = closes;
                    }
                    _ => break,
                }
            }
        }
        // Catch up at most a year of missed windows, keeping the latest one.
        for _ in 0..60 {
            let (Some(opens), Some(closes)) =
                (advance(&row.opens_at, step), advance(&row.closes_at, step))
            else {
                break;
            };
            if opens.as_str() > now {
                break;
            }
            let title = row
                .title
                .rsplit_once(" · ")
                .filter(|(_, d)| d.len() == 10 && d.as_bytes()[4] == b'-')
                .map(|(b, _)| b.to_string())
                .unwrap_or_else(|| row.title.clone());
            let next = RoundRow {
                id: uuid::Uuid::new_v4().to_string(),
                title: format!("{title} · {}", &opens[..10]),
                opens_at: opens,
                closes_at: closes,
                version: 1,
                pulse_resumed_at: None,
                ..row.clone()
            };
            let qs: Vec<Question> = questions
                .iter()
                .map(|q| Question {
                    id: String::new(),
                    ..q.clone()
                })
                .collect();
            let inv = invitees(&targets, &teams, &people);
            insert_round(pool, &next, &targets, &qs, &inv, now).await?;
            row = next;
        }
    }
    Ok(())
}

/// An instant moved on by (days, months).
fn advance(at: &str, (days, months): (i64, u32)) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(at).ok()?.to_utc();
    let t = t.checked_add_months(chrono::Months::new(months))?;
    Some(stamp(t + chrono::Duration::days(days)))
}

/// Active people of the targeted teams and of every team under them, with their team.
pub fn invitees(
    targets: &[String],
    teams: &[crate::people::Team],
    people: &[crate::people::Person],
) -> Vec<(String, String)> {
    let scope = below(targets, teams);
    people
        .iter()
        .filter(|p| p.active)
        .filter_map(|p| {
            p.team_id
                .as_ref()
                .filter(|t| scope.contains(*t))
                .map(|t| (p.id.clone(), t.clone()))
        })
        .collect()
}

/// The teams given and every team under them.
pub fn below(roots: &[String], teams: &[crate::people::Team]) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = roots.iter().cloned().collect();
    loop {
        let before = out.len();
        for t in teams {
            if t.parent_id.as_ref().is_some_and(|p| out.contains(p)) {
                out.insert(t.id.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

// ---------------------------------------------------------------- actions

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionRow {
    pub id: String,
    pub team_id: Option<String>,
    pub focus: String,
    pub action: String,
    pub owner_id: String,
    pub due_date: String,
    pub status: String,
    pub follow_up: String,
    pub created_by: String,
    pub version: i64,
}

pub async fn actions(pool: &AnyPool, round: &str) -> AppResult<Vec<ActionRow>> {
    Ok(sqlx::query_as::<_, ActionRow>(
        "SELECT id, team_id, focus, action, owner_id, due_date, status, follow_up, created_by, version
         FROM survey_actions WHERE round_id = $1 ORDER BY due_date, created_at",
    )
    .bind(round)
    .fetch_all(pool)
    .await?)
}

pub async fn action(pool: &AnyPool, id: &str) -> AppResult<Option<(String, ActionRow)>> {
    let round: Option<String> =
        sqlx::query_scalar("SELECT round_id FROM survey_actions WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    let Some(round) = round else { return Ok(None) };
    let row = actions(pool, &round)
        .await?
        .into_iter()
        .find(|a| a.id == id);
    Ok(row.map(|r| (round, r)))
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_action(
    pool: &AnyPool,
    id: &str,
    round: &str,
    team: Option<&str>,
    focus: Theme,
    action: &str,
    owner: &str,
    due: &str,
    by: &str,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO survey_actions (id, round_id, team_id, focus, action, owner_id, due_date, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(round)
    .bind(team)
    .bind(focus)
    .bind(action)
    .bind(owner)
    .bind(due)
    .bind(by)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Changes an action's focus, text, owner and due date, read at `version`.
pub async fn edit_action(
    pool: &AnyPool,
    id: &str,
    version: i64,
    focus: Theme,
    action: &str,
    owner: &str,
    due: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE survey_actions SET focus = $1, action = $2, owner_id = $3, due_date = $4, version = version + 1
         WHERE id = $5 AND version = $6",
    )
    .bind(focus)
    .bind(action)
    .bind(owner)
    .bind(due)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}

pub async fn follow_up(
    pool: &AnyPool,
    id: &str,
    version: i64,
    status: ActionStatus,
    text: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE survey_actions SET status = $1, follow_up = $2, version = version + 1 WHERE id = $3 AND version = $4",
    )
    .bind(status)
    .bind(text)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}
