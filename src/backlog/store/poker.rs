//! Group scoring (priority poker): rounds, invitees, sealed estimates and
//! accepted values.
use super::super::model::{PokerRoundSummary, ScoreInput};
use crate::error::AppResult;
use sqlx::{AnyConnection, AnyPool, Row};

pub struct RoundRow {
    pub id: String,
    pub backlog_id: String,
    pub owner_id: String,
    pub owner_name: String,
    pub title: String,
    pub closed: bool,
}

/// Opens a round; the same id twice stores once.
pub async fn insert_round(
    conn: &mut AnyConnection,
    id: &str,
    backlog_id: &str,
    owner_id: &str,
    title: &str,
    items: &[String],
    invitees: &[String],
    now: &str,
) -> AppResult<bool> {
    let fresh = sqlx::query(
        "INSERT INTO poker_rounds (id, backlog_id, owner_id, title, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(backlog_id)
    .bind(owner_id)
    .bind(title)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if fresh {
        for (i, r) in items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO poker_items (round_id, requirement_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(r)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
        }
        for u in invitees {
            sqlx::query(
                "INSERT INTO poker_participants (round_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(u)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(fresh)
}

pub async fn round(pool: &AnyPool, id: &str) -> AppResult<Option<RoundRow>> {
    let r = sqlx::query(
        "SELECT p.id, p.backlog_id, p.owner_id, u.display_name, p.title, p.closed_at
         FROM poker_rounds p JOIN users u ON u.id = p.owner_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    r.map(|r| {
        Ok(RoundRow {
            id: r.try_get("id")?,
            backlog_id: r.try_get("backlog_id")?,
            owner_id: r.try_get("owner_id")?,
            owner_name: r.try_get("display_name")?,
            title: r.try_get("title")?,
            closed: r.try_get::<Option<String>, _>("closed_at")?.is_some(),
        })
    })
    .transpose()
}

/// (requirement id, title, accepted input), in the order chosen.
pub async fn items(
    pool: &AnyPool,
    round_id: &str,
) -> AppResult<Vec<(String, String, Option<ScoreInput>)>> {
    let rows = sqlx::query(
        "SELECT i.requirement_id, r.title, i.accepted_input FROM poker_items i
         JOIN requirements r ON r.id = i.requirement_id WHERE i.round_id = $1 ORDER BY i.position",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let acc: Option<String> = r.try_get(2)?;
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                acc.and_then(|a| serde_json::from_str(&a).ok()),
            ))
        })
        .collect()
}

/// (user id, name, submitted).
pub async fn participants(
    pool: &AnyPool,
    round_id: &str,
) -> AppResult<Vec<(String, String, bool)>> {
    let rows = sqlx::query(
        "SELECT p.user_id, u.display_name, p.submitted_at FROM poker_participants p
         JOIN users u ON u.id = p.user_id WHERE p.round_id = $1 ORDER BY u.display_name",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get::<Option<String>, _>(2)?.is_some(),
            ))
        })
        .collect()
}

/// (requirement id, user id, input) of everyone.
pub async fn estimates(
    pool: &AnyPool,
    round_id: &str,
) -> AppResult<Vec<(String, String, ScoreInput)>> {
    let rows = sqlx::query(
        "SELECT requirement_id, user_id, input FROM poker_estimates WHERE round_id = $1",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let input: String = r.try_get(2).ok()?;
            Some((
                r.try_get(0).ok()?,
                r.try_get(1).ok()?,
                serde_json::from_str(&input).ok()?,
            ))
        })
        .collect())
}

/// Stores a participant's estimates and, when `submit`, marks them
/// submitted (which shows them the others').
pub async fn save_estimates(
    conn: &mut AnyConnection,
    round_id: &str,
    user_id: &str,
    inputs: &[(String, ScoreInput)],
    submit: bool,
    now: &str,
) -> AppResult<()> {
    for (req, input) in inputs {
        sqlx::query(
            "INSERT INTO poker_estimates (round_id, requirement_id, user_id, input) VALUES ($1, $2, $3, $4)
             ON CONFLICT (round_id, requirement_id, user_id) DO UPDATE SET input = excluded.input",
        )
        .bind(round_id)
        .bind(req)
        .bind(user_id)
        .bind(serde_json::to_string(input).unwrap_or_default())
        .execute(&mut *conn)
        .await?;
    }
    if submit {
        sqlx::query(
            "UPDATE poker_participants SET submitted_at = COALESCE(submitted_at, $1) WHERE round_id = $2 AND user_id = $3",
        )
        .bind(now)
        .bind(round_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn accept(
    conn: &mut AnyConnection,
    round_id: &str,
    requirement_id: &str,
    input: &ScoreInput,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE poker_items SET accepted_input = $1, accepted_at = $2 WHERE round_id = $3 AND requirement_id = $4",
    )
    .bind(serde_json::to_string(input).unwrap_or_default())
    .bind(now)
    .bind(round_id)
    .bind(requirement_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn close(conn: &mut AnyConnection, round_id: &str, now: &str) -> AppResult<()> {
    sqlx::query("UPDATE poker_rounds SET closed_at = COALESCE(closed_at, $1) WHERE id = $2")
        .bind(now)
        .bind(round_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The rounds of a backlog a person may see: theirs, those they are
/// invited to, or all of them when `all`.
pub async fn rounds(
    pool: &AnyPool,
    backlog_id: &str,
    user_id: &str,
    all: bool,
) -> AppResult<Vec<PokerRoundSummary>> {
    let rows = sqlx::query(
        "SELECT p.id, p.title, u.display_name, p.closed_at,
            (SELECT COUNT(*) FROM poker_items i WHERE i.round_id = p.id) AS items,
            (SELECT COUNT(*) FROM poker_participants x WHERE x.round_id = p.id) AS participants,
            (SELECT COUNT(*) FROM poker_participants x WHERE x.round_id = p.id AND x.submitted_at IS NOT NULL) AS submitted,
            (SELECT COUNT(*) FROM poker_participants x WHERE x.round_id = p.id AND x.user_id = $1 AND x.submitted_at IS NULL) AS awaiting,
            (SELECT COUNT(*) FROM poker_participants x WHERE x.round_id = p.id AND x.user_id = $1) AS invited,
            CASE WHEN p.owner_id = $1 THEN 1 ELSE 0 END AS mine
         FROM poker_rounds p JOIN users u ON u.id = p.owner_id
         WHERE p.backlog_id = $2 ORDER BY p.closed_at IS NOT NULL, p.created_at DESC LIMIT 100",
    )
    .bind(user_id)
    .bind(backlog_id)
    .fetch_all(pool)
    .await?;
    let mut out = vec![];
    for r in &rows {
        let owner: String = r.try_get("display_name")?;
        let invited = r.try_get::<i64, _>("invited")? > 0;
        let mine = r.try_get::<i64, _>("mine")? == 1;
        if !(all || invited || mine) {
            continue;
        }
        let closed = r.try_get::<Option<String>, _>("closed_at")?.is_some();
        out.push(PokerRoundSummary {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            owner_name: owner,
            items: r.try_get("items")?,
            participants: r.try_get("participants")?,
            submitted: r.try_get("submitted")?,
            closed,
            awaiting_me: !closed && r.try_get::<i64, _>("awaiting")? > 0,
        });
    }
    Ok(out)
}
