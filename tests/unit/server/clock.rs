//! Unit tests of `src/server/clock.rs`.

use chrono::{DateTime, NaiveDate, Utc};
use keel::server::clock::*;

#[test]
fn instants_read_in_the_organisations_zone() {
    let sh = OrgClock::new("Asia/Shanghai");
    assert_eq!(
        sh.local("2026-12-03T17:30:00Z"),
        "2026-12-04T01:30:00+08:00"
    );
    assert_eq!(
        keel::calendar::day_part(&sh.local("2026-12-03T17:30:00Z")),
        "2026-12-04"
    );
    assert_eq!(
        keel::calendar::minute_part(&sh.local("2026-12-03T17:30:00.123Z")),
        "2026-12-04 01:30"
    );
    assert_eq!(sh.local("not a time"), "not a time");
    let d = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert_eq!(sh.day_start(d), "2026-12-03T16:00:00Z");
    let ny = OrgClock::new("America/New_York");
    assert_eq!(ny.day_start(d), "2026-12-04T05:00:00Z");
    // Sunday 23:30 UTC is already Monday (week 50) in Shanghai.
    let t = DateTime::parse_from_rfc3339("2026-12-06T23:30:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(sh.iso_week_of(t), (2026, 50));
    assert_eq!(OrgClock::new("UTC").iso_week_of(t), (2026, 49));
    // An unknown zone falls back to the default.
    assert_eq!(
        OrgClock::new("Mars/Olympus").local("2026-12-03T17:30:00Z"),
        "2026-12-04T01:30:00+08:00"
    );
}
