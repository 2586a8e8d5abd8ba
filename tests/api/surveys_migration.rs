//! Migration 0009: the row-per-answer survey storage of 0008 converted to
//! counters and shuffled comments.
use crate::helpers::{App, PW, TempDir, app_on, new_id as id, options, settings, sqlite_only};
use crate::surveys::{answers, check_results, create_round, make_org, round, submit};
use crate::surveys_disk::distinct_answers;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Migration 0009 converts what the row-per-answer storage of 0008 holds:
/// a closed round's answers become its counters and shuffled comments (the
/// results are the same), an open round's participation still stops a
/// second answer and recognises a replay, its free text waits for the close,
/// and the old tables are gone.
#[tokio::test]
async fn migration_0009_converts_row_per_answer_storage() {
    sqlite_only!(
        "PostgreSQL databases start at the current schema; 0009 converts SQLite files made before it"
    );
    let dir = TempDir::new();
    let app = app_on(dir, true).await;
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
            sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE email = $1")
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
    let App { _dir, pool, .. } = app;
    pool.close().await;

    // Back to 0008's storage: its tables, with answers written the way it wrote them.
    let old = sqlx::AnyPool::connect(&url).await.unwrap();
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
            sqlx::query("INSERT INTO survey_participation (round_id, person_id, submission) VALUES ($1, $2, $3)")
                .bind(&round).bind(&person).bind(&sub).execute(&old).await.unwrap();
            sqlx::query("INSERT INTO survey_responses (id, round_id, team_id) VALUES ($1, $2, $3)")
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
                    sqlx::query("INSERT INTO survey_answers (id, round_id, team_id, question_id, value, text) VALUES ($1, $2, $3, $4, NULL, $5)")
                        .bind(id()).bind(&round).bind(&team).bind(a["question_id"].as_str()).bind(text)
                        .execute(&old).await.unwrap();
                }
                for v in values {
                    sqlx::query("INSERT INTO survey_answers (id, round_id, team_id, question_id, value, text) VALUES ($1, $2, $3, $4, $5, NULL)")
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
    sqlx::query("UPDATE survey_rounds SET opens_at = '2020-01-01T00:00:00Z', closes_at = '2020-01-02T00:00:00Z' WHERE id = $1")
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
    let state = keel::server::build_state(settings(&url, true), options())
        .await
        .unwrap();
    let pool = state.pool.clone();
    let router = keel::server::http::router(state).await.unwrap();
    let app = App {
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
