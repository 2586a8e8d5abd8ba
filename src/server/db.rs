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

/// Starts a write transaction: `BEGIN IMMEDIATE` takes SQLite's write lock
/// at once (waiting up to the busy timeout for another writer), so a
/// transaction that reads before it writes cannot fail halfway with
/// `SQLITE_BUSY` when another connection committed in between, as a
/// deferred `BEGIN` can. Every user action's writes go through it.
pub async fn begin(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
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

#[cfg(test)]
mod tests {
    /// A transaction that reads, then writes while another connection
    /// commits a write in between: with a deferred `BEGIN` its write fails
    /// (`SQLITE_BUSY`, the snapshot is stale); with [`super::begin`] the other
    /// writer waits for it and both succeed.
    #[tokio::test]
    async fn a_write_transaction_that_reads_first_survives_a_concurrent_writer() {
        let dir = std::env::temp_dir().join(format!("keel-db-{}", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}/keel.db", dir.display());
        let pool = super::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(&pool)
            .await
            .unwrap();
        let mut tx = super::begin(&pool).await.unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let other = pool.clone();
        let writer = tokio::spawn(async move {
            sqlx::query("INSERT INTO t (n) VALUES (2)")
                .execute(&other)
                .await
        });
        // Give the other writer every chance to commit first; it cannot.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        sqlx::query("INSERT INTO t (n) VALUES (?)")
            .bind(count + 1)
            .execute(&mut *tx)
            .await
            .expect("the transaction's own write goes through");
        tx.commit().await.unwrap();
        writer
            .await
            .unwrap()
            .expect("the other writer waited its turn");
        let rows: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY rowid")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(rows, vec![1, 2]);
        pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
