//! The SQLite pool: WAL, foreign keys, busy timeout, secure delete,
//! temporary data in memory;
//! migrations at start; WAL checkpoints for survey anonymity.
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// How long a statement waits for a lock held by another connection.
const BUSY_TIMEOUT_MS: u64 = 5000;
/// How long one checkpoint attempt waits for readers and writers: it blocks
/// new writers while it waits, so not long; see [`checkpoint`].
const CHECKPOINT_WAIT_MS: u64 = 200;
/// Checkpoint attempts before leaving it to the survey sweep.
const CHECKPOINT_TRIES: u32 = 5;

pub async fn connect(url: &str) -> Result<SqlitePool, String> {
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("KEEL_DATABASE_URL is not a valid SQLite URL: {e}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // Deleted content is overwritten with zeros rather than left in
        // free space or freed pages, where a copy of the file would still
        // show it (survey free text after its round's close, old tables
        // dropped by migrations). See README "Survey anonymity on disk".
        .pragma("secure_delete", "ON")
        // Sorts, RETURNING results and statement journals (which hold page
        // images from before a change) stay in memory instead of spilling
        // into temporary files that are deleted but never zeroed.
        .pragma("temp_store", "MEMORY")
        .busy_timeout(Duration::from_millis(BUSY_TIMEOUT_MS));
    let path = opts.get_filename().to_path_buf();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("KEEL_DATABASE_URL: cannot create {}: {e}", dir.display()))?;
    }
    let pool = SqlitePoolOptions::new()
        // Two cores: four connections keep reads concurrent without
        // holding eight SQLite page caches.
        .max_connections(4)
        .connect_with(opts)
        .await
        .map_err(|e| format!("KEEL_DATABASE_URL: cannot open {}: {e}", path.display()))?;
    sqlx::migrate!()
        .run(&pool)
        .await
        .map_err(|e| format!("database migration failed: {e}"))?;
    // What migrations deleted leaves the WAL too.
    checkpoint(&pool).await;
    Ok(pool)
}

/// Copies the WAL into the database file and truncates it to nothing
/// (`PRAGMA wal_checkpoint(TRUNCATE)`). Surveys call it after each
/// submission and finalisation (after the commit, outside any transaction):
/// a WAL frame holds whole pages of one commit, so until then the WAL would
/// show a participation row together with the counters and free text of the
/// same submission. Once checkpointed, the database file holds only the
/// pages' current contents, which were made with the round and overwritten
/// in place.
///
/// TRUNCATE cannot finish while another connection reads from the WAL, and
/// then reports busy (a row, not an error). That happens in passing: sqlx
/// resets a statement on its connection's worker thread, so a connection
/// that was just given back to the pool may hold its read snapshot a moment
/// longer, more so on a loaded machine. So it is tried up to
/// [`CHECKPOINT_TRIES`] times, each waiting [`CHECKPOINT_WAIT_MS`] for
/// readers (holding off new writers meanwhile, so not long), with a pause
/// in between that lets them through. `false` when it still could not
/// finish; the survey sweep checkpoints again every minute. Runs as a task
/// of its own, so it completes even when the request that asked for it is
/// dropped (a client hanging up), and never leaves a connection with the
/// short timeout in the pool.
pub async fn checkpoint(pool: &SqlitePool) -> bool {
    let pool = pool.clone();
    tokio::spawn(async move { checkpoint_retried(&pool).await })
        .await
        .unwrap_or(false)
}

async fn checkpoint_retried(pool: &SqlitePool) -> bool {
    for attempt in 1..=CHECKPOINT_TRIES {
        match checkpoint_once(pool).await {
            Ok(true) => return true,
            Ok(false) => {}
            Err(e) => tracing::warn!("WAL checkpoint failed: {e}"),
        }
        if attempt < CHECKPOINT_TRIES {
            tokio::time::sleep(Duration::from_millis(10 << attempt)).await;
        }
    }
    tracing::warn!("WAL checkpoint could not finish; the survey sweep tries again");
    false
}

/// One `wal_checkpoint(TRUNCATE)`: `true` when it copied and truncated everything.
async fn checkpoint_once(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query(&format!("PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}"))
        .execute(&mut *conn)
        .await?;
    let result: Result<(i64, i64, i64), sqlx::Error> =
        sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut *conn)
            .await;
    if let Err(e) = sqlx::query(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"))
        .execute(&mut *conn)
        .await
    {
        // Not back in the pool with the short timeout.
        conn.close_on_drop();
        return Err(e);
    }
    // (busy, WAL frames, frames copied): busy = 1 when readers or a writer
    // kept it from copying or truncating.
    Ok(result?.0 == 0)
}

/// An update guarded by `version = ?` that matched nothing was based on an
/// old version: the one answer every version-checked write gives then.
pub fn versioned(done: sqlx::sqlite::SqliteQueryResult) -> crate::error::AppResult<()> {
    if done.rows_affected() == 0 {
        Err(crate::error::AppError::new(
            crate::error::ErrorCode::StaleVersion,
        ))
    } else {
        Ok(())
    }
}
