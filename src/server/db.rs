//! The database pool, on SQLite (the default: one embedded file) or
//! PostgreSQL (several app servers), through sqlx's `Any` driver: one
//! implementation of each query, compiled once, the backend chosen by the URL
//! at start. What differs between the two stays here: connection settings,
//! migrations (`migrations/sqlite`, `migrations/postgres`), how a write
//! transaction starts, WAL checkpoints (SQLite only), and the few SQL
//! fragments in [`Backend`]. See README "One code path, two databases".
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;
use std::time::Duration;

/// How long a statement waits for a lock held by another connection.
const BUSY_TIMEOUT_MS: u64 = 5000;
/// How long one checkpoint attempt waits for readers and writers: it blocks
/// new writers while it waits, so not long; see [`checkpoint`].
const CHECKPOINT_WAIT_MS: u64 = 200;
/// Checkpoint attempts before leaving it to the survey sweep.
const CHECKPOINT_TRIES: u32 = 5;
/// The PostgreSQL advisory lock every write transaction holds: writers take
/// turns, as on SQLite, whichever app server they run on.
const WRITE_LOCK: i64 = 0x6b65_656c; // "keel"

/// Which database a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a `KEEL_DATABASE_URL` names, or why it names none.
    pub fn of_url(url: &str) -> Result<Backend, String> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(format!(
                "KEEL_DATABASE_URL must start with sqlite:// or postgres:// (it starts with {scheme:?})"
            )),
        }
    }

    pub fn of(pool: &AnyPool) -> Backend {
        match pool.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// The backend of a connection (or of a transaction, through deref).
    pub fn of_conn(conn: &sqlx::AnyConnection) -> Backend {
        if conn.backend_name() == "PostgreSQL" {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// Whether an UPDATE that keeps a row's size overwrites it where it is,
    /// leaving no trace of the value before or of when it changed (SQLite,
    /// with `secure_delete` and the WAL checkpointed). PostgreSQL writes a
    /// new row version stamped with its transaction and keeps the old one
    /// and the WAL record: survey answers are then sealed until their round
    /// closes (`surveys::seal`).
    pub fn overwrites_in_place(self) -> bool {
        self == Backend::Sqlite
    }

    /// The current instant in the stored format (`2026-01-31T08:00:00Z`),
    /// by the database's clock (the clock's reading when the statement
    /// runs, not when its transaction began).
    pub fn now_sql(self) -> &'static str {
        match self {
            Backend::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            Backend::Postgres => {
                "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            }
        }
    }

    /// A subquery with one row per element of the JSON array of arrays in
    /// parameter `$param`, its columns `c0`, `c1`, … of the given kinds.
    /// Lets one statement take many rows in one parameter.
    pub fn json_rows(self, param: usize, kinds: &[Kind]) -> String {
        let cols: Vec<String> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| match (self, k) {
                (Backend::Sqlite, _) => format!("json_extract(j.value, '$[{i}]') AS c{i}"),
                (Backend::Postgres, Kind::Text) => format!("j.value->>{i} AS c{i}"),
                (Backend::Postgres, Kind::Int) => format!("(j.value->>{i})::bigint AS c{i}"),
            })
            .collect();
        match self {
            Backend::Sqlite => format!("SELECT {} FROM json_each(${param}) j", cols.join(", ")),
            Backend::Postgres => format!(
                "SELECT {} FROM json_array_elements(${param}::json) AS j(value)",
                cols.join(", ")
            ),
        }
    }

    /// One JSON array of objects with the given keys and SQL values, as
    /// text: many rows read as one value.
    pub fn json_objects(self, pairs: &[(&str, &str)]) -> String {
        let args: Vec<String> = pairs.iter().map(|(k, v)| format!("'{k}', {v}")).collect();
        match self {
            Backend::Sqlite => format!("json_group_array(json_object({}))", args.join(", ")),
            Backend::Postgres => format!(
                "COALESCE(json_agg(json_build_object({}))::text, '[]')",
                args.join(", ")
            ),
        }
    }
}

/// The kind of a column of [`Backend::json_rows`].
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Text,
    Int,
}

/// Opens the pool the URL names and brings its schema up to date.
pub async fn connect(url: &str) -> Result<AnyPool, String> {
    sqlx::any::install_default_drivers();
    let pool = match Backend::of_url(url)? {
        Backend::Sqlite => connect_sqlite(url).await?,
        Backend::Postgres => connect_postgres(url).await?,
    };
    migrate(&pool).await?;
    // What migrations deleted leaves the WAL too.
    checkpoint(&pool).await;
    Ok(pool)
}

/// Opens a database as it is: no migrations, no checkpoint (a backup to
/// restore from, read only).
pub async fn open_existing(url: &str) -> Result<AnyPool, String> {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await
        .map_err(|e| e.to_string())
}

/// Runs the migrations of the pool's backend.
///
/// SQLite cannot alter a CHECK constraint: a migration that changes one
/// rebuilds the table (new table, copy, drop, rename). With foreign keys on,
/// dropping a table that others reference would check (and refuse) every
/// child row, so SQLite's migrations run on one connection with foreign keys
/// off (the switch only works outside a transaction, so it cannot be in the
/// migration itself), and every reference is checked before the connection
/// goes back to the pool with them on again.
pub async fn migrate(pool: &AnyPool) -> Result<(), String> {
    let failed = |e: &dyn std::fmt::Display| format!("database migration failed: {e}");
    match Backend::of(pool) {
        Backend::Postgres => sqlx::migrate!("migrations/postgres")
            .run(pool)
            .await
            .map_err(|e| failed(&e)),
        Backend::Sqlite => {
            let mut conn = pool.acquire().await.map_err(|e| failed(&e))?;
            sqlx::query("PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await
                .map_err(|e| failed(&e))?;
            let run = sqlx::migrate!("migrations/sqlite")
                .run(&mut *conn)
                .await
                .map_err(|e| failed(&e));
            let broken = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut *conn)
                .await
                .map(|rows| rows.len())
                .map_err(|e| failed(&e));
            // Read back: the switch is silently ignored inside a transaction
            // that a failed migration might have left open.
            let on = match sqlx::query("PRAGMA foreign_keys = ON")
                .execute(&mut *conn)
                .await
            {
                Ok(_) => sqlx::query_scalar::<_, i64>("PRAGMA foreign_keys")
                    .fetch_one(&mut *conn)
                    .await
                    .is_ok_and(|v| v == 1),
                Err(_) => false,
            };
            if !on {
                // Never hand the pool a connection without its checks.
                conn.detach();
            }
            run?;
            match broken? {
                0 => Ok(()),
                n => Err(failed(&format!("{n} references point nowhere"))),
            }
        }
    }
}

async fn connect_sqlite(url: &str) -> Result<AnyPool, String> {
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("KEEL_DATABASE_URL is not a valid SQLite URL: {e}"))?;
    let path = opts.get_filename().to_path_buf();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("KEEL_DATABASE_URL: cannot create {}: {e}", dir.display()))?;
    }
    // The file is made when missing (mode=rwc) unless the URL says otherwise.
    let url = if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    AnyPoolOptions::new()
        // Two cores: four connections keep reads concurrent without
        // holding eight SQLite page caches.
        .max_connections(4)
        .after_connect(|conn, _| {
            Box::pin(async move {
                use sqlx::Executor;
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        })
        .connect(&url)
        .await
        .map_err(|e| format!("KEEL_DATABASE_URL: cannot open {}: {e}", path.display()))
}

/// Every SQLite connection's settings: WAL, foreign keys, busy timeout,
/// secure delete, temporary data in memory.
const SQLITE_PRAGMAS: &str = concat!(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    // Deleted content is overwritten with zeros rather than left in free
    // space or freed pages, where a copy of the file would still show it
    // (survey free text after its round's close, old tables dropped by
    // migrations). See README "Survey anonymity on disk".
    " PRAGMA secure_delete = ON;",
    // Sorts, RETURNING results and statement journals (which hold page
    // images from before a change) stay in memory instead of spilling into
    // temporary files that are deleted but never zeroed.
    " PRAGMA temp_store = MEMORY;",
    " PRAGMA busy_timeout = 5000;"
);

async fn connect_postgres(url: &str) -> Result<AnyPool, String> {
    AnyPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
        .map_err(|e| format!("KEEL_DATABASE_URL: cannot connect to PostgreSQL: {e}"))
}

/// Starts a write transaction: `BEGIN IMMEDIATE` takes SQLite's write lock
/// at once (waiting up to the busy timeout for another writer), so a
/// transaction that reads before it writes cannot fail halfway with
/// `SQLITE_BUSY` when another connection committed in between, as a
/// deferred `BEGIN` can. Every user action's writes go through it.
///
/// On PostgreSQL the transaction first takes one advisory lock
/// ([`WRITE_LOCK`]), released at its commit or rollback: writers take turns
/// there too, across every app server, so the same read-then-write code is
/// as safe on both backends.
pub async fn begin(pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Backend::of(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
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
pub async fn checkpoint(pool: &AnyPool) -> bool {
    if Backend::of(pool) != Backend::Sqlite {
        return true;
    }
    let pool = pool.clone();
    tokio::spawn(async move { checkpoint_retried(&pool).await })
        .await
        .unwrap_or(false)
}

async fn checkpoint_retried(pool: &AnyPool) -> bool {
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
async fn checkpoint_once(pool: &AnyPool) -> Result<bool, sqlx::Error> {
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
pub fn versioned(done: sqlx::any::AnyQueryResult) -> crate::error::AppResult<()> {
    if done.rows_affected() == 0 {
        Err(crate::error::AppError::new(
            crate::error::ErrorCode::StaleVersion,
        ))
    } else {
        Ok(())
    }
}

/// A number that may be missing, to bind. Bind optional floats through
/// this, never as `Option<f64>`: sqlx 0.8.6's `Any` driver sends a missing
/// `f64` to PostgreSQL as a `real` (float4) NULL (its arms for the two float
/// kinds are crossed in `AnyArguments::convert_to`), and PostgreSQL then
/// keeps that parameter type for the cached statement, so the next call with
/// a number fails ("incorrect binary data format"). A missing `f32` lands
/// on `double precision`. The PostgreSQL
/// run of the API suite fails if a sqlx upgrade uncrosses them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptionalFloat(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for OptionalFloat {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for OptionalFloat {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(v) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&v, buf),
            // The missing `f32` is the one that reaches PostgreSQL as a
            // `double precision` NULL (see above).
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}

/// A LIKE pattern that finds `s` anywhere, its wildcards escaped so that the
/// typed text matches literally (use with `ESCAPE '\\'`), ASCII lowercased
/// to compare with `lower(column)`.
pub fn like_pattern(s: &str) -> String {
    let mut p = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c.to_ascii_lowercase());
    }
    p.push('%');
    p
}
