//! Paged and searched lists (issue 17): survey rounds, the training catalog,
//! "My requirements", a requirement's history and the goal tree's folded
//! branches. Each: 120 rows → page 1 has 50, page 3 has 20, the total is
//! right, search (with LIKE wildcards taken literally) and filters narrow,
//! and a row the caller may not see is neither counted nor shown.
use crate::helpers::{App, demo_app, new_id};
use axum::http::StatusCode;
use serde_json::Value;

fn rows(v: &Value, key: &str) -> Vec<Value> {
    v[key].as_array().cloned().unwrap_or_default()
}

impl App {
    async fn exec(&self, sql: &str, binds: &[&str]) {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(b.to_string());
        }
        q.execute(&self.pool).await.unwrap();
    }

    async fn ok(&self, endpoint: &str, form: &[(&str, &str)], cookie: &str) -> Value {
        let r = self.call(endpoint, form, Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{endpoint}: {}", r.body);
        r.json()
    }

    /// A private round of `team` owned by `owner`, opening in a year.
    async fn seed_round(&self, title: &str, owner: &str, team: &str) {
        let id = new_id();
        self.exec(
            "INSERT INTO survey_rounds (id, title, owner_id, opens_at, closes_at, series_id, created_at)
             VALUES ($1, $2, $3, '2099-01-01T00:00:00Z', '2099-01-08T00:00:00Z', $1, '2026-01-01T00:00:00Z')",
            &[&id, title, owner],
        )
        .await;
        self.exec(
            "INSERT INTO survey_round_teams (round_id, team_id) VALUES ($1, $2)",
            &[&id, team],
        )
        .await;
    }
}

#[tokio::test]
async fn survey_rounds_are_paged_searched_and_only_the_visible_are_counted() {
    let app = demo_app().await;
    let lead2 = app.sign_in("lead2@example.com", "keel-demo").await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let (l1, l2) = (
        app.user_id("lead1@example.com").await,
        app.user_id("lead2@example.com").await,
    );
    let (platform, product) = (app.team_id("Platform").await, app.team_id("Product").await);
    for i in 0..120 {
        app.seed_round(&format!("Lists round {i:03}"), &l2, &platform)
            .await;
    }
    // lead1's own private round: lead2 may not see it.
    app.seed_round("Lists round of lead1", &l1, &product).await;

    let p1 = app
        .ok("load_surveys", &[("search", "LISTS ROUND 0")], &lead2)
        .await;
    assert_eq!(p1["total"], 100, "lists round 000–099");
    let p1 = app
        .ok("load_surveys", &[("search", "lists round")], &lead2)
        .await;
    assert_eq!(p1["total"], 120);
    assert_eq!(rows(&p1, "rounds").len(), 50);
    assert_eq!(p1["offset"], 0);
    let p3 = app
        .ok(
            "load_surveys",
            &[("search", "lists round"), ("offset", "100")],
            &lead2,
        )
        .await;
    assert_eq!(rows(&p3, "rounds").len(), 20);
    assert_eq!(p3["offset"], 100);
    // Past the end: the last page.
    let past = app
        .ok(
            "load_surveys",
            &[("search", "lists round"), ("offset", "900")],
            &lead2,
        )
        .await;
    assert_eq!(past["offset"], 100);
    let narrow = app
        .ok("load_surveys", &[("search", "round 01")], &lead2)
        .await;
    assert_eq!(narrow["total"], 10);
    // Wildcards are taken literally.
    for w in ["round _", "round %", "round \\"] {
        let r = app.ok("load_surveys", &[("search", w)], &lead2).await;
        assert_eq!(r["total"], 0, "{w}");
    }
    // The hidden ones are neither counted nor shown.
    assert!(!p1.to_string().contains("of lead1"));
    let l1_view = app
        .ok("load_surveys", &[("search", "lists round")], &lead1)
        .await;
    assert_eq!(l1_view["total"], 1);
    assert_eq!(l1_view["rounds"][0]["title"], "Lists round of lead1");
    let all = app
        .ok("load_surveys", &[("search", "lists round")], &admin)
        .await;
    assert_eq!(all["total"], 121);
    // No parameters: the first page of everything one may see.
    let plain = app.ok("load_surveys", &[], &lead2).await;
    assert!(plain["total"].as_i64().unwrap() >= 120);
    assert_eq!(rows(&plain, "rounds").len(), 50);
}

#[tokio::test]
async fn the_catalog_is_paged_searched_and_filtered_by_competency_and_kind() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", "keel-demo").await;
    let admin_id = app.user_id("admin@example.com").await;
    let first = app.ok("growth_catalog", &[], &pm1).await;
    let comp = first["competencies"][0]["id"].as_str().unwrap().to_string();
    for i in 0..120 {
        let id = new_id();
        let kind = if i % 2 == 0 { "course" } else { "reading" };
        app.exec(
            "INSERT INTO catalog (id, title, kind, language, created_by, created_at)
             VALUES ($1, $2, $3, 'en', $4, '2026-01-01T00:00:00Z')",
            &[&id, &format!("Lists resource {i:03}"), kind, &admin_id],
        )
        .await;
        if i % 3 == 0 {
            app.exec(
                "INSERT INTO catalog_competencies (catalog_id, competency_id) VALUES ($1, $2)",
                &[&id, &comp],
            )
            .await;
        }
    }
    let q = |extra: Vec<(&'static str, String)>| {
        let app = &app;
        let pm1 = pm1.clone();
        async move {
            let mut form: Vec<(&str, String)> = vec![("search", "lists resource".into())];
            form.extend(extra);
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.ok("growth_catalog", &form, &pm1).await
        }
    };
    let p1 = q(vec![]).await;
    assert_eq!(p1["total"], 120);
    assert_eq!(rows(&p1, "entries").len(), 50);
    assert_eq!(p1["entries"][0]["title"], "Lists resource 000");
    let p3 = q(vec![("offset", "100".into())]).await;
    assert_eq!(rows(&p3, "entries").len(), 20);
    assert_eq!(p3["entries"][0]["title"], "Lists resource 100");
    let k = q(vec![("kind", "reading".into())]).await;
    assert_eq!(k["total"], 60);
    let c = q(vec![("competency_id", comp.clone())]).await;
    assert_eq!(c["total"], 40);
    let both = q(vec![
        ("competency_id", comp.clone()),
        ("kind", "course".into()),
    ])
    .await;
    assert_eq!(both["total"], 20, "i % 6 == 0");
    let narrow = app
        .ok("growth_catalog", &[("search", "resource 11")], &pm1)
        .await;
    assert_eq!(narrow["total"], 10);
    let lit = app
        .ok("growth_catalog", &[("search", "resource _")], &pm1)
        .await;
    assert_eq!(lit["total"], 0);
    let bad = app
        .call("growth_catalog", &[("kind", "nonsense")], Some(&pm1))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.call("growth_catalog", &[], None).await.status == StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn my_requirements_have_no_silent_cap_and_show_only_ones_own() {
    let app = demo_app().await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let other = app.sign_in("member2@example.com", "keel-demo").await;
    let lead = app.sign_in("lead1@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&lead).await;
    for i in 0..120 {
        app.submit(&member, &backlog, &format!("Lists need {i:03}"), "")
            .await;
    }
    app.submit(&other, &backlog, "Lists need of someone else", "")
        .await;
    let p1 = app
        .ok("my_requirements", &[("search", "lists need")], &member)
        .await;
    assert_eq!(p1["total"], 120);
    assert_eq!(rows(&p1, "rows").len(), 50);
    // Newest first.
    assert_eq!(p1["rows"][0]["title"], "Lists need 119");
    let p3 = app
        .ok(
            "my_requirements",
            &[("search", "lists need"), ("offset", "100")],
            &member,
        )
        .await;
    assert_eq!(rows(&p3, "rows").len(), 20);
    let narrow = app
        .ok("my_requirements", &[("search", "need 00")], &member)
        .await;
    assert_eq!(narrow["total"], 10);
    let lit = app
        .ok("my_requirements", &[("search", "need %")], &member)
        .await;
    assert_eq!(lit["total"], 0);
    assert!(!p1.to_string().contains("someone else"));
    let theirs = app
        .ok("my_requirements", &[("search", "lists need")], &other)
        .await;
    assert_eq!(theirs["total"], 1);
}

#[tokio::test]
async fn a_requirements_history_comes_newest_first_fifty_at_a_time() {
    let app = demo_app().await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let lead = app.sign_in("lead1@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&lead).await;
    let req = app.submit(&member, &backlog, "Lists history", "").await;
    let id = req["id"].as_str().unwrap().to_string();
    let actor = app.user_id("member1@example.com").await;
    for i in 0..119 {
        app.exec(
            "INSERT INTO requirement_events (id, requirement_id, actor_id, kind, from_value, to_value, at)
             VALUES ($1, $2, $3, 'status', 'new', 'accepted', $4)",
            &[
                &new_id(),
                &id,
                &actor,
                &format!("2026-01-01T{:02}:{:02}:00Z", i / 60, i % 60),
            ],
        )
        .await;
    }
    let d = app.detail(&member, &id).await;
    assert_eq!(d["history_total"], 120);
    let h = rows(&d, "history");
    assert_eq!(h.len(), 50);
    // Newest first: the submission (today) before the seeded ones.
    assert_eq!(h[0]["kind"], "created");
    let ats: Vec<&str> = h.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(ats.windows(2).skip(1).all(|w| w[0] >= w[1]), "{ats:?}");
    let more = app
        .ok(
            "requirement_detail",
            &[("id", &id), ("history", "100")],
            &member,
        )
        .await;
    assert_eq!(rows(&more, "history").len(), 100);
    let all = app
        .ok(
            "requirement_detail",
            &[("id", &id), ("history", "150")],
            &member,
        )
        .await;
    assert_eq!(rows(&all, "history").len(), 120);
    assert_eq!(
        all["history"][119]["at"].as_str().unwrap().get(..4),
        Some("2026")
    );
}

fn find<'a>(nodes: &'a Value, title_part: &str) -> Option<&'a Value> {
    for n in nodes.as_array()? {
        if n["goal"]["title"].as_str()?.contains(title_part) {
            return Some(n);
        }
        if let Some(f) = find(&n["goals"], title_part) {
            return Some(f);
        }
    }
    None
}

#[tokio::test]
async fn folded_goal_branches_load_on_opening_and_never_for_a_goal_one_may_not_see() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let lead2 = app.sign_in("lead2@example.com", "keel-demo").await;
    // pm3's goal is two levels down: sent folded, its KPI not sent.
    let tree = app.ok("goal_tree", &[], &pm3).await;
    let node = find(&tree["roots"], "Lift sign-up conversion").expect("pm3's goal");
    assert_eq!(node["collapsed"], true);
    assert!(node["children"].as_u64().unwrap() >= 1);
    assert!(rows(node, "kpis").is_empty());
    let goal = node["goal"]["id"].as_str().unwrap().to_string();
    // Opening it: its KPIs come.
    let kids = app.ok("goal_children", &[("id", &goal)], &pm3).await;
    assert_eq!(kids["collapsed"], false);
    assert!(kids["kpis"].to_string().contains("CONV"), "{kids}");
    // Before hydration: ?open=… renders that branch on the server.
    let open = app.ok("goal_tree", &[("open", &goal)], &pm3).await;
    let node = find(&open["roots"], "Lift sign-up conversion").unwrap();
    assert_eq!(node["collapsed"], false);
    assert!(node["kpis"].to_string().contains("CONV"));
    // The page itself, with ?open=, shows the KPI.
    let page = app
        .get(&format!("/kpis/goals?open={goal}"), Some(&pm3))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("CONV"));
    assert!(page.body.contains("aria-expanded"));
    // The Platform leader may not see pm3's goal: refused, nothing sent.
    let r = app
        .call("goal_children", &[("id", &goal)], Some(&lead2))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(!r.body.contains("CONV"));
    let r = app
        .call("goal_tree", &[("open", &goal)], Some(&lead2))
        .await;
    assert!(!r.body.contains("Lift sign-up conversion"));
    assert_eq!(
        app.call("goal_children", &[("id", &goal)], None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
