//! Unit tests of `src/server/mod.rs`.

mod clock;
mod config;
mod db;
mod pwa;
mod request;
mod secrets;
mod snapshot;

#[test]
fn today_follows_the_time_zone() {
    use keel::server::clock::OrgClock;
    let (shanghai, _) = OrgClock::new("Asia/Shanghai").today();
    let (honolulu, _) = OrgClock::new("Pacific/Honolulu").today();
    // 18 hours apart: the dates differ by at most one day, and both are dates.
    assert_eq!(shanghai.len(), 10);
    assert_eq!(honolulu.len(), 10);
    assert!(shanghai >= honolulu);
}

/// A check-in at 23:30 in Shanghai (15:30 UTC) on 1 January; a week and an
/// hour later it is already 9 January in Shanghai but only the 8th in UTC:
/// the KPI is stale for a Shanghai organisation and fresh for a UTC one.
#[test]
fn stale_follows_the_organisations_day_boundary() {
    use chrono::TimeZone;
    use keel::kpi::model::{day_number, is_stale};
    use keel::server::clock::OrgClock;
    let day_at = |t, tz: &str| OrgClock::new(tz).day_at(t);
    let checked = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 15, 30, 0).unwrap();
    let now = chrono::Utc.with_ymd_and_hms(2026, 1, 8, 16, 30, 0).unwrap();
    let stale_in = |tz: &str| {
        let last = day_number(&day_at(checked, tz)).unwrap();
        let today = day_number(&day_at(now, tz)).unwrap();
        is_stale(Some(last), last, today, 7)
    };
    assert_eq!(day_at(checked, "Asia/Shanghai"), "2026-01-01");
    assert_eq!(day_at(now, "Asia/Shanghai"), "2026-01-09");
    assert!(stale_in("Asia/Shanghai"));
    assert!(!stale_in("UTC"));
}
