//! Unit tests of `src/auth/store.rs`.

mod password {
    use keel::auth::store::password::*;
    use std::sync::atomic::Ordering;

    /// Forty sign-ins whose clients hang up while they wait or hash: the
    /// queue empties, at most two hashes ever run at once, and the next
    /// sign-in is answered.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropped_attempts_free_their_place_and_never_exceed_the_bound() {
        let hash = hash("right-password".into()).await.unwrap();
        let mut tasks = vec![];
        for _ in 0..40 {
            let h = hash.clone();
            tasks.push(tokio::spawn(async move {
                let _ = tokio::time::timeout(
                    std::time::Duration::from_millis(5),
                    verify("wrong".into(), h),
                )
                .await;
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            WAITING.load(Ordering::SeqCst),
            0,
            "dropped waiters left the queue"
        );
        assert!(verify("right-password".into(), hash).await.unwrap());
        assert!(PEAK.load(Ordering::SeqCst) <= HASHING_PERMITS);
        assert!(PEAK.load(Ordering::SeqCst) >= 1);
    }
}
