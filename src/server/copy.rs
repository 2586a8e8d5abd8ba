//! Whole-database copies, between any two Keel databases of the same schema
//! version, SQLite or PostgreSQL: `keel copy-to <url>` (moving up from
//! SQLite, or back), `keel backup <file>` (a copy into a new SQLite file,
//! whatever the backend: one format to keep and to restore from) and
//! `keel restore <file>` (a copy from such a file into an empty database).
//!
//! Every table is copied whole in one transaction on the target, read in
//! one snapshot of the source, so a copy of a running Keel is consistent.
//! Ids, versions and history rows go over as they are. Rows are read in the
//! order of their own content (or of SQLite's rowid where queries order by
//! it), never in the source's storage order, which could tell when survey
//! rows were written. Sessions are not copied: people sign in again.
use super::db::{self, Backend};
use sqlx::{AnyPool, Row};
use std::collections::BTreeMap;

/// Tables no copy touches: the migration log (each database has its own)
/// and SQLite's session table (sessions stay where they were made).
const SKIPPED: [&str; 2] = ["_sqlx_migrations", "sessions"];

/// Tables that triggers write to (requirement counts, change counters):
/// copied last, so that the triggers fired by copying other tables find
/// nothing to change and the copied values stand.
const WRITTEN_BY_TRIGGERS: [&str; 2] = ["backlogs", "change_counters"];

/// Tables ordered by SQLite's rowid (a column of that name on PostgreSQL).
const ROWID_TABLES: [&str; 3] = ["checkins", "login_failures", "requirement_events"];

/// The kind of value a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ColKind {
    Int,
    Float,
    Text,
    Blob,
}

fn col_kind(declared: &str) -> ColKind {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        ColKind::Int
    } else if t.contains("real")
        || t.contains("double")
        || t.contains("float")
        || t.contains("numeric")
    {
        ColKind::Float
    } else if t.contains("blob") || t.contains("bytea") {
        ColKind::Blob
    } else {
        ColKind::Text
    }
}

/// One value on its way from one database to the other.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Int(Option<i64>),
    Float(Option<f64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
}

impl Val {
    fn read(row: &sqlx::any::AnyRow, i: usize, kind: ColKind) -> Result<Val, String> {
        let fail = |e: sqlx::Error| format!("reading column {i}: {e}");
        Ok(match kind {
            ColKind::Int => match row.try_get::<Option<i64>, _>(i) {
                Ok(v) => Val::Int(v),
                // SQLite may hold a whole number as a real.
                Err(_) => Val::Int(
                    row.try_get::<Option<f64>, _>(i)
                        .map_err(fail)?
                        .map(|f| f as i64),
                ),
            },
            ColKind::Float => match row.try_get::<Option<f64>, _>(i) {
                Ok(v) => Val::Float(v),
                Err(_) => Val::Float(
                    row.try_get::<Option<i64>, _>(i)
                        .map_err(fail)?
                        .map(|n| n as f64),
                ),
            },
            ColKind::Text => Val::Text(row.try_get::<Option<String>, _>(i).map_err(fail)?),
            ColKind::Blob => Val::Blob(row.try_get::<Option<Vec<u8>>, _>(i).map_err(fail)?),
        })
    }

    fn bind<'q>(
        self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Val::Int(v) => q.bind(v),
            Val::Float(v) => q.bind(super::db::OptionalFloat(v)),
            Val::Text(v) => q.bind(v),
            Val::Blob(v) => q.bind(v),
        }
    }

    /// For comparisons in tests and checks.
    fn show(&self) -> String {
        match self {
            Val::Int(v) => format!("{v:?}"),
            Val::Float(v) => format!("{v:?}"),
            Val::Text(v) => format!("{v:?}"),
            Val::Blob(v) => format!("{v:?}"),
        }
    }
}

/// The application's tables of a database, with their columns and kinds.
async fn tables(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
) -> Result<BTreeMap<String, Vec<(String, ColKind)>>, String> {
    let (tables_sql, columns_sql) = match backend {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        ),
        Backend::Postgres => (
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        ),
    };
    let names: Vec<String> = sqlx::query_scalar(tables_sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| format!("listing tables: {e}"))?;
    let mut out = BTreeMap::new();
    for name in names.into_iter().filter(|n| !SKIPPED.contains(&n.as_str())) {
        let cols: Vec<(String, String)> = sqlx::query_as(columns_sql)
            .bind(&name)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| format!("listing the columns of {name}: {e}"))?;
        let cols = cols
            .into_iter()
            // PostgreSQL's stand-in for SQLite's rowid goes by name below.
            .filter(|(c, _)| c != "rowid")
            .map(|(c, t)| (c, col_kind(&t)))
            .collect();
        out.insert(name, cols);
    }
    Ok(out)
}

/// The latest migration applied to a database, or why it is not a Keel database.
pub async fn schema_version(pool: &AnyPool) -> Result<i64, String> {
    sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| "it is not a Keel database (it has no schema version)".to_string())
}

/// Whether a database holds no organisation yet (only what migrations put
/// there: the default framework, counters, job rows).
pub async fn is_empty(pool: &AnyPool) -> Result<bool, String> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM organisation) + (SELECT COUNT(*) FROM users)",
    )
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;
    Ok(n == 0)
}

/// The select list and order of a table's copy.
fn select_sql(table: &str, cols: &[(String, ColKind)]) -> String {
    let list: Vec<String> = cols.iter().map(|(c, _)| format!("\"{c}\"")).collect();
    let order: Vec<String> = (1..=cols.len()).map(|i| i.to_string()).collect();
    if ROWID_TABLES.contains(&table) {
        format!(
            "SELECT rowid, {} FROM \"{table}\" ORDER BY rowid",
            list.join(", ")
        )
    } else {
        format!(
            "SELECT {} FROM \"{table}\" ORDER BY {}",
            list.join(", "),
            order.join(", ")
        )
    }
}

/// Every row of a table, in the copy's order (the rowid first where it counts).
async fn read_table(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    cols: &[(String, ColKind)],
) -> Result<Vec<Vec<Val>>, String> {
    let rowid = ROWID_TABLES.contains(&table);
    let rows = sqlx::query(&select_sql(table, cols))
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| format!("reading {table}: {e}"))?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut vals = Vec::with_capacity(cols.len() + 1);
        if rowid {
            vals.push(Val::read(row, 0, ColKind::Int)?);
        }
        let skip = usize::from(rowid);
        for (i, (_, kind)) in cols.iter().enumerate() {
            vals.push(Val::read(row, i + skip, *kind).map_err(|e| format!("{table}: {e}"))?);
        }
        out.push(vals);
    }
    Ok(out)
}

/// What a copy did.
#[derive(Debug, Default)]
pub struct Copied {
    pub tables: usize,
    pub rows: usize,
}

/// Copies every table of `from` into `to`, which must be at the same schema
/// version and hold no organisation. Nothing is written when anything fails.
pub async fn copy_all(from: &AnyPool, to: &AnyPool) -> Result<Copied, String> {
    let (have, want) = (schema_version(from).await?, schema_version(to).await?);
    if have != want {
        return Err(format!(
            "the source is at schema version {have}, this Keel at {want}: copy with the Keel release that made it"
        ));
    }
    if !is_empty(to).await? {
        return Err(
            "the target already holds an organisation: copy only into an empty database".into(),
        );
    }
    let (from_backend, to_backend) = (Backend::of(from), Backend::of(to));
    // One snapshot of the source for the whole copy.
    let mut src = match from_backend {
        Backend::Sqlite => from.begin().await,
        Backend::Postgres => {
            from.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await
        }
    }
    .map_err(|e| format!("reading the source: {e}"))?;
    let source_tables = tables(&mut *src, from_backend).await?;
    let mut dst = db::begin(to)
        .await
        .map_err(|e| format!("writing the target: {e}"))?;
    let target_tables = tables(&mut *dst, to_backend).await?;
    if source_tables.keys().ne(target_tables.keys()) {
        return Err("the source and the target have different tables".into());
    }
    // Rows point at each other (teams and users): checked at the commit.
    let defer = match to_backend {
        Backend::Sqlite => "PRAGMA defer_foreign_keys = ON",
        Backend::Postgres => "SET CONSTRAINTS ALL DEFERRED",
    };
    sqlx::query(defer)
        .execute(&mut *dst)
        .await
        .map_err(|e| e.to_string())?;
    let mut order: Vec<&String> = target_tables.keys().collect();
    order.sort_by_key(|t| WRITTEN_BY_TRIGGERS.contains(&t.as_str()));
    // What the migrations put into the target goes first.
    for table in &order {
        sqlx::query(&format!("DELETE FROM \"{table}\""))
            .execute(&mut *dst)
            .await
            .map_err(|e| format!("emptying {table}: {e}"))?;
    }
    let mut copied = Copied::default();
    for table in order {
        let cols = &target_tables[table.as_str()];
        if source_tables[table.as_str()]
            .iter()
            .map(|c| &c.0)
            .ne(cols.iter().map(|c| &c.0))
        {
            return Err(format!(
                "{table} has different columns in the source and the target"
            ));
        }
        let rows = read_table(&mut src, table, cols).await?;
        let rowid = ROWID_TABLES.contains(&table.as_str());
        let mut names: Vec<String> = cols.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        if rowid {
            names.insert(0, "rowid".into());
        }
        let width = names.len();
        // Well inside both backends' limits on parameters per statement.
        let per_batch = (2000 / width).max(1);
        for batch in rows.chunks(per_batch) {
            let tuples: Vec<String> = (0..batch.len())
                .map(|r| {
                    let marks: Vec<String> =
                        (1..=width).map(|c| format!("${}", r * width + c)).collect();
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO \"{table}\" ({}) VALUES {}",
                names.join(", "),
                tuples.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for row in batch {
                for v in row {
                    q = v.clone().bind(q);
                }
            }
            q.execute(&mut *dst)
                .await
                .map_err(|e| format!("writing {table}: {e}"))?;
        }
        if rowid && to_backend == Backend::Postgres {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'rowid'), COALESCE(MAX(rowid), 0) + 1, false) FROM \"{table}\""
            ))
            .execute(&mut *dst)
            .await
            .map_err(|e| format!("{table}: {e}"))?;
        }
        copied.tables += 1;
        copied.rows += rows.len();
    }
    dst.commit()
        .await
        .map_err(|e| format!("writing the target: {e}"))?;
    src.rollback().await.ok();
    db::checkpoint(to).await;
    Ok(copied)
}

/// Every table's rows as text, in the copy's order: two databases with the
/// same contents give the same map (tests and `keel copy-to`'s check).
pub async fn contents(pool: &AnyPool) -> Result<BTreeMap<String, Vec<Vec<String>>>, String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    let backend = Backend::of(pool);
    let all = tables(&mut *conn, backend).await?;
    let mut out = BTreeMap::new();
    for (table, cols) in &all {
        let rows = read_table(&mut conn, table, cols).await?;
        out.insert(
            table.clone(),
            rows.into_iter()
                .map(|r| r.iter().map(Val::show).collect())
                .collect(),
        );
    }
    Ok(out)
}
