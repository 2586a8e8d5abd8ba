//! Every date and time a person sees is the organisation's (the demo's zone
//! is Asia/Shanghai, UTC+8): an event stored at 23:30 UTC happened at 07:30
//! the next day there, and every page and list shows that next day.
use crate::helpers::{App, PW, demo_app};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::Value;

/// 23:30 UTC on 9 March 2025: 07:30 on 10 March in Shanghai.
const AT: &str = "2025-03-09T23:30:00Z";
const UTC_DAY: &str = "2025-03-09";
const SHANGHAI_DAY: &str = "2025-03-10";

async fn html(app: &App, path: &str, cookie: &str) -> String {
    let r = app.get(path, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.body);
    assert!(r.body.contains("</html>"), "GET {path}: the whole page");
    r.body
}

/// Moves what was stored at `now` to another instant.
async fn restamp(app: &App, sql: &str, at: &str, id: &str) {
    let done = sqlx::query(sql)
        .bind(at)
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(done.rows_affected() >= 1, "{sql} changed nothing");
}

#[tokio::test]
async fn an_event_at_2330_utc_shows_as_the_next_day_in_shanghai_on_every_page() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let member_email: String = sqlx::query_scalar(
        "SELECT u.email FROM users u JOIN teams t ON t.id = u.team_id
         WHERE t.name LIKE '%Growth%' AND u.role = 'member' ORDER BY u.email LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let member = app.sign_in(&member_email, PW).await;

    // A requirement with its history and evidence, all at 23:30 UTC.
    let backlog = app.growth_backlog(&pm3).await;
    let req = app.submit(&member, &backlog, "日期测试 dates", "").await;
    let id = req["id"].as_str().unwrap().to_string();
    let evidence = uuid::Uuid::new_v4().to_string();
    let r = app
        .call(
            "add_evidence",
            &[
                ("id", &evidence),
                ("requirement_id", &id),
                ("kind", "customer_quote"),
                ("body", "quote"),
                ("source", "interview"),
            ],
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    restamp(
        &app,
        "UPDATE requirements SET created_at = $1, status_changed_at = $1 WHERE id = $2",
        AT,
        &id,
    )
    .await;
    restamp(
        &app,
        "UPDATE requirement_events SET at = $1 WHERE requirement_id = $2",
        AT,
        &id,
    )
    .await;
    restamp(
        &app,
        "UPDATE evidence SET created_at = $1 WHERE requirement_id = $2",
        AT,
        &id,
    )
    .await;

    // The requirement's page: submitted, in state since, history, evidence.
    let page = html(&app, &format!("/backlog/requirements/{id}"), &member).await;
    assert!(
        page.matches(SHANGHAI_DAY).count() >= 4,
        "submitted, state, history and evidence each show the Shanghai day"
    );
    assert!(
        !page.contains(UTC_DAY),
        "no UTC day on the requirement page"
    );
    assert!(
        page.contains(&format!("{SHANGHAI_DAY} 07:30")),
        "history time"
    );
    // "My requirements".
    let page = html(&app, "/backlog/mine", &member).await;
    assert!(page.contains(SHANGHAI_DAY) && !page.contains(UTC_DAY));

    // "Why did this move since …": a Shanghai day starts at 16:00 UTC the day
    // before, so the event belongs to 10 March and not to 11 March.
    let r = app
        .call(
            "why_moved",
            &[("id", &id), ("since", SHANGHAI_DAY)],
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    let ats: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["at"].as_str().unwrap())
        .collect();
    assert!(!ats.is_empty(), "the event is on or after 10 March");
    assert!(
        ats.iter().all(|at| at.starts_with("2025-03-10T07:30")),
        "{ats:?}"
    );
    let r = app
        .call(
            "why_moved",
            &[("id", &id), ("since", "2025-03-11")],
            Some(&member),
        )
        .await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(0));

    // A check-in's time on its KPI's page.
    let (checkin, kpi): (String, String) = sqlx::query_as(
        "SELECT c.id, c.kpi_id FROM checkins c JOIN kpis k ON k.id = c.kpi_id
         WHERE k.archived_at IS NULL AND k.visibility = 'organisation' ORDER BY c.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    restamp(
        &app,
        "UPDATE checkins SET created_at = $1 WHERE id = $2",
        AT,
        &checkin,
    )
    .await;
    let page = html(&app, &format!("/kpis/{kpi}"), &admin).await;
    assert!(
        page.contains(&format!("{SHANGHAI_DAY} 07:30")),
        "the check-in's time in Shanghai"
    );
    assert!(!page.contains(&format!("{UTC_DAY} 23:30")));

    // A charter's "updated".
    let pm3_id = app.user_id("pm3@example.com").await;
    let version: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT version FROM charters WHERE person_id = $1), 0)",
    )
    .bind(&pm3_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let r = app
        .call(
            "save_charter",
            &[
                ("person_id", &pm3_id),
                ("version", &version.to_string()),
                ("responsibilities", "Growth funnel"),
                ("decision_rights", "Pricing experiments"),
            ],
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    restamp(
        &app,
        "UPDATE charters SET updated_at = $1 WHERE person_id = $2",
        AT,
        &pm3_id,
    )
    .await;
    let page = html(&app, &format!("/kpis/charters/{pm3_id}"), &pm3).await;
    assert!(page.contains(SHANGHAI_DAY) && !page.contains(UTC_DAY));

    // The intake chart's weeks are Shanghai weeks: a requirement submitted on
    // Sunday 23:30 UTC (Monday 07:30 in Shanghai) counts in Monday's week.
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let last_monday = this_monday - Duration::weeks(1);
    let sunday_night = format!(
        "{}T23:30:00Z",
        (last_monday - Duration::days(1)).format("%Y-%m-%d")
    );
    restamp(
        &app,
        "UPDATE requirements SET created_at = $1 WHERE id = $2",
        &sunday_night,
        &id,
    )
    .await;
    let r = app
        .call("backlog_overview", &[("backlog_id", &backlog)], Some(&pm3))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let overview = r.json();
    let week_total = |start: NaiveDate| -> i64 {
        let start = start.format("%Y-%m-%d").to_string();
        overview["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["start"] == Value::String(start.clone()))
            .map(|w| {
                w["counts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c[1].as_i64().unwrap())
                    .sum()
            })
            .unwrap_or_else(|| panic!("no week starting {start}: {overview}"))
    };
    assert_eq!(week_total(last_monday), 1, "Monday's week in Shanghai");
    assert_eq!(week_total(last_monday - Duration::weeks(1)), 0);
    assert_eq!(week_total(this_monday), 0);
}
