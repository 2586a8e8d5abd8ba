//! Unit tests of `src/server/db.rs`.

use keel::server::db;

/// A transaction that reads, then writes while another connection
/// commits a write in between: with a deferred `BEGIN` its write fails
/// (`SQLITE_BUSY`, the snapshot is stale); with [`db::begin`] the other
/// writer waits for it and both succeed.
#[tokio::test]
async fn a_write_transaction_that_reads_first_survives_a_concurrent_writer() {
    let dir = std::env::temp_dir().join(format!("keel-db-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/keel.db", dir.display());
    let pool = db::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE t (n INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    let mut tx = db::begin(&pool).await.unwrap();
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
    sqlx::query("INSERT INTO t (n) VALUES ($1)")
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

/// A search finds the typed text literally: `%`, `_` and `\` are escaped
/// (for `ESCAPE '\'`), and it is lowercased to compare with `lower(column)`.
#[test]
fn like_patterns_escape_wildcards() {
    assert_eq!(db::like_pattern("Round"), "%round%");
    assert_eq!(db::like_pattern("100%"), "%100\\%%");
    assert_eq!(db::like_pattern("a_b"), "%a\\_b%");
    assert_eq!(db::like_pattern("c:\\x"), "%c:\\\\x%");
    assert_eq!(db::like_pattern("敏捷"), "%敏捷%");
}
