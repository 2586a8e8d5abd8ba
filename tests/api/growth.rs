//! Growth and training plans through the server functions: who may see and
//! change whose plan and ratings, idempotent creates, budgets and approval.
//! The framework, settings, catalog, mentoring, gaps and the leaders'
//! dashboard are in `growth_framework`.
use crate::helpers::{
    App, Call, FORBIDDEN, NO_SESSION, PW, Refused, Reply, assert_refused, demo_app, new_id, today,
};
use axum::http::StatusCode;
use keel::kpi::model::day_text;
use serde_json::{Value, json};

pub(crate) const TRACK: &str = "6e0a0000-0000-4000-8000-000000000001";
pub(crate) const PERIOD: &str = "6e0b0000-0000-4000-8000-000000000001";

pub(crate) fn comp(i: usize) -> String {
    format!("6e0a0000-0000-4000-8000-0000000001{i:02}")
}

pub(crate) fn level(i: usize) -> String {
    format!("6e0a0000-0000-4000-8000-0000000002{i:02}")
}

pub(crate) fn item(title: &str, cost: &str, due: i64) -> Value {
    json!({
        "kind": "course", "title": title, "competency_id": comp(1),
        "due_date": day_text(due), "cost": cost, "evidence": "", "catalog_id": ""
    })
}

impl App {
    pub(crate) async fn growth(&self, cookie: &str, person: &str) -> Reply {
        self.call(
            "person_growth",
            &[("person_id", person), ("period_id", "")],
            Some(cookie),
        )
        .await
    }

    pub(crate) async fn growth_ok(&self, cookie: &str, person: &str) -> Value {
        let r = self.growth(cookie, person).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    pub(crate) async fn add_item(
        &self,
        cookie: &str,
        id: &str,
        person: &str,
        form: Value,
    ) -> Reply {
        self.call_json(
            "add_plan_item",
            json!({ "id": id, "person_id": person, "period_id": PERIOD, "form": form }),
            Some(cookie),
        )
        .await
    }

    pub(crate) async fn update_item(
        &self,
        cookie: &str,
        item: &Value,
        status: &str,
        evidence: &str,
    ) -> Reply {
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

    pub(crate) async fn ratings(
        &self,
        cookie: &str,
        person: &str,
        version: i64,
        as_leader: bool,
        values: &[(usize, &str)],
    ) -> Reply {
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

    pub(crate) async fn budget(
        &self,
        cookie: &str,
        scope: &str,
        subject: &str,
        amount: &str,
        version: i64,
    ) -> Reply {
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

pub(crate) fn find_item<'a>(g: &'a Value, title: &str) -> &'a Value {
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
    let plan_of =
        |person: &str| Call::form("person_growth", &[("person_id", person), ("period_id", "")]);
    let callers = [
        ("pm1", Some(pm1c.as_str())),
        ("member1", Some(member.as_str())),
        ("lead2", Some(lead2.as_str())),
    ];
    assert_refused(&app, &callers, &[plan_of(&pm2)], FORBIDDEN).await;
    // Nobody signed in: refused before anything is read.
    let unauthorized = Refused::status(StatusCode::UNAUTHORIZED);
    assert_refused(&app, &[NO_SESSION], &[plan_of(&pm1)], unauthorized).await;

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
    let callers = [
        ("pm2", Some(pm2c.as_str())),
        ("lead2", Some(lead2.as_str())),
        ("admin", Some(admin.as_str())),
    ];
    let approve = Call::form("approve_plan", &[("plan_id", &plan), ("version", &version)]);
    let forbidden = Refused::status(StatusCode::FORBIDDEN);
    assert_refused(&app, &callers, &[approve], forbidden).await;
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
