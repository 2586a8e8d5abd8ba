//! Growth and training plans through the server functions: who may see and
//! change whose plan and ratings, idempotent creates, budgets and approval,
//! gaps and suggestions, the leaders' dashboard.
use super::{App, StatusCode, demo_app};
use keel::kpi::model::{day_number, day_text};
use serde_json::{Value, json};

const PW: &str = "keel-demo";
const TRACK: &str = "6e0a0000-0000-4000-8000-000000000001";
const PERIOD: &str = "6e0b0000-0000-4000-8000-000000000001";

fn comp(i: usize) -> String {
    format!("6e0a0000-0000-4000-8000-0000000001{i:02}")
}

fn level(i: usize) -> String {
    format!("6e0a0000-0000-4000-8000-0000000002{i:02}")
}

fn today() -> i64 {
    day_number(&keel::server::today_in("Asia/Shanghai").0).unwrap()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn item(title: &str, cost: &str, due: i64) -> Value {
    json!({
        "kind": "course", "title": title, "competency_id": comp(1),
        "due_date": day_text(due), "cost": cost, "evidence": "", "catalog_id": ""
    })
}

impl App {
    async fn growth(&self, cookie: &str, person: &str) -> super::Reply {
        self.call(
            "person_growth",
            &[("person_id", person), ("period_id", "")],
            Some(cookie),
        )
        .await
    }

    async fn growth_ok(&self, cookie: &str, person: &str) -> Value {
        let r = self.growth(cookie, person).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn add_item(&self, cookie: &str, id: &str, person: &str, form: Value) -> super::Reply {
        self.call_json(
            "add_plan_item",
            json!({ "id": id, "person_id": person, "period_id": PERIOD, "form": form }),
            Some(cookie),
        )
        .await
    }

    async fn update_item(
        &self,
        cookie: &str,
        item: &Value,
        status: &str,
        evidence: &str,
    ) -> super::Reply {
        self.call(
            "update_plan_item",
            &[
                ("id", item["id"].as_str().unwrap()),
                ("version", &item["version"].to_string()),
                ("status", status),
                ("evidence", evidence),
                ("due_date", item["due_date"].as_str().unwrap()),
                (
                    "cost",
                    &keel::growth::model::money_input(item["cost"].as_i64().unwrap()),
                ),
            ],
            Some(cookie),
        )
        .await
    }

    async fn ratings(
        &self,
        cookie: &str,
        person: &str,
        version: i64,
        as_leader: bool,
        values: &[(usize, &str)],
    ) -> super::Reply {
        let ratings: Vec<Value> = values
            .iter()
            .map(|(c, r)| json!({ "competency_id": comp(*c), "rating": r }))
            .collect();
        self.call_json(
            "save_ratings",
            json!({ "person_id": person, "period_id": PERIOD, "version": version, "as_leader": as_leader, "ratings": ratings }),
            Some(cookie),
        )
        .await
    }

    async fn budget(
        &self,
        cookie: &str,
        scope: &str,
        subject: &str,
        amount: &str,
        version: i64,
    ) -> super::Reply {
        self.call(
            "set_budget",
            &[
                ("period_id", PERIOD),
                ("scope", scope),
                ("subject_id", subject),
                ("amount", amount),
                ("version", &version.to_string()),
            ],
            Some(cookie),
        )
        .await
    }
}

fn find_item<'a>(g: &'a Value, title: &str) -> &'a Value {
    g["plan"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("no item {title} in {}", g["plan"]))
}

#[tokio::test]
async fn personal_plans_and_ratings_are_seen_only_by_the_person_their_leaders_and_mentors() {
    let app = demo_app().await;
    let pm1 = app.user_id("pm1@example.com").await;
    let pm3 = app.user_id("pm3@example.com").await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let member = app.sign_in("member1@example.com", PW).await;
    let pm7 = app.sign_in("pm7@example.com", PW).await;
    let pm3c = app.sign_in("pm3@example.com", PW).await;

    // Another PM of the same team, a member and another team's leader: refused.
    // (pm2 mentors pm1, not the other way round.)
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let pm2 = app.user_id("pm2@example.com").await;
    for cookie in [&pm1c, &member, &lead2] {
        let r = app.growth(cookie, &pm2).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.error_code(), "forbidden");
    }
    // Nobody signed in: refused before anything is read.
    let r = app
        .call(
            "person_growth",
            &[("person_id", &pm1), ("period_id", "")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // The leader above (Growth sits under Product, led by lead1) sees ratings and plan.
    let g = app.growth_ok(&lead1, &pm3).await;
    assert_eq!(g["rights"]["see_ratings"], true);
    assert_eq!(g["rights"]["rate_as_leader"], true);
    assert_eq!(g["rights"]["rate_self"], false);
    assert_eq!(g["ratings"].as_array().unwrap().len(), 6);
    assert_eq!(g["ratings"][0]["self_rating"], 2);

    // pm7 mentors pm3: sees the plan, never the ratings, and cannot edit.
    let g = app.growth_ok(&pm7, &pm3).await;
    assert_eq!(g["rights"]["see_ratings"], false);
    assert_eq!(g["rights"]["edit_plan"], false);
    assert!(g["ratings"].as_array().unwrap().is_empty());
    assert!(g["suggestions"].as_array().unwrap().is_empty());
    let r = app
        .add_item(&pm7, &new_id(), &pm3, item("x", "", today() + 5))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // ... and the mentee is not the mentor's: pm3 cannot read pm7's.
    let pm7_id = app.user_id("pm7@example.com").await;
    assert_eq!(
        app.growth(&pm3c, &pm7_id).await.status,
        StatusCode::FORBIDDEN
    );

    // Ratings: the person rates only themself, the leader only the leader column.
    let v = app.growth_ok(&pm3c, "").await["assessment_version"]
        .as_i64()
        .unwrap();
    let r = app.ratings(&pm3c, &pm3, v, true, &[(1, "5")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.ratings(&lead1, &pm3, v, false, &[(1, "5")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.ratings(&lead2, &pm3, v, true, &[(1, "5")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.ratings(&pm7, &pm3, v, true, &[(1, "5")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM ratings WHERE leader_rating = 5")
            .await,
        0
    );

    // A leader never rates, levels or approves themself.
    let lead1_id = app.user_id("lead1@example.com").await;
    let g = app.growth_ok(&lead1, &lead1_id).await;
    assert_eq!(g["rights"]["rate_as_leader"], false);
    assert_eq!(g["rights"]["approve"], false);
    let r = app
        .call(
            "set_level",
            &[
                ("person_id", &lead1_id),
                ("level_id", &level(1)),
                ("version", "1"),
            ],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "set_level",
            &[
                ("person_id", &pm1),
                ("level_id", &level(1)),
                ("version", "1"),
            ],
            Some(&pm2c),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

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

    let cell = [
        ("level_id", level(1)),
        ("competency_id", comp(1)),
        ("version", "1".to_string()),
        ("text_en", "x".to_string()),
        ("text_zh", "x".to_string()),
        ("rating", "3".to_string()),
    ];
    let cell: Vec<(&str, &str)> = cell.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call("save_expectation", &cell, Some(&lead1))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let period = [
        ("id", new_id()),
        ("name", "2030 H1".into()),
        ("start_date", "2030-01-01".into()),
        ("end_date", "2030-06-30".into()),
    ];
    let period: Vec<(&str, &str)> = period.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call("create_period", &period, Some(&lead1))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for (endpoint, form) in [
        (
            "add_level",
            vec![
                ("id", new_id()),
                ("track_id", TRACK.into()),
                ("code", "PM9".into()),
            ],
        ),
        (
            "add_competency",
            vec![
                ("id", new_id()),
                ("track_id", TRACK.into()),
                ("key", "k".into()),
                ("name_en", "K".into()),
                ("name_zh", "K".into()),
            ],
        ),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            app.call(endpoint, &form, Some(&lead1)).await.status,
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }

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
async fn creates_with_one_client_id_store_once_and_bad_input_stores_nothing() {
    let app = demo_app().await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm2 = app.user_id("pm2@example.com").await;

    let id = new_id();
    for _ in 0..2 {
        let r = app
            .add_item(&pm2c, &id, &pm2, item("Course A", "800", today() + 10))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_items WHERE title = 'Course A'")
            .await,
        1
    );
    // The same id sent for another person's plan is a conflict, not a second item.
    let pm1 = app.user_id("pm1@example.com").await;
    let r = app
        .add_item(&lead1, &id, &pm1, item("Course A", "800", today() + 10))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    for (form, field, code) in [
        (item("", "1", today()), "title", "required"),
        (item("B", "-5", today()), "cost", "negative"),
        (item("B", "abc", today()), "cost", "not_a_number"),
        (
            json!({ "kind": "course", "title": "B", "competency_id": comp(1), "due_date": "2026-13-40", "cost": "", "evidence": "", "catalog_id": "" }),
            "due_date",
            "invalid_date",
        ),
        (
            json!({ "kind": "party", "title": "B", "competency_id": comp(1), "due_date": day_text(today()), "cost": "", "evidence": "", "catalog_id": "" }),
            "kind",
            "invalid_choice",
        ),
        (
            json!({ "kind": "course", "title": "B", "competency_id": "nope", "due_date": day_text(today()), "cost": "", "evidence": "", "catalog_id": "" }),
            "competency_id",
            "invalid_choice",
        ),
    ] {
        let r = app.add_item(&pm2c, &new_id(), &pm2, form).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert_eq!(r.json()["field"], field);
        assert_eq!(r.error_code(), code);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_items WHERE title = 'B'")
            .await,
        0
    );

    // Periods, catalog entries, pairs and meetings: a repeated create stores once.
    let pid = new_id();
    for _ in 0..2 {
        let r = app
            .call(
                "create_period",
                &[
                    ("id", &pid),
                    ("name", "2030 H1"),
                    ("start_date", "2030-01-01"),
                    ("end_date", "2030-06-30"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM periods WHERE name = '2030 H1'")
            .await,
        1
    );
    let r = app
        .call(
            "create_period",
            &[
                ("id", &new_id()),
                ("name", "2030 H1"),
                ("start_date", "2030-01-01"),
                ("end_date", "2030-06-30"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "name_taken");
    let r = app
        .call(
            "create_period",
            &[
                ("id", &new_id()),
                ("name", "2031 H1"),
                ("start_date", "2031-06-01"),
                ("end_date", "2031-01-01"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(
        (r.error_code().as_str(), r.json()["field"].as_str()),
        ("due_before_start", Some("end_date"))
    );

    let entry = json!({ "id": new_id(), "title": "Lean Analytics", "kind": "reading", "competencies": [comp(4)],
        "link": "https://leananalyticsbook.com", "cost": "99.5", "language": "en" });
    for _ in 0..2 {
        let r = app
            .call_json("create_catalog_entry", entry.clone(), Some(&lead1))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM catalog WHERE title = 'Lean Analytics' AND cost = 9950")
            .await,
        1
    );
    let mut bad = entry.clone();
    bad["id"] = json!(new_id());
    bad["link"] = json!("ftp://x");
    assert_eq!(
        app.call_json("create_catalog_entry", bad, Some(&lead1))
            .await
            .error_code(),
        "invalid_link"
    );

    let pair = new_id();
    let pm5 = app.user_id("pm5@example.com").await;
    for _ in 0..2 {
        let r = app
            .call(
                "create_mentorship",
                &[
                    ("id", &pair),
                    ("mentor_id", &pm2),
                    ("mentee_id", &pm5),
                    ("goals", "Run a discovery sprint"),
                ],
                Some(&lead1),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mentorships WHERE goals = 'Run a discovery sprint'")
            .await,
        1
    );
    let meeting = new_id();
    for _ in 0..2 {
        let r = app
            .call(
                "log_meeting",
                &[
                    ("id", &meeting),
                    ("mentorship_id", &pair),
                    ("day", &day_text(today())),
                    ("note", "kick-off"),
                ],
                Some(&pm2c),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mentor_meetings WHERE note = 'kick-off'")
            .await,
        1
    );
    let r = app
        .call(
            "log_meeting",
            &[
                ("id", &new_id()),
                ("mentorship_id", &pair),
                ("day", &day_text(today() + 3)),
                ("note", "x"),
            ],
            Some(&pm2c),
        )
        .await;
    assert_eq!(r.error_code(), "in_future");
    // The mentor now sees the mentee's plan.
    let g = app.growth_ok(&pm2c, &pm5).await;
    assert_eq!(g["rights"]["see_ratings"], false);
}

#[tokio::test]
async fn an_item_is_done_with_evidence_and_the_completion_rate_follows() {
    let app = demo_app().await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let pm2 = app.user_id("pm2@example.com").await;
    for (t, due) in [("One", today() + 3), ("Two", today() - 2)] {
        let r = app
            .add_item(&pm2c, &new_id(), &pm2, item(t, "0", due))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let g = app.growth_ok(&pm2c, "").await;
    assert_eq!(g["plan"]["completion"], 0.0);
    assert_eq!(g["plan"]["overdue"], 1, "Two was due two days ago");
    // The leader's dashboard (read now, and kept in server memory) agrees.
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let row = |d: Value| {
        d["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == pm2.as_str())
            .unwrap()
            .clone()
    };
    let dash = || {
        app.call(
            "growth_dashboard",
            &[("period_id", ""), ("team", ""), ("page", "0")],
            Some(&lead1),
        )
    };
    let before = row(dash().await.json());
    assert_eq!(
        (before["completion"].as_f64(), before["overdue"].as_i64()),
        (Some(0.0), Some(1))
    );
    assert_eq!(find_item(&g, "Two")["overdue"], true);
    assert_eq!(find_item(&g, "One")["overdue"], false);

    let one = find_item(&g, "One").clone();
    let r = app.update_item(&pm2c, &one, "done", "  ").await;
    assert_eq!(
        (r.error_code().as_str(), r.json()["field"].as_str()),
        ("required", Some("evidence"))
    );
    let r = app
        .update_item(&pm2c, &one, "done", "https://example.com/certificate")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same (now old) version again: refused, not applied twice.
    let r = app.update_item(&pm2c, &one, "dropped", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let g = app.growth_ok(&pm2c, "").await;
    assert_eq!(g["plan"]["completion"], 0.5);
    assert_eq!(find_item(&g, "One")["status"], "done");
    // The dashboard's copy follows the change at once.
    let after = row(dash().await.json());
    assert_eq!(
        (after["completion"].as_f64(), after["done"].as_i64()),
        (Some(0.5), Some(1))
    );
    // Dropping the overdue one: no longer overdue, no longer counted.
    let two = find_item(&g, "Two").clone();
    assert_eq!(
        app.update_item(&pm2c, &two, "dropped", "").await.status,
        StatusCode::OK
    );
    let g = app.growth_ok(&pm2c, "").await;
    assert_eq!(g["plan"]["completion"], 1.0);
    assert_eq!(g["plan"]["overdue"], 0);
    // Someone else's item: refused.
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let one = find_item(&g, "One").clone();
    assert_eq!(
        app.update_item(&pm1c, &one, "planned", "").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_over_budget_plan_waits_for_its_leaders_approval() {
    let app = demo_app().await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let pm2 = app.user_id("pm2@example.com").await;

    assert_eq!(
        app.budget(&lead1, "person", &pm2, "1000", 0).await.status,
        StatusCode::OK
    );
    let r = app
        .add_item(
            &pm2c,
            &new_id(),
            &pm2,
            item("Conference", "1,500", today() + 20),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let g = app.growth_ok(&pm2c, "").await;
    assert_eq!(g["plan"]["spent"], 150000);
    assert_eq!(g["plan"]["budget"], 100000);
    assert_eq!(g["plan"]["approval"], "waiting");
    // Paid items cannot start while the plan waits.
    let conf = find_item(&g, "Conference").clone();
    let r = app.update_item(&pm2c, &conf, "in_progress", "").await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::CONFLICT, "awaiting_approval")
    );

    let plan = g["plan"]["id"].as_str().unwrap().to_string();
    let version = g["plan"]["version"].to_string();
    // Only the nearest leader approves: not the person, not another team's
    // leader, and not an admin while the person has a leader.
    let admin = app.sign_in("admin@example.com", PW).await;
    assert_eq!(app.growth_ok(&lead1, &pm2).await["rights"]["approve"], true);
    assert_eq!(
        app.growth_ok(&admin, &pm2).await["rights"]["approve"],
        false
    );
    for cookie in [&pm2c, &lead2, &admin] {
        let r = app
            .call(
                "approve_plan",
                &[("plan_id", &plan), ("version", &version)],
                Some(cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let r = app
        .call(
            "approve_plan",
            &[("plan_id", &plan), ("version", &version)],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let g = app.growth_ok(&pm2c, "").await;
    assert_eq!(g["plan"]["approval"], "approved");
    assert_eq!(g["plan"]["approved_by"], "陈静 Chen Jing");
    assert_eq!(
        app.update_item(
            &pm2c,
            &find_item(&g, "Conference").clone(),
            "in_progress",
            ""
        )
        .await
        .status,
        StatusCode::OK
    );

    // More spending than was approved: waits again; the dashboard shows it waiting.
    let r = app
        .add_item(&pm2c, &new_id(), &pm2, item("Book", "100", today() + 20))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.growth_ok(&pm2c, "").await["plan"]["approval"],
        "waiting"
    );
    let d = app
        .call(
            "growth_dashboard",
            &[("period_id", ""), ("team", ""), ("page", "0")],
            Some(&lead1),
        )
        .await
        .json();
    let row = d["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == pm2.as_str())
        .unwrap();
    assert_eq!(row["waiting"], true);
    assert_eq!(row["spent"], 160000);
}

#[tokio::test]
async fn an_admin_approves_where_nobody_leads_above_the_person() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let team = new_id();
    let r = app
        .call(
            "create_team",
            &[
                ("id", &team),
                ("name", "Labs"),
                ("parent_id", ""),
                ("leader_id", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pm = new_id();
    let r = app
        .call(
            "create_person",
            &[
                ("id", &pm),
                ("email", "labs.pm@example.com"),
                ("display_name", "Labs PM"),
                ("role", "pm"),
                ("team_id", &team),
                ("password", "welcome-123"),
                ("language", "en"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pmc = app.sign_in("labs.pm@example.com", "welcome-123").await;
    assert_eq!(
        app.budget(&admin, "person", &pm, "100", 0).await.status,
        StatusCode::OK
    );
    let r = app
        .add_item(&pmc, &new_id(), &pm, item("Course", "200", today() + 20))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let g = app.growth_ok(&pmc, "").await;
    assert_eq!(g["plan"]["approval"], "waiting");
    let plan = g["plan"]["id"].as_str().unwrap().to_string();
    let version = g["plan"]["version"].to_string();
    let approve = |cookie: &str| {
        let (plan, version, cookie) = (plan.clone(), version.clone(), cookie.to_string());
        let app = &app;
        async move {
            app.call(
                "approve_plan",
                &[("plan_id", &plan), ("version", &version)],
                Some(&cookie),
            )
            .await
        }
    };
    // A leader of other teams is not above this person at all.
    assert_eq!(approve(&lead1).await.status, StatusCode::FORBIDDEN);
    assert_eq!(approve(&pmc).await.status, StatusCode::FORBIDDEN);
    let r = approve(&admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.growth_ok(&pmc, "").await["plan"]["approval"],
        "approved"
    );
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
    let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "person_growth",
            vec![("person_id", &pm1), ("period_id", "")],
        ),
        (
            "set_level",
            vec![("person_id", &pm1), ("level_id", "x"), ("version", "1")],
        ),
        (
            "update_plan_item",
            vec![
                ("id", &id),
                ("version", "1"),
                ("status", "done"),
                ("evidence", "e"),
                ("due_date", "2026-01-01"),
                ("cost", "0"),
            ],
        ),
        ("approve_plan", vec![("plan_id", &id), ("version", "1")]),
        (
            "growth_dashboard",
            vec![("period_id", ""), ("team", ""), ("page", "0")],
        ),
        ("growth_catalog", vec![]),
        ("growth_mentoring", vec![]),
        (
            "create_mentorship",
            vec![
                ("id", &id),
                ("mentor_id", &pm1),
                ("mentee_id", &pm1),
                ("goals", "g"),
            ],
        ),
        (
            "log_meeting",
            vec![
                ("id", &id),
                ("mentorship_id", &id),
                ("day", "2026-01-01"),
                ("note", "n"),
            ],
        ),
        ("growth_framework", vec![("track_id", "")]),
        (
            "save_expectation",
            vec![
                ("level_id", "l"),
                ("competency_id", "c"),
                ("version", "1"),
                ("text_en", ""),
                ("text_zh", ""),
                ("rating", "3"),
            ],
        ),
        (
            "add_competency",
            vec![
                ("id", &id),
                ("track_id", TRACK),
                ("key", "k"),
                ("name_en", "K"),
                ("name_zh", "K"),
            ],
        ),
        (
            "add_level",
            vec![("id", &id), ("track_id", TRACK), ("code", "X")],
        ),
        ("growth_settings", vec![("period_id", "")]),
        (
            "create_period",
            vec![
                ("id", &id),
                ("name", "n"),
                ("start_date", "2030-01-01"),
                ("end_date", "2030-02-01"),
            ],
        ),
        (
            "set_budget",
            vec![
                ("period_id", PERIOD),
                ("scope", "person"),
                ("subject_id", &pm1),
                ("amount", "1"),
                ("version", "0"),
            ],
        ),
    ];
    for (endpoint, form) in forms {
        let r = app.call(endpoint, &form, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{endpoint}: {}", r.body);
    }
    let bodies = [
        (
            "save_ratings",
            json!({ "person_id": pm1, "period_id": PERIOD, "version": 0, "as_leader": false, "ratings": [] }),
        ),
        (
            "add_plan_item",
            json!({ "id": id, "person_id": pm1, "period_id": PERIOD, "form": item("t", "", today()) }),
        ),
        (
            "create_catalog_entry",
            json!({ "id": id, "title": "t", "kind": "course", "competencies": [comp(1)], "link": "", "cost": "", "language": "en" }),
        ),
    ];
    for (endpoint, body) in bodies {
        let r = app.call_json(endpoint, body, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{endpoint}: {}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_items WHERE title = 't'")
            .await,
        0
    );
}
