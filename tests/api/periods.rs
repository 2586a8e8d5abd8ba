//! Closing a growth period (issue 17): admins close a period once, in one
//! transaction; the KPIs due in it are archived with the status they ended
//! on, which they keep whatever the clock says afterwards; unfinished plan
//! items are carried into the next period as copies naming the original
//! (which stays, as it was, in the closed plan); the closed plans are
//! read-only; the summary of the closed period stays readable.
use crate::growth::comp;
use crate::helpers::{App, Call, FORBIDDEN, PW, Reply, assert_refused, demo_app, new_id, today};
use axum::http::StatusCode;
use keel::kpi::model::day_text;
use serde_json::{Value, json};

impl App {
    async fn new_period(&self, admin: &str, name: &str, start: i64, end: i64) -> String {
        let id = new_id();
        let r = self
            .call(
                "create_period",
                &[
                    ("id", &id),
                    ("name", name),
                    ("start_date", &day_text(start)),
                    ("end_date", &day_text(end)),
                ],
                Some(admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id
    }

    async fn period_version(&self, id: &str) -> i64 {
        sqlx::query_scalar("SELECT version FROM periods WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    async fn close(&self, cookie: &str, period: &str, version: i64, carry: bool) -> Reply {
        self.call(
            "close_period",
            &[
                ("period_id", period),
                ("version", &version.to_string()),
                ("carry_over", if carry { "true" } else { "false" }),
            ],
            Some(cookie),
        )
        .await
    }

    async fn plan_item_in(
        &self,
        cookie: &str,
        person: &str,
        period: &str,
        title: &str,
        due: i64,
    ) -> Reply {
        self.call_json(
            "add_plan_item",
            json!({ "id": new_id(), "person_id": person, "period_id": period, "form": {
                "kind": "course", "title": title, "competency_id": comp(1),
                "due_date": day_text(due), "cost": "0", "evidence": "", "catalog_id": ""
            }}),
            Some(cookie),
        )
        .await
    }

    async fn growth_in(&self, cookie: &str, person: &str, period: &str) -> Value {
        let r = self
            .call(
                "person_growth",
                &[("person_id", person), ("period_id", period)],
                Some(cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn summary(&self, cookie: &str, period: &str) -> Reply {
        self.call("period_summary", &[("period_id", period)], Some(cookie))
            .await
    }
}

fn item<'a>(g: &'a Value, title: &str) -> &'a Value {
    g["plan"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("no item {title} in {}", g["plan"]))
}

fn titles(g: &Value) -> Vec<String> {
    g["plan"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

/// A KPI of pm3's, started 60 days ago and due in 60 days (50 % expected today).
fn kpi(code: &str, owner: &str) -> Value {
    json!({
        "code": code, "name": format!("{code} name"), "owner": format!("pm:{owner}"), "unit": "%",
        "direction": "increase", "baseline": "0", "target": "100",
        "start_date": day_text(today() - 60), "due_date": day_text(today() + 60),
        "cadence_days": "7", "visibility": "team", "goal_id": "", "weight": ""
    })
}

#[tokio::test]
async fn closing_a_period_keeps_final_kpi_statuses_and_carries_unfinished_items_over() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm3c = app.sign_in("pm3@example.com", PW).await;
    let pm3 = app.user_id("pm3@example.com").await;
    let t = today();
    // A period around today and the one that starts right after it (before
    // any demo period does).
    let closing = app.new_period(&admin, "Close test", t - 400, t + 400).await;
    let next = app
        .new_period(&admin, "Close test next", t - 399, t + 800)
        .await;

    // Three KPIs due in it: achieved, off track (nothing checked in at 50 %
    // expected), on track (50 of 100 at 50 % expected).
    let (achieved, off, on) = (new_id(), new_id(), new_id());
    for (id, code) in [(&achieved, "CLSA"), (&off, "CLSO"), (&on, "CLSN")] {
        let r = app.create_kpi(&pm3c, id, kpi(code, &pm3)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        app.checkin(&pm3c, &achieved, t, "100", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.checkin(&pm3c, &on, t, "50", "").await.status,
        StatusCode::OK
    );

    // pm3's plan of the period: two unfinished items, one done, one dropped.
    for (title, due) in [
        ("Carry me", t - 300),
        ("Started", t - 450),
        ("Finished", t - 10),
        ("Dropped one", t - 10),
    ] {
        let r = app.plan_item_in(&pm3c, &pm3, &closing, title, due).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let g = app.growth_in(&pm3c, &pm3, &closing).await;
    for (title, status, evidence) in [
        ("Started", "in_progress", ""),
        ("Finished", "done", "certificate"),
        ("Dropped one", "dropped", ""),
    ] {
        let r = app
            .update_item(&pm3c, item(&g, title), status, evidence)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    // The preview: the three KPIs by the status they would end on, the two
    // unfinished items, the next period.
    let r = app
        .call(
            "close_period_preview",
            &[("period_id", &closing)],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let preview = r.json();
    assert_eq!(preview["unfinished"], 2);
    assert_eq!(preview["next"][0], next.as_str());
    assert_eq!(preview["next"][1], "Close test next");
    let count = |status: &str| {
        preview["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p[0] == status)
            .map(|p| p[1].as_i64().unwrap())
            .unwrap_or(0)
    };
    assert!(count("achieved") >= 1 && count("off_track") >= 1 && count("on_track") >= 1);

    // Close, carrying over.
    let v = app.period_version(&closing).await;
    let r = app.close(&admin, &closing, v, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (closed_at, closed_by): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT closed_at, closed_by FROM periods WHERE id = $1")
            .bind(&closing)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(closed_at.is_some());
    assert_eq!(closed_by, Some(app.user_id("admin@example.com").await));

    // Each KPI is archived with its final status.
    for (id, status) in [
        (&achieved, "achieved"),
        (&off, "off_track"),
        (&on, "on_track"),
    ] {
        let k = app.kpi(&pm3c, id).await;
        assert_eq!(k["card"]["status"], status, "{id}");
        assert!(k["archived_at"].is_string());
        assert_eq!(k["final_status"], true);
        assert_eq!(k["card"]["stale"], false);
    }
    // The clock moves on: 120 days later the on-track KPI would be live
    // off track (50 % of 100 % expected). Moving its dates 120 days back is
    // the same as the clock moving 120 days on; it keeps its final status.
    sqlx::query("UPDATE kpis SET start_date = $1, due_date = $2 WHERE id = $3")
        .bind(day_text(t - 180))
        .bind(day_text(t - 60))
        .bind(&on)
        .execute(&app.pool)
        .await
        .unwrap();
    let k = app.kpi(&pm3c, &on).await;
    assert_eq!(k["card"]["status"], "on_track");
    let archived = app.call("archived_goals", &[], Some(&pm3c)).await.json();
    let shown = archived["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == on.as_str())
        .unwrap()
        .clone();
    assert_eq!(shown["final_status"], "on_track");

    // The unfinished items continue in the next period, naming where they
    // came from; the done and dropped ones stay behind. The due date before
    // the next period starts becomes its end.
    let g_next = app.growth_in(&pm3c, &pm3, &next).await;
    let mut carried = titles(&g_next);
    carried.sort();
    assert_eq!(carried, ["Carry me", "Started"]);
    let started = item(&g_next, "Started");
    assert_eq!(started["status"], "in_progress");
    assert_eq!(started["carried_from"], "Close test");
    assert_eq!(started["due_date"], day_text(t + 800));
    assert_eq!(item(&g_next, "Carry me")["due_date"], day_text(t - 300));
    // The originals stay in the closed plan, as they were, saying where they went.
    let g_closed = app.growth_in(&pm3c, &pm3, &closing).await;
    assert_eq!(titles(&g_closed).len(), 4);
    let original = item(&g_closed, "Started");
    assert_eq!(original["status"], "in_progress");
    assert_eq!(original["carried_to"], "Close test next");
    let linked = app
        .count(&format!(
            "SELECT COUNT(*) FROM plan_items WHERE carried_from_id = '{}'",
            original["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(linked, 1);
    // The closed plan is read-only, on the page and on the server.
    assert_eq!(g_closed["rights"]["edit_plan"], false);
    let r = app.plan_item_in(&pm3c, &pm3, &closing, "Too late", t).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.error_code(), "period_closed");
    let r = app
        .update_item(&pm3c, item(&g_closed, "Carry me"), "done", "late proof")
        .await;
    assert_eq!(r.error_code(), "period_closed");
    let r = app
        .call(
            "edit_plan_item",
            &[
                ("id", original["id"].as_str().unwrap()),
                ("version", &original["version"].to_string()),
                ("kind", "reading"),
                ("title", "Renamed"),
                ("competency_id", &comp(1)),
            ],
            Some(&pm3c),
        )
        .await;
    assert_eq!(r.error_code(), "period_closed");
    // The carried copy is an item like any other in an open period.
    let r = app
        .update_item(&pm3c, item(&g_next, "Carry me"), "in_progress", "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The same close sent again changes nothing; closing it again is refused.
    let items_before = app.count("SELECT COUNT(*) FROM plan_items").await;
    let r = app.close(&admin, &closing, v, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_items").await,
        items_before
    );
    let r = app
        .close(&admin, &closing, app.period_version(&closing).await, true)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "period_closed");
    // Its name and dates stay as they were closed.
    let r = app
        .call(
            "update_period",
            &[
                ("id", &closing),
                ("version", &app.period_version(&closing).await.to_string()),
                ("name", "Renamed after"),
                ("start_date", &day_text(t - 400)),
                ("end_date", &day_text(t + 400)),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "period_closed");

    // The summary: dates, who closed it, the KPIs with their final status,
    // completion per team and the carried items.
    let r = app.summary(&admin, &closing).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!(s["period"]["name"], "Close test");
    assert!(s["period"]["closed_by"].is_string());
    assert_eq!(s["carried_to"], "Close test next");
    let status_of = |code: &str| {
        s["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {}", s["kpis"]))["final_status"]
            .clone()
    };
    assert_eq!(status_of("CLSA"), "achieved");
    assert_eq!(status_of("CLSO"), "off_track");
    assert_eq!(status_of("CLSN"), "on_track");
    let growth_team = s["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team_name"].as_str().unwrap().contains("Growth"))
        .unwrap_or_else(|| panic!("no Growth row in {}", s["teams"]))
        .clone();
    assert_eq!(
        (
            &growth_team["done"],
            &growth_team["carried"],
            &growth_team["total"]
        ),
        (&json!(1), &json!(2), &json!(4))
    );
    let mut carried: Vec<&str> = s["carried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    carried.sort();
    assert_eq!(carried, ["Carry me", "Started"]);
    // Leaders read it too (their people's items); the page renders.
    assert_eq!(app.summary(&lead1, &closing).await.status, StatusCode::OK);
    let page = app
        .get(&format!("/growth/periods/{closing}/summary"), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("CLSA"),
        "the summary page lists the KPIs"
    );
    // The periods list says it is closed and links to the summary.
    let page = app.get("/growth/settings", Some(&admin)).await;
    assert!(
        page.body
            .contains(&format!("/growth/periods/{closing}/summary"))
    );
}

#[tokio::test]
async fn closing_is_for_admins_at_the_current_version_with_somewhere_to_carry_to() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let t = today();
    // The last period of all: nothing starts after it.
    let last = app
        .new_period(&admin, "Last of all", t + 5000, t + 5100)
        .await;
    let v = app.period_version(&last).await;

    // A PM and a leader are refused the close and its preview.
    let calls = [
        Call::form(
            "close_period",
            &[
                ("period_id", &last),
                ("version", &v.to_string()),
                ("carry_over", "false"),
            ],
        ),
        Call::form("close_period_preview", &[("period_id", &last)]),
    ];
    assert_refused(
        &app,
        &[("pm3", Some(pm3.as_str())), ("lead1", Some(lead1.as_str()))],
        &calls,
        FORBIDDEN,
    )
    .await;
    // Summaries are for admins and leaders, of closed periods only.
    assert_eq!(app.summary(&pm3, &last).await.error_code(), "forbidden");
    assert_eq!(
        app.summary(&admin, &last).await.status,
        StatusCode::NOT_FOUND
    );

    // A stale version.
    let r = app.close(&admin, &last, v + 1, false).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "stale_version");
    // Carrying over with no next period: told to create it first; nothing changes.
    let preview = app
        .call(
            "close_period_preview",
            &[("period_id", &last)],
            Some(&admin),
        )
        .await
        .json();
    assert!(preview["next"].is_null());
    let r = app.close(&admin, &last, v, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "no_next_period");
    assert_eq!(app.period_version(&last).await, v);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM periods WHERE id = '{last}' AND closed_at IS NOT NULL"
        ))
        .await,
        0
    );

    // Before the page is interactive the form posts plainly: the answer goes
    // back to the page, saying it is done.
    let r = app
        .plain_post(
            "close_period",
            &[("period_id", &last), ("version", &v.to_string())],
            "/growth/settings",
            Some(&admin),
        )
        .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let to = r.headers[axum::http::header::LOCATION].to_str().unwrap();
    assert!(
        to.starts_with("/growth/settings?") && to.contains("done=close_period"),
        "{to}"
    );
    assert_eq!(app.summary(&admin, &last).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_close_that_fails_halfway_stores_nothing() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let pm3c = app.sign_in("pm3@example.com", PW).await;
    let pm3 = app.user_id("pm3@example.com").await;
    let t = today();
    let closing = app
        .new_period(&admin, "Atomic close", t - 400, t + 400)
        .await;
    app.new_period(&admin, "Atomic next", t - 399, t + 800)
        .await;
    let kpi_id = new_id();
    let r = app.create_kpi(&pm3c, &kpi_id, kpi("ATOM", &pm3)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .plan_item_in(&pm3c, &pm3, &closing, "Unfinished", t)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The last writes of the close (the carried copies) fail.
    app.break_inserts("plan_items", "1").await;
    let v = app.period_version(&closing).await;
    let r = app.close(&admin, &closing, v, true).await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    app.mend_inserts("plan_items").await;
    // Neither the period's close nor the KPI's archive stayed.
    assert_eq!(app.period_version(&closing).await, v);
    let k = app.kpi(&pm3c, &kpi_id).await;
    assert!(k["archived_at"].is_null(), "{}", k["archived_at"]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM period_kpis WHERE period_id = '{closing}'"
        ))
        .await,
        0
    );
    // Mended, the same close goes through.
    let r = app.close(&admin, &closing, v, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(app.kpi(&pm3c, &kpi_id).await["archived_at"].is_string());
}
