//! Working with a whole backlog: CSV import and export, the paged, filtered
//! and sorted list, why a requirement moved, the dashboard, and priority
//! poker rounds.
use crate::helpers::{
    Call, NO_SESSION, NOT_SIGNED_IN, assert_refused, demo_app, intake_cells, titles,
};
use axum::http::{StatusCode, header};

#[tokio::test]
async fn csv_import_previews_reports_bad_rows_and_round_trips_through_export() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let text = "标题,描述,来源,提出人,标签\n用户登录失败,安卓偶发,客服,小李,登录;mobile\n,没有标题,sales,,\n导出报表,\"多行\n描述\",sales,,\n";
    let (gb, _, _) = encoding_rs_like_gb18030(text);
    let batch = uuid::Uuid::new_v4().to_string();
    // Preview: one bad row (row 3, title), two valid; nothing stored.
    let r = app.import(&pm, &backlog, &batch, &gb, false, false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["valid_rows"], 2);
    assert_eq!(r.json()["errors"][0]["row"], 3);
    assert_eq!(r.json()["errors"][0]["column"], "title");
    // Committing a file with errors imports nothing unless asked for the valid rows only.
    let r = app.import(&pm, &backlog, &batch, &gb, true, false).await;
    assert_eq!(r.json()["imported"], 0);
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 0);
    let r = app.import(&pm, &backlog, &batch, &gb, true, true).await;
    assert_eq!(r.json()["imported"], 2);
    // The same batch again stores nothing new.
    let r = app.import(&pm, &backlog, &batch, &gb, true, true).await;
    assert_eq!(r.json()["imported"], 0);
    assert_eq!(app.count_made("SELECT COUNT(*) FROM requirements").await, 2);
    assert_eq!(
        titles(&app.ranked(&pm, &backlog, "登录").await),
        vec!["用户登录失败"]
    );

    // Export in rank order, UTF-8 with BOM; importing it elsewhere gives the same file back.
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let r = app
        .get(&format!("/backlog/{backlog}/export.csv"), Some(&member))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let exported = r.body.clone();
    assert!(exported.starts_with('\u{feff}'));
    assert!(exported.contains("用户登录失败"));
    let second = app.growth_backlog(&pm).await;
    let r = app
        .import(
            &pm,
            &second,
            &uuid::Uuid::new_v4().to_string(),
            exported.as_bytes(),
            true,
            false,
        )
        .await;
    assert_eq!(r.json()["imported"], 2, "{}", r.body);
    let again = app
        .get(&format!("/backlog/{second}/export.csv"), Some(&member))
        .await;
    assert_eq!(intake_cells(&again.body), intake_cells(&exported));
    // Not signed in: sent to sign in, no data.
    let r = app
        .get(&format!("/backlog/{backlog}/export.csv"), None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

/// GB18030 bytes of a text (for CJK text the GBK subset is enough; encoded by hand
/// through the lib's decoder's inverse would need a dependency, so use a fixture
/// that the decoder must read).
fn encoding_rs_like_gb18030(text: &str) -> (Vec<u8>, (), ()) {
    (keel::backlog::csv::encode_gb18030_for_tests(text), (), ())
}

#[tokio::test]
async fn the_list_is_paged_filtered_by_label_and_owner_and_sorted() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let mut csv = String::from("title,source,labels\n");
    for i in 0..120 {
        let label = if i % 10 == 0 { "mobile" } else { "web" };
        csv.push_str(&format!("Requirement {i:03},customer,{label}\n"));
    }
    let batch = uuid::Uuid::new_v4().to_string();
    let r = app
        .import(&pm, &backlog, &batch, csv.as_bytes(), true, false)
        .await;
    assert_eq!(r.json()["imported"], 120, "{}", r.body);
    let p0 = app.page(&pm, &backlog, &[], 0).await;
    assert_eq!(p0["total"], 120);
    assert_eq!(p0["rows"].as_array().unwrap().len(), 50);
    assert_eq!(p0["before"].as_array().unwrap().len(), 0);
    assert_eq!(p0["rows"][0]["title"], "Requirement 000");
    assert_eq!(p0["rows"][49]["title"], "Requirement 049");
    let p1 = app.page(&pm, &backlog, &[], 50).await;
    assert_eq!(p1["rows"][0]["title"], "Requirement 050");
    assert_eq!(
        p1["before"].as_array().unwrap().len(),
        2,
        "neighbours above the page"
    );
    assert!(p1["after"].is_string());
    let last = app.page(&pm, &backlog, &[], 100).await;
    assert_eq!(last["rows"].as_array().unwrap().len(), 20);
    assert!(last["after"].is_null());
    // Moving the first row of page 2 up one place, across the page edge.
    let id50 = p1["rows"][0]["id"].as_str().unwrap().to_string();
    let above = p1["before"][0].as_str().unwrap().to_string();
    let r = app
        .call(
            "move_requirement",
            &[("id", &id50), ("after_id", &above)],
            Some(&pm),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p0 = app.page(&pm, &backlog, &[], 0).await;
    assert_eq!(p0["rows"][49]["title"], "Requirement 050");
    // Label filter.
    let mobile = app.page(&pm, &backlog, &[("label", "mobile")], 0).await;
    assert_eq!(mobile["total"], 12);
    assert_eq!(mobile["rows"][0]["labels"][0], "mobile");
    // Owner: name pm4 on one requirement; a member may not.
    let rid = p0["rows"][3]["id"].as_str().unwrap().to_string();
    let owner = app.user_id("pm4@example.com").await;
    let member = app.sign_in("member3@example.com", "keel-demo").await;
    let upd = |who: String| {
        let (rid, owner) = (rid.clone(), owner.clone());
        let app = &app;
        async move {
            app.call(
                "update_requirement",
                &[
                    ("id", &rid),
                    ("version", "1"),
                    ("owner_id", &owner),
                    ("labels", "移动端，web"),
                ],
                Some(&who),
            )
            .await
        }
    };
    assert_eq!(upd(member.clone()).await.error_code(), "forbidden");
    let r = upd(pm.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["labels"], serde_json::json!(["web", "移动端"]));
    let owned = app.page(&pm, &backlog, &[("owner", &owner)], 0).await;
    assert_eq!(owned["total"], 1);
    assert_eq!(owned["rows"][0]["owner_name"], r.json()["owner_name"]);
    assert_eq!(
        app.page(&pm, &backlog, &[("owner", "none")], 0).await["total"],
        119
    );
    // Sorted by votes: the voted one comes first.
    let last_id = app.page(&pm, &backlog, &[], 100).await["rows"][19]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.call(
        "set_vote",
        &[("id", &last_id), ("voted", "true")],
        Some(&member),
    )
    .await;
    let by_votes = app.page(&pm, &backlog, &[("sort", "votes")], 0).await;
    assert_eq!(by_votes["rows"][0]["id"], last_id.as_str());
    let newest = app.page(&pm, &backlog, &[("sort", "newest")], 0).await;
    assert_eq!(newest["total"], 120);
}

#[tokio::test]
async fn why_did_this_move_lists_changes_since_a_date_with_who_made_them() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    let a = app.submit(&pm, &backlog, "A", "").await;
    let b = app.submit(&pm, &backlog, "B", "").await;
    let a = app.rice(&pm, &a, 100.0).await.json();
    app.rice(&pm, &b, 50.0).await;
    let pm4 = app.sign_in("pm4@example.com", "keel-demo").await;
    // pm4 raises B above A: A moved down because of B's new reach.
    let b = app.detail(&pm, b["id"].as_str().unwrap()).await["row"].clone();
    app.rice(&pm4, &b, 500.0).await;
    // "Today" is the organisation's (Shanghai), not UTC's.
    let today = keel::server::clock::OrgClock::new("Asia/Shanghai")
        .today()
        .0;
    let aid = a["id"].as_str().unwrap();
    let r = app
        .call("why_moved", &[("id", aid), ("since", &today)], Some(&pm))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["requirement_title"], "B");
    assert_eq!(last["kind"], "score");
    assert_eq!(last["changes"][0]["field"], "reach");
    assert_eq!(
        (
            last["changes"][0]["from"].as_f64(),
            last["changes"][0]["to"].as_f64()
        ),
        (Some(50.0), Some(500.0))
    );
    assert_ne!(
        last["actor_name"], list[0]["actor_name"],
        "pm4 made B's change"
    );
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|e| e["requirement_title"] == "A" && e["kind"] == "score")
    );
    assert_eq!(last["now_above"], true, "B is now above A");
    // C, above A, drops below it: A rose because of C's change, and C is
    // listed although it is now ranked below A.
    let c = app.submit(&pm, &backlog, "C", "").await;
    let c = app.rice(&pm, &c, 300.0).await.json();
    app.rice(&pm4, &c, 10.0).await;
    let r = app
        .call("why_moved", &[("id", aid), ("since", &today)], Some(&pm))
        .await;
    let list = r.json();
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["requirement_title"].as_str(), last["kind"].as_str()),
        (Some("C"), Some("score"))
    );
    assert_eq!(last["now_above"], false, "C is now below A");
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["requirement_title"] == "A")
            .all(|e| e["now_above"].is_null())
    );
    // Tomorrow (the organisation's): nothing yet.
    let tomorrow = (time::Date::parse(
        &today,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap()
        + time::Duration::days(1))
    .to_string();
    let r = app
        .call("why_moved", &[("id", aid), ("since", &tomorrow)], Some(&pm))
        .await;
    assert_eq!(r.json().as_array().unwrap().len(), 0);
    let r = app
        .call(
            "why_moved",
            &[("id", aid), ("since", "last week")],
            Some(&pm),
        )
        .await;
    assert_eq!(r.json()["field"], "since");
    // Not signed in: refused.
    let r = app
        .call("why_moved", &[("id", aid), ("since", &today)], None)
        .await;
    assert_eq!(r.error_code(), "not_signed_in");
}

#[tokio::test]
async fn the_backlog_dashboard_counts_ranks_ages_and_intake() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    let backlog = app.growth_backlog(&pm).await;
    for (t, reach) in [("A", 10.0), ("B", 30.0), ("C", 20.0)] {
        let r = app.submit(&pm, &backlog, t, "").await;
        app.rice(&pm, &r, reach).await;
    }
    let r = app.submit(&pm, &backlog, "D", "").await;
    app.status_to(&pm, r["id"].as_str().unwrap(), 1, "planned", "")
        .await;
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    let r = app
        .call(
            "backlog_overview",
            &[("backlog_id", &backlog)],
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let o = r.json();
    assert_eq!(o["total"], 4);
    let count = |s: &str| {
        o["counts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[0] == s)
            .unwrap()[1]
            .as_i64()
            .unwrap()
    };
    assert_eq!((count("new"), count("planned")), (3, 1));
    let top: Vec<&str> = o["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[1].as_str().unwrap())
        .collect();
    assert_eq!(top, vec!["B", "C", "A"]);
    let ages = o["time_in_state"].as_array().unwrap();
    assert_eq!(ages[0]["count"], 3);
    let weeks = o["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 8);
    let this_week = &weeks[7]["counts"];
    assert_eq!(this_week[0], serde_json::json!(["customer", 4]));
    // Every read of the backlog needs a session.
    let rid = o["top"][0][0].as_str().unwrap().to_string();
    let reads = [
        Call::form("backlog_overview", &[("backlog_id", &backlog)]),
        Call::form("backlog_labels", &[("backlog_id", &backlog)]),
        Call::form("requirement_detail", &[("id", &rid)]),
        Call::form("poker_rounds", &[("backlog_id", &backlog)]),
    ];
    assert_refused(&app, &[NO_SESSION], &reads, NOT_SIGNED_IN).await;
}

#[tokio::test]
async fn a_priority_poker_round_hides_estimates_until_submitted_and_ends_with_an_accepted_value() {
    let app = demo_app().await;
    let pm = app.sign_in("pm3@example.com", "keel-demo").await;
    // A WSJF backlog of the Growth team.
    let backlog = uuid::Uuid::new_v4().to_string();
    let team = app.team_id("Growth").await;
    let owner = app.user_id("pm3@example.com").await;
    app.call(
        "create_backlog",
        &[
            ("id", &backlog),
            ("team_id", &team),
            ("owner_id", &owner),
            ("name", "WSJF"),
            ("framework", "wsjf"),
        ],
        Some(&pm),
    )
    .await;
    let req = app.submit(&pm, &backlog, "Checkout redesign", "").await;
    let rid = req["id"].as_str().unwrap().to_string();
    let m1 = app.user_id("member1@example.com").await;
    let p5 = app.user_id("pm5@example.com").await;
    let p4 = app.user_id("pm4@example.com").await;
    let round = uuid::Uuid::new_v4().to_string();
    let open = serde_json::json!({"id": round, "backlog_id": backlog, "title": "Q4 sizing",
        "requirement_ids": [rid], "invitees": [m1, p5, p4]});
    // A member cannot open a round.
    let member = app.sign_in("member1@example.com", "keel-demo").await;
    assert_eq!(
        app.call_json("open_poker_round", open.clone(), Some(&member))
            .await
            .error_code(),
        "forbidden"
    );
    let r = app
        .call_json("open_poker_round", open.clone(), Some(&pm))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same id twice opens one round.
    app.call_json("open_poker_round", open, Some(&pm)).await;
    assert_eq!(app.count_made("SELECT COUNT(*) FROM poker_rounds").await, 1);
    let est = |bv: f64, js: f64| {
        serde_json::json!({"framework": "wsjf", "business_value": bv, "time_criticality": 3.0,
            "risk_reduction": 1.0, "job_size": js})
        .to_string()
    };
    let save = |who: String, input: String, submit: bool| {
        let body =
            serde_json::json!({"round_id": round, "estimates": [[rid, input]], "submit": submit});
        let app = &app;
        async move { app.call_json("save_estimates", body, Some(&who)).await }
    };
    let p5c = app.sign_in("pm5@example.com", "keel-demo").await;
    assert_eq!(
        save(p5c.clone(), est(13.0, 8.0), true).await.status,
        StatusCode::OK
    );
    // A replayed save (the outbox, a double click) stores the estimate once.
    assert_eq!(
        save(p5c.clone(), est(13.0, 8.0), true).await.status,
        StatusCode::OK
    );
    let stored = format!("SELECT COUNT(*) FROM poker_estimates WHERE round_id = '{round}'");
    assert_eq!(app.count(&stored).await, 1);
    // Off-scale estimates are refused at their field.
    let r = save(member.clone(), est(4.0, 5.0), false).await;
    assert_eq!(r.json()["field"], "business_value");
    // Before submitting, the member sees only their own draft.
    save(member.clone(), est(3.0, 5.0), false).await;
    let view = app
        .call("poker_round", &[("id", &round)], Some(&member))
        .await
        .json();
    assert_eq!(view["revealed"], false);
    assert_eq!(view["items"][0]["estimates"].as_array().unwrap().len(), 0);
    assert_eq!(view["items"][0]["mine"]["business_value"], 3.0);
    // A PM of the team who is invited and has not submitted sees no one else's either.
    let p4c = app.sign_in("pm4@example.com", "keel-demo").await;
    let view = app
        .call("poker_round", &[("id", &round)], Some(&p4c))
        .await
        .json();
    assert_eq!(view["revealed"], false);
    assert_eq!(view["items"][0]["estimates"].as_array().unwrap().len(), 0);
    // Someone not invited is refused.
    let outsider = app.sign_in("member2@example.com", "keel-demo").await;
    assert_eq!(
        app.call("poker_round", &[("id", &round)], Some(&outsider))
            .await
            .error_code(),
        "forbidden"
    );
    assert_eq!(
        save(outsider, est(3.0, 5.0), true).await.error_code(),
        "forbidden"
    );
    // After submitting, the member sees everyone's.
    assert_eq!(
        save(member.clone(), est(3.0, 5.0), true).await.status,
        StatusCode::OK
    );
    let view = app
        .call("poker_round", &[("id", &round)], Some(&member))
        .await
        .json();
    assert_eq!(view["items"][0]["estimates"].as_array().unwrap().len(), 2);
    // The owner sees the spread, agreement and suggested median.
    let view = app
        .call("poker_round", &[("id", &round)], Some(&pm))
        .await
        .json();
    let bv = &view["items"][0]["summary"][0];
    assert_eq!(
        (bv["min"].as_f64(), bv["max"].as_f64()),
        (Some(3.0), Some(13.0))
    );
    assert_eq!(bv["agreement"], "low");
    assert_eq!(
        bv["suggested"], 8.0,
        "median of 3 and 13 is 8, on the scale"
    );
    let js = &view["items"][0]["summary"][3];
    assert_eq!(js["agreement"], "high");
    // A member may not accept; the owner accepts and the score follows.
    let accept = |who: String| {
        let (round, rid) = (round.clone(), rid.clone());
        let app = &app;
        async move {
            app.call(
                "accept_estimate",
                &[
                    ("round_id", &round),
                    ("requirement_id", &rid),
                    ("input", &est(8.0, 5.0)),
                ],
                Some(&who),
            )
            .await
        }
    };
    assert_eq!(accept(member.clone()).await.error_code(), "forbidden");
    assert_eq!(accept(pm.clone()).await.status, StatusCode::OK);
    let d = app.detail(&pm, &rid).await;
    assert_eq!(d["row"]["score"], 2.4, "(8 + 3 + 1) ÷ 5");
    let view = app
        .call("poker_round", &[("id", &round)], Some(&pm))
        .await
        .json();
    assert_eq!(view["items"][0]["accepted"]["business_value"], 8.0);
    assert_eq!(
        app.call("close_poker_round", &[("round_id", &round)], Some(&member))
            .await
            .error_code(),
        "forbidden"
    );
    app.call("close_poker_round", &[("round_id", &round)], Some(&pm))
        .await;
    assert_eq!(
        save(member, est(3.0, 5.0), true).await.error_code(),
        "invalid_transition"
    );
}
