//! Unit tests of `src/auth/model.rs`.

use keel::auth::model::*;
use keel::error::ErrorCode;

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
        (&admin, Action::CreateKpis, true),
        (&leader, Action::CreateKpis, true),
        (&pm, Action::CreateKpis, true),
        (&member, Action::CreateKpis, false),
        (&admin, Action::RunSurveys, true),
        (&leader, Action::RunSurveys, true),
        (&pm, Action::RunSurveys, false),
        (&member, Action::RunSurveys, false),
        (&admin, Action::LeadGrowth, true),
        (&leader, Action::LeadGrowth, true),
        (&pm, Action::LeadGrowth, false),
        (&member, Action::LeadGrowth, false),
        (&admin, Action::SeeAll, true),
        (&leader, Action::SeeAll, false),
        (&pm, Action::SeeAll, false),
        (&member, Action::SeeAll, false),
        (&admin, Action::OverseeSurveys, true),
        (&leader, Action::OverseeSurveys, false),
        (&pm, Action::OverseeSurveys, false),
        (&member, Action::OverseeSurveys, false),
        (&admin, Action::ManageFramework, true),
        (&leader, Action::ManageFramework, false),
        (&pm, Action::ManageFramework, false),
        (&member, Action::ManageFramework, false),
        (&admin, Action::ClosePeriod, true),
        (&leader, Action::ClosePeriod, false),
        (&pm, Action::ClosePeriod, false),
        (&member, Action::ClosePeriod, false),
        (
            &admin,
            Action::ActAbove {
                person: "p",
                team: Some("a1"),
            },
            true,
        ),
        (
            &admin,
            Action::ActAbove {
                person: "p",
                team: None,
            },
            true,
        ),
        (
            &admin,
            Action::ActAbove {
                person: "u",
                team: None,
            },
            false,
        ),
        (
            &leader,
            Action::ActAbove {
                person: "p",
                team: Some("a1"),
            },
            true,
        ),
        (
            &leader,
            Action::ActAbove {
                person: "p",
                team: None,
            },
            false,
        ),
        (
            &leader,
            Action::ActAbove {
                person: "u",
                team: Some("a1"),
            },
            false,
        ),
        (
            &other_leader,
            Action::ActAbove {
                person: "p",
                team: Some("a1"),
            },
            false,
        ),
        (
            &pm,
            Action::ActAbove {
                person: "p",
                team: Some("a1"),
            },
            false,
        ),
        (
            &member,
            Action::ActAbove {
                person: "p",
                team: Some("a1"),
            },
            false,
        ),
        (
            &admin,
            Action::SetTeamBudget {
                team: "a",
                team_leader: Some("u"),
            },
            true,
        ),
        (
            &leader,
            Action::SetTeamBudget {
                team: "a1",
                team_leader: None,
            },
            true,
        ),
        (
            &leader,
            Action::SetTeamBudget {
                team: "a",
                team_leader: Some("u"),
            },
            false,
        ),
        (
            &other_leader,
            Action::SetTeamBudget {
                team: "a1",
                team_leader: None,
            },
            false,
        ),
        (
            &pm,
            Action::SetTeamBudget {
                team: "a1",
                team_leader: None,
            },
            false,
        ),
        (
            &member,
            Action::SetTeamBudget {
                team: "a1",
                team_leader: None,
            },
            false,
        ),
    ];
    // A token's scope decides, whatever the role: check-ins cover reading,
    // reading covers nothing more (the records' own rules come after).
    let mut cases = cases.to_vec();
    for who in [&admin, &leader, &pm, &member] {
        for (granted, needed, expected) in [
            (ApiScope::Read, ApiScope::Read, true),
            (ApiScope::Read, ApiScope::CheckIns, false),
            (ApiScope::CheckIns, ApiScope::Read, true),
            (ApiScope::CheckIns, ApiScope::CheckIns, true),
        ] {
            cases.push((who, Action::UseToken { granted, needed }, expected));
        }
    }
    for (actor, action, expected) in &cases {
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
fn backoff_starts_after_five_failures_of_one_pair_and_doubles() {
    let now = 10_000;
    let four: Vec<i64> = (1..=4).map(|i| now - i * 10).collect();
    assert_eq!(backoff_until(&four, now), None);
    let mut five = four.clone();
    five.push(now - 5);
    // Fifth failure 5 s ago: wait 30 s from it.
    assert_eq!(backoff_until(&five, now), Some(now + 25));
    // Once the wait has passed, the next attempt is allowed.
    assert_eq!(backoff_until(&five, now + 25), None);
    let mut six = five.clone();
    six.push(now);
    assert_eq!(backoff_until(&six, now), Some(now + 60));
    // Never longer than the window, and failures older than 15 minutes don't count.
    let many: Vec<i64> = (0..40).map(|i| now - i).collect();
    assert_eq!(backoff_until(&many, now), Some(now + 15 * 60));
    let old: Vec<i64> = (0..40).map(|i| now - 15 * 60 - i).collect();
    assert_eq!(backoff_until(&old, now), None);
}

#[test]
fn only_plausible_emails_are_looked_up() {
    assert!(plausible_email("pm1@example.com"));
    assert!(!plausible_email("no-at-sign"));
    assert!(!plausible_email("@example.com"));
    assert!(!plausible_email("a@"));
    assert!(!plausible_email("a b@example.com"));
    let long = format!("{}@example.com", "a".repeat(250));
    assert!(!plausible_email(&long));
}

#[test]
fn a_bucket_refuses_when_empty_and_refills_over_time() {
    let mut b = Bucket::full(3.0, 0.0);
    for _ in 0..3 {
        assert!(b.take(3.0, 0.5, 0.0).is_ok());
    }
    assert_eq!(b.take(3.0, 0.5, 0.0), Err(2));
    assert!(b.take(3.0, 0.5, 2.0).is_ok());
    b.give_back(3.0);
    assert!(b.take(3.0, 0.5, 2.0).is_ok());
    assert!(!b.is_full(3.0, 0.5, 2.0));
    assert!(b.is_full(3.0, 0.5, 8.0));
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
