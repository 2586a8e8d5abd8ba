//! Injection (issue 13): formula-like text in CSV exports is quoted and reads
//! back unchanged; a requirement is checked the same way from the form and
//! from a CSV row; import sizes are limited for real, with a typed error.
use crate::helpers::{App, PW, Reply, demo_app, intake_cells};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use keel::csv_cell::{MAX_IMPORT_BYTES, MAX_REQUEST_BYTES};
use serde_json::json;

/// What a spreadsheet would run as a formula.
const FORMULAS: [&str; 4] = ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "+1", "-2"];

/// The cells of a CSV text (after its BOM), header included.
fn cells(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn assert_no_formula(text: &str) {
    for row in cells(text) {
        for cell in &row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {row:?}"
            );
        }
    }
}

impl App {
    async fn titles_of(&self, backlog: &str) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT title FROM requirements WHERE backlog_id = $1 ORDER BY rank_key, id",
        )
        .bind(backlog)
        .fetch_all(&self.pool)
        .await
        .unwrap()
    }

    /// A check-in import; the body is written directly (a large file as a
    /// `serde_json::Value` would take 32 bytes a byte).
    async fn import_checkins(&self, cookie: &str, file: &[u8], commit: bool) -> Reply {
        let body = format!(
            "{{\"batch_id\":\"{}\",\"commit\":{commit},\"only_valid\":false,\"file\":{}}}",
            new_batch(),
            serde_json::to_string(file).unwrap()
        );
        self.raw_post("import_checkins", cookie, Body::from(body))
            .await
    }

    /// A preview of a requirement import, written as `import_checkins` is.
    async fn preview_import(&self, cookie: &str, backlog: &str, file: &[u8]) -> Reply {
        let body = format!(
            "{{\"backlog_id\":\"{backlog}\",\"batch_id\":\"{}\",\"commit\":false,\"only_valid\":false,\"file\":{}}}",
            new_batch(),
            serde_json::to_string(file).unwrap()
        );
        self.raw_post("import_requirements", cookie, Body::from(body))
            .await
    }

    async fn raw_post(&self, endpoint: &str, cookie: &str, body: Body) -> Reply {
        let req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::COOKIE, cookie)
            .body(body)
            .unwrap();
        self.send(req).await
    }
}

fn new_batch() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test]
async fn backlog_export_quotes_formula_text_and_imports_back_unchanged() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let member = app.sign_in("member3@example.com", PW).await;
    let backlog = app.growth_backlog(&pm).await;
    // Through the form (a member) and through a CSV import (the PM, with labels).
    for title in FORMULAS {
        app.submit(&member, &backlog, title, "=1+1").await;
    }
    let file = "title,description,source,requester,labels\n\
                \"=cmd|' /C calc'!A0\",-1 day,customer,@me,-x;+y\n";
    let r = app
        .import(&pm, &backlog, &new_batch(), file.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 1, "{}", r.body);
    let mut expected: Vec<String> = FORMULAS.iter().map(|s| s.to_string()).collect();
    expected.push("=cmd|' /C calc'!A0".into());
    assert_eq!(app.titles_of(&backlog).await, expected);

    let exported = app
        .get(&format!("/backlog/{backlog}/export.csv"), Some(&member))
        .await;
    assert_eq!(exported.status, StatusCode::OK);
    let exported = exported.body;
    assert_no_formula(&exported);
    let rows = cells(&exported);
    let titles: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "'=HYPERLINK(\"http://x\",\"y\")",
            "'@SUM(1)",
            "'+1",
            "'-2",
            "'=cmd|' /C calc'!A0"
        ]
    );
    assert_eq!(rows[1][1], "'=1+1");
    assert_eq!(rows[5][1], "'-1 day");
    assert_eq!(rows[5][3], "'@me");
    assert_eq!(rows[5][7], "'+y; -x");

    // The exported file imports elsewhere as it was, and exports identically.
    let second = app.growth_backlog(&pm).await;
    let r = app
        .import(&pm, &second, &new_batch(), exported.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 5, "{}", r.body);
    assert_eq!(app.titles_of(&second).await, expected);
    let labels: Vec<String> = sqlx::query_scalar(
        "SELECT l.label FROM requirement_labels l JOIN requirements r ON r.id = l.requirement_id
         WHERE r.backlog_id = $1 ORDER BY l.label",
    )
    .bind(&second)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(labels, vec!["+y", "-x"]);
    let again = app
        .get(&format!("/backlog/{second}/export.csv"), Some(&member))
        .await;
    assert_eq!(intake_cells(&again.body), intake_cells(&exported));

    // A tab or carriage return at the start (text from before trimming) is
    // quoted too; reading it back trims it as the form does.
    for (was, now) in [("+1", "\tx"), ("-2", "\ry")] {
        sqlx::query("UPDATE requirements SET title = $3 WHERE backlog_id = $1 AND title = $2")
            .bind(&second)
            .bind(was)
            .bind(now)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let tabbed = app
        .get(&format!("/backlog/{second}/export.csv"), Some(&member))
        .await
        .body;
    assert_no_formula(&tabbed);
    let rows = cells(&tabbed);
    assert_eq!(rows[3][0], "'\tx");
    assert_eq!(rows[4][0], "'\ry");
    let third = app.growth_backlog(&pm).await;
    let r = app
        .import(&pm, &third, &new_batch(), tabbed.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 5, "{}", r.body);
    assert_eq!(app.titles_of(&third).await[2..4], ["x", "y"]);
}

#[tokio::test]
async fn checkin_export_quotes_formula_notes_but_not_negative_values() {
    let app = demo_app().await;
    let pm3 = app.sign_in("pm3@example.com", PW).await;
    let dau: String = sqlx::query_scalar("SELECT id FROM kpis WHERE code = 'DAU'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let today = keel::kpi::model::day_number(
        &keel::server::clock::OrgClock::new("Asia/Shanghai")
            .today()
            .0,
    )
    .unwrap();
    let values = ["-3.5", "-2", "1", "0.5"];
    for (i, (note, value)) in FORMULAS.iter().zip(values).enumerate() {
        let day = keel::kpi::model::day_text(today - 3 - i as i64);
        let r = app
            .call(
                "add_checkin",
                &[
                    ("id", &uuid::Uuid::new_v4().to_string()),
                    ("kpi_id", &dau),
                    ("day", &day),
                    ("value", value),
                    ("confidence", "70"),
                    ("note", note),
                    ("corrects", ""),
                ],
                Some(&pm3),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = app.get("/kpis/export.csv", Some(&pm3)).await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = cells(&r.body);
    assert_eq!(rows[0], ["date", "kpi_code", "value", "confidence", "note"]);
    let ours: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[1] == "DAU" && FORMULAS.iter().any(|f| r[4] == format!("'{f}")))
        .collect();
    assert_eq!(ours.len(), 4, "{rows:?}");
    // Values are numbers, written bare (negative ones too); notes are quoted.
    let by_note = |f: &str| ours.iter().find(|r| r[4] == format!("'{f}")).unwrap();
    assert_eq!(by_note(FORMULAS[0])[2], "-3.5");
    assert_eq!(by_note(FORMULAS[1])[2], "-2");
    assert_eq!(by_note(FORMULAS[2])[2], "1");
    assert_eq!(by_note(FORMULAS[3])[2], "0.5");
    for row in &rows {
        for cell in [&row[0], &row[1], &row[4]] {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{row:?}"
            );
        }
    }
    // The DAU rows of the export import again as what is stored: all unchanged.
    let mut file = String::from("\u{feff}date,kpi_code,value,confidence,note\n");
    let mut w = csv::Writer::from_writer(vec![]);
    for row in rows.iter().skip(1).filter(|r| r[1] == "DAU") {
        w.write_record(row).unwrap();
    }
    file.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    let dau_rows = rows.iter().skip(1).filter(|r| r[1] == "DAU").count();
    let before = app.count("SELECT COUNT(*) FROM checkins").await;
    let rep = app.import_checkins(&pm3, file.as_bytes(), true).await;
    assert_eq!(rep.status, StatusCode::OK, "{}", rep.body);
    let rep = rep.json();
    assert_eq!(rep["errors"], json!([]));
    assert_eq!(rep["imported"], 0);
    assert_eq!(rep["unchanged"], dau_rows);
    assert_eq!(app.count("SELECT COUNT(*) FROM checkins").await, before);
}

#[tokio::test]
async fn survey_export_quotes_formula_team_names() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let (id, version, parent, leader): (String, i64, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT id, version, parent_id, leader_id FROM teams WHERE name LIKE '%Platform%'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let r = app
        .call(
            "update_team",
            &[
                ("id", &id),
                ("version", &version.to_string()),
                ("name", FORMULAS[0]),
                ("parent_id", parent.as_deref().unwrap_or("")),
                ("leader_id", leader.as_deref().unwrap_or("")),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = app.call("load_surveys", &[], Some(&admin)).await.json();
    let closed = list["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "closed")
        .expect("a closed demo round")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .get(&format!("/surveys/{closed}/export.csv"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_no_formula(&r.body);
    let rows = cells(&r.body);
    let quoted = format!("'{}", FORMULAS[0]);
    assert!(rows.iter().any(|r| r[0] == quoted), "{rows:?}");
    // The numbers stay numbers.
    for row in &rows[1..] {
        for cell in row.iter().skip(4).take(2) {
            assert!(cell.is_empty() || cell.parse::<f64>().is_ok(), "{row:?}");
        }
    }
}

#[tokio::test]
async fn an_import_is_checked_as_the_form_checks_a_requirement() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let member = app.sign_in("member3@example.com", PW).await;
    let backlog = app.growth_backlog(&pm).await;
    let count = || app.count_made("SELECT COUNT(*) FROM requirements");

    // A javascript: link is refused for its row; nothing is stored.
    let file =
        "title,source,links\nok,customer,https://example.com/a\nxss,customer,javascript:alert(1)\n";
    for who in [&member, &pm] {
        let r = app
            .import(who, &backlog, &new_batch(), file.as_bytes(), true, false)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.json()["errors"],
            json!([{"row": 3, "column": "links", "code": "invalid_link"}])
        );
        assert_eq!(r.json()["imported"], 0);
    }
    assert_eq!(count().await, 0);
    // Only the valid rows, when asked: the bad link never reaches the store.
    let r = app
        .import(&member, &backlog, &new_batch(), file.as_bytes(), true, true)
        .await;
    assert_eq!(r.json()["imported"], 1, "{}", r.body);
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirements WHERE links LIKE '%javascript%'")
            .await,
        0
    );

    // Labels over the limits are refused for their row.
    let many: Vec<String> = (0..21).map(|i| format!("l{i}")).collect();
    let file = format!(
        "title,source,labels\nmany,customer,{}\nlong,customer,{}\n",
        many.join(";"),
        "x".repeat(41)
    );
    let r = app
        .import(&pm, &backlog, &new_batch(), file.as_bytes(), true, false)
        .await;
    assert_eq!(
        r.json()["errors"],
        json!([
            {"row": 2, "column": "labels", "code": "too_long"},
            {"row": 3, "column": "labels", "code": "too_long"}
        ])
    );
    assert_eq!(count().await, 1);

    // Labels are for the backlog's editors: a member's import may not set them.
    let file = "title,source,labels\nlabelled,customer,urgent\nplain,customer,\n";
    let r = app
        .import(
            &member,
            &backlog,
            &new_batch(),
            file.as_bytes(),
            true,
            false,
        )
        .await;
    assert_eq!(
        r.json()["errors"],
        json!([{"row": 2, "column": "labels", "code": "forbidden"}])
    );
    assert_eq!(r.json()["valid_rows"], 1);
    assert_eq!(count().await, 1);
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_labels")
            .await,
        0
    );
    // The team's PM may.
    let r = app
        .import(&pm, &backlog, &new_batch(), file.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 2, "{}", r.body);
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_labels")
            .await,
        1
    );

    // The form: the same rules, the first problem at its field.
    let submit = |title: &'static str, source: &'static str, links: &'static str| {
        let (app, member, backlog) = (&app, member.clone(), backlog.clone());
        async move {
            let id = uuid::Uuid::new_v4().to_string();
            app.call(
                "submit_requirement",
                &[
                    ("id", &id),
                    ("backlog_id", &backlog),
                    ("title", title),
                    ("description", ""),
                    ("source", source),
                    ("requester", ""),
                    ("customer", ""),
                    ("segment", ""),
                    ("links", links),
                ],
                Some(&member),
            )
            .await
        }
    };
    let r = submit("t", "customer", "https://ok.example\njavascript:alert(1)").await;
    assert_eq!(
        (r.error_code(), r.json()["field"].clone()),
        ("invalid_link".into(), json!("links"))
    );
    let r = submit("", "nowhere", "").await;
    assert_eq!(
        (r.error_code(), r.json()["field"].clone()),
        ("required".into(), json!("title"))
    );
    let r = submit("t", "nowhere", "").await;
    assert_eq!(
        (r.error_code(), r.json()["field"].clone()),
        ("invalid_choice".into(), json!("source"))
    );
    assert_eq!(count().await, 3);
}

#[tokio::test]
async fn a_file_over_the_import_limit_is_refused_at_the_file_field() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let backlog = app.growth_backlog(&pm).await;
    // Worst case for the JSON body: every byte is "255,". A file at the limit
    // gets through to the import (which cannot read it) …
    let at_limit = vec![0xFFu8; MAX_IMPORT_BYTES];
    let r = app.preview_import(&pm, &backlog, &at_limit).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"code": "unreadable_file", "field": "file"})
    );
    // … one byte more is refused as too large, at the file field.
    let over = vec![0xFFu8; MAX_IMPORT_BYTES + 1];
    let r = app.preview_import(&pm, &backlog, &over).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.json(), json!({"code": "file_too_large", "field": "file"}));
    let r = app.import_checkins(&pm, &over, false).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.json(), json!({"code": "file_too_large", "field": "file"}));
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 0);
}

/// Only the imports take large bodies: a sign-in (open to anyone) over
/// 2 MiB is refused before it is read, or cut off when sent without a length.
#[tokio::test]
async fn only_imports_accept_bodies_over_two_megabytes() {
    let app = demo_app().await;
    let big = format!(
        "email=pm1%40example.com&password={}",
        "x".repeat(keel::csv_cell::MAX_FORM_BYTES)
    );
    let post = |body: Body, length: Option<usize>| {
        let mut req = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000");
        if let Some(n) = length {
            req = req.header(header::CONTENT_LENGTH, n);
        }
        req.body(body).unwrap()
    };
    let r = app
        .send(post(Body::from(big.clone()), Some(big.len())))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.error_code(), "file_too_large");
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .as_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let r = app
        .send(post(
            Body::from_stream(futures_util::stream::iter(chunks)),
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    // A normal sign-in still works.
    let r = app
        .call(
            "login",
            &[("email", "pm1@example.com"), ("password", PW)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_body_over_the_route_limit_gets_the_typed_error() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", PW).await;
    let backlog = app.growth_backlog(&pm).await;
    // A JSON body one byte past the limit, with a length …
    let head = format!(
        "{{\"backlog_id\":\"{backlog}\",\"batch_id\":\"{}\",\"commit\":false,\"only_valid\":false,\"file\":[",
        new_batch()
    );
    let mut body = head.clone().into_bytes();
    while body.len() < MAX_REQUEST_BYTES - 1 {
        body.extend_from_slice(b"97,");
    }
    body.truncate(MAX_REQUEST_BYTES - 1);
    body.extend_from_slice(b"1]}");
    assert!(body.len() > MAX_REQUEST_BYTES);
    let r = app
        .raw_post("import_requirements", &pm, Body::from(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.json(), json!({"code": "file_too_large", "field": "file"}));
    // … and streamed without one.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let streamed = Body::from_stream(futures_util::stream::iter(chunks));
    let r = app.raw_post("import_checkins", &pm, streamed).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.json(), json!({"code": "file_too_large", "field": "file"}));
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 0);
}
