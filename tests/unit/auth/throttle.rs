//! Unit tests of `src/auth/throttle.rs`.

use keel::auth::throttle::*;

#[test]
fn the_server_wide_bucket_stops_a_spread_out_burst() {
    let t = SignInThrottle::default();
    // 250 attempts at once, each from its own address: every address is
    // within its own limit, the server's bucket is not.
    let results: Vec<(String, bool)> = (0..250)
        .map(|i| {
            let a = format!("10.1.{}.{}", i / 256, i % 256);
            let ok = t.take(&a).is_ok();
            (a, ok)
        })
        .collect();
    let taken = results.iter().filter(|r| r.1).count();
    assert!((200..205).contains(&taken), "{taken}");
    // A refused attempt does not cost its address a token.
    let refused = &results.iter().find(|r| !r.1).unwrap().0;
    let clients = t.clients.lock().unwrap();
    let now = t.started.elapsed().as_secs_f64();
    assert!(clients[refused].is_full(CLIENT_CAPACITY, CLIENT_PER_SECOND, now));
}
