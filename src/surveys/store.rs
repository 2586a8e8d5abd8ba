//! Survey storage. Answers and responses are written under random keys with
//! no person, client id or time; participation (person + round) is written
//! in the same transaction and is the only trace of who answered.
use super::model::{
    ActionStatus, AnswerInput, Pulse, Question, QuestionKind, Tally, Theme, Visibility,
};
use crate::error::AppResult;
use sqlx::SqlitePool;
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
}

impl RoundRow {
    pub fn pulse(&self) -> Pulse {
        Pulse::parse(&self.pulse).unwrap_or(Pulse::None)
    }
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Private)
    }
    pub fn status(&self, now: &str) -> super::model::RoundStatus {
        use super::model::RoundStatus::*;
        if now < self.opens_at.as_str() {
            Scheduled
        } else if now < self.closes_at.as_str() {
            Open
        } else {
            Closed
        }
    }
}

const ROUND_COLUMNS: &str = "id, title, owner_id, opens_at, closes_at, pulse, series_id, min_group, comment_min, visibility, support_note, version";

pub async fn round(pool: &SqlitePool, id: &str) -> AppResult<Option<RoundRow>> {
    Ok(sqlx::query_as::<_, RoundRow>(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn rounds(pool: &SqlitePool) -> AppResult<Vec<RoundRow>> {
    Ok(sqlx::query_as::<_, RoundRow>(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds ORDER BY opens_at DESC, title"
    ))
    .fetch_all(pool)
    .await?)
}

/// The teams each round targets.
pub async fn round_teams(pool: &SqlitePool) -> AppResult<BTreeMap<String, Vec<String>>> {
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

/// Invitees and answers per round (every participant was an invitee, so
/// two index-only counts serve, no join).
/// `round`: only that round (a key-prefix count), else every round.
pub async fn turnout(
    pool: &SqlitePool,
    round: Option<&str>,
) -> AppResult<BTreeMap<String, (u32, u32)>> {
    let count = |table: &str| {
        let sql = match round {
            Some(_) => format!(
                "SELECT round_id, COUNT(*) FROM {table} WHERE round_id = ? GROUP BY round_id"
            ),
            None => format!("SELECT round_id, COUNT(*) FROM {table} GROUP BY round_id"),
        };
        async move {
            sqlx::query_as::<_, (String, i64)>(&sql)
                .bind(round.unwrap_or_default())
                .fetch_all(pool)
                .await
        }
    };
    let invited = count("survey_invitees").await?;
    let answered = count("survey_participation").await?;
    let mut out: BTreeMap<String, (u32, u32)> = invited
        .into_iter()
        .map(|(r, n)| (r, (n as u32, 0)))
        .collect();
    for (r, n) in answered {
        out.entry(r).or_default().1 = n as u32;
    }
    Ok(out)
}

/// The submission a person's answer to a round came with, if they answered.
pub async fn submission_of(
    pool: &SqlitePool,
    round: &str,
    person: &str,
) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT submission FROM survey_participation WHERE round_id = ? AND person_id = ?",
    )
    .bind(round)
    .bind(person)
    .fetch_optional(pool)
    .await?)
}

/// The rounds a person was asked in, and those they answered.
pub async fn asked(
    pool: &SqlitePool,
    person: &str,
) -> AppResult<(BTreeSet<String>, BTreeSet<String>)> {
    let asked: Vec<(String,)> =
        sqlx::query_as("SELECT round_id FROM survey_invitees WHERE person_id = ?")
            .bind(person)
            .fetch_all(pool)
            .await?;
    let done: Vec<(String,)> =
        sqlx::query_as("SELECT round_id FROM survey_participation WHERE person_id = ?")
            .bind(person)
            .fetch_all(pool)
            .await?;
    Ok((
        asked.into_iter().map(|r| r.0).collect(),
        done.into_iter().map(|r| r.0).collect(),
    ))
}

/// The team a person was asked as, when they were asked.
pub async fn invitee_team(
    pool: &SqlitePool,
    round: &str,
    person: &str,
) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT team_id FROM survey_invitees WHERE round_id = ? AND person_id = ?",
    )
    .bind(round)
    .bind(person)
    .fetch_optional(pool)
    .await?)
}

pub async fn questions(pool: &SqlitePool, round: &str) -> AppResult<Vec<Question>> {
    let rows: Vec<(String, String, String, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, theme, kind, text_en, text_zh, options, distress_at FROM survey_questions
         WHERE round_id = ? ORDER BY position",
    )
    .bind(round)
    .fetch_all(pool)
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
/// of the targeted teams and every team under them, with their team).
/// `false` when the id exists already (a repeated create).
pub async fn insert_round(
    pool: &SqlitePool,
    row: &RoundRow,
    teams: &[String],
    questions: &[Question],
    invitees: &[(String, String)],
    now: &str,
) -> AppResult<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "INSERT INTO survey_rounds (id, title, owner_id, opens_at, closes_at, pulse, series_id,
             min_group, comment_min, visibility, support_note, version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING",
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
    for t in teams {
        sqlx::query("INSERT INTO survey_round_teams (round_id, team_id) VALUES (?, ?)")
            .bind(&row.id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
    }
    for (i, q) in questions.iter().enumerate() {
        insert_question(&mut tx, &row.id, i as i64, q).await?;
    }
    for (person, team) in invitees {
        sqlx::query("INSERT INTO survey_invitees (round_id, person_id, team_id) VALUES (?, ?, ?)")
            .bind(&row.id)
            .bind(person)
            .bind(team)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

async fn insert_question(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    round: &str,
    position: i64,
    q: &Question,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO survey_questions (id, round_id, position, theme, kind, text_en, text_zh, options, distress_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(if q.id.is_empty() { uuid::Uuid::new_v4().to_string() } else { q.id.clone() })
    .bind(round)
    .bind(position)
    .bind(q.theme.as_str())
    .bind(q.kind.as_str())
    .bind(&q.text_en)
    .bind(&q.text_zh)
    .bind(serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into()))
    .bind(q.distress_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a question at the end of a round that has not opened; `false` when
/// the id exists already.
pub async fn add_question(pool: &SqlitePool, round: &str, q: &Question) -> AppResult<bool> {
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_questions WHERE id = ?")
        .bind(&q.id)
        .fetch_one(pool)
        .await?;
    if exists > 0 {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM survey_questions WHERE round_id = ?",
    )
    .bind(round)
    .fetch_one(&mut *tx)
    .await?;
    insert_question(&mut tx, round, next, q).await?;
    tx.commit().await?;
    Ok(true)
}

/// A version-checked update of one round row.
async fn update_round(pool: &SqlitePool, sql: &str, id: &str, version: i64) -> AppResult<()> {
    let done = sqlx::query(sql)
        .bind(id)
        .bind(version)
        .execute(pool)
        .await?;
    crate::server::db::versioned(done)
}

pub async fn set_thresholds(
    pool: &SqlitePool,
    id: &str,
    version: i64,
    k: u32,
    comment_min: u32,
) -> AppResult<()> {
    update_round(
        pool,
        &format!(
            "UPDATE survey_rounds SET min_group = {k}, comment_min = {comment_min}, version = version + 1
             WHERE id = ? AND version = ?"
        ),
        id,
        version,
    )
    .await
}

pub async fn close_now(pool: &SqlitePool, id: &str, version: i64, now: &str) -> AppResult<()> {
    update_round(
        pool,
        &format!(
            "UPDATE survey_rounds SET closes_at = '{now}', version = version + 1
             WHERE id = ? AND version = ?"
        ),
        id,
        version,
    )
    .await
}

/// Stops a pulse: no round of the series repeats any more.
pub async fn stop_pulse(pool: &SqlitePool, series: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE survey_rounds SET pulse = 'none', version = version + 1 WHERE series_id = ?",
    )
    .bind(series)
    .execute(pool)
    .await?;
    Ok(())
}

/// What a submission did to storage.
pub enum Stored {
    New,
    Replay,
    Second,
}

/// Stores one person's answers: participation first (it stops a second
/// answer and recognises a replay), then one response row and the answers
/// under random keys, all in one transaction.
pub async fn submit(
    pool: &SqlitePool,
    round: &str,
    person: &str,
    submission: &str,
    team: &str,
    answers: &[AnswerInput],
) -> AppResult<Stored> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO survey_participation (round_id, person_id, submission) VALUES (?, ?, ?)
         ON CONFLICT (round_id, person_id) DO NOTHING",
    )
    .bind(round)
    .bind(person)
    .bind(submission)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        let before: String = sqlx::query_scalar(
            "SELECT submission FROM survey_participation WHERE round_id = ? AND person_id = ?",
        )
        .bind(round)
        .bind(person)
        .fetch_one(&mut *tx)
        .await?;
        return Ok(if before == submission {
            Stored::Replay
        } else {
            Stored::Second
        });
    }
    sqlx::query("INSERT INTO survey_responses (id, round_id, team_id) VALUES (?, ?, ?)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(round)
        .bind(team)
        .execute(&mut *tx)
        .await?;
    for a in answers {
        if a.values.is_empty() {
            insert_answer(&mut tx, round, team, &a.question_id, None, Some(&a.text)).await?;
        }
        for v in &a.values {
            insert_answer(&mut tx, round, team, &a.question_id, Some(*v), None).await?;
        }
    }
    tx.commit().await?;
    Ok(Stored::New)
}

async fn insert_answer(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    round: &str,
    team: &str,
    question: &str,
    value: Option<i64>,
    text: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO survey_answers (id, round_id, team_id, question_id, value, text) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(round)
    .bind(team)
    .bind(question)
    .bind(value)
    .bind(text)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A round's answers counted per (question, team); cached once the round
/// has closed. Only for closed rounds: results never exist before.
pub async fn tally(
    pool: &SqlitePool,
    cache: &TallyCache,
    round: &str,
    questions: &[Question],
) -> AppResult<Arc<Tally>> {
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(round).cloned()) {
        return Ok(t);
    }
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
        "SELECT team_id, COUNT(*) FROM survey_responses WHERE round_id = ? GROUP BY team_id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    t.responses = rows.into_iter().map(|(k, n)| (k, n as u32)).collect();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT team_id, COUNT(*) FROM survey_invitees WHERE round_id = ? GROUP BY team_id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    t.invited = rows.into_iter().map(|(k, n)| (k, n as u32)).collect();
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT question_id, team_id, value, COUNT(*) FROM survey_answers
         WHERE round_id = ? AND value IS NOT NULL GROUP BY question_id, team_id, value",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    for (q, team, value, n) in rows {
        let (Some(lo), Some(len)) = (first.get(q.as_str()), scale.get(q.as_str())) else {
            continue;
        };
        let i = (value - lo) as usize;
        let c = t.counts.entry((q, team)).or_insert_with(|| vec![0; *len]);
        if let Some(slot) = c.get_mut(i) {
            *slot += n as u32;
        }
    }
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT question_id, team_id, text FROM survey_answers
         WHERE round_id = ? AND text IS NOT NULL",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    for (q, team, text) in rows {
        t.comments.entry((q, team)).or_default().push(text);
    }
    let t = Arc::new(t);
    if let Ok(mut c) = cache.lock() {
        c.insert(round.to_string(), t.clone());
    }
    Ok(t)
}

// ---------------------------------------------------------------- pulses

/// Makes the next round of every pulse whose next window has begun, with the
/// same questions, teams and settings and today's people as invitees.
pub async fn run_pulses(pool: &SqlitePool, now: &str) -> AppResult<()> {
    let latest: Vec<RoundRow> = sqlx::query_as::<_, RoundRow>(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds r WHERE pulse <> 'none'
         AND opens_at = (SELECT MAX(opens_at) FROM survey_rounds s WHERE s.series_id = r.series_id)"
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

pub async fn actions(pool: &SqlitePool, round: &str) -> AppResult<Vec<ActionRow>> {
    Ok(sqlx::query_as::<_, ActionRow>(
        "SELECT id, team_id, focus, action, owner_id, due_date, status, follow_up, created_by, version
         FROM survey_actions WHERE round_id = ? ORDER BY due_date, created_at",
    )
    .bind(round)
    .fetch_all(pool)
    .await?)
}

pub async fn action(pool: &SqlitePool, id: &str) -> AppResult<Option<(String, ActionRow)>> {
    let round: Option<String> =
        sqlx::query_scalar("SELECT round_id FROM survey_actions WHERE id = ?")
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
    pool: &SqlitePool,
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
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(round)
    .bind(team)
    .bind(focus.as_str())
    .bind(action)
    .bind(owner)
    .bind(due)
    .bind(by)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn follow_up(
    pool: &SqlitePool,
    id: &str,
    version: i64,
    status: ActionStatus,
    text: &str,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE survey_actions SET status = ?, follow_up = ?, version = version + 1 WHERE id = ? AND version = ?",
    )
    .bind(status.as_str())
    .bind(text)
    .bind(id)
    .bind(version)
    .execute(pool)
    .await?;
    crate::server::db::versioned(done)
}
