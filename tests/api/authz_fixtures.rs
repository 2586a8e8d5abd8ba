//! The authorisation matrix's fixtures: the records its rows act on, made
//! at the start by the roles that may make them, the versions read again
//! after every call that changed something, and the arguments rows are made
//! from.
use crate::authz::*;
use crate::helpers::{App, PW, Reply, local, new_id, today};
use keel::kpi::model::day_text;
use serde_json::{Value, json};

/// Versions (and states) read again after every call that changed something:
/// (key, SQL, fixture keys bound in order). A missing row reads as version 0
/// ("none yet", as the versioned creates expect).
pub(crate) const VERSIONS: &[(&str, &str, &[&str])] = &[
    (
        "goal_private",
        "SELECT version FROM goals WHERE id = $1",
        &["goal_private"],
    ),
    ("org", "SELECT version FROM organisation", &[]),
    (
        "team:product",
        "SELECT version FROM teams WHERE id = $1",
        &["product"],
    ),
    (
        "person:pm2",
        "SELECT version FROM users WHERE id = $1",
        &["pm2"],
    ),
    (
        "backlog",
        "SELECT version FROM backlogs WHERE id = $1",
        &["backlog"],
    ),
    (
        "req",
        "SELECT version FROM requirements WHERE id = $1",
        &["req"],
    ),
    (
        "dup",
        "SELECT version FROM requirements WHERE id = $1",
        &["dup"],
    ),
    (
        "req_withdraw",
        "SELECT version FROM requirements WHERE id = $1",
        &["req_withdraw"],
    ),
    (
        "dup:admin",
        "SELECT version FROM requirements WHERE id = $1",
        &["dup:admin"],
    ),
    (
        "dup:lead1",
        "SELECT version FROM requirements WHERE id = $1",
        &["dup:lead1"],
    ),
    (
        "dup:pm1",
        "SELECT version FROM requirements WHERE id = $1",
        &["dup:pm1"],
    ),
    (
        "kpi_team",
        "SELECT version FROM kpis WHERE id = $1",
        &["kpi_team"],
    ),
    (
        "kpi_private",
        "SELECT version FROM kpis WHERE id = $1",
        &["kpi_private"],
    ),
    (
        "kpi_own",
        "SELECT version FROM kpis WHERE id = $1",
        &["kpi_own"],
    ),
    (
        "kpi_own:lead2",
        "SELECT version FROM kpis WHERE id = $1",
        &["kpi_own:lead2"],
    ),
    (
        "kpi_own:pm6",
        "SELECT version FROM kpis WHERE id = $1",
        &["kpi_own:pm6"],
    ),
    (
        "charter:pm1",
        "SELECT version FROM charters WHERE person_id = $1",
        &["pm1"],
    ),
    (
        "assessment:pm1",
        "SELECT version FROM assessments WHERE period_id = $1 AND user_id = $2",
        &["period1", "pm1"],
    ),
    (
        "level:pm1",
        "SELECT version FROM person_levels WHERE user_id = $1",
        &["pm1"],
    ),
    (
        "item_pm1",
        "SELECT version FROM plan_items WHERE id = $1",
        &["item_pm1"],
    ),
    (
        "plan_wait",
        "SELECT version FROM plans WHERE id = $1",
        &["plan_wait"],
    ),
    (
        "plan_wait:lead1",
        "SELECT version FROM plans WHERE id = $1",
        &["plan_wait:lead1"],
    ),
    (
        "budget:pm1",
        "SELECT version FROM budgets WHERE period_id = $1 AND scope = 'person' AND subject_id = $2",
        &["period1", "pm1"],
    ),
    (
        "budget:growth",
        "SELECT version FROM budgets WHERE period_id = $1 AND scope = 'team' AND subject_id = $2",
        &["period1", "growth"],
    ),
    (
        "expectation",
        "SELECT version FROM expectations WHERE level_id = $1 AND competency_id = $2",
        &["level1", "comp1"],
    ),
    (
        "comp_row",
        "SELECT version FROM competencies WHERE id = $1",
        &["comp1"],
    ),
    (
        "level_row",
        "SELECT version FROM levels WHERE id = $1",
        &["level1"],
    ),
    (
        "catalog_az",
        "SELECT version FROM catalog WHERE id = $1",
        &["catalog_az"],
    ),
    (
        "period_az",
        "SELECT version FROM periods WHERE id = $1",
        &["period_az"],
    ),
    (
        "pair_end",
        "SELECT version FROM mentorships WHERE id = $1",
        &["pair_end"],
    ),
    (
        "pair_end:admin",
        "SELECT version FROM mentorships WHERE id = $1",
        &["pair_end:admin"],
    ),
    (
        "pair_end:lead1",
        "SELECT version FROM mentorships WHERE id = $1",
        &["pair_end:lead1"],
    ),
    (
        "s_sched",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_sched"],
    ),
    (
        "s_close",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_close"],
    ),
    (
        "s_close:admin",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_close:admin"],
    ),
    (
        "s_close:lead1",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_close:lead1"],
    ),
    (
        "action",
        "SELECT version FROM survey_actions WHERE id = $1",
        &["action"],
    ),
    (
        "s_cancel",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_cancel"],
    ),
    (
        "s_cancel:admin",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_cancel:admin"],
    ),
    (
        "s_cancel:lead1",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_cancel:lead1"],
    ),
    (
        "s_pulse",
        "SELECT version FROM survey_rounds WHERE id = $1",
        &["s_pulse"],
    ),
];

pub(crate) async fn refresh(app: &App, fx: &mut Fx) {
    for (key, sql, binds) in VERSIONS {
        let mut q = sqlx::query_scalar::<_, i64>(sql);
        for b in *binds {
            q = q.bind(fx.id(b));
        }
        let v = q.fetch_optional(&app.pool).await.unwrap().unwrap_or(0);
        fx.vers.insert(key.to_string(), v);
    }
    let status: String = sqlx::query_scalar("SELECT status FROM requirements WHERE id = $1")
        .bind(fx.id("req"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    fx.strs.insert("req_status".into(), status);
}

// ---------------------------------------------------------------- argument helpers

pub(crate) fn short() -> String {
    new_id()[..8].to_string()
}

pub(crate) fn rice() -> String {
    json!({"framework": "rice", "reach": 100.0, "impact": 1.0, "confidence": 100.0, "effort": 1.0})
        .to_string()
}

pub(crate) fn kpi_form(code: &str, owner: &str, vis: &str, goal: &str) -> Value {
    json!({
        "code": code, "name": format!("{code} name"), "owner": owner, "unit": "%",
        "direction": "increase", "baseline": "0", "target": "10",
        "start_date": day_text(today() - 30), "due_date": day_text(today() + 60),
        "cadence_days": "7", "visibility": vis, "goal_id": goal, "weight": ""
    })
}

/// The same definition a fixture KPI was made with, for an update.
pub(crate) fn same_kpi_form(f: &Fx, key: &str, goal: &str) -> Value {
    kpi_form(
        &f.s(&format!("code:{key}")),
        "",
        &f.s(&format!("vis:{key}")),
        goal,
    )
}

/// A PM the caller may give work to (themselves when a PM).
pub(crate) fn own_pm(f: &Fx, c: &Caller) -> String {
    match c.key {
        "pm1" | "pm6" => c.id.clone(),
        "lead2" | "member6" => f.id("pm6"),
        _ => f.id("pm1"),
    }
}

/// The caller's side of the organisation: Platform for the out-of-scope callers.
pub(crate) fn own_team(f: &Fx, c: &Caller) -> String {
    match c.key {
        "lead2" | "pm6" | "member6" => f.id("platform"),
        _ => f.id("product"),
    }
}

/// A KPI owner the caller may name: a PM for PMs, admins, lead1; lead2's own team.
pub(crate) fn own_owner(f: &Fx, c: &Caller) -> String {
    if c.is("lead2") {
        format!("team:{}", f.id("platform"))
    } else {
        format!("pm:{}", own_pm(f, c))
    }
}

pub(crate) fn kpi_under(f: &Fx, c: &Caller, goal: String) -> Req {
    let code = format!("AZ{}", short().to_uppercase());
    let form = kpi_form(&code, &own_owner(f, c), "team", &goal);
    Req::Json(json!({ "id": new_id(), "form": form }))
}

pub(crate) fn goal_json(level: &str, owner: String, teams: Vec<String>, parent: String) -> Req {
    Req::Json(json!({
        "id": new_id(), "title": format!("Authz goal {}", short()), "level": level,
        "owner_id": owner, "team_ids": teams, "parent_id": parent, "visibility": "", "weight": ""
    }))
}

pub(crate) fn checkin(kpi: String) -> Req {
    form! {
        "id" => new_id(), "kpi_id" => kpi, "day" => "", "value" => "5",
        "confidence" => "70", "note" => "authz", "corrects" => "",
    }
}

pub(crate) fn reassign(f: &Fx, key: &str) -> Req {
    form! { "id" => f.id(key), "version" => f.v(key), "owner" => format!("pm:{}", f.id("pm1")) }
}

pub(crate) fn update_kpi(f: &Fx, key: &str, goal: &str) -> Req {
    Req::Json(
        json!({ "id": f.id(key), "version": f.vers[key], "form": same_kpi_form(f, key, goal) }),
    )
}

// ---------------------------------------------------------------- fixtures

pub(crate) fn ok(r: Reply, what: &str) -> Reply {
    assert!(
        r.status.is_success(),
        "fixture {what}: {} {}",
        r.status,
        r.body
    );
    r
}

pub(crate) async fn submit_requirement(
    app: &App,
    cookie: &str,
    backlog: &str,
    title: &str,
) -> String {
    let id = new_id();
    ok(
        app.call(
            "submit_requirement",
            &[
                ("id", &id),
                ("backlog_id", backlog),
                ("title", title),
                ("description", ""),
                ("source", "customer"),
                ("requester", ""),
                ("customer", ""),
                ("segment", ""),
                ("links", ""),
            ],
            Some(cookie),
        )
        .await,
        "submit_requirement",
    );
    id
}

pub(crate) async fn new_round(
    app: &App,
    cookie: &str,
    product: &str,
    opens: i64,
    closes: i64,
) -> String {
    let id = new_id();
    let body = json!({
        "id": id, "title": "Authz fixture round", "themes": ["engagement", "wellbeing"],
        "teams": [product], "opens": local(opens), "closes": local(closes),
        "pulse": "none", "visibility": "team", "k": "", "comment_min": "", "support_note": ""
    });
    ok(
        app.call_json("create_round", body, Some(cookie)).await,
        "create_round",
    );
    id
}

/// Signs in every caller and makes the records the rows act on.
pub(crate) async fn setup(app: &App) -> (Vec<Caller>, Fx) {
    let mut fx = Fx::default();
    let mut callers = Vec::new();
    for (key, email) in CALLERS {
        let (id, cookie) = if email.is_empty() {
            (String::new(), None)
        } else {
            (app.user_id(email).await, Some(app.sign_in(email, PW).await))
        };
        callers.push(Caller {
            key,
            email,
            login_email: if email.is_empty() {
                "member10@example.com"
            } else {
                email
            },
            id,
            cookie,
        });
    }
    let cookie = |key: &str| {
        callers
            .iter()
            .find(|c| c.key == key)
            .and_then(|c| c.cookie.clone())
            .unwrap()
    };
    let (admin, lead1, pm1, pm6, lead2, member1) = (
        cookie("admin"),
        cookie("lead1"),
        cookie("pm1"),
        cookie("pm6"),
        cookie("lead2"),
        cookie("member1"),
    );
    for who in [
        "admin", "lead1", "lead2", "pm1", "pm2", "pm6", "member1", "member6", "member10",
    ] {
        let id = app.user_id(&format!("{who}@example.com")).await;
        fx.put(who, id);
    }
    for (key, name) in [
        ("product", "Product"),
        ("growth", "Growth"),
        ("platform", "Platform"),
    ] {
        let id = app.team_id(name).await;
        fx.put(key, id);
    }
    for (key, id) in [
        ("period1", PERIOD1),
        ("period2", PERIOD2),
        ("level1", LEVEL1),
        ("comp1", COMP1),
    ] {
        fx.put(key, id);
    }
    fx.strs.insert("yesterday".into(), day_text(today() - 1));

    // Backlog: Product's, owned by pm1; two requirements; a merged duplicate
    // for each caller allowed to undo a merge; two poker rounds of pm1's.
    let backlog = new_id();
    ok(
        app.call(
            "create_backlog",
            &[
                ("id", &backlog),
                ("team_id", &fx.id("product")),
                ("owner_id", &fx.id("pm1")),
                ("name", "Authz 需求池"),
                ("framework", "rice"),
            ],
            Some(&admin),
        )
        .await,
        "create_backlog",
    );
    fx.put("backlog", backlog.clone());
    let req = submit_requirement(app, &member1, &backlog, "Authz 用户登录失败").await;
    let req2 = submit_requirement(app, &member1, &backlog, "Authz kept").await;
    fx.put("req", req.clone());
    fx.put("req2", req2.clone());
    let withdraw = submit_requirement(app, &member1, &backlog, "Authz 撤回").await;
    fx.put("req_withdraw", withdraw);
    let evidence = new_id();
    ok(
        app.call(
            "add_evidence",
            &[
                ("id", &evidence),
                ("requirement_id", &req),
                ("kind", "customer_quote"),
                ("body", "Authz 证据"),
                ("source", ""),
            ],
            Some(&member1),
        )
        .await,
        "add_evidence",
    );
    fx.put("evidence", evidence);
    for key in ["dup:admin", "dup:lead1", "dup:pm1"] {
        let dup = submit_requirement(app, &member1, &backlog, "Authz duplicate").await;
        ok(
            app.call(
                "change_status",
                &[
                    ("id", &dup),
                    ("version", "1"),
                    ("status", "duplicate"),
                    ("reason", ""),
                    ("duplicate_of", &req2),
                ],
                Some(&admin),
            )
            .await,
            "merge a duplicate",
        );
        fx.put(key, dup);
    }
    fx.put("dup", fx.id("dup:admin"));
    let invitees = [
        fx.id("admin"),
        fx.id("lead1"),
        fx.id("pm1"),
        fx.id("member1"),
    ];
    for key in ["poker", "poker_close"] {
        let id = new_id();
        let body = json!({"id": id, "backlog_id": backlog, "title": "Authz sizing",
            "requirement_ids": [req], "invitees": invitees});
        ok(
            app.call_json("open_poker_round", body, Some(&pm1)).await,
            "open_poker_round",
        );
        fx.put(key, id);
    }

    // KPIs: pm1's team-visible and private ones, and one each that lead2 and
    // pm6 edit; pm1's private PM goal.
    for (key, code, owner, vis, cookie) in [
        (
            "kpi_team",
            "AZTEAM",
            format!("pm:{}", fx.id("pm1")),
            "team",
            &pm1,
        ),
        (
            "kpi_private",
            "AZPRIV",
            format!("pm:{}", fx.id("pm1")),
            "private",
            &pm1,
        ),
        (
            "kpi_own:pm6",
            "AZPM6",
            format!("pm:{}", fx.id("pm6")),
            "team",
            &pm6,
        ),
        (
            "kpi_own:lead2",
            "AZL2",
            format!("team:{}", fx.id("platform")),
            "team",
            &lead2,
        ),
    ] {
        let id = new_id();
        let body = json!({"id": id, "form": kpi_form(code, &owner, vis, "")});
        ok(
            app.call_json("create_kpi", body, Some(cookie)).await,
            "create_kpi",
        );
        fx.put(key, id);
        fx.strs.insert(format!("code:{key}"), code.into());
        fx.strs.insert(format!("vis:{key}"), vis.into());
    }
    fx.put("kpi_own", fx.id("kpi_team"));
    fx.strs.insert("code:kpi_own".into(), "AZTEAM".into());
    fx.strs.insert("vis:kpi_own".into(), "team".into());
    let goal = new_id();
    let body = json!({"id": goal, "title": "Authz 私有目标", "level": "pm", "owner_id": fx.id("pm1"),
        "team_ids": [], "parent_id": "", "visibility": "private", "weight": ""});
    ok(
        app.call_json("create_goal", body, Some(&pm1)).await,
        "create_goal",
    );
    fx.put("goal_private", goal);

    // Growth: an item of pm1's plan; over-budget plans of pm1 and pm2 in the
    // next period, waiting for their leader (lead1 approves pm2's; the admin
    // tries pm1's and is refused, as pm1 has a leader).
    let item = new_id();
    let body = json!({"id": item, "person_id": fx.id("pm1"), "period_id": PERIOD1, "form": {
        "kind": "course", "title": "Authz course", "competency_id": COMP1,
        "due_date": day_text(today() + 30), "cost": "0", "evidence": "", "catalog_id": ""}});
    ok(
        app.call_json("add_plan_item", body, Some(&pm1)).await,
        "add_plan_item",
    );
    fx.put("item_pm1", item);
    for (key, who) in [("plan_wait", "pm1"), ("plan_wait:lead1", "pm2")] {
        let person = fx.id(who);
        ok(
            app.call(
                "set_budget",
                &[
                    ("period_id", PERIOD2),
                    ("scope", "person"),
                    ("subject_id", &person),
                    ("amount", "1"),
                    ("version", "0"),
                ],
                Some(&admin),
            )
            .await,
            "set_budget",
        );
        let body = json!({"id": new_id(), "person_id": person, "period_id": PERIOD2, "form": {
            "kind": "conference", "title": "Authz conference", "competency_id": COMP1,
            "due_date": day_text(today() + 200), "cost": "100", "evidence": "", "catalog_id": ""}});
        ok(
            app.call_json("add_plan_item", body, Some(&admin)).await,
            "add_plan_item",
        );
        let plan: String =
            sqlx::query_scalar("SELECT id FROM plans WHERE period_id = $1 AND user_id = $2")
                .bind(PERIOD2)
                .bind(&person)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        fx.put(key, plan);
    }

    // Growth records an admin edits unchanged (a resource, a period), and a
    // pair pm2 → pm1 for each caller allowed to end one.
    let entry = new_id();
    let body = json!({"id": entry, "title": "Authz resource", "kind": "course",
        "competencies": [COMP1], "link": "", "cost": "0", "language": "en"});
    ok(
        app.call_json("create_catalog_entry", body, Some(&admin))
            .await,
        "create_catalog_entry",
    );
    fx.put("catalog_az", entry);
    let period = new_id();
    ok(
        app.call(
            "create_period",
            &[
                ("id", &period),
                ("name", "Authz period"),
                ("start_date", "2032-01-01"),
                ("end_date", "2032-06-30"),
            ],
            Some(&admin),
        )
        .await,
        "create_period",
    );
    fx.put("period_az", period);
    for key in ["pair_end:admin", "pair_end:lead1"] {
        let pair = new_id();
        ok(
            app.call(
                "create_mentorship",
                &[
                    ("id", &pair),
                    ("mentor_id", &fx.id("pm2")),
                    ("mentee_id", &fx.id("pm1")),
                    ("goals", "Authz pair to end"),
                ],
                Some(&admin),
            )
            .await,
            "create_mentorship",
        );
        fx.put(key, pair);
    }
    fx.put("pair_end", fx.id("pair_end:admin"));

    // Surveys: lead1's rounds over Product: closed, open, scheduled, and one
    // open round each for admin and lead1 to close; an action on the closed one.
    let product = fx.id("product");
    let closed = new_round(app, &lead1, &product, -1, 60 * 24).await;
    let version: i64 = sqlx::query_scalar("SELECT version FROM survey_rounds WHERE id = $1")
        .bind(&closed)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    ok(
        app.call(
            "close_round",
            &[("round_id", &closed), ("version", &version.to_string())],
            Some(&lead1),
        )
        .await,
        "close_round",
    );
    fx.put("s_closed", closed.clone());
    let open = new_round(app, &lead1, &product, -1, 60 * 24).await;
    fx.put("s_open", open.clone());
    fx.put("s_sched", new_round(app, &lead1, &product, 60, 120).await);
    fx.put(
        "s_close:admin",
        new_round(app, &lead1, &product, -1, 60 * 24).await,
    );
    fx.put(
        "s_close:lead1",
        new_round(app, &lead1, &product, -1, 60 * 24).await,
    );
    fx.put("s_close", fx.id("s_close:admin"));
    // Before they open: a round each for admin and lead1 to cancel; the
    // scheduled round's questions to move and (one each) to remove; a
    // stopped pulse of lead1's (due in an hour) to restart.
    fx.put(
        "s_cancel:admin",
        new_round(app, &lead1, &product, 60, 120).await,
    );
    fx.put(
        "s_cancel:lead1",
        new_round(app, &lead1, &product, 60, 120).await,
    );
    fx.put("s_cancel", fx.id("s_cancel:admin"));
    let sched = ok(
        app.call("load_round", &[("id", &fx.id("s_sched"))], Some(&lead1))
            .await,
        "load_round",
    )
    .json();
    let qs: Vec<String> = sched["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    assert!(qs.len() >= 4, "the scheduled round's questions: {qs:?}");
    fx.put("s_sched_q", qs[1].clone());
    fx.put("s_sched_rm:admin", qs[qs.len() - 1].clone());
    fx.put("s_sched_rm:lead1", qs[qs.len() - 2].clone());
    fx.put("s_sched_rm", fx.id("s_sched_rm:admin"));
    let pulse = new_id();
    let body = json!({
        "id": pulse, "title": "Authz pulse", "themes": ["wellbeing"],
        "teams": [product], "opens": local(60), "closes": local(120),
        "pulse": "weekly", "visibility": "team", "k": "", "comment_min": "", "support_note": ""
    });
    ok(
        app.call_json("create_round", body, Some(&lead1)).await,
        "create_round",
    );
    ok(
        app.call("stop_pulse", &[("round_id", &pulse)], Some(&lead1))
            .await,
        "stop_pulse",
    );
    fx.put("s_pulse", pulse);
    let q = ok(
        app.call("load_round", &[("id", &open)], Some(&lead1)).await,
        "load_round",
    )
    .json();
    let answers: Vec<Value> = q["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let values: Vec<i64> = match q["kind"].as_str().unwrap() {
                "likert" => vec![4],
                "enps" => vec![8],
                "text" => vec![],
                _ => vec![0],
            };
            json!({"question_id": q["id"], "values": values, "text": ""})
        })
        .collect();
    fx.json.insert("answers".into(), Value::Array(answers));
    // The answer page's plain-form twin answers a round of its own (each
    // caller answers a round once).
    let plain = new_round(app, &lead1, &product, -1, 60 * 24).await;
    let q = ok(
        app.call("load_round", &[("id", &plain)], Some(&lead1))
            .await,
        "load_round",
    )
    .json();
    fx.json.insert("s_open_form".into(), q);
    fx.put("s_open_form", plain);
    let action = new_id();
    ok(
        app.call(
            "create_survey_action",
            &[
                ("id", &action),
                ("round_id", &closed),
                ("team_id", &product),
                ("focus", "wellbeing"),
                ("action", "Authz fixture action"),
                ("owner_id", &fx.id("pm1")),
                ("due_date", "2030-01-31"),
            ],
            Some(&lead1),
        )
        .await,
        "create_survey_action",
    );
    fx.put("action", action);

    // Notifications: one of member1's (the merges above told them).
    let notification: String = sqlx::query_scalar(
        "SELECT id FROM notifications WHERE recipient_id = $1 ORDER BY created_at LIMIT 1",
    )
    .bind(fx.id("member1"))
    .fetch_one(&app.pool)
    .await
    .expect("member1 was told of a merge");
    fx.put("notification", notification);

    // An API token of pm1's (tokens are their owner's alone).
    let token = new_id();
    ok(
        app.call(
            "create_api_token",
            &[
                ("id", &token),
                ("name", "Authz fixture token"),
                ("scope", "read"),
                ("expires_days", "30"),
            ],
            Some(&pm1),
        )
        .await,
        "create_api_token",
    );
    fx.put("api_token", token);

    refresh(app, &mut fx).await;
    (callers, fx)
}
