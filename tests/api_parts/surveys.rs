//! Surveys through the server surface: who may make, answer, close and read
//! rounds; one answer per person (replays included); what storage keeps of
//! an answer; and the SPEC's suppression example attacked over every page,
//! export and server function.
use super::{App, StatusCode, demo_app};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const PW: &str = "keel-demo";
/// What a stored counter holds besides its count (`surveys::store::COUNT_BASE`).
const BASE: i64 = 1 << 40;

/// "YYYY-MM-DDTHH:MM" in the demo organisation's zone, `minutes` from now.
fn local(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The SPEC's example organisation, made directly in the database: a parent
/// team P (led by a new leader) with sub-teams A (6 members) and B (5) and
/// one direct member; and an outsider team O with a leader and 3 members.
struct Org {
    p: String,
    a: String,
    b: String,
    lead_p: String,
    lead_o: String,
    /// Emails per part: "a", "b", "d" (P's direct member), "o".
    people: BTreeMap<&'static str, Vec<String>>,
}

async fn make_org(app: &App) -> Org {
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
            sqlx::query("INSERT INTO teams (id, name, parent_id, leader_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)")
                .bind(&id).bind(&name).bind(parent).bind(leader).bind(now).bind(now)
                .execute(&pool).await.unwrap();
            id
        }
    };
    let person = |email: String, role: &str, team: Option<String>| {
        let (role, hash, id) = (role.to_string(), hash.clone(), id());
        let pool = app.pool.clone();
        async move {
            sqlx::query("INSERT INTO users (id, email, display_name, password_hash, role, team_id, language, active, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'en', 1, 1, ?, ?)")
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

async fn create_round(app: &App, who: &str, teams: &[&str], extra: Value) -> (StatusCode, Value) {
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

async fn round(app: &App, who: &str, round: &str) -> Value {
    let r = app.call("load_round", &[("id", round)], Some(who)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// Answers every question of a round: Likert `likert`, eNPS `enps`, the first
/// choice, and `text` for free text.
fn answers(q: &Value, likert: i64, enps: i64, text: &str) -> Value {
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

async fn submit(
    app: &App,
    who: &str,
    round: &str,
    submission: &str,
    answers: &Value,
) -> super::Reply {
    app.call_json(
        "submit_answers",
        json!({"round_id": round, "submission": submission, "answers": answers}),
        Some(who),
    )
    .await
}

async fn close(app: &App, who: &str, id: &str) -> StatusCode {
    let v = round(app, who, id).await["round"]["version"].to_string();
    app.call(
        "close_round",
        &[("round_id", id), ("version", &v)],
        Some(who),
    )
    .await
    .status
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
    assert_eq!(
        app.count(&format!(
            "SELECT SUM(n - {BASE}) FROM survey_counts WHERE round_id = '{rid}' AND question_id = ''"
        ))
        .await,
        1,
        "one respondent counted"
    );
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
    ]
    .into();
    for (table, ok) in &allowed {
        let cols: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&app.pool)
                .await
                .unwrap();
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
        "SELECT id, team_id, question_id, text FROM survey_pending_texts WHERE round_id = ?",
    )
    .bind(&rid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.iter().filter(|r| r.2 == text_q).count(), 12);
    for (key, _, q, text) in &rows {
        assert!(!forbidden.contains(key) && !forbidden.contains(q));
        assert!(!forbidden.iter().any(|f| text.contains(f.as_str())));
        assert_eq!(
            uuid::Uuid::parse_str(key).unwrap().get_version_num(),
            4,
            "random keys"
        );
    }
    let counters: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT team_id, question_id, n - ? FROM survey_counts WHERE round_id = ?")
            .bind(BASE)
            .bind(&rid)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(counters.len() > 3 * 20);
    for (team, q, n) in &counters {
        assert!(!forbidden.contains(team) && !forbidden.contains(q));
        assert!((0..=12).contains(n));
    }
    // The submission ids live only in participation.
    for s in &subs {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_participation WHERE submission = ?")
                .bind(s)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        assert_eq!(n, 1);
    }
    // The order answers are stored (and read back) in is not the order they came in.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT text FROM survey_pending_texts WHERE question_id = ?")
            .bind(&text_q)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored.len(), order.len());
    assert_ne!(stored, order, "storage order follows submission order");
    // Participation has no time either.
    let cols: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('survey_participation')")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        cols,
        vec!["round_id", "person_id", "answered", "submission"]
    );
    // At the close the free text moves to its final table, none left pending.
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    let pending = format!("SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = '{rid}'");
    assert_eq!(app.count(&pending).await, 0);
    let comments: Vec<String> =
        sqlx::query_scalar("SELECT text FROM survey_comments WHERE question_id = ?")
            .bind(&text_q)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let mut sorted = comments.clone();
    sorted.sort();
    assert_eq!(sorted, order, "every comment, once");
}

#[tokio::test]
async fn no_role_reads_the_results_of_an_open_round() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({})).await;
    let rid = rid.as_str().unwrap().to_string();
    for email in org.people["a"].iter().take(5) {
        let who = app.sign_in(email, PW).await;
        let q = round(&app, &who, &rid).await;
        assert_eq!(
            submit(&app, &who, &rid, &id(), &answers(&q, 5, 10, "open"))
                .await
                .status,
            StatusCode::OK
        );
    }
    let admin = app.sign_in("admin@example.com", PW).await;
    let a0 = app.sign_in("a0@example.com", PW).await;
    let pm = app.sign_in("pm1@example.com", PW).await;
    for who in [&admin, &lead, &a0, &pm] {
        for group in ["", org.p.as_str(), org.a.as_str()] {
            let r = app
                .call(
                    "load_survey_results",
                    &[("round_id", &rid), ("group", group)],
                    Some(who),
                )
                .await;
            assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
            assert_eq!(r.error_code(), "results_after_close");
        }
        let r = app
            .get(&format!("/surveys/{rid}/export.csv"), Some(who))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(!r.body.contains("open"));
        // The results page says so and shows no number.
        let page = app.get(&format!("/surveys/{rid}/results"), Some(who)).await;
        assert!(
            !page.body.contains("data-testid=\"enps\""),
            "an open round's page shows a score"
        );
    }
}

/// Every surface, every role, for the SPEC example (P 12 = A 6 + B 5 + 1
/// direct): B and the direct member are never shown, and no sum or
/// difference of what is shown isolates fewer than k people.
#[tokio::test]
async fn the_spec_example_leaks_nothing_on_any_surface() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    // Organisation-level results for everyone asked.
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({"visibility": "team"})).await;
    let rid = rid.as_str().unwrap().to_string();
    // A answers eNPS 10 and Likert 5; B answers eNPS 0 and Likert 1; the direct member 5 / 3.
    for (part, likert, enps) in [("a", 5, 10), ("b", 1, 0), ("d", 3, 5)] {
        for email in &org.people[part] {
            let who = app.sign_in(email, PW).await;
            let q = round(&app, &who, &rid).await;
            let r = submit(
                &app,
                &who,
                &rid,
                &id(),
                &answers(&q, likert, enps, &format!("comment from {part}")),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
    }
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);

    let admin = app.sign_in("admin@example.com", PW).await;
    let a0 = app.sign_in("a0@example.com", PW).await;
    let outsider_lead = app.sign_in("lead.o@example.com", PW).await;
    // Atoms: the three parts; each group any surface shows maps to a set of them.
    let atoms_of = |group: &str| -> BTreeSet<&'static str> {
        if group.is_empty() || group == org.p {
            ["a", "b", "d"].into()
        } else if group == org.a {
            ["a"].into()
        } else if group == org.b {
            ["b"].into()
        } else {
            panic!("unknown group {group}")
        }
    };
    let sizes: BTreeMap<&str, i64> = [("a", 6), ("b", 5), ("d", 1)].into();
    let mut shown: BTreeSet<BTreeSet<&str>> = BTreeSet::new();
    for who in [&admin, &lead, &a0] {
        for group in ["", org.p.as_str(), org.a.as_str(), org.b.as_str()] {
            let r = app
                .call(
                    "load_survey_results",
                    &[("round_id", &rid), ("group", group)],
                    Some(who),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let v = r.json();
            for g in v["groups"].as_array().unwrap() {
                if g["shown"] == true {
                    shown.insert(atoms_of(g["id"].as_str().unwrap()));
                } else {
                    assert!(g["respondents"].is_null(), "a hidden group's size is told");
                }
            }
            let g = &v["group"];
            if g["shown"] == false {
                assert!(v["enps"].is_null() && v["questions"].as_array().unwrap().is_empty());
                assert!(
                    v["themes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|t| t[1].is_null())
                );
            } else {
                shown.insert(atoms_of(g["id"].as_str().unwrap()));
            }
            // B's numbers (eNPS −100, favourability 0) never appear anywhere.
            assert_ne!(v["enps"], json!(-100));
            for row in v["heat"].as_array().unwrap() {
                if row["shown"] == false {
                    assert!(row["cells"].as_array().unwrap().iter().all(Value::is_null));
                    assert!(row["respondents"].is_null());
                } else {
                    assert!(
                        row["name"].as_str().unwrap().starts_with("A")
                            || row["name"].as_str().unwrap().starts_with("P")
                    );
                }
            }
            // Comments belong to no team below P: A's page never carries B's or the direct member's.
            if v["group"]["id"] == org.a.as_str() {
                let text = v.to_string();
                assert!(text.contains("comment from a"));
                assert!(!text.contains("comment from b") && !text.contains("comment from d"));
            }
        }
        // The CSV export shows the same groups.
        let csv = app
            .get(&format!("/surveys/{rid}/export.csv"), Some(who))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        for line in csv.body.lines().skip(1) {
            if line.starts_with("B ") {
                assert!(line.contains("hidden"), "{line}");
            }
        }
        // The page for B shows "not enough responses" and no score (a0 has
        // no B to pick: their page falls back to the organisation's group).
        if *who == a0 {
            continue;
        }
        let page = app
            .get(
                &format!("/surveys/{rid}/results?group={}", org.b),
                Some(who),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("data-testid=\"not-enough\""));
        assert!(!page.body.contains("−100"));
    }
    // A member of A sees only the organisation-level group.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&a0),
        )
        .await
        .json();
    assert_eq!(v["groups"].as_array().unwrap().len(), 1);
    // The leader of another team sees nothing of this round.
    let r = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&outsider_lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/surveys/{rid}/export.csv"), Some(&outsider_lead))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // What was shown: P (= overall) and A, never B nor the direct member alone.
    let expected: BTreeSet<BTreeSet<&str>> = [["a", "b", "d"].into(), ["a"].into()].into();
    assert_eq!(shown, expected);
    // No sum or difference of shown groups (coefficients −1, 0, 1) is a set
    // of 1..k−1 people.
    let shown: Vec<BTreeSet<&str>> = shown.into_iter().collect();
    let n = shown.len();
    for mut code in 0..3i64.pow(n as u32) {
        let mut coef: BTreeMap<&str, i64> = BTreeMap::new();
        for g in &shown {
            let c = code % 3 - 1;
            code /= 3;
            for a in g {
                *coef.entry(a).or_default() += c;
            }
        }
        if coef.values().all(|c| *c == 0 || *c == 1) {
            let people: i64 = coef
                .iter()
                .filter(|(_, c)| **c == 1)
                .map(|(a, _)| sizes[a])
                .sum();
            assert!(
                people == 0 || people >= 5,
                "a combination isolates {people} people: {coef:?}"
            );
        }
    }
    // The overall eNPS matches a hand calculation: 6 promoters, 6 detractors of 12 → 0.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(v["enps"], 0);
    let a = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", &org.a)],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(a["enps"], 100);
    assert_eq!(a["group"]["respondents"], 6);
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
    for (ep, form) in [
        ("load_surveys", vec![]),
        ("surveys_awaiting", vec![]),
        ("new_round_options", vec![]),
        ("load_round", vec![("id", oid.as_str())]),
        (
            "close_round",
            vec![("round_id", oid.as_str()), ("version", "1")],
        ),
        ("stop_pulse", vec![("round_id", oid.as_str())]),
        (
            "load_survey_results",
            vec![("round_id", oid.as_str()), ("group", "")],
        ),
    ] {
        assert_eq!(
            app.call(ep, &form, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{ep}"
        );
    }
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
async fn results_visibility_and_action_plans_follow_the_roles() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({"visibility": "private"})).await;
    let rid = rid.as_str().unwrap().to_string();
    for email in org.people["a"].iter().chain(&org.people["b"]) {
        let who = app.sign_in(email, PW).await;
        let q = round(&app, &who, &rid).await;
        assert_eq!(
            submit(&app, &who, &rid, &id(), &answers(&q, 4, 8, ""))
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    // Private: members see nothing.
    let a0 = app.sign_in("a0@example.com", PW).await;
    let r = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&a0),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The leader commits to an action for A; a member may not.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", &org.a)],
            Some(&lead),
        )
        .await
        .json();
    assert_eq!(v["group"]["shown"], true);
    let owner = v["owners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o[1] == "lead.p@example.com")
        .map(|o| o[0].as_str().unwrap().to_string())
        .expect("the leader may own an action");
    let aid = id();
    let form = |who_team: &str| {
        vec![
            ("id".to_string(), aid.clone()),
            ("round_id".to_string(), rid.clone()),
            ("team_id".to_string(), who_team.to_string()),
            ("focus".to_string(), "wellbeing".to_string()),
            (
                "action".to_string(),
                "No meetings on Friday afternoons".to_string(),
            ),
            ("owner_id".to_string(), owner.clone()),
            ("due_date".to_string(), "2027-01-31".to_string()),
        ]
    };
    let f = form(&org.a);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        app.call("create_survey_action", &f, Some(&a0)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.call("create_survey_action", &f, Some(&lead)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", &org.a)],
            Some(&lead),
        )
        .await
        .json();
    let act = &v["actions"][0];
    assert_eq!(act["action"], "No meetings on Friday afternoons");
    // Follow-up: done needs a note; a member may not record one.
    let ver = act["version"].to_string();
    let r = app
        .call(
            "follow_up_survey_action",
            &[
                ("id", &aid),
                ("version", &ver),
                ("status", "done"),
                ("follow_up", ""),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(r.json()["field"], "follow_up");
    assert_eq!(
        app.call(
            "follow_up_survey_action",
            &[
                ("id", &aid),
                ("version", &ver),
                ("status", "done"),
                ("follow_up", "x")
            ],
            Some(&a0)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .call(
            "follow_up_survey_action",
            &[
                ("id", &aid),
                ("version", &ver),
                ("status", "done"),
                ("follow_up", "Fridays are quiet now"),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&lead),
        )
        .await
        .json();
    assert_eq!(v["actions"][0]["status"], "done");
    assert_eq!(v["actions"][0]["follow_up"], "Fridays are quiet now");
    // B (5) and A (6) shown: P = 11 with no direct answer.
    let groups: Vec<(String, bool)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["id"].as_str().unwrap().to_string(), g["shown"] == true))
        .collect();
    assert!(groups.contains(&(org.b.clone(), true)) && groups.contains(&(org.a.clone(), true)));
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
}

// ------------------------------------------------------------ on disk

/// Just enough of SQLite's file format to read what a copy of the database
/// file or its WAL shows: b-tree leaf cells with their byte offsets, and the
/// pages WAL frames hold.
mod disk {
    #[derive(Debug, Clone, PartialEq)]
    pub enum Val {
        Null,
        Int(i64),
        Real,
        Text(String),
        Blob,
    }

    impl Val {
        pub fn text(&self) -> &str {
            match self {
                Val::Text(t) => t,
                _ => "",
            }
        }
        pub fn int(&self) -> i64 {
            match self {
                Val::Int(i) => *i,
                v => panic!("not an integer: {v:?}"),
            }
        }
    }

    /// A leaf cell: where it starts in the file, its rowid (table b-trees),
    /// its payload size and its record.
    #[derive(Debug, Clone)]
    pub struct Cell {
        pub page: u32,
        pub offset: usize,
        pub rowid: Option<i64>,
        pub payload: u64,
        pub values: Vec<Val>,
    }

    fn varint(b: &[u8]) -> (u64, usize) {
        let mut v: u64 = 0;
        for (i, c) in b.iter().take(8).enumerate() {
            v = (v << 7) | u64::from(c & 0x7f);
            if c & 0x80 == 0 {
                return (v, i + 1);
            }
        }
        ((v << 8) | u64::from(b[8]), 9)
    }

    fn record(b: &[u8]) -> Vec<Val> {
        let (header, mut at) = varint(b);
        let mut types = Vec::new();
        while at < header as usize {
            let (t, n) = varint(&b[at..]);
            types.push(t);
            at += n;
        }
        let mut body = header as usize;
        let mut out = Vec::new();
        for t in types {
            let int = |len: usize, body: usize| {
                let mut v: i64 = if b[body] & 0x80 != 0 { -1 } else { 0 };
                for x in &b[body..body + len] {
                    v = (v << 8) | i64::from(*x);
                }
                v
            };
            let (val, len) = match t {
                0 => (Val::Null, 0),
                1..=4 => (Val::Int(int(t as usize, body)), t as usize),
                5 => (Val::Int(int(6, body)), 6),
                6 => (Val::Int(int(8, body)), 8),
                7 => (Val::Real, 8),
                8 => (Val::Int(0), 0),
                9 => (Val::Int(1), 0),
                t if t >= 12 && t % 2 == 0 => (Val::Blob, ((t - 12) / 2) as usize),
                t if t >= 13 => {
                    let n = ((t - 13) / 2) as usize;
                    (
                        Val::Text(String::from_utf8_lossy(&b[body..body + n]).into()),
                        n,
                    )
                }
                t => panic!("serial type {t}"),
            };
            out.push(val);
            body += len;
        }
        out
    }

    /// The cells of a leaf page (table or index b-tree).
    pub fn leaf_cells(file: &[u8], page_size: usize, page: u32) -> Vec<Cell> {
        let base = (page as usize - 1) * page_size;
        let hdr = base + if page == 1 { 100 } else { 0 };
        let kind = file[hdr];
        assert!(kind == 0x0d || kind == 0x0a, "page {page} is not a leaf");
        let n = u16::from_be_bytes([file[hdr + 3], file[hdr + 4]]) as usize;
        (0..n)
            .map(|i| {
                let p = hdr + 8 + 2 * i;
                let offset = base + u16::from_be_bytes([file[p], file[p + 1]]) as usize;
                let (payload, a) = varint(&file[offset..]);
                let (rowid, b) = if kind == 0x0d {
                    let (r, b) = varint(&file[offset + a..]);
                    (Some(r as i64), b)
                } else {
                    (None, 0)
                };
                assert!((payload as usize) < page_size / 4, "no overflow pages");
                let start = offset + a + b;
                Cell {
                    page,
                    offset,
                    rowid,
                    payload,
                    values: record(&file[start..start + payload as usize]),
                }
            })
            .collect()
    }

    /// The pages the frames of a WAL file hold (none when there is no WAL).
    pub fn wal_pages(wal: &[u8]) -> Vec<u32> {
        if wal.len() < 32 {
            return vec![];
        }
        let page_size = u32::from_be_bytes([wal[8], wal[9], wal[10], wal[11]]) as usize;
        wal[32..]
            .chunks(24 + page_size)
            .filter(|f| f.len() >= 4)
            .map(|f| u32::from_be_bytes([f[0], f[1], f[2], f[3]]))
            .collect()
    }

    /// Where `needle` occurs in `hay`.
    pub fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
        hay.windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .map(|(i, _)| i)
            .collect()
    }
}

/// The database file and its WAL as bytes, the way a copy of them would be.
struct OnDisk {
    file: Vec<u8>,
    wal: Vec<u8>,
    page_size: usize,
}

impl OnDisk {
    async fn read(app: &App) -> OnDisk {
        let path = app.db_url.trim_start_matches("sqlite://").to_string();
        let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        OnDisk {
            file: std::fs::read(&path).unwrap(),
            wal: std::fs::read(format!("{path}-wal")).unwrap_or_default(),
            page_size: page_size as usize,
        }
    }

    /// The leaf pages of a table and its indexes (as the database reads them).
    async fn pages(app: &App, table: &str) -> Vec<(String, u32, String)> {
        sqlx::query_as::<_, (String, i64, String)>(
            "SELECT name, pageno, pagetype FROM dbstat
             WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)",
        )
        .bind(table)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(n, p, t)| (n, p as u32, t))
        .collect()
    }

    /// The leaf cells of a table's own b-tree.
    async fn cells(&self, app: &App, table: &str) -> Vec<disk::Cell> {
        Self::pages(app, table)
            .await
            .into_iter()
            .filter(|(n, _, t)| n == table && t == "leaf")
            .flat_map(|(_, p, _)| disk::leaf_cells(&self.file, self.page_size, p))
            .collect()
    }

    /// The WAL holds no page of the survey answer tables (nor of their
    /// indexes) and none of the given texts: no frame joins a person's
    /// participation to their answers.
    async fn wal_is_clean(&self, app: &App, texts: &[String]) {
        let mut survey_pages = BTreeSet::new();
        for t in [
            "survey_participation",
            "survey_counts",
            "survey_pending_texts",
            "survey_comments",
        ] {
            survey_pages.extend(Self::pages(app, t).await.into_iter().map(|p| p.1));
        }
        let in_wal: BTreeSet<u32> = disk::wal_pages(&self.wal).into_iter().collect();
        assert!(
            in_wal.is_disjoint(&survey_pages),
            "the WAL holds survey pages {:?}",
            in_wal.intersection(&survey_pages).collect::<Vec<_>>()
        );
        for t in texts {
            assert!(
                disk::find_all(&self.wal, t.as_bytes()).is_empty(),
                "the WAL holds {t}"
            );
        }
    }

    /// The one place a text is in the database file (it must be there once).
    fn only_place_of(&self, text: &str) -> (u32, usize) {
        let at = disk::find_all(&self.file, text.as_bytes());
        assert_eq!(at.len(), 1, "{text} is in the file {} times", at.len());
        ((at[0] / self.page_size) as u32 + 1, at[0])
    }
}

/// The keys of a round's pending free text.
async fn pending_keys(app: &App, round: &str) -> BTreeSet<String> {
    sqlx::query_scalar("SELECT id FROM survey_pending_texts WHERE round_id = ?")
        .bind(round)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Whether authors listed in some storage order, each as the position of
/// their answer among the submissions, follow the order of the answers
/// (forwards or backwards): what pairs rows with the order of participation.
fn follows_answers(authors: &[usize]) -> bool {
    authors.windows(2).all(|w| w[0] <= w[1]) || authors.windows(2).all(|w| w[0] >= w[1])
}

/// The authors of free text, in byte order, in a table of the pending
/// table's shape (random keys, no rowid) that each answer only added its
/// rows to, in the order of the answers: a database of its own beside the
/// app's, so the app's file and WAL stay as they are.
async fn naive_layout(
    app: &App,
    submitted: &[String],
    texts: &BTreeMap<String, Vec<String>>,
) -> Vec<usize> {
    let path =
        std::path::Path::new(app.db_url.trim_start_matches("sqlite://")).with_file_name("naive.db");
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
    sqlx::query(
        "CREATE TABLE pending (id TEXT PRIMARY KEY, round_id TEXT NOT NULL, team_id TEXT NOT NULL,
             question_id TEXT NOT NULL, text TEXT NOT NULL) WITHOUT ROWID",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut author: BTreeMap<String, usize> = BTreeMap::new();
    for (i, person) in submitted.iter().enumerate() {
        for t in &texts[person] {
            sqlx::query("INSERT INTO pending (id, round_id, team_id, question_id, text) VALUES (?, ?, ?, ?, ?)")
                .bind(id())
                .bind(id())
                .bind(id())
                .bind(id())
                .bind(t)
                .execute(&pool)
                .await
                .unwrap();
            author.insert(t.clone(), i);
        }
    }
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&pool)
        .await
        .unwrap();
    let leaves: Vec<i64> = sqlx::query_scalar(
        "SELECT pageno FROM dbstat WHERE name = 'pending' AND pagetype = 'leaf'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let file = std::fs::read(&path).unwrap();
    let mut cells: Vec<disk::Cell> = leaves
        .into_iter()
        .flat_map(|p| disk::leaf_cells(&file, page_size as usize, p as u32))
        .collect();
    cells.sort_by_key(|c| (c.page, c.offset));
    cells.iter().map(|c| author[c.values[4].text()]).collect()
}

/// A person's answers for the on-disk tests, all different: Likert c + 1,
/// eNPS from 3, 7, 8, 9, 10, choice c, options c and c + 2, and a free text
/// of their own for every text question.
fn distinct_answers(q: &Value, c: usize) -> (Value, Vec<String>) {
    let mut texts = Vec::new();
    let list: Vec<Value> = q["questions"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let n = q["options"].as_array().map(|o| o.len()).unwrap_or(0).max(1);
            let mut text = String::new();
            let values: Vec<i64> = match q["kind"].as_str().unwrap() {
                "likert" => vec![c as i64 % 5 + 1],
                "enps" => vec![[3, 7, 8, 9, 10][c % 5]],
                "single" => vec![(c % n) as i64],
                "multiple" => {
                    let mut v = vec![(c % n) as i64, ((c + 2) % n) as i64];
                    v.sort();
                    v.dedup();
                    v
                }
                _ => {
                    text = format!("zqx-free-text-{c}-{i:02}-end");
                    texts.push(text.clone());
                    vec![]
                }
            };
            json!({"question_id": q["id"], "values": values, "text": text})
        })
        .collect();
    (Value::Array(list), texts)
}

fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (100.0 * part as f64 / whole as f64).round() as i64)
}

/// The results a group's answers imply, checked against what the results
/// server function shows: distributions, answered counts, favourability,
/// eNPS, theme scores and the comments.
fn check_results(v: &Value, questions: &Value, given: &[Value]) {
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

/// Issue 13: a copy of the database file or its WAL pairs no answer with
/// the person who gave it. Five people of team B answer (distinct closed-form
/// answers and a free text each), in the reverse of the order their
/// participation rows were made in:
/// (a) before the close their free text is only in the pending table, every
///     submission rewrites all of the round's pending rows under new keys,
///     no order of those rows (bytes or keys) is the order of the answers
///     (while the same check does see it in rows only ever added to), and
///     the WAL holds no page of the answer tables (nor any answer text);
/// (b) participation rows and every counter stay at the byte offsets the
///     round's creation gave them (overwritten in place), so their order on
///     disk is creation order, not submission order;
/// (c) at the close the free text is written once, into survey_comments, in
///     the order of keys drawn then, and nothing of it is left elsewhere;
/// (d) the results are what the answers imply.
#[tokio::test]
async fn a_copy_of_the_database_pairs_no_answer_with_its_person() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (st, rid) = create_round(
        &app,
        &lead,
        &[&org.b],
        json!({"themes": ["engagement", "culture", "wellbeing"]}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    // Sign-ins first: what they write is not part of an answer.
    let mut people: BTreeMap<String, String> = BTreeMap::new();
    for email in &org.people["b"] {
        let id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
            .bind(email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        people.insert(id, app.sign_in(email, PW).await);
    }
    // The order the participation rows were made in.
    let created: Vec<String> = sqlx::query_scalar(
        "SELECT person_id FROM survey_participation WHERE round_id = ? ORDER BY rowid",
    )
    .bind(&rid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(created.len(), 5);
    let q = round(&app, &people[&created[0]], &rid).await;
    let team_b = org.b.clone();

    // Before anyone answers (the round's creation checkpointed here).
    let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(busy, 0);
    let before = OnDisk::read(&app).await;
    let mine = |cells: Vec<disk::Cell>| -> Vec<disk::Cell> {
        cells
            .into_iter()
            .filter(|c| c.values[0].text() == rid)
            .collect()
    };
    let part_before = mine(before.cells(&app, "survey_participation").await);
    let counts_before = mine(before.cells(&app, "survey_counts").await);
    assert_eq!(part_before.len(), 5);
    assert!(counts_before.len() > 40);
    assert!(counts_before.iter().all(|c| c.values[4].int() == BASE));

    // Submissions in the reverse of creation order.
    let submitted: Vec<String> = created.iter().rev().cloned().collect();
    assert_ne!(submitted, created);
    let mut given: BTreeMap<String, Value> = BTreeMap::new();
    let mut subs: BTreeMap<String, String> = BTreeMap::new();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut all_texts: Vec<String> = Vec::new();
    let mut last_keys: BTreeSet<String> = BTreeSet::new();
    for person in &submitted {
        let c = created.iter().position(|p| p == person).unwrap();
        let (answers, t) = distinct_answers(&q, c);
        let sub = id();
        let r = submit(&app, &people[person], &rid, &sub, &answers).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        all_texts.extend(t.iter().cloned());
        // (a) after every submission: nothing in the WAL joins it to anyone.
        OnDisk::read(&app)
            .await
            .wal_is_clean(&app, &all_texts)
            .await;
        // Every pending row of the round is written again, under a new key.
        let keys = pending_keys(&app, &rid).await;
        assert_eq!(keys.len(), all_texts.len());
        assert!(
            keys.is_disjoint(&last_keys),
            "the pending rows are rewritten at each submission"
        );
        last_keys = keys;
        given.insert(person.clone(), answers);
        subs.insert(person.clone(), sub);
        texts.insert(person.clone(), t);
    }
    assert!(all_texts.len() >= 15);

    let after = OnDisk::read(&app).await;
    after.wal_is_clean(&app, &all_texts).await;
    // (a) Free text is only in the pending table, once each, until the close.
    let pending_pages: BTreeSet<u32> = OnDisk::pages(&app, "survey_pending_texts")
        .await
        .into_iter()
        .map(|p| p.1)
        .collect();
    for t in &all_texts {
        let (page, _) = after.only_place_of(t);
        assert!(
            pending_pages.contains(&page),
            "{t} is outside the pending table"
        );
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_comments WHERE round_id = '{rid}'"
        ))
        .await,
        0
    );
    // No order of the pending rows is the order of the answers: listed by
    // place in the file or by key, their authors (by when they answered)
    // neither rise nor fall. With 3 texts each from 5 people, a random
    // order does either with a chance of 2 in 168,168,000.
    let answered_as: BTreeMap<&str, usize> = submitted
        .iter()
        .enumerate()
        .flat_map(|(i, p)| texts[p].iter().map(move |t| (t.as_str(), i)))
        .collect();
    let pending: Vec<disk::Cell> = after
        .cells(&app, "survey_pending_texts")
        .await
        .into_iter()
        .filter(|c| c.values[1].text() == rid)
        .collect();
    assert_eq!(pending.len(), all_texts.len());
    let authors = |cells: &[disk::Cell]| -> Vec<usize> {
        cells
            .iter()
            .map(|c| answered_as[c.values[4].text()])
            .collect()
    };
    let mut by_place = pending.clone();
    by_place.sort_by_key(|c| (c.page, c.offset));
    let mut by_key = pending.clone();
    by_key.sort_by(|a, b| a.values[0].text().cmp(b.values[0].text()));
    for (order, cells) in [("byte", &by_place), ("key", &by_key)] {
        let a = authors(cells.as_slice());
        assert!(
            !follows_answers(&a),
            "the pending rows' {order} order is the order of the answers: {a:?}"
        );
    }
    // The same check on rows only ever added to, in the order of the
    // answers, under random keys (what storage without the rewrite would
    // hold): byte order gives the authors away.
    let naive = naive_layout(&app, &submitted, &texts).await;
    assert!(
        follows_answers(&naive),
        "rows only added to follow the answers on disk: {naive:?}"
    );

    // (b) Participation: overwritten where creation put it.
    let part_after = mine(after.cells(&app, "survey_participation").await);
    assert_eq!(part_after.len(), 5);
    for (b, a) in part_before.iter().zip(&part_after) {
        assert_eq!(b.rowid, a.rowid);
        assert_eq!(
            (b.page, b.offset, b.payload),
            (a.page, a.offset, a.payload),
            "a participation row moved"
        );
        let person = a.values[1].text();
        assert_eq!(b.values[3].text(), "00000000-0000-0000-0000-000000000000");
        assert_eq!((b.values[2].int(), a.values[2].int()), (0, 1));
        assert_eq!(a.values[3].text(), subs[person]);
    }
    // Within a page, a later cell lies lower: the byte order of the rows is
    // the order they were made in, which is not the order of the answers.
    let mut by_disk: Vec<&disk::Cell> = part_after.iter().collect();
    by_disk.sort_by_key(|c| (c.page, std::cmp::Reverse(c.offset)));
    let mut pages_seen = BTreeMap::new();
    for c in &by_disk {
        pages_seen
            .entry(c.page)
            .or_insert_with(Vec::new)
            .push(c.values[1].text().to_string());
    }
    assert!(pages_seen.values().any(|v| v.len() >= 2));
    for on_page in pages_seen.values() {
        let made: Vec<&String> = created.iter().filter(|p| on_page.contains(p)).collect();
        let answered: Vec<&String> = submitted.iter().filter(|p| on_page.contains(p)).collect();
        assert_eq!(
            on_page.iter().collect::<Vec<_>>(),
            made,
            "disk order is creation order"
        );
        if on_page.len() >= 2 {
            assert_ne!(on_page.iter().collect::<Vec<_>>(), answered);
        }
    }

    // Counters: the same cells at the same offsets, the same sizes, counting
    // what was answered.
    let counts_after = mine(after.cells(&app, "survey_counts").await);
    assert_eq!(
        counts_after.len(),
        counts_before.len(),
        "no counter was added"
    );
    let mut expected: BTreeMap<(String, i64), i64> = BTreeMap::new();
    expected.insert((String::new(), -1), 5);
    for a in given.values() {
        for a in a.as_array().unwrap() {
            let qid = a["question_id"].as_str().unwrap().to_string();
            let values = a["values"].as_array().unwrap();
            if !values.is_empty() {
                *expected.entry((qid.clone(), -1)).or_default() += 1;
            }
            for v in values {
                *expected
                    .entry((qid.clone(), v.as_i64().unwrap()))
                    .or_default() += 1;
            }
        }
    }
    for (b, a) in counts_before.iter().zip(&counts_after) {
        assert_eq!(
            (b.rowid, b.page, b.offset, b.payload),
            (a.rowid, a.page, a.offset, a.payload),
            "a counter moved or changed size"
        );
        assert_eq!(a.values[1].text(), team_b);
        let key = (a.values[2].text().to_string(), a.values[3].int());
        assert_eq!(
            a.values[4].int() - BASE,
            expected.get(&key).copied().unwrap_or(0),
            "counter {key:?}"
        );
    }

    // (c) The close writes the free text into its final table in the order
    // of keys drawn then; nothing of it stays pending or anywhere else.
    let open_keys = pending_keys(&app, &rid).await;
    assert_eq!(open_keys, last_keys);
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    let closed = OnDisk::read(&app).await;
    closed.wal_is_clean(&app, &all_texts).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = '{rid}'"
        ))
        .await,
        0
    );
    let comments: Vec<disk::Cell> = closed
        .cells(&app, "survey_comments")
        .await
        .into_iter()
        .filter(|c| c.values[1].text() == rid)
        .collect();
    assert_eq!(comments.len(), all_texts.len());
    for c in &comments {
        assert!(
            !open_keys.contains(c.values[0].text()),
            "a key drawn at the close"
        );
        let (page, at) = closed.only_place_of(c.values[4].text());
        assert_eq!(page, c.page, "the text is only in its comment row");
        assert!(at > c.offset && at < c.offset + c.payload as usize + 9);
    }
    // Written in the order of the keys drawn at the close: rowid order is
    // key order, whatever order the answers came in.
    let mut by_rowid: Vec<&disk::Cell> = comments.iter().collect();
    by_rowid.sort_by_key(|c| c.rowid);
    let keys: Vec<&str> = by_rowid.iter().map(|c| c.values[0].text()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "comments are stored in the order of their random keys"
    );
    // And byte order follows it: within a page each later row lies lower.
    let mut per_page: BTreeMap<u32, Vec<&disk::Cell>> = BTreeMap::new();
    for c in &by_rowid {
        per_page.entry(c.page).or_default().push(c);
    }
    assert!(per_page.values().any(|v| v.len() >= 2));
    for cells in per_page.values() {
        let offsets: Vec<usize> = cells.iter().map(|c| c.offset).collect();
        let mut down = offsets.clone();
        down.sort_by(|a, b| b.cmp(a));
        assert_eq!(offsets, down, "byte order is key order");
    }
    // So no order of the comments is the order of the answers either.
    let by_rowid: Vec<disk::Cell> = by_rowid.into_iter().cloned().collect();
    let a = authors(by_rowid.as_slice());
    assert!(
        !follows_answers(&a),
        "the comments follow the order of the answers: {a:?}"
    );

    // (d) The results are what the answers imply.
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&lead),
        )
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let v = v.json();
    assert_eq!(v["group"]["shown"], true);
    let given: Vec<Value> = given.into_values().collect();
    check_results(&v, &q, &given);
    assert_eq!(v["round"]["answered"], 5);
    assert_eq!(v["round"]["invited"], 5);
}

/// Issue 13: a round that closes by its time, with nobody closing it, gets
/// its free text finalised by the sweep (run at start and every minute), and
/// nothing of it is left pending, in freed space (`secure_delete`) or in the
/// WAL; a second sweep changes nothing.
#[tokio::test]
async fn the_sweep_finalises_a_round_closed_by_time_and_leaves_no_trace() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (st, rid) = create_round(&app, &lead, &[&org.b], json!({})).await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    let mut texts = Vec::new();
    for (i, email) in org.people["b"].iter().enumerate() {
        let who = app.sign_in(email, PW).await;
        let q = round(&app, &who, &rid).await;
        let text = format!("zqx-swept-{i}-end");
        let r = submit(&app, &who, &rid, &id(), &answers(&q, 3, 8, &text)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        texts.push(text);
    }
    sqlx::query(
        "UPDATE survey_rounds SET opens_at = '2020-01-01T00:00:00Z', closes_at = '2020-01-02T00:00:00Z'
         WHERE id = ?",
    )
    .bind(&rid)
    .execute(&app.pool)
    .await
    .unwrap();
    keel::surveys::store::sweep(&app.pool).await.unwrap();
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        let rid = rid.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(rid)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let pending = "SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = ?";
    let comments = "SELECT COUNT(*) FROM survey_comments WHERE round_id = ?";
    assert_eq!(count(pending).await, 0);
    let written = count(comments).await;
    assert!(written >= texts.len() as i64);
    let copy = OnDisk::read(&app).await;
    copy.wal_is_clean(&app, &texts).await;
    let comment_pages: BTreeSet<u32> = OnDisk::pages(&app, "survey_comments")
        .await
        .into_iter()
        .map(|p| p.1)
        .collect();
    for t in &texts {
        let rows: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM survey_comments WHERE round_id = ? AND text = ?",
        )
        .bind(&rid)
        .bind(t)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert!(rows >= 1, "{t} is a comment");
        let at = disk::find_all(&copy.file, t.as_bytes());
        assert_eq!(
            at.len() as i64,
            rows,
            "{t} is in the file only in its comment rows"
        );
        for a in at {
            assert!(
                comment_pages.contains(&((a / copy.page_size) as u32 + 1)),
                "{t} is outside survey_comments"
            );
        }
    }
    keel::surveys::store::sweep(&app.pool).await.unwrap();
    assert_eq!(count(comments).await, written);
    assert_eq!(count(pending).await, 0);
}

/// Migration 0009 converts what the row-per-answer storage of 0008 holds:
/// a closed round's answers become its counters and shuffled comments (the
/// results are the same), an open round's participation still stops a
/// second answer and recognises a replay, its free text waits for the close,
/// and the old tables are gone.
#[tokio::test]
async fn migration_0009_converts_row_per_answer_storage() {
    let dir = super::TempDir::new();
    let app = super::app_on(dir, true).await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let (_, closed_id) = create_round(
        &app,
        &lead,
        &[&org.b],
        json!({"themes": ["engagement", "culture"]}),
    )
    .await;
    let closed_id = closed_id.as_str().unwrap().to_string();
    let (_, open_id) = create_round(&app, &lead, &[&org.a], json!({})).await;
    let open_id = open_id.as_str().unwrap().to_string();
    let a0 = app.sign_in("a0@example.com", PW).await;
    let q_closed = round(&app, &lead, &closed_id).await;
    let q_open = round(&app, &a0, &open_id).await;
    let person = |email: &str| {
        let pool = app.pool.clone();
        let email = email.to_string();
        async move {
            sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE email = ?")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let b: Vec<String> = {
        let mut v = Vec::new();
        for e in &org.people["b"] {
            v.push(person(e).await);
        }
        v
    };
    let a_first = person(&org.people["a"][0]).await;
    let a_second = person(&org.people["a"][1]).await;
    let url = app.db_url.clone();
    let super::App { _dir, pool, .. } = app;
    pool.close().await;

    // Back to 0008's storage: its tables, with answers written the way it wrote them.
    let old = sqlx::SqlitePool::connect(&url).await.unwrap();
    for sql in [
        "DELETE FROM _sqlx_migrations WHERE version = 9",
        "DROP TABLE survey_counts",
        "DROP TABLE survey_pending_texts",
        "DROP TABLE survey_comments",
        "DROP TABLE survey_participation",
        "CREATE TABLE survey_participation (round_id TEXT NOT NULL REFERENCES survey_rounds(id), person_id TEXT NOT NULL REFERENCES users(id), submission TEXT NOT NULL, PRIMARY KEY (round_id, person_id)) WITHOUT ROWID",
        "CREATE INDEX survey_participation_person ON survey_participation (person_id)",
        "CREATE TABLE survey_responses (id TEXT PRIMARY KEY, round_id TEXT NOT NULL, team_id TEXT NOT NULL) WITHOUT ROWID",
        "CREATE INDEX survey_responses_round ON survey_responses (round_id, team_id)",
        "CREATE TABLE survey_answers (id TEXT PRIMARY KEY, round_id TEXT NOT NULL, team_id TEXT NOT NULL, question_id TEXT NOT NULL, value INTEGER, text TEXT) WITHOUT ROWID",
        "CREATE INDEX survey_answers_round ON survey_answers (round_id, question_id, team_id, value)",
    ] {
        sqlx::query(sql).execute(&old).await.unwrap();
    }
    let store_old = |round: String, person: String, team: String, answers: Value| {
        let old = old.clone();
        async move {
            let sub = id();
            sqlx::query("INSERT INTO survey_participation (round_id, person_id, submission) VALUES (?, ?, ?)")
                .bind(&round).bind(&person).bind(&sub).execute(&old).await.unwrap();
            sqlx::query("INSERT INTO survey_responses (id, round_id, team_id) VALUES (?, ?, ?)")
                .bind(id())
                .bind(&round)
                .bind(&team)
                .execute(&old)
                .await
                .unwrap();
            for a in answers.as_array().unwrap() {
                let values = a["values"].as_array().unwrap();
                let text = a["text"].as_str().unwrap();
                if values.is_empty() && !text.is_empty() {
                    sqlx::query("INSERT INTO survey_answers (id, round_id, team_id, question_id, value, text) VALUES (?, ?, ?, ?, NULL, ?)")
                        .bind(id()).bind(&round).bind(&team).bind(a["question_id"].as_str()).bind(text)
                        .execute(&old).await.unwrap();
                }
                for v in values {
                    sqlx::query("INSERT INTO survey_answers (id, round_id, team_id, question_id, value, text) VALUES (?, ?, ?, ?, ?, NULL)")
                        .bind(id()).bind(&round).bind(&team).bind(a["question_id"].as_str()).bind(v.as_i64())
                        .execute(&old).await.unwrap();
                }
            }
            sub
        }
    };
    let mut given = Vec::new();
    for (c, p) in b.iter().enumerate() {
        let (answers, _) = distinct_answers(&q_closed, c);
        store_old(closed_id.clone(), p.clone(), org.b.clone(), answers.clone()).await;
        given.push(answers);
    }
    // The first round closed yesterday; two of A answered the open one.
    sqlx::query("UPDATE survey_rounds SET opens_at = '2020-01-01T00:00:00Z', closes_at = '2020-01-02T00:00:00Z' WHERE id = ?")
        .bind(&closed_id)
        .execute(&old)
        .await
        .unwrap();
    let first = answers(&q_open, 4, 9, "waiting text one");
    let first_sub = store_old(open_id.clone(), a_first, org.a.clone(), first.clone()).await;
    store_old(
        open_id.clone(),
        a_second,
        org.a.clone(),
        answers(&q_open, 2, 3, "waiting text two"),
    )
    .await;
    old.close().await;

    // The server starts again: 0009 runs.
    let state = keel::server::build_state(super::settings(&url, true), super::options())
        .await
        .unwrap();
    let pool = state.pool.clone();
    let router = keel::server::http::router(state).await.unwrap();
    let app = super::App {
        router,
        pool,
        _dir,
        db_url: url,
    };
    for t in ["survey_answers", "survey_responses"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM sqlite_schema WHERE name = '{t}'"
            ))
            .await,
            0,
            "{t} is dropped"
        );
    }
    // The closed round: the same results from its counters and comments.
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let v = app
        .call(
            "load_survey_results",
            &[("round_id", &closed_id), ("group", "")],
            Some(&lead),
        )
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    check_results(&v.json(), &q_closed, &given);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = '{closed_id}'"
        ))
        .await,
        0
    );
    // The open round: one row per invitee, two answered; free text pending.
    let count = |sql: &str| sql.replace("{r}", &open_id);
    assert_eq!(
        app.count(&count(
            "SELECT COUNT(*) FROM survey_participation WHERE round_id = '{r}'"
        ))
        .await,
        6
    );
    assert_eq!(
        app.count(&count(
            "SELECT COUNT(*) FROM survey_participation WHERE round_id = '{r}' AND answered = 1"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&count(
            "SELECT COUNT(*) FROM survey_pending_texts WHERE round_id = '{r}'"
        ))
        .await,
        4
    );
    assert_eq!(
        app.count(&count("SELECT SUM(n - 1099511627776) FROM survey_counts WHERE round_id = '{r}' AND question_id = ''")).await,
        2
    );
    let r = submit(&app, &a0, &open_id, &first_sub, &first).await;
    assert_eq!(
        (r.status, r.json()["replay"].clone()),
        (StatusCode::OK, json!(true)),
        "{}",
        r.body
    );
    let r = submit(&app, &a0, &open_id, &id(), &first).await;
    assert_eq!(r.error_code(), "already_answered");
    let a2 = app.sign_in(&org.people["a"][2], PW).await;
    let r = submit(
        &app,
        &a2,
        &open_id,
        &id(),
        &answers(&q_open, 5, 10, "after the move"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.count(&count(
            "SELECT COUNT(*) FROM survey_participation WHERE round_id = '{r}' AND answered = 1"
        ))
        .await,
        3
    );
}
