//! KPIs through the server functions: who may edit them and who sees them,
//! check-ins and corrections, the dashboard, due check-ins and CSV, and
//! every KPI function needing a session. Goals and charters are in
//! `kpi_goals`.
use crate::helpers::{App, Call, NO_SESSION, Refused, Reply, assert_refused, demo_app, today};
use axum::http::StatusCode;
use keel::kpi::model::day_text;
use serde_json::{Value, json};

pub(crate) fn kpi_form(code: &str, owner: &str, baseline: f64, target: f64, vis: &str) -> Value {
    json!({
        "code": code, "name": format!("{code} name"), "owner": owner, "unit": "%",
        "direction": "increase", "baseline": baseline.to_string(), "target": target.to_string(),
        "start_date": day_text(today() - 60), "due_date": day_text(today() + 60),
        "cadence_days": "7", "visibility": vis, "goal_id": "", "weight": ""
    })
}

impl App {
    pub(crate) async fn create_kpi(&self, cookie: &str, id: &str, form: Value) -> Reply {
        self.call_json(
            "create_kpi",
            json!({ "id": id, "form": form }),
            Some(cookie),
        )
        .await
    }

    pub(crate) async fn checkin(
        &self,
        cookie: &str,
        kpi: &str,
        day: i64,
        value: &str,
        corrects: &str,
    ) -> Reply {
        let id = uuid::Uuid::new_v4().to_string();
        self.call(
            "add_checkin",
            &[
                ("id", &id),
                ("kpi_id", kpi),
                ("day", &day_text(day)),
                ("value", value),
                ("confidence", "70"),
                ("note", "n"),
                ("corrects", corrects),
            ],
            Some(cookie),
        )
        .await
    }

    pub(crate) async fn kpi(&self, cookie: &str, id: &str) -> Value {
        let r = self.call("load_kpi", &[("id", id)], Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    pub(crate) async fn dashboard(&self, cookie: &str, filters: &[(&str, &str)]) -> Value {
        let mut form = vec![
            ("team", ""),
            ("pm", ""),
            ("status", ""),
            ("page", "0"),
            ("search", ""),
            ("period", ""),
            ("from", ""),
            ("to", ""),
        ];
        for (k, v) in filters {
            form.retain(|(x, _)| x != k);
            form.push((k, v));
        }
        let r = self.call("kpi_dashboard", &form, Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    pub(crate) async fn kpi_id(&self, code: &str) -> String {
        sqlx::query_scalar("SELECT id FROM kpis WHERE code = $1")
            .bind(code)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

pub(crate) fn codes(d: &Value) -> Vec<String> {
    d["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn kpi_edits_follow_ownership_and_visibility_hides_private_kpis() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let pm4 = app.sign_in("pm4@example.com", "keel-demo").await;
    let lead1 = app.sign_in("lead1@example.com", "keel-demo").await;
    let lead2 = app.sign_in("lead2@example.com", "keel-demo").await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let pm3_id = app.user_id("pm3@example.com").await;
    let pm4_id = app.user_id("pm4@example.com").await;
    let id = uuid::Uuid::new_v4().to_string();
    let form = kpi_form("RET", &format!("pm:{pm3_id}"), 10.0, 20.0, "team");

    // Not signed in, a member, a PM for another PM: refused, nothing stored.
    let r = app
        .call_json("create_kpi", json!({ "id": id, "form": form }), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.create_kpi(&member, &id, form.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let theirs = kpi_form("RET", &format!("pm:{pm4_id}"), 10.0, 20.0, "team");
    assert_eq!(
        app.create_kpi(&pm3, &id, theirs).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM kpis WHERE code = 'RET'")
            .await,
        0
    );

    // Bad input: the message names the field and nothing is stored.
    let mut bad = form.clone();
    bad["target"] = json!("10");
    let r = app.create_kpi(&pm3, &id, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "target");
    let mut bad = form.clone();
    bad["due_date"] = json!("2020-01-01");
    assert_eq!(
        app.create_kpi(&pm3, &id, bad).await.json()["field"],
        "due_date"
    );

    // Created once however often it is sent.
    assert_eq!(
        app.create_kpi(&pm3, &id, form.clone()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.create_kpi(&pm3, &id, form.clone()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM kpis WHERE code = 'RET'")
            .await,
        1
    );
    // Another KPI with the same code is refused at the code.
    let r = app
        .create_kpi(&pm3, &uuid::Uuid::new_v4().to_string(), form.clone())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["field"], "code");

    // Check-ins: the owner and the leader above, not another PM of the team,
    // and a leader elsewhere does not even see a team KPI.
    let t = today();
    assert_eq!(
        app.checkin(&pm3, &id, t, "12", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.checkin(&lead1, &id, t, "13", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.checkin(&pm4, &id, t, "14", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.checkin(&lead2, &id, t, "14", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.checkin(&member, &id, t, "14", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM checkins c JOIN kpis k ON k.id = c.kpi_id WHERE k.code = 'RET'"
        )
        .await,
        2
    );

    // Handing over: leaders above and admins, not the PM.
    let version = app.kpi(&pm3, &id).await["card"]["version"]
        .as_i64()
        .unwrap()
        .to_string();
    let to_pm4 = format!("pm:{pm4_id}");
    let r = app
        .call(
            "reassign_kpi",
            &[("id", &id), ("version", &version), ("owner", &to_pm4)],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "reassign_kpi",
            &[("id", &id), ("version", &version), ("owner", &to_pm4)],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // An edit based on the old version is refused.
    let r = app
        .call(
            "reassign_kpi",
            &[("id", &id), ("version", &version), ("owner", &to_pm4)],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        app.checkin(&pm3, &id, t, "15", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.checkin(&pm4, &id, t, "15", "").await.status,
        StatusCode::OK
    );

    // The private demo KPI ACT-7 (pm4, Growth): pm4, the leader above and
    // admins see it; the Platform leader and pm4's teammate do not.
    let private = app.kpi_id("ACT-7").await;
    assert!(codes(&app.dashboard(&pm4, &[]).await).contains(&"ACT-7".to_string()));
    assert!(codes(&app.dashboard(&lead1, &[]).await).contains(&"ACT-7".to_string()));
    assert!(codes(&app.dashboard(&admin, &[]).await).contains(&"ACT-7".to_string()));
    assert!(!codes(&app.dashboard(&lead2, &[]).await).contains(&"ACT-7".to_string()));
    assert!(!codes(&app.dashboard(&pm3, &[]).await).contains(&"ACT-7".to_string()));
    let r = app
        .call("load_kpi", &[("id", &private)], Some(&lead2))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Organisation-wide KPIs are for everyone, members included.
    assert!(codes(&app.dashboard(&member, &[]).await).contains(&"UPTIME".to_string()));
}

#[tokio::test]
async fn check_ins_drive_status_and_corrections_replace_values() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let pm3_id = app.user_id("pm3@example.com").await;
    let id = uuid::Uuid::new_v4().to_string();
    // Day 60 of 120: 50 % expected.
    let r = app
        .create_kpi(
            &pm3,
            &id,
            kpi_form("SIGNUP", &format!("pm:{pm3_id}"), 0.0, 100.0, "team"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let k = app.kpi(&pm3, &id).await;
    assert_eq!(k["card"]["status"], "off_track");
    assert_eq!(k["card"]["series"].as_array().unwrap().len(), 0);
    let t = today();
    assert_eq!(
        app.checkin(&pm3, &id, t - 20, "10", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.checkin(&pm3, &id, t - 10, "30", "").await.status,
        StatusCode::OK
    );
    // 45 % against 50 %: on track.
    assert_eq!(
        app.checkin(&pm3, &id, t, "45", "").await.status,
        StatusCode::OK
    );
    let k = app.kpi(&pm3, &id).await;
    assert_eq!(k["card"]["status"], "on_track");
    assert_eq!(k["card"]["current"], 45.0);
    assert_eq!(k["card"]["series"].as_array().unwrap().len(), 3);
    assert!(k["card"]["forecast"].as_f64().unwrap() > 45.0);
    // The 45 was a typo for 25: a correction (gap 25 points → at risk); the
    // history keeps both, the series still has three points.
    let wrong = k["checkins"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.checkin(&pm3, &id, t, "25", &wrong).await.status,
        StatusCode::OK
    );
    let k = app.kpi(&pm3, &id).await;
    assert_eq!(k["card"]["status"], "at_risk");
    assert_eq!(k["card"]["current"], 25.0);
    assert_eq!(k["card"]["series"].as_array().unwrap().len(), 3);
    assert_eq!(k["checkins"].as_array().unwrap().len(), 4);
    assert_eq!(k["checkins"][1]["corrected"], true);
    // A check-in in the future or out of range is refused at its field.
    let r = app.checkin(&pm3, &id, t + 1, "50", "").await;
    assert_eq!(r.json()["field"], "day");
    let r = app
        .call(
            "add_checkin",
            &[
                ("id", &uuid::Uuid::new_v4().to_string()),
                ("kpi_id", &id),
                ("day", ""),
                ("value", "5"),
                ("confidence", "120"),
                ("note", ""),
                ("corrects", ""),
            ],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.json()["field"], "confidence");
    // A correction must correct a check-in of the same KPI.
    let other = app.kpi_id("DAU").await;
    let foreign: String = sqlx::query_scalar("SELECT id FROM checkins WHERE kpi_id = $1 LIMIT 1")
        .bind(&other)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.checkin(&pm3, &id, t, "1", &foreign).await.json()["field"],
        "corrects"
    );
    // Sending one check-in twice stores it once.
    let cid = uuid::Uuid::new_v4().to_string();
    let form = [
        ("id", cid.as_str()),
        ("kpi_id", id.as_str()),
        ("day", ""),
        ("value", "26"),
        ("confidence", "70"),
        ("note", ""),
        ("corrects", ""),
    ];
    assert_eq!(
        app.call("add_checkin", &form, Some(&pm3)).await.body,
        "true"
    );
    assert_eq!(
        app.call("add_checkin", &form, Some(&pm3)).await.body,
        "false"
    );
    assert_eq!(
        app.kpi(&pm3, &id).await["checkins"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[tokio::test]
async fn the_dashboard_filters_pages_and_counts() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let platform = app.team_id("Platform").await;
    for i in 0..55 {
        let form = kpi_form(
            &format!("P{i:02}"),
            &format!("team:{platform}"),
            0.0,
            10.0,
            "team",
        );
        let r = app
            .create_kpi(&admin, &uuid::Uuid::new_v4().to_string(), form)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let all = app.dashboard(&admin, &[]).await;
    assert_eq!(all["total"], 62);
    assert_eq!(all["cards"].as_array().unwrap().len(), 50);
    let second = app.dashboard(&admin, &[("page", "1")]).await;
    assert_eq!(second["cards"].as_array().unwrap().len(), 12);
    let mut seen = codes(&all);
    seen.extend(codes(&second));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 62);
    let mine = app.dashboard(&admin, &[("team", &platform)]).await;
    assert_eq!(mine["total"], 57);
    let pm7 = app.user_id("pm7@example.com").await;
    assert_eq!(
        codes(&app.dashboard(&admin, &[("pm", &pm7)]).await),
        vec!["UPTIME"]
    );
    // Never checked in and 60 days old: stale, and off track (0 % of 50 %).
    let stale = app.dashboard(&admin, &[("status", "stale")]).await;
    assert!(stale["total"].as_u64().unwrap() >= 55);
    // A check-in shows on the very next dashboard (the server's copy of the
    // rows follows the database's change counter), and so does a renamed team.
    let p00 = app.kpi_id("P00").await;
    assert_eq!(
        app.checkin(&admin, &p00, today(), "5", "").await.status,
        StatusCode::OK
    );
    let d = app.dashboard(&admin, &[("team", &platform)]).await;
    let card = d["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "P00")
        .unwrap()
        .clone();
    assert_eq!(card["current"], 5.0);
    sqlx::query("UPDATE teams SET name = 'Platform 平台' WHERE id = $1")
        .bind(&platform)
        .execute(&app.pool)
        .await
        .unwrap();
    let d = app.dashboard(&admin, &[("team", &platform)]).await;
    assert_eq!(d["cards"][0]["team_name"], "Platform 平台");
    let achieved = app.dashboard(&admin, &[("status", "achieved")]).await;
    let c = &achieved["counts"];
    assert_eq!(c["achieved"], achieved["total"]);
    assert_eq!(c["on_track"], 0);
}

#[tokio::test]
async fn due_check_ins_and_csv_round_trip() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", "keel-demo").await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    // NPS: last check-in ten days ago on a weekly cadence: due and stale.
    let due = app.call("checkins_due", &[], Some(&pm1)).await.json();
    assert_eq!(due[0]["code"], "NPS");
    assert_eq!(due[0]["stale"], true);
    // pm3 checked in DAU two days ago: nothing due for DAU.
    let due = app.call("checkins_due", &[], Some(&pm3)).await.json();
    assert!(due.as_array().unwrap().iter().all(|d| d["code"] != "DAU"));

    // Export, then import the same file: everything is already there.
    let r = app.get("/kpis/export.csv", Some(&pm3)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("date,kpi_code,value,confidence,note"));
    let exported = r.body.clone();
    let import = |cookie: String, file: Vec<u8>, commit: bool, only_valid: bool| {
        let app = &app;
        async move {
            app.call_json(
                "import_checkins",
                json!({ "batch_id": uuid::Uuid::new_v4().to_string(), "file": file, "commit": commit, "only_valid": only_valid }),
                Some(&cookie),
            )
            .await
        }
    };
    let r = import(pm3.clone(), exported.as_bytes().to_vec(), true, false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rep = r.json();
    assert_eq!(rep["imported"], 0);
    // Only rows of KPIs pm3 edits import; others' rows are errors, not data.
    assert!(rep["unchanged"].as_u64().unwrap() >= 16);
    // Chinese headers in GB18030 with one bad row: that row is reported and
    // nothing is stored until the person chooses to import the valid rows.
    let day = day_text(today() - 1);
    let text = format!(
        "日期,指标代码,数值,信心,备注\n{day},DAU,150,80,周报\n{day},DAU,abc,80,\n{day},NPS,30,80,\n"
    );
    let file = keel::backlog::csv::encode_gb18030_for_tests(&text);
    let before = app.count("SELECT COUNT(*) FROM checkins").await;
    let rep = import(pm3.clone(), file.clone(), true, false).await.json();
    assert_eq!(rep["valid_rows"], 1);
    let rows: Vec<(u64, &str)> = rep["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, vec![(3, "value"), (4, "kpi_code")]);
    assert_eq!(app.count("SELECT COUNT(*) FROM checkins").await, before);
    let rep = import(pm3.clone(), file, true, true).await.json();
    assert_eq!(rep["imported"], 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM checkins").await, before + 1);
    // Members do not import check-ins.
    let r = import(member, text.into_bytes(), false, false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn editing_a_kpi_is_for_its_editors_and_checks_the_version() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", "keel-demo").await;
    let pm4 = app.sign_in("pm4@example.com", "keel-demo").await;
    let dau = app.kpi_id("DAU").await;
    let k = app.kpi(&pm3, &dau).await;
    assert_eq!(k["can_edit"], true);
    let version = k["card"]["version"].as_i64().unwrap();
    let mut form = kpi_form("DAU", "team:ignored", 100.0, 150.0, "organisation");
    form["name"] = json!("日活 DAU");
    // Another PM of the team may not; nor may anyone without a session.
    let body = json!({ "id": dau, "version": version, "form": form });
    assert_eq!(
        app.call_json("update_kpi", body.clone(), Some(&pm4))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call_json("update_kpi", body.clone(), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app.call_json("update_kpi", body.clone(), Some(&pm3)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let k = app.kpi(&pm3, &dau).await;
    assert_eq!(k["card"]["name"], "日活 DAU");
    assert_eq!(k["card"]["target"], 150.0);
    // The owner is not changed by an edit (only by a hand-over)...
    assert_eq!(k["card"]["owner"]["kind"], "pm");
    // ...146 k of a 150 k target at a third of the time is now ahead: on track
    // (it was at 46 % of 200 k before).
    assert_eq!(k["card"]["status"], "on_track");
    assert!(k["card"]["progress"].as_f64().unwrap() > 0.9);
    // The same edit again is based on an old version.
    assert_eq!(
        app.call_json("update_kpi", body, Some(&pm3)).await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn every_kpi_function_refuses_callers_without_a_session() {
    let app = demo_app().await;
    let id = uuid::Uuid::new_v4().to_string();
    let calls = [
        Call::form(
            "kpi_dashboard",
            &[
                ("team", ""),
                ("pm", ""),
                ("status", ""),
                ("page", "0"),
                ("search", ""),
                ("period", ""),
                ("from", ""),
                ("to", ""),
            ],
        ),
        Call::form("kpi_form_choices", &[]),
        Call::form("load_kpi", &[("id", &id)]),
        Call::form(
            "reassign_kpi",
            &[("id", &id), ("version", "1"), ("owner", "team:x")],
        ),
        Call::form(
            "add_checkin",
            &[
                ("id", &id),
                ("kpi_id", &id),
                ("day", ""),
                ("value", "1"),
                ("confidence", ""),
                ("note", ""),
                ("corrects", ""),
            ],
        ),
        Call::form("checkins_due", &[]),
        Call::form("goal_tree", &[]),
        Call::form("charter_people", &[]),
        Call::form("load_charter", &[("person_id", &id)]),
        Call::form(
            "save_charter",
            &[
                ("person_id", &id),
                ("version", "0"),
                ("responsibilities", ""),
                ("decision_rights", ""),
            ],
        ),
        Call::json(
            "create_kpi",
            json!({ "id": id, "form": kpi_form("X", "team:x", 0.0, 1.0, "") }),
        ),
        Call::json(
            "create_goal",
            json!({ "id": id, "title": "x", "level": "company", "owner_id": "", "team_ids": [], "parent_id": "", "visibility": "", "weight": "" }),
        ),
        Call::json(
            "import_checkins",
            json!({ "batch_id": id, "file": [], "commit": true, "only_valid": false }),
        ),
    ];
    let unauthorized = Refused::status(StatusCode::UNAUTHORIZED);
    assert_refused(&app, &[NO_SESSION], &calls, unauthorized).await;
    // The pages and the export send visitors to sign in.
    for path in ["/kpis", "/kpis/goals", "/kpis/export.csv"] {
        let r = app.get(path, None).await;
        assert!(r.status.is_redirection(), "{path}: {}", r.status);
        assert!(!r.body.contains("kpi_code"));
    }
}
