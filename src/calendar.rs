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
