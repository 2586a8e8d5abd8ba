//! Surveys through the server surface: who may make, answer, close and run
//! rounds; one answer per person (replays included); what storage keeps of
//! an answer. Reading the results (and the SPEC's suppression example
//! attacked over every page, export and server function) is in
//! `surveys_results`; what a copy of the database file shows in
//! `surveys_disk`; the 0009 storage migration in `surveys_migration`.
use crate::helpers::{
    App, Call, NO_SESSION, PW, Refused, Reply, assert_refused, demo_app, local, new_id as id,
    on_postgres,
};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// What a stored counter holds besides its count (`surveys::store::COUNT_BASE`).
pub(crate) const BASE: i64 = 1 << 40;

/// The SPEC's example organisation, made directly in the database: a parent
/// team P (led by a new leader) with sub-teams A (6 members) and B (5) and
/// one direct member; and an outsider team O with a leader and 3 members.
pub(crate) struct Org {
    pub(crate) p: String,
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) lead_p: String,
    pub(crate) lead_o: String,
    /// Emails per part: "a", "b", "d" (P's direct member), "o".
    pub(crate) people: BTreeMap<&'static str, Vec<String>>,
}

pub(crate) async fn make_org(app: &App) -> Org {
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'member1@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let now = "2026-01-01T00:00:00Z";
    let team = |name: &str, parent: Option<String>, leader: Option<String>| {
        let (name, id) = (name.to_string(), id());
        let pool = app.pool.clone();
        async move {
            sqlx::query("INSERT INTO teams (id, name, parent_id, leader_id, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6)")
                .bind(&id).bind(&name).bind(parent).bind(leader).bind(now).bind(now)
                .execute(&pool).await.unwrap();
            id
        }
    };
    let person = |email: String, role: &str, team: Option<String>| {
        let (role, hash, id) = (role.to_string(), hash.clone(), id());
        let pool = app.pool.clone();
        async move {
            sqlx::query("INSERT INTO users (id, email, display_name, password_hash, role, team_id, language, active, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'en', 1, 1, $7, $8)")
                .bind(&id).bind(&email).bind(&email).bind(&hash).bind(&role).bind(team).bind(now).bind(now)
                .execute(&pool).await.unwrap();
            id
        }
    };
    let lead_p = person("lead.p@example.com".into(), "leader", None).await;
    let lead_o = person("lead.o@example.com".into(), "leader", None).await;
    let p = team("P 参数部", None, Some(lead_p.clone())).await;
    let a = team("A 阿尔法", Some(p.clone()), None).await;
    let b = team("B 贝塔", Some(p.clone()), None).await;
    let o = team("O 外部", None, Some(lead_o.clone())).await;
    let mut people: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for (part, team, n) in [("a", &a, 6), ("b", &b, 5), ("d", &p, 1), ("o", &o, 3)] {
        for i in 0..n {
            let email = format!("{part}{i}@example.com");
            person(email.clone(), "member", Some(team.clone())).await;
            people.entry(part).or_default().push(email);
        }
    }
    Org {
        p,
        a,
        b,
        lead_p,
        lead_o,
        people,
    }
}

pub(crate) async fn create_round(
    app: &App,
    who: &str,
    teams: &[&str],
    extra: Value,
) -> (StatusCode, Value) {
    let mut body = json!({
        "id": id(), "title": "Engagement pulse", "themes": ["engagement", "wellbeing"],
        "teams": teams, "opens": local(-1), "closes": local(60 * 24),
        "pulse": "none", "visibility": "organisation", "k": "", "comment_min": "", "support_note": "",
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let r = app.call_json("create_round", body, Some(who)).await;
    (r.status, r.json())
}

pub(crate) async fn round(app: &App, who: &str, round: &str) -> Value {
    let r = app.call("load_round", &[("id", round)], Some(who)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// Answers every question of a round: Likert `likert`, eNPS `enps`, the first
/// choice, and `text` for free text.
pub(crate) fn answers(q: &Value, likert: i64, enps: i64, text: &str) -> Value {
    let list: Vec<Value> = q["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let values = match q["kind"].as_str().unwrap() {
                "likert" => vec![likert],
                "enps" => vec![enps],
                "text" => vec![],
                _ => vec![0],
            };
            let text = if q["kind"] == "text" { text } else { "" };
            json!({"question_id": q["id"], "values": values, "text": text})
        })
        .collect();
    Value::Array(list)
}

pub(crate) async fn submit(
    app: &App,
    who: &str,
    round: &str,
    submission: &str,
    answers: &Value,
) -> Reply {
    app.call_json(
        "submit_answers",
        json!({"round_id": round, "submission": submission, "answers": answers}),
        Some(who),
    )
    .await
}

pub(crate) async fn close(app: &App, who: &str, id: &str) -> StatusCode {
    let v = round(app, who, id).await["round"]["version"].to_string();
    app.call(
        "close_round",
        &[("round_id", id), ("version", &v)],
        Some(who),
    )
    .await
    .status
}

pub(crate) fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (100.0 * part as f64 / whole as f64).round() as i64)
}

/// The results a group's answers imply, checked against what the results
/// server function shows: distributions, answered counts, favourability,
/// eNPS, theme scores and the comments.
pub(crate) fn check_results(v: &Value, questions: &Value, given: &[Value]) {
    let qs = questions["questions"].as_array().unwrap();
    let mut theme_pool: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut first_enps = None;
    for q in qs {
        let id = q["id"].as_str().unwrap();
        let kind = q["kind"].as_str().unwrap();
        let (lo, len) = match kind {
            "likert" => (1, 5),
            "enps" => (0, 11),
            "text" => (0, 0),
            _ => (0, q["options"].as_array().unwrap().len()),
        };
        let mut dist = vec![0i64; len];
        let mut answered = 0;
        let mut texts = Vec::new();
        for a in given {
            let a = a
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["question_id"] == id)
                .unwrap();
            let values = a["values"].as_array().unwrap();
            if !values.is_empty() {
                answered += 1;
            }
            for x in values {
                dist[(x.as_i64().unwrap() - lo) as usize] += 1;
            }
            if kind == "text" && !a["text"].as_str().unwrap().is_empty() {
                texts.push(a["text"].as_str().unwrap().to_string());
            }
        }
        let shown = v["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["question"]["id"] == id)
            .unwrap_or_else(|| panic!("question {id} is shown"));
        assert_eq!(shown["distribution"], json!(dist), "{kind} {id}");
        let n: i64 = dist.iter().sum();
        let expected_answers = if kind == "text" { 0 } else { answered };
        assert_eq!(shown["answers"], json!(expected_answers), "{kind} {id}");
        if kind == "likert" {
            let fav = percent(dist[3] + dist[4], n);
            assert_eq!(shown["favourability"], json!(fav), "{id}");
            let pool = theme_pool
                .entry(q["theme"].as_str().unwrap().to_string())
                .or_insert_with(|| vec![0; 5]);
            for (i, d) in dist.iter().enumerate() {
                pool[i] += d;
            }
        }
        if kind == "enps" {
            let promoters = dist[9] + dist[10];
            let detractors: i64 = dist[..7].iter().sum();
            let e = percent(promoters - detractors, n);
            assert_eq!(shown["enps"], json!(e), "{id}");
            first_enps.get_or_insert(e);
        }
        if kind == "text" {
            let mut got: Vec<String> = shown["comments"]
                .as_array()
                .expect("comments shown")
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect();
            got.sort();
            texts.sort();
            assert_eq!(got, texts, "comments of {id}");
        }
    }
    assert_eq!(v["enps"], json!(first_enps.flatten()));
    for t in v["themes"].as_array().unwrap() {
        let pool = &theme_pool[t[0].as_str().unwrap()];
        let n: i64 = pool.iter().sum();
        assert_eq!(t[1], json!(percent(pool[3] + pool[4], n)), "theme {}", t[0]);
    }
    assert_eq!(v["group"]["respondents"], json!(given.len()));
}

#[tokio::test]
async fn one_answer_per_person_and_a_replay_is_recognised() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (st, rid) = create_round(&app, &lead, &[&org.p], json!({})).await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    // Everyone in P and under it is asked (12), nobody else.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_invitees WHERE round_id = '{rid}'"
        ))
        .await,
        12
    );
    let a0 = app.sign_in("a0@example.com", PW).await;
    let awaiting = app.call("surveys_awaiting", &[], Some(&a0)).await.json();
    assert_eq!(awaiting[0]["id"], rid.as_str(), "the dashboard tells a0");
    let q = round(&app, &a0, &rid).await;
    let mine = answers(&q, 4, 9, "first");
    let sub = id();
    let r = submit(&app, &a0, &rid, &sub, &mine).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["replay"], false);
    // The same submission again (a retry after a lost reply): recognised, nothing stored.
    let r = submit(&app, &a0, &rid, &sub, &mine).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["replay"], true);
    // A second, different answer: refused.
    let r = submit(&app, &a0, &rid, &id(), &answers(&q, 1, 0, "second")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "already_answered");
    let count = |t: &str| format!("SELECT COUNT(*) FROM {t} WHERE round_id = '{rid}'");
    let answered = format!("{} AND answered = 1", count("survey_participation"));
    assert_eq!(app.count(&answered).await, 1);
    // One respondent counted: in the counters on SQLite, in one sealed
    // answer on PostgreSQL (counted at the close).
    let (counted, sealed) = if on_postgres().is_some() {
        (0, 1)
    } else {
        (1, 0)
    };
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(SUM(n - {BASE}) AS BIGINT) FROM survey_counts WHERE round_id = '{rid}' AND question_id = ''"
        ))
        .await,
        counted,
        "one respondent counted"
    );
    assert_eq!(app.count(&count("survey_sealed")).await, sealed);
    for table in ["survey_pending_texts", "survey_comments"] {
        assert_eq!(
            app.count(&format!("{} AND text = 'second'", count(table)))
                .await,
            0
        );
    }
    assert!(
        app.call("surveys_awaiting", &[], Some(&a0))
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A required question left out is named; nothing is stored.
    let a1 = app.sign_in("a1@example.com", PW).await;
    let mut partial = answers(&q, 4, 9, "");
    let first_q = partial[0]["question_id"].as_str().unwrap().to_string();
    partial.as_array_mut().unwrap().remove(0);
    let r = submit(&app, &a1, &rid, &id(), &partial).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], first_q.as_str());
    // Out of scale: refused.
    let r = submit(&app, &a1, &rid, &id(), &answers(&q, 6, 9, "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count(&answered).await, 1);
    // Someone not asked cannot answer.
    let o0 = app.sign_in("o0@example.com", PW).await;
    let r = submit(&app, &o0, &rid, &id(), &answers(&q, 4, 9, "")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // After closing, nobody can answer.
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    let r = submit(&app, &a1, &rid, &id(), &answers(&q, 4, 9, "")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "round_not_open");
    // A replay of a0's submission arriving after the close is still recognised.
    let r = submit(&app, &a0, &rid, &sub, &mine).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["replay"], true);
}

#[tokio::test]
async fn an_answer_row_leads_to_nobody() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({})).await;
    let rid = rid.as_str().unwrap().to_string();
    let mut subs = Vec::new();
    let mut order = Vec::new();
    let mut text_q = String::new();
    let emails: Vec<String> = ["a", "b", "d"]
        .iter()
        .flat_map(|p| org.people[p].clone())
        .collect();
    for (i, email) in emails.iter().enumerate() {
        let who = app.sign_in(email, PW).await;
        let q = round(&app, &who, &rid).await;
        let sub = id();
        let text = format!("answer-{i:02}");
        text_q = q["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["kind"] == "text")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = submit(
            &app,
            &who,
            &rid,
            &sub,
            &answers(&q, 1 + (i as i64 % 5), i as i64 % 11, &text),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        subs.push(sub);
        order.push(text);
    }
    // Columns: nothing about a person, a client or a time.
    let allowed: BTreeMap<&str, &[&str]> = [
        (
            "survey_counts",
            &["round_id", "team_id", "question_id", "value", "n"][..],
        ),
        (
            "survey_pending_texts",
            &["id", "round_id", "team_id", "question_id", "text"][..],
        ),
        (
            "survey_comments",
            &["id", "round_id", "team_id", "question_id", "text"][..],
        ),
        ("survey_sealed", &["id", "round_id", "sealed"][..]),
    ]
    .into();
    for (table, ok) in &allowed {
        let cols: Vec<String> = app.columns(table).await;
        assert!(!cols.is_empty(), "{table} exists");
        for c in &cols {
            assert!(ok.contains(&c.as_str()), "{table}.{c} is not allowed");
        }
    }
    // Pending free text has no rowid (random keys); the counters' rowids
    // were all given when the round was made, before anyone answered, and
    // comments get theirs at the close, in the order of a key drawn then.
    assert!(
        sqlx::query("SELECT rowid FROM survey_pending_texts")
            .fetch_all(&app.pool)
            .await
            .is_err(),
        "survey_pending_texts has a rowid"
    );
    // No stored value is a person's id or email, or a submission id.
    let people: Vec<(String, String)> = sqlx::query_as("SELECT id, email FROM users")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut forbidden: BTreeSet<String> = people.into_iter().flat_map(|(i, e)| [i, e]).collect();
    forbidden.extend(subs.iter().cloned());
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, team_id, question_id, text FROM survey_pending_texts WHERE round_id = $1",
    )
    .bind(&rid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    // On PostgreSQL every answer waits sealed (twelve rows, all of one
    // size), nothing pending and every counter at zero until the close.
    let pg = on_postgres().is_some();
    assert_eq!(
        rows.iter().filter(|r| r.2 == text_q).count(),
        if pg { 0 } else { 12 }
    );
    if pg {
        let sizes: Vec<i64> = sqlx::query_scalar(
            "SELECT CAST(length(sealed) AS BIGINT) FROM survey_sealed WHERE round_id = $1",
        )
        .bind(&rid)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        assert_eq!(sizes.len(), 12);
        assert!(sizes.iter().all(|s| *s == sizes[0]));
    }
    for (key, _, q, text) in &rows {
        assert!(!forbidden.contains(key) && !forbidden.contains(q));
        assert!(!forbidden.iter().any(|f| text.contains(f.as_str())));
        assert_eq!(
            uuid::Uuid::parse_str(key).unwrap().get_version_num(),
            4,
            "random keys"
        );
    }
    let counters: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT team_id, question_id, n - $1 FROM survey_counts WHERE round_id = $2",
    )
    .bind(BASE)
    .bind(&rid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(counters.len() > 3 * 20);
    for (team, q, n) in &counters {
        assert!(!forbidden.contains(team) && !forbidden.contains(q));
        assert!((0..=12).contains(n));
        assert!(
            !pg || *n == 0,
            "a counter moved before the close on PostgreSQL"
        );
    }
    // The submission ids live only in participation.
    for s in &subs {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_participation WHERE submission = $1")
                .bind(s)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        assert_eq!(n, 1);
    }
    // The order answers are stored (and read back) in is not the order they came in.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT text FROM survey_pending_texts WHERE question_id = $1")
            .bind(&text_q)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    if !pg {
        assert_eq!(stored.len(), order.len());
        assert_ne!(stored, order, "storage order follows submission order");
    }
    // Participation has no time either.
    let cols: Vec<String> = app.columns("survey_participation").await;
    assert_eq!(
        cols,
        vec!["round_id", "person_id", "answered", "submission"]
    );
    // At the close the free text moves to its final table, none left pending.
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    let pending = format!("SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = '{rid}'");
    assert_eq!(app.count(&pending).await, 0);
    let comments: Vec<String> =
        sqlx::query_scalar("SELECT text FROM survey_comments WHERE question_id = $1")
            .bind(&text_q)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let mut sorted = comments.clone();
    sorted.sort();
    assert_eq!(sorted, order, "every comment, once");
}

#[tokio::test]
async fn rounds_are_made_and_run_only_by_those_allowed() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let other = app.sign_in("lead.o@example.com", PW).await;
    let member = app.sign_in("a0@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    // A member cannot make a round; a leader cannot for a team outside their scope.
    assert_eq!(
        create_round(&app, &member, &[&org.a], json!({})).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        create_round(
            &app,
            &lead,
            &[&org.b, &app.team_id("Platform").await],
            json!({})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    // Only admins choose k; an admin's k is 3–10.
    let (st, e) = create_round(&app, &lead, &[&org.a], json!({"k": "3"})).await;
    assert_eq!(
        (st, e["field"].as_str()),
        (StatusCode::FORBIDDEN, Some("k"))
    );
    let (st, e) = create_round(&app, &admin, &[&org.a], json!({"k": "11"})).await;
    assert_eq!(
        (st, e["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("out_of_range"))
    );
    let (st, e) = create_round(
        &app,
        &admin,
        &[&org.a],
        json!({"closes": local(-5), "opens": local(-10)}),
    )
    .await;
    assert_eq!(
        (st, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("closes"))
    );
    let (st, e) = create_round(&app, &admin, &[&org.a], json!({"themes": []})).await;
    assert_eq!(
        (st, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("themes"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM survey_rounds WHERE title = 'Engagement pulse'")
            .await,
        0,
        "nothing stored"
    );
    // A scheduled round: an admin sets k; a leader may not; once open it is locked.
    let (st, sid) = create_round(
        &app,
        &admin,
        &[&org.a],
        json!({"opens": local(60), "closes": local(120), "k": "7"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let sid = sid.as_str().unwrap().to_string();
    let v = round(&app, &admin, &sid).await;
    assert_eq!(v["round"]["k"], 7);
    assert_eq!(v["round"]["status"], "scheduled");
    let ver = v["round"]["version"].to_string();
    let r = app
        .call(
            "set_round_thresholds",
            &[
                ("round_id", &sid),
                ("version", &ver),
                ("k", "4"),
                ("comment_min", "6"),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "set_round_thresholds",
            &[
                ("round_id", &sid),
                ("version", &ver),
                ("k", "4"),
                ("comment_min", "6"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Custom questions before opening: checked, then added.
    let r = app
        .call(
            "add_round_question",
            &[
                ("round_id", &sid),
                ("id", &id()),
                ("theme", "culture"),
                ("kind", "single"),
                ("text_en", "Pick one"),
                ("text_zh", "选一个"),
                ("options", "Only | 唯一"),
                ("distress_at", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "too_few_options");
    let r = app
        .call(
            "add_round_question",
            &[
                ("round_id", &sid),
                ("id", &id()),
                ("theme", "wellbeing"),
                ("kind", "likert"),
                ("text_en", "I sleep well."),
                ("text_zh", "我睡得好。"),
                ("options", ""),
                ("distress_at", "2"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            "add_round_question",
            &[
                ("round_id", &sid),
                ("id", &id()),
                ("theme", "wellbeing"),
                ("kind", "likert"),
                ("text_en", "x"),
                ("text_zh", ""),
                ("options", ""),
                ("distress_at", ""),
            ],
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (_, oid) = create_round(&app, &lead, &[&org.a], json!({})).await;
    let oid = oid.as_str().unwrap().to_string();
    let v = round(&app, &lead, &oid).await["round"]["version"].to_string();
    let r = app
        .call(
            "set_round_thresholds",
            &[
                ("round_id", &oid),
                ("version", &v),
                ("k", "3"),
                ("comment_min", "3"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.error_code(), "round_locked");
    let r = app
        .call(
            "add_round_question",
            &[
                ("round_id", &oid),
                ("id", &id()),
                ("theme", "wellbeing"),
                ("kind", "text"),
                ("text_en", "Late"),
                ("text_zh", ""),
                ("options", ""),
                ("distress_at", ""),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(r.error_code(), "round_locked");
    // Only the owner or an admin closes; someone not asked cannot open the round.
    let r = app
        .call(
            "close_round",
            &[("round_id", &oid), ("version", &v)],
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call("stop_pulse", &[("round_id", &oid)], Some(&other))
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only the owner or an admin stops a pulse"
    );
    let o0 = app.sign_in("o0@example.com", PW).await;
    assert_eq!(
        app.call("load_round", &[("id", &oid)], Some(&o0))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Without a session: every survey function refuses.
    let calls = [
        Call::form("load_surveys", &[]),
        Call::form("surveys_awaiting", &[]),
        Call::form("new_round_options", &[]),
        Call::form("load_round", &[("id", &oid)]),
        Call::form("close_round", &[("round_id", &oid), ("version", "1")]),
        Call::form("stop_pulse", &[("round_id", &oid)]),
        Call::form("load_survey_results", &[("round_id", &oid), ("group", "")]),
    ];
    let unauthorized = Refused::status(StatusCode::UNAUTHORIZED);
    assert_refused(&app, &[NO_SESSION], &calls, unauthorized).await;
    assert_eq!(
        app.call("new_round_options", &[], Some(&member))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Lists: the outsider's leader does not see P's rounds; a0 sees the one they are asked in.
    // (Their rounds' organisation-level results are for everyone.)
    let list = app.call("load_surveys", &[], Some(&other)).await.json();
    assert!(
        list["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["visibility"] == "organisation" && r["can_manage"] == false)
    );
    let list = app.call("load_surveys", &[], Some(&member)).await.json();
    assert!(
        list["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == oid.as_str())
    );
    let _ = org.lead_p;
    let _ = org.lead_o;
}

#[tokio::test]
async fn a_pulse_makes_its_next_round_when_its_window_begins() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    // Opened 8 days ago, weekly: the next round opened yesterday.
    let (st, rid) = create_round(
        &app,
        &admin,
        &[&org.a],
        json!({"pulse": "weekly", "opens": local(-8 * 24 * 60), "closes": local(60)}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let list = app.call("load_surveys", &[], Some(&admin)).await.json();
    let series: Vec<&Value> = list["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["title"].as_str().unwrap().starts_with("Engagement pulse"))
        .collect();
    assert_eq!(series.len(), 2, "{series:?}");
    let next = series.iter().find(|r| r["id"] != rid).unwrap();
    assert_eq!(next["status"], "open");
    assert_eq!(next["invited"], 6);
    // Stopping the pulse stops further rounds.
    let r = app
        .call(
            "stop_pulse",
            &[("round_id", rid.as_str().unwrap())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM survey_rounds WHERE pulse <> 'none'")
            .await,
        0
    );
    // Stopping it again (a replay) answers the same and changes nothing.
    let rounds = app.count("SELECT COUNT(*) FROM survey_rounds").await;
    let r = app
        .call(
            "stop_pulse",
            &[("round_id", rid.as_str().unwrap())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM survey_rounds").await,
        rounds
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM survey_rounds WHERE pulse <> 'none'")
            .await,
        0
    );
}
