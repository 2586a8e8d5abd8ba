//! Requirements people can correct and retire (issue 17): editing intake
//! fields (submitter while new, the team's PMs at any state) with history,
//! withdrawing, reopening done work with a reason, renaming a backlog and
//! changing its framework, undoing "reset to score order", and evidence its
//! author edits or deletes.
use crate::helpers::{App, titles};
use axum::http::StatusCode;
use serde_json::Value;

impl App {
    async fn edit_fields(
        &self,
        cookie: &str,
        req: &Value,
        title: &str,
        links: &str,
    ) -> crate::helpers::Reply {
        let version = req["version"].to_string();
        self.call(
            "edit_requirement",
            &[
                ("id", req["id"].as_str().unwrap()),
                ("version", &version),
                ("title", title),
                ("description", "改过的描述"),
                ("source", "sales"),
                ("requester", "王经理"),
                ("customer", "ACME"),
                ("segment", "企业"),
                ("links", links),
            ],
            Some(cookie),
        )
        .await
    }

    async fn history_kinds(&self, id: &str) -> Vec<(String, Option<String>, Option<String>)> {
        sqlx::query_as(
            "SELECT kind, from_value, to_value FROM requirement_events WHERE requirement_id = $1 ORDER BY at, rowid",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .unwrap()
    }
}

fn field(r: &crate::helpers::Reply) -> String {
    r.json()["field"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_submitter_edits_and_withdraws_a_new_requirement_and_the_team_edits_at_any_state() {
    let app = crate::helpers::demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let other = app.sign_in("member1@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let req = app.submit(&member, &backlog, "导出报表", "").await;
    let id = req["id"].as_str().unwrap().to_string();

    // Someone else may not; a bad link is refused at its field, storing nothing.
    let r = app.edit_fields(&other, &req, "别人的修改", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app
        .edit_fields(&member, &req, "导出报表 v2", "javascript:alert(1)")
        .await;
    assert_eq!(
        (r.error_code().as_str(), field(&r).as_str()),
        ("invalid_link", "links")
    );
    let r = app.edit_fields(&member, &req, "   ", "").await;
    assert_eq!(field(&r), "title", "{}", r.body);
    assert_eq!(app.detail(&member, &id).await["row"]["title"], "导出报表");

    // The submitter corrects it while it is new; the old values stay in history.
    let r = app
        .edit_fields(&member, &req, "导出报表 v2", "https://example.com/a")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let edited = r.json();
    let d = app.detail(&member, &id).await;
    assert_eq!(d["row"]["title"], "导出报表 v2");
    assert_eq!(d["row"]["source"], "sales");
    assert_eq!(d["requester"], "王经理");
    assert_eq!(d["links"], serde_json::json!(["https://example.com/a"]));
    let edit = app
        .history_kinds(&id)
        .await
        .into_iter()
        .find(|(k, _, _)| k == "edit")
        .expect("an edit entry");
    let from: Value = serde_json::from_str(edit.1.as_deref().unwrap()).unwrap();
    let to: Value = serde_json::from_str(edit.2.as_deref().unwrap()).unwrap();
    assert_eq!(from["title"], "导出报表");
    assert_eq!(to["title"], "导出报表 v2");
    assert_eq!(from["source"], "customer");
    // A stale version is refused.
    let r = app.edit_fields(&member, &req, "导出报表 v3", "").await;
    assert_eq!(r.error_code(), "stale_version");

    // Under review, the submitter may no longer edit it; the team's PM may.
    let r = app
        .status_to(
            &pm,
            &id,
            edited["version"].as_i64().unwrap(),
            "under_review",
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reviewed = r.json();
    let r = app.edit_fields(&member, &reviewed, "导出报表 v3", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app.edit_fields(&pm, &reviewed, "导出报表 v3", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        !app.detail(&member, &id).await["can_edit_fields"]
            .as_bool()
            .unwrap()
    );

    // Withdrawing: the submitter's, only while new, final, and a replay is one.
    let mine = app.submit(&member, &backlog, "不再需要", "").await;
    let mid = mine["id"].as_str().unwrap();
    assert!(
        app.detail(&member, mid).await["can_withdraw"]
            .as_bool()
            .unwrap()
    );
    let v = mine["version"].to_string();
    let w = [("id", mid), ("version", v.as_str())];
    let r = app.call("withdraw_requirement", &w, Some(&pm)).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "not the submitter: {}",
        r.body
    );
    let r = app
        .status_to(&pm, mid, mine["version"].as_i64().unwrap(), "withdrawn", "")
        .await;
    assert_eq!(
        r.error_code(),
        "invalid_transition",
        "change_status cannot withdraw"
    );
    let first = app.call("withdraw_requirement", &w, Some(&member)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["status"], "withdrawn");
    let again = app.call("withdraw_requirement", &w, Some(&member)).await;
    assert_eq!(again.status, StatusCode::OK, "a replay: {}", again.body);
    assert_eq!(again.json()["version"], first.json()["version"]);
    let after = first.json();
    let r = app
        .status_to(
            &pm,
            mid,
            after["version"].as_i64().unwrap(),
            "under_review",
            "",
        )
        .await;
    assert_eq!(r.error_code(), "invalid_transition", "withdrawn is final");
    let r = app
        .call(
            "withdraw_requirement",
            &[("id", &id), ("version", &reviewed["version"].to_string())],
            Some(&member),
        )
        .await;
    assert_eq!(
        r.error_code(),
        "invalid_transition",
        "only a new one can be withdrawn"
    );
    let mine = app.call("my_requirements", &[], Some(&member)).await.json();
    let w = mine["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == mid)
        .unwrap()
        .clone();
    assert_eq!(w["status"], "withdrawn");
}

#[tokio::test]
async fn done_work_reopens_to_in_progress_with_a_reason_kept_in_history() {
    let app = crate::helpers::demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let req = app.submit(&pm, &backlog, "上线新手引导", "").await;
    let id = req["id"].as_str().unwrap().to_string();
    let done = app.status_to(&pm, &id, 1, "done", "").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let v = done.json()["version"].to_string();
    let reopen = |reason: &'static str| {
        let (id, v) = (id.clone(), v.clone());
        let app = &app;
        let pm = pm.clone();
        async move {
            app.call(
                "change_status",
                &[
                    ("id", &id),
                    ("version", &v),
                    ("status", "in_progress"),
                    ("reason", reason),
                    ("duplicate_of", ""),
                ],
                Some(&pm),
            )
            .await
        }
    };
    let r = reopen("  ").await;
    assert_eq!(field(&r), "reason", "a reason is needed: {}", r.body);
    let r = reopen("发现数据丢失，需要修复").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "in_progress");
    let events = app.history_kinds(&id).await;
    let last = events.last().unwrap();
    assert_eq!(last.0, "reopen");
    assert_eq!(last.1.as_deref(), Some("done"));
    assert_eq!(last.2.as_deref(), Some("发现数据丢失，需要修复"));
    let detail = app.detail(&pm, &id).await;
    assert!(
        detail["reject_reason"].is_null(),
        "a reopening is no rejection"
    );
}

#[tokio::test]
async fn a_new_framework_keeps_old_scores_in_history_and_the_page_counts_what_waits() {
    let app = crate::helpers::demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let mut ids = vec![];
    for (title, reach) in [("A", 300.0), ("B", 200.0)] {
        let r = app.submit(&pm, &backlog, title, "").await;
        assert_eq!(app.rice(&pm, &r, reach).await.status, StatusCode::OK);
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    app.submit(&pm, &backlog, "C", "").await;
    let page = app.page(&pm, &backlog, &[], 0).await;
    assert_eq!(page["unscored"], 1);
    let before = titles(&app.ranked(&pm, &backlog, "").await);

    let version = |b: &Value| b["version"].to_string();
    let list = app.call("backlogs", &[], Some(&pm)).await.json();
    let b = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == backlog.as_str())
        .unwrap()
        .clone();
    let send = |cookie: String, name: &'static str, framework: &'static str, v: String| {
        let app = &app;
        let backlog = backlog.clone();
        async move {
            app.call(
                "update_backlog",
                &[
                    ("id", &backlog),
                    ("version", &v),
                    ("name", name),
                    ("framework", framework),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let r = send(member.clone(), "偷改", "wsjf", version(&b)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(pm.clone(), "增长需求池 2027", "kano", version(&b)).await;
    assert_eq!(
        (r.error_code().as_str(), field(&r).as_str()),
        ("invalid_choice", "framework")
    );
    let r = send(pm.clone(), "", "wsjf", version(&b)).await;
    assert_eq!(field(&r), "name", "{}", r.body);
    let r = send(pm.clone(), "增长需求池 2027", "wsjf", version(&b)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["name"], "增长需求池 2027");
    assert_eq!(r.json()["framework"], "wsjf");
    let r2 = send(pm.clone(), "旧版本", "rice", version(&b)).await;
    assert_eq!(r2.error_code(), "stale_version");

    // Every score is cleared, kept in history; the order stays.
    let page = app.page(&pm, &backlog, &[], 0).await;
    assert_eq!(page["unscored"], 3, "all three wait to be scored");
    assert!(
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["score"].is_null())
    );
    assert_eq!(titles(&app.ranked(&pm, &backlog, "").await), before);
    let events = app.history_kinds(&ids[0]).await;
    let rescore = events
        .iter()
        .find(|e| e.0 == "rescore")
        .expect("a rescore entry");
    let old: Value = serde_json::from_str(rescore.1.as_deref().unwrap()).unwrap();
    assert_eq!(old["reach"], 300.0);
    assert_eq!(rescore.2.as_deref(), Some("wsjf"));
    // A renamed backlog that keeps its framework keeps its scores.
    let b = r.json();
    let wsjf = serde_json::json!({"framework": "wsjf", "business_value": 8.0, "time_criticality": 5.0, "risk_reduction": 3.0, "job_size": 2.0});
    let req = app.detail(&pm, &ids[0]).await["row"].clone();
    let s = app
        .call(
            "score_requirement",
            &[
                ("id", &ids[0]),
                ("version", &req["version"].to_string()),
                ("input", &wsjf.to_string()),
            ],
            Some(&pm),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let r = send(pm.clone(), "增长需求池", "wsjf", version(&b)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.page(&pm, &backlog, &[], 0).await["unscored"], 2);
}

#[tokio::test]
async fn a_reset_to_score_order_can_be_undone_until_the_next_move() {
    let app = crate::helpers::demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let mut reqs = vec![];
    for (title, reach) in [("A", 300.0), ("B", 200.0), ("C", 100.0)] {
        let r = app.submit(&pm, &backlog, title, "").await;
        reqs.push(app.rice(&pm, &r, reach).await.json());
    }
    let c = reqs[2]["id"].as_str().unwrap();
    let moved = app
        .call(
            "move_requirement",
            &[("id", c), ("after_id", "")],
            Some(&pm),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "").await),
        ["C", "A", "B"]
    );
    let undo = [("backlog_id", backlog.as_str())];

    let r = app.call("reset_order", &undo, Some(&pm)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "").await),
        ["A", "B", "C"]
    );
    assert_eq!(
        app.page(&pm, &backlog, &[], 0).await["can_undo_reset"],
        true
    );
    let r = app.call("undo_reset", &undo, Some(&pm)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = app.ranked(&pm, &backlog, "").await;
    assert_eq!(
        titles(&rows),
        ["C", "A", "B"],
        "the order before the reset is back"
    );
    assert_eq!(rows[0]["pinned"], true, "and C is placed by hand again");
    assert_eq!(
        app.page(&pm, &backlog, &[], 0).await["can_undo_reset"],
        false
    );
    let r = app.call("undo_reset", &undo, Some(&pm)).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::CONFLICT, "nothing_to_undo")
    );
    assert!(app.history_kinds(c).await.iter().any(|e| e.0 == "unreset"));

    // After a reset, a manual move ends the chance to undo.
    app.call("reset_order", &undo, Some(&pm)).await;
    let b = reqs[1]["id"].as_str().unwrap();
    let moved = app
        .call(
            "move_requirement",
            &[("id", b), ("after_id", "")],
            Some(&pm),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        app.page(&pm, &backlog, &[], 0).await["can_undo_reset"],
        false
    );
    let r = app.call("undo_reset", &undo, Some(&pm)).await;
    assert_eq!(r.error_code(), "nothing_to_undo");
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "").await),
        ["B", "A", "C"]
    );
}

#[tokio::test]
async fn evidence_is_its_authors_to_edit_or_delete() {
    let app = crate::helpers::demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let req = app.submit(&member, &backlog, "批量导入", "").await;
    let rid = req["id"].as_str().unwrap();
    let eid = uuid::Uuid::new_v4().to_string();
    let r = app
        .call(
            "add_evidence",
            &[
                ("id", &eid),
                ("requirement_id", rid),
                ("kind", "customer_quote"),
                ("body", "每周手工录入两小时"),
                ("source", "访谈"),
            ],
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let edit = |body: &'static str| {
        [
            ("id", eid.clone()),
            ("kind", "metric".into()),
            ("body", body.into()),
            ("source", "工单统计".into()),
        ]
    };
    let send = |cookie: String, body: &'static str| {
        let app = &app;
        let form = edit(body);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("edit_evidence", &form, Some(&cookie)).await
        }
    };
    // Not even the team's PM may change someone's evidence.
    let r = send(pm.clone(), "改写").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(member.clone(), " ").await;
    assert_eq!(field(&r), "body", "{}", r.body);
    let d = app.detail(&pm, rid).await;
    assert_eq!(d["evidence"][0]["body"], "每周手工录入两小时");
    assert_eq!(d["evidence"][0]["mine"], false, "pm3 did not write it");
    let r = send(member.clone(), "每周手工录入 2.5 小时").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = app.detail(&member, rid).await;
    let e = &d["evidence"][0];
    assert_eq!(
        (e["kind"].as_str(), e["body"].as_str()),
        (Some("metric"), Some("每周手工录入 2.5 小时"))
    );
    assert!(e["edited_at"].is_string());
    assert_eq!(e["mine"], true);

    let del = [("id", eid.as_str())];
    let r = app.call("delete_evidence", &del, Some(&pm)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app.call("delete_evidence", &del, Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.detail(&member, rid).await["evidence"],
        serde_json::json!([])
    );
    let r = app.call("delete_evidence", &del, Some(&member)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}
