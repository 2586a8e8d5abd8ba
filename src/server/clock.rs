//! The organisation's clock: every "today", day of an instant, ISO week and
//! instant a person sees is in the organisation's time zone (SPEC); instants
//! are stored in UTC. Read once per request with [`OrgClock::load`].
use crate::calendar::DEFAULT_TIME_ZONE;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

#[derive(Debug, Clone, Copy)]
pub struct OrgClock {
    tz: chrono_tz::Tz,
}

fn parse_tz(name: &str) -> chrono_tz::Tz {
    name.parse()
        .unwrap_or_else(|_| DEFAULT_TIME_ZONE.parse().expect("the default zone"))
}

impl OrgClock {
    pub fn new(time_zone: &str) -> OrgClock {
        OrgClock {
            tz: parse_tz(time_zone),
        }
    }

    /// The organisation's clock (the default zone before setup).
    pub async fn load(pool: &sqlx::AnyPool) -> crate::error::AppResult<OrgClock> {
        let tz = crate::people::store::organisation(pool)
            .await?
            .map(|o| o.time_zone)
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.into());
        Ok(OrgClock::new(&tz))
    }

    /// Today's date (YYYY-MM-DD) and ISO week number.
    pub fn today(&self) -> (String, u32) {
        let now = Utc::now().with_timezone(&self.tz);
        (now.format("%Y-%m-%d").to_string(), now.iso_week().week())
    }

    /// The organisation's day (YYYY-MM-DD) of a UTC instant.
    pub fn day_at(&self, instant: DateTime<Utc>) -> String {
        instant
            .with_timezone(&self.tz)
            .format("%Y-%m-%d")
            .to_string()
    }

    /// An RFC 3339 instant restated in the organisation's offset
    /// (`2026-12-03T08:00:00Z` → `2026-12-03T16:00:00+08:00` in Shanghai): the
    /// same instant, whose date and time read as the organisation's. Text that
    /// is not an instant is returned as it is.
    pub fn local(&self, instant: &str) -> String {
        match DateTime::parse_from_rfc3339(instant) {
            Ok(t) => t
                .with_timezone(&self.tz)
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            Err(_) => instant.to_string(),
        }
    }

    /// The UTC instant (RFC 3339) at which a date of the organisation begins.
    pub fn day_start(&self, date: NaiveDate) -> String {
        let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
        let local = self
            .tz
            .from_local_datetime(&midnight)
            .earliest()
            .unwrap_or_else(|| self.tz.from_utc_datetime(&midnight));
        local
            .with_timezone(&Utc)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    }

    /// The ISO week (year, week) of an instant in the organisation's zone.
    pub fn iso_week_of(&self, instant: DateTime<Utc>) -> (i32, u32) {
        let w = instant.with_timezone(&self.tz).iso_week();
        (w.year(), w.week())
    }
}
