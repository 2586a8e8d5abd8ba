//! Unit tests of `src/growth/model.rs`.

use keel::error::ErrorCode;
use keel::growth::model::*;

fn row(id: &str, expected: u8, s: Option<u8>, l: Option<u8>) -> RatingRow {
    RatingRow {
        competency_id: id.into(),
        names: Names::default(),
        expected_next: expected,
        expectation: Names::default(),
        self_rating: s,
        leader_rating: l,
        gap: gap(expected, s, l),
        retired: false,
    }
}

fn entry(id: &str, comps: &[&str], cost: i64) -> CatalogEntry {
    CatalogEntry {
        id: id.into(),
        title: format!("title {id}"),
        kind: ItemKind::Course,
        competencies: comps.iter().map(|c| c.to_string()).collect(),
        link: String::new(),
        cost,
        language: "en".into(),
        version: 1,
        retired: false,
    }
}

#[test]
fn the_nearest_leader_approves_or_an_admin_where_there_is_none() {
    let team = |id: &str, parent: Option<&str>, leader: Option<&str>| keel::people::Team {
        id: id.into(),
        name: id.into(),
        parent_id: parent.map(Into::into),
        leader_id: leader.map(Into::into),
        version: 1,
    };
    let teams = vec![
        team("org", None, Some("ceo")),
        team("product", Some("org"), Some("lead")),
        team("growth", Some("product"), None),
        team("free", None, None),
    ];
    // pm in growth: lead approves; the leader above lead and admins do not.
    assert!(may_approve_plan(
        "lead",
        false,
        "pm",
        Some("growth"),
        &teams
    ));
    assert!(!may_approve_plan(
        "ceo",
        false,
        "pm",
        Some("growth"),
        &teams
    ));
    assert!(!may_approve_plan(
        "admin",
        true,
        "pm",
        Some("growth"),
        &teams
    ));
    // lead's own plan: ceo approves, never lead.
    assert!(may_approve_plan(
        "ceo",
        false,
        "lead",
        Some("product"),
        &teams
    ));
    assert!(!may_approve_plan(
        "lead",
        false,
        "lead",
        Some("product"),
        &teams
    ));
    // Nobody leads above: an admin approves, not their own plan.
    assert!(may_approve_plan("admin", true, "pm", Some("free"), &teams));
    assert!(!may_approve_plan("admin", true, "admin", None, &teams));
}

#[test]
fn gap_uses_the_leader_rating_then_the_self_rating() {
    assert_eq!(gap(4, Some(4), Some(2)), Some(2));
    assert_eq!(gap(4, Some(3), None), Some(1));
    assert_eq!(gap(3, None, Some(5)), Some(-2));
    assert_eq!(gap(3, None, None), None);
}

#[test]
fn largest_gaps_are_positive_largest_first_in_framework_order_on_ties() {
    let rows = [
        row("discovery", 4, Some(3), None),    // 1
        row("strategy", 4, Some(4), Some(1)),  // 3
        row("execution", 4, Some(5), Some(5)), // -1
        row("data", 4, None, None),            // none
        row("comms", 5, Some(4), Some(2)),     // 3
        row("lead", 3, Some(1), None),         // 2
    ];
    assert_eq!(
        largest_gaps(&rows, 3),
        vec![("strategy", 3), ("comms", 3), ("lead", 2)]
    );
    assert_eq!(largest_gaps(&rows, 10).len(), 4);
    assert!(largest_gaps(&rows[2..4], 3).is_empty());
}

#[test]
fn completion_counts_done_over_everything_not_dropped() {
    use ItemStatus::*;
    assert_eq!(
        completion_rate([Done, Planned, InProgress, Dropped]),
        Some(1.0 / 3.0)
    );
    assert_eq!(completion_rate([Done, Done]), Some(1.0));
    assert_eq!(completion_rate([Planned]), Some(0.0));
    assert_eq!(completion_rate([Dropped]), None);
    assert_eq!(completion_rate([]), None);
    assert_eq!(completion_of(1, 4, 1), Some(1.0 / 3.0));
    assert_eq!(completion_of(0, 1, 1), None);
}

#[test]
fn overdue_means_past_due_and_still_open() {
    use ItemStatus::*;
    assert!(is_overdue(Planned, 99, 100));
    assert!(is_overdue(InProgress, 99, 100));
    assert!(
        !is_overdue(Planned, 100, 100),
        "due today is not overdue yet"
    );
    assert!(!is_overdue(Done, 1, 100));
    assert!(!is_overdue(Dropped, 1, 100));
}

#[test]
fn budget_sums_and_approval() {
    use ItemStatus::*;
    let items = [(Planned, 300_00), (Done, 1_200_50), (Dropped, 9_999_00)];
    let total = spent(items.iter().map(|(s, c)| (s, *c)));
    assert_eq!(total, 1_500_50, "dropped items spend nothing");
    // No budgets: nothing to approve.
    assert_eq!(
        approval(total, None, total, None, None),
        Approval::WithinBudget
    );
    // Exactly at the budget is within it.
    assert_eq!(
        approval(1_500_50, Some(1_500_50), 0, None, None),
        Approval::WithinBudget
    );
    // Over the person's budget: waits until approved at least at its cost.
    assert_eq!(
        approval(1_500_50, Some(1_000_00), 0, None, None),
        Approval::Waiting
    );
    assert_eq!(
        approval(1_500_50, Some(1_000_00), 0, None, Some(1_500_50)),
        Approval::Approved
    );
    // Approved earlier at a lower cost, items added since: waits again.
    assert_eq!(
        approval(2_000_00, Some(1_000_00), 0, None, Some(1_500_50)),
        Approval::Waiting
    );
    // The team is over its budget: every plan that costs something waits.
    assert_eq!(
        approval(100_00, None, 5_000_01, Some(5_000_00), None),
        Approval::Waiting
    );
    assert_eq!(
        approval(0, None, 5_000_01, Some(5_000_00), None),
        Approval::WithinBudget
    );
}

#[test]
fn money_parses_and_prints_in_minor_units() {
    assert_eq!(parse_money("cost", "1,299.5").unwrap(), 129_950);
    assert_eq!(parse_money("cost", "¥ 800").unwrap(), 80_000);
    assert_eq!(parse_money("cost", "0.05").unwrap(), 5);
    assert_eq!(parse_money("cost", "").unwrap(), 0);
    assert_eq!(
        parse_money("cost", "-5").unwrap_err().code,
        ErrorCode::Negative
    );
    for bad in ["abc", "1.234", "1.2.3", ".", "1e5"] {
        assert_eq!(
            parse_money("cost", bad).unwrap_err().code,
            ErrorCode::NotANumber,
            "{bad}"
        );
    }
    assert_eq!(money_text(129_950), "1,299.50");
    assert_eq!(money_text(500_000), "5,000");
    assert_eq!(money_text(1_234_567_800), "12,345,678");
    assert_eq!(money_text(5), "0.05");
    assert_eq!(money_input(129_950), "1299.50");
    assert_eq!(parse_money("c", &money_input(129_950)).unwrap(), 129_950);
}

#[test]
fn ratings_are_one_to_five_or_empty() {
    assert_eq!(parse_rating("r", "").unwrap(), None);
    assert_eq!(parse_rating("r", " 4 ").unwrap(), Some(4));
    for bad in ["0", "6", "x", "3.5"] {
        assert_eq!(
            parse_rating("r", bad).unwrap_err().code,
            ErrorCode::OutOfScale
        );
    }
}

#[test]
fn suggestions_follow_the_largest_gaps_then_cost() {
    let gaps = [("strategy", 3), ("comms", 2)];
    let catalog = [
        entry("a", &["comms"], 100),
        entry("b", &["strategy"], 900),
        entry("c", &["strategy", "comms"], 500),
        entry("d", &["data"], 0),
        entry("e", &["strategy"], 50),
    ];
    let ids = |s: Vec<Suggestion>| s.into_iter().map(|s| s.entry.id).collect::<Vec<_>>();
    assert_eq!(
        ids(suggestions(&gaps, &catalog, &[], 10)),
        ["e", "c", "b", "a"]
    );
    // Already in the plan: left out. The limit holds.
    assert_eq!(
        ids(suggestions(&gaps, &catalog, &["e".into()], 2)),
        ["c", "b"]
    );
    // An entry covering two gaps is suggested for the larger one.
    let s = suggestions(&gaps, &catalog, &[], 10);
    assert_eq!(s[1].competency_id, "strategy");
    assert_eq!(s[1].gap, 3);
    assert!(suggestions(&[], &catalog, &[], 10).is_empty());
}

#[test]
fn next_level_stops_at_the_top() {
    let f = Framework {
        track: Track {
            id: "t".into(),
            names: Names::default(),
        },
        levels: vec![level("1", "PM1", false), level("2", "PM2", false)],
        competencies: vec![],
        cells: vec![],
    };
    assert_eq!(f.next_level("1").unwrap().code, "PM2");
    assert_eq!(f.next_level("2").unwrap().code, "PM2");
    assert!(f.next_level("x").is_none());
}

#[test]
fn heat_tone_is_clamped() {
    assert_eq!(heat_tone(1, 5), -2);
    assert_eq!(heat_tone(3, 4), -1);
    assert_eq!(heat_tone(4, 4), 0);
    assert_eq!(heat_tone(5, 3), 1);
}

fn level(id: &str, code: &str, retired: bool) -> Level {
    Level {
        id: id.into(),
        code: code.into(),
        version: 1,
        retired,
    }
}

#[test]
fn the_next_level_skips_retired_ones_and_a_retired_current_level_still_has_one() {
    let f = Framework {
        track: Track {
            id: "t".into(),
            names: Names::default(),
        },
        levels: vec![
            level("1", "PM1", true),
            level("2", "PM2", false),
            level("3", "PM3", true),
            level("4", "PM4", false),
            level("5", "PM5", true),
        ],
        competencies: vec![],
        cells: vec![],
    };
    assert_eq!(f.first_level().unwrap().code, "PM2");
    assert_eq!(f.next_level("1").unwrap().code, "PM2");
    assert_eq!(f.next_level("2").unwrap().code, "PM4");
    assert_eq!(f.next_level("3").unwrap().code, "PM4");
    // At the top in use, with only retired levels above: stays.
    assert_eq!(f.next_level("4").unwrap().code, "PM4");
    assert_eq!(f.next_level("5").unwrap().code, "PM5");
}

#[test]
fn retired_competencies_and_entries_drive_no_suggestions() {
    let mut rows = vec![
        row("discovery", 4, None, Some(1)),
        row("strategy", 4, None, Some(2)),
    ];
    rows[0].retired = true;
    assert_eq!(largest_gaps(&rows, 3), vec![("strategy", 2)]);
    let mut retired = entry("a", &["strategy"], 100);
    retired.retired = true;
    let catalog = vec![retired, entry("b", &["strategy"], 200)];
    let s = suggestions(&largest_gaps(&rows, 3), &catalog, &[], 10);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].entry.id, "b");
}

#[test]
fn a_retired_choice_stays_only_where_it_is_held() {
    assert!(choosable(false, false));
    assert!(choosable(false, true));
    assert!(choosable(true, true));
    assert!(!choosable(true, false));
}

#[test]
fn a_move_swaps_with_the_neighbour_and_stops_at_the_ends() {
    let order: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    assert_eq!(neighbour(&order, "b", true), Some("a"));
    assert_eq!(neighbour(&order, "b", false), Some("c"));
    assert_eq!(neighbour(&order, "a", true), None);
    assert_eq!(neighbour(&order, "c", false), None);
    assert_eq!(neighbour(&order, "x", true), None);
}

#[test]
fn a_period_ends_after_it_starts() {
    assert_eq!(
        period_dates("2027-01-01", " 2027-06-30 ").unwrap(),
        ("2027-01-01".to_string(), "2027-06-30".to_string())
    );
    let e = period_dates("2027-01-01", "2027-01-01").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::DueBeforeStart, Some("end_date"))
    );
    let e = period_dates("2027-02-30", "2027-06-30").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidDate, Some("start_date"))
    );
    let e = period_dates("2027-01-01", "").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidDate, Some("end_date"))
    );
}

// ---------------------------------------------------------------- closing a period

fn period(id: &str, start: &str, end: &str, closed: bool) -> Period {
    Period {
        id: id.into(),
        name: format!("P {id}"),
        start_date: start.into(),
        end_date: end.into(),
        version: 1,
        closed_at: closed.then(|| "2027-07-01T00:00:00Z".to_string()),
        closed_by: None,
    }
}

#[test]
fn the_next_period_is_the_open_one_that_starts_first_after_the_closed_one() {
    let h1 = period("h1", "2027-01-01", "2027-06-30", false);
    let h2 = period("h2", "2027-07-01", "2027-12-31", false);
    let next_year = period("n", "2028-01-01", "2028-06-30", false);
    let earlier = period("e", "2026-07-01", "2026-12-31", false);
    let all = vec![next_year.clone(), earlier.clone(), h2.clone(), h1.clone()];
    assert_eq!(next_period(&all, &h1).map(|p| p.id.as_str()), Some("h2"));
    assert_eq!(next_period(&all, &h2).map(|p| p.id.as_str()), Some("n"));
    assert_eq!(next_period(&all, &next_year), None);
    // A closed period takes nothing in: the one after it does.
    let h2_closed = period("h2", "2027-07-01", "2027-12-31", true);
    let all = vec![next_year, h2_closed, h1.clone()];
    assert_eq!(next_period(&all, &h1).map(|p| p.id.as_str()), Some("n"));
}

#[test]
fn a_carried_item_keeps_its_due_date_inside_the_next_period_else_gets_its_end() {
    let next = period("h2", "2027-07-01", "2027-12-31", false);
    assert_eq!(carried_due_date("2027-09-15", &next), "2027-09-15");
    assert_eq!(carried_due_date("2027-07-01", &next), "2027-07-01");
    assert_eq!(carried_due_date("2027-12-31", &next), "2027-12-31");
    assert_eq!(carried_due_date("2027-05-01", &next), "2027-12-31");
    assert_eq!(carried_due_date("2028-02-01", &next), "2027-12-31");
}

#[test]
fn team_completion_counts_done_carried_and_all_items_per_team() {
    let rows = [
        ("Growth", ItemStatus::Done, false),
        ("Growth", ItemStatus::Planned, true),
        ("Growth", ItemStatus::Dropped, false),
        ("", ItemStatus::InProgress, true),
        ("Platform", ItemStatus::Done, false),
    ];
    let teams = team_completion(rows);
    let names: Vec<&str> = teams.iter().map(|t| t.team_name.as_str()).collect();
    assert_eq!(names, ["", "Growth", "Platform"]);
    let growth = &teams[1];
    assert_eq!((growth.done, growth.carried, growth.total), (1, 1, 3));
    assert_eq!((teams[0].done, teams[0].carried, teams[0].total), (0, 1, 1));
    assert_eq!((teams[2].done, teams[2].carried, teams[2].total), (1, 0, 1));
    assert!(team_completion([]).is_empty());
}
