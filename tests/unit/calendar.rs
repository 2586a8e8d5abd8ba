//! Unit tests of `src/calendar.rs`.
use keel::calendar::quarter_bounds;

#[test]
fn quarters_start_and_end_on_their_calendar_days() {
    let q = |today: &str, offset: i32| quarter_bounds(today, offset).unwrap();
    assert_eq!(
        q("2026-12-04", 0),
        ("2026-10-01".into(), "2026-12-31".into())
    );
    assert_eq!(
        q("2026-12-04", -1),
        ("2026-07-01".into(), "2026-09-30".into())
    );
    assert_eq!(
        q("2027-01-01", -1),
        ("2026-10-01".into(), "2026-12-31".into())
    );
    assert_eq!(
        q("2028-02-29", 0),
        ("2028-01-01".into(), "2028-03-31".into())
    );
    assert_eq!(
        q("2026-05-31", 0),
        ("2026-04-01".into(), "2026-06-30".into())
    );
    assert_eq!(quarter_bounds("not a day", 0), None);
}
