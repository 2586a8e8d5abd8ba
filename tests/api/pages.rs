//! Pages over HTTP: a page answers with the status of its main record (200,
//! 403, 404), so caches, monitoring and tests see the truth; and user text in
//! a page's title cannot break out of the `<title>` element.
//!
//! And what every response carries: the health check, security headers and
//! a nonce policy, compression, the service worker and manifest.
use crate::helpers::{App, PW, demo_app, empty_app, local, new_id};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

/// A title that, unescaped in `<head>`, would redirect every viewer.
const PAYLOAD: &str =
    r#"x </title><meta http-equiv="refresh" content="0;url=https://evil.example">"#;

/// Records whose titles carry the payload, made through the server functions
/// by the roles that may make them.
struct Fixture {
    requirement: String,
    kpi: String,
    poker: String,
    survey: String,
    /// Who sees each record: a member (requirement, poker invitee), pm3 (KPI
    /// owner, poker owner), lead2 (the survey's owner), a Platform member
    /// (asked by the survey) and a Product member (not asked).
    member: String,
    pm3: String,
    lead2: String,
    platform_member: String,
    product_member: String,
}

async fn email_in(app: &App, team_like: &str) -> String {
    sqlx::query_scalar(
        "SELECT u.email FROM users u JOIN teams t ON t.id = u.team_id
         WHERE t.name LIKE $1 AND u.role = 'member' ORDER BY u.email LIMIT 1",
    )
    .bind(format!("%{team_like}%"))
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn fixture(app: &App) -> Fixture {
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let lead2 = app.sign_in("lead2@example.com", PW).await;
    let member_email = email_in(app, "Growth").await;
    let member = app.sign_in(&member_email, PW).await;
    let platform_member = app.sign_in(&email_in(app, "Platform").await, PW).await;
    let product_member = app.sign_in(&email_in(app, "Product").await, PW).await;

    // A requirement, by a member.
    let backlog = app.growth_backlog(&pm3).await;
    let requirement = app.submit(&member, &backlog, PAYLOAD, "").await["id"]
        .as_str()
        .unwrap()
        .to_string();

    // A KPI, by a PM.
    let kpi = new_id();
    let pm3_id = app.user_id("pm3@example.com").await;
    let today = keel::kpi::model::day_number(
        &keel::server::clock::OrgClock::new("Asia/Shanghai")
            .today()
            .0,
    )
    .unwrap();
    let form = json!({
        "code": "XSS-1", "name": PAYLOAD, "owner": format!("pm:{pm3_id}"), "unit": "%",
        "direction": "increase", "baseline": "0", "target": "10",
        "start_date": keel::kpi::model::day_text(today - 30),
        "due_date": keel::kpi::model::day_text(today + 30),
        "cadence_days": "7", "visibility": "organisation", "goal_id": "", "weight": ""
    });
    let r = app
        .call_json("create_kpi", json!({ "id": kpi, "form": form }), Some(&pm3))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A priority-poker round, by a PM, with the member invited.
    let poker = new_id();
    let member_id = app.user_id(&member_email).await;
    let r = app
        .call_json(
            "open_poker_round",
            json!({"id": poker, "backlog_id": backlog, "title": PAYLOAD,
                "requirement_ids": [requirement], "invitees": [member_id]}),
            Some(&pm3),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A survey round of the Platform team, by its leader, seen only by its
    // owner and the people it asks.
    let survey = new_id();
    let platform = app.team_id("Platform").await;
    let r = app
        .call_json(
            "create_round",
            json!({
                "id": survey, "title": PAYLOAD, "themes": ["engagement", "wellbeing"],
                "teams": [platform], "opens": local(-1), "closes": local(60 * 24),
                "pulse": "none", "visibility": "private", "k": "", "comment_min": "",
                "support_note": "",
            }),
            Some(&lead2),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    Fixture {
        requirement,
        kpi,
        poker,
        survey,
        member,
        pm3,
        lead2,
        platform_member,
        product_member,
    }
}

/// Closes a survey round (its owner).
async fn close_round(app: &App, owner: &str, id: &str) {
    let r = app.call("load_round", &[("id", id)], Some(owner)).await;
    let version = r.json()["round"]["version"].to_string();
    let r = app
        .call(
            "close_round",
            &[("round_id", id), ("version", &version)],
            Some(owner),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// The text of the document's `<title>`.
fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = html[start..].find("</title>").expect("a </title>") + start;
    &html[start..end]
}

/// GETs a page and checks its status, reading the whole (streamed) body.
async fn page(app: &App, path: &str, cookie: &str, status: StatusCode) -> String {
    let r = app.get(path, Some(cookie)).await;
    assert_eq!(r.status, status, "GET {path}: {}", r.body);
    assert!(
        r.body.contains("</html>"),
        "GET {path}: the whole page is read"
    );
    r.body
}

#[tokio::test]
async fn user_text_in_a_page_title_is_escaped_on_the_server() {
    let app = demo_app().await;
    let f = fixture(&app).await;
    let escaped = "x &lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot; \
                   content=&quot;0;url=https://evil.example&quot;&gt;";
    let mut pages = vec![
        (
            format!("/backlog/requirements/{}", f.requirement),
            f.member.clone(),
        ),
        (format!("/kpis/{}", f.kpi), f.pm3.clone()),
        (format!("/backlog/poker/{}", f.poker), f.pm3.clone()),
        (format!("/surveys/{}", f.survey), f.lead2.clone()),
        (
            format!("/surveys/{}/answer", f.survey),
            f.platform_member.clone(),
        ),
    ];
    for (path, cookie) in &pages {
        let html = page(&app, path, cookie, StatusCode::OK).await;
        assert!(!html.contains("<meta http-equiv"), "GET {path}: {html}");
        let title = title_of(&html);
        assert!(title.contains(escaped), "GET {path}: title {title}");
        assert!(title.ends_with(" · Keel"), "GET {path}: title {title}");
    }
    close_round(&app, &f.lead2, &f.survey).await;
    pages.clear();
    pages.push((format!("/surveys/{}/results", f.survey), f.lead2.clone()));
    for (path, cookie) in &pages {
        let html = page(&app, path, cookie, StatusCode::OK).await;
        assert!(!html.contains("<meta http-equiv"), "GET {path}: {html}");
        assert!(title_of(&html).contains(escaped), "GET {path}");
    }
    // Pages that list the records (in their body, not their title) escape them too.
    let pm3_id = app.user_id("pm3@example.com").await;
    for path in [
        format!("/kpis/charters/{pm3_id}"),
        "/kpis".to_string(),
        "/backlog/mine".to_string(),
    ] {
        let who = if path == "/backlog/mine" {
            &f.member
        } else {
            &f.pm3
        };
        let html = page(&app, &path, who, StatusCode::OK).await;
        assert!(!html.contains("<meta http-equiv"), "GET {path}");
    }
}

#[tokio::test]
async fn pages_answer_with_the_status_of_their_main_record() {
    let app = demo_app().await;
    let f = fixture(&app).await;
    let random = new_id();
    let pm3_id = app.user_id("pm3@example.com").await;
    let pm4 = app.sign_in("pm4@example.com", PW).await;
    let pm6 = app.sign_in("pm6@example.com", PW).await;
    let lead1 = app.sign_in("lead1@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let outsider = app.sign_in(&email_in(&app, "Platform").await, PW).await;
    const OK: StatusCode = StatusCode::OK;
    const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
    const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;

    // A private KPI of a Growth PM: its owner sees it; to another team's PM
    // it answers as missing (hidden KPIs are not told apart from absent ones).
    let (private_kpi, owner_email): (String, String) = sqlx::query_as(
        "SELECT k.id, u.email FROM kpis k JOIN users u ON u.id = k.owner_id
         JOIN teams t ON t.id = u.team_id
         WHERE k.visibility = 'private' AND t.name LIKE '%Growth%' LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let owner = app.sign_in(&owner_email, PW).await;
    let mut cases: Vec<(String, &str, StatusCode)> = vec![
        (format!("/kpis/{private_kpi}"), &owner, OK),
        (format!("/kpis/{private_kpi}"), &lead1, OK),
        (format!("/kpis/{private_kpi}"), &pm6, NOT_FOUND),
        (format!("/kpis/{random}"), &owner, NOT_FOUND),
        // A PM's charter: the PM and the leaders above, not another PM.
        (format!("/kpis/charters/{pm3_id}"), &f.pm3, OK),
        (format!("/kpis/charters/{pm3_id}"), &lead1, OK),
        (format!("/kpis/charters/{pm3_id}"), &pm4, FORBIDDEN),
        (format!("/kpis/charters/{random}"), &f.pm3, NOT_FOUND),
        // Anyone signed in reads a requirement.
        (
            format!("/backlog/requirements/{}", f.requirement),
            &f.member,
            OK,
        ),
        (format!("/backlog/requirements/{}", f.requirement), &pm6, OK),
        (
            format!("/backlog/requirements/{random}"),
            &f.member,
            NOT_FOUND,
        ),
        // A poker round: its owner and invitees, not someone uninvited.
        (format!("/backlog/poker/{}", f.poker), &f.member, OK),
        (format!("/backlog/poker/{}", f.poker), &f.pm3, OK),
        (format!("/backlog/poker/{}", f.poker), &outsider, FORBIDDEN),
        (format!("/backlog/poker/{random}"), &f.pm3, NOT_FOUND),
        // A person's growth: the person and the leaders above, not another team's leader.
        (format!("/growth/people/{pm3_id}"), &f.pm3, OK),
        (format!("/growth/people/{pm3_id}"), &lead1, OK),
        (format!("/growth/people/{pm3_id}"), &f.lead2, FORBIDDEN),
        (format!("/growth/people/{random}"), &lead1, NOT_FOUND),
        // A survey round: its owner manages it and the people asked answer it.
        (format!("/surveys/{}", f.survey), &f.lead2, OK),
        (
            format!("/surveys/{}", f.survey),
            &f.product_member,
            FORBIDDEN,
        ),
        (format!("/surveys/{random}"), &f.lead2, NOT_FOUND),
        (
            format!("/surveys/{}/answer", f.survey),
            &f.platform_member,
            OK,
        ),
        (
            format!("/surveys/{}/answer", f.survey),
            &f.product_member,
            FORBIDDEN,
        ),
        (
            format!("/surveys/{random}/answer"),
            &f.platform_member,
            NOT_FOUND,
        ),
        // Results wait for the round to close.
        (
            format!("/surveys/{}/results", f.survey),
            &f.lead2,
            StatusCode::CONFLICT,
        ),
        // Pages for some roles only.
        ("/growth/dashboard".into(), &lead1, OK),
        ("/growth/dashboard".into(), &f.member, FORBIDDEN),
        ("/growth/dashboard".into(), &f.pm3, FORBIDDEN),
        ("/growth/settings".into(), &admin, OK),
        ("/growth/settings".into(), &f.pm3, FORBIDDEN),
        ("/surveys/new".into(), &lead1, OK),
        ("/surveys/new".into(), &f.member, FORBIDDEN),
        ("/people".into(), &admin, OK),
        ("/people".into(), &f.member, FORBIDDEN),
        // Pages open to everyone signed in.
        ("/kpis/new".into(), &f.member, OK),
        ("/growth/framework".into(), &f.member, OK),
        ("/growth".into(), &f.member, OK),
        ("/".into(), &f.member, OK),
        // No such page.
        ("/no/such/page".into(), &f.member, NOT_FOUND),
        ("/kpis/a/b".into(), &f.member, NOT_FOUND),
    ];
    for (path, cookie, status) in &cases {
        page(&app, path, cookie, *status).await;
    }
    close_round(&app, &f.lead2, &f.survey).await;
    cases.clear();
    cases.extend([
        (
            format!("/surveys/{}/results", f.survey),
            f.lead2.as_str(),
            OK,
        ),
        (format!("/surveys/{}/results", f.survey), &admin, OK),
        (
            format!("/surveys/{}/results", f.survey),
            &f.product_member,
            FORBIDDEN,
        ),
        (format!("/surveys/{random}/results"), &f.lead2, NOT_FOUND),
    ]);
    for (path, cookie, status) in &cases {
        page(&app, path, cookie, *status).await;
    }
    // What a refused page shows is still the page's own message.
    let html = page(&app, &format!("/kpis/charters/{pm3_id}"), &pm4, FORBIDDEN).await;
    assert!(html.contains("alert-error"), "{html}");
}

#[tokio::test]
async fn health_answers_with_the_database_reachable() {
    let app = empty_app().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "ok");
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_policy() {
    let app = demo_app().await;
    let r = app.get("/login", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(r.headers.contains_key(header::REFERRER_POLICY));
    let csp = r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        r.body.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the policy's nonce"
    );
    assert!(r.body.contains("rel=\"manifest\""));
    let api = app.call("me", &[], None).await;
    assert!(
        api.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}

#[tokio::test]
async fn responses_are_compressed() {
    let app = demo_app().await;
    let req = Request::get("/login")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(Body::empty())
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.headers[header::CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn service_worker_and_manifest_are_served() {
    let app = demo_app().await;
    let r = app.get("/sw.js", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    // What it precaches is the build's files (see the unit test in
    // tests/unit/server/pwa.rs); here, that it names its caches by build.
    assert!(
        r.body.contains("\"keel-assets-\""),
        "names its caches by build"
    );
    assert!(
        r.body.contains("/api/"),
        "knows to leave server functions alone"
    );
}
