//! Reading survey results: no role reads an open round's results; the
//! SPEC's suppression example attacked over every page, export and server
//! function; who sees which results and works on action plans.
use crate::helpers::{Call, PW, Refused, assert_refused, demo_app, new_id as id};
use crate::surveys::{answers, close, create_round, make_org, round, submit};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

#[tokio::test]
async fn no_role_reads_the_results_of_an_open_round() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({})).await;
    let rid = rid.as_str().unwrap().to_string();
    for email in org.people["a"].iter().take(5) {
        let who = app.sign_in(email, PW).await;
        let q = round(&app, &who, &rid).await;
        assert_eq!(
            submit(&app, &who, &rid, &id(), &answers(&q, 5, 10, "open"))
                .await
                .status,
            StatusCode::OK
        );
    }
    let admin = app.sign_in("admin@example.com", PW).await;
    let a0 = app.sign_in("a0@example.com", PW).await;
    let pm = app.sign_in("pm1@example.com", PW).await;
    let results = ["", org.p.as_str(), org.a.as_str()].map(|group| {
        Call::form(
            "load_survey_results",
            &[("round_id", &rid), ("group", group)],
        )
    });
    let after_close = Refused::with(StatusCode::CONFLICT, "results_after_close");
    for (name, who) in [
        ("admin", &admin),
        ("lead", &lead),
        ("a0", &a0),
        ("pm1", &pm),
    ] {
        assert_refused(&app, &[(name, Some(who))], &results, after_close).await;
        let r = app
            .get(&format!("/surveys/{rid}/export.csv"), Some(who))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(!r.body.contains("open"));
        // The results page says so and shows no number.
        let page = app.get(&format!("/surveys/{rid}/results"), Some(who)).await;
        assert!(
            !page.body.contains("data-testid=\"enps\""),
            "an open round's page shows a score"
        );
    }
}

/// Every surface, every role, for the SPEC example (P 12 = A 6 + B 5 + 1
/// direct): B and the direct member are never shown, and no sum or
/// difference of what is shown isolates fewer than k people.
#[tokio::test]
async fn the_spec_example_leaks_nothing_on_any_surface() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    // Organisation-level results for everyone asked.
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({"visibility": "team"})).await;
    let rid = rid.as_str().unwrap().to_string();
    // A answers eNPS 10 and Likert 5; B answers eNPS 0 and Likert 1; the direct member 5 / 3.
    for (part, likert, enps) in [("a", 5, 10), ("b", 1, 0), ("d", 3, 5)] {
        for email in &org.people[part] {
            let who = app.sign_in(email, PW).await;
            let q = round(&app, &who, &rid).await;
            let r = submit(
                &app,
                &who,
                &rid,
                &id(),
                &answers(&q, likert, enps, &format!("comment from {part}")),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
    }
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);

    let admin = app.sign_in("admin@example.com", PW).await;
    let a0 = app.sign_in("a0@example.com", PW).await;
    let outsider_lead = app.sign_in("lead.o@example.com", PW).await;
    // Atoms: the three parts; each group any surface shows maps to a set of them.
    let atoms_of = |group: &str| -> BTreeSet<&'static str> {
        if group.is_empty() || group == org.p {
            ["a", "b", "d"].into()
        } else if group == org.a {
            ["a"].into()
        } else if group == org.b {
            ["b"].into()
        } else {
            panic!("unknown group {group}")
        }
    };
    let sizes: BTreeMap<&str, i64> = [("a", 6), ("b", 5), ("d", 1)].into();
    let mut shown: BTreeSet<BTreeSet<&str>> = BTreeSet::new();
    for who in [&admin, &lead, &a0] {
        for group in ["", org.p.as_str(), org.a.as_str(), org.b.as_str()] {
            let r = app
                .call(
                    "load_survey_results",
                    &[("round_id", &rid), ("group", group)],
                    Some(who),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let v = r.json();
            for g in v["groups"].as_array().unwrap() {
                if g["shown"] == true {
                    shown.insert(atoms_of(g["id"].as_str().unwrap()));
                } else {
                    assert!(g["respondents"].is_null(), "a hidden group's size is told");
                }
            }
            let g = &v["group"];
            if g["shown"] == false {
                assert!(v["enps"].is_null() && v["questions"].as_array().unwrap().is_empty());
                assert!(
                    v["themes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|t| t[1].is_null())
                );
            } else {
                shown.insert(atoms_of(g["id"].as_str().unwrap()));
            }
            // B's numbers (eNPS −100, favourability 0) never appear anywhere.
            assert_ne!(v["enps"], json!(-100));
            for row in v["heat"].as_array().unwrap() {
                if row["shown"] == false {
                    assert!(row["cells"].as_array().unwrap().iter().all(Value::is_null));
                    assert!(row["respondents"].is_null());
                } else {
                    assert!(
                        row["name"].as_str().unwrap().starts_with("A")
                            || row["name"].as_str().unwrap().starts_with("P")
                    );
                }
            }
            // Comments belong to no team below P: A's page never carries B's or the direct member's.
            if v["group"]["id"] == org.a.as_str() {
                let text = v.to_string();
                assert!(text.contains("comment from a"));
                assert!(!text.contains("comment from b") && !text.contains("comment from d"));
            }
        }
        // The CSV export shows the same groups.
        let csv = app
            .get(&format!("/surveys/{rid}/export.csv"), Some(who))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        for line in csv.body.lines().skip(1) {
            if line.starts_with("B ") {
                assert!(line.contains("hidden"), "{line}");
            }
        }
        // The page for B shows "not enough responses" and no score (a0 has
        // no B to pick: their page falls back to the organisation's group).
        if *who == a0 {
            continue;
        }
        let page = app
            .get(
                &format!("/surveys/{rid}/results?group={}", org.b),
                Some(who),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("data-testid=\"not-enough\""));
        assert!(!page.body.contains("−100"));
    }
    // A member of A sees only the organisation-level group.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&a0),
        )
        .await
        .json();
    assert_eq!(v["groups"].as_array().unwrap().len(), 1);
    // The leader of another team sees nothing of this round.
    let r = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&outsider_lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/surveys/{rid}/export.csv"), Some(&outsider_lead))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // What was shown: P (= overall) and A, never B nor the direct member alone.
    let expected: BTreeSet<BTreeSet<&str>> = [["a", "b", "d"].into(), ["a"].into()].into();
    assert_eq!(shown, expected);
    // No sum or difference of shown groups (coefficients −1, 0, 1) is a set
    // of 1..k−1 people.
    let shown: Vec<BTreeSet<&str>> = shown.into_iter().collect();
    let n = shown.len();
    for mut code in 0..3i64.pow(n as u32) {
        let mut coef: BTreeMap<&str, i64> = BTreeMap::new();
        for g in &shown {
            let c = code % 3 - 1;
            code /= 3;
            for a in g {
                *coef.entry(a).or_default() += c;
            }
        }
        if coef.values().all(|c| *c == 0 || *c == 1) {
            let people: i64 = coef
                .iter()
                .filter(|(_, c)| **c == 1)
                .map(|(a, _)| sizes[a])
                .sum();
            assert!(
                people == 0 || people >= 5,
                "a combination isolates {people} people: {coef:?}"
            );
        }
    }
    // The overall eNPS matches a hand calculation: 6 promoters, 6 detractors of 12 → 0.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(v["enps"], 0);
    let a = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", &org.a)],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(a["enps"], 100);
    assert_eq!(a["group"]["respondents"], 6);
}

#[tokio::test]
async fn results_visibility_and_action_plans_follow_the_roles() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({"visibility": "private"})).await;
    let rid = rid.as_str().unwrap().to_string();
    for email in org.people["a"].iter().chain(&org.people["b"]) {
        let who = app.sign_in(email, PW).await;
        let q = round(&app, &who, &rid).await;
        assert_eq!(
            submit(&app, &who, &rid, &id(), &answers(&q, 4, 8, ""))
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    // Private: members see nothing.
    let a0 = app.sign_in("a0@example.com", PW).await;
    let r = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&a0),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The leader commits to an action for A; a member may not.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", &org.a)],
            Some(&lead),
        )
        .await
        .json();
    assert_eq!(v["group"]["shown"], true);
    let owner = v["owners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o[1] == "lead.p@example.com")
        .map(|o| o[0].as_str().unwrap().to_string())
        .expect("the leader may own an action");
    let aid = id();
    let form = |who_team: &str| {
        vec![
            ("id".to_string(), aid.clone()),
            ("round_id".to_string(), rid.clone()),
            ("team_id".to_string(), who_team.to_string()),
            ("focus".to_string(), "wellbeing".to_string()),
            (
                "action".to_string(),
                "No meetings on Friday afternoons".to_string(),
            ),
            ("owner_id".to_string(), owner.clone()),
            ("due_date".to_string(), "2027-01-31".to_string()),
        ]
    };
    let f = form(&org.a);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        app.call("create_survey_action", &f, Some(&a0)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.call("create_survey_action", &f, Some(&lead)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", &org.a)],
            Some(&lead),
        )
        .await
        .json();
    let act = &v["actions"][0];
    assert_eq!(act["action"], "No meetings on Friday afternoons");
    // Follow-up: done needs a note; a member may not record one.
    let ver = act["version"].to_string();
    let r = app
        .call(
            "follow_up_survey_action",
            &[
                ("id", &aid),
                ("version", &ver),
                ("status", "done"),
                ("follow_up", ""),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(r.json()["field"], "follow_up");
    assert_eq!(
        app.call(
            "follow_up_survey_action",
            &[
                ("id", &aid),
                ("version", &ver),
                ("status", "done"),
                ("follow_up", "x")
            ],
            Some(&a0)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .call(
            "follow_up_survey_action",
            &[
                ("id", &aid),
                ("version", &ver),
                ("status", "done"),
                ("follow_up", "Fridays are quiet now"),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&lead),
        )
        .await
        .json();
    assert_eq!(v["actions"][0]["status"], "done");
    assert_eq!(v["actions"][0]["follow_up"], "Fridays are quiet now");
    // B (5) and A (6) shown: P = 11 with no direct answer.
    let groups: Vec<(String, bool)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["id"].as_str().unwrap().to_string(), g["shown"] == true))
        .collect();
    assert!(groups.contains(&(org.b.clone(), true)) && groups.contains(&(org.a.clone(), true)));
}
