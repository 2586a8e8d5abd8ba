//! The SQLite pool: WAL, foreign keys, busy timeout, secure delete;
//! migrations at start; WAL checkpoints for survey anonymity.
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a statement waits for a lock held by another connection.
const BUSY_TIMEOUT_MS: u64 = 5000;
/// How long a checkpoint waits for readers and writers: it blocks new
/// writers while it waits, so not long; the survey sweep tries again.
const CHECKPOINT_WAIT_MS: u64 = 200;

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

/// Set when a checkpoint could not finish; the survey sweep tries again.
static CHECKPOINT_OWED: AtomicBool = AtomicBool::new(false);

/// Copies the WAL into the database file and truncates it to nothing
/// (`PRAGMA wal_checkpoint(TRUNCATE)`). Surveys call it after each
/// submission and finalisation: a WAL frame holds whole pages of one
/// commit, so until then the WAL would show a participation row together
/// with the counters and free text of the same submission. Once
/// checkpointed, the database file holds only the pages' current contents,
/// which were made with the round and overwritten in place.
/// `false` (and owed to the next sweep) when readers or a writer kept it
/// from finishing.
pub async fn checkpoint(pool: &SqlitePool) -> bool {
    let done = async {
        let mut conn = pool.acquire().await?;
        sqlx::query(&format!("PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}"))
            .execute(&mut *conn)
            .await?;
        let result: Result<(i64, i64, i64), sqlx::Error> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut *conn)
                .await;
        sqlx::query(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"))
            .execute(&mut *conn)
            .await?;
        // busy = 1: readers or a writer kept it from copying or truncating.
        Ok::<bool, sqlx::Error>(result?.0 == 0)
    }
    .await
    .unwrap_or(false);
    if !done {
        tracing::debug!("WAL checkpoint owed");
    }
    CHECKPOINT_OWED.store(!done, Ordering::SeqCst);
    done
}

/// Tries again a checkpoint that could not finish earlier.
pub async fn checkpoint_if_owed(pool: &SqlitePool) -> bool {
    if CHECKPOINT_OWED.load(Ordering::SeqCst) {
        checkpoint(pool).await
    } else {
        true
    }
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
