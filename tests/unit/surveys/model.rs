//! Unit tests of `src/surveys/model.rs`.

use keel::surveys::model::*;
use std::collections::BTreeSet;

fn t(id: &str, parent: Option<&str>, direct: u32) -> TreeTeam {
    TreeTeam {
        id: id.into(),
        parent: parent.map(Into::into),
        direct,
    }
}

#[test]
fn favourability_counts_fours_and_fives() {
    // 10 answers: 1×1, 1×2, 2×3, 4×4, 2×5 → 6 of 10 favourable = 60 %.
    assert_eq!(favourability(&[1, 1, 2, 4, 2]), Some(60));
    // 3 answers, 2 favourable: 66.67 → 67.
    assert_eq!(favourability(&[0, 1, 0, 1, 1]), Some(67));
    assert_eq!(favourability(&[0, 0, 0, 0, 0]), None);
}

#[test]
fn enps_is_promoters_minus_detractors() {
    // 10 answers: 9,10,10 promoters (3), 7,8 passive (2), 0,3,5,6,6 detractors (5):
    // 30 % − 50 % = −20.
    let mut d = vec![0u32; 11];
    for v in [9, 10, 10, 7, 8, 0, 3, 5, 6, 6] {
        d[v] += 1;
    }
    assert_eq!(enps(&d), Some(-20));
    // 6 answers: four 9s and two 8s → 66.7 − 0 = 67.
    let mut d = vec![0u32; 11];
    d[9] = 4;
    d[8] = 2;
    assert_eq!(enps(&d), Some(67));
    // Everyone a detractor: −100; everyone a promoter: +100.
    let mut d = vec![0u32; 11];
    d[6] = 5;
    assert_eq!(enps(&d), Some(-100));
    let mut d = vec![0u32; 11];
    d[10] = 5;
    assert_eq!(enps(&d), Some(100));
}

#[test]
fn a_group_below_k_is_hidden_and_at_k_shown() {
    let s = suppress(&[t("a", None, 4)], 5);
    assert!(!s.is_shown("a") && !s.is_shown(OVERALL));
    let s = suppress(&[t("a", None, 5)], 5);
    assert!(s.is_shown("a") && s.is_shown(OVERALL));
    // k set to 3 by an admin: 3 is enough, 2 is not.
    assert!(suppress(&[t("a", None, 3)], 3).is_shown("a"));
    assert!(!suppress(&[t("a", None, 2)], 3).is_shown("a"));
}

#[test]
fn complementary_suppression_follows_the_spec_example() {
    // A parent of 12 = sub-team A (6) + sub-team B (5) + 1 direct member.
    let s = suppress(
        &[t("p", None, 1), t("a", Some("p"), 6), t("b", Some("p"), 5)],
        5,
    );
    assert_eq!(s.total("p"), 12);
    assert!(s.is_shown("p"), "the parent stays");
    assert!(s.is_shown("a"), "A (6) stays");
    assert!(
        !s.is_shown("b"),
        "B, the next-smallest, is hidden with the direct member"
    );
    // What remains visible never isolates fewer than k people.
    assert_eq!(s.total("p") - s.total("a"), 6);
}

#[test]
fn hiding_goes_on_until_the_hidden_parts_reach_k() {
    // Parent: A 10, B 6, C 2, direct 1 → C (2) and direct (1) hidden = 3 < 5,
    // so B (6) goes too: hidden 9 ≥ 5; A stays.
    let s = suppress(
        &[
            t("p", None, 1),
            t("a", Some("p"), 10),
            t("b", Some("p"), 6),
            t("c", Some("p"), 2),
        ],
        5,
    );
    assert!(s.is_shown("p") && s.is_shown("a"));
    assert!(!s.is_shown("b") && !s.is_shown("c"));
    // No direct members and every child ≥ k: everything shown.
    let s = suppress(
        &[t("p", None, 0), t("a", Some("p"), 5), t("b", Some("p"), 7)],
        5,
    );
    assert!(s.is_shown("p") && s.is_shown("a") && s.is_shown("b"));
}

#[test]
fn a_deeper_tree_hides_what_subtraction_would_reveal() {
    // P = A (A1 6 + A direct 2) + B 7. Inside A: direct 2 < 5 → A1 hidden too
    // (hidden 8 ≥ 5). A (8) and B (7) shown, P (15) shown.
    let s = suppress(
        &[
            t("p", None, 0),
            t("a", Some("p"), 2),
            t("a1", Some("a"), 6),
            t("b", Some("p"), 7),
        ],
        5,
    );
    assert!(s.is_shown("p") && s.is_shown("a") && s.is_shown("b"));
    assert!(!s.is_shown("a1"));
    // Containment: overall targets two teams, X 9 and Y 3; Y hidden
    // (below k), so X goes too (hidden 3 < k); the overall (12) stays.
    let s = suppress(&[t("x", None, 9), t("y", None, 3)], 5);
    assert!(s.is_shown(OVERALL));
    assert!(!s.is_shown("x") && !s.is_shown("y"));
}

#[test]
fn containment_rule_holds_across_two_rounds() {
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    // Team A answered 6 in round 1 and 1 in round 2. The two-round aggregate
    // (7) contains round 1's group (6): their difference (1) is below k,
    // so the smaller group (round 1) is hidden.
    let groups = vec![
        Group {
            atoms: set(&["r1/a"]),
            size: 6,
        },
        Group {
            atoms: set(&["r2/a"]),
            size: 1,
        },
        Group {
            atoms: set(&["r1/a", "r2/a"]),
            size: 7,
        },
    ];
    assert_eq!(shown_groups(&groups, 5), vec![false, false, true]);
    // With 5 in round 2 the difference is 5 ≥ k: all but nothing hidden.
    let groups = vec![
        Group {
            atoms: set(&["r1/a"]),
            size: 6,
        },
        Group {
            atoms: set(&["r2/a"]),
            size: 5,
        },
        Group {
            atoms: set(&["r1/a", "r2/a"]),
            size: 11,
        },
    ];
    assert_eq!(shown_groups(&groups, 5), vec![true, true, true]);
}

#[test]
fn answers_are_checked_against_their_question() {
    let mut q = template(Theme::Wellbeing).remove(0);
    q.id = "q".into();
    let a = |values: Vec<i64>| AnswerInput {
        question_id: "q".into(),
        values,
        text: String::new(),
    };
    assert!(check_answer(&q, Some(&a(vec![3]))).is_ok());
    assert!(
        check_answer(&q, Some(&a(vec![0]))).is_err(),
        "Likert starts at 1"
    );
    assert!(check_answer(&q, Some(&a(vec![6]))).is_err());
    assert!(check_answer(&q, None).is_err(), "required");
    assert!(is_distress(&q, 2) && is_distress(&q, 1) && !is_distress(&q, 3));
    let mut text = template(Theme::Wellbeing).pop().unwrap();
    text.id = "t".into();
    assert_eq!(check_answer(&text, None), Ok(None), "free text is optional");
    let mut multi = template(Theme::Culture).remove(2);
    multi.id = "m".into();
    assert!(check_answer(&multi, Some(&a(vec![0, 4]))).is_ok());
    assert!(check_answer(&multi, Some(&a(vec![0, 0]))).is_err());
    assert!(check_answer(&multi, Some(&a(vec![5]))).is_err());
}

#[test]
fn every_template_is_written_in_both_languages() {
    for th in Theme::ALL {
        let qs = template(th);
        assert!(qs.len() >= 3, "{th:?}");
        assert!(qs.iter().any(|q| q.kind == QuestionKind::Likert));
        for q in qs {
            assert!(
                q.text_zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            );
            for (en, zh) in q.options {
                assert!(!en.is_empty() && !zh.is_empty());
            }
        }
    }
}

#[test]
fn a_question_moves_one_place_and_stays_at_either_end() {
    let order: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let ids = |v: Option<Vec<String>>| v.map(|v| v.join(""));
    assert_eq!(ids(move_question(&order, "b", true)), Some("bac".into()));
    assert_eq!(ids(move_question(&order, "b", false)), Some("acb".into()));
    // The first cannot go up, the last cannot go down: unchanged.
    assert_eq!(ids(move_question(&order, "a", true)), Some("abc".into()));
    assert_eq!(ids(move_question(&order, "c", false)), Some("abc".into()));
    // A question the round does not have.
    assert_eq!(move_question(&order, "z", true), None);
}
