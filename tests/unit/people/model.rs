//! Unit tests of `src/people/model.rs`.

use keel::people::model::*;

fn team(id: &str, parent: Option<&str>, leader: Option<&str>) -> Team {
    Team {
        id: id.into(),
        name: id.into(),
        parent_id: parent.map(Into::into),
        leader_id: leader.map(Into::into),
        version: 1,
    }
}

#[test]
fn leader_scope_includes_sub_teams() {
    let teams = vec![
        team("prod", None, Some("l1")),
        team("growth", Some("prod"), None),
        team("growth-web", Some("growth"), Some("l2")),
        team("platform", None, Some("l2")),
    ];
    let s = led_scope("l1", &teams);
    assert_eq!(
        s.into_iter().collect::<Vec<_>>(),
        vec!["growth", "growth-web", "prod"]
    );
    let s2 = led_scope("l2", &teams);
    assert!(s2.contains("platform") && s2.contains("growth-web") && !s2.contains("growth"));
    assert!(led_scope("nobody", &teams).is_empty());
}

#[test]
fn a_leaders_own_leader_is_found_above_the_teams_they_lead() {
    let teams = vec![
        team("org", None, Some("ceo")),
        team("product", Some("org"), Some("lead")),
        team("growth", Some("product"), None),
        team("orphan", None, None),
    ];
    assert_eq!(
        nearest_leader("pm", Some("growth"), &teams).as_deref(),
        Some("lead")
    );
    assert_eq!(
        nearest_leader("lead", Some("product"), &teams).as_deref(),
        Some("ceo")
    );
    assert_eq!(nearest_leader("ceo", Some("org"), &teams), None);
    assert_eq!(nearest_leader("pm", Some("orphan"), &teams), None);
    assert_eq!(nearest_leader("pm", None, &teams), None);
}

#[test]
fn their_leader_is_the_nearest_one_up_the_tree() {
    let teams = vec![
        team("prod", None, Some("l1")),
        team("growth", Some("prod"), None),
        team("growth-web", Some("growth"), Some("l2")),
    ];
    assert_eq!(leader_of(Some("growth"), &teams).as_deref(), Some("l1"));
    assert_eq!(leader_of(Some("growth-web"), &teams).as_deref(), Some("l2"));
    assert_eq!(leader_of(None, &teams), None);
    assert_eq!(leader_of(Some("x"), &teams), None);
}

#[test]
fn nesting_refuses_cycles() {
    let teams = vec![
        team("a", None, None),
        team("b", Some("a"), None),
        team("c", Some("b"), None),
    ];
    assert!(would_cycle("a", Some("c"), &teams));
    assert!(would_cycle("a", Some("a"), &teams));
    assert!(!would_cycle("c", Some("a"), &teams));
    assert!(!would_cycle("a", None, &teams));
}

#[test]
fn tree_order_puts_parents_first() {
    let teams = vec![
        team("b", Some("a"), None),
        team("a", None, None),
        team("c", None, None),
    ];
    let order: Vec<(usize, String)> = tree_order(&teams)
        .into_iter()
        .map(|(d, t)| (d, t.id))
        .collect();
    assert_eq!(
        order,
        vec![(0, "a".into()), (1, "b".into()), (0, "c".into())]
    );
}
