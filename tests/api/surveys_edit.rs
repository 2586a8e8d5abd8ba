//! Survey rounds and action plans people can correct (issue 17): a round
//! that has not opened is edited (title, window, teams, questions added,
//! removed and moved) or cancelled by those who may make it, each change
//! versioned and refused once the round opened; a cancelled round never
//! opens and nobody answers it; a stopped pulse restarts from its next
//! window; action plans are corrected by those who may commit to them; the
//! results export speaks the viewer's language.
use crate::helpers::{App, PW, demo_app, local, new_id as id};
use crate::surveys::{answers, close, create_round, make_org, round, submit};
use axum::http::{StatusCode, header};
use serde_json::{Value, json};

/// A stored instant `days` from now ("YYYY-MM-DDTHH:MM:SSZ", as rounds keep them).
fn stamp(days: i64) -> String {
    keel::surveys::store::stamp(chrono::Utc::now() + chrono::Duration::days(days))
}

/// A round that opens in an hour, made by `who` for `teams`.
async fn scheduled(app: &App, who: &str, teams: &[&str], extra: Value) -> String {
    let mut body = json!({"opens": local(60), "closes": local(120)});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let (st, rid) = create_round(app, who, teams, body).await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    rid.as_str().unwrap().to_string()
}

async fn version(app: &App, rid: &str) -> String {
    sqlx::query_scalar::<_, i64>("SELECT version FROM survey_rounds WHERE id = $1")
        .bind(rid)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .to_string()
}

async fn title(app: &App, rid: &str) -> String {
    sqlx::query_scalar("SELECT title FROM survey_rounds WHERE id = $1")
        .bind(rid)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn count(app: &App, sql: &str, rid: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(rid)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// An edit of a round's settings for `teams`; `fields` override the defaults.
async fn edit(
    app: &App,
    who: &str,
    rid: &str,
    version: &str,
    teams: &[&str],
    fields: &[(&str, &str)],
) -> crate::helpers::Reply {
    let (opens, closes) = (local(90), local(180));
    let names: Vec<String> = (0..teams.len()).map(|i| format!("teams[{i}]")).collect();
    let mut form: Vec<(&str, &str)> = vec![
        ("round_id", rid),
        ("version", version),
        ("title", "Edited 已修改"),
        ("opens", &opens),
        ("closes", &closes),
        ("visibility", "team"),
        ("support_note", "EAP 400-000"),
    ];
    for (k, v) in fields {
        form.retain(|(f, _)| f != k);
        form.push((*k, *v));
    }
    for (name, team) in names.iter().zip(teams) {
        form.push((name.as_str(), *team));
    }
    app.call("edit_round", &form, Some(who)).await
}

fn refused(r: &crate::helpers::Reply, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.error_code(), code, "{}", r.body);
}

fn field(r: &crate::helpers::Reply, code: &str, name: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        (r.json()["code"].as_str(), r.json()["field"].as_str()),
        (Some(code), Some(name)),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_scheduled_round_is_edited_by_those_who_may_make_it() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let other = app.sign_in("lead.o@example.com", PW).await;
    let member = app.sign_in("a0@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let rid = scheduled(&app, &lead, &[&org.a], json!({})).await;
    let invited = "SELECT COUNT(*) FROM survey_invitees WHERE round_id = $1";
    let asked = "SELECT COUNT(*) FROM survey_participation WHERE round_id = $1";
    assert_eq!(count(&app, invited, &rid).await, 6);
    let v = version(&app, &rid).await;

    // Refused: a member, the leader of another team (not their round), a
    // team outside the leader's scope; nothing changes.
    for who in [&member, &other] {
        refused(
            &edit(&app, who, &rid, &v, &[&org.a], &[]).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        );
    }
    let o = app.team_id("O 外部").await;
    refused(
        &edit(&app, &lead, &rid, &v, &[&org.a, &o], &[]).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    // Bad input: the message at its field, nothing stored.
    field(
        &edit(&app, &lead, &rid, &v, &[&org.a], &[("title", "  ")]).await,
        "required",
        "title",
    );
    let (early, late) = (local(200), local(100));
    field(
        &edit(
            &app,
            &lead,
            &rid,
            &v,
            &[&org.a],
            &[("opens", &early), ("closes", &late)],
        )
        .await,
        "closes_before_opens",
        "closes",
    );
    field(
        &edit(&app, &lead, &rid, &v, &[&org.a], &[("opens", "tomorrow")]).await,
        "invalid_date",
        "opens",
    );
    field(
        &edit(&app, &lead, &rid, &v, &[], &[]).await,
        "required",
        "teams",
    );
    field(
        &edit(
            &app,
            &lead,
            &rid,
            &v,
            &[&org.a],
            &[("visibility", "everyone")],
        )
        .await,
        "invalid_choice",
        "visibility",
    );
    assert_eq!(title(&app, &rid).await, "Engagement pulse");
    assert_eq!(version(&app, &rid).await, v);
    assert_eq!(count(&app, invited, &rid).await, 6);

    // The leader widens it to P (and everyone under it): its invitees and
    // participation rows follow, one counter set per invitee team.
    let opens = local(90);
    let r = edit(&app, &lead, &rid, &v, &[&org.p], &[("opens", &opens)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = round(&app, &lead, &rid).await;
    assert_eq!(d["round"]["title"], "Edited 已修改");
    assert_eq!(d["round"]["status"], "scheduled");
    assert_eq!(d["round"]["visibility"], "team");
    assert_eq!(d["round"]["support_note"], "EAP 400-000");
    assert_eq!(d["round"]["opens"], opens.replacen('T', " ", 1));
    assert_eq!(d["round"]["team_ids"], json!([org.p]));
    assert_eq!(count(&app, invited, &rid).await, 12);
    assert_eq!(count(&app, asked, &rid).await, 12);
    let teams_counted = count(
        &app,
        "SELECT COUNT(DISTINCT team_id) FROM survey_counts WHERE round_id = $1",
        &rid,
    )
    .await;
    assert_eq!(teams_counted, 3, "A, B and P's direct member");
    let b0 = app.sign_in("b0@example.com", PW).await;
    assert_eq!(round(&app, &b0, &rid).await["round"]["asked"], true);
    // The page offers the teams the leader may pick.
    let picks: Vec<&str> = d["pickable_teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[0].as_str().unwrap())
        .collect();
    assert!(picks.contains(&org.p.as_str()) && !picks.contains(&o.as_str()));

    // The version it was read at is gone: a second edit from it is stale.
    refused(
        &edit(&app, &lead, &rid, &v, &[&org.p], &[("title", "Second")]).await,
        StatusCode::CONFLICT,
        "stale_version",
    );
    assert_eq!(title(&app, &rid).await, "Edited 已修改");

    // An admin may edit a leader's round; back to A, as a plain form post
    // (before hydration: `teams[]`, answered with a redirect to the page).
    let v = version(&app, &rid).await;
    let page = format!("/surveys/{rid}");
    let (opens, closes) = (local(90), local(180));
    let r = app
        .plain_post(
            "edit_round",
            &[
                ("round_id", &rid),
                ("version", &v),
                ("title", "Plain 表单"),
                ("teams[]", &org.a),
                ("opens", &opens),
                ("closes", &closes),
                ("visibility", "private"),
                ("support_note", ""),
            ],
            &page,
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap();
    assert_eq!(to, format!("{page}?done=edit_round"));
    assert_eq!(title(&app, &rid).await, "Plain 表单");
    assert_eq!(count(&app, invited, &rid).await, 6);
    let r = app.call("load_round", &[("id", &rid)], Some(&b0)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "b0 is no longer asked");
    // The round page's form posts there.
    let html = app.get(&page, Some(&lead)).await;
    let tag = crate::helpers::form_tag(&html.body, "edit-round-form");
    assert!(tag.contains(r#"action="/api/edit_round""#), "{tag}");

    // Once open, it can no longer be edited.
    let (st, open) = create_round(&app, &lead, &[&org.a], json!({})).await;
    assert_eq!(st, StatusCode::OK);
    let open = open.as_str().unwrap().to_string();
    let v = version(&app, &open).await;
    refused(
        &edit(&app, &lead, &open, &v, &[&org.a], &[]).await,
        StatusCode::CONFLICT,
        "round_locked",
    );
    assert_eq!(title(&app, &open).await, "Engagement pulse");
}

#[tokio::test]
async fn questions_of_a_scheduled_round_are_added_removed_and_moved() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let other = app.sign_in("lead.o@example.com", PW).await;
    let member = app.sign_in("a0@example.com", PW).await;
    let rid = scheduled(&app, &lead, &[&org.a], json!({})).await;
    let ids = |d: &Value| -> Vec<String> {
        d["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = ids(&round(&app, &lead, &rid).await);
    assert!(before.len() > 3);
    let mv = |who: String, q: String, v: String, dir: &'static str| {
        let (app, rid) = (&app, rid.clone());
        async move {
            app.call(
                "move_round_question",
                &[
                    ("round_id", &rid),
                    ("version", &v),
                    ("question_id", &q),
                    ("direction", dir),
                ],
                Some(&who),
            )
            .await
        }
    };

    // Those who may not: a member, another team's leader.
    let v = version(&app, &rid).await;
    for who in [&member, &other] {
        refused(
            &mv(who.clone(), before[1].clone(), v.clone(), "up").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        );
        let r = app
            .call(
                "remove_round_question",
                &[
                    ("round_id", &rid),
                    ("version", &v),
                    ("question_id", &before[0]),
                ],
                Some(who),
            )
            .await;
        refused(&r, StatusCode::FORBIDDEN, "forbidden");
    }
    field(
        &mv(lead.clone(), before[1].clone(), v.clone(), "sideways").await,
        "invalid_choice",
        "direction",
    );
    assert_eq!(ids(&round(&app, &lead, &rid).await), before);

    // The second question moves up; the first down again from the new version.
    let r = mv(lead.clone(), before[1].clone(), v.clone(), "up").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut expected = before.clone();
    expected.swap(0, 1);
    assert_eq!(ids(&round(&app, &lead, &rid).await), expected);
    // From the old version: stale, nothing moves.
    refused(
        &mv(lead.clone(), before[2].clone(), v.clone(), "up").await,
        StatusCode::CONFLICT,
        "stale_version",
    );
    assert_eq!(ids(&round(&app, &lead, &rid).await), expected);
    // The top one cannot go higher: nothing changes but the version.
    let v = version(&app, &rid).await;
    let r = mv(lead.clone(), expected[0].clone(), v.clone(), "up").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(ids(&round(&app, &lead, &rid).await), expected);

    // A question is removed with its counters.
    let gone = expected[2].clone();
    let v = version(&app, &rid).await;
    let r = app
        .call(
            "remove_round_question",
            &[("round_id", &rid), ("version", &v), ("question_id", &gone)],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    expected.remove(2);
    assert_eq!(ids(&round(&app, &lead, &rid).await), expected);
    let counters = app
        .count(&format!(
            "SELECT COUNT(*) FROM survey_counts WHERE question_id = '{gone}'"
        ))
        .await;
    assert_eq!(counters, 0);
    // Removing it again: stale (the version moved on), then not found.
    refused(
        &app.call(
            "remove_round_question",
            &[("round_id", &rid), ("version", &v), ("question_id", &gone)],
            Some(&lead),
        )
        .await,
        StatusCode::CONFLICT,
        "stale_version",
    );
    let v = version(&app, &rid).await;
    refused(
        &app.call(
            "remove_round_question",
            &[("round_id", &rid), ("version", &v), ("question_id", &gone)],
            Some(&lead),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // Adding checks the version when one is given; the question lands last.
    let add = |v: String, q: String| {
        let (app, rid, lead) = (&app, rid.clone(), lead.clone());
        async move {
            app.call(
                "add_round_question",
                &[
                    ("round_id", &rid),
                    ("id", &q),
                    ("theme", "culture"),
                    ("kind", "text"),
                    ("text_en", "Anything else?"),
                    ("text_zh", "还有什么？"),
                    ("options", ""),
                    ("distress_at", ""),
                    ("version", &v),
                ],
                Some(&lead),
            )
            .await
        }
    };
    let q = id();
    refused(
        &add("1".into(), q.clone()).await,
        StatusCode::CONFLICT,
        "stale_version",
    );
    let r = add(version(&app, &rid).await, q.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(ids(&round(&app, &lead, &rid).await).last(), Some(&q));

    // The last question stays.
    loop {
        let now = ids(&round(&app, &lead, &rid).await);
        let v = version(&app, &rid).await;
        let r = app
            .call(
                "remove_round_question",
                &[
                    ("round_id", &rid),
                    ("version", &v),
                    ("question_id", &now[0]),
                ],
                Some(&lead),
            )
            .await;
        if now.len() == 1 {
            refused(&r, StatusCode::CONFLICT, "last_question");
            break;
        }
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(ids(&round(&app, &lead, &rid).await).len(), 1);

    // Once open, the questions are locked.
    let (_, open) = create_round(&app, &lead, &[&org.a], json!({})).await;
    let open = open.as_str().unwrap().to_string();
    let qs = ids(&round(&app, &lead, &open).await);
    let v = version(&app, &open).await;
    let r = app
        .call(
            "move_round_question",
            &[
                ("round_id", &open),
                ("version", &v),
                ("question_id", &qs[1]),
                ("direction", "up"),
            ],
            Some(&lead),
        )
        .await;
    refused(&r, StatusCode::CONFLICT, "round_locked");
    let r = app
        .call(
            "remove_round_question",
            &[
                ("round_id", &open),
                ("version", &v),
                ("question_id", &qs[1]),
            ],
            Some(&lead),
        )
        .await;
    refused(&r, StatusCode::CONFLICT, "round_locked");
    assert_eq!(ids(&round(&app, &lead, &open).await), qs);
}

#[tokio::test]
async fn a_cancelled_round_never_opens_and_nobody_answers_it() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let other = app.sign_in("lead.o@example.com", PW).await;
    let a0 = app.sign_in("a0@example.com", PW).await;
    let rid = scheduled(&app, &lead, &[&org.a], json!({})).await;
    let cancel = |who: String, v: String| {
        let (app, rid) = (&app, rid.clone());
        async move {
            app.call(
                "cancel_round",
                &[("round_id", &rid), ("version", &v)],
                Some(&who),
            )
            .await
        }
    };
    let v = version(&app, &rid).await;
    for who in [&a0, &other] {
        refused(
            &cancel(who.clone(), v.clone()).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        );
    }
    refused(
        &cancel(lead.clone(), "0".into()).await,
        StatusCode::CONFLICT,
        "stale_version",
    );
    assert_eq!(
        round(&app, &lead, &rid).await["round"]["status"],
        "scheduled"
    );
    let r = cancel(lead.clone(), v.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A replay changes nothing.
    let r = cancel(lead.clone(), v.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        round(&app, &lead, &rid).await["round"]["status"],
        "cancelled"
    );
    // Kept in its owner's list, marked; not in the list of those it asked.
    let listed = |who: String| {
        let (app, rid) = (&app, rid.clone());
        async move {
            app.call("load_surveys", &[], Some(&who)).await.json()["rounds"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == rid.as_str())
                .cloned()
        }
    };
    assert_eq!(listed(lead.clone()).await.unwrap()["status"], "cancelled");
    assert!(listed(a0.clone()).await.is_none());
    // It can no longer be changed.
    let v = version(&app, &rid).await;
    refused(
        &edit(&app, &lead, &rid, &v, &[&org.a], &[]).await,
        StatusCode::CONFLICT,
        "round_cancelled",
    );
    let qs = round(&app, &lead, &rid).await["questions"].clone();
    let r = app
        .call(
            "remove_round_question",
            &[
                ("round_id", &rid),
                ("version", &v),
                ("question_id", qs[0]["id"].as_str().unwrap()),
            ],
            Some(&lead),
        )
        .await;
    refused(&r, StatusCode::CONFLICT, "round_cancelled");

    // Its window comes (here: is moved to now): it still never opens.
    sqlx::query("UPDATE survey_rounds SET opens_at = $1, closes_at = $2 WHERE id = $3")
        .bind(stamp(-1))
        .bind(stamp(1))
        .bind(&rid)
        .execute(&app.pool)
        .await
        .unwrap();
    let d = round(&app, &a0, &rid).await;
    assert_eq!(d["round"]["status"], "cancelled");
    let awaiting = app.call("surveys_awaiting", &[], Some(&a0)).await.json();
    assert!(
        awaiting
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"] != rid.as_str())
    );
    let r = submit(&app, &a0, &rid, &id(), &answers(&d, 4, 9, "")).await;
    refused(&r, StatusCode::CONFLICT, "round_not_open");
    let answered = count(
        &app,
        "SELECT COUNT(*) FROM survey_participation WHERE round_id = $1 AND answered = 1",
        &rid,
    )
    .await;
    assert_eq!(answered, 0);
    let r = app
        .call(
            "load_survey_results",
            &[("round_id", &rid), ("group", "")],
            Some(&lead),
        )
        .await;
    refused(&r, StatusCode::CONFLICT, "round_cancelled");
    // Nor can it be closed.
    let v = version(&app, &rid).await;
    let r = app
        .call(
            "close_round",
            &[("round_id", &rid), ("version", &v)],
            Some(&lead),
        )
        .await;
    refused(&r, StatusCode::CONFLICT, "round_not_open");

    // A cancelled pulse does not repeat, however long ago its window began.
    let pulse = scheduled(&app, &lead, &[&org.a], json!({"pulse": "weekly"})).await;
    let v = version(&app, &pulse).await;
    let r = app
        .call(
            "cancel_round",
            &[("round_id", &pulse), ("version", &v)],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    sqlx::query("UPDATE survey_rounds SET opens_at = $1, closes_at = $2 WHERE id = $3")
        .bind(stamp(-15))
        .bind(stamp(-14))
        .bind(&pulse)
        .execute(&app.pool)
        .await
        .unwrap();
    let _ = app.call("load_surveys", &[], Some(&lead)).await;
    let series = "SELECT COUNT(*) FROM survey_rounds WHERE series_id = $1";
    assert_eq!(count(&app, series, &pulse).await, 1);

    // An open round cannot be cancelled.
    let (_, open) = create_round(&app, &lead, &[&org.a], json!({})).await;
    let open = open.as_str().unwrap().to_string();
    let v = version(&app, &open).await;
    let r = app
        .call(
            "cancel_round",
            &[("round_id", &open), ("version", &v)],
            Some(&lead),
        )
        .await;
    refused(&r, StatusCode::CONFLICT, "round_locked");
    assert_eq!(round(&app, &lead, &open).await["round"]["status"], "open");
}

#[tokio::test]
async fn a_stopped_pulse_restarts_from_its_next_window() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let member = app.sign_in("a0@example.com", PW).await;
    // Opened 8 days ago, weekly: its second round opened yesterday.
    let (st, rid) = create_round(
        &app,
        &admin,
        &[&org.a],
        json!({"pulse": "weekly", "opens": local(-8 * 24 * 60), "closes": local(60)}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{rid}");
    let rid = rid.as_str().unwrap().to_string();
    let _ = app.call("load_surveys", &[], Some(&admin)).await;
    let series = "SELECT COUNT(*) FROM survey_rounds WHERE series_id = $1";
    assert_eq!(count(&app, series, &rid).await, 2);
    let second: String =
        sqlx::query_scalar("SELECT id FROM survey_rounds WHERE series_id = $1 AND id <> $1")
            .bind(&rid)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let restart = |who: String, v: String, pulse: &'static str| {
        let (app, rid) = (&app, rid.clone());
        async move {
            app.call(
                "restart_pulse",
                &[("round_id", &rid), ("version", &v), ("pulse", pulse)],
                Some(&who),
            )
            .await
        }
    };
    // A pulse that runs: restarting it at its cadence changes nothing; at
    // another, it is not a stopped pulse.
    let v = version(&app, &rid).await;
    let r = restart(admin.clone(), v.clone(), "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    refused(
        &restart(admin.clone(), v.clone(), "monthly").await,
        StatusCode::CONFLICT,
        "pulse_not_stopped",
    );
    // A round that never repeated cannot be restarted.
    let (_, once) = create_round(&app, &admin, &[&org.a], json!({})).await;
    let once = once.as_str().unwrap().to_string();
    let v1 = version(&app, &once).await;
    let r = app
        .call(
            "restart_pulse",
            &[("round_id", &once), ("version", &v1), ("pulse", "weekly")],
            Some(&admin),
        )
        .await;
    refused(&r, StatusCode::CONFLICT, "pulse_not_stopped");

    // Stopped: it keeps its cadence.
    let r = app
        .call("stop_pulse", &[("round_id", &rid)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = round(&app, &admin, &rid).await;
    assert_eq!(d["round"]["pulse"], "none");
    assert_eq!(d["round"]["stopped_pulse"], "weekly");
    // While stopped, its windows pass (here: its rounds are moved back):
    // the latest opened 20 days ago.
    for (id, opens) in [(&rid, -27), (&second, -20)] {
        sqlx::query("UPDATE survey_rounds SET opens_at = $1, closes_at = $2 WHERE id = $3")
            .bind(stamp(opens))
            .bind(stamp(opens + 1))
            .bind(id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let _ = app.call("load_surveys", &[], Some(&admin)).await;
    assert_eq!(
        count(&app, series, &rid).await,
        2,
        "a stopped pulse makes nothing"
    );

    // Refused: a member, a leader who does not manage it, a bad cadence, a stale version.
    let v = version(&app, &rid).await;
    for who in [&member, &lead] {
        refused(
            &restart(who.clone(), v.clone(), "").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        );
    }
    field(
        &restart(admin.clone(), v.clone(), "hourly").await,
        "invalid_choice",
        "pulse",
    );
    refused(
        &restart(admin.clone(), "1".into(), "").await,
        StatusCode::CONFLICT,
        "stale_version",
    );
    assert_eq!(round(&app, &admin, &rid).await["round"]["pulse"], "none");

    // Restarted: the windows missed while stopped (13 and 6 days ago) are
    // not made up for; the next begins tomorrow.
    let r = restart(admin.clone(), v.clone(), "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = round(&app, &admin, &rid).await;
    assert_eq!(d["round"]["pulse"], "weekly");
    assert!(d["round"]["stopped_pulse"].is_null());
    let _ = app.call("load_surveys", &[], Some(&admin)).await;
    assert_eq!(count(&app, series, &rid).await, 2);
    // A replay of the restart changes nothing.
    let r = restart(admin.clone(), v.clone(), "weekly").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Had it been restarted 5 days ago with its latest round 10 days old,
    // the window that began 3 days ago (after the restart) is made, once.
    for (id, opens) in [(&rid, -17), (&second, -10)] {
        sqlx::query(
            "UPDATE survey_rounds SET opens_at = $1, closes_at = $2, pulse_resumed_at = $3 WHERE id = $4",
        )
        .bind(stamp(opens))
        .bind(stamp(opens + 1))
        .bind(stamp(-5))
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let _ = app.call("load_surveys", &[], Some(&admin)).await;
    let _ = app.call("load_surveys", &[], Some(&admin)).await;
    assert_eq!(count(&app, series, &rid).await, 3);
    let newest: String = sqlx::query_scalar(
        "SELECT opens_at FROM survey_rounds WHERE series_id = $1 ORDER BY opens_at DESC LIMIT 1",
    )
    .bind(&rid)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(newest > stamp(-4) && newest < stamp(-2), "{newest}");
}

#[tokio::test]
async fn action_plans_are_edited_by_those_who_may_commit_to_them() {
    let app = demo_app().await;
    let org = make_org(&app).await;
    let lead = app.sign_in("lead.p@example.com", PW).await;
    let other = app.sign_in("lead.o@example.com", PW).await;
    let a0 = app.sign_in("a0@example.com", PW).await;
    let admin = app.sign_in("admin@example.com", PW).await;
    let (_, rid) = create_round(&app, &lead, &[&org.p], json!({})).await;
    let rid = rid.as_str().unwrap().to_string();
    assert_eq!(close(&app, &lead, &rid).await, StatusCode::OK);
    let a0_id = app.user_id("a0@example.com").await;
    let o0_id = app.user_id("o0@example.com").await;
    let action = id();
    let r = app
        .call(
            "create_survey_action",
            &[
                ("id", &action),
                ("round_id", &rid),
                ("team_id", &org.a),
                ("focus", "wellbeing"),
                ("action", "Fewer meetings"),
                ("owner_id", &a0_id),
                ("due_date", "2030-01-31"),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let plan_of = |who: String| {
        let (app, rid) = (&app, rid.clone());
        async move {
            let v = app
                .call(
                    "load_survey_results",
                    &[("round_id", &rid), ("group", "")],
                    Some(&who),
                )
                .await
                .json();
            v["actions"][0].clone()
        }
    };
    let mine = plan_of(lead.clone()).await;
    assert_eq!(
        (mine["can_edit"].as_bool(), mine["owner_id"].as_str()),
        (Some(true), Some(a0_id.as_str()))
    );
    // Nobody else is offered to change it.
    for who in [&a0, &other] {
        assert_ne!(plan_of(who.clone()).await["can_edit"], true);
    }
    let stored = || {
        let (app, action) = (&app, action.clone());
        async move {
            sqlx::query_as::<_, (String, String, String, String, i64)>(
                "SELECT focus, action, owner_id, due_date, version FROM survey_actions WHERE id = $1",
            )
            .bind(&action)
            .fetch_one(&app.pool)
            .await
            .unwrap()
        }
    };
    let before = stored().await;
    let v = before.4.to_string();
    let edit_action = |who: String, v: String, fields: Vec<(&'static str, String)>| {
        let (app, action) = (&app, action.clone());
        async move {
            let mut form: Vec<(&str, String)> = vec![
                ("id", action),
                ("version", v),
                ("focus", "balance".into()),
                ("action", "Quiet afternoons 安静的下午".into()),
                ("owner_id", a0_id_of(app).await),
                ("due_date", "2030-03-15".into()),
            ];
            for (k, val) in fields {
                form.retain(|(f, _)| *f != k);
                form.push((k, val));
            }
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("edit_survey_action", &pairs, Some(&who)).await
        }
    };
    // Refused: its owner (a member), the leader of another team.
    for who in [&a0, &other] {
        refused(
            &edit_action(who.clone(), v.clone(), vec![]).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        );
    }
    // Bad input at its field; nothing stored.
    field(
        &edit_action(lead.clone(), v.clone(), vec![("action", " ".into())]).await,
        "required",
        "action",
    );
    field(
        &edit_action(
            lead.clone(),
            v.clone(),
            vec![("due_date", "2030-02-31".into())],
        )
        .await,
        "invalid_date",
        "due_date",
    );
    field(
        &edit_action(lead.clone(), v.clone(), vec![("owner_id", o0_id.clone())]).await,
        "invalid_choice",
        "owner_id",
    );
    field(
        &edit_action(lead.clone(), v.clone(), vec![("focus", "mood".into())]).await,
        "invalid_choice",
        "focus",
    );
    assert_eq!(stored().await, before);

    let r = edit_action(lead.clone(), v.clone(), vec![]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = stored().await;
    assert_eq!(
        (
            after.0.as_str(),
            after.1.as_str(),
            after.3.as_str(),
            after.4
        ),
        (
            "balance",
            "Quiet afternoons 安静的下午",
            "2030-03-15",
            before.4 + 1
        )
    );
    // From the version it was read at: stale.
    refused(
        &edit_action(lead.clone(), v.clone(), vec![("action", "Later".into())]).await,
        StatusCode::CONFLICT,
        "stale_version",
    );
    // An admin may change it too.
    let r = edit_action(
        admin.clone(),
        after.4.to_string(),
        vec![("action", "Focus days".into())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(stored().await.1, "Focus days");
}

async fn a0_id_of(app: &App) -> String {
    app.user_id("a0@example.com").await
}

/// The CSV cells of an export (without its BOM).
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

/// A locale's strings (`locales/<name>.json`).
fn strings(name: &str) -> Value {
    let path = format!("{}/locales/{name}.json", crate::helpers::ROOT);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn the_results_export_speaks_the_viewers_language() {
    let app = demo_app().await;
    let admin = app.sign_in("admin@example.com", PW).await;
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
    // One of its teams is named like a formula.
    let team: String = sqlx::query_scalar(
        "SELECT team_id FROM survey_round_teams WHERE round_id = $1 ORDER BY team_id",
    )
    .bind(&closed)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE teams SET name = '=1+2 团队' WHERE id = $1")
        .bind(&team)
        .execute(&app.pool)
        .await
        .unwrap();
    let questions = round(&app, &admin, &closed).await["questions"].clone();
    let path = format!("/surveys/{closed}/export.csv");
    for lang in ["en", "zh"] {
        let r = app
            .call("set_language", &[("language", lang)], Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.get(&path, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let rows = cells(&r.body);
        let s = strings(lang);
        let csv = &s["surveys"]["csv"];
        let header: Vec<String> = [
            "group",
            "respondents",
            "theme",
            "question",
            "favourability",
            "enps",
            "distribution",
        ]
        .iter()
        .map(|k| csv[k].as_str().unwrap().to_string())
        .collect();
        assert_eq!(rows[0], header, "{lang}");
        assert_eq!(
            rows[1][0],
            s["surveys"]["overall"].as_str().unwrap(),
            "{lang}"
        );
        // Themes by their names in the viewer's language; questions in it.
        let themes: Vec<&str> = s["surveys"]["theme"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_str().unwrap())
            .collect();
        let texts: Vec<&str> = questions
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                q[if lang == "zh" { "text_zh" } else { "text_en" }]
                    .as_str()
                    .unwrap()
            })
            .collect();
        let shown: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[1] != csv["hidden"]).collect();
        assert!(!shown.is_empty());
        for row in &shown {
            assert!(themes.contains(&row[2].as_str()), "{lang}: {row:?}");
            assert!(
                row[3].is_empty() || texts.contains(&row[3].as_str()),
                "{lang}: {row:?}"
            );
        }
        assert!(shown.iter().any(|r| !r[3].is_empty()));
        // Text cells still never run as formulas.
        assert!(
            rows.iter().any(|r| r[0] == "'=1+2 团队"),
            "{lang}: {rows:?}"
        );
        for row in &rows {
            for i in [0, 2, 3] {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                assert!(!cell.starts_with(['=', '+', '-', '@']), "{lang}: {row:?}");
            }
        }
    }
}
