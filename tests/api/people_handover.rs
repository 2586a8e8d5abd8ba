//! Handing over what a person owns or leads (issue 17): a leader with items
//! of every kind, listed, handed over one by one and all to one person
//! (all or nothing), who may do it, and a deactivated leader who stops
//! leading.
use crate::helpers::{App, demo_app, new_id};
use axum::http::StatusCode;
use serde_json::{Value, json};

impl App {
    async fn holdings(&self, cookie: &str, id: &str) -> Value {
        let r = self
            .call("person_holdings", &[("id", id)], Some(cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn one(&self, sql: &str, args: &[&str]) -> String {
        let mut q = sqlx::query_scalar::<_, String>(sql);
        for a in args {
            q = q.bind(*a);
        }
        q.fetch_one(&self.pool).await.unwrap()
    }
}

fn kinds(h: &Value) -> Vec<String> {
    h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_leaders_work_of_every_kind_is_handed_over_and_a_deactivated_leader_stops_leading() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let lead1 = app.user_id("lead1@example.com").await;
    let lead2 = app.user_id("lead2@example.com").await;
    let pm3 = app.user_id("pm3@example.com").await;
    // pm2 mentors pm1 (pm7 mentors pm3, who could not mentor themselves).
    let pm2 = app.user_id("pm2@example.com").await;
    // lead1 leads Product; give them one of everything else.
    let kpi = app
        .one("SELECT id FROM kpis ORDER BY code LIMIT 1", &[])
        .await;
    let goal = app
        .one(
            "SELECT id FROM goals WHERE archived_at IS NULL ORDER BY title LIMIT 1",
            &[],
        )
        .await;
    let backlog = app
        .one("SELECT id FROM backlogs ORDER BY name LIMIT 1", &[])
        .await;
    let pair = app
        .one("SELECT id FROM mentorships WHERE mentor_id = $1", &[&pm2])
        .await;
    for (sql, id) in [
        ("UPDATE kpis SET owner_id = $1 WHERE id = $2", &kpi),
        ("UPDATE goals SET owner_id = $1 WHERE id = $2", &goal),
        ("UPDATE backlogs SET owner_id = $1 WHERE id = $2", &backlog),
        ("UPDATE mentorships SET mentor_id = $1 WHERE id = $2", &pair),
    ] {
        sqlx::query(sql)
            .bind(&lead1)
            .bind(id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let lead1_cookie = app.sign_in("lead1@example.com", "keel-demo").await;
    let product = app.team_id("Product").await;
    let (status, round) =
        crate::surveys::create_round(&app, &lead1_cookie, &[&product], json!({})).await;
    assert_eq!(status, StatusCode::OK, "{round}");
    let round = round.as_str().unwrap().to_string();
    let action = new_id();
    sqlx::query(
        "INSERT INTO survey_actions (id, round_id, team_id, focus, action, owner_id, due_date, status, follow_up, created_by, version, created_at)
         VALUES ($1, $2, NULL, 'engagement', '每月一次团队复盘', $3, '2027-01-31', 'open', '', $3, 1, '2026-12-01T00:00:00Z')",
    )
    .bind(&action)
    .bind(&round)
    .bind(&lead1)
    .execute(&app.pool)
    .await
    .unwrap();

    let h = app.holdings(&admin, &lead1).await;
    let mut all = kinds(&h);
    all.dedup();
    assert_eq!(
        all,
        [
            "team",
            "kpi",
            "goal",
            "backlog",
            "mentoring",
            "survey_round",
            "survey_action"
        ]
    );
    assert!(
        !h["approves_for"].as_array().unwrap().is_empty(),
        "lead1 approves Product's plans"
    );
    let count = h["items"].as_array().unwrap().len();

    // Only admins and the leaders above the person; never the person themselves.
    for who in [
        "lead1@example.com",
        "lead2@example.com",
        "pm1@example.com",
        "member1@example.com",
    ] {
        let c = app.sign_in(who, "keel-demo").await;
        let r = app
            .call("person_holdings", &[("id", &lead1)], Some(&c))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        let r = app
            .call(
                "hand_over_all",
                &[("person_id", &lead1), ("to_id", &lead2)],
                Some(&c),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
    }

    // One by one: the KPI to pm3.
    let one = |kind: &'static str, item: String, to: String| {
        let app = &app;
        let (admin, lead1) = (admin.clone(), lead1.clone());
        async move {
            app.call(
                "hand_over",
                &[
                    ("person_id", &lead1),
                    ("kind", kind),
                    ("item_id", &item),
                    ("to_id", &to),
                ],
                Some(&admin),
            )
            .await
        }
    };
    let r = one("kpi", kpi.clone(), pm3.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.one("SELECT owner_id FROM kpis WHERE id = $1", &[&kpi])
            .await,
        pm3
    );
    let r = one("kpi", kpi.clone(), pm3.clone()).await;
    assert_eq!(
        (r.error_code().as_str(), r.json()["field"].as_str()),
        ("invalid_choice", Some("item_id")),
        "no longer lead1's"
    );
    // A team needs a leader: a PM cannot take it.
    let product_team = product.clone();
    let r = one("team", product_team.clone(), pm3.clone()).await;
    assert_eq!(r.json()["field"], "to_id", "{}", r.body);

    // Everything to pm3: a team cannot go to a PM, so nothing moves.
    let r = app
        .call(
            "hand_over_all",
            &[("person_id", &lead1), ("to_id", &pm3)],
            Some(&admin),
        )
        .await;
    assert_eq!(
        (r.error_code().as_str(), r.json()["field"].as_str()),
        ("invalid_choice", Some("to_id"))
    );
    assert_eq!(
        app.holdings(&admin, &lead1).await["items"]
            .as_array()
            .unwrap()
            .len(),
        count - 1
    );

    // A survey round too needs a leader. The team and the round to lead2,
    // then everything else to pm3 in one step.
    let r = one("survey_round", round.clone(), pm3.clone()).await;
    assert_eq!(r.json()["field"], "to_id", "{}", r.body);
    let r = one("team", product_team.clone(), lead2.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = one("survey_round", round.clone(), lead2.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            "hand_over_all",
            &[("person_id", &lead1), ("to_id", &pm3)],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), json!(count - 3));
    assert_eq!(app.holdings(&admin, &lead1).await["items"], json!([]));
    assert_eq!(
        app.one("SELECT owner_id FROM goals WHERE id = $1", &[&goal])
            .await,
        pm3
    );
    assert_eq!(
        app.one("SELECT owner_id FROM backlogs WHERE id = $1", &[&backlog])
            .await,
        pm3
    );
    assert_eq!(
        app.one("SELECT mentor_id FROM mentorships WHERE id = $1", &[&pair])
            .await,
        pm3
    );
    assert_eq!(
        app.one(
            "SELECT owner_id FROM survey_rounds WHERE id = $1",
            &[&round]
        )
        .await,
        lead2
    );
    assert_eq!(
        app.one(
            "SELECT owner_id FROM survey_actions WHERE id = $1",
            &[&action]
        )
        .await,
        pm3
    );
    assert_eq!(
        app.one("SELECT leader_id FROM teams WHERE id = $1", &[&product])
            .await,
        lead2
    );

    // A deactivated leader stops leading: lead2's teams are left without one.
    let version = app
        .one(
            "SELECT CAST(version AS TEXT) FROM users WHERE id = $1",
            &[&lead2],
        )
        .await;
    let r = app
        .call(
            "set_person_active",
            &[("id", &lead2), ("version", &version), ("active", "false")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM teams WHERE leader_id = '{lead2}'"
        ))
        .await,
        0
    );
    let leaderless: i64 = app
        .count(&format!(
            "SELECT COUNT(*) FROM teams WHERE id = '{product}' AND leader_id IS NULL"
        ))
        .await;
    assert_eq!(leaderless, 1);
    // Nothing can be handed to someone inactive.
    let r = app
        .call(
            "hand_over_all",
            &[("person_id", &pm3), ("to_id", &lead2)],
            Some(&admin),
        )
        .await;
    assert_eq!(r.json()["field"], "to_id", "{}", r.body);
}

#[tokio::test]
async fn a_leader_hands_over_only_what_lies_within_the_teams_they_lead() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let pm1 = app.user_id("pm1@example.com").await;
    let lead1_id = app.user_id("lead1@example.com").await;
    let platform = app.team_id("Platform").await;
    // pm1 (Product, under lead1) also leads Platform, which lead1 does not lead.
    sqlx::query("UPDATE teams SET leader_id = $1 WHERE id = $2")
        .bind(&pm1)
        .bind(&platform)
        .execute(&app.pool)
        .await
        .unwrap();
    let seen = |cookie: String| {
        let (app, pm1) = (&app, pm1.clone());
        async move { app.holdings(&cookie, &pm1).await }
    };
    let by_admin = seen(admin.clone()).await;
    assert!(
        by_admin["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == platform.as_str())
    );
    let by_lead = seen(lead1.clone()).await;
    assert!(
        !by_lead["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == platform.as_str()),
        "{by_lead}"
    );
    // Taking it anyway is refused, and lead1 does not come to lead Platform.
    let r = app
        .call(
            "hand_over",
            &[
                ("person_id", &pm1),
                ("kind", "team"),
                ("item_id", &platform),
                ("to_id", &lead1_id),
            ],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.json()["field"], "item_id", "{}", r.body);
    assert_eq!(
        app.one("SELECT leader_id FROM teams WHERE id = $1", &[&platform])
            .await,
        pm1
    );
    // What lies in Product is lead1's to hand over: pm1's KPIs, to another PM of Product.
    let pm2 = app.user_id("pm2@example.com").await;
    let kpis: Vec<String> = by_lead["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "kpi")
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!kpis.is_empty(), "pm1 owns KPIs in the demo");
    let r = app
        .call(
            "hand_over",
            &[
                ("person_id", &pm1),
                ("kind", "kpi"),
                ("item_id", &kpis[0]),
                ("to_id", &pm2),
            ],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
