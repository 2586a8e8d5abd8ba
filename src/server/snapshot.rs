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
