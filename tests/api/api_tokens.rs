//! Personal API tokens and the JSON API for analytics tools (`/api/v1/`):
//! what is stored, what each token may do, idempotent check-ins, refusals
//! (scope, rights, expiry, revocation, the address, cookies), the rate
//! limit, and the profile's server functions refusing other people.
use crate::helpers::{
    App, Call, NO_SESSION, NOT_SIGNED_IN, PW, Reply, assert_refused, demo_app, new_id, today,
};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use keel::kpi::model::day_text;
use serde_json::{Value, json};

impl App {
    /// Makes a token as the signed-in person: its id and secret.
    async fn make_token(&self, cookie: &str, scope: &str) -> (String, String) {
        let id = new_id();
        let r = self
            .call(
                "create_api_token",
                &[
                    ("id", &id),
                    ("name", "Metabase"),
                    ("scope", scope),
                    ("expires_days", "30"),
                ],
                Some(cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let token = r.json()["token"].as_str().unwrap().to_string();
        (id, token)
    }

    /// A call of the token API, as a tool makes it (no Origin, no cookie).
    async fn rest(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:3000");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    async fn post_checkin(&self, token: &str, code: &str, id: &str, value: f64) -> Reply {
        let body = json!({"id": id, "day": day_text(today()), "value": value, "confidence": 80, "note": "from a tool"});
        self.rest(
            "POST",
            &format!("/api/v1/kpis/{code}/checkins"),
            Some(token),
            Some(body),
        )
        .await
    }
}

#[tokio::test]
async fn only_the_hash_is_stored_and_the_secret_is_shown_once() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (id, token) = app.make_token(&pm1, "read").await;
    assert!(
        keel::api_tokens::model::parse_token(&token).is_some(),
        "{token}"
    );
    let (hash, shown): (String, String) =
        sqlx::query_as("SELECT token_hash, prefix FROM api_tokens WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(hash, keel::auth::store::invitation_hash(&token));
    assert_eq!(shown.len(), 8);
    let everything: String = sqlx::query_scalar(
        "SELECT id || name || token_hash || prefix || scope || expires_at FROM api_tokens",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(!everything.contains(&token[9..]), "the secret is stored");
    // The list shows the start, never the token; a replayed create is a
    // conflict, not the secret again.
    let list = app.call("list_api_tokens", &[], Some(&pm1)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(!list.body.contains(&token), "{}", list.body);
    assert_eq!(list.json()["tokens"][0]["shown"], shown);
    assert_eq!(list.json()["tokens"][0]["state"], "active");
    let again = app
        .call(
            "create_api_token",
            &[
                ("id", &id),
                ("name", "Metabase"),
                ("scope", "read"),
                ("expires_days", "30"),
            ],
            Some(&pm1),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.error_code(), "id_conflict");
    assert!(!again.body.contains(&token[9..]));
    // The token works.
    let r = app.rest("GET", "/api/v1/kpis", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    let codes: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"NPS") && codes.contains(&"DAU"),
        "{codes:?}"
    );
    assert!(
        !codes.contains(&"ACT-7"),
        "a private KPI of Growth: {codes:?}"
    );
}

#[tokio::test]
async fn a_form_is_checked_field_by_field() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    for (name, scope, days, code, field) in [
        ("", "read", "30", "required", "name"),
        ("x", "admin", "30", "invalid_choice", "scope"),
        ("x", "read", "7", "invalid_choice", "expires_days"),
        ("x", "read", "", "required", "expires_days"),
    ] {
        let r = app
            .call(
                "create_api_token",
                &[
                    ("id", &new_id()),
                    ("name", name),
                    ("scope", scope),
                    ("expires_days", days),
                ],
                Some(&pm1),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            (r.error_code(), r.json()["field"].clone()),
            (code.to_string(), json!(field))
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);
}

#[tokio::test]
async fn a_check_in_posted_twice_is_stored_once() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (_, token) = app.make_token(&pm1, "checkins").await;
    let id = new_id();
    let first = app.post_checkin(&token, "NPS", &id, 31.5).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let second = app.post_checkin(&token, "NPS", &id, 31.5).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM checkins WHERE id = '{id}'"))
            .await,
        1
    );
    // It is the KPI's current value, by pm1, and reads back.
    let read = app
        .rest(
            "GET",
            &format!("/api/v1/kpis/NPS/checkins?since={}", day_text(today())),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let rows = read.json();
    let mine: Vec<&Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{}", read.body);
    assert_eq!(mine[0]["value"], 31.5);
    let bad_since = app
        .rest(
            "GET",
            "/api/v1/kpis/NPS/checkins?since=yesterday",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(bad_since.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_since.json()["field"], "since");
    // The page's validation, with its field.
    let future = json!({"id": new_id(), "day": day_text(today() + 3), "value": 1});
    let r = app
        .rest(
            "POST",
            "/api/v1/kpis/NPS/checkins",
            Some(&token),
            Some(future),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        (r.error_code(), r.json()["field"].clone()),
        ("in_future".to_string(), json!("day"))
    );
    let no_value = json!({"id": new_id(), "day": day_text(today())});
    let r = app
        .rest(
            "POST",
            "/api/v1/kpis/NPS/checkins",
            Some(&token),
            Some(no_value),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "value");
}

#[tokio::test]
async fn scope_and_the_kpi_pages_rules_decide_what_a_token_does() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (_, read) = app.make_token(&pm1, "read").await;
    let (_, checkins) = app.make_token(&pm1, "checkins").await;
    // A read token posts nothing, even to pm1's own KPI.
    let r = app.post_checkin(&read, "NPS", &new_id(), 30.0).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::FORBIDDEN, "forbidden".to_string()),
        "{}",
        r.body
    );
    // DAU is pm3's, visible to the organisation: seen, not editable.
    let r = app.post_checkin(&checkins, "DAU", &new_id(), 150.0).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::FORBIDDEN, "forbidden".to_string()),
        "{}",
        r.body
    );
    let list = app.rest("GET", "/api/v1/kpis", Some(&checkins), None).await;
    let dau = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == "DAU")
        .cloned()
        .unwrap();
    assert_eq!(dau["can_check_in"], false);
    let nps = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == "NPS")
        .cloned()
        .unwrap();
    assert_eq!(nps["can_check_in"], true);
    // ACT-7 is private to pm4 of Growth: not found, like a code that does not exist.
    for code in ["ACT-7", "NO-SUCH-KPI"] {
        let r = app.post_checkin(&checkins, code, &new_id(), 1.0).await;
        assert_eq!(
            (r.status, r.error_code()),
            (StatusCode::NOT_FOUND, "not_found".to_string()),
            "{code}: {}",
            r.body
        );
        let r = app
            .rest(
                "GET",
                &format!("/api/v1/kpis/{code}/checkins"),
                Some(&read),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{code}: {}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM checkins WHERE note = 'from a tool'")
            .await,
        0
    );
}

#[tokio::test]
async fn expired_revoked_unknown_and_inactive_owners_tokens_are_refused() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (expired_id, expired) = app.make_token(&pm1, "read").await;
    sqlx::query("UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00Z' WHERE id = $1")
        .bind(&expired_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let (revoked_id, revoked) = app.make_token(&pm1, "read").await;
    let r = app
        .call("revoke_api_token", &[("id", &revoked_id)], Some(&pm1))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let unknown = keel::api_tokens::model::format_token(&[7u8; 32]);
    for (what, token) in [
        ("expired", expired.as_str()),
        ("revoked", &revoked),
        ("unknown", &unknown),
        ("malformed", "keel_pat_short"),
    ] {
        let r = app.rest("GET", "/api/v1/kpis", Some(token), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{what}: {}", r.body);
        assert_eq!(r.error_code(), "token_invalid", "{what}");
        assert!(r.headers.contains_key(header::WWW_AUTHENTICATE), "{what}");
    }
    let listed = app.call("list_api_tokens", &[], Some(&pm1)).await.json();
    let states: Vec<&str> = listed["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap())
        .collect();
    assert!(
        states.contains(&"expired") && states.contains(&"revoked"),
        "{states:?}"
    );
    // A deactivated owner's token stops working.
    let member1 = app.sign_in("member1@example.com", PW).await;
    let (_, token) = app.make_token(&member1, "read").await;
    assert_eq!(
        app.rest("GET", "/api/v1/kpis", Some(&token), None)
            .await
            .status,
        StatusCode::OK
    );
    sqlx::query("UPDATE users SET active = 0 WHERE email = 'member1@example.com'")
        .execute(&app.pool)
        .await
        .unwrap();
    let r = app.rest("GET", "/api/v1/kpis", Some(&token), None).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::UNAUTHORIZED, "token_invalid".to_string())
    );
}

#[tokio::test]
async fn only_the_authorization_header_carries_a_token() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (_, token) = app.make_token(&pm1, "checkins").await;
    // In the address: 400, and not looked up (the token is not marked used).
    let r = app
        .rest("GET", &format!("/api/v1/kpis?token={token}"), None, None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.json()["field"], "token");
    let r = app
        .rest(
            "GET",
            &format!("/api/v1/kpis?token={token}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
            .await,
        0
    );
    // A session cookie is no token, for reading or writing, even from the
    // site itself.
    for (method, path, body) in [
        ("GET", "/api/v1/kpis", None),
        (
            "POST",
            "/api/v1/kpis/NPS/checkins",
            Some(json!({"id": new_id(), "value": 1})),
        ),
    ] {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, &pm1)
            .header(header::CONTENT_TYPE, "application/json");
        if method == "GET" {
            req = req.header(header::ACCEPT, "application/json");
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let r = app.send(req.body(Body::from(body)).unwrap()).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            r.body
        );
        assert_eq!(r.error_code(), "token_invalid");
    }
    // Another site's page posting with the person's cookie gets nothing
    // either (and no cross-site refusal tells it anything more).
    let req = Request::post("/api/v1/kpis/NPS/checkins")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, &pm1)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"id": new_id(), "value": 1}).to_string()))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::UNAUTHORIZED, "token_invalid".to_string())
    );
    // Basic or any other scheme is no token either.
    let req = Request::get("/api/v1/kpis")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::AUTHORIZATION, format!("Basic {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::UNAUTHORIZED);
    // A tool's POST has no Origin and no Sec-Fetch-Site: not a cross-site refusal.
    let r = app.post_checkin(&token, "NPS", &new_id(), 30.0).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn sixty_calls_at_once_then_429_with_retry_after() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (_, token) = app.make_token(&pm1, "read").await;
    let (_, other) = app.make_token(&pm1, "read").await;
    let started = std::time::Instant::now();
    let mut refused = None;
    for i in 0..61 {
        let r = app
            .rest("GET", "/api/v1/kpis/NPS/checkins", Some(&token), None)
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((i, r));
            break;
        }
        assert_eq!(r.status, StatusCode::OK, "call {i}: {}", r.body);
    }
    let (at, r) = refused.expect("the 61st quick call is refused");
    // One token refills per second, so a slow run gets a few more in.
    let extra = started.elapsed().as_secs() as usize;
    assert!(at >= 60 && at <= 60 + extra, "refused at call {at}");
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");
    // The limit is per token.
    let r = app.rest("GET", "/api/v1/kpis", Some(&other), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A tool's many calls with a known token leave signing in open to
    // people at the same address.
    app.sign_in("pm2@example.com", PW).await;
}

#[tokio::test]
async fn guessing_tokens_is_throttled_like_guessing_passwords() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (_, token) = app.make_token(&pm1, "read").await;
    let guess = format!("keel_pat_{}", "A".repeat(43));
    let mut refused_at = None;
    for i in 0..30 {
        let r = app.rest("GET", "/api/v1/kpis", Some(&guess), None).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused_at = Some(i);
            break;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "guess {i}: {}", r.body);
    }
    let at = refused_at.expect("guesses are throttled");
    assert!(at <= 11, "throttled only at guess {at}");
    // While the address's bucket is empty, no token is looked up: not even a
    // right one gets through.
    let r = app.rest("GET", "/api/v1/kpis", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
}

#[tokio::test]
async fn last_use_is_noted_at_most_once_a_minute() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let (id, token) = app.make_token(&pm1, "read").await;
    app.rest("GET", "/api/v1/kpis", Some(&token), None).await;
    let first: Option<String> =
        sqlx::query_scalar("SELECT last_used_at FROM api_tokens WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(first.is_some());
    sqlx::query("UPDATE api_tokens SET last_used_at = '2030-01-01T00:00:00Z' WHERE id = $1")
        .bind(&id)
        .execute(&app.pool)
        .await
        .unwrap();
    app.rest("GET", "/api/v1/kpis", Some(&token), None).await;
    let second: Option<String> =
        sqlx::query_scalar("SELECT last_used_at FROM api_tokens WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        second.as_deref(),
        Some("2030-01-01T00:00:00Z"),
        "written again within the minute"
    );
}

#[tokio::test]
async fn tokens_are_ones_own() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let (id, token) = app.make_token(&pm1, "read").await;
    // Nobody else revokes pm1's token, not even an admin or pm1's leader:
    // it is not found for them.
    for (who, cookie) in [("admin", &admin), ("lead1", &lead1)] {
        let r = app
            .call("revoke_api_token", &[("id", &id)], Some(cookie))
            .await;
        assert_eq!(
            (r.status, r.error_code()),
            (StatusCode::NOT_FOUND, "not_found".to_string()),
            "{who}: {}",
            r.body
        );
        let list = app.call("list_api_tokens", &[], Some(cookie)).await;
        assert_eq!(list.json()["tokens"], json!([]), "{who}");
    }
    assert_eq!(
        app.rest("GET", "/api/v1/kpis", Some(&token), None)
            .await
            .status,
        StatusCode::OK
    );
    // Without a session, nothing.
    assert_refused(
        &app,
        &[NO_SESSION],
        &[
            Call::form("list_api_tokens", &[]),
            Call::form("revoke_api_token", &[("id", &id)]),
            Call::form(
                "create_api_token",
                &[
                    ("id", &new_id()),
                    ("name", "x"),
                    ("scope", "read"),
                    ("expires_days", "30"),
                ],
            ),
        ],
        NOT_SIGNED_IN,
    )
    .await;
}

#[tokio::test]
async fn a_plain_form_post_shows_the_new_token_once_on_the_profile() {
    let app = demo_app().await;
    let pm1 = app.sign_in("pm1@example.com", PW).await;
    let id = new_id();
    let r = app
        .plain_post(
            "create_api_token",
            &[
                ("id", &id),
                ("name", "Grafana"),
                ("scope", "checkins"),
                ("expires_days", "90"),
            ],
            "/profile",
            Some(&pm1),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/profile?") && !location.contains("keel_pat_"),
        "{location}"
    );
    // The token comes back in a short-lived cookie for the profile page only,
    // never in the address and never stored on the server.
    let fresh = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("keel_new_token="))
        .expect("a cookie with the new token")
        .to_string();
    assert!(
        fresh.contains("Path=/profile")
            && fresh.contains("HttpOnly")
            && fresh.contains("Max-Age=300"),
        "{fresh}"
    );
    let pair = fresh.split(';').next().unwrap().to_string();
    let with_token = format!("{pm1}; {pair}");
    // Another person's browser given the cookie shows nothing.
    let pm2 = app.sign_in("pm2@example.com", PW).await;
    let other = app.get("/profile", Some(&format!("{pm2}; {pair}"))).await;
    assert!(!other.body.contains(&pair[15..]), "shown to another person");
    let page = app.get("/profile", Some(&with_token)).await;
    assert_eq!(page.status, StatusCode::OK);
    // The page clears the cookie as it shows the token.
    assert!(
        page.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.starts_with("keel_new_token=;") && c.contains("Max-Age=0")),
        "cookie not cleared"
    );
    let marker = r#"data-testid="new-token""#;
    let Some(at) = page.body.find(marker).and_then(|at| {
        let end = page.body[at..].find('>')?;
        Some(at + end + 1)
    }) else {
        let near = page
            .body
            .find("fresh-token")
            .or(page.body.find("keel_pat_"))
            .unwrap_or(0);
        panic!(
            "no new token on the page: {}",
            &page.body[near..(near + 1500).min(page.body.len())]
        );
    };
    let token: String = page.body[at..].chars().take(9 + 43).collect();
    assert_eq!(format!("keel_new_token={token}"), pair);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{}'",
            keel::auth::store::invitation_hash(&token)
        ))
        .await,
        1
    );
    // Once: the next visit shows only its start.
    let again = app.get("/profile", Some(&pm1)).await;
    assert!(!again.body.contains(&token), "shown twice");
}
