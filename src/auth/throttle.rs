//! Sign-in throttling in server memory: a token bucket per client address
//! and one for the whole server, in front of every password verification.
//! (Per server process: with several app servers each has its own buckets;
//! the per-account backoff lives in the database and is shared.)
use super::model::Bucket;
use std::collections::HashMap;
use std::sync::Mutex;

/// Attempts one client address may make at once, and its refill per second.
pub const CLIENT_CAPACITY: f64 = 10.0;
pub const CLIENT_PER_SECOND: f64 = 1.0 / 6.0;
/// Attempts the whole server takes at once, and its refill per second.
const GLOBAL_CAPACITY: f64 = 200.0;
const GLOBAL_PER_SECOND: f64 = 20.0;
/// Beyond this many tracked addresses, full buckets are forgotten.
const PRUNE_AT: usize = 10_000;

pub struct SignInThrottle {
    // Public (hidden from the docs) for tests/unit/auth/throttle.rs, as is `started`.
    #[doc(hidden)]
    pub clients: Mutex<HashMap<String, Bucket>>,
    global: Mutex<Bucket>,
    #[doc(hidden)]
    pub started: std::time::Instant,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle {
            clients: Mutex::new(HashMap::new()),
            global: Mutex::new(Bucket::full(GLOBAL_CAPACITY, 0.0)),
            started: std::time::Instant::now(),
        }
    }
}

impl SignInThrottle {
    fn now(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Takes a token for one attempt from `address`, or the seconds to wait.
    pub fn take(&self, address: &str) -> Result<(), u64> {
        let now = self.now();
        {
            let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
            if clients.len() >= PRUNE_AT {
                clients.retain(|_, b| !b.is_full(CLIENT_CAPACITY, CLIENT_PER_SECOND, now));
            }
            clients
                .entry(address.to_string())
                .or_insert_with(|| Bucket::full(CLIENT_CAPACITY, now))
                .take(CLIENT_CAPACITY, CLIENT_PER_SECOND, now)?;
        }
        let mut global = self.global.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(wait) = global.take(GLOBAL_CAPACITY, GLOBAL_PER_SECOND, now) {
            drop(global);
            self.give_back_client(address);
            return Err(wait);
        }
        Ok(())
    }

    fn give_back_client(&self, address: &str) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = clients.get_mut(address) {
            b.give_back(CLIENT_CAPACITY);
        }
    }

    /// A successful sign-in costs nothing: its token goes back.
    pub fn give_back(&self, address: &str) {
        self.give_back_client(address);
        let mut global = self.global.lock().unwrap_or_else(|e| e.into_inner());
        global.give_back(GLOBAL_CAPACITY);
    }
}
