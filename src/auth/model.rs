//! Roles, the signed-in user and the authorisation rules (pure, no I/O).
use crate::error::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Leader,
    Pm,
    Member,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Leader, Role::Pm, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Pm => "pm",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Result<Role, AppError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "role"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    Zh,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Zh => "zh",
        }
    }

    pub fn parse(s: &str) -> Result<Language, AppError> {
        match s {
            "en" => Ok(Language::En),
            "zh" => Ok(Language::Zh),
            _ => Err(AppError::field(ErrorCode::InvalidChoice, "language")),
        }
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
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Sign-in throttling: this many failures for one account within the window lock it.
pub const LOCKOUT_FAILURES: usize = 10;
pub const LOCKOUT_WINDOW_MINUTES: i64 = 15;

/// Whether an account is locked, given the times of its recent failures
/// (seconds since epoch) and now. Locked while ten failures fall within the
/// 15 minutes before now.
pub fn is_locked_out(failures: &[i64], now: i64) -> bool {
    let window = LOCKOUT_WINDOW_MINUTES * 60;
    failures
        .iter()
        .filter(|t| now - **t < window && **t <= now)
        .count()
        >= LOCKOUT_FAILURES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, team: Option<&str>, led: &[&str]) -> Actor {
        Actor {
            user: SessionUser {
                id: "u".into(),
                email: "u@example.com".into(),
                display_name: "U".into(),
                role,
                team_id: team.map(str::to_string),
                language: Language::En,
            },
            led_scope: led.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Role × action table, denied cases included.
    #[test]
    fn role_action_table() {
        let admin = actor(Role::Admin, None, &[]);
        let leader = actor(Role::Leader, Some("a"), &["a", "a1"]);
        let pm = actor(Role::Pm, Some("a1"), &[]);
        let member = actor(Role::Member, Some("a1"), &[]);
        let other_leader = actor(Role::Leader, Some("b"), &["b"]);

        let cases: &[(&Actor, Action, bool)] = &[
            (&admin, Action::ManageOrganisation, true),
            (&leader, Action::ManageOrganisation, false),
            (&pm, Action::ManageOrganisation, false),
            (&member, Action::ManageOrganisation, false),
            (&admin, Action::ManagePeople, true),
            (&leader, Action::ManagePeople, false),
            (&pm, Action::ManagePeople, false),
            (&member, Action::ManagePeople, false),
            (&admin, Action::ViewPeopleData { team: "a1" }, true),
            (&leader, Action::ViewPeopleData { team: "a1" }, true),
            (&other_leader, Action::ViewPeopleData { team: "a1" }, false),
            (&pm, Action::ViewPeopleData { team: "a1" }, false),
            (&member, Action::ViewPeopleData { team: "a1" }, false),
            (&admin, Action::EditTeamWork { team: "a1" }, true),
            (&leader, Action::EditTeamWork { team: "a1" }, true),
            (&other_leader, Action::EditTeamWork { team: "a1" }, false),
            (&pm, Action::EditTeamWork { team: "a1" }, true),
            (&pm, Action::EditTeamWork { team: "b" }, false),
            (&member, Action::EditTeamWork { team: "a1" }, false),
            (&admin, Action::ManageTeam { team: "a1" }, true),
            (&leader, Action::ManageTeam { team: "a1" }, true),
            (&other_leader, Action::ManageTeam { team: "a1" }, false),
            (&pm, Action::ManageTeam { team: "a1" }, false),
            (&member, Action::ManageTeam { team: "a1" }, false),
            (&member, Action::Participate, true),
            (&member, Action::EditOwnAccount, true),
            (&pm, Action::Participate, true),
        ];
        for (actor, action, expected) in cases {
            assert_eq!(
                authorize(actor, *action).is_ok(),
                *expected,
                "{:?} {:?}",
                actor.user.role,
                action
            );
        }
        assert_eq!(
            authorize(&member, Action::ManagePeople).unwrap_err().code,
            ErrorCode::Forbidden
        );
    }

    #[test]
    fn lockout_after_ten_failures_in_fifteen_minutes() {
        let now = 10_000;
        let nine: Vec<i64> = (0..9).map(|i| now - i * 60).collect();
        assert!(!is_locked_out(&nine, now));
        let mut ten = nine.clone();
        ten.push(now - 14 * 60);
        assert!(is_locked_out(&ten, now));
        // The oldest failure leaves the window: unlocked again.
        let mut old = nine;
        old.push(now - 15 * 60);
        assert!(!is_locked_out(&old, now));
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("root").is_err());
        assert_eq!(Language::parse("zh").unwrap(), Language::Zh);
        assert!(Language::parse("fr").is_err());
    }
}
