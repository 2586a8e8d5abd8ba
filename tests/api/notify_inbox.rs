//! The inbox through its server functions: a person's own notifications,
//! paged, marked read once, "mark all read" up to what was shown, each in
//! its reader's language.
use crate::helpers::{App, PW, demo_app};
use axum::http::StatusCode;
use keel::notify::model::{Event, EventKind};
use serde_json::Value;

impl App {
    /// Writes an event for `to` (by `actor`) as a change would, in its own
    /// transaction.
    pub(crate) async fn notify(&self, kind: EventKind, actor: Option<&str>, to: &[&str]) -> Event {
        let event = Event::new(kind, "subject", None, actor, "/backlog")
            .with("title", "导出 CSV")
            .with("status", "under_review");
        let mut tx = keel::server::db::begin(&self.pool).await.unwrap();
        let to: Vec<String> = to.iter().map(|s| s.to_string()).collect();
        keel::notify::store::emit_to(&mut tx, &event, &to)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        event
    }

    pub(crate) async fn unread(&self, cookie: &str) -> i64 {
        let r = self.call("notifications_unread", &[], Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json().as_i64().unwrap()
    }

    pub(crate) async fn inbox(&self, cookie: &str, offset: i64, unread_only: bool) -> Value {
        let offset = offset.to_string();
        let only = unread_only.to_string();
        let r = self
            .call(
                "list_notifications",
                &[("offset", &offset), ("unread_only", &only)],
                Some(cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
}

#[tokio::test]
async fn an_event_reaches_its_recipients_and_never_its_actor() {
    let app = demo_app().await;
    let m1 = app.sign_in("member1@example.com", PW).await;
    let m2 = app.sign_in("member2@example.com", PW).await;
    let (id1, id2) = (
        app.user_id("member1@example.com").await,
        app.user_id("member2@example.com").await,
    );
    app.notify(
        EventKind::RequirementStateChanged,
        Some(&id2),
        &[&id1, &id2, &id1],
    )
    .await;
    assert_eq!(app.unread(&m1).await, 1);
    assert_eq!(app.unread(&m2).await, 0, "the actor is not told");
    let page = app.inbox(&m1, 0, false).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["unread"], true);
    assert_eq!(page["rows"][0]["link"], "/backlog");

    // An inactive person is told nothing.
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
        .bind(&id1)
        .execute(&app.pool)
        .await
        .unwrap();
    app.notify(EventKind::RequirementStateChanged, None, &[&id1])
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE recipient_id = '{id1}'"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn the_inbox_is_paged_by_fifty() {
    let app = demo_app().await;
    let m2 = app.sign_in("member2@example.com", PW).await;
    let id2 = app.user_id("member2@example.com").await;
    for _ in 0..55 {
        app.notify(EventKind::PokerInvited, None, &[&id2]).await;
    }
    let first = app.inbox(&m2, 0, false).await;
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    assert_eq!(first["total"], 55);
    let second = app.inbox(&m2, 50, false).await;
    assert_eq!(second["rows"].as_array().unwrap().len(), 5);
    assert_eq!(second["offset"], 50);
    assert_eq!(app.unread(&m2).await, 55);
}

#[tokio::test]
async fn one_is_marked_read_once_and_only_by_its_recipient() {
    let app = demo_app().await;
    let m1 = app.sign_in("member1@example.com", PW).await;
    let m2 = app.sign_in("member2@example.com", PW).await;
    let id1 = app.user_id("member1@example.com").await;
    app.notify(EventKind::PlanApproved, None, &[&id1]).await;
    let n = app.inbox(&m1, 0, false).await["rows"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Another person's notification is one that does not exist.
    for id in [n.as_str(), "no-such-notification"] {
        let r = app
            .call("mark_notification_read", &[("id", id)], Some(&m2))
            .await;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{}",
            r.body
        );
    }
    assert_eq!(app.unread(&m1).await, 1);
    let r = app
        .call("mark_notification_read", &[("id", &n)], None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let read_at = |app: &App| {
        let n = n.clone();
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<String>>(
                "SELECT read_at FROM notifications WHERE id = $1",
            )
            .bind(&n)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let r = app
        .call("mark_notification_read", &[("id", &n)], Some(&m1))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = read_at(&app).await;
    assert!(first.is_some());
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = app
        .call("mark_notification_read", &[("id", &n)], Some(&m1))
        .await;
    assert_eq!(r.status, StatusCode::OK, "a replay is harmless: {}", r.body);
    assert_eq!(read_at(&app).await, first, "a replay changes nothing");
    assert_eq!(app.unread(&m1).await, 0);
    assert_eq!(app.inbox(&m1, 0, true).await["total"], 0);
    assert_eq!(app.inbox(&m1, 0, false).await["rows"][0]["unread"], false);
}

#[tokio::test]
async fn mark_all_read_leaves_a_later_arrival_unread() {
    let app = demo_app().await;
    let m2 = app.sign_in("member2@example.com", PW).await;
    let id2 = app.user_id("member2@example.com").await;
    app.notify(EventKind::PokerInvited, None, &[&id2]).await;
    app.notify(EventKind::PlanApproved, None, &[&id2]).await;
    let shown = app.inbox(&m2, 0, false).await;
    let newest = shown["newest"].as_str().unwrap().to_string();
    assert_eq!(shown["rows"][0]["created_at"], newest.as_str());
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    app.notify(EventKind::RequirementMerged, None, &[&id2])
        .await;

    let r = app
        .call(
            "mark_all_notifications_read",
            &[("up_to", &newest)],
            Some(&m2),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), 2);
    assert_eq!(app.unread(&m2).await, 1, "the later arrival stays unread");
    let rows = app.inbox(&m2, 0, true).await;
    assert_eq!(rows["rows"][0]["kind"], "requirement_merged");
    // Sent again: nothing more.
    let r = app
        .call(
            "mark_all_notifications_read",
            &[("up_to", &newest)],
            Some(&m2),
        )
        .await;
    assert_eq!(r.json(), 0);
}

#[tokio::test]
async fn each_reader_reads_in_their_own_language() {
    let app = demo_app().await;
    // member1 reads Chinese, member2 English (the demo's languages).
    let m1 = app.sign_in("member1@example.com", PW).await;
    let m2 = app.sign_in("member2@example.com", PW).await;
    let (id1, id2) = (
        app.user_id("member1@example.com").await,
        app.user_id("member2@example.com").await,
    );
    app.notify(EventKind::RequirementStateChanged, None, &[&id1, &id2])
        .await;
    let zh = app.inbox(&m1, 0, false).await["rows"][0]["title"]
        .as_str()
        .unwrap()
        .to_string();
    let en = app.inbox(&m2, 0, false).await["rows"][0]["title"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(en, "“导出 CSV” is now Under review");
    assert!(zh.contains("导出 CSV") && zh.contains("已变为"), "{zh}");
    assert_ne!(zh, en);
}
