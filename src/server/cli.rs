//! The command line besides serving: `keel backup <file>`,
//! `keel restore <file>`, `keel copy-to <database-url>` (see README
//! "Moving up, backing up"). Each prints one line saying what it did, or
//! one line naming the problem, having written nothing.
use super::{config, copy, db};
use std::path::Path;

const USAGE: &str =
    "usage: keel [serve] | keel backup <file> | keel restore <file> | keel copy-to <database-url>";

/// Runs a command (`args` without the program name); `Ok` holds what to print.
pub async fn command(args: &[String]) -> Result<String, String> {
    let url = config::database_url(&|k| std::env::var(k).ok())?;
    match args {
        [cmd, file] if cmd == "backup" => backup(&url, Path::new(file)).await,
        [cmd, file] if cmd == "restore" => restore(&url, Path::new(file)).await,
        [cmd, target] if cmd == "copy-to" => copy_to(&url, target).await,
        _ => Err(USAGE.to_string()),
    }
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// A consistent copy of the database into a new SQLite file.
pub async fn backup(url: &str, file: &Path) -> Result<String, String> {
    if file.exists() {
        return Err(format!(
            "{} exists already: name a new file",
            file.display()
        ));
    }
    let from = db::connect(url).await?;
    let result = async {
        let to = db::connect(&sqlite_url(file)).await?;
        let done = copy::copy_all(&from, &to).await;
        to.close().await;
        done
    }
    .await;
    from.close().await;
    match result {
        Ok(c) => Ok(format!(
            "backed up {} rows of {} tables to {}",
            c.rows,
            c.tables,
            file.display()
        )),
        Err(e) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
            Err(format!("backup failed, nothing kept: {e}"))
        }
    }
}

/// Copies a backup file into the (empty) database Keel is configured with.
pub async fn restore(url: &str, file: &Path) -> Result<String, String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let from = db::open_existing(&format!("{}?mode=ro", sqlite_url(file)))
        .await
        .map_err(|e| format!("{} cannot be read: {e}", file.display()))?;
    let version = copy::schema_version(&from)
        .await
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let to = db::connect(url).await?;
    let result = copy::copy_all(&from, &to).await;
    from.close().await;
    to.close().await;
    let c = result.map_err(|e| format!("restore failed, nothing written: {e}"))?;
    Ok(format!(
        "restored {} rows of {} tables (schema version {version}) from {}",
        c.rows,
        c.tables,
        file.display()
    ))
}

/// Copies the whole organisation into another, empty database, then checks
/// that both hold the same rows.
pub async fn copy_to(url: &str, target: &str) -> Result<String, String> {
    db::Backend::of_url(target).map_err(|e| e.replace("KEEL_DATABASE_URL", "the target URL"))?;
    let from = db::connect(url).await?;
    let to = db::connect(target).await.map_err(|e| {
        format!(
            "the target database: {}",
            e.replace("KEEL_DATABASE_URL: ", "")
        )
    })?;
    let result = async {
        let c = copy::copy_all(&from, &to).await?;
        if copy::contents(&from).await? != copy::contents(&to).await? {
            return Err("the copy differs from the source".to_string());
        }
        Ok(c)
    }
    .await;
    from.close().await;
    to.close().await;
    let c = result.map_err(|e| format!("copy failed: {e}"))?;
    Ok(format!(
        "copied {} rows of {} tables; the target holds the same rows as the source",
        c.rows, c.tables
    ))
}
