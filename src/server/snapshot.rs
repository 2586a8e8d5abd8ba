//! In-memory snapshots kept while a database change counter stands still.
//!
//! A [`Snapshot`] holds one value (the KPI rows, the training dashboard's
//! snapshot of a period) together with the value of the row of
//! `change_counters` it was read at. Triggers in the migrations add one to
//! that row on every write that changes what the value shows; nothing here
//! moves a counter.
//!
//! Every request reads the counter from the database once (one small read
//! instead of the whole value) and gets the value from memory while the
//! counter is unchanged, or reads it again when it has moved. The counter is
//! deliberately a database read per request and not an in-process
//! notification: with several app servers on one database, a write through
//! server A moves the counter that server B reads on its next request, so B
//! never serves what A's write made stale. Keep it that way.
//!
//! The value is read after the counter and stored under the counter read
//! before it: a write in between makes the value newer than its counter,
//! which only costs the next request another read. Requests that load at the
//! same time each return what they read; the one stored is the one read at
//! the highest counter (the counters only grow), so a load that started
//! earlier and finishes later does not put back an older value.
use crate::error::AppResult;
use sqlx::AnyPool;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// A value with the change counter it was read at and the key it was read
/// for (`()` when there is only one value, as for the KPI rows; the period
/// and day for the training snapshot).
pub struct Snapshot<T, K = ()> {
    slot: Mutex<Option<Entry<T, K>>>,
}

struct Entry<T, K> {
    counter: i64,
    key: K,
    value: Arc<T>,
}

impl<T, K> Default for Snapshot<T, K> {
    fn default() -> Self {
        Self {
            slot: Mutex::new(None),
        }
    }
}

/// The value of the row `name` of `change_counters`.
pub async fn read_counter(pool: &AnyPool, name: &str) -> AppResult<i64> {
    let value: i64 = sqlx::query_scalar("SELECT value FROM change_counters WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await?;
    Ok(value)
}

impl<T> Snapshot<T> {
    /// The value, from memory while the change counter `counter` (a row of
    /// `change_counters`) has not moved since it was stored, otherwise from
    /// `load`, which is then stored. Reads the counter once per call.
    pub async fn get_or_load<F, Fut>(
        &self,
        pool: &AnyPool,
        counter: &str,
        load: F,
    ) -> AppResult<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        self.get_or_load_keyed(pool, counter, (), load).await
    }
}

impl<T, K: PartialEq> Snapshot<T, K> {
    /// As [`Snapshot::get_or_load`], for a value read for `key`: the stored
    /// value is used only when it was read for an equal key too (only the
    /// last key's value is kept).
    pub async fn get_or_load_keyed<F, Fut>(
        &self,
        pool: &AnyPool,
        counter: &str,
        key: K,
        load: F,
    ) -> AppResult<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        let at = read_counter(pool, counter).await?;
        self.get_or_load_at(at, key, load).await
    }

    /// The value for `key` as of counter value `at`, which the caller has
    /// just read from the database.
    async fn get_or_load_at<F, Fut>(&self, at: i64, key: K, load: F) -> AppResult<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        if let Some(value) = self.cached(at, &key) {
            return Ok(value);
        }
        // Read after the counter: a change in between makes the next request read again.
        let value = Arc::new(load().await?);
        self.store(at, key, value.clone());
        Ok(value)
    }

    fn cached(&self, at: i64, key: &K) -> Option<Arc<T>> {
        let slot = self.slot.lock().ok()?;
        let entry = slot.as_ref()?;
        (entry.counter == at && entry.key == *key).then(|| entry.value.clone())
    }

    /// Stores `value` unless what is stored was read at a higher counter.
    fn store(&self, at: i64, key: K, value: Arc<T>) {
        if let Ok(mut slot) = self.slot.lock() {
            if slot.as_ref().is_none_or(|e| e.counter <= at) {
                *slot = Some(Entry {
                    counter: at,
                    key,
                    value,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Snapshot;
    use crate::error::AppResult;
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
                Err(crate::error::AppError::new(
                    crate::error::ErrorCode::StaleVersion,
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
}
