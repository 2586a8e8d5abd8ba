//! A user action's writes commit together or not at all: each test makes a
//! later write of an action fail (a trigger that aborts it) and shows that
//! the earlier ones were not stored either.
use crate::helpers::{App, demo_app, on_postgres, titles};
use axum::http::StatusCode;

impl App {
    /// Makes every insert into `table` (matching `when`, SQL over NEW) fail.
    /// (Triggers are written differently on each backend.)
    pub(crate) async fn break_inserts(&self, table: &str, when: &str) {
        let sql = if on_postgres().is_some() {
            vec![
                format!(
                    "CREATE OR REPLACE FUNCTION break_{table}() RETURNS trigger LANGUAGE plpgsql AS
                     $$ BEGIN RAISE EXCEPTION 'broken for the test'; END $$"
                ),
                format!(
                    "CREATE TRIGGER break_{table} BEFORE INSERT ON {table} FOR EACH ROW
                     WHEN ({}) EXECUTE FUNCTION break_{table}()",
                    if when == "1" { "true" } else { when }
                ),
            ]
        } else {
            vec![format!(
                "CREATE TRIGGER break_{table} BEFORE INSERT ON {table} WHEN {when}
                 BEGIN SELECT RAISE(ABORT, 'broken for the test'); END"
            )]
        };
        for s in sql {
            sqlx::query(&s).execute(&self.pool).await.unwrap();
        }
    }

    pub(crate) async fn mend_inserts(&self, table: &str) {
        let sql = if on_postgres().is_some() {
            format!("DROP TRIGGER break_{table} ON {table}")
        } else {
            format!("DROP TRIGGER break_{table}")
        };
        sqlx::query(&sql).execute(&self.pool).await.unwrap();
    }

    async fn requirement_row(&self, id: &str) -> (String, Option<f64>, String, i64) {
        sqlx::query_as("SELECT status, score, rank_key, version FROM requirements WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_requirement_change_without_its_history_entry_is_not_stored() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let a = app.submit(&pm, &backlog, "Alpha", "").await;
    let b = app.submit(&pm, &backlog, "Beta", "").await;
    let a_id = a["id"].as_str().unwrap().to_string();
    let before = app.requirement_row(&a_id).await;
    let events = "SELECT COUNT(*) FROM requirement_events";
    let events_before = app.count(events).await;

    app.break_inserts("requirement_events", "1").await;
    // A state change: the state would be written first, then its history.
    let r = app.status_to(&pm, &a_id, 1, "under_review", "").await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    // A score: the inputs and key first, then the history entry.
    let r = app.rice(&pm, &a, 100.0).await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    // A manual move: the key first, then the history entry.
    let r = app
        .call(
            "move_requirement",
            &[("id", &a_id), ("after_id", b["id"].as_str().unwrap())],
            Some(&pm),
        )
        .await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    // Owner and labels: the owner first, then labels and history.
    let owner = app.user_id("pm3@example.com").await;
    let r = app
        .call(
            "update_requirement",
            &[
                ("id", &a_id),
                ("version", "1"),
                ("owner_id", &owner),
                ("labels", "mobile"),
            ],
            Some(&pm),
        )
        .await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);

    assert_eq!(app.requirement_row(&a_id).await, before);
    assert_eq!(app.count(events).await, events_before);
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_labels")
            .await,
        0
    );
    let owner_now: Option<String> =
        sqlx::query_scalar("SELECT owner_id FROM requirements WHERE id = $1")
            .bind(&a_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(owner_now, None);

    // Mended, the same calls go through with their history.
    app.mend_inserts("requirement_events").await;
    let r = app.status_to(&pm, &a_id, 1, "under_review", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.count(events).await, events_before + 1);
}

#[tokio::test]
async fn reset_to_score_order_keeps_no_keys_without_their_history() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let a = app.submit(&pm, &backlog, "Alpha", "").await;
    let b = app.submit(&pm, &backlog, "Beta", "").await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    // Beta moved above Alpha: pinned.
    let r = app
        .call(
            "move_requirement",
            &[("id", b_id), ("after_id", "")],
            Some(&pm),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let keys = "SELECT string_agg(id || ':' || rank_key || ':' || pinned, ',' ORDER BY id) FROM requirements";
    let before: String = sqlx::query_scalar(keys).fetch_one(&app.pool).await.unwrap();

    app.break_inserts("requirement_events", "NEW.kind = 'reset'")
        .await;
    let r = app
        .call("reset_order", &[("backlog_id", &backlog)], Some(&pm))
        .await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    let after: String = sqlx::query_scalar(keys).fetch_one(&app.pool).await.unwrap();
    assert_eq!(
        after, before,
        "the keys were rewritten without their history"
    );
    let _ = a_id;
}

#[tokio::test]
async fn an_import_stores_every_valid_row_or_none() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let text = "title,source,labels\nOne,customer,a\nTwo,sales,b\nThree,sales,c\nFour,support,d\n";
    let batch = uuid::Uuid::new_v4().to_string();
    // The third row's insert fails part-way through the import.
    app.break_inserts("requirements", "NEW.title = 'Three'")
        .await;
    let r = app
        .import(&pm, &backlog, &batch, text.as_bytes(), true, false)
        .await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 0);
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_labels")
            .await,
        0
    );
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_events")
            .await,
        0
    );
    // Mended, the same batch imports whole.
    app.mend_inserts("requirements").await;
    let r = app
        .import(&pm, &backlog, &batch, text.as_bytes(), true, false)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["imported"], 4);
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 4);
}

#[tokio::test]
async fn accepting_an_estimate_scores_and_records_it_together() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let a = app.submit(&pm, &backlog, "Alpha", "").await;
    let a_id = a["id"].as_str().unwrap().to_string();
    let round = uuid::Uuid::new_v4().to_string();
    let pm4 = app.user_id("pm4@example.com").await;
    let r = app
        .call_json(
            "open_poker_round",
            serde_json::json!({"id": round, "backlog_id": backlog, "title": "Sizing",
                "requirement_ids": [a_id], "invitees": [pm4]}),
            Some(&pm),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let before = app.requirement_row(&a_id).await;
    app.break_inserts("requirement_events", "NEW.kind = 'score'")
        .await;
    let input = serde_json::json!({"framework": "rice", "reach": 10.0, "impact": 1.0, "confidence": 100.0, "effort": 1.0});
    let r = app
        .call(
            "accept_estimate",
            &[
                ("round_id", &round),
                ("requirement_id", &a_id),
                ("input", &input.to_string()),
            ],
            Some(&pm),
        )
        .await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    assert_eq!(app.requirement_row(&a_id).await, before);
    let accepted: Option<String> =
        sqlx::query_scalar("SELECT accepted_input FROM poker_items WHERE round_id = $1")
            .bind(&round)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(accepted, None);
}

/// Errors leave with the status of their code, set in one place for every
/// server function: refused 403, missing 404, stale 409, bad input 422.
#[tokio::test]
async fn errors_leave_with_the_status_of_their_code() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let a = app.submit(&pm, &backlog, "Alpha", "").await;
    let a_id = a["id"].as_str().unwrap();

    let r = app
        .call("reset_order", &[("backlog_id", &backlog)], Some(&member))
        .await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let missing = uuid::Uuid::new_v4().to_string();
    let r = app
        .call(
            "set_vote",
            &[("id", &missing), ("voted", "true")],
            Some(&member),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let r = app.status_to(&pm, a_id, 7, "under_review", "").await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::CONFLICT, "stale_version")
    );
    let r = app
        .call(
            "submit_requirement",
            &[
                ("id", &uuid::Uuid::new_v4().to_string()),
                ("backlog_id", &backlog),
                ("title", "  "),
                ("description", ""),
                ("source", "customer"),
                ("requester", ""),
                ("customer", ""),
                ("segment", ""),
                ("links", ""),
            ],
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "title");
    let r = app
        .call("set_vote", &[("id", a_id), ("voted", "true")], None)
        .await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "not_signed_in")
    );
}

/// A move says where a requirement goes ("after X"), and a reset lays the
/// backlog out by score: both set a state, so a replay (the outbox, a double
/// click) changes nothing more.
#[tokio::test]
async fn replayed_moves_and_resets_change_nothing_more() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let mut ids = vec![];
    for (title, reach) in [("A", 300.0), ("B", 200.0), ("C", 100.0)] {
        let r = app.submit(&pm, &backlog, title, "").await;
        app.rice(&pm, &r, reach).await;
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    let order = || async { titles(&app.ranked(&pm, &backlog, "").await) };
    let mv = [("id", ids[2].as_str()), ("after_id", "")];
    for _ in 0..2 {
        let r = app.call("move_requirement", &mv, Some(&pm)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(order().await, vec!["C", "A", "B"]);
    }
    for _ in 0..2 {
        let r = app
            .call("reset_order", &[("backlog_id", &backlog)], Some(&pm))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(order().await, vec!["A", "B", "C"]);
    }
    // One "reset" entry: only the first reset unpinned anything.
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_events WHERE kind = 'reset'")
            .await,
        1
    );
}

/// The outbox shares the change's transaction: when its notification cannot
/// be written, the state change is not stored either.
#[tokio::test]
async fn a_state_change_whose_notification_fails_is_not_stored() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let a = app.submit(&member, &backlog, "Outbox", "").await;
    let a_id = a["id"].as_str().unwrap().to_string();
    let before = app.requirement_row(&a_id).await;
    let events = "SELECT COUNT(*) FROM requirement_events";
    let events_before = app.count(events).await;

    app.break_inserts("notifications", "1").await;
    let r = app.status_to(&pm, &a_id, 1, "under_review", "").await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    assert_eq!(
        app.requirement_row(&a_id).await,
        before,
        "the state is unchanged"
    );
    assert_eq!(app.count(events).await, events_before, "no history entry");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notify_events").await,
        0,
        "no event"
    );

    app.mend_inserts("notifications").await;
    let r = app.status_to(&pm, &a_id, 1, "under_review", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications").await,
        1,
        "the submitter is told once"
    );
}
