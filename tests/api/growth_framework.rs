//! Growth beyond one person's plan: the leaders' dashboard and who may see
//! it, settings and budgets, the catalog, the competency framework (admins
//! only), mentoring, gaps and suggestions, and every growth function needing
//! a session.
use crate::growth::{PERIOD, TRACK, comp, item, level};
use crate::helpers::{Call, NO_SESSION, PW, Refused, assert_refused, demo_app, new_id, today};
use axum::http::StatusCode;
use keel::kpi::model::day_text;
use serde_json::json;

#[tokio::test]
async fn the_dashboard_settings_catalog_framework_and_mentoring_refuse_the_wrong_roles() {
    let app = demo_app().await;
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let product = app.team_id("Product").await;
    let growth_team = app.team_id("Growth").await;
    let pm1 = app.user_id("pm1@example.com").await;

    let dash = |cookie: String, team: String| {
        let app = &app;
        async move {
            app.call(
                "growth_dashboard",
                &[("period_id", ""), ("team", &team), ("page", "0")],
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(
        dash(pm1c.clone(), String::new()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        dash(lead2.clone(), product.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = dash(lead1.clone(), String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let teams: Vec<String> = r.json()["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        teams.len(),
        2,
        "lead1 sees Product and Growth only: {teams:?}"
    );
    assert!(!teams.iter().any(|t| t.contains("Platform")));

    assert_eq!(
        app.call("growth_settings", &[("period_id", "")], Some(&pm1c))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Budgets: not another team's people, not one's own team, not oneself.
    assert_eq!(
        app.budget(&lead2, "person", &pm1, "100", 0).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.budget(&lead1, "team", &product, "100", 0).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.budget(&pm1c, "person", &pm1, "100", 0).await.status,
        StatusCode::FORBIDDEN
    );
    // The team below the one lead1 leads: allowed, version-checked.
    let r = app.budget(&lead1, "team", &growth_team, "25,000", 1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.budget(&lead1, "team", &growth_team, "26000", 1).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count("SELECT amount FROM budgets WHERE scope = 'team' AND amount = 2500000")
            .await,
        2500000
    );

    let entry = json!({ "id": new_id(), "title": "T", "kind": "course", "competencies": [comp(1)],
        "link": "", "cost": "1", "language": "en" });
    let r = app
        .call_json("create_catalog_entry", entry.clone(), Some(&pm1c))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json("create_catalog_entry", entry.clone(), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let calls = [
        Call::Form(
            "save_expectation",
            vec![
                ("level_id", level(1)),
                ("competency_id", comp(1)),
                ("version", "1".to_string()),
                ("text_en", "x".to_string()),
                ("text_zh", "x".to_string()),
                ("rating", "3".to_string()),
            ],
        ),
        Call::Form(
            "create_period",
            vec![
                ("id", new_id()),
                ("name", "2030 H1".into()),
                ("start_date", "2030-01-01".into()),
                ("end_date", "2030-06-30".into()),
            ],
        ),
        Call::Form(
            "add_level",
            vec![
                ("id", new_id()),
                ("track_id", TRACK.into()),
                ("code", "PM9".into()),
            ],
        ),
        Call::Form(
            "add_competency",
            vec![
                ("id", new_id()),
                ("track_id", TRACK.into()),
                ("key", "k".into()),
                ("name_en", "K".into()),
                ("name_zh", "K".into()),
            ],
        ),
    ];
    let forbidden = Refused::status(StatusCode::FORBIDDEN);
    assert_refused(&app, &[("lead1", Some(&lead1))], &calls, forbidden).await;

    // Mentoring: only a leader above the mentee (or an admin) pairs; only the pair logs.
    let pm7 = app.user_id("pm7@example.com").await;
    let pair = |cookie: String| {
        let app = &app;
        let (pm7, pm1) = (pm7.clone(), pm1.clone());
        async move {
            app.call(
                "create_mentorship",
                &[
                    ("id", &new_id()),
                    ("mentor_id", &pm7),
                    ("mentee_id", &pm1),
                    ("goals", "g"),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(pair(pm1c.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(pair(lead2.clone()).await.status, StatusCode::FORBIDDEN);
    let pair_id = "6e0e0000-0000-4000-8000-000000000001"; // pm7 mentors pm3
    let r = app
        .call(
            "log_meeting",
            &[
                ("id", &new_id()),
                ("mentorship_id", pair_id),
                ("day", &day_text(today())),
                ("note", "n"),
            ],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Pairs seen: lead2 sees the pair whose mentor (pm7) is theirs? No: pairs follow the mentee.
    let m = app.call("growth_mentoring", &[], Some(&pm1c)).await.json();
    let pairs = m["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "pm1 is in one pair: {pairs:?}");
    assert!(m["mentees"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn gaps_drive_suggestions_and_the_dashboard_counts_what_plans_hold() {
    let app = demo_app().await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm7c = app.sign_in("pm7@example.com", PW).await;
    let pm7 = app.user_id("pm7@example.com").await;

    // pm7 is PM3; PM4 expects 4 everywhere. Discovery 1 (gap 3), strategy 2 (gap 2).
    let g = app.growth_ok(&lead2, &pm7).await;
    assert_eq!(g["next_level"]["code"], "PM4");
    assert_eq!(g["assessment_version"], 0);
    let r = app
        .ratings(
            &lead2,
            &pm7,
            0,
            true,
            &[(1, "1"), (2, "2"), (3, "4"), (4, "4"), (5, "4"), (6, "4")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A second save from the same old version: refused.
    let r = app.ratings(&lead2, &pm7, 0, true, &[(1, "2")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Out of scale: a message at that competency's field, nothing stored.
    let r = app.ratings(&pm7c, &pm7, 1, false, &[(1, "6")]).await;
    assert_eq!(r.error_code(), "out_of_scale");
    assert_eq!(r.json()["field"], format!("rating-{}", comp(1)));

    let g = app.growth_ok(&lead2, &pm7).await;
    let gaps: Vec<i64> = g["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["gap"].as_i64().unwrap())
        .collect();
    assert_eq!(gaps, [3, 2, 0, 0, 0, 0]);
    let s: Vec<(&str, i64)> = g["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["entry"]["title"].as_str().unwrap(),
                s["gap"].as_i64().unwrap(),
            )
        })
        .collect();
    // Discovery resources first (cheapest first), then strategy ones.
    assert_eq!(s[0], ("Continuous Discovery Habits", 3));
    assert_eq!(s[1], ("用户访谈实战工作坊", 3));
    assert!(s[2..].iter().all(|(_, g)| *g == 2), "{s:?}");
    // Taking one into the plan removes it from the suggestions.
    let mut form = item("Continuous Discovery Habits", "120", today() + 30);
    form["catalog_id"] = g["suggestions"][0]["entry"]["id"].clone();
    form["kind"] = json!("reading");
    assert_eq!(
        app.add_item(&lead2, &new_id(), &pm7, form).await.status,
        StatusCode::OK
    );
    let g = app.growth_ok(&lead2, &pm7).await;
    assert_eq!(g["suggestions"][0]["entry"]["title"], "用户访谈实战工作坊");

    // lead1's dashboard: pm1's demo plan has 3 items, 1 done, 1 overdue.
    let d = app
        .call(
            "growth_dashboard",
            &[("period_id", ""), ("team", ""), ("page", "0")],
            Some(&lead1),
        )
        .await
        .json();
    let pm1 = app.user_id("pm1@example.com").await;
    let row = d["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == pm1.as_str())
        .unwrap();
    assert_eq!(
        (
            row["items"].as_i64(),
            row["done"].as_i64(),
            row["overdue"].as_i64()
        ),
        (Some(3), Some(1), Some(1))
    );
    assert!((row["completion"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    // One heat cell per competency: pm1 (PM2) leader-rated 3 on discovery, PM2 expects 3.
    assert_eq!(row["heat"].as_array().unwrap().len(), 6);
    assert_eq!(row["heat"][0], json!([3, 3]));
    assert_eq!(row["level"], "PM2");
    assert!(
        d["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["person_id"] == pm1.as_str())
    );
    // Nobody outside lead1's teams on it.
    assert!(
        d["people"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p["team_name"].as_str().unwrap().contains("Platform"))
    );
}

#[tokio::test]
async fn admins_edit_the_framework_and_every_growth_function_needs_a_session() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let r = app
        .call(
            "save_expectation",
            &[
                ("level_id", &level(2)),
                ("competency_id", &comp(4)),
                ("version", "1"),
                ("text_en", "Runs experiments"),
                ("text_zh", "开展实验"),
                ("rating", "4"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same version again: someone else's edit is not overwritten.
    let r = app
        .call(
            "save_expectation",
            &[
                ("level_id", &level(2)),
                ("competency_id", &comp(4)),
                ("version", "1"),
                ("text_en", "x"),
                ("text_zh", "x"),
                ("rating", "2"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .call(
            "save_expectation",
            &[
                ("level_id", &level(2)),
                ("competency_id", &comp(4)),
                ("version", "2"),
                ("text_en", "x"),
                ("text_zh", "x"),
                ("rating", "7"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(
        (r.error_code().as_str(), r.json()["field"].as_str()),
        ("out_of_scale", Some("rating"))
    );
    let cid = new_id();
    for _ in 0..2 {
        let r = app
            .call(
                "add_competency",
                &[
                    ("id", &cid),
                    ("track_id", TRACK),
                    ("key", "AI"),
                    ("name_en", "AI literacy"),
                    ("name_zh", "AI 素养"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = app
        .call(
            "add_competency",
            &[
                ("id", &new_id()),
                ("track_id", TRACK),
                ("key", "ai"),
                ("name_en", "Again"),
                ("name_zh", "重复"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "name_taken");
    let r = app
        .call(
            "add_level",
            &[("id", &new_id()), ("track_id", TRACK), ("code", "pm6")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = app
        .call("growth_framework", &[("track_id", "")], Some(&admin))
        .await
        .json();
    let f = &f["framework"];
    assert_eq!(f["levels"].as_array().unwrap().len(), 6);
    assert_eq!(f["levels"][5]["code"], "PM6");
    assert_eq!(f["competencies"].as_array().unwrap().len(), 7);
    assert_eq!(f["competencies"][6]["key"], "ai");
    // Every level × competency has a cell; PM6 starts from what PM5 expects.
    assert_eq!(f["cells"].as_array().unwrap().len(), 42);
    let cell = |l: &str, c: &str| {
        f["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["level_id"] == l && x["competency_id"] == c)
            .unwrap()
            .clone()
    };
    let pm6 = f["levels"][5]["id"].as_str().unwrap();
    assert_eq!(cell(pm6, &comp(1))["rating"], 5);
    assert_eq!(cell(&level(2), &comp(4))["text"]["zh"], "开展实验");

    // Well-formed calls without a session: every one refused with 401.
    let pm1 = app.user_id("pm1@example.com").await;
    let id = new_id();
    let calls = [
        Call::form("person_growth", &[("person_id", &pm1), ("period_id", "")]),
        Call::form(
            "set_level",
            &[("person_id", &pm1), ("level_id", "x"), ("version", "1")],
        ),
        Call::form(
            "update_plan_item",
            &[
                ("id", &id),
                ("version", "1"),
                ("status", "done"),
                ("evidence", "e"),
                ("due_date", "2026-01-01"),
                ("cost", "0"),
            ],
        ),
        Call::form("approve_plan", &[("plan_id", &id), ("version", "1")]),
        Call::form(
            "growth_dashboard",
            &[("period_id", ""), ("team", ""), ("page", "0")],
        ),
        Call::form("growth_catalog", &[]),
        Call::form("growth_mentoring", &[]),
        Call::form(
            "create_mentorship",
            &[
                ("id", &id),
                ("mentor_id", &pm1),
                ("mentee_id", &pm1),
                ("goals", "g"),
            ],
        ),
        Call::form(
            "log_meeting",
            &[
                ("id", &id),
                ("mentorship_id", &id),
                ("day", "2026-01-01"),
                ("note", "n"),
            ],
        ),
        Call::form("growth_framework", &[("track_id", "")]),
        Call::form(
            "save_expectation",
            &[
                ("level_id", "l"),
                ("competency_id", "c"),
                ("version", "1"),
                ("text_en", ""),
                ("text_zh", ""),
                ("rating", "3"),
            ],
        ),
        Call::form(
            "add_competency",
            &[
                ("id", &id),
                ("track_id", TRACK),
                ("key", "k"),
                ("name_en", "K"),
                ("name_zh", "K"),
            ],
        ),
        Call::form(
            "add_level",
            &[("id", &id), ("track_id", TRACK), ("code", "X")],
        ),
        Call::form("growth_settings", &[("period_id", "")]),
        Call::form(
            "create_period",
            &[
                ("id", &id),
                ("name", "n"),
                ("start_date", "2030-01-01"),
                ("end_date", "2030-02-01"),
            ],
        ),
        Call::form(
            "set_budget",
            &[
                ("period_id", PERIOD),
                ("scope", "person"),
                ("subject_id", &pm1),
                ("amount", "1"),
                ("version", "0"),
            ],
        ),
        Call::json(
            "save_ratings",
            json!({ "person_id": pm1, "period_id": PERIOD, "version": 0, "as_leader": false, "ratings": [] }),
        ),
        Call::json(
            "add_plan_item",
            json!({ "id": id, "person_id": pm1, "period_id": PERIOD, "form": item("t", "", today()) }),
        ),
        Call::json(
            "create_catalog_entry",
            json!({ "id": id, "title": "t", "kind": "course", "competencies": [comp(1)], "link": "", "cost": "", "language": "en" }),
        ),
    ];
    let unauthorized = Refused::status(StatusCode::UNAUTHORIZED);
    assert_refused(&app, &[NO_SESSION], &calls, unauthorized).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_items WHERE title = 't'")
            .await,
        0
    );
}
