//! Roles, the signed-in user and the authorisation rules (pure, no I/O).
use crate::error::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

text_enum!(Role {
    Admin => "admin",
    Leader => "leader",
    Pm => "pm",
    Member => "member",
} without parse);

impl Role {
    /// Reads a form's role: unknown text is an error on the "role" field.
    pub fn parse(s: &str) -> Result<Role, AppError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "role"))
    }
}

text_enum!(Language {
    En => "en",
    Zh => "zh",
} without parse);

impl Language {
    /// Reads a form's language: unknown text is an error on the "language" field.
    pub fn parse(s: &str) -> Result<Language, AppError> {
        match s {
            "en" => Ok(Language::En),
            "zh" => Ok(Language::Zh),
            _ => Err(AppError::field(ErrorCode::InvalidChoice, "language")),
        }
    }
}

text_enum!(
    /// What a personal API token may do: read the KPIs its owner sees, or
    /// also post check-ins to the ones they may edit (which covers reading).
    ApiScope {
    Read => "read",
    CheckIns => "checkins",
});

impl ApiScope {
    /// Whether a token of this scope may do what `needed` asks.
    pub fn covers(self, needed: ApiScope) -> bool {
        self == needed || (self == ApiScope::CheckIns && needed == ApiScope::Read)
    }
}

/// The signed-in person as the browser sees them: never carries the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<String>,
    pub language: Language,
}

/// Who is calling, with the teams they lead (and every team under those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: SessionUser,
    pub led_scope: BTreeSet<String>,
}

/// What a caller wants to do; team-scoped actions name the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Organisation settings (name, time zone, currency).
    ManageOrganisation,
    /// Create and edit teams and users, deactivate, reset passwords.
    ManagePeople,
    /// Growth plans, reviews and check-ins of the people in a team.
    ViewPeopleData { team: &'a str },
    /// Edit a team's work: backlogs, KPIs, scores, order.
    EditTeamWork { team: &'a str },
    /// Hand a team's backlogs, KPIs and plans to another person.
    ManageTeam { team: &'a str },
    /// Submit requirements, vote, answer surveys, give feedback.
    Participate,
    /// Change one's own password and language.
    EditOwnAccount,
    /// See every record whatever its visibility (admins).
    SeeAll,
    /// Create KPIs and goals, and import check-ins (everyone but members).
    CreateKpis,
    /// Make and run survey rounds for teams (admins and leaders).
    RunSurveys,
    /// Manage every survey round whoever owns it, set the minimum group
    /// size, follow up every action plan (admins).
    OverseeSurveys,
    /// Lead people's growth: the training dashboard, budgets, the learning
    /// catalog, mentoring pairs (admins and leaders).
    LeadGrowth,
    /// The competency framework (tracks, levels, competencies), growth
    /// periods, and edits of the learning catalog (admins).
    ManageFramework,
    /// Close a growth period: archive its KPIs with their final status and
    /// carry unfinished plan items over (admins).
    ClosePeriod,
    /// Act on one person as someone above them (ratings, level, plan,
    /// approval): admins, and the leaders whose scope holds the person's
    /// team; never oneself.
    ActAbove {
        person: &'a str,
        team: Option<&'a str>,
    },
    /// Set a team's training budget: admins; a leader for the teams below
    /// the ones they lead (their own team's budget is set above them).
    SetTeamBudget {
        team: &'a str,
        team_leader: Option<&'a str>,
    },
    /// Act through a personal API token of scope `granted` on something
    /// that needs `needed`. The role plays no part: the records' own rules
    /// (a KPI's visibility and editors) come after.
    UseToken { granted: ApiScope, needed: ApiScope },
}

/// Whether the caller may do it (for pages deciding what to offer).
pub fn can(actor: &Actor, action: Action<'_>) -> bool {
    authorize(actor, action).is_ok()
}

/// The one authorisation rule every server function goes through.
pub fn authorize(actor: &Actor, action: Action<'_>) -> Result<(), AppError> {
    let role = actor.user.role;
    let allowed = match action {
        Action::ManageOrganisation | Action::ManagePeople => role == Role::Admin,
        Action::ViewPeopleData { team } => match role {
            Role::Admin => true,
            Role::Leader => actor.led_scope.contains(team),
            Role::Pm | Role::Member => false,
        },
        Action::ManageTeam { team } => match role {
            Role::Admin => true,
            Role::Leader => actor.led_scope.contains(team),
            Role::Pm | Role::Member => false,
        },
        Action::EditTeamWork { team } => match role {
            Role::Admin => true,
            Role::Leader => actor.led_scope.contains(team),
            Role::Pm => actor.user.team_id.as_deref() == Some(team),
            Role::Member => false,
        },
        Action::Participate | Action::EditOwnAccount => true,
        Action::CreateKpis => role != Role::Member,
        Action::RunSurveys | Action::LeadGrowth => matches!(role, Role::Admin | Role::Leader),
        Action::ManageFramework | Action::OverseeSurveys | Action::SeeAll | Action::ClosePeriod => {
            role == Role::Admin
        }
        Action::ActAbove { person, team } => {
            person != actor.user.id
                && match role {
                    Role::Admin => true,
                    Role::Leader => team.is_some_and(|t| actor.led_scope.contains(t)),
                    Role::Pm | Role::Member => false,
                }
        }
        Action::SetTeamBudget { team, team_leader } => match role {
            Role::Admin => true,
            Role::Leader => {
                actor.led_scope.contains(team) && team_leader != Some(actor.user.id.as_str())
            }
            Role::Pm | Role::Member => false,
        },
        Action::UseToken { granted, needed } => granted.covers(needed),
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Failed sign-ins of one account from one client address within this window
/// count towards its backoff; older ones are pruned after a day.
pub const BACKOFF_WINDOW_MINUTES: i64 = 15;
/// Failures for one (account, address) pair that cost nothing.
pub const FREE_FAILURES: usize = 5;
/// The wait after the first failure beyond the free ones; it doubles with
/// each further failure, up to the whole window.
pub const FIRST_BACKOFF_SECONDS: i64 = 30;

/// Until when (unix seconds) an account refuses attempts from one client
/// address, given that pair's recent failures: nothing for the first five
/// failures in 15 minutes, then 30 s after the latest, doubling per failure,
/// at most 15 minutes. Other addresses (the owner's own) are not affected.
pub fn backoff_until(failures: &[i64], now: i64) -> Option<i64> {
    let window = BACKOFF_WINDOW_MINUTES * 60;
    let recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|t| now - *t < window && *t <= now)
        .collect();
    if recent.len() < FREE_FAILURES {
        return None;
    }
    let latest = *recent.iter().max()?;
    let doublings = (recent.len() - FREE_FAILURES).min(10) as u32;
    let wait = (FIRST_BACKOFF_SECONDS << doublings).min(window);
    let until = latest + wait;
    (until > now).then_some(until)
}

/// The longest email address a sign-in looks up (RFC 5321's path limit).
pub const MAX_EMAIL_LEN: usize = 254;
/// The longest password a sign-in hashes (set and reset allow 128).
pub const MAX_PASSWORD_LEN: usize = 1024;

/// Whether a typed sign-in email can be an address at all: checked before
/// any hashing, so that junk costs nothing and is never stored.
pub fn plausible_email(email: &str) -> bool {
    email.len() <= MAX_EMAIL_LEN
        && email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && !host.is_empty() && !host.contains('@'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Compares two secrets in time that depends only on their lengths.
pub fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A token bucket: `capacity` attempts at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    tokens: f64,
    at: f64,
}

impl Bucket {
    pub fn full(capacity: f64, now: f64) -> Bucket {
        Bucket {
            tokens: capacity,
            at: now,
        }
    }

    fn refill(&mut self, capacity: f64, per_second: f64, now: f64) {
        let elapsed = (now - self.at).max(0.0);
        self.tokens = (self.tokens + elapsed * per_second).min(capacity);
        self.at = now;
    }

    /// Takes a token, or says how many seconds until one is there.
    pub fn take(&mut self, capacity: f64, per_second: f64, now: f64) -> Result<(), u64> {
        self.refill(capacity, per_second, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - self.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }

    /// Gives a token back (a sign-in that succeeded costs nothing).
    pub fn give_back(&mut self, capacity: f64) {
        self.tokens = (self.tokens + 1.0).min(capacity);
    }

    /// Whether the bucket is full again at `now` (and can be forgotten).
    pub fn is_full(&self, capacity: f64, per_second: f64, now: f64) -> bool {
        self.tokens + (now - self.at).max(0.0) * per_second >= capacity
    }
}
