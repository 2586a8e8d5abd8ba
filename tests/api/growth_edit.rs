//! Growth records people can live with for years (issue 17): tracks added,
//! competencies and levels renamed, reordered and retired, catalog entries
//! edited and retired, periods edited, mentoring pairs ended, plan items
//! edited, and a person's level changes kept as promotion history. Each
//! with its refusals: the wrong role, a leader outside the scope, a stale
//! version, bad input (a message at the field, nothing stored).
use crate::growth::{PERIOD, TRACK, comp, find_item, item, level};
use crate::helpers::{
    App, Call, FORBIDDEN, NO_SESSION, PW, Refused, Reply, assert_refused, demo_app, new_id, today,
};
use axum::http::StatusCode;
use keel::kpi::model::day_text;
use serde_json::{Value, json};

/// The demo's second period (the next half-year).
const PERIOD2: &str = "6e0b0000-0000-4000-8000-000000000002";
/// The demo's pair pm2 (mentor) → pm1 (mentee).
const PAIR_PM2_PM1: &str = "6e0e0000-0000-4000-8000-000000000002";
/// The demo's catalog entry "SQL for product managers" (in pm1's plan).
const SQL_COURSE: &str = "6e0c0000-0000-4000-8000-000000000008";

fn assert_field(r: &Reply, status: StatusCode, code: &str, field: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(
        (r.error_code().as_str(), r.json()["field"].as_str()),
        (code, Some(field)),
        "{}",
        r.body
    );
}

fn assert_stale(r: &Reply) {
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.error_code(), "stale_version");
}

impl App {
    async fn framework_of(&self, cookie: &str, track: &str) -> Value {
        let r = self
            .call("growth_framework", &[("track_id", track)], Some(cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn competency_row(&self, id: &str) -> (String, String, i64, Option<String>) {
        sqlx::query_as(
            "SELECT name_en, name_zh, version, retired_at FROM competencies WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    async fn version_of(&self, table: &str, id: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    async fn retire(&self, cookie: &str, endpoint: &str, id: &str, retired: bool) -> Reply {
        let table = match endpoint {
            "retire_competency" => "competencies",
            "retire_level" => "levels",
            _ => "catalog",
        };
        let v = self.version_of(table, id).await.to_string();
        let flag = if retired { "true" } else { "false" };
        self.call(
            endpoint,
            &[("id", id), ("version", &v), ("retired", flag)],
            Some(cookie),
        )
        .await
    }

    async fn set_level_to(&self, cookie: &str, person: &str, level_id: &str) -> Reply {
        let v: i64 = sqlx::query_scalar("SELECT version FROM person_levels WHERE user_id = $1")
            .bind(person)
            .fetch_optional(&self.pool)
            .await
            .unwrap()
            .unwrap_or(0);
        self.call(
            "set_level",
            &[
                ("person_id", person),
                ("level_id", level_id),
                ("version", &v.to_string()),
            ],
            Some(cookie),
        )
        .await
    }
}

fn keys(framework: &Value) -> Vec<String> {
    framework["framework"]["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_string())
        .collect()
}

fn codes(framework: &Value) -> Vec<String> {
    framework["framework"]["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admins_add_tracks_and_rename_and_reorder_competencies_and_levels() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;

    // A new track: sent twice, stored once; its page starts empty.
    let track = new_id();
    for _ in 0..2 {
        let r = app
            .call(
                "add_track",
                &[("id", &track), ("name_en", "Design"), ("name_zh", "设计")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json(), json!(track));
    }
    let f = app.framework_of(&admin, &track).await;
    assert_eq!(f["tracks"].as_array().unwrap().len(), 2);
    assert_eq!(f["framework"]["track"]["names"]["zh"], "设计");
    assert!(keys(&f).is_empty() && codes(&f).is_empty());
    // Another track of the same name (whatever the case): at the field, not stored.
    let r = app
        .call(
            "add_track",
            &[
                ("id", &new_id()),
                ("name_en", "design"),
                ("name_zh", "设计二"),
            ],
            Some(&admin),
        )
        .await;
    assert_field(&r, StatusCode::CONFLICT, "name_taken", "name_en");
    let r = app
        .call(
            "add_track",
            &[("id", &new_id()), ("name_en", "Data"), ("name_zh", " ")],
            Some(&admin),
        )
        .await;
    assert_field(&r, StatusCode::UNPROCESSABLE_ENTITY, "required", "name_zh");
    assert_eq!(app.count("SELECT COUNT(*) FROM tracks").await, 2);

    // Rename a competency in both languages; its key stays.
    let (_, _, v, _) = app.competency_row(&comp(4)).await;
    let rename = |version: i64, en: &'static str| {
        Call::form(
            "rename_competency",
            &[
                ("id", &comp(4)),
                ("version", &version.to_string()),
                ("name_en", en),
                ("name_zh", "数据分析"),
            ],
        )
    };
    let r = app
        .call_as(&rename(v, "Data & analytics"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let row = app.competency_row(&comp(4)).await;
    assert_eq!(
        (row.0.as_str(), row.1.as_str(), row.2),
        ("Data & analytics", "数据分析", v + 1)
    );
    // The version it was read at is gone: someone else's rename is not overwritten.
    assert_stale(&app.call_as(&rename(v, "Data again"), Some(&admin)).await);
    let r = app.call_as(&rename(v + 1, "  "), Some(&admin)).await;
    assert_field(&r, StatusCode::UNPROCESSABLE_ENTITY, "required", "name_en");
    assert_eq!(app.competency_row(&comp(4)).await.0, "Data & analytics");

    // Reorder: strategy moves up above discovery; at the top nothing changes.
    let mv = |id: String, version: i64, direction: &'static str| {
        Call::form(
            "move_competency",
            &[
                ("id", &id),
                ("version", &version.to_string()),
                ("direction", direction),
            ],
        )
    };
    let v2 = app.version_of("competencies", &comp(2)).await;
    let r = app.call_as(&mv(comp(2), v2, "up"), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = app.framework_of(&admin, TRACK).await;
    assert_eq!(
        keys(&f)[..3],
        ["strategy", "discovery", "execution"].map(String::from)
    );
    // Both moved to a new version; the old one is stale.
    assert_eq!(app.version_of("competencies", &comp(2)).await, v2 + 1);
    assert_stale(&app.call_as(&mv(comp(2), v2, "down"), Some(&admin)).await);
    let r = app.call_as(&mv(comp(2), v2 + 1, "up"), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(keys(&app.framework_of(&admin, TRACK).await)[0], "strategy");
    let r = app
        .call_as(&mv(comp(2), v2 + 1, "sideways"), Some(&admin))
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "direction",
    );

    // Levels: rename (codes stay unique on the track) and reorder.
    let lv = app.version_of("levels", &level(5)).await;
    let rename_level = |version: i64, code: &'static str| {
        Call::form(
            "rename_level",
            &[
                ("id", &level(5)),
                ("version", &version.to_string()),
                ("code", code),
            ],
        )
    };
    let r = app.call_as(&rename_level(lv, "pm4"), Some(&admin)).await;
    assert_field(&r, StatusCode::CONFLICT, "name_taken", "code");
    let r = app.call_as(&rename_level(lv, "pm 5"), Some(&admin)).await;
    assert_field(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_code", "code");
    let r = app
        .call_as(&rename_level(lv, "pm5-principal"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_stale(&app.call_as(&rename_level(lv, "PM5"), Some(&admin)).await);
    let v4 = app.version_of("levels", &level(4)).await;
    let r = app
        .call(
            "move_level",
            &[
                ("id", &level(4)),
                ("version", &v4.to_string()),
                ("direction", "down"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        codes(&app.framework_of(&admin, TRACK).await),
        ["PM1", "PM2", "PM3", "PM5-PRINCIPAL", "PM4"].map(String::from)
    );
    // The order is the order of growth: pm7 (PM3) now grows into PM5-PRINCIPAL.
    let pm7 = app.user_id("pm7@example.com").await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    assert_eq!(
        app.growth_ok(&lead2, &pm7).await["next_level"]["code"],
        "PM5-PRINCIPAL"
    );

    // Leaders and PMs are refused every framework edit; a visitor too.
    let id = new_id();
    let calls = [
        Call::form(
            "add_track",
            &[("id", &id), ("name_en", "X"), ("name_zh", "X")],
        ),
        rename(v + 1, "X"),
        mv(comp(1), 1, "down"),
        Call::form(
            "retire_competency",
            &[("id", &comp(1)), ("version", "1"), ("retired", "true")],
        ),
        rename_level(lv + 1, "X"),
        Call::form(
            "move_level",
            &[("id", &level(1)), ("version", "1"), ("direction", "down")],
        ),
        Call::form(
            "retire_level",
            &[("id", &level(1)), ("version", "1"), ("retired", "true")],
        ),
    ];
    let callers = [("lead1", Some(lead1.as_str())), ("pm1", Some(pm1.as_str()))];
    assert_refused(&app, &callers, &calls, FORBIDDEN).await;
    let unauthorized = Refused::status(StatusCode::UNAUTHORIZED);
    assert_refused(&app, &[NO_SESSION], &calls, unauthorized).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM tracks").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM competencies WHERE retired_at IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn a_retired_competency_keeps_its_history_and_is_offered_for_nothing_new() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let pm1 = app.user_id("pm1@example.com").await;
    let pm3 = app.user_id("pm3@example.com").await;

    // An item on strategy before strategy is retired.
    let mut form = item("Strategy reading", "0", today() + 20);
    form["competency_id"] = json!(comp(2));
    let r = app.add_item(&pm1c, &new_id(), &pm1, form.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let r = app
        .retire(&admin, "retire_competency", &comp(2), true)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same version again: stale.
    let v = app.version_of("competencies", &comp(2)).await;
    let r = app
        .call(
            "retire_competency",
            &[
                ("id", &comp(2)),
                ("version", &(v - 1).to_string()),
                ("retired", "false"),
            ],
            Some(&admin),
        )
        .await;
    assert_stale(&r);

    // Still shown where it is used: the framework (marked), pm1's ratings
    // (pm1 was rated on it) and the item that names it.
    let f = app.framework_of(&lead1, TRACK).await;
    let strategy = &f["framework"]["competencies"][1];
    assert_eq!(
        (strategy["key"].as_str(), strategy["retired"].as_bool()),
        (Some("strategy"), Some(true))
    );
    let g = app.growth_ok(&lead1, &pm1).await;
    let row = g["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["competency_id"] == comp(2).as_str())
        .expect("the retired competency's ratings stay");
    assert_eq!(
        (row["retired"].as_bool(), row["leader_rating"].as_i64()),
        (Some(true), Some(2))
    );
    let held = find_item(&g, "Strategy reading");
    assert_eq!(held["competency_id"], comp(2).as_str());
    assert!(
        g["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == comp(2).as_str() && c["retired"] == true)
    );
    // Someone never rated on it is not asked to rate it.
    let pm7 = app.user_id("pm7@example.com").await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let g7 = app.growth_ok(&lead2, &pm7).await;
    let rated: Vec<&str> = g7["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["competency_id"].as_str().unwrap())
        .collect();
    assert_eq!(rated.len(), 5);
    assert!(!rated.contains(&comp(2).as_str()));
    // The dashboard's heatmap drops it.
    let d = app
        .call(
            "growth_dashboard",
            &[("period_id", ""), ("team", ""), ("page", "0")],
            Some(&lead1),
        )
        .await
        .json();
    assert_eq!(d["competencies"].as_array().unwrap().len(), 5);

    // Offered for nothing new: a new item, another item's competency,
    // ratings, a new catalog entry. Nothing stored.
    let items_before = app.count("SELECT COUNT(*) FROM plan_items").await;
    let r = app.add_item(&pm1c, &new_id(), &pm1, form.clone()).await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "competency_id",
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_items").await,
        items_before
    );
    let sql = find_item(&g, "SQL for product managers");
    let r = app
        .call(
            "edit_plan_item",
            &[
                ("id", sql["id"].as_str().unwrap()),
                ("version", &sql["version"].to_string()),
                ("kind", "course"),
                ("title", "SQL for product managers"),
                ("competency_id", &comp(2)),
            ],
            Some(&pm1c),
        )
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "competency_id",
    );
    let v = g["assessment_version"].as_i64().unwrap();
    let r = app
        .ratings(&lead1, &pm1, v, true, &[(1, "3"), (2, "4")])
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "competency_id",
    );
    assert_eq!(
        app.count(&format!(
            "SELECT leader_rating FROM ratings WHERE competency_id = '{}' AND user_id = '{pm1}'",
            comp(2)
        ))
        .await,
        2
    );
    let entry = json!({ "id": new_id(), "title": "Strategy 101", "kind": "course",
        "competencies": [comp(2)], "link": "", "cost": "0", "language": "en" });
    let r = app
        .call_json("create_catalog_entry", entry, Some(&lead1))
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "competencies",
    );

    // The item that holds it keeps it through an edit of its title and kind.
    let r = app
        .call(
            "edit_plan_item",
            &[
                ("id", held["id"].as_str().unwrap()),
                ("version", &held["version"].to_string()),
                ("kind", "reading"),
                ("title", "Strategy reading, chapter 2"),
                ("competency_id", &comp(2)),
            ],
            Some(&pm1c),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Ratings on the competencies in use still save.
    let r = app.ratings(&lead1, &pm1, v, true, &[(1, "4")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Put back in use: offered again.
    let r = app
        .retire(&admin, "retire_competency", &comp(2), false)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.add_item(&lead1, &new_id(), &pm3, form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_retired_level_stays_with_its_people_and_is_set_on_nobody_new() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm1 = app.user_id("pm1@example.com").await; // PM2
    let pm3 = app.user_id("pm3@example.com").await; // PM1

    let r = app.retire(&admin, "retire_level", &level(2), true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // pm1 keeps PM2, marked retired, and may be kept there; PM3 is next.
    let g = app.growth_ok(&lead1, &pm1).await;
    assert_eq!(
        (g["level"]["code"].as_str(), g["level"]["retired"].as_bool()),
        (Some("PM2"), Some(true))
    );
    assert_eq!(g["next_level"]["code"], "PM3");
    let choices: Vec<&str> = g["level_choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(choices, ["PM1", "PM2", "PM3", "PM4", "PM5"]);
    let r = app.set_level_to(&lead1, &pm1, &level(2)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // pm3 (PM1) skips it: PM3 is next, PM2 is not offered and not set.
    let g = app.growth_ok(&lead1, &pm3).await;
    assert_eq!(g["next_level"]["code"], "PM3");
    assert!(
        g["level_choices"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["code"] != "PM2")
    );
    let r = app.set_level_to(&lead1, &pm3, &level(2)).await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "level_id",
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM person_levels WHERE user_id = '{pm3}' AND level_id = '{}'",
            level(1)
        ))
        .await,
        1
    );
    // The framework still shows it, marked.
    let f = app.framework_of(&lead1, TRACK).await;
    assert_eq!(f["framework"]["levels"][1]["retired"], true);
}

#[tokio::test]
async fn catalog_entries_are_edited_and_retired_by_admins_and_kept_where_used() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let pm1 = app.user_id("pm1@example.com").await;
    let pm7 = app.user_id("pm7@example.com").await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;

    let update = |version: i64, title: &str, cost: &str| {
        json!({ "id": SQL_COURSE, "version": version, "title": title, "kind": "course",
            "competencies": [comp(4), comp(2)], "link": "https://example.com/sql", "cost": cost,
            "language": "en" })
    };
    // Leaders add resources, yet only admins edit and retire them.
    let r = app
        .call_json("update_catalog_entry", update(1, "SQL", "1"), Some(&lead1))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .retire(&lead1, "retire_catalog_entry", SQL_COURSE, true)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json("update_catalog_entry", update(1, "SQL", "-5"), Some(&admin))
        .await;
    assert_field(&r, StatusCode::UNPROCESSABLE_ENTITY, "negative", "cost");
    let r = app
        .call_json("update_catalog_entry", update(1, "", "5"), Some(&admin))
        .await;
    assert_field(&r, StatusCode::UNPROCESSABLE_ENTITY, "required", "title");
    let r = app
        .call_json(
            "update_catalog_entry",
            update(1, "SQL for PMs", "850.5"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_stale(
        &app.call_json("update_catalog_entry", update(1, "SQL", "1"), Some(&admin))
            .await,
    );
    let c = app.call("growth_catalog", &[], Some(&pm1c)).await.json();
    assert_eq!(c["can_edit"], false);
    let e = c["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == SQL_COURSE)
        .unwrap()
        .clone();
    assert_eq!(
        (
            e["title"].as_str(),
            e["cost"].as_i64(),
            e["version"].as_i64()
        ),
        (Some("SQL for PMs"), Some(85050), Some(2))
    );
    assert_eq!(e["competencies"].as_array().unwrap().len(), 2);

    // pm7 (PM3, no ratings) is rated low on data, so SQL is suggested.
    let g = app.growth_ok(&lead2, &pm7).await;
    let r = app
        .ratings(
            &lead2,
            &pm7,
            g["assessment_version"].as_i64().unwrap(),
            true,
            &[(4, "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let suggested = |g: &Value| {
        g["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["entry"]["id"] == SQL_COURSE)
    };
    assert!(suggested(&app.growth_ok(&lead2, &pm7).await));

    // Retired (asked once in the page): kept in pm1's plan, no longer
    // suggested or offered for a new item.
    let r = app
        .retire(&admin, "retire_catalog_entry", SQL_COURSE, true)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!suggested(&app.growth_ok(&lead2, &pm7).await));
    let g = app.growth_ok(&pm1c, "").await;
    assert_eq!(
        find_item(&g, "SQL for product managers")["catalog_id"],
        SQL_COURSE
    );
    let mut form = item("SQL again", "0", today() + 10);
    form["competency_id"] = json!(comp(4));
    form["catalog_id"] = json!(SQL_COURSE);
    let r = app.add_item(&pm1c, &new_id(), &pm1, form.clone()).await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "catalog_id",
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_items WHERE title = 'SQL again'")
            .await,
        0
    );
    let c = app.call("growth_catalog", &[], Some(&admin)).await.json();
    assert_eq!(c["can_edit"], true);
    assert!(
        c["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == SQL_COURSE && e["retired"] == true)
    );
    // Offered again once put back.
    let r = app
        .retire(&admin, "retire_catalog_entry", SQL_COURSE, false)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.add_item(&pm1c, &new_id(), &pm1, form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn periods_are_edited_by_admins_with_the_end_after_the_start() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let (name2, start2, end2): (String, String, String) =
        sqlx::query_as("SELECT name, start_date, end_date FROM periods WHERE id = $1")
            .bind(PERIOD2)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let edit = |version: i64, name: &str, start: &str, end: &str| {
        Call::form(
            "update_period",
            &[
                ("id", PERIOD2),
                ("version", &version.to_string()),
                ("name", name),
                ("start_date", start),
                ("end_date", end),
            ],
        )
    };
    let r = app
        .call_as(&edit(1, "Next half", &start2, &end2), Some(&lead1))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The end on or before the start, a date that is none, another period's name.
    let r = app
        .call_as(&edit(1, "Next half", &end2, &start2), Some(&admin))
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "due_before_start",
        "end_date",
    );
    let r = app
        .call_as(&edit(1, "Next half", &start2, &start2), Some(&admin))
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "due_before_start",
        "end_date",
    );
    let r = app
        .call_as(&edit(1, "Next half", "2030-13-01", &end2), Some(&admin))
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_date",
        "start_date",
    );
    let name1: String = sqlx::query_scalar("SELECT name FROM periods WHERE id = $1")
        .bind(PERIOD)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let r = app
        .call_as(&edit(1, &name1, &start2, &end2), Some(&admin))
        .await;
    assert_field(&r, StatusCode::CONFLICT, "name_taken", "name");
    let stored: (String, i64) = sqlx::query_as("SELECT name, version FROM periods WHERE id = $1")
        .bind(PERIOD2)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, (name2.clone(), 1));

    let start = day_text(keel::kpi::model::day_number(&start2).unwrap() + 14);
    let r = app
        .call_as(&edit(1, "Next half (H2)", &start, &end2), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_stale(
        &app.call_as(&edit(1, "Again", &start2, &end2), Some(&admin))
            .await,
    );
    let s = app
        .call("growth_settings", &[("period_id", PERIOD2)], Some(&admin))
        .await
        .json();
    assert_eq!(
        (
            s["period"]["name"].as_str(),
            s["period"]["start_date"].as_str(),
            s["period"]["version"].as_i64()
        ),
        (Some("Next half (H2)"), Some(start.as_str()), Some(2))
    );
}

#[tokio::test]
async fn a_mentoring_pair_ends_and_stays_in_the_history() {
    let app = demo_app().await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let pm1 = app.user_id("pm1@example.com").await;
    let end = |version: &str| {
        Call::form(
            "end_mentorship",
            &[("id", PAIR_PM2_PM1), ("version", version)],
        )
    };
    // Another team's leader, the mentee and the mentor themselves: refused.
    let callers = [
        ("lead2", Some(lead2.as_str())),
        ("pm1", Some(pm1c.as_str())),
        ("pm2", Some(pm2c.as_str())),
    ];
    assert_refused(&app, &callers, &[end("1")], FORBIDDEN).await;
    assert_stale(&app.call_as(&end("2"), Some(&lead1)).await);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mentorships WHERE active = 1")
            .await,
        2
    );
    // pm2 mentors pm1: sees the plan until the pair ends.
    assert_eq!(app.growth(&pm2c, &pm1).await.status, StatusCode::OK);
    let r = app.call_as(&end("1"), Some(&lead1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_stale(&app.call_as(&end("2"), Some(&lead1)).await);

    // Kept, listed as ended with its day and who ended it.
    let m = app.call("growth_mentoring", &[], Some(&lead1)).await.json();
    let pair = m["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == PAIR_PM2_PM1)
        .expect("an ended pair stays in the list")
        .clone();
    assert_eq!(pair["ended_on"], day_text(today()));
    assert_eq!(pair["ended_by"], "陈静 Chen Jing");
    assert_eq!(pair["can_end"], false);
    assert_eq!(pair["meetings"].as_array().unwrap().len(), 1);
    // The mentee still sees it; the mentor no longer sees the plan, nor logs meetings.
    let m = app.call("growth_mentoring", &[], Some(&pm1c)).await.json();
    assert!(
        m["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == PAIR_PM2_PM1 && !p["ended_on"].is_null())
    );
    assert_eq!(app.growth(&pm2c, &pm1).await.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "log_meeting",
            &[
                ("id", &new_id()),
                ("mentorship_id", PAIR_PM2_PM1),
                ("day", &day_text(today())),
                ("note", "after the end"),
            ],
            Some(&pm2c),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let unauthorized = Refused::status(StatusCode::UNAUTHORIZED);
    assert_refused(&app, &[NO_SESSION], &[end("2")], unauthorized).await;
}

#[tokio::test]
async fn plan_items_are_edited_by_whoever_edits_the_plan() {
    let app = demo_app().await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let pm6 = app.sign_in("pm6@example.com", PW).await;
    let member1 = app.sign_in("member1@example.com", PW).await;
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let pm1 = app.user_id("pm1@example.com").await;
    let g = app.growth_ok(&pm1c, "").await;
    let it = find_item(&g, "SQL for product managers").clone();
    let id = it["id"].as_str().unwrap().to_string();
    let edit = |version: i64, kind: &str, title: &str, competency: &str| {
        Call::form(
            "edit_plan_item",
            &[
                ("id", &id),
                ("version", &version.to_string()),
                ("kind", kind),
                ("title", title),
                ("competency_id", competency),
            ],
        )
    };
    let v = it["version"].as_i64().unwrap();
    // Outside the scope (lead2 leads Platform), another team's PM, a member: refused.
    let callers = [
        ("lead2", Some(lead2.as_str())),
        ("pm6", Some(pm6.as_str())),
        ("member1", Some(member1.as_str())),
    ];
    assert_refused(
        &app,
        &callers,
        &[edit(v, "reading", "x", &comp(4))],
        FORBIDDEN,
    )
    .await;
    // Bad input: at the field, nothing stored.
    let r = app
        .call_as(&edit(v, "webinar", "SQL", &comp(4)), Some(&pm1c))
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "kind",
    );
    let r = app
        .call_as(&edit(v, "reading", " ", &comp(4)), Some(&pm1c))
        .await;
    assert_field(&r, StatusCode::UNPROCESSABLE_ENTITY, "required", "title");
    let r = app
        .call_as(&edit(v, "reading", "SQL", &new_id()), Some(&pm1c))
        .await;
    assert_field(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_choice",
        "competency_id",
    );
    assert_eq!(app.version_of("plan_items", &id).await, v);

    // The leader above changes what it is; the person's old version is then stale.
    let r = app
        .call_as(
            &edit(v, "reading", "SQL for product people", &comp(3)),
            Some(&lead1),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_stale(
        &app.call_as(&edit(v, "course", "SQL", &comp(4)), Some(&pm1c))
            .await,
    );
    let g = app.growth_ok(&pm1c, &pm1).await;
    let it = find_item(&g, "SQL for product people");
    assert_eq!(
        (
            it["kind"].as_str(),
            it["competency_id"].as_str(),
            it["status"].as_str()
        ),
        (Some("reading"), Some(comp(3).as_str()), Some("in_progress"))
    );
    // Status, evidence and cost stay as they were.
    assert_eq!(it["cost"], 80000);
    let r = app
        .call_as(
            &edit(v + 1, "reading", "SQL for product people", &comp(3)),
            Some(&pm1c),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let unauthorized = Refused::status(StatusCode::UNAUTHORIZED);
    assert_refused(
        &app,
        &[NO_SESSION],
        &[edit(v, "reading", "x", &comp(4))],
        unauthorized,
    )
    .await;
}

#[tokio::test]
async fn level_changes_are_kept_as_promotion_history() {
    let app = demo_app().await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let pm1c = app.sign_in("pm1@example.com", PW).await;
    let pm2c = app.sign_in("pm2@example.com", PW).await;
    let pm1 = app.user_id("pm1@example.com").await;
    let member1 = app.user_id("member1@example.com").await;
    let history = format!("SELECT COUNT(*) FROM level_changes WHERE user_id = '{pm1}'");
    assert_eq!(app.count(&history).await, 0);
    assert!(
        app.growth_ok(&pm1c, "").await["promotions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Refused: another team's leader, the person themself; nothing recorded.
    for cookie in [&lead2, &pm1c] {
        let r = app.set_level_to(cookie, &pm1, &level(3)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // A stale version changes nothing and records nothing.
    let r = app
        .call(
            "set_level",
            &[
                ("person_id", &pm1),
                ("level_id", &level(3)),
                ("version", "7"),
            ],
            Some(&lead1),
        )
        .await;
    assert_stale(&r);
    assert_eq!(app.count(&history).await, 0);

    // PM2 → PM3 by lead1, then PM3 → PM4 by the admin.
    let r = app.set_level_to(&lead1, &pm1, &level(3)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Saving the same level again moves the version, not the history.
    let r = app.set_level_to(&lead1, &pm1, &level(3)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.count(&history).await, 1);
    let r = app.set_level_to(&admin, &pm1, &level(4)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Shown on the person's page, newest first: who, when, from → to.
    let g = app.growth_ok(&pm1c, "").await;
    assert_eq!(g["level"]["code"], "PM4");
    let p = g["promotions"].as_array().unwrap();
    assert_eq!(p.len(), 2);
    let change = |c: &Value| {
        (
            c["from"].as_str().map(String::from),
            c["to"].as_str().unwrap().to_string(),
            c["changed_by"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        change(&p[0]),
        (Some("PM3".into()), "PM4".into(), "管理员 Admin".into())
    );
    assert_eq!(
        change(&p[1]),
        (Some("PM2".into()), "PM3".into(), "陈静 Chen Jing".into())
    );
    // When: the organisation's day (Asia/Shanghai), with its offset.
    let at = p[0]["changed_at"].as_str().unwrap();
    assert!(at.starts_with(&day_text(today())), "{at}");
    assert!(at.ends_with("+08:00"), "{at}");
    assert_eq!(p[0]["track"]["en"], "Product Management");
    // The leader above sees it too; a mentor (pm2 mentors pm1) does not.
    assert_eq!(
        app.growth_ok(&lead1, &pm1).await["promotions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        app.growth_ok(&pm2c, &pm1).await["promotions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // A first level: from none.
    let r = app.set_level_to(&lead1, &member1, &level(1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let g = app.growth_ok(&lead1, &member1).await;
    assert!(g["promotions"][0]["from"].is_null());
    assert_eq!(g["promotions"][0]["to"], "PM1");
    let (by, from): (String, Option<String>) =
        sqlx::query_as("SELECT changed_by, from_level_id FROM level_changes WHERE user_id = $1")
            .bind(&member1)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((by, from), (app.user_id("lead1@example.com").await, None));
}
