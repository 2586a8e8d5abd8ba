//! Goals and charters through the server functions: the goal tree and its
//! roll-up, who may create goals and under which parent (hidden goals look
//! missing), and charters for the PM and the leaders above.
use crate::helpers::{demo_app, today};
use crate::kpi::kpi_form;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn goals_roll_up_and_creating_them_is_scoped() {
    let app = demo_app().await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let lead2 = app.sign_in("lead2@example.com", "keel-demo").await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let growth = app.team_id("Growth").await;
    let pm4 = app.user_id("pm4@example.com").await;
    let goal = |level: &str, owner: &str, teams: Vec<String>| {
        json!({
            "id": uuid::Uuid::new_v4().to_string(), "title": "Goal 目标", "level": level,
            "owner_id": owner, "team_ids": teams, "parent_id": "", "visibility": "", "weight": ""
        })
    };
    let r = app
        .call_json("create_goal", goal("company", "", vec![]), Some(&lead1))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json(
            "create_goal",
            goal("team", "", vec![growth.clone()]),
            Some(&lead2),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json("create_goal", goal("pm", &pm4, vec![]), Some(&pm3))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json("create_goal", goal("pm", &pm4, vec![]), Some(&member))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let before = app.count("SELECT COUNT(*) FROM goals").await;
    let g = goal("team", "", vec![growth.clone()]);
    assert_eq!(
        app.call_json("create_goal", g.clone(), Some(&lead1))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call_json("create_goal", g, Some(&lead1)).await.status,
        StatusCode::OK
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM goals").await, before + 1);

    // The demo tree: company goal ← shared team goal ← pm3's goal ← CONV.
    let r = app.call("goal_tree", &[], Some(&pm3)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tree = r.json();
    let company = tree["roots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["goal"]["level"] == "company")
        .unwrap()
        .clone();
    let shared = company["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["goal"]["teams"].as_array().unwrap().len() == 2)
        .unwrap()
        .clone();
    // The company goal's status is its weakest child's.
    let children: Vec<&str> = company["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    let order = ["off_track", "at_risk", "on_track", "achieved"];
    let weakest = children
        .iter()
        .min_by_key(|s| order.iter().position(|o| o == *s))
        .unwrap();
    assert_eq!(company["status"].as_str().unwrap(), *weakest);
    assert!(shared["progress"].as_f64().is_some());

    // A check-in that achieves CONV moves the roll-up of every goal above it.
    let conv = app.kpi_id("CONV").await;
    let p_before = shared["progress"].as_f64().unwrap();
    assert_eq!(
        app.checkin(&pm3, &conv, today(), "4.2", "").await.status,
        StatusCode::OK
    );
    let tree = app.call("goal_tree", &[], Some(&pm3)).await.json();
    let company = tree["roots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["goal"]["level"] == "company")
        .unwrap()
        .clone();
    let shared = company["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["goal"]["teams"].as_array().unwrap().len() == 2)
        .unwrap()
        .clone();
    assert!(shared["progress"].as_f64().unwrap() > p_before);

    // pm3's goal is visible to the team: the Platform leader sees the shared
    // goal's roll-up (the same number) but not pm3's goal, which is counted
    // as hidden.
    let theirs = app.call("goal_tree", &[], Some(&lead2)).await.json();
    let text = theirs.to_string();
    assert!(!text.contains("提升注册转化"));
    let shared2 = theirs["roots"][0]["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["goal"]["teams"].as_array().unwrap().len() == 2)
        .unwrap()
        .clone();
    assert!(shared2["hidden"].as_u64().unwrap() >= 1);
    assert_eq!(shared2["progress"], shared["progress"]);
}

#[tokio::test]
async fn charters_are_for_the_pm_and_the_leaders_above() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let pm4 = app.sign_in("pm4@example.com", "keel-demo").await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let lead2 = app.sign_in("lead2@example.com", "keel-demo").await;
    let pm3_id = app.user_id("pm3@example.com").await;
    let save = |version: &'static str, text: &'static str| {
        vec![
            ("person_id", pm3_id.clone()),
            ("version", version.to_string()),
            ("responsibilities", text.to_string()),
            ("decision_rights", "发布节奏 Release timing".to_string()),
        ]
    };
    let call = |cookie: String, form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("save_charter", &f, Some(&cookie)).await
        }
    };
    assert_eq!(
        call(pm3.clone(), save("0", "增长 Growth")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        call(pm4.clone(), save("1", "x")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(lead2.clone(), save("1", "x")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(lead1.clone(), save("0", "stale")).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        call(lead1.clone(), save("1", "增长与转化")).await.status,
        StatusCode::OK
    );
    let r = app
        .call("load_charter", &[("person_id", &pm3_id)], Some(&pm3))
        .await;
    let c = r.json();
    assert_eq!(c["responsibilities"], "增长与转化");
    assert_eq!(c["version"], 2);
    let owned: Vec<&str> = c["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k[1].as_str().unwrap())
        .collect();
    assert_eq!(owned, vec!["CONV", "DAU"]);
    let r = app
        .call("load_charter", &[("person_id", &pm3_id)], Some(&pm4))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call("load_charter", &[("person_id", &pm3_id)], Some(&lead2))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_parent_goal_must_be_seen_and_open_to_the_caller_and_hidden_ones_look_missing() {
    let app = demo_app().await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let pm6 = app.sign_in("pm6@example.com", "keel-demo").await;
    let growth = app.team_id("Growth").await;
    let pm3_id = app.user_id("pm3@example.com").await;
    let pm6_id = app.user_id("pm6@example.com").await;
    let goal_id = |title: &str| {
        let title = title.to_string();
        let app = &app;
        async move {
            sqlx::query_scalar::<_, String>("SELECT id FROM goals WHERE title = $1")
                .bind(title)
                .fetch_one(&app.pool)
                .await
                .unwrap()
        }
    };
    // The demo's shared team goal (Product and Growth, seen by everyone) and
    // Platform's team goal.
    let shared = goal_id("新用户增长 New-user growth").await;
    let platform = goal_id("平台稳定可靠 A reliable platform").await;
    // A private goal of the Growth team: its leader sees it, other teams do not.
    let hidden = uuid::Uuid::new_v4().to_string();
    let r = app
        .call_json(
            "create_goal",
            json!({ "id": hidden, "title": "Private growth goal", "level": "team",
                "owner_id": "", "team_ids": [growth], "parent_id": "",
                "visibility": "private", "weight": "" }),
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let missing = uuid::Uuid::new_v4().to_string();

    let kpi_under = |code: &str, owner: &str, goal: &str| {
        let mut f = kpi_form(code, owner, 0.0, 10.0, "organisation");
        f["goal_id"] = json!(goal);
        f
    };
    let kpis_before = app.count("SELECT COUNT(*) FROM kpis").await;
    let pm6_owner = format!("pm:{pm6_id}");
    // A PM of another team: the hidden goal answers exactly as a missing one.
    let new = || uuid::Uuid::new_v4().to_string();
    let to_hidden = app
        .create_kpi(&pm6, &new(), kpi_under("PAR-1", &pm6_owner, &hidden))
        .await;
    let to_missing = app
        .create_kpi(&pm6, &new(), kpi_under("PAR-1", &pm6_owner, &missing))
        .await;
    assert_eq!(to_hidden.status, to_missing.status);
    assert_eq!(to_hidden.body, to_missing.body);
    assert_eq!(to_hidden.json()["field"], "goal_id");
    assert_eq!(to_hidden.error_code(), "invalid_choice");
    // A goal pm6 sees but does not work on: refused at the field.
    let r = app
        .create_kpi(&pm6, &new(), kpi_under("PAR-1", &pm6_owner, &shared))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["field"], "goal_id");
    // Private means the leaders above: the team's own PM does not see it either.
    let r = app
        .create_kpi(
            &pm3,
            &new(),
            kpi_under("PAR-1", &format!("pm:{pm3_id}"), &hidden),
        )
        .await;
    assert_eq!(r.body, to_missing.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM kpis").await, kpis_before);
    // Under their own team's goal, and for the leader under the private one: fine.
    let mine = new();
    let r = app
        .create_kpi(&pm6, &mine, kpi_under("PAR-2", &pm6_owner, &platform))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .create_kpi(
            &lead1,
            &new(),
            kpi_under("PAR-3", &format!("pm:{pm3_id}"), &hidden),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Goals: the same rule for a goal's parent.
    let pm_goal = |parent: &str| {
        json!({ "id": uuid::Uuid::new_v4().to_string(), "title": "Mine", "level": "pm",
            "owner_id": pm6_id, "team_ids": [], "parent_id": parent,
            "visibility": "", "weight": "" })
    };
    let goals_before = app.count("SELECT COUNT(*) FROM goals").await;
    let g_hidden = app
        .call_json("create_goal", pm_goal(&hidden), Some(&pm6))
        .await;
    let g_missing = app
        .call_json("create_goal", pm_goal(&missing), Some(&pm6))
        .await;
    assert_eq!(g_hidden.status, g_missing.status);
    assert_eq!(g_hidden.body, g_missing.body);
    assert_eq!(g_hidden.json()["field"], "parent_id");
    let r = app
        .call_json("create_goal", pm_goal(&shared), Some(&pm6))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["field"], "parent_id");
    assert_eq!(app.count("SELECT COUNT(*) FROM goals").await, goals_before);
    let r = app
        .call_json("create_goal", pm_goal(&platform), Some(&pm6))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Moving a KPI under another goal: the same check; staying where it is needs none.
    let version = app.kpi(&pm6, &mine).await["card"]["version"]
        .as_i64()
        .unwrap();
    let edit = |goal: &str| json!({ "id": mine, "version": version, "form": kpi_under("PAR-2", "", goal) });
    let e_hidden = app.call_json("update_kpi", edit(&hidden), Some(&pm6)).await;
    let e_missing = app
        .call_json("update_kpi", edit(&missing), Some(&pm6))
        .await;
    assert_eq!(e_hidden.status, e_missing.status);
    assert_eq!(e_hidden.body, e_missing.body);
    assert_eq!(e_hidden.json()["field"], "goal_id");
    let r = app.call_json("update_kpi", edit(&shared), Some(&pm6)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app
        .call_json("update_kpi", edit(&platform), Some(&pm6))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let k = app.kpi(&pm6, &mine).await;
    assert_eq!(k["card"]["goal_id"], platform.as_str());

    // The forms offer only the goals the caller may add under.
    let choices = app.call("kpi_form_choices", &[], Some(&pm6)).await.json();
    let offered: Vec<&str> = choices["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g[0].as_str().unwrap())
        .collect();
    assert!(offered.contains(&platform.as_str()), "{offered:?}");
    assert!(!offered.contains(&hidden.as_str()));
    assert!(!offered.contains(&shared.as_str()));
    let tree = app.call("goal_tree", &[], Some(&pm6)).await.json();
    let parents = tree["parents"].to_string();
    assert!(!parents.contains(&hidden) && !parents.contains(&shared));
    assert!(parents.contains(&platform));
    let lead_choices = app.call("kpi_form_choices", &[], Some(&lead1)).await.json();
    assert!(lead_choices["goals"].to_string().contains(&hidden));
}

// ---------------------------------------------------------------- issue 17: goal edits

const G1: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000001";
const G2: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000002";
const G4: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000004";

async fn goal_version(app: &crate::helpers::App, id: &str) -> String {
    app.count(&format!("SELECT version FROM goals WHERE id = '{id}'"))
        .await
        .to_string()
}

/// A PM goal of `owner`'s made by `who`, under `parent` (or none).
async fn pm_goal(app: &crate::helpers::App, who: &str, owner: &str, parent: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let r = app
        .call_json(
            "create_goal",
            json!({"id": id, "title": "PM goal 目标", "level": "pm", "owner_id": owner,
                   "team_ids": [], "parent_id": parent, "visibility": "team", "weight": ""}),
            Some(who),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

fn edit<'a>(
    id: &'a str,
    version: &'a str,
    fields: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("id", id),
        ("version", version),
        ("title", "Edited goal 已编辑"),
        ("description", "Why it matters <b>bold</b>"),
        ("owner_id", ""),
        ("parent_id", ""),
        ("visibility", "team"),
        ("start_date", ""),
        ("due_date", ""),
    ];
    for (k, v) in fields {
        form.retain(|(x, _)| x != k);
        form.push((k, v));
    }
    form
}

#[tokio::test]
async fn editing_a_goal_is_checked_versioned_and_scoped() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let lead2 = app.sign_in("lead2@example.com", "keel-demo").await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let pm3_id = app.user_id("pm3@example.com").await;
    let g = pm_goal(&app, &pm3, &pm3_id, "").await;
    let v = goal_version(&app, &g).await;
    // Who may not: another team's leader does not see it (as if missing),
    // a member of the team sees it but may not change it.
    let hidden = app
        .call("update_goal", &edit(&g, &v, &[]), Some(&lead2))
        .await;
    let missing_id = uuid::Uuid::new_v4().to_string();
    let missing = app
        .call("update_goal", &edit(&missing_id, &v, &[]), Some(&lead2))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body, missing.body);
    let r = app
        .call("update_goal", &edit(&g, &v, &[]), Some(&member))
        .await;
    assert!(
        r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.status
    );
    // Bad input: named at its field, nothing stored.
    for (fields, code, field) in [
        (vec![("title", "  ")], "required", "title"),
        (
            vec![("start_date", "2026-13-01")],
            "invalid_date",
            "start_date",
        ),
        (
            vec![("start_date", "2026-06-01"), ("due_date", "2026-05-01")],
            "due_before_start",
            "due_date",
        ),
        (
            vec![("visibility", "everyone")],
            "invalid_choice",
            "visibility",
        ),
    ] {
        let r = app
            .call("update_goal", &edit(&g, &v, &fields), Some(&pm3))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.error_code(), code);
        assert_eq!(r.json()["field"], field);
    }
    assert_eq!(goal_version(&app, &g).await, v, "nothing stored");
    // The PM edits their goal.
    let r = app
        .call(
            "update_goal",
            &edit(
                &g,
                &v,
                &[
                    ("start_date", "2026-01-01"),
                    ("due_date", "2026-03-31"),
                    ("visibility", "private"),
                    ("parent_id", G2),
                ],
            ),
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (title, description, start, due, vis, parent): (String, String, String, String, String, String) =
        sqlx::query_as(
            "SELECT title, description, start_date, due_date, visibility, parent_id FROM goals WHERE id = $1",
        )
        .bind(&g)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        (
            title.as_str(),
            description.as_str(),
            start.as_str(),
            due.as_str(),
            vis.as_str(),
            parent.as_str()
        ),
        (
            "Edited goal 已编辑",
            "Why it matters <b>bold</b>",
            "2026-01-01",
            "2026-03-31",
            "private",
            G2
        )
    );
    // The form it was made from is stale now.
    let r = app
        .call("update_goal", &edit(&g, &v, &[]), Some(&pm3))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "stale_version");
    // A goal cannot go under its own sub-goal.
    let child = pm_goal(&app, &pm3, &pm3_id, &g).await;
    let v = goal_version(&app, &g).await;
    let r = app
        .call(
            "update_goal",
            &edit(&g, &v, &[("parent_id", &child)]),
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_code(), "goal_cycle");
    assert_eq!(r.json()["field"], "parent_id");
}

#[tokio::test]
async fn a_goal_is_deleted_only_when_nothing_hangs_under_it() {
    let app = demo_app().await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let lead2 = app.sign_in("lead2@example.com", "keel-demo").await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let pm3_id = app.user_id("pm3@example.com").await;
    // The shared team goal has a PM goal and KPIs under it: refused, and
    // the page can name them.
    let v = goal_version(&app, G2).await;
    let r = app
        .call("delete_goal", &[("id", G2), ("version", &v)], Some(&lead1))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.error_code(), "goal_not_empty");
    assert_eq!(r.json()["field"], "children");
    let r = app
        .call("goal_dependents", &[("id", G2)], Some(&lead1))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let deps = r.json();
    assert!(
        deps[0].to_string().contains("Lift sign-up conversion"),
        "{deps}"
    );
    assert!(deps[1].to_string().contains("DAU"), "{deps}");
    // lead2 leads neither of its teams.
    let r = app
        .call("delete_goal", &[("id", G2), ("version", &v)], Some(&lead2))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM goals WHERE id = '{G2}'"))
            .await,
        1
    );
    // A leaf goal goes, with a stale version first refused.
    let leaf = pm_goal(&app, &pm3, &pm3_id, "").await;
    let r = app
        .call(
            "delete_goal",
            &[("id", &leaf), ("version", "7")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.error_code(), "stale_version");
    let v = goal_version(&app, &leaf).await;
    let r = app
        .call("delete_goal", &[("id", &leaf), ("version", &v)], Some(&pm3))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM goals WHERE id = '{leaf}'"))
            .await,
        0
    );
}

#[tokio::test]
async fn archived_goals_and_kpis_leave_the_everyday_views_and_keep_their_history() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let tree = |who: String| {
        let app = &app;
        async move {
            let r = app.call("goal_tree", &[], Some(&who)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    // A goal with active goals under it is archived after them.
    let v = goal_version(&app, G1).await;
    let r = app
        .call(
            "archive_goal",
            &[("id", G1), ("version", &v), ("archived", "true")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.error_code(), "goal_not_empty");
    // pm3 archives their goal: it leaves the tree; restoring brings it back.
    assert!(tree(pm3.clone()).await.contains("Lift sign-up conversion"));
    let v = goal_version(&app, G4).await;
    let r = app
        .call(
            "archive_goal",
            &[("id", G4), ("version", &v), ("archived", "true")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!tree(pm3.clone()).await.contains("Lift sign-up conversion"));
    // An archived goal is not edited until restored.
    let v = goal_version(&app, G4).await;
    let r = app
        .call("update_goal", &edit(G4, &v, &[]), Some(&pm3))
        .await;
    assert_eq!(r.error_code(), "archived");
    let r = app
        .call(
            "archive_goal",
            &[("id", G4), ("version", &v), ("archived", "false")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(tree(pm3.clone()).await.contains("Lift sign-up conversion"));

    // A KPI archived leaves the dashboard and the reminders, keeps its page,
    // takes no check-in, and comes back when restored.
    let conv = app.kpi_id("CONV").await;
    assert!(crate::kpi::codes(&app.dashboard(&pm3, &[]).await).contains(&"CONV".to_string()));
    let v = app
        .count(&format!("SELECT version FROM kpis WHERE id = '{conv}'"))
        .await
        .to_string();
    let r = app
        .call(
            "archive_kpi",
            &[("id", &conv), ("version", &v), ("archived", "true")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!crate::kpi::codes(&app.dashboard(&pm3, &[]).await).contains(&"CONV".to_string()));
    let page = app.kpi(&pm3, &conv).await;
    assert!(page.to_string().contains("CONV"));
    let r = app
        .call(
            "add_checkin",
            &[
                ("id", &uuid::Uuid::new_v4().to_string()),
                ("kpi_id", &conv),
                ("day", ""),
                ("value", "5"),
                ("confidence", "70"),
                ("note", ""),
                ("corrects", ""),
            ],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.error_code(), "archived");
    let due = app.call("checkins_due", &[], Some(&pm3)).await;
    assert!(!due.body.contains(&conv));
    let v = app
        .count(&format!("SELECT version FROM kpis WHERE id = '{conv}'"))
        .await
        .to_string();
    let r = app
        .call(
            "archive_kpi",
            &[("id", &conv), ("version", &v), ("archived", "false")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(crate::kpi::codes(&app.dashboard(&pm3, &[]).await).contains(&"CONV".to_string()));
}

#[tokio::test]
async fn the_dashboard_is_searched_by_code_or_name_and_filtered_by_period() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let codes = |d: &serde_json::Value| crate::kpi::codes(d);
    assert_eq!(
        codes(&app.dashboard(&admin, &[("search", "conv")]).await),
        ["CONV"]
    );
    assert_eq!(
        codes(&app.dashboard(&admin, &[("search", "日活跃")]).await),
        ["DAU"]
    );
    assert_eq!(
        codes(&app.dashboard(&admin, &[("search", "Daily ACTIVE")]).await),
        ["DAU"]
    );
    assert!(codes(&app.dashboard(&admin, &[("search", "%")]).await).is_empty());

    // DAU ran last quarter only; CONV runs through this one.
    let today = keel::calendar::day_text(crate::helpers::today());
    let (last_from, last_to) = keel::calendar::quarter_bounds(&today, -1).unwrap();
    let (this_from, this_to) = keel::calendar::quarter_bounds(&today, 0).unwrap();
    sqlx::query("UPDATE kpis SET start_date = $1, due_date = $2 WHERE code = 'DAU'")
        .bind(&last_from)
        .bind(&last_to)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE kpis SET start_date = $1, due_date = $2 WHERE code = 'CONV'")
        .bind(&last_to)
        .bind(&this_to)
        .execute(&app.pool)
        .await
        .unwrap();
    let last = codes(&app.dashboard(&admin, &[("period", "last_quarter")]).await);
    assert!(
        last.contains(&"DAU".to_string()) && last.contains(&"CONV".to_string()),
        "{last:?}"
    );
    let this = codes(&app.dashboard(&admin, &[("period", "this_quarter")]).await);
    assert!(
        !this.contains(&"DAU".to_string()) && this.contains(&"CONV".to_string()),
        "{this:?}"
    );
    let custom = codes(
        &app.dashboard(
            &admin,
            &[("period", "custom"), ("from", &this_from), ("to", "")],
        )
        .await,
    );
    assert_eq!(custom, this, "an open end is no bound");

    // Bad periods are named at their field.
    let bad = |filters: Vec<(&'static str, String)>| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let mut form = vec![
                ("team", String::new()),
                ("pm", String::new()),
                ("status", String::new()),
                ("page", "0".to_string()),
                ("search", String::new()),
                ("period", String::new()),
                ("from", String::new()),
                ("to", String::new()),
            ];
            for (k, v) in filters {
                form.retain(|(x, _)| *x != k);
                form.push((k, v));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = app.call("kpi_dashboard", &form, Some(&admin)).await;
            (
                r.error_code(),
                r.json()["field"].as_str().unwrap_or_default().to_string(),
            )
        }
    };
    assert_eq!(
        bad(vec![
            ("period", "custom".into()),
            ("from", this_to.clone()),
            ("to", this_from.clone())
        ])
        .await,
        ("due_before_start".to_string(), "to".to_string())
    );
    assert_eq!(
        bad(vec![
            ("period", "custom".into()),
            ("from", "2026-13-01".into())
        ])
        .await,
        ("invalid_date".to_string(), "from".to_string())
    );
    assert_eq!(
        bad(vec![("period", "decade".into())]).await,
        ("invalid_choice".to_string(), "period".to_string())
    );
}

#[tokio::test]
async fn an_admin_deletes_a_kpi_with_its_check_ins_and_nobody_else_may() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let id = app.kpi_id("CONV").await;
    let version = app.kpi(&admin, &id).await["card"]["version"].to_string();
    let del = |cookie: String, v: String| {
        let (app, id) = (&app, id.clone());
        async move {
            app.call("delete_kpi", &[("id", &id), ("version", &v)], Some(&cookie))
                .await
        }
    };
    let r = del(pm3.clone(), version.clone()).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "its own PM may archive it, not delete it"
    );
    assert_eq!(app.kpi(&admin, &id).await["can_delete"], true);
    assert_eq!(app.kpi(&pm3, &id).await["can_delete"], false);
    let r = del(admin.clone(), "0".into()).await;
    assert_eq!(r.error_code(), "stale_version");
    let r = del(admin.clone(), version).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.call("load_kpi", &[("id", &id)], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM checkins WHERE kpi_id = '{id}'"
        ))
        .await,
        0
    );
    assert!(!crate::kpi::codes(&app.dashboard(&admin, &[]).await).contains(&"CONV".to_string()));
}

#[tokio::test]
async fn the_archived_view_lists_what_one_sees_and_restores_it() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member6@example.com", "keel-demo").await;
    let archived = |who: String| {
        let app = &app;
        async move {
            let r = app.call("archived_goals", &[], Some(&who)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    assert_eq!(
        archived(pm3.clone()).await,
        json!({"goals": [], "kpis": []})
    );
    // pm3 archives their goal and their team-visible KPI CONV.
    let v = goal_version(&app, G4).await;
    let r = app
        .call(
            "archive_goal",
            &[("id", G4), ("version", &v), ("archived", "true")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let conv = app.kpi_id("CONV").await;
    let kv = app
        .count(&format!("SELECT version FROM kpis WHERE id = '{conv}'"))
        .await
        .to_string();
    let r = app
        .call(
            "archive_kpi",
            &[("id", &conv), ("version", &kv), ("archived", "true")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let view = archived(pm3.clone()).await;
    assert_eq!(view["goals"][0]["id"], G4);
    assert_eq!(view["goals"][0]["can_restore"], true);
    assert!(
        view["kpis"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("CONV ")
    );
    // Someone outside the team sees neither the team KPI nor may restore anything.
    let other = archived(member).await;
    assert!(other["kpis"].as_array().unwrap().is_empty(), "{other}");
    assert!(
        other["goals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["can_restore"] == false)
    );
    // Restored, it leaves the archived view.
    let kv = view["kpis"][0]["version"].to_string();
    let r = app
        .call(
            "archive_kpi",
            &[("id", &conv), ("version", &kv), ("archived", "false")],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(archived(pm3).await["kpis"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_team_goals_teams_are_edited_by_whoever_may_set_goals_for_them() {
    let app = demo_app().await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let growth = app.team_id("Growth").await;
    let product = app.team_id("Product").await;
    let platform = app.team_id("Platform").await;
    let id = uuid::Uuid::new_v4().to_string();
    let r = app
        .call_json(
            "create_goal",
            json!({"id": id, "title": "Shared goal 共同目标", "level": "team", "owner_id": "",
                   "team_ids": [growth], "parent_id": "", "visibility": "team", "weight": ""}),
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // A leader adds a team they lead (Product, above Growth).
    let v = goal_version(&app, &id).await;
    let r = set_teams(&app, &id, &v, &[&growth, &product], &lead1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        goal_teams(&app, &id).await,
        sorted(vec![growth.clone(), product.clone()])
    );
    // Not a team they lead: refused, nothing changes.
    let v = goal_version(&app, &id).await;
    let r = set_teams(&app, &id, &v, &[&growth, &platform], &lead1).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // None ticked, or an unknown team: named at the field.
    for (teams, code) in [
        (vec![], "required"),
        (vec!["no-such-team"], "invalid_choice"),
    ] {
        let r = set_teams(&app, &id, &v, &teams, &lead1).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.error_code(), code);
        assert_eq!(r.json()["field"], "team_ids");
    }
    assert_eq!(goal_version(&app, &id).await, v, "nothing stored");
    assert_eq!(
        goal_teams(&app, &id).await,
        sorted(vec![growth.clone(), product.clone()])
    );
    // A caller that sends no teams keeps them.
    let r = app
        .call("update_goal", &edit(&id, &v, &[]), Some(&lead1))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        goal_teams(&app, &id).await,
        sorted(vec![growth.clone(), product.clone()])
    );
    // A stale version changes nothing.
    let r = set_teams(&app, &id, &v, &[&growth], &lead1).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The admin may hand it to Platform alone; the tree shows the new owner.
    let v = goal_version(&app, &id).await;
    let r = set_teams(&app, &id, &v, &[&platform], &admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(goal_teams(&app, &id).await, vec![platform.clone()]);
}

/// The teams that own goal `id`, sorted.
async fn goal_teams(app: &crate::helpers::App, id: &str) -> Vec<String> {
    let mut v: Vec<String> =
        sqlx::query_scalar("SELECT team_id FROM goal_teams WHERE goal_id = $1")
            .bind(id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    v.sort();
    v
}

/// Posts the goal edit form with `teams` ticked (after the form's empty
/// entry, as the page sends it).
async fn set_teams(
    app: &crate::helpers::App,
    id: &str,
    version: &str,
    teams: &[&str],
    who: &str,
) -> crate::helpers::Reply {
    let mut form = edit(id, version, &[]);
    form.push(("team_ids[]", ""));
    for t in teams {
        form.push(("team_ids[]", t));
    }
    app.call("update_goal", &form, Some(who)).await
}
