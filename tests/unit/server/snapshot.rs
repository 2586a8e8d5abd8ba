//! Unit tests of `src/server/snapshot.rs`.

use keel::error::AppResult;
use keel::server::snapshot::Snapshot;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An in-memory database with one change counter, `c`, at 0 (one
/// connection that is never closed, so the database lives as long as the pool).
async fn pool() -> AnyPool {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    sqlx::query("CREATE TABLE change_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO change_counters (name, value) VALUES ('c', 0)")
        .execute(&pool)
        .await
        .unwrap();
    pool
}

async fn bump(pool: &AnyPool) {
    sqlx::query("UPDATE change_counters SET value = value + 1 WHERE name = 'c'")
        .execute(pool)
        .await
        .unwrap();
}

/// Loads `value`, counting the calls in `calls`.
async fn get(
    cache: &Snapshot<String>,
    pool: &AnyPool,
    calls: &AtomicUsize,
    value: &str,
) -> Arc<String> {
    cache
        .get_or_load(pool, "c", || async {
            calls.fetch_add(1, Ordering::SeqCst);
            AppResult::Ok(value.to_string())
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unchanged_counter_reuses_the_value_without_loading() {
    let pool = pool().await;
    let cache = Snapshot::default();
    let calls = AtomicUsize::new(0);
    assert_eq!(*get(&cache, &pool, &calls, "first").await, "first");
    assert_eq!(*get(&cache, &pool, &calls, "second").await, "first");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_moved_counter_loads_and_stores_again() {
    let pool = pool().await;
    let cache = Snapshot::default();
    let calls = AtomicUsize::new(0);
    assert_eq!(*get(&cache, &pool, &calls, "first").await, "first");
    bump(&pool).await;
    assert_eq!(*get(&cache, &pool, &calls, "second").await, "second");
    assert_eq!(*get(&cache, &pool, &calls, "third").await, "second");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn another_key_loads_again() {
    let pool = pool().await;
    let cache: Snapshot<String, &str> = Snapshot::default();
    let get = |key: &'static str| {
        cache.get_or_load_keyed(&pool, "c", key, move || async move {
            AppResult::Ok(format!("{key} loaded"))
        })
    };
    assert_eq!(*get("a").await.unwrap(), "a loaded");
    assert_eq!(*get("b").await.unwrap(), "b loaded");
    let again = cache
        .get_or_load_keyed(&pool, "c", "b", || async {
            AppResult::Ok("not loaded".to_string())
        })
        .await
        .unwrap();
    assert_eq!(*again, "b loaded");
}

#[tokio::test]
async fn a_failed_load_stores_nothing() {
    let pool = pool().await;
    let cache = Snapshot::<String>::default();
    let failed = cache
        .get_or_load(&pool, "c", || async {
            Err(keel::error::AppError::new(
                keel::error::ErrorCode::StaleVersion,
            ))
        })
        .await;
    assert!(failed.is_err());
    let calls = AtomicUsize::new(0);
    assert_eq!(*get(&cache, &pool, &calls, "loaded").await, "loaded");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A load that read the counter before a write and finishes after a load
/// that read it after the write returns its own value, but leaves the
/// newer one stored.
#[tokio::test]
async fn an_older_load_finishing_late_does_not_overwrite_a_newer_one() {
    let pool = pool().await;
    let cache: Arc<Snapshot<String>> = Arc::default();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
    let slow = tokio::spawn({
        let (cache, pool) = (cache.clone(), pool.clone());
        async move {
            cache
                .get_or_load(&pool, "c", || async move {
                    started_tx.send(()).unwrap();
                    release_rx.await.unwrap();
                    AppResult::Ok("old".to_string())
                })
                .await
                .unwrap()
        }
    });
    // The slow load has read counter 0 and is loading.
    started_rx.await.unwrap();
    bump(&pool).await;
    let calls = AtomicUsize::new(0);
    assert_eq!(*get(&cache, &pool, &calls, "new").await, "new");
    release_tx.send(()).unwrap();
    assert_eq!(*slow.await.unwrap(), "old");
    // Counter 1 still: the newer value is served without loading.
    assert_eq!(*get(&cache, &pool, &calls, "newer").await, "new");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
