//! The SQLite pool: WAL, foreign keys, busy timeout; migrations at start.
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub async fn connect(url: &str) -> Result<SqlitePool, String> {
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("KEEL_DATABASE_URL is not a valid SQLite URL: {e}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
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
    Ok(pool)
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
