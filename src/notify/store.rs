//! The outbox and the inbox: events written in the caller's transaction with
//! one notification per recipient, and a person's notifications (their own
//! rows only).
use super::model::{Event, EventKind};
use crate::error::AppResult;
use sqlx::{AnyConnection, AnyPool, Row};

/// How long a read notification is kept.
pub const KEEP_READ_DAYS: i64 = 180;

/// The current instant, UTC, fixed width with microseconds
/// (`2026-12-04T08:00:00.123456Z`): instants of one format compare as text,
/// and two notifications a moment apart have different times.
pub fn now_micros() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// Writes an event and one notification per person of its audience
/// (`sources::audience`), leaving out the actor and inactive people, in the
/// caller's transaction: the change and what it tells are stored together
/// or not at all. Returns who was notified.
pub async fn emit(conn: &mut AnyConnection, event: &Event) -> AppResult<Vec<String>> {
    let audience = super::sources::audience(conn, event).await?;
    emit_to(conn, event, &audience).await
}

/// [`emit`] to a given audience (still without the actor and inactive people).
pub async fn emit_to(
    conn: &mut AnyConnection,
    event: &Event,
    recipients: &[String],
) -> AppResult<Vec<String>> {
    let now = now_micros();
    sqlx::query(
        "INSERT INTO notify_events (id, kind, subject_id, team_id, actor_id, params, link, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&event.id)
    .bind(event.kind)
    .bind(&event.subject_id)
    .bind(&event.team_id)
    .bind(&event.actor_id)
    .bind(serde_json::to_string(&event.params).unwrap_or_else(|_| "{}".into()))
    .bind(&event.link)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    let mut people: Vec<String> = recipients
        .iter()
        .filter(|r| Some(r.as_str()) != event.actor_id.as_deref())
        .cloned()
        .collect();
    people.sort();
    people.dedup();
    let mut notified = Vec::new();
    for person in people {
        let active: Option<i64> = sqlx::query_scalar("SELECT active FROM users WHERE id = $1")
            .bind(&person)
            .fetch_optional(&mut *conn)
            .await?;
        if active != Some(1) {
            continue;
        }
        let done = sqlx::query(
            "INSERT INTO notifications (id, recipient_id, event_id, read_at, digest_pending, created_at)
             VALUES ($1, $2, $3, NULL, 0, $4) ON CONFLICT (recipient_id, event_id) DO NOTHING",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&person)
        .bind(&event.id)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            notified.push(person);
        }
    }
    Ok(notified)
}

/// How many notifications a person has not read.
pub async fn unread_count(pool: &AnyPool, user_id: &str) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?)
}

/// A stored notification with its event, before it is worded.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub kind: EventKind,
    pub params: std::collections::BTreeMap<String, String>,
    pub link: String,
    pub read: bool,
    pub created_at: String,
}

/// One page (`limit` from `offset`, newest first) of a person's
/// notifications, and how many there are.
pub async fn page(
    pool: &AnyPool,
    user_id: &str,
    offset: i64,
    limit: i64,
    unread_only: bool,
) -> AppResult<(Vec<Stored>, i64)> {
    let filter = if unread_only {
        " AND n.read_at IS NULL"
    } else {
        ""
    };
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM notifications n WHERE n.recipient_id = $1{filter}"
    ))
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT n.id, e.kind, e.params, e.link, n.read_at, n.created_at
         FROM notifications n JOIN notify_events e ON e.id = n.event_id
         WHERE n.recipient_id = $1{filter}
         ORDER BY n.created_at DESC, n.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        // A kind this version no longer knows is left out, never an error.
        let Some(kind) = EventKind::parse(&r.try_get::<String, _>("kind")?) else {
            continue;
        };
        let params: String = r.try_get("params")?;
        out.push(Stored {
            id: r.try_get("id")?,
            kind,
            params: serde_json::from_str(&params).unwrap_or_default(),
            link: r.try_get("link")?,
            read: r.try_get::<Option<String>, _>("read_at")?.is_some(),
            created_at: r.try_get("created_at")?,
        });
    }
    Ok((out, total))
}

/// The newest arrival among a person's notifications ("" when none).
pub async fn newest(pool: &AnyPool, user_id: &str) -> AppResult<String> {
    let v: Option<String> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM notifications WHERE recipient_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
    Ok(v.unwrap_or_default())
}

/// Marks one of a person's notifications read; a read one stays as it was
/// (a replay changes nothing). False when the person has no such
/// notification (someone else's is the same as none).
pub async fn mark_read(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    now: &str,
) -> AppResult<bool> {
    let mine: Option<String> =
        sqlx::query_scalar("SELECT id FROM notifications WHERE id = $1 AND recipient_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    if mine.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE id = $2 AND recipient_id = $3 AND read_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Marks read a person's notifications that arrived at or before `up_to`
/// (the newest one the page showed): one that arrived later stays unread.
pub async fn mark_all(
    conn: &mut AnyConnection,
    user_id: &str,
    up_to: &str,
    now: &str,
) -> AppResult<u64> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $1
         WHERE recipient_id = $2 AND read_at IS NULL AND created_at <= $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(up_to)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes read notifications older than [`KEEP_READ_DAYS`], then events
/// nothing refers to any more (the background job `notify_cleanup`).
pub async fn cleanup(pool: &AnyPool, now: chrono::DateTime<chrono::Utc>) -> AppResult<u64> {
    let before = (now - chrono::Duration::days(KEEP_READ_DAYS))
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    let mut tx = crate::server::db::begin(pool).await?;
    let done =
        sqlx::query("DELETE FROM notifications WHERE read_at IS NOT NULL AND created_at < $1")
            .bind(&before)
            .execute(&mut *tx)
            .await?;
    sqlx::query(
        "DELETE FROM notify_events WHERE created_at < $1
           AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.event_id = notify_events.id)
           AND NOT EXISTS (SELECT 1 FROM notify_deliveries d WHERE d.event_id = notify_events.id)",
    )
    .bind(&before)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
