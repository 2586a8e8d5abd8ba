//! Surveys through the server surface: who may make, answer, close and read
//! rounds; one answer per person (replays included); what storage keeps of
//! an answer; and the SPEC's suppression example attacked over every page,
//! export and server function.
use super::{App, StatusCode, demo_app};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const PW: &str = "keel-demo";

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
    assert_eq!(app.count(&count("survey_participation")).await, 1);
    assert_eq!(app.count(&count("survey_responses")).await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_answers WHERE round_id = '{rid}' AND text = 'second'"
        ))
        .await,
        0
    );
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
    assert_eq!(app.count(&count("survey_participation")).await, 1);
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
    for table in ["survey_answers", "survey_responses"] {
        let cols: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&app.pool)
                .await
                .unwrap();
        for c in &cols {
            assert!(
                ["id", "round_id", "team_id", "question_id", "value", "text"].contains(&c.as_str()),
                "{table}.{c} is not allowed"
            );
        }
        // No rowid: storage order is the random key's order.
        assert!(
            sqlx::query(&format!("SELECT rowid FROM {table}"))
                .fetch_all(&app.pool)
                .await
                .is_err(),
            "{table} has a rowid"
        );
    }
    // No stored value is a person's id or email, or a submission id.
    let people: Vec<(String, String)> = sqlx::query_as("SELECT id, email FROM users")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut forbidden: BTreeSet<String> = people.into_iter().flat_map(|(i, e)| [i, e]).collect();
    forbidden.extend(subs.iter().cloned());
    let rows: Vec<(String, String, String, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT id, round_id, team_id, question_id, value, text FROM survey_answers",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(rows.len() > 12 * 5);
    for (key, _, _, _, _, text) in &rows {
        assert!(!forbidden.contains(key));
        assert!(
            text.as_ref()
                .is_none_or(|t| !forbidden.iter().any(|f| t.contains(f.as_str())))
        );
        assert_eq!(
            uuid::Uuid::parse_str(key).unwrap().get_version_num(),
            4,
            "random keys"
        );
    }
    let keys: Vec<String> = sqlx::query_scalar("SELECT id FROM survey_responses")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(keys.iter().all(|k| !forbidden.contains(k)));
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
        sqlx::query_scalar("SELECT text FROM survey_answers WHERE question_id = ?")
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
    assert_eq!(cols, vec!["round_id", "person_id", "submission"]);
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
