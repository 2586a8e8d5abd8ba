//! Each change that tells people something tells exactly the right people
//! once, in the change's own transaction, and never the one who made it.
use crate::growth::item;
use crate::helpers::{App, PW, demo_app, new_id, today};
use axum::http::StatusCode;
use keel::kpi::model::day_text;
use serde_json::json;

impl App {
    /// How many notifications of `kind` the person with `email` has.
    pub(crate) async fn told(&self, email: &str, kind: &str) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications n JOIN notify_events e ON e.id = n.event_id
             JOIN users u ON u.id = n.recipient_id WHERE u.email = $1 AND e.kind = $2",
        )
        .bind(email)
        .bind(kind)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    async fn vote(&self, cookie: &str, req: &str, voted: bool) {
        let r = self
            .call(
                "set_vote",
                &[("id", req), ("voted", if voted { "true" } else { "false" })],
                Some(cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
}

const STATE: &str = "requirement_state_changed";

/// A Growth requirement submitted by member3, voted for by member4 and by
/// member5, who took the vote back.
async fn voted_requirement(app: &App) -> (String, String) {
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let m3 = app.sign_in("member3@example.com", PW).await;
    let m4 = app.sign_in("member4@example.com", PW).await;
    let m5 = app.sign_in("member5@example.com", PW).await;
    let backlog = app.growth_backlog(&pm3).await;
    let req = app.submit(&m3, &backlog, "导出 CSV", "").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.vote(&m4, &req, true).await;
    app.vote(&m5, &req, true).await;
    app.vote(&m5, &req, false).await;
    (backlog, req)
}

#[tokio::test]
async fn a_state_change_tells_the_submitter_and_the_voters_once() {
    let app = demo_app().await;
    let (_, req) = voted_requirement(&app).await;
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let r = app.status_to(&pm3, &req, 1, "under_review", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.told("member3@example.com", STATE).await, 1);
    assert_eq!(app.told("member4@example.com", STATE).await, 1);
    assert_eq!(
        app.told("member5@example.com", STATE).await,
        0,
        "a vote taken back"
    );
    assert_eq!(app.told("pm3@example.com", STATE).await, 0, "the actor");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications").await,
        2,
        "nobody else"
    );
    // The notification links to the requirement.
    let link: String = sqlx::query_scalar("SELECT link FROM notify_events")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(link, format!("/backlog/requirements/{req}"));
}

#[tokio::test]
async fn a_withdrawal_tells_the_voters_and_not_the_submitter() {
    let app = demo_app().await;
    let (_, req) = voted_requirement(&app).await;
    let m3 = app.sign_in("member3@example.com", PW).await;
    let r = app
        .call(
            "withdraw_requirement",
            &[("id", &req), ("version", "1")],
            Some(&m3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.told("member4@example.com", STATE).await, 1);
    assert_eq!(app.told("member3@example.com", STATE).await, 0);
    assert_eq!(app.told("member5@example.com", STATE).await, 0);
}

#[tokio::test]
async fn a_merge_and_its_undo_tell_the_duplicates_people() {
    let app = demo_app().await;
    let (backlog, dup) = voted_requirement(&app).await;
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let m1 = app.sign_in("member1@example.com", PW).await;
    let kept = app.submit(&m1, &backlog, "Kept", "").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.status_to(&pm3, &dup, 1, "duplicate", &kept).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let merged = "requirement_merged";
    assert_eq!(app.told("member3@example.com", merged).await, 1);
    assert_eq!(
        app.told("member4@example.com", merged).await,
        1,
        "its vote moved"
    );
    assert_eq!(app.told("member5@example.com", merged).await, 0);
    assert_eq!(
        app.told("member1@example.com", merged).await,
        0,
        "the kept one's"
    );
    assert_eq!(app.told("pm3@example.com", merged).await, 0);

    let r = app
        .call("undo_merge", &[("id", &dup), ("version", "2")], Some(&pm3))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.told("member3@example.com", STATE).await, 1);
    assert_eq!(app.told("member4@example.com", STATE).await, 1);
    assert_eq!(app.told("pm3@example.com", STATE).await, 0);
}

#[tokio::test]
async fn evidence_tells_the_submitter_and_voters_but_not_its_author() {
    let app = demo_app().await;
    let (_, req) = voted_requirement(&app).await;
    let m4 = app.sign_in("member4@example.com", PW).await;
    let id = new_id();
    let r = app
        .call(
            "add_evidence",
            &[
                ("id", &id),
                ("requirement_id", &req),
                ("kind", "customer_quote"),
                ("body", "客户说 <b>需要</b>"),
                ("source", ""),
            ],
            Some(&m4),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let kind = "requirement_evidence_added";
    // The same post again (a double click, a replay) stores and tells nothing new.
    let again = app
        .call(
            "add_evidence",
            &[
                ("id", &id),
                ("requirement_id", &req),
                ("kind", "customer_quote"),
                ("body", "客户说 <b>需要</b>"),
                ("source", ""),
            ],
            Some(&m4),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(app.told("member3@example.com", kind).await, 1);
    assert_eq!(app.told("member4@example.com", kind).await, 0, "the author");
    assert_eq!(app.told("member5@example.com", kind).await, 0);
}

#[tokio::test]
async fn a_poker_round_tells_its_invitees_but_not_its_opener() {
    let app = demo_app().await;
    let (backlog, req) = voted_requirement(&app).await;
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let ids = [
        app.user_id("pm3@example.com").await,
        app.user_id("pm4@example.com").await,
        app.user_id("member4@example.com").await,
    ];
    let round = new_id();
    for _ in 0..2 {
        let r = app
            .call_json(
                "open_poker_round",
                json!({"id": round, "backlog_id": backlog, "title": "Sprint 估算",
                       "requirement_ids": [req], "invitees": ids}),
                Some(&pm3),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let kind = "poker_invited";
    assert_eq!(
        app.told("pm4@example.com", kind).await,
        1,
        "once, replay or not"
    );
    assert_eq!(app.told("member4@example.com", kind).await, 1);
    assert_eq!(app.told("pm3@example.com", kind).await, 0);
    assert_eq!(app.told("member3@example.com", kind).await, 0);
}

#[tokio::test]
async fn an_over_budget_plan_tells_its_approver_and_the_approval_its_person() {
    let app = demo_app().await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm2 = app.user_id("pm2@example.com").await;
    assert_eq!(
        app.budget(&lead1, "person", &pm2, "1000", 0).await.status,
        StatusCode::OK
    );
    let waiting = "plan_waiting_approval";
    let r = app
        .add_item(&pm2c, &new_id(), &pm2, item("Book", "100", today() + 20))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.told("lead1@example.com", waiting).await,
        0,
        "within budget"
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
    assert_eq!(app.told("lead1@example.com", waiting).await, 1);
    assert_eq!(
        app.told("admin@example.com", waiting).await,
        0,
        "not while a leader leads"
    );
    assert_eq!(app.told("pm2@example.com", waiting).await, 0);
    // Still waiting: a further item tells nobody again.
    let r = app
        .add_item(&pm2c, &new_id(), &pm2, item("Course", "10", today() + 20))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.told("lead1@example.com", waiting).await, 1);

    let g = app.growth_ok(&pm2c, "").await;
    let plan = g["plan"]["id"].as_str().unwrap().to_string();
    let version = g["plan"]["version"].to_string();
    let r = app
        .call(
            "approve_plan",
            &[("plan_id", &plan), ("version", &version)],
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.told("pm2@example.com", "plan_approved").await, 1);
    assert_eq!(app.told("lead1@example.com", "plan_approved").await, 0);
}

#[tokio::test]
async fn a_logged_meeting_tells_the_other_person_of_the_pair_without_the_note() {
    let app = demo_app().await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let id = new_id();
    for _ in 0..2 {
        let r = app
            .call(
                "log_meeting",
                &[
                    ("id", &id),
                    ("mentorship_id", crate::authz::PAIR_PM2_PM1),
                    ("day", &day_text(today())),
                    ("note", "私人笔记 secret note"),
                ],
                Some(&pm2c),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let kind = "mentoring_meeting_logged";
    assert_eq!(
        app.told("pm1@example.com", kind).await,
        1,
        "once, replay or not"
    );
    assert_eq!(app.told("pm2@example.com", kind).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notify_events WHERE params LIKE '%secret%'")
            .await,
        0,
        "the note stays in the meeting"
    );
}

#[tokio::test]
async fn a_check_in_that_changes_a_kpis_status_tells_its_owner_and_leader() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let dau = app.kpi_id("DAU").await;
    let kind = "kpi_status_changed";
    // At the target: achieved.
    let r = app.checkin(&admin, &dau, today(), "200", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.told("pm3@example.com", kind).await, 1, "the owner");
    assert_eq!(
        app.told("lead1@example.com", kind).await,
        1,
        "the leader above"
    );
    assert_eq!(app.told("admin@example.com", kind).await, 0, "the actor");
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 2);
    // The same status again tells nobody.
    let r = app.checkin(&pm3, &dau, today(), "210", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 2);
}

#[tokio::test]
async fn a_private_team_kpis_status_is_told_only_to_those_who_may_see_it() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let dau = app.kpi_id("DAU").await;
    let team: String = sqlx::query_scalar("SELECT team_id FROM kpis WHERE id = $1")
        .bind(&dau)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let pms = app
        .count(&format!(
            "SELECT COUNT(*) FROM users WHERE role = 'pm' AND active = 1 AND team_id = '{team}'"
        ))
        .await;
    assert!(pms > 0, "the KPI's team has PMs");
    // The team owns it, privately: its PMs do not see it, the leaders above do.
    sqlx::query("UPDATE kpis SET owner_id = NULL, visibility = 'private' WHERE id = $1")
        .bind(&dau)
        .execute(&app.pool)
        .await
        .unwrap();
    let r = app.checkin(&admin, &dau, today(), "200", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let kind = "kpi_status_changed";
    assert_eq!(
        app.told("pm3@example.com", kind).await,
        0,
        "a PM who cannot see it"
    );
    assert_eq!(
        app.told("lead1@example.com", kind).await,
        1,
        "the leader above"
    );
    // Nor does its event name a team whose chat would hear of it.
    let teams = app
        .count("SELECT COUNT(*) FROM notify_events WHERE kind = 'kpi_status_changed' AND team_id IS NOT NULL")
        .await;
    assert_eq!(teams, 0);
}
