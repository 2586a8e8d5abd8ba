//! Calendar facts shared by the server and the browser. The organisation's
//! clock itself (time-zone arithmetic) lives on the server
//! (`server::clock::OrgClock`), so the browser bundle carries no zone data:
//! the server sends every instant a person sees already in the
//! organisation's offset.

/// The time zone of an organisation that has not chosen one (SPEC).
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// The currency of an organisation that has not chosen one (SPEC).
pub const DEFAULT_CURRENCY: &str = "CNY";

/// The date part (YYYY-MM-DD) of an instant the server sent in the
/// organisation's offset.
pub fn day_part(instant: &str) -> String {
    instant.chars().take(10).collect()
}

/// "YYYY-MM-DD HH:MM" of an instant the server sent in the organisation's
/// offset.
pub fn minute_part(instant: &str) -> String {
    instant
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ")
}

/// A YYYY-MM-DD date as a day number (Julian day), or None. Parsed by hand:
/// the dashboard reads three dates of every KPI on every request.
pub fn day_number(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        b[r].iter().try_fold(0i32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0'))
        })
    };
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    time::Date::from_calendar_date(num(0..4)?, month, day)
        .ok()
        .map(|d| d.to_julian_day() as i64)
}

/// A day number as YYYY-MM-DD.
pub fn day_text(n: i64) -> String {
    time::Date::from_julian_day(n as i32)
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
        .unwrap_or_default()
}

/// The first and last day (YYYY-MM-DD) of the calendar quarter `offset`
/// quarters from the one `today` (YYYY-MM-DD) falls in: 0 this quarter, -1
/// the last one.
pub fn quarter_bounds(today: &str, offset: i32) -> Option<(String, String)> {
    let n = day_number(today)?;
    let d = time::Date::from_julian_day(n as i32).ok()?;
    let q = (d.year() * 4 + (i32::from(u8::from(d.month())) - 1) / 3) + offset;
    let (year, first_month) = (q.div_euclid(4), q.rem_euclid(4) * 3 + 1);
    let month = |m: i32| time::Month::try_from(u8::try_from(m).ok()?).ok();
    let start = time::Date::from_calendar_date(year, month(first_month)?, 1).ok()?;
    let next = if first_month == 10 {
        time::Date::from_calendar_date(year + 1, time::Month::January, 1).ok()?
    } else {
        time::Date::from_calendar_date(year, month(first_month + 3)?, 1).ok()?
    };
    let end = next.previous_day()?;
    Some((
        day_text(i64::from(start.to_julian_day())),
        day_text(i64::from(end.to_julian_day())),
    ))
}
