//! Unit tests of `src/backlog/rank.rs`.

use keel::backlog::rank::*;

#[test]
fn between_the_ends_and_neighbours() {
    let first = key_between(None, None);
    assert!(is_valid_key(&first));
    let after = key_between(Some(&first), None);
    assert!(after > first);
    let before = key_between(None, Some(&first));
    assert!(before < first && is_valid_key(&before));
    let mid = key_between(Some(&first), Some(&after));
    assert!(first < mid && mid < after && is_valid_key(&mid));
    // Adjacent digits still leave room.
    let k = key_between(Some("a"), Some("b"));
    assert!("a" < k.as_str() && k.as_str() < "b");
    let k = key_between(Some("a1"), Some("a2"));
    assert!("a1" < k.as_str() && k.as_str() < "a2", "{k}");
    let k = key_between(None, Some("01"));
    assert!(k.as_str() < "01" && is_valid_key(&k), "{k}");
}

/// A tiny deterministic generator, so the test needs no dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn a_thousand_random_moves_keep_a_total_order_writing_one_key_each() {
    let mut rng = Lcg(42);
    // (id, key), kept sorted by key like ORDER BY rank_key.
    let keys = spread_keys(50);
    let mut rows: Vec<(usize, String)> = keys.into_iter().enumerate().collect();
    let mut expected: Vec<usize> = (0..50).collect();
    for _ in 0..1000 {
        let from = rng.next(rows.len());
        let to = rng.next(rows.len());
        let (id, _) = rows.remove(from);
        let before = if to == 0 {
            None
        } else {
            Some(rows[to - 1].1.clone())
        };
        let after = rows.get(to).map(|r| r.1.clone());
        let key = key_between(before.as_deref(), after.as_deref());
        assert!(is_valid_key(&key));
        // Exactly one row changes: the moved one.
        rows.insert(to, (id, key));
        let pos = expected.iter().position(|x| *x == id).unwrap();
        expected.remove(pos);
        expected.insert(to, id);
        let mut by_key = rows.clone();
        by_key.sort_by(|x, y| x.1.as_bytes().cmp(y.1.as_bytes()));
        assert_eq!(by_key, rows, "keys sort into the moved order");
        let ids: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(ids, expected);
    }
    let mut seen = std::collections::BTreeSet::new();
    assert!(
        rows.iter().all(|r| seen.insert(r.1.clone())),
        "keys stay unique"
    );
}
