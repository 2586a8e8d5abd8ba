//! Sign-in abuse, sessions, setup and forms before the page is interactive
//! (issue 13): throttles, backoff per account and address, bounded hashing
//! input, session generations, the setup token, plain form posts, Origin.
use crate::helpers::{App, Reply, SETUP_TOKEN, demo_app, empty_app, serde_urlencoded};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

fn from(addr: &str) -> std::net::SocketAddr {
    format!("{addr}:40000").parse().unwrap()
}

impl App {
    /// A sign-in attempt from a client address (as the server's listener sees it).
    async fn login_from(&self, addr: &str, email: &str, password: &str) -> Reply {
        let body = serde_urlencoded(&[("email", email), ("password", password)]);
        let mut req = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .body(Body::from(body))
            .unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(from(addr)));
        self.send(req).await
    }

    async fn signed_in(&self, cookie: &str) -> bool {
        let r = self.call("me", &[], Some(cookie)).await;
        r.status == StatusCode::OK && r.json().is_object()
    }
}

#[tokio::test]
async fn one_address_is_throttled_and_others_are_not() {
    let app = demo_app().await;
    let mut answered = 0;
    for i in 0..14 {
        let r = app
            .login_from(
                "10.0.0.1",
                &format!("nobody{i}@example.com"),
                "wrong-password",
            )
            .await;
        if r.error_code() == "invalid_credentials" {
            answered += 1;
        } else {
            assert_eq!(r.error_code(), "too_many_attempts", "{}", r.body);
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        }
    }
    assert_eq!(answered, 10, "the bucket holds ten attempts");
    // Someone elsewhere signs in at once; successes cost nothing.
    for _ in 0..12 {
        let r = app
            .login_from("10.0.0.2", "pm1@example.com", "keel-demo")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
}

#[tokio::test]
async fn failures_from_elsewhere_never_lock_the_owner_out_and_the_owner_sees_them() {
    let app = demo_app().await;
    for _ in 0..5 {
        let r = app
            .login_from("203.0.113.9", "pm2@example.com", "guess-guess")
            .await;
        assert_eq!(r.error_code(), "invalid_credentials");
    }
    // The guessing address now waits, even with the right password.
    let r = app
        .login_from("203.0.113.9", "pm2@example.com", "keel-demo")
        .await;
    assert_eq!(r.error_code(), "account_locked");
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // The owner, from their own address, signs in...
    let r = app
        .login_from("192.0.2.7", "pm2@example.com", "keel-demo")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cookie = r.session_cookie().unwrap();
    // ...and is told when and from where someone failed.
    let alerts = app.call("sign_in_alerts", &[], Some(&cookie)).await.json();
    let alerts = alerts.as_array().unwrap();
    assert_eq!(alerts.len(), 5);
    assert!(alerts.iter().all(|a| a["address"] == "203.0.113.9"));
    assert_eq!(
        alerts[0]["at"].as_str().unwrap().len(),
        16,
        "YYYY-MM-DD HH:MM"
    );
    let page = app.get("/", Some(&cookie)).await;
    assert!(
        page.body.contains("203.0.113.9"),
        "the dashboard shows them"
    );
    // Dismissed: gone, and the next sign-in shows only newer failures.
    app.call("dismiss_sign_in_alerts", &[], Some(&cookie)).await;
    let alerts = app.call("sign_in_alerts", &[], Some(&cookie)).await.json();
    assert_eq!(alerts.as_array().unwrap().len(), 0);
    let r = app
        .login_from("192.0.2.7", "pm2@example.com", "keel-demo")
        .await;
    let cookie = r.session_cookie().unwrap();
    let alerts = app.call("sign_in_alerts", &[], Some(&cookie)).await.json();
    assert_eq!(alerts.as_array().unwrap().len(), 0);
    // Another person never sees them.
    let other = app.sign_in("pm1@example.com", "keel-demo").await;
    let alerts = app.call("sign_in_alerts", &[], Some(&other)).await.json();
    assert_eq!(alerts.as_array().unwrap().len(), 0);
    assert_eq!(
        app.call("sign_in_alerts", &[], None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn junk_emails_are_refused_before_hashing_and_never_stored() {
    let app = demo_app().await;
    let huge = format!("{}@example.com", "x".repeat(1024 * 1024));
    for email in [huge.as_str(), "no-at-sign", "two@@example.com"] {
        let r = app.login_from("10.1.1.1", email, "whatever").await;
        assert_eq!(r.error_code(), "invalid_credentials");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM login_failures").await, 0);
    // A real failure is stored, and failures older than a day are pruned.
    sqlx::query("INSERT INTO login_failures (email, address, failed_at) VALUES ('old@example.com', '1.2.3.4', '2020-01-01T00:00:00Z')")
        .execute(&app.pool)
        .await
        .unwrap();
    app.login_from("10.1.1.1", "pm1@example.com", "wrong-one")
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM login_failures").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_failures WHERE email = 'pm1@example.com' AND address = '10.1.1.1'").await,
        1
    );
}

#[tokio::test]
async fn a_password_change_reset_or_deactivation_ends_the_other_sessions() {
    let app = demo_app().await;
    let laptop = app.sign_in("pm3@example.com", "keel-demo").await;
    let phone = app.sign_in("pm3@example.com", "keel-demo").await;
    assert!(app.signed_in(&laptop).await && app.signed_in(&phone).await);
    let r = app
        .call(
            "change_password",
            &[
                ("old_password", "keel-demo"),
                ("new_password", "a-new-password"),
            ],
            Some(&laptop),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The session that changed it carries on (with its renewed cookie, if any).
    let laptop = r.session_cookie().unwrap_or(laptop);
    assert!(app.signed_in(&laptop).await, "the changing session stays");
    assert!(!app.signed_in(&phone).await, "the other session ended");
    let page = app.get("/kpis", Some(&phone)).await;
    assert_eq!(page.headers[header::LOCATION], "/login");

    // An admin's reset ends every session of the person.
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'pm3@example.com'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let r = app
        .call(
            "reset_password",
            &[("id", &id), ("password", "reset-by-admin")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!app.signed_in(&laptop).await);

    // Deactivation too, and reactivating does not bring old sessions back.
    let s = app.sign_in("pm4@example.com", "keel-demo").await;
    let (pid, version): (String, i64) =
        sqlx::query_as("SELECT id, version FROM users WHERE email = 'pm4@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let v = version.to_string();
    let r = app
        .call(
            "set_person_active",
            &[("id", &pid), ("version", &v), ("active", "false")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = (version + 1).to_string();
    let r = app
        .call(
            "set_person_active",
            &[("id", &pid), ("version", &v), ("active", "true")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!app.signed_in(&s).await);
}

#[tokio::test]
async fn setup_needs_the_token_from_the_log() {
    let app = empty_app().await;
    let form = |token: &'static str| {
        vec![
            ("organisation", "Acme"),
            ("display_name", "Mallory"),
            ("email", "mallory@acme.test"),
            ("password", "long-enough"),
            ("language", "en"),
            ("setup_token", token),
        ]
    };
    for token in ["", "guess", "test-setup-token-0123456788"] {
        let r = app.call("setup", &form(token), None).await;
        assert_eq!(r.error_code(), "invalid_setup_token", "{token:?}");
        assert_eq!(r.json()["field"], "setup_token");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    let r = app.call("setup", &form(SETUP_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn plain_form_posts_sign_in_and_never_put_the_password_in_a_url() {
    let app = demo_app().await;
    // The sign-in page's form posts to the server function itself.
    let page = app.get("/login", None).await;
    assert!(page.body.contains(r#"method="post""#) && page.body.contains(r#"action="/api/login""#));

    let r = app
        .plain_post(
            "login",
            &[("email", "pm1@example.com"), ("password", "wrong-secret")],
            "/login",
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{:?} {}",
        r.headers,
        r.body
    );
    let back = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(
        back.starts_with("/login?error=invalid_credentials"),
        "{back}"
    );
    // The email comes back percent-encoded, as any query value.
    assert!(back.contains("email=pm1%40example.com"), "{back}");
    assert!(!back.contains("wrong-secret"));
    // The page shows the message and keeps the email.
    let page = app.get(&back, None).await;
    assert!(page.body.contains("pm1@example.com"));
    assert!(
        page.body.contains("alert-error"),
        "the error is shown before hydration"
    );

    let r = app
        .plain_post(
            "login",
            &[("email", "pm1@example.com"), ("password", "keel-demo")],
            "/login",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/");
    let cookie = r.session_cookie().expect("signed in");
    assert!(app.signed_in(&cookie).await);

    // A password change from the profile page, before hydration.
    let r = app
        .plain_post(
            "change_password",
            &[("old_password", "keel-demo"), ("new_password", "short")],
            "/profile",
            Some(&cookie),
        )
        .await;
    let back = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(
        back,
        "/profile?error=password_too_short&field=new_password&failed=change_password"
    );
    let r = app
        .plain_post(
            "change_password",
            &[
                ("old_password", "keel-demo"),
                ("new_password", "long-enough-now"),
            ],
            "/profile",
            Some(&cookie),
        )
        .await;
    assert_eq!(r.headers[header::LOCATION], "/profile?done=change_password");
}

/// The admin's new-person form carries an initial password: before the page
/// is interactive it posts (never a GET with the password in the address).
#[tokio::test]
async fn the_new_person_form_posts_before_hydration() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", "keel-demo").await;
    let page = app.get("/people", Some(&admin)).await;
    let form = page
        .body
        .split("<form")
        .find(|f| f.contains(r#"id="person-form""#))
        .expect("the person form");
    let tag = &form[..form.find('>').unwrap()];
    assert!(
        tag.contains(r#"method="post""#) && tag.contains(r#"action="/api/create_person""#),
        "{tag}"
    );
    let id = uuid::Uuid::new_v4().to_string();
    let r = app
        .plain_post(
            "create_person",
            &[
                ("id", &id),
                ("display_name", "Plain Post"),
                ("email", "plain.post@example.com"),
                ("role", "member"),
                ("team_id", ""),
                ("password", "initial-secret-1"),
                ("language", "en"),
            ],
            "/people",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.headers[header::LOCATION].to_str().unwrap();
    assert_eq!(back, "/people?done=create_person");
    assert!(!back.contains("initial-secret-1"));
    app.sign_in("plain.post@example.com", "initial-secret-1")
        .await;

    // The admin's password reset, the same way.
    let r = app
        .plain_post(
            "reset_password",
            &[("id", &id), ("password", "reset-secret-22")],
            "/people",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.headers[header::LOCATION].to_str().unwrap();
    assert_eq!(back, "/people?done=reset_password");
    app.sign_in("plain.post@example.com", "reset-secret-22")
        .await;
}

/// The first-start setup posts before hydration too, and lands signed in.
#[tokio::test]
async fn setup_works_as_a_plain_form_post() {
    let app = empty_app().await;
    let page = app.get("/setup", None).await;
    assert!(
        page.body.contains(r#"action="/api/setup""#),
        "the setup form posts"
    );
    let mut form = [
        ("organisation", "Acme"),
        ("display_name", "Ada"),
        ("email", "ada@acme.test"),
        ("password", "long-enough-1"),
        ("language", "en"),
        ("setup_token", "wrong-token-00000000"),
    ];
    let r = app.plain_post("setup", &form, "/setup", None).await;
    let back = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(
        back.starts_with("/setup?error=invalid_setup_token"),
        "{back}"
    );
    assert!(!back.contains("long-enough-1"));
    form[5].1 = SETUP_TOKEN;
    let r = app.plain_post("setup", &form, "/setup", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/");
    let cookie = r.session_cookie().expect("signed in");
    assert!(app.signed_in(&cookie).await);
}

#[tokio::test]
async fn state_changing_calls_need_a_matching_origin() {
    let app = demo_app().await;
    let send = |origin: Option<&'static str>, fetch_site: Option<&'static str>| {
        let mut req = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000");
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        if let Some(f) = fetch_site {
            req = req.header("sec-fetch-site", f);
        }
        req.body(Body::from("email=pm1%40example.com&password=keel-demo"))
            .unwrap()
    };
    for (origin, site) in [
        (None, None),
        (Some("https://evil.example"), None),
        (Some("http://127.0.0.1:3000.evil.example"), None),
        (Some("ftp://127.0.0.1:3000"), None),
        (Some("null"), None),
        (None, Some("same-site")),
        (Some("http://127.0.0.1:3000"), Some("cross-site")),
    ] {
        let r = app.send(send(origin, site)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin:?} {site:?}");
        assert_eq!(r.error_code(), "cross_site");
    }
    for (origin, site) in [
        (Some("http://127.0.0.1:3000"), None),
        (None, Some("same-origin")),
    ] {
        let r = app.send(send(origin, site)).await;
        assert_eq!(r.status, StatusCode::OK, "{origin:?} {site:?}: {}", r.body);
    }
}
