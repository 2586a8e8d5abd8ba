//! The organisation's people and teams: the demo organisation, the admin's
//! people page and functions, creates stored once per client id, versions,
//! field errors, team nesting, and every admin function refusing every other
//! role.
use crate::helpers::{Call, FORBIDDEN, NO_SESSION, NOT_SIGNED_IN, assert_refused, demo_app};
use axum::http::StatusCode;

#[tokio::test]
async fn demo_organisation_has_the_promised_people() {
    let app = demo_app().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM teams").await, 3);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'leader'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'pm'")
            .await,
        8
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'member'")
            .await,
        10
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM teams WHERE leader_id IS NOT NULL")
            .await,
        2
    );
    for email in [
        "admin@example.com",
        "lead1@example.com",
        "pm8@example.com",
        "member10@example.com",
    ] {
        app.sign_in(email, "keel-demo").await;
    }
    // Password hashes are argon2id, never the password.
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'pm1@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[tokio::test]
async fn protected_functions_refuse_without_session_and_for_the_wrong_role() {
    let app = demo_app().await;
    let overview = Call::form("people_overview", &[]);
    assert_refused(&app, &[NO_SESSION], &[overview], NOT_SIGNED_IN).await;

    for email in [
        "member1@example.com",
        "pm1@example.com",
        "lead1@example.com",
    ] {
        let cookie = app.sign_in(email, "keel-demo").await;
        let calls = [
            Call::form("people_overview", &[]),
            Call::form(
                "create_team",
                &[
                    ("id", &uuid::Uuid::new_v4().to_string()),
                    ("name", "Shadow"),
                    ("parent_id", ""),
                    ("leader_id", ""),
                ],
            ),
        ];
        assert_refused(&app, &[(email, Some(&cookie))], &calls, FORBIDDEN).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM teams WHERE name = 'Shadow'")
            .await,
        0
    );

    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let r = app.call("people_overview", &[], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["people_total"], 21);
}

#[tokio::test]
async fn the_people_list_is_paged_searched_and_filtered_on_the_server() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    // 60 more members in Growth (stored directly: the list is under test,
    // not creating people, and 60 password hashes would only cost time).
    let growth = app.team_id("Growth").await;
    for i in 0..60 {
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, role, team_id, language, active, version, created_at, updated_at)
             VALUES ($1, $2, $3, '', 'member', $4, 'zh', 1, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')",
        )
        .bind(crate::helpers::new_id())
        .bind(format!("bulk{i:02}@example.com"))
        .bind(format!("批量 Bulk {i:02}"))
        .bind(&growth)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let list = |search: &'static str,
                team: String,
                role: &'static str,
                active: &'static str,
                offset: i64| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let off = offset.to_string();
            let r = app
                .call(
                    "list_people",
                    &[
                        ("search", search),
                        ("team_id", &team),
                        ("role", role),
                        ("active", active),
                        ("offset", &off),
                    ],
                    Some(&admin),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    let first = list("", String::new(), "", "", 0).await;
    assert_eq!(first["total"], 81);
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    let second = list("", String::new(), "", "", 50).await;
    assert_eq!(second["rows"].as_array().unwrap().len(), 31);
    assert_eq!(second["offset"], 50);
    // Search by part of a name (Chinese too) or an email; wildcards are literal.
    assert_eq!(list("bulk0", String::new(), "", "", 0).await["total"], 10);
    assert_eq!(list("批量", String::new(), "", "", 0).await["total"], 60);
    assert_eq!(
        list("PM3@EXAMPLE", String::new(), "", "", 0).await["total"],
        1
    );
    assert_eq!(list("%", String::new(), "", "", 0).await["total"], 0);
    // Filters by team, role and active.
    assert_eq!(list("", String::new(), "leader", "", 0).await["total"], 2);
    let in_growth = list("", growth.clone(), "member", "", 0).await["total"]
        .as_i64()
        .unwrap();
    assert!(in_growth >= 60, "{in_growth}");
    let pm3 = app.user_id("pm3@example.com").await;
    let v = app
        .count(&format!("SELECT version FROM users WHERE id = '{pm3}'"))
        .await
        .to_string();
    let r = app
        .call(
            "set_person_active",
            &[("id", &pm3), ("version", &v), ("active", "false")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let inactive = list("", String::new(), "", "inactive", 0).await;
    assert_eq!(inactive["total"], 1);
    assert_eq!(inactive["rows"][0]["email"], "pm3@example.com");
    assert_eq!(list("", String::new(), "", "active", 0).await["total"], 80);
    // A bad filter is named, and the list is the admin's only.
    let off = "0".to_string();
    let r = app
        .call(
            "list_people",
            &[
                ("search", ""),
                ("team_id", ""),
                ("role", "boss"),
                ("active", ""),
                ("offset", &off),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.json()["field"], "role");
    let pm = app.sign_in("pm1@example.com", "keel-demo").await;
    let r = app
        .call(
            "list_people",
            &[
                ("search", ""),
                ("team_id", ""),
                ("role", ""),
                ("active", ""),
                ("offset", &off),
            ],
            Some(&pm),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn people_admin_page_is_refused_to_a_member_by_the_server() {
    let app = demo_app().await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let r = app.get("/people", Some(&member)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        !r.body.contains("admin@example.com"),
        "no people data in the page"
    );
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let r = app.get("/people", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("member1@example.com"));
}

#[tokio::test]
async fn creating_twice_with_one_client_id_stores_once() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let id = uuid::Uuid::new_v4().to_string();
    let form = [
        ("id", id.as_str()),
        ("name", "设计组 Design"),
        ("parent_id", ""),
        ("leader_id", ""),
    ];
    let a = app.call("create_team", &form, Some(&admin)).await;
    let b = app.call("create_team", &form, Some(&admin)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json(), b.json());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM teams WHERE name = '设计组 Design'")
            .await,
        1
    );

    let pid = uuid::Uuid::new_v4().to_string();
    let team = app.team_id("Design").await;
    let form = [
        ("id", pid.as_str()),
        ("email", "pm9@example.com"),
        ("display_name", "New PM"),
        ("role", "pm"),
        ("team_id", team.as_str()),
        ("password", "first-password"),
        ("language", "en"),
    ];
    app.call("create_person", &form, Some(&admin)).await;
    let again = app.call("create_person", &form, Some(&admin)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'pm9@example.com'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_edit_based_on_an_old_version_is_refused() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let team = app.team_id("Platform").await;
    let first = app
        .call(
            "update_team",
            &[
                ("id", &team),
                ("version", "1"),
                ("name", "平台组 Platform v2"),
                ("parent_id", ""),
                ("leader_id", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["version"], 2);
    let stale = app
        .call(
            "update_team",
            &[
                ("id", &team),
                ("version", "1"),
                ("name", "Overwritten"),
                ("parent_id", ""),
                ("leader_id", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error_code(), "stale_version");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM teams WHERE name = 'Overwritten'")
            .await,
        0
    );
}

#[tokio::test]
async fn bad_input_gets_a_message_at_the_field_and_stores_nothing() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let long = "名".repeat(121);
    let cases: Vec<(Vec<(&str, String)>, &str, &str)> = vec![
        (vec![("email", "bad".into())], "invalid_email", "email"),
        (
            vec![("display_name", "   ".into())],
            "required",
            "display_name",
        ),
        (
            vec![("display_name", long.clone())],
            "too_long",
            "display_name",
        ),
        (
            vec![("password", "short".into())],
            "password_too_short",
            "password",
        ),
        (vec![("role", "root".into())], "invalid_choice", "role"),
        (
            vec![("email", "pm1@example.com".into())],
            "email_taken",
            "email",
        ),
    ];
    for (overrides, code, field) in cases {
        let mut form: Vec<(&str, String)> = vec![
            ("id", uuid::Uuid::new_v4().to_string()),
            ("email", "fresh@example.com".into()),
            ("display_name", "Fresh".into()),
            ("role", "member".into()),
            ("team_id", "".into()),
            ("password", "long-enough".into()),
            ("language", "en".into()),
        ];
        for (k, v) in overrides {
            form.iter_mut().find(|(kk, _)| *kk == k).unwrap().1 = v;
        }
        let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.call("create_person", &borrowed, Some(&admin)).await;
        assert_eq!(r.error_code(), code);
        assert_eq!(r.json()["field"], field);
        assert!(
            r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::CONFLICT,
            "{}",
            r.status
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 21);

    let r = app
        .call(
            "update_organisation",
            &[
                ("name", "Demo"),
                ("time_zone", "Mars/Olympus"),
                ("currency", "CNY"),
                ("version", "1"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "invalid_time_zone");
    let r = app
        .call(
            "update_organisation",
            &[
                ("name", "Demo"),
                ("time_zone", "Europe/Berlin"),
                ("currency", "eur"),
                ("version", "1"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["currency"], "EUR");
}

#[tokio::test]
async fn team_nesting_cannot_make_a_cycle() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let product = app.team_id("Product").await;
    let growth = app.team_id("Growth").await;
    let r = app
        .call(
            "update_team",
            &[
                ("id", &product),
                ("version", "1"),
                ("name", "产品部 Product"),
                ("parent_id", &growth),
                ("leader_id", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "team_cycle");
    assert_eq!(r.json()["field"], "parent_id");
}

#[tokio::test]
async fn people_admin_creates_a_team_and_a_pm_who_can_sign_in() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let lead: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'lead2@example.com'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let product = app.team_id("Product").await;
    let tid = uuid::Uuid::new_v4().to_string();
    let r = app
        .call(
            "create_team",
            &[
                ("id", &tid),
                ("name", "商业化 Monetisation"),
                ("parent_id", &product),
                ("leader_id", &lead),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pid = uuid::Uuid::new_v4().to_string();
    let r = app
        .call(
            "create_person",
            &[
                ("id", &pid),
                ("email", "new.pm@example.com"),
                ("display_name", "新产品经理"),
                ("role", "pm"),
                ("team_id", &tid),
                ("password", "welcome-123"),
                ("language", "zh"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pm = app.sign_in("new.pm@example.com", "welcome-123").await;
    let me = app.call("me", &[], Some(&pm)).await.json();
    assert_eq!(me["team_id"], tid.as_str());
    // Their leader is the new team's leader; lead2 now leads it.
    let lead_cookie = app.sign_in("lead2@example.com", "keel-demo").await;
    let facts = app
        .call("dashboard_summary", &[], Some(&lead_cookie))
        .await
        .json();
    let led: Vec<String> = serde_json::from_value(facts["led_teams"].clone()).unwrap();
    assert!(led.iter().any(|t| t.contains("Monetisation")), "{led:?}");
    let facts = app.call("dashboard_summary", &[], Some(&pm)).await.json();
    assert_eq!(facts["leader_name"], "Oliver Grant 欧立文");
}

/// Every server function refuses on the server: admin functions for every
/// other role, and everything personal without a session.
#[tokio::test]
async fn every_protected_function_refuses_the_wrong_caller() {
    let app = demo_app().await;
    let team = app.team_id("Platform").await;
    let pm_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'pm6@example.com'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let new_id = uuid::Uuid::new_v4().to_string();
    let admin_calls = [
        Call::form("people_overview", &[]),
        Call::form(
            "update_organisation",
            &[
                ("name", "X"),
                ("time_zone", "UTC"),
                ("currency", "USD"),
                ("version", "1"),
            ],
        ),
        Call::form(
            "create_team",
            &[
                ("id", &new_id),
                ("name", "X"),
                ("parent_id", ""),
                ("leader_id", ""),
            ],
        ),
        Call::form(
            "update_team",
            &[
                ("id", &team),
                ("version", "1"),
                ("name", "X"),
                ("parent_id", ""),
                ("leader_id", ""),
            ],
        ),
        Call::form(
            "create_person",
            &[
                ("id", &new_id),
                ("email", "x@example.com"),
                ("display_name", "X"),
                ("role", "admin"),
                ("team_id", ""),
                ("password", "long-enough"),
                ("language", "en"),
            ],
        ),
        Call::form(
            "update_person",
            &[
                ("id", &pm_id),
                ("version", "1"),
                ("email", "pm6@example.com"),
                ("display_name", "X"),
                ("role", "admin"),
                ("team_id", ""),
            ],
        ),
        Call::form(
            "set_person_active",
            &[("id", &pm_id), ("version", "1"), ("active", "false")],
        ),
        Call::form(
            "reset_password",
            &[("id", &pm_id), ("password", "taken-over")],
        ),
    ];
    for email in [
        "lead1@example.com",
        "lead2@example.com",
        "pm6@example.com",
        "member9@example.com",
    ] {
        let cookie = app.sign_in(email, "keel-demo").await;
        assert_refused(&app, &[(email, Some(&cookie))], &admin_calls, FORBIDDEN).await;
    }
    assert_refused(&app, &[NO_SESSION], &admin_calls, NOT_SIGNED_IN).await;
    let personal = ["dashboard_summary", "change_password"].map(|endpoint| {
        Call::form(
            endpoint,
            &[("old_password", "a"), ("new_password", "bbbbbbbbbb")],
        )
    });
    assert_refused(&app, &[NO_SESSION], &personal, NOT_SIGNED_IN).await;
    // Nothing changed: pm6 still signs in with the old password, still a PM.
    app.sign_in("pm6@example.com", "keel-demo").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisation WHERE name = 'X'")
            .await,
        0
    );
}
