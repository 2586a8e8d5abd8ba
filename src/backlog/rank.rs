//! Fractional ordering keys: strings that sort between any two others, so that
//! moving one requirement writes one row and never renumbers the backlog.
//!
//! Keys are base-62 digit strings compared bytewise (`0-9A-Za-z` are in
//! ASCII order). No key ends in the smallest digit, so there is always room
//! between two different keys. Written here rather than taken from a crate:
//! it is forty lines, and its exact byte order must match SQL `ORDER BY` on
//! both SQLite and PostgreSQL (`COLLATE "C"`), which we test directly.

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: usize = 62;

fn digit_value(c: u8) -> usize {
    DIGITS
        .iter()
        .position(|d| *d == c)
        .expect("fractional keys hold base-62 digits only")
}

/// Whether a string is a usable key: non-empty base-62 digits, not ending in '0'.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|c| DIGITS.contains(&c)) && !key.ends_with('0')
}

/// A key strictly between `before` and `after` (None meaning the start or the
/// end of the list). Panics if `before >= after`: callers pass neighbours.
pub fn key_between(before: Option<&str>, after: Option<&str>) -> String {
    let a = before.unwrap_or("");
    if let Some(b) = after {
        assert!(a < b, "key_between needs before < after ({a:?} !< {b:?})");
    }
    midpoint(a.as_bytes(), after.map(str::as_bytes))
}

fn midpoint(a: &[u8], b: Option<&[u8]>) -> String {
    if let Some(b) = b {
        // Shared prefix (a padded with zeros): keep it and recurse on the rest.
        let mut n = 0;
        while n < b.len() && a.get(n).copied().unwrap_or(b'0') == b[n] {
            n += 1;
        }
        if n > 0 {
            let rest_a = if n < a.len() { &a[n..] } else { &[] };
            let mut out = String::from_utf8(b[..n].to_vec()).unwrap_or_default();
            out.push_str(&midpoint(rest_a, Some(&b[n..])));
            return out;
        }
    }
    let da = a.first().map(|c| digit_value(*c)).unwrap_or(0);
    let db = b
        .and_then(|b| b.first())
        .map(|c| digit_value(*c))
        .unwrap_or(BASE);
    if db - da > 1 {
        let mid = (da + db).div_ceil(2);
        return (DIGITS[mid] as char).to_string();
    }
    // Consecutive first digits.
    match b {
        Some(b) if b.len() > 1 => (b[0] as char).to_string(),
        _ => {
            let mut out = (DIGITS[da] as char).to_string();
            let rest = if a.len() > 1 { &a[1..] } else { &[] };
            out.push_str(&midpoint(rest, None));
            out
        }
    }
}

/// Keys for `n` items in order, evenly spread (used to reset to score order).
pub fn spread_keys(n: usize) -> Vec<String> {
    let mut keys = Vec::with_capacity(n);
    let mut prev: Option<String> = None;
    for _ in 0..n {
        let k = key_between(prev.as_deref(), None);
        keys.push(k.clone());
        prev = Some(k);
    }
    keys
}
