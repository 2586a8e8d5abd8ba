//! Unit tests of `src/kpi/model.rs`.

use keel::auth::{Actor, Role, SessionUser};
use keel::kpi::model::*;

fn d(s: &str) -> i64 {
    day_number(s).unwrap()
}

fn def(direction: Direction, baseline: f64, target: f64) -> Definition {
    Definition {
        direction,
        baseline,
        target,
        start: d("2026-01-01"),
        due: d("2026-01-01") + 1000,
    }
}

#[test]
fn progress_in_all_four_directions() {
    // Increase 100 → 200, now 150: half way.
    assert_eq!(
        progress(Direction::Increase, 100.0, 200.0, Some(150.0)),
        0.5
    );
    // Past the target or below the baseline is clamped.
    assert_eq!(
        progress(Direction::Increase, 100.0, 200.0, Some(260.0)),
        1.0
    );
    assert_eq!(progress(Direction::Increase, 100.0, 200.0, Some(80.0)), 0.0);
    // Decrease churn 10 % → 6 %, now 9 %: a quarter of the way.
    assert!((progress(Direction::Decrease, 10.0, 6.0, Some(9.0)) - 0.25).abs() < 1e-9);
    assert_eq!(progress(Direction::Decrease, 10.0, 6.0, Some(12.0)), 0.0);
    // Stay above 99.9 uptime: all or nothing.
    assert_eq!(progress(Direction::StayAbove, 99.0, 99.9, Some(99.95)), 1.0);
    assert_eq!(progress(Direction::StayAbove, 99.0, 99.9, Some(99.8)), 0.0);
    assert_eq!(
        progress(Direction::StayBelow, 500.0, 300.0, Some(300.0)),
        1.0
    );
    assert_eq!(
        progress(Direction::StayBelow, 500.0, 300.0, Some(301.0)),
        0.0
    );
    // No check-in yet.
    assert_eq!(progress(Direction::Increase, 1.0, 2.0, None), 0.0);
}

#[test]
fn dates_parse_strictly() {
    assert_eq!(
        day_number("2026-03-01").unwrap() - day_number("2026-02-28").unwrap(),
        1
    );
    assert_eq!(day_text(day_number("2024-02-29").unwrap()), "2024-02-29");
    for bad in [
        "2026-02-30",
        "2026-13-01",
        "26-01-01",
        "2026/01/01",
        "2026-1-011",
        "",
    ] {
        assert_eq!(day_number(bad), None, "{bad}");
    }
}

#[test]
fn expected_progress_is_elapsed_over_total_days() {
    assert_eq!(expected_progress(0, 100, 25), 0.25);
    assert_eq!(expected_progress(0, 100, -5), 0.0);
    assert_eq!(expected_progress(0, 100, 130), 1.0);
}

#[test]
fn status_thresholds_after_rounding_the_gap() {
    assert_eq!(status_for_gap(16.4), KpiStatus::OnTrack);
    assert_eq!(status_for_gap(16.5), KpiStatus::AtRisk);
    assert_eq!(status_for_gap(33.0), KpiStatus::AtRisk);
    assert_eq!(status_for_gap(33.1), KpiStatus::OffTrack);
    // The gap is rounded to 0.1 before comparing.
    assert_eq!(gap_points(0.66451, 0.5), 16.5);
    assert_eq!(status_for_gap(gap_points(0.66451, 0.5)), KpiStatus::AtRisk);
    assert_eq!(gap_points(0.66449, 0.5), 16.4);
    assert_eq!(status_for_gap(gap_points(0.66449, 0.5)), KpiStatus::OnTrack);
    assert_eq!(status_for_gap(gap_points(0.83049, 0.5)), KpiStatus::AtRisk);
    assert_eq!(
        status_for_gap(gap_points(0.83051, 0.5)),
        KpiStatus::OffTrack
    );
}

#[test]
fn the_gap_rounds_half_up_in_decimal() {
    // Binary floating point would make 16.45 a 16.4 (on track).
    assert_eq!(round_points(16.45), 16.5);
    assert_eq!(status_for_gap(round_points(16.45)), KpiStatus::AtRisk);
    assert_eq!(round_points(16.449), 16.4);
    assert_eq!(status_for_gap(round_points(16.449)), KpiStatus::OnTrack);
    assert_eq!(round_points(32.95), 33.0);
    assert_eq!(status_for_gap(round_points(32.95)), KpiStatus::AtRisk);
    assert_eq!(round_points(33.05), 33.1);
    assert_eq!(status_for_gap(round_points(33.05)), KpiStatus::OffTrack);
    assert_eq!(round_points(-0.05), 0.0);
    // The same through progress numbers: 66.45 % expected, 50 % actual.
    assert_eq!(gap_points(0.6645, 0.5), 16.5);
    assert_eq!(gap_points(0.66449, 0.5), 16.4);
    assert_eq!(gap_points(0.8295, 0.5), 33.0);
    assert_eq!(gap_points(0.8305, 0.5), 33.1);
    // Expected progress 329/2000 days, nothing done: 16.45 points.
    assert_eq!(gap_points(expected_progress(0, 2000, 329), 0.0), 16.5);
}

#[test]
fn status_of_a_kpi_from_its_numbers() {
    // Day 500 of 1000: expected 50 %.
    let k = def(Direction::Increase, 0.0, 1000.0);
    let today = k.start + 500;
    // Actual 33.6 % → gap 16.4 → on track; 33.5 % → 16.5 → at risk.
    assert_eq!(status(&k, Some(336.0), today), KpiStatus::OnTrack);
    assert_eq!(status(&k, Some(335.0), today), KpiStatus::AtRisk);
    // 17 % → gap 33 → at risk; 16.9 % → 33.1 → off track.
    assert_eq!(status(&k, Some(170.0), today), KpiStatus::AtRisk);
    assert_eq!(status(&k, Some(169.0), today), KpiStatus::OffTrack);
    assert_eq!(status(&k, Some(1000.0), today), KpiStatus::Achieved);
    // Decrease: reaching the lower target is achieved.
    let down = def(Direction::Decrease, 10.0, 6.0);
    assert_eq!(
        status(&down, Some(5.5), down.start + 10),
        KpiStatus::Achieved
    );
    assert_eq!(
        status(&down, Some(10.0), down.start + 10),
        KpiStatus::OnTrack
    );
    // Stay above/below: on track while the bound holds, else off track.
    let above = def(Direction::StayAbove, 90.0, 95.0);
    assert_eq!(status(&above, Some(95.0), above.start), KpiStatus::OnTrack);
    assert_eq!(status(&above, Some(94.9), above.start), KpiStatus::OffTrack);
    let below = def(Direction::StayBelow, 400.0, 300.0);
    assert_eq!(status(&below, Some(299.0), below.start), KpiStatus::OnTrack);
    assert_eq!(
        status(&below, Some(301.0), below.start),
        KpiStatus::OffTrack
    );
}

#[test]
fn stale_counts_days_of_the_organisation() {
    let start = d("2026-01-01");
    // Checked in on the 1st; weekly cadence: fresh through the 8th, stale on the 9th.
    assert!(!is_stale(Some(start), start, d("2026-01-08"), 7));
    assert!(is_stale(Some(start), start, d("2026-01-09"), 7));
    // Never checked in: counted from the start.
    assert!(!is_stale(None, start, d("2026-01-05"), 7));
    assert!(is_stale(None, start, d("2026-01-10"), 7));
    // A check-in is due from the 8th (a week after), not before.
    assert!(!is_due(Some(start), start, d("2026-01-07"), 7));
    assert!(is_due(Some(start), start, d("2026-01-08"), 7));
}

#[test]
fn corrections_replace_the_value_they_correct() {
    let r = |id: &str, day: &str, v: f64, c: Option<&str>| Recorded {
        id: id.into(),
        day: d(day),
        value: v,
        corrects: c.map(Into::into),
    };
    let recorded = vec![
        r("a", "2026-01-01", 10.0, None),
        r("b", "2026-01-08", 99.0, None),
        r("c", "2026-01-15", 30.0, None),
        // Corrects b (typo) on a later day: b keeps its day.
        r("x", "2026-01-20", 20.0, Some("b")),
        // A correction of the correction still lands on b.
        r("y", "2026-01-21", 21.0, Some("x")),
    ];
    let s = effective_series(&recorded);
    assert_eq!(
        s,
        vec![
            (d("2026-01-01"), 10.0),
            (d("2026-01-08"), 21.0),
            (d("2026-01-15"), 30.0)
        ]
    );
}

#[test]
fn forecast_needs_two_check_ins_and_follows_the_line() {
    let start = d("2026-01-01");
    assert_eq!(forecast(&[], start + 10), None);
    assert_eq!(forecast(&[(start, 5.0)], start + 10), None);
    assert_eq!(forecast(&[(start, 5.0), (start, 7.0)], start + 10), None);
    // Exactly on a line: +2 a day from 10 → 40 at day 15.
    let f = forecast(&[(start, 10.0), (start + 5, 20.0)], start + 15).unwrap();
    assert!((f - 40.0).abs() < 1e-9);
    // Several noisy points: least squares of (0,1),(1,3),(2,2),(3,4) is
    // y = 1.3 + 0.8x → 9.3 at x = 10.
    let pts = [
        (start, 1.0),
        (start + 1, 3.0),
        (start + 2, 2.0),
        (start + 3, 4.0),
    ];
    let f = forecast(&pts, start + 10).unwrap();
    assert!((f - 9.3).abs() < 1e-9, "{f}");
}

#[test]
fn a_sparkline_spans_its_box_and_marks_the_forecast() {
    let start = d("2026-01-01");
    let s = spark(&[(start, 10.0), (start + 7, 20.0)], start + 14);
    assert_eq!(s.n, 2);
    assert_eq!(s.points, "3.0,28.0 59.5,16.0");
    assert_eq!(s.last, Some((59.5, 16.0)));
    // +10 a week → 30 at the due date, the top right corner.
    assert_eq!(s.forecast, Some((116.0, 4.0)));
    assert_eq!(spark(&[], start), Spark::default());
    assert_eq!(spark(&[(start, 5.0)], start + 9).forecast, None);
}

#[test]
fn roll_up_is_a_weighted_mean_with_the_weakest_status() {
    let c = |p, w, s| Child {
        progress: p,
        weight: w,
        status: Some(s),
    };
    let (p, s) = roll_up(&[
        c(1.0, 1.0, KpiStatus::Achieved),
        c(0.5, 1.0, KpiStatus::OnTrack),
        c(0.0, 1.0, KpiStatus::AtRisk),
    ])
    .unwrap();
    assert!((p - 0.5).abs() < 1e-9);
    assert_eq!(s, KpiStatus::AtRisk);
    // Weights: 3 × 1.0 and 1 × 0.2 → 0.8.
    let (p, s) = roll_up(&[
        c(1.0, 3.0, KpiStatus::Achieved),
        c(0.2, 1.0, KpiStatus::OffTrack),
    ])
    .unwrap();
    assert!((p - 0.8).abs() < 1e-9);
    assert_eq!(s, KpiStatus::OffTrack);
    assert_eq!(roll_up(&[]), None);
}

fn goal(id: &str, parent: Option<&str>) -> Goal {
    Goal {
        id: id.into(),
        title: id.into(),
        level: GoalLevel::Team,
        owner_id: None,
        owner_name: None,
        teams: vec![],
        parent_id: parent.map(Into::into),
        visibility: Visibility::Organisation,
        weight: 1.0,
        version: 1,
        description: String::new(),
        start_date: None,
        due_date: None,
        archived: false,
    }
}

#[test]
fn a_goal_cannot_go_under_itself_or_its_descendants() {
    let goals = vec![
        ("a".to_string(), None),
        ("b".to_string(), Some("a".to_string())),
        ("c".to_string(), Some("b".to_string())),
        ("d".to_string(), None),
    ];
    assert!(would_cycle(&goals, "a", "a"));
    assert!(would_cycle(&goals, "a", "c"));
    assert!(would_cycle(&goals, "b", "c"));
    assert!(!would_cycle(&goals, "c", "a"));
    assert!(!would_cycle(&goals, "a", "d"));
}

#[test]
fn the_goal_tree_rolls_up_every_level() {
    let k = |id: &str, goal: &str, p: f64, s: KpiStatus, visible: bool| TreeKpi {
        kpi: GoalKpi {
            id: id.into(),
            code: id.into(),
            name: id.into(),
            progress: p,
            status: s,
            stale: false,
        },
        goal_id: Some(goal.into()),
        weight: 1.0,
        visible,
    };
    let goals = vec![
        (goal("company", None), true),
        (goal("team", Some("company")), true),
        (goal("pm", Some("team")), false),
    ];
    let kpis = vec![
        k("k1", "pm", 0.2, KpiStatus::OffTrack, false),
        k("k2", "team", 1.0, KpiStatus::Achieved, true),
        k("k3", "company", 0.9, KpiStatus::OnTrack, true),
    ];
    let tree = goal_tree(&goals, &kpis);
    assert_eq!(tree.len(), 1);
    let company = &tree[0];
    let team = &company.goals[0];
    // pm goal: 0.2 off track (invisible, still counted).
    assert_eq!(team.hidden, 1);
    assert!((team.progress.unwrap() - 0.6).abs() < 1e-9);
    assert_eq!(team.status, Some(KpiStatus::OffTrack));
    assert!((company.progress.unwrap() - 0.75).abs() < 1e-9);
    assert_eq!(company.status, Some(KpiStatus::OffTrack));
}

fn actor(role: Role, id: &str, team: Option<&str>, led: &[&str]) -> Actor {
    Actor {
        user: SessionUser {
            id: id.into(),
            email: format!("{id}@x"),
            display_name: id.into(),
            role,
            team_id: team.map(Into::into),
            language: keel::auth::Language::En,
        },
        led_scope: led.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn visibility_and_edit_rules() {
    let teams = vec!["growth".to_string()];
    let owned = Ownership {
        person: Some("pm3"),
        teams: &teams,
    };
    let owner = actor(Role::Pm, "pm3", Some("growth"), &[]);
    let mate = actor(Role::Pm, "pm4", Some("growth"), &[]);
    let outsider = actor(Role::Pm, "pm7", Some("platform"), &[]);
    let leader = actor(
        Role::Leader,
        "lead1",
        Some("product"),
        &["product", "growth"],
    );
    let other_leader = actor(Role::Leader, "lead2", Some("platform"), &["platform"]);
    let admin = actor(Role::Admin, "admin", None, &[]);
    let private = Visibility::Private;
    assert!(can_see(&owner, private, &owned));
    assert!(can_see(&leader, private, &owned));
    assert!(can_see(&admin, private, &owned));
    assert!(!can_see(&mate, private, &owned));
    assert!(!can_see(&other_leader, private, &owned));
    assert!(can_see(&mate, Visibility::Team, &owned));
    assert!(!can_see(&outsider, Visibility::Team, &owned));
    assert!(can_see(&outsider, Visibility::Organisation, &owned));
    // Edits: the owner, not another PM of the team; leaders above; admins.
    assert!(can_edit(&owner, &owned));
    assert!(!can_edit(&mate, &owned));
    assert!(can_edit(&leader, &owned));
    assert!(!can_edit(&other_leader, &owned));
    // A team-owned KPI: the team's PMs edit it.
    let team_owned = Ownership {
        person: None,
        teams: &teams,
    };
    assert!(can_edit(&mate, &team_owned));
    assert!(!can_edit(&outsider, &team_owned));
    assert!(can_reassign(&leader, &owned));
    assert!(!can_reassign(&owner, &owned));
}

#[test]
fn only_who_sees_a_goal_and_works_on_it_adds_under_it() {
    use ParentAccess::*;
    let growth = vec!["growth".to_string()];
    let pm3 = actor(Role::Pm, "pm3", Some("growth"), &[]);
    let pm4 = actor(Role::Pm, "pm4", Some("growth"), &[]);
    let pm7 = actor(Role::Pm, "pm7", Some("platform"), &[]);
    let lead1 = actor(
        Role::Leader,
        "lead1",
        Some("product"),
        &["product", "growth"],
    );
    let lead2 = actor(Role::Leader, "lead2", Some("platform"), &["platform"]);
    let admin = actor(Role::Admin, "admin", None, &[]);
    let team_goal = Ownership {
        person: None,
        teams: &growth,
    };
    let pm_goal = Ownership {
        person: Some("pm3"),
        teams: &growth,
    };
    let (company, team, pm) = (GoalLevel::Company, GoalLevel::Team, GoalLevel::Pm);
    let (org, team_vis, private) = (
        Visibility::Organisation,
        Visibility::Team,
        Visibility::Private,
    );
    let none: &[String] = &[];
    let company_goal = Ownership {
        person: None,
        teams: none,
    };
    // A company goal seen by everyone: anyone adds under it.
    assert_eq!(parent_access(&pm7, company, org, &company_goal), Allowed);
    // A private team goal: hidden from another team's PM and leader, and
    // from the team's own PMs (private = the leaders above); as if missing.
    assert_eq!(parent_access(&pm7, team, private, &team_goal), Unseen);
    assert_eq!(parent_access(&lead2, team, private, &team_goal), Unseen);
    assert_eq!(parent_access(&pm3, team, private, &team_goal), Unseen);
    assert_eq!(parent_access(&lead1, team, private, &team_goal), Allowed);
    assert_eq!(parent_access(&admin, team, private, &team_goal), Allowed);
    // A team goal the whole organisation sees: only its team adds under it.
    assert_eq!(parent_access(&pm7, team, org, &team_goal), Refused);
    assert_eq!(parent_access(&lead2, team, org, &team_goal), Refused);
    assert_eq!(parent_access(&pm4, team, team_vis, &team_goal), Allowed);
    // A PM's goal: the PM and the leaders above, not a teammate who sees it.
    assert_eq!(parent_access(&pm3, pm, team_vis, &pm_goal), Allowed);
    assert_eq!(parent_access(&pm4, pm, team_vis, &pm_goal), Refused);
    assert_eq!(parent_access(&pm7, pm, team_vis, &pm_goal), Unseen);
    assert_eq!(parent_access(&lead1, pm, private, &pm_goal), Allowed);
}

#[test]
fn kpi_form_names_the_field_at_fault() {
    let ok = KpiForm {
        code: "act-users".into(),
        name: "Active users".into(),
        owner: "pm:x".into(),
        unit: "k".into(),
        direction: "increase".into(),
        baseline: "1,000".into(),
        target: "2000".into(),
        start_date: "2026-01-01".into(),
        due_date: "2026-06-30".into(),
        cadence_days: "".into(),
        visibility: "".into(),
        goal_id: "".into(),
        weight: "".into(),
    };
    let f = ok.check().unwrap();
    assert_eq!(f.code, "ACT-USERS");
    assert_eq!(f.baseline, 1000.0);
    assert_eq!(f.cadence_days, 7);
    assert_eq!(f.visibility, Visibility::Team);
    let field = |form: KpiForm| form.check().unwrap_err().field.unwrap();
    assert_eq!(
        field(KpiForm {
            target: "1000".into(),
            ..ok.clone()
        }),
        "target"
    );
    assert_eq!(
        field(KpiForm {
            direction: "decrease".into(),
            ..ok.clone()
        }),
        "target"
    );
    assert_eq!(
        field(KpiForm {
            due_date: "2025-12-31".into(),
            ..ok.clone()
        }),
        "due_date"
    );
    assert_eq!(
        field(KpiForm {
            baseline: "abc".into(),
            ..ok.clone()
        }),
        "baseline"
    );
    assert_eq!(
        field(KpiForm {
            code: "有 空格".into(),
            ..ok.clone()
        }),
        "code"
    );
    // Stay-below may have any target but the baseline.
    assert!(
        KpiForm {
            direction: "stay_below".into(),
            target: "3000".into(),
            ..ok
        }
        .check()
        .is_ok()
    );
}

#[test]
fn check_ins_are_checked() {
    let today = d("2026-03-01");
    let c = check_checkin("", "12.5", "80%", " ok ", today).unwrap();
    assert_eq!(c.day, "2026-03-01");
    assert_eq!(c.confidence, 80);
    assert_eq!(c.note, "ok");
    let e = check_checkin("2026-03-02", "1", "", "", today).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("day"));
    let e = check_checkin("", "1", "101", "", today).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("confidence"));
    let e = check_checkin("", "", "", "", today).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("value"));
    assert_eq!(parse_number("１２３"), Some(123.0));
}

fn tree_node(id: &str, goals: Vec<GoalNode>, kpis: usize, hidden: usize) -> GoalNode {
    GoalNode {
        goal: goal(id, None),
        progress: None,
        status: None,
        goals,
        kpis: (0..kpis)
            .map(|i| GoalKpi {
                id: format!("{id}-k{i}"),
                code: format!("K{i}"),
                name: String::new(),
                progress: 0.0,
                status: KpiStatus::OnTrack,
                stale: false,
            })
            .collect(),
        hidden,
        can_edit: false,
        children: 0,
        collapsed: false,
    }
}

/// company → team → pm → sub: the top two levels come open, deeper ones
/// folded (with how much hangs under them), unless opened by `?open=`.
#[test]
fn the_goal_tree_folds_below_two_levels_unless_opened() {
    let tree = || {
        vec![tree_node(
            "company",
            vec![tree_node(
                "team",
                vec![tree_node("pm", vec![tree_node("sub", vec![], 0, 0)], 2, 1)],
                1,
                0,
            )],
            0,
            0,
        )]
    };
    let mut t = tree();
    count_children(&mut t);
    fold_tree(&mut t, 0, &[]);
    let team = &t[0].goals[0];
    assert!(!t[0].collapsed && !team.collapsed);
    assert_eq!(team.kpis.len(), 1);
    let pm = &team.goals[0];
    assert!(pm.collapsed);
    assert_eq!(pm.children, 4, "a goal, two KPIs and a hidden child");
    assert!(pm.goals.is_empty() && pm.kpis.is_empty());
    // Opened: the branch and the path to it.
    let mut t = tree();
    count_children(&mut t);
    fold_tree(&mut t, 0, &open_ids(" pm, ,nothing"));
    let pm = &t[0].goals[0].goals[0];
    assert!(!pm.collapsed);
    assert_eq!(pm.kpis.len(), 2);
    let sub = &pm.goals[0];
    assert!(!sub.collapsed, "nothing under it: nothing to fold");
    assert_eq!(sub.children, 0);
    assert_eq!(
        find_goal(&t, "sub").map(|n| n.goal.id),
        Some("sub".to_string())
    );
    assert!(find_goal(&t, "elsewhere").is_none());
}

#[test]
fn the_final_status_is_the_one_on_the_close_day_and_never_later_than_the_due_date() {
    // Due on day 1000: 40 of 100 is on track at day 400 (40 % expected),
    // off track from day 740 on (over 33 points behind).
    let k = def(Direction::Increase, 0.0, 100.0);
    let start = k.start;
    assert_eq!(
        final_status(&k, Some(40.0), start + 400),
        KpiStatus::OnTrack
    );
    assert_eq!(
        final_status(&k, Some(40.0), start + 800),
        KpiStatus::OffTrack
    );
    // A close after the due date gives the status of the due date.
    assert_eq!(
        final_status(&k, Some(40.0), start + 5000),
        status(&k, Some(40.0), start + 1000)
    );
    assert_eq!(
        final_status(&k, Some(100.0), start + 5000),
        KpiStatus::Achieved
    );
    assert_eq!(final_status(&k, None, start + 1000), KpiStatus::OffTrack);
}

#[test]
fn a_kept_final_status_is_shown_instead_of_the_live_one() {
    assert_eq!(
        shown_status(Some(KpiStatus::OnTrack), KpiStatus::OffTrack),
        KpiStatus::OnTrack
    );
    assert_eq!(shown_status(None, KpiStatus::AtRisk), KpiStatus::AtRisk);
}
