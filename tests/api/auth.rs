//! Accounts and sessions: the first admin's setup, signing in (the same
//! answer for a wrong password and an unknown email, waiting after
//! failures), cross-site writes, sessions across a restart and after signing
//! out or deactivation, one's own password and language.
use crate::helpers::{
    App, SETUP_TOKEN, TempDir, app_on, demo_app, empty_app, on_postgres, options, settings,
};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn first_admin_setup_then_gone_for_good() {
    let app = empty_app().await;
    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/setup");
    let r = app.get("/setup", None).await;
    assert_eq!(r.status, StatusCode::OK);

    // Bad input: message at the field, nothing stored.
    let r = app
        .call(
            "setup",
            &[
                ("organisation", "Acme"),
                ("display_name", "Ada"),
                ("email", "not-an-email"),
                ("password", "long-enough"),
                ("language", "en"),
                ("setup_token", SETUP_TOKEN),
            ],
            None,
        )
        .await;
    assert_eq!(r.error_code(), "invalid_email");
    assert_eq!(r.json()["field"], "email");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM organisation").await, 0);

    let r = app
        .call(
            "setup",
            &[
                ("organisation", "Acme 公司"),
                ("display_name", "Ada"),
                ("email", "ada@acme.test"),
                ("password", "long-enough"),
                ("language", "zh"),
                ("setup_token", SETUP_TOKEN),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cookie = r.session_cookie().expect("signed in after setup");
    let me = app.call("me", &[], Some(&cookie)).await.json();
    assert_eq!(me["role"], "admin");
    assert_eq!(me["language"], "zh");

    // Gone for good: the page redirects and the function refuses.
    let r = app.get("/setup", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/login");
    let r = app
        .call(
            "setup",
            &[
                ("organisation", "Evil"),
                ("display_name", "Eve"),
                ("email", "eve@evil.test"),
                ("password", "long-enough"),
                ("language", "en"),
                ("setup_token", SETUP_TOKEN),
            ],
            None,
        )
        .await;
    assert_eq!(r.error_code(), "setup_done");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = demo_app().await;
    let wrong = app
        .call(
            "login",
            &[("email", "pm1@example.com"), ("password", "nope-nope")],
            None,
        )
        .await;
    let unknown = app
        .call(
            "login",
            &[("email", "ghost@example.com"), ("password", "nope-nope")],
            None,
        )
        .await;
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.error_code(), "invalid_credentials");
    assert!(wrong.session_cookie().is_none());
}

#[tokio::test]
async fn five_failures_from_one_address_make_that_address_wait() {
    let app = demo_app().await;
    for _ in 0..5 {
        let r = app
            .call(
                "login",
                &[("email", "pm2@example.com"), ("password", "wrong-password")],
                None,
            )
            .await;
        assert_eq!(r.error_code(), "invalid_credentials");
    }
    let r = app
        .call(
            "login",
            &[("email", "pm2@example.com"), ("password", "keel-demo")],
            None,
        )
        .await;
    assert_eq!(r.error_code(), "account_locked");
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another account is unaffected.
    app.sign_in("pm3@example.com", "keel-demo").await;
    // Failures older than the window no longer count.
    sqlx::query("UPDATE login_failures SET failed_at = '2020-01-01T00:00:00Z'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.sign_in("pm2@example.com", "keel-demo").await;
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = demo_app().await;
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("email=admin%40example.com&password=keel-demo"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "cross_site");
    assert!(r.session_cookie().is_none());
}

#[tokio::test]
async fn a_session_survives_a_server_restart() {
    let dir = TempDir::new();
    let path = dir.path().to_path_buf();
    let app = app_on(dir, true).await;
    let cookie = app.sign_in("pm1@example.com", "keel-demo").await;
    let url = app.db_url.clone();
    let App { _dir, pool, .. } = app;
    pool.close().await;
    // A new server process on the same database file.
    let state = keel::server::build_state(settings(&url, true), options())
        .await
        .unwrap();
    let router = keel::server::http::router(state).await.unwrap();
    let again = App {
        router,
        pool: sqlx::AnyPool::connect_lazy(&url).unwrap(),
        _dir,
        db_url: url,
    };
    let me = again.call("me", &[], Some(&cookie)).await.json();
    assert_eq!(me["email"], "pm1@example.com");
    if on_postgres().is_none() {
        assert!(path.join("keel.db").exists());
    }
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = demo_app().await;
    let cookie = app.sign_in("pm1@example.com", "keel-demo").await;
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::OK);
    app.call("logout", &[], Some(&cookie)).await;
    let me = app.call("me", &[], Some(&cookie)).await.json();
    assert!(me.is_null());
    let r = app.get("/", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/login");
}

#[tokio::test]
async fn a_deactivated_person_cannot_sign_in_and_their_data_stays() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let pm = app.sign_in("pm4@example.com", "keel-demo").await;
    let id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'pm4@example.com'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let r = app
        .call(
            "set_person_active",
            &[("id", &id), ("version", "1"), ("active", "false")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The open session stops working at once.
    assert!(app.call("me", &[], Some(&pm)).await.json().is_null());
    let r = app
        .call(
            "login",
            &[("email", "pm4@example.com"), ("password", "keel-demo")],
            None,
        )
        .await;
    assert_eq!(r.error_code(), "account_inactive");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'pm4@example.com'")
            .await,
        1
    );
    // An admin cannot deactivate themself.
    let admin_id: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let r = app
        .call(
            "set_person_active",
            &[("id", &admin_id), ("version", "1"), ("active", "false")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "cannot_change_self");
}

#[tokio::test]
async fn everyone_changes_their_own_password_with_the_old_one() {
    let app = demo_app().await;
    let member = app.sign_in("member2@example.com", "keel-demo").await;
    let r = app
        .call(
            "change_password",
            &[
                ("old_password", "not-it"),
                ("new_password", "brand-new-pass"),
            ],
            Some(&member),
        )
        .await;
    assert_eq!(r.error_code(), "wrong_old_password");
    assert_eq!(r.json()["field"], "old_password");
    let r = app
        .call(
            "change_password",
            &[("old_password", "keel-demo"), ("new_password", "short")],
            Some(&member),
        )
        .await;
    assert_eq!(r.error_code(), "password_too_short");
    let r = app
        .call(
            "change_password",
            &[
                ("old_password", "keel-demo"),
                ("new_password", "brand-new-pass"),
            ],
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.sign_in("member2@example.com", "brand-new-pass").await;
    let r = app
        .call(
            "login",
            &[("email", "member2@example.com"), ("password", "keel-demo")],
            None,
        )
        .await;
    assert_eq!(r.error_code(), "invalid_credentials");
    let r = app
        .call(
            "change_password",
            &[("old_password", "x"), ("new_password", "yyyyyyyyyy")],
            None,
        )
        .await;
    assert_eq!(r.error_code(), "not_signed_in");
}

#[tokio::test]
async fn language_is_remembered_per_person() {
    let app = demo_app().await;
    let pm = app.sign_in("pm2@example.com", "keel-demo").await;
    let r = app
        .call("set_language", &[("language", "zh")], Some(&pm))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .call(
            "login",
            &[("email", "pm2@example.com"), ("password", "keel-demo")],
            None,
        )
        .await;
    let cookies: Vec<&str> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("i18n_pref_locale=zh")),
        "{cookies:?}"
    );
    // The server renders the chosen language before hydration.
    let cookie = format!("{}; i18n_pref_locale=zh", r.session_cookie().unwrap());
    let page = app.get("/", Some(&cookie)).await;
    assert!(
        page.body.contains("工作台"),
        "dashboard rendered in Chinese"
    );
    assert!(page.body.contains("lang=\"zh\""));
    let page = app.get("/", Some(&r.session_cookie().unwrap())).await;
    assert!(page.body.contains("Dashboard"));
}

#[tokio::test]
async fn a_language_switch_whose_save_was_lost_is_stored_by_the_next_request() {
    let app = demo_app().await;
    let pm = app.sign_in("pm2@example.com", "keel-demo").await;
    // The browser's cookie says Chinese (switched), but no set_language call arrived.
    app.get("/", Some(&format!("{pm}; i18n_pref_locale=zh")))
        .await;
    let lang: String =
        sqlx::query_scalar("SELECT language FROM users WHERE email = 'pm2@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(lang, "zh");
}
