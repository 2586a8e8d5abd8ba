//! Unit tests of `src/backlog/api.rs`.

use keel::backlog::api::*;
use keel::backlog::model::{Source, Status};
use keel::backlog::store;
use keel::server::clock::OrgClock;

fn row(created: &str) -> store::OverviewRow {
    store::OverviewRow {
        id: created.into(),
        title: created.into(),
        status: Status::New,
        source: Source::Customer,
        score: None,
        created_at: created.into(),
        status_changed_at: created.into(),
    }
}

#[test]
fn intake_weeks_are_the_organisations() {
    // Sunday 6 December 2026, 17:00 UTC is Monday 01:00 in Shanghai:
    // week 50 there, still week 49 in UTC.
    let clock = OrgClock::new("Asia/Shanghai");
    let rows = localised(vec![row("2026-12-06T17:00:00Z")], &clock);
    let now = parse_time(&clock.local("2026-12-08T02:00:00Z")).unwrap();
    let o = overview(&rows, now);
    assert_eq!(o.weeks[7].start, "2026-12-07");
    assert_eq!(o.weeks[7].counts.iter().map(|c| c.1).sum::<i64>(), 1);
    // The same instants read in UTC put it in the week before.
    let utc = OrgClock::new("UTC");
    let rows = localised(vec![row("2026-12-06T17:00:00Z")], &utc);
    let now = parse_time(&utc.local("2026-12-08T02:00:00Z")).unwrap();
    let o = overview(&rows, now);
    assert_eq!(o.weeks[7].counts.iter().map(|c| c.1).sum::<i64>(), 0);
    assert_eq!(o.weeks[6].counts.iter().map(|c| c.1).sum::<i64>(), 1);
}
