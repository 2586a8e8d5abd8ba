//! Backlogs and requirements: intake and search, scores and the rank order,
//! manual moves, permissions, the lifecycle with votes and evidence, merging
//! duplicates, and what a submitter sees. The list, the dashboard, CSV and
//! priority poker are in `backlog_planning`.
use crate::helpers::{App, Call, FORBIDDEN, assert_refused, demo_app, rice_call, titles};
use axum::http::StatusCode;

impl App {
    async fn keys(&self, backlog: &str) -> Vec<(String, String)> {
        sqlx::query_as("SELECT id, rank_key FROM requirements WHERE backlog_id = $1 ORDER BY id")
            .bind(backlog)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn members_submit_once_per_client_id_and_search_finds_chinese_words() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let id = uuid::Uuid::new_v4().to_string();
    let form = [
        ("id", id.as_str()),
        ("backlog_id", backlog.as_str()),
        ("title", "用户登录失败"),
        ("description", "安卓手机上偶发"),
        ("source", "support"),
        ("requester", "客服小李"),
        ("customer", "ACME"),
        ("segment", "企业"),
        ("links", "https://example.com/ticket/1"),
    ];
    let a = app.call("submit_requirement", &form, Some(&member)).await;
    let b = app.call("submit_requirement", &form, Some(&member)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["id"], b.json()["id"]);
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 1);
    app.submit(&member, &backlog, "导出报表", "管理层需要 Excel")
        .await;
    assert_eq!(
        titles(&app.ranked(&member, &backlog, "登录").await),
        vec!["用户登录失败"]
    );
    assert_eq!(
        titles(&app.ranked(&member, &backlog, "Excel").await),
        vec!["导出报表"]
    );
    assert_eq!(
        app.ranked(&member, &backlog, "100%").await.len(),
        0,
        "wildcards are literal"
    );
    // A bad link is refused at its field, and nothing is stored.
    let mut bad = form;
    let other = uuid::Uuid::new_v4().to_string();
    bad[0].1 = &other;
    bad[8].1 = "javascript:alert(1)";
    let r = app.call("submit_requirement", &bad, Some(&member)).await;
    assert_eq!(r.error_code(), "invalid_link");
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 2);
}

#[tokio::test]
async fn a_score_change_rewrites_only_that_requirements_key() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let mut reqs = Vec::new();
    for (title, reach) in [("A", 300.0), ("B", 200.0), ("C", 100.0)] {
        let r = app.submit(&pm, &backlog, title, "").await;
        let scored = app.rice(&pm, &r, reach).await;
        assert_eq!(scored.status, StatusCode::OK, "{}", scored.body);
        reqs.push(scored.json());
    }
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "").await),
        vec!["A", "B", "C"]
    );
    let before = app.keys(&backlog).await;
    // C's reach grows past A's: C moves to the top, and only C's key changes.
    let c = app.rice(&pm, &reqs[2], 400.0).await;
    assert_eq!(c.json()["score"], 400.0);
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "").await),
        vec!["C", "A", "B"]
    );
    let after = app.keys(&backlog).await;
    let changed: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, _)| x.0.clone())
        .collect();
    assert_eq!(changed, vec![reqs[2]["id"].as_str().unwrap().to_string()]);
    // Every input change is kept.
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_events WHERE kind = 'score'")
            .await,
        4
    );
    // Out-of-scale input is refused at its field.
    let input = serde_json::json!({"framework": "rice", "reach": 1.0, "impact": 1.5, "confidence": 100.0, "effort": 1.0});
    let r = app
        .call(
            "score_requirement",
            &[
                ("id", reqs[0]["id"].as_str().unwrap()),
                ("version", "2"),
                ("input", &input.to_string()),
            ],
            Some(&pm),
        )
        .await;
    assert_eq!(r.error_code(), "out_of_scale");
    assert_eq!(r.json()["field"], "impact");
}

#[tokio::test]
async fn a_manual_move_writes_one_row_pins_it_and_reset_restores_score_order() {
    let app = demo_app().await;
    let pm = app.sign_in("pm4@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let mut ids = Vec::new();
    for (title, reach) in [("A", 300.0), ("B", 200.0), ("C", 100.0)] {
        let r = app.submit(&pm, &backlog, title, "").await;
        ids.push(app.rice(&pm, &r, reach).await.json());
    }
    let before = app.keys(&backlog).await;
    // Drag C to the top.
    let r = app
        .call(
            "move_requirement",
            &[("id", ids[2]["id"].as_str().unwrap()), ("after_id", "")],
            Some(&pm),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["pinned"], true);
    let after = app.keys(&backlog).await;
    assert_eq!(
        before
            .iter()
            .zip(&after)
            .filter(|(x, y)| x.1 != y.1)
            .count(),
        1
    );
    let rows = app.ranked(&pm, &backlog, "").await;
    assert_eq!(titles(&rows), vec!["C", "A", "B"]);
    assert_eq!(
        rows[0]["out_of_order"], true,
        "manual order disagrees with score order"
    );
    // A pinned requirement stays put when its score changes.
    let c = rows[0].clone();
    app.rice(&pm, &c, 50.0).await;
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "").await),
        vec!["C", "A", "B"]
    );
    let r = app
        .call("reset_order", &[("backlog_id", &backlog)], Some(&pm))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = app.ranked(&pm, &backlog, "").await;
    assert_eq!(titles(&rows), vec!["A", "B", "C"]);
    assert!(
        rows.iter()
            .all(|r| r["pinned"] == false && r["out_of_order"] == false)
    );
}

#[tokio::test]
async fn backlog_permissions_are_checked_on_the_server() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let req = app.submit(&pm, &backlog, "Dark mode", "").await;
    let rid = req["id"].as_str().unwrap();
    // A member may submit and vote, not score, move or change state.
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let st = [
        ("id", rid),
        ("version", "1"),
        ("status", "planned"),
        ("reason", ""),
        ("duplicate_of", ""),
    ];
    let calls = [
        rice_call(&req, 10.0),
        Call::form("move_requirement", &[("id", rid), ("after_id", "")]),
        Call::form("reset_order", &[("backlog_id", &backlog)]),
        Call::form("change_status", &st),
    ];
    assert_refused(&app, &[("member3", Some(&member))], &calls, FORBIDDEN).await;
    // A PM of another team, and the other team's leader, are refused too.
    for email in ["pm6@example.com", "lead2@example.com"] {
        let other = app.sign_in(email, "keel-demo").await;
        let calls = [rice_call(&req, 10.0), Call::form("change_status", &st)];
        assert_refused(&app, &[(email, Some(&other))], &calls, FORBIDDEN).await;
    }
    // Growth sits under Product: its leader may edit and hand the backlog over; a PM may not hand it over.
    let lead = app.sign_in("lead1@example.com", "keel-demo").await;
    assert_eq!(app.rice(&lead, &req, 10.0).await.status, StatusCode::OK);
    let pm4 = app.user_id("pm4@example.com").await;
    let hand = [
        ("id", backlog.as_str()),
        ("version", "1"),
        ("owner_id", pm4.as_str()),
    ];
    assert_eq!(
        app.call("reassign_backlog", &hand, Some(&pm))
            .await
            .error_code(),
        "forbidden"
    );
    let r = app.call("reassign_backlog", &hand, Some(&lead)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["owner_id"], pm4.as_str());
    // Creating a backlog for a team one does not work in is refused.
    let team = app.team_id("Platform").await;
    let owner = app.user_id("pm6@example.com").await;
    let id = uuid::Uuid::new_v4().to_string();
    let r = app
        .call(
            "create_backlog",
            &[
                ("id", &id),
                ("team_id", &team),
                ("owner_id", &owner),
                ("name", "X"),
                ("framework", "ice"),
            ],
            Some(&pm),
        )
        .await;
    assert_eq!(r.error_code(), "forbidden");
    // Nobody signed in: refused.
    assert_eq!(
        app.call("backlogs", &[], None).await.error_code(),
        "not_signed_in"
    );
}

#[tokio::test]
async fn lifecycle_votes_and_evidence() {
    let app = demo_app().await;
    let pm = app.sign_in("pm5@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let req = app.submit(&pm, &backlog, "SSO", "").await;
    let kept = app.submit(&pm, &backlog, "Single sign-on", "").await;
    let rid = req["id"].as_str().unwrap();
    let to = |status: &'static str, version: &'static str| {
        [
            ("id", rid),
            ("version", version),
            ("status", status),
            ("reason", ""),
            ("duplicate_of", ""),
        ]
    };
    assert_eq!(
        app.call("change_status", &to("done", "1"), Some(&pm))
            .await
            .status,
        StatusCode::OK
    );
    let r = app.call("change_status", &to("new", "2"), Some(&pm)).await;
    assert_eq!(r.error_code(), "invalid_transition");
    // Rejecting needs a reason.
    let req2 = app.submit(&pm, &backlog, "Fax export", "").await;
    let id2 = req2["id"].as_str().unwrap();
    let r = app
        .call(
            "change_status",
            &[
                ("id", id2),
                ("version", "1"),
                ("status", "rejected"),
                ("reason", " "),
                ("duplicate_of", ""),
            ],
            Some(&pm),
        )
        .await;
    assert_eq!(r.json()["field"], "reason");
    let r = app
        .call(
            "change_status",
            &[
                ("id", id2),
                ("version", "1"),
                ("status", "duplicate"),
                ("reason", ""),
                ("duplicate_of", kept["id"].as_str().unwrap()),
            ],
            Some(&pm),
        )
        .await;
    assert_eq!(r.json()["status"], "duplicate");
    // One vote per person; a replayed vote stays one vote; taking it back
    // withdraws it (and a replay of that changes nothing either).
    let member = app.sign_in("member4@example.com", "keel-demo").await;
    let kid = kept["id"].as_str().unwrap();
    let vote = [("id", kid), ("voted", "true")];
    let unvote = [("id", kid), ("voted", "false")];
    assert_eq!(
        app.call("set_vote", &vote, Some(&member)).await.json()["votes"],
        1
    );
    assert_eq!(
        app.call("set_vote", &vote, Some(&member)).await.json()["votes"],
        1
    );
    assert_eq!(
        app.call("set_vote", &vote, Some(&pm)).await.json()["votes"],
        2
    );
    let r = app.call("set_vote", &unvote, Some(&member)).await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["voted"].as_bool()),
        (Some(1), Some(false))
    );
    let r = app.call("set_vote", &unvote, Some(&member)).await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["voted"].as_bool()),
        (Some(1), Some(false))
    );
    // Evidence, stored once per client id.
    let eid = uuid::Uuid::new_v4().to_string();
    let ev = [
        ("id", eid.as_str()),
        ("requirement_id", kid),
        ("kind", "customer_quote"),
        ("body", "“我们每天要登录五个系统”"),
        ("source", "客户访谈"),
    ];
    assert_eq!(
        app.call("add_evidence", &ev, Some(&member)).await.status,
        StatusCode::OK
    );
    app.call("add_evidence", &ev, Some(&member)).await;
    assert_eq!(app.count_made("SELECT COUNT(*) FROM evidence").await, 1);
    // Each transition records who and when; marking a duplicate is a merge.
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_events WHERE kind = 'status'")
            .await,
        1
    );
    assert_eq!(
        app.count_made("SELECT COUNT(*) FROM requirement_events WHERE kind = 'merge'")
            .await,
        1
    );
}

#[tokio::test]
async fn merging_a_duplicate_moves_votes_and_evidence_and_can_be_undone_until_a_state_change() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let kept = app.submit(&pm, &backlog, "单点登录", "").await;
    let dup = app.submit(&pm, &backlog, "SSO login", "").await;
    let (kid, did) = (kept["id"].as_str().unwrap(), dup["id"].as_str().unwrap());
    let m1 = app.sign_in("member1@example.com", "keel-demo").await;
    let m2 = app.sign_in("member2@example.com", "keel-demo").await;
    // m1 voted for both (counts once after the merge), m2 only for the duplicate.
    app.call("set_vote", &[("id", kid), ("voted", "true")], Some(&m1))
        .await;
    app.call("set_vote", &[("id", did), ("voted", "true")], Some(&m1))
        .await;
    app.call("set_vote", &[("id", did), ("voted", "true")], Some(&m2))
        .await;
    let eid = uuid::Uuid::new_v4().to_string();
    app.call(
        "add_evidence",
        &[
            ("id", &eid),
            ("requirement_id", did),
            ("kind", "research_finding"),
            ("body", "12 of 15 interviewees asked for SSO"),
            ("source", "Q3 interviews"),
        ],
        Some(&m2),
    )
    .await;
    // A member cannot merge.
    assert_eq!(
        app.status_to(&m1, did, 1, "duplicate", kid)
            .await
            .error_code(),
        "forbidden"
    );
    // A requirement is not its own duplicate.
    let r = app.status_to(&pm, did, 1, "duplicate", did).await;
    assert_eq!(r.json()["field"], "duplicate_of");
    let r = app.status_to(&pm, did, 1, "duplicate", kid).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let k = app.detail(&pm, kid).await;
    assert_eq!(k["row"]["votes"], 2, "m1 counts once, m2's vote moved");
    assert_eq!(
        k["evidence"][0]["body"],
        "12 of 15 interviewees asked for SSO"
    );
    assert_eq!(k["merged_here"][0][1], "SSO login");
    let d = app.detail(&pm, did).await;
    assert_eq!(d["duplicate_of"][0], kid);
    assert_eq!(d["can_undo_merge"], true);
    assert_eq!(
        d["row"]["votes"], 1,
        "m1's own vote stays with the duplicate"
    );
    // The member sees it but may not undo it.
    assert_eq!(app.detail(&m1, did).await["can_undo_merge"], false);
    let v = d["row"]["version"].to_string();
    assert_eq!(
        app.call("undo_merge", &[("id", did), ("version", &v)], Some(&m1))
            .await
            .error_code(),
        "forbidden"
    );
    // Undo: state, votes and evidence come back.
    let r = app
        .call("undo_merge", &[("id", did), ("version", &v)], Some(&pm))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "new");
    assert_eq!(r.json()["votes"], 2);
    assert_eq!(app.detail(&pm, kid).await["row"]["votes"], 1);
    assert_eq!(
        app.detail(&pm, did).await["evidence"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Merge again, then the kept one changes state: the merge stays for good.
    let ver = r.json()["version"].as_i64().unwrap();
    app.status_to(&pm, did, ver, "duplicate", kid).await;
    let kv = app.detail(&pm, kid).await["row"]["version"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.status_to(&pm, kid, kv, "under_review", "").await.status,
        StatusCode::OK
    );
    let d = app.detail(&pm, did).await;
    assert_eq!(d["can_undo_merge"], false);
    let v = d["row"]["version"].to_string();
    assert_eq!(
        app.call("undo_merge", &[("id", did), ("version", &v)], Some(&pm))
            .await
            .error_code(),
        "invalid_transition"
    );
    // The history names who did what.
    let kinds: Vec<String> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{} {}",
                h["kind"].as_str().unwrap(),
                h["actor_name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(
        // Newest first (issue 17): the unmerge, then the merge.
        kinds[2].starts_with("merge ") && kinds[1].starts_with("unmerge "),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_submitter_sees_what_happened_to_their_requirement() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let member = app.sign_in("member5@example.com", "keel-demo").await;
    let mine = app.submit(&member, &backlog, "导出到 Excel", "").await;
    app.submit(&pm, &backlog, "Someone else's", "").await;
    let r = app.call("my_requirements", &[], Some(&member)).await;
    let list = r.json()["rows"].clone();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["status"], "new");
    assert_eq!(list[0]["position"], 1);
    app.status_to(&pm, mine["id"].as_str().unwrap(), 1, "rejected", "")
        .await;
    let list = app.call("my_requirements", &[], Some(&member)).await.json()["rows"].clone();
    assert_eq!(list[0]["status"], "rejected");
    assert_eq!(list[0]["reject_reason"], "不做了");
    assert!(list[0]["position"].is_null());
    assert_eq!(
        app.call("my_requirements", &[], None).await.error_code(),
        "not_signed_in"
    );
}

/// README command 1's demo organisation: a newcomer's first look at the
/// backlog finds two scored backlogs, not an empty page.
#[tokio::test]
async fn the_demo_organisation_has_two_backlogs_to_look_at() {
    let app = demo_app().await;
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let r = app.call("backlogs", &[], Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    let list = list.as_array().unwrap();
    let find = |framework: &str| {
        list.iter()
            .find(|b| b["framework"] == framework)
            .unwrap_or_else(|| panic!("a {framework} backlog in {list:?}"))
            .clone()
    };
    let (product, platform) = (find("rice"), find("wsjf"));
    assert!(product["name"].as_str().unwrap().contains("Product"));
    assert!(platform["name"].as_str().unwrap().contains("Platform"));
    for backlog in [&product, &platform] {
        let id = backlog["id"].as_str().unwrap();
        assert!(backlog["requirements"].as_i64().unwrap() >= 10, "{backlog}");
        let scoped = |sql: &str| sql.replace("$1", &format!("'{id}'"));
        assert!(
            app.count(&scoped(
                "SELECT COUNT(DISTINCT status) FROM requirements WHERE backlog_id = $1"
            ))
            .await
                >= 5
        );
        for table in ["votes", "evidence", "requirement_labels"] {
            let sql = format!(
                "SELECT COUNT(*) FROM {table} WHERE requirement_id IN (SELECT id FROM requirements WHERE backlog_id = $1)"
            );
            assert!(app.count(&scoped(&sql)).await > 0, "{table} in {id}");
        }
        // Titles in both languages.
        let rows = app.ranked(&member, id, "").await;
        for row in &rows {
            let title = row["title"].as_str().unwrap();
            assert!(
                title
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{title}"
            );
            assert!(title.chars().any(|c| c.is_ascii_alphabetic()), "{title}");
        }
        // Below anything placed by hand, the list follows the scores.
        let scores: Vec<f64> = rows
            .iter()
            .filter(|r| r["pinned"] == false)
            .filter_map(|r| r["score"].as_f64())
            .collect();
        assert!(scores.len() >= 8);
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }
    // One requirement of the Product backlog was placed at the top by hand.
    let rows = app
        .ranked(&member, product["id"].as_str().unwrap(), "")
        .await;
    assert_eq!(rows[0]["pinned"], true, "{}", rows[0]);
    assert_eq!(rows.iter().filter(|r| r["pinned"] == true).count(), 1);
    // A finished poker round with an accepted value for each of its items.
    let lead = app.sign_in("lead1@example.com", "keel-demo").await;
    let r = app
        .call(
            "poker_rounds",
            &[("backlog_id", product["id"].as_str().unwrap())],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rounds = r.json();
    let round = &rounds.as_array().unwrap()[0];
    let r = app
        .call(
            "poker_round",
            &[("id", round["id"].as_str().unwrap())],
            Some(&lead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let detail = r.json();
    assert_eq!(detail["closed"], true, "{detail}");
    let items = detail["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| !i["accepted"].is_null()), "{detail}");
}
