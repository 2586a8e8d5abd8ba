//! The authorisation matrix: one table, one row per (server function, kind of
//! record), and per row the answer each caller must get — admin, the leader
//! above the record (lead1) and one who is not (lead2), a PM of the record's
//! team (pm1) and of another team (pm6), a member of the record's team
//! (member1) and of another (member6), and a visitor without a session.
//!
//! Every record the rows act on belongs to 产品部 Product (or its sub-team
//! 增长组 Growth), so "in scope" and "out of scope" are the two callers of each
//! role. The set of functions in the table must equal the set registered in
//! the server-function registry: a new function without a row fails
//! `every_registered_server_function_has_a_row`, naming it.
//!
//! Arguments are otherwise valid, so a refusal is about who calls, not about
//! the input; an allowed call may answer any 2xx. Within a row the refusals
//! run first and the allowed calls after them, and versions are read again
//! after every call that changed something, so one row's writes do not turn
//! the next caller's call into a stale-version conflict. Where an allowed call
//! uses something up (undoing a merge, approving a plan, closing a round), the
//! row gives each allowed caller a fixture of their own (`Fx::pick`).
//!
//! A case marked `// HOLE:` is one the server answers wrongly today; its
//! expectation stays the refusal the SPEC asks for, so the test fails until
//! the server function is fixed.
use super::{App, Reply, demo_app};
use keel::kpi::model::{day_number, day_text};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const PW: &str = "keel-demo";
const PERIOD1: &str = "6e0b0000-0000-4000-8000-000000000001";
const PERIOD2: &str = "6e0b0000-0000-4000-8000-000000000002";
const TRACK: &str = "6e0a0000-0000-4000-8000-000000000001";
const COMP1: &str = "6e0a0000-0000-4000-8000-000000000101";
const LEVEL1: &str = "6e0a0000-0000-4000-8000-000000000201";
const LEVEL2: &str = "6e0a0000-0000-4000-8000-000000000202";
/// The demo's team goal of Product and Growth, visible to the organisation.
const GOAL_PRODUCT_TEAM: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000002";
/// The demo's mentoring pair pm2 (mentor) → pm1 (mentee).
const PAIR_PM2_PM1: &str = "6e0e0000-0000-4000-8000-000000000002";

// ---------------------------------------------------------------- the table's vocabulary

/// The callers, in the order of every row's expectations.
const CALLERS: [(&str, &str); 8] = [
    ("admin", "admin@example.com"),
    ("lead1", "lead1@example.com"), // leads Product (and so Growth): in scope
    ("lead2", "lead2@example.com"), // leads Platform: out of scope
    ("pm1", "pm1@example.com"),     // PM of Product: in scope
    ("pm6", "pm6@example.com"),     // PM of Platform: out of scope
    ("member1", "member1@example.com"), // member of Product
    ("member6", "member6@example.com"), // member of Platform
    ("anon", ""),                   // no session
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Exp {
    /// Any 2xx (for imports: with no row refused).
    Ok,
    /// Refused with this status and error code.
    No(u16, &'static str),
    /// Refused with this status and error code at this form field.
    At(u16, &'static str, &'static str),
    /// An import answered 2xx but refused every row with this code, storing none.
    RowsNo(&'static str),
}

const OK: Exp = Exp::Ok;
const U: Exp = Exp::No(401, "not_signed_in");
const F: Exp = Exp::No(403, "forbidden");
const NF: Exp = Exp::No(404, "not_found");
const RNF: Exp = Exp::RowsNo("not_found");
const SETUP_DONE: Exp = Exp::No(409, "setup_done");
const AFTER_CLOSE: Exp = Exp::No(409, "results_after_close");
/// A goal the caller does not see, named as a KPI's goal or a goal's parent:
/// the answer a goal id that does not exist gets (422 invalid_choice at that
/// field), so that hidden goals cannot be probed. The rows "under a goal id
/// that does not exist" show that the two answers are the same.
const HIDDEN_GOAL: Exp = Exp::At(422, "invalid_choice", "goal_id");
const HIDDEN_PARENT: Exp = Exp::At(422, "invalid_choice", "parent_id");
/// A goal the caller sees but may not change the roll-up of.
const GOAL_REFUSED: Exp = Exp::At(403, "forbidden", "goal_id");
const PARENT_REFUSED: Exp = Exp::At(403, "forbidden", "parent_id");

/// Anyone signed in.
const SIGNED_IN: [Exp; 8] = [OK, OK, OK, OK, OK, OK, OK, U];
/// Admins only.
const ADMIN: [Exp; 8] = [OK, F, F, F, F, F, F, U];
/// Editing a team's work (EditTeamWork): admins, the leaders above, the team's PMs.
const TEAM_WORK: [Exp; 8] = [OK, OK, F, OK, F, F, F, U];
/// Managing a team or its people (ManageTeam, a leader above a person): admins, the leaders above.
const ABOVE: [Exp; 8] = [OK, OK, F, F, F, F, F, U];
/// A plan's approval: the person's nearest leader (lead1 for Product); not
/// an admin while the person has a leader (SPEC).
const NEAREST_LEADER: [Exp; 8] = [F, OK, F, F, F, F, F, U];
/// Admins and every leader (no record in scope).
const LEADERS: [Exp; 8] = [OK, OK, OK, F, F, F, F, U];

impl Exp {
    fn allows(self) -> bool {
        matches!(self, Exp::Ok | Exp::RowsNo(_))
    }

    fn describe(self) -> String {
        match self {
            Exp::Ok => "2xx".into(),
            Exp::No(s, c) => format!("{s} {c}"),
            Exp::At(s, c, field) => format!("{s} {c} at {field}"),
            Exp::RowsNo(c) => format!("2xx with every row refused as {c}"),
        }
    }

    fn check(self, r: &Reply) -> bool {
        let body: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        let row_errors: Vec<&str> = body
            .get("errors")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|e| e["code"].as_str()).collect())
            .unwrap_or_default();
        match self {
            Exp::Ok => r.status.is_success() && row_errors.is_empty(),
            Exp::No(status, code) => r.status.as_u16() == status && body["code"] == code,
            Exp::At(status, code, field) => {
                r.status.as_u16() == status && body["code"] == code && body["field"] == field
            }
            Exp::RowsNo(code) => {
                r.status.is_success()
                    && !row_errors.is_empty()
                    && row_errors.iter().all(|c| *c == code)
                    && body["imported"] == 0
            }
        }
    }
}

/// What is sent: a form (`application/x-www-form-urlencoded`) or JSON (for
/// the functions declared with the Json input codec).
enum Req {
    Form(Vec<(String, String)>),
    Json(Value),
}

macro_rules! form {
    ($($k:literal => $v:expr),* $(,)?) => {
        Req::Form(vec![$(($k.to_string(), ($v).to_string())),*])
    };
}

struct Caller {
    key: &'static str,
    email: &'static str,
    /// The account a login row signs in to: the caller's own (member10 for the visitor).
    login_email: &'static str,
    id: String,
    cookie: Option<String>,
}

impl Caller {
    fn is(&self, key: &str) -> bool {
        self.key == key
    }
}

struct Row {
    ep: &'static str,
    what: &'static str,
    expect: [Exp; 8],
    args: fn(&Fx, &Caller) -> Req,
    /// Each caller signs in anew for this row (it ends or replaces the session).
    fresh_session: bool,
}

fn row(
    ep: &'static str,
    what: &'static str,
    expect: [Exp; 8],
    args: fn(&Fx, &Caller) -> Req,
) -> Row {
    Row {
        ep,
        what,
        expect,
        args,
        fresh_session: false,
    }
}

impl Row {
    fn fresh(mut self) -> Row {
        self.fresh_session = true;
        self
    }
}

/// Fixture ids (looked up or created at the start), JSON made at the start,
/// and the current versions and states of the records rows change.
#[derive(Default)]
struct Fx {
    ids: BTreeMap<String, String>,
    json: BTreeMap<String, Value>,
    vers: BTreeMap<String, i64>,
    strs: BTreeMap<String, String>,
}

impl Fx {
    fn id(&self, key: &str) -> String {
        self.ids
            .get(key)
            .unwrap_or_else(|| panic!("no fixture {key}"))
            .clone()
    }

    /// The caller's own copy of a fixture (`key:caller`), else the shared one.
    fn pick(&self, key: &str, c: &Caller) -> String {
        let own = format!("{key}:{}", c.key);
        if self.ids.contains_key(&own) {
            own
        } else {
            key.to_string()
        }
    }

    fn v(&self, key: &str) -> String {
        self.vers
            .get(key)
            .unwrap_or_else(|| panic!("no version of {key}"))
            .to_string()
    }

    fn s(&self, key: &str) -> String {
        self.strs
            .get(key)
            .unwrap_or_else(|| panic!("no fixture text {key}"))
            .clone()
    }

    fn put(&mut self, key: &str, id: impl Into<String>) {
        self.ids.insert(key.to_string(), id.into());
    }
}

/// Versions (and states) read again after every call that changed something:
/// (key, SQL, fixture keys bound in order). A missing row reads as version 0
/// ("none yet", as the versioned creates expect).
const VERSIONS: &[(&str, &str, &[&str])] = &[
    ("org", "SELECT version FROM organisation", &[]),
    (
        "team:product",
        "SELECT version FROM teams WHERE id = ?",
        &["product"],
    ),
    (
        "person:pm2",
        "SELECT version FROM users WHERE id = ?",
        &["pm2"],
    ),
    (
        "backlog",
        "SELECT version FROM backlogs WHERE id = ?",
        &["backlog"],
    ),
    (
        "req",
        "SELECT version FROM requirements WHERE id = ?",
        &["req"],
    ),
    (
        "dup",
        "SELECT version FROM requirements WHERE id = ?",
        &["dup"],
    ),
    (
        "dup:admin",
        "SELECT version FROM requirements WHERE id = ?",
        &["dup:admin"],
    ),
    (
        "dup:lead1",
        "SELECT version FROM requirements WHERE id = ?",
        &["dup:lead1"],
    ),
    (
        "dup:pm1",
        "SELECT version FROM requirements WHERE id = ?",
        &["dup:pm1"],
    ),
    (
        "kpi_team",
        "SELECT version FROM kpis WHERE id = ?",
        &["kpi_team"],
    ),
    (
        "kpi_private",
        "SELECT version FROM kpis WHERE id = ?",
        &["kpi_private"],
    ),
    (
        "kpi_own",
        "SELECT version FROM kpis WHERE id = ?",
        &["kpi_own"],
    ),
    (
        "kpi_own:lead2",
        "SELECT version FROM kpis WHERE id = ?",
        &["kpi_own:lead2"],
    ),
    (
        "kpi_own:pm6",
        "SELECT version FROM kpis WHERE id = ?",
        &["kpi_own:pm6"],
    ),
    (
        "charter:pm1",
        "SELECT version FROM charters WHERE person_id = ?",
        &["pm1"],
    ),
    (
        "assessment:pm1",
        "SELECT version FROM assessments WHERE period_id = ? AND user_id = ?",
        &["period1", "pm1"],
    ),
    (
        "level:pm1",
        "SELECT version FROM person_levels WHERE user_id = ?",
        &["pm1"],
    ),
    (
        "item_pm1",
        "SELECT version FROM plan_items WHERE id = ?",
        &["item_pm1"],
    ),
    (
        "plan_wait",
        "SELECT version FROM plans WHERE id = ?",
        &["plan_wait"],
    ),
    (
        "plan_wait:lead1",
        "SELECT version FROM plans WHERE id = ?",
        &["plan_wait:lead1"],
    ),
    (
        "budget:pm1",
        "SELECT version FROM budgets WHERE period_id = ? AND scope = 'person' AND subject_id = ?",
        &["period1", "pm1"],
    ),
    (
        "budget:growth",
        "SELECT version FROM budgets WHERE period_id = ? AND scope = 'team' AND subject_id = ?",
        &["period1", "growth"],
    ),
    (
        "expectation",
        "SELECT version FROM expectations WHERE level_id = ? AND competency_id = ?",
        &["level1", "comp1"],
    ),
    (
        "s_sched",
        "SELECT version FROM survey_rounds WHERE id = ?",
        &["s_sched"],
    ),
    (
        "s_close",
        "SELECT version FROM survey_rounds WHERE id = ?",
        &["s_close"],
    ),
    (
        "s_close:admin",
        "SELECT version FROM survey_rounds WHERE id = ?",
        &["s_close:admin"],
    ),
    (
        "s_close:lead1",
        "SELECT version FROM survey_rounds WHERE id = ?",
        &["s_close:lead1"],
    ),
    (
        "action",
        "SELECT version FROM survey_actions WHERE id = ?",
        &["action"],
    ),
];

async fn refresh(app: &App, fx: &mut Fx) {
    for (key, sql, binds) in VERSIONS {
        let mut q = sqlx::query_scalar::<_, i64>(sql);
        for b in *binds {
            q = q.bind(fx.id(b));
        }
        let v = q.fetch_optional(&app.pool).await.unwrap().unwrap_or(0);
        fx.vers.insert(key.to_string(), v);
    }
    let status: String = sqlx::query_scalar("SELECT status FROM requirements WHERE id = ?")
        .bind(fx.id("req"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    fx.strs.insert("req_status".into(), status);
}

// ---------------------------------------------------------------- argument helpers

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn short() -> String {
    new_id()[..8].to_string()
}

fn today() -> i64 {
    day_number(&keel::server::today_in("Asia/Shanghai").0).unwrap()
}

/// "YYYY-MM-DDTHH:MM" in the demo organisation's zone, `minutes` from now.
fn local(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn rice() -> String {
    json!({"framework": "rice", "reach": 100.0, "impact": 1.0, "confidence": 100.0, "effort": 1.0})
        .to_string()
}

fn kpi_form(code: &str, owner: &str, vis: &str, goal: &str) -> Value {
    json!({
        "code": code, "name": format!("{code} name"), "owner": owner, "unit": "%",
        "direction": "increase", "baseline": "0", "target": "10",
        "start_date": day_text(today() - 30), "due_date": day_text(today() + 60),
        "cadence_days": "7", "visibility": vis, "goal_id": goal, "weight": ""
    })
}

/// The same definition a fixture KPI was made with, for an update.
fn same_kpi_form(f: &Fx, key: &str, goal: &str) -> Value {
    kpi_form(
        &f.s(&format!("code:{key}")),
        "",
        &f.s(&format!("vis:{key}")),
        goal,
    )
}

/// A PM the caller may give work to (themselves when a PM).
fn own_pm(f: &Fx, c: &Caller) -> String {
    match c.key {
        "pm1" | "pm6" => c.id.clone(),
        "lead2" | "member6" => f.id("pm6"),
        _ => f.id("pm1"),
    }
}

/// The caller's side of the organisation: Platform for the out-of-scope callers.
fn own_team(f: &Fx, c: &Caller) -> String {
    match c.key {
        "lead2" | "pm6" | "member6" => f.id("platform"),
        _ => f.id("product"),
    }
}

/// A KPI owner the caller may name: a PM for PMs, admins, lead1; lead2's own team.
fn own_owner(f: &Fx, c: &Caller) -> String {
    if c.is("lead2") {
        format!("team:{}", f.id("platform"))
    } else {
        format!("pm:{}", own_pm(f, c))
    }
}

fn kpi_under(f: &Fx, c: &Caller, goal: String) -> Req {
    let code = format!("AZ{}", short().to_uppercase());
    let form = kpi_form(&code, &own_owner(f, c), "team", &goal);
    Req::Json(json!({ "id": new_id(), "form": form }))
}

fn goal_json(level: &str, owner: String, teams: Vec<String>, parent: String) -> Req {
    Req::Json(json!({
        "id": new_id(), "title": format!("Authz goal {}", short()), "level": level,
        "owner_id": owner, "team_ids": teams, "parent_id": parent, "visibility": "", "weight": ""
    }))
}

fn checkin(kpi: String) -> Req {
    form! {
        "id" => new_id(), "kpi_id" => kpi, "day" => "", "value" => "5",
        "confidence" => "70", "note" => "authz", "corrects" => "",
    }
}

fn reassign(f: &Fx, key: &str) -> Req {
    form! { "id" => f.id(key), "version" => f.v(key), "owner" => format!("pm:{}", f.id("pm1")) }
}

fn update_kpi(f: &Fx, key: &str, goal: &str) -> Req {
    Req::Json(
        json!({ "id": f.id(key), "version": f.vers[key], "form": same_kpi_form(f, key, goal) }),
    )
}

// ---------------------------------------------------------------- the table

fn table() -> Vec<Row> {
    vec![
        // ------------------------------------------------ people (admin only)
        //                                       admin lead1 lead2 pm1 pm6 member1 member6 anon
        row(
            "people_overview",
            "the people directory",
            ADMIN,
            |_, _| form! {},
        ),
        row(
            "update_organisation",
            "organisation settings",
            ADMIN,
            |f, _| {
                form! {
                    "name" => "Keel 示例公司 Demo Co.", "time_zone" => "Asia/Shanghai",
                    "currency" => "CNY", "version" => f.v("org"),
                }
            },
        ),
        row("create_team", "a new team", ADMIN, |_, _| {
            form! {
                "id" => new_id(), "name" => format!("Authz team {}", short()),
                "parent_id" => "", "leader_id" => "",
            }
        }),
        row("update_team", "Product, unchanged", ADMIN, |f, _| {
            form! {
                "id" => f.id("product"), "version" => f.v("team:product"), "name" => "产品部 Product",
                "parent_id" => "", "leader_id" => f.id("lead1"),
            }
        }),
        row("create_person", "a new member", ADMIN, |_, _| {
            let s = short();
            form! {
                "id" => new_id(), "email" => format!("authz-{s}@example.com"),
                "display_name" => format!("Authz {s}"), "role" => "member", "team_id" => "",
                "password" => "long-enough", "language" => "en",
            }
        }),
        row("update_person", "pm2, unchanged", ADMIN, |f, _| {
            form! {
                "id" => f.id("pm2"), "version" => f.v("person:pm2"), "email" => "pm2@example.com",
                "display_name" => "Emma Clarke 柯爱玛", "role" => "pm", "team_id" => f.id("product"),
            }
        }),
        row("set_person_active", "pm2 stays active", ADMIN, |f, _| {
            form! { "id" => f.id("pm2"), "version" => f.v("person:pm2"), "active" => "true" }
        }),
        row(
            "reset_password",
            "member10, to the same password",
            ADMIN,
            |f, _| {
                form! { "id" => f.id("member10"), "password" => PW }
            },
        ),
        row(
            "dashboard_summary",
            "one's own place",
            SIGNED_IN,
            |_, _| form! {},
        ),
        // ------------------------------------------------ backlog: a Product backlog owned by pm1
        row("backlogs", "every backlog", SIGNED_IN, |_, _| form! {}),
        row("create_backlog", "for Product", TEAM_WORK, |f, _| {
            form! {
                "id" => new_id(), "team_id" => f.id("product"), "owner_id" => f.id("pm1"),
                "name" => format!("Authz backlog {}", short()), "framework" => "rice",
            }
        }),
        row("reassign_backlog", "Product's backlog", ABOVE, |f, _| {
            form! { "id" => f.id("backlog"), "version" => f.v("backlog"), "owner_id" => f.id("pm1") }
        }),
        row(
            "submit_requirement",
            "to Product's backlog (anyone)",
            SIGNED_IN,
            |f, _| {
                form! {
                    "id" => new_id(), "backlog_id" => f.id("backlog"), "title" => "Authz 需求",
                    "description" => "", "source" => "customer", "requester" => "", "customer" => "",
                    "segment" => "", "links" => "",
                }
            },
        ),
        row("requirements", "Product's list", SIGNED_IN, |f, _| {
            form! {
                "backlog_id" => f.id("backlog"), "search" => "", "status" => "", "source" => "",
                "label" => "", "owner" => "", "sort" => "", "offset" => 0,
            }
        }),
        row(
            "score_requirement",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                form! { "id" => f.id("req"), "version" => f.v("req"), "input" => rice() }
            },
        ),
        row(
            "move_requirement",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                form! { "id" => f.id("req"), "after_id" => f.id("req2") }
            },
        ),
        row("reset_order", "Product's backlog", TEAM_WORK, |f, _| {
            form! { "backlog_id" => f.id("backlog") }
        }),
        row(
            "change_status",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                let to = if f.s("req_status") == "new" {
                    "under_review"
                } else {
                    "new"
                };
                form! {
                    "id" => f.id("req"), "version" => f.v("req"), "status" => to,
                    "reason" => "", "duplicate_of" => "",
                }
            },
        ),
        row(
            "undo_merge",
            "a merged Product duplicate",
            TEAM_WORK,
            |f, c| {
                let k = f.pick("dup", c);
                form! { "id" => f.id(&k), "version" => f.v(&k) }
            },
        ),
        row(
            "update_requirement",
            "a Product requirement",
            TEAM_WORK,
            |f, _| {
                form! {
                    "id" => f.id("req"), "version" => f.v("req"), "owner_id" => f.id("pm1"),
                    "labels" => "authz",
                }
            },
        ),
        row(
            "requirement_detail",
            "a Product requirement",
            SIGNED_IN,
            |f, _| {
                form! { "id" => f.id("req") }
            },
        ),
        row("why_moved", "a Product requirement", SIGNED_IN, |f, _| {
            form! { "id" => f.id("req"), "since" => "2020-01-01" }
        }),
        row("my_requirements", "one's own", SIGNED_IN, |_, _| form! {}),
        row("backlog_labels", "Product's backlog", SIGNED_IN, |f, _| {
            form! { "backlog_id" => f.id("backlog") }
        }),
        row(
            "backlog_overview",
            "Product's backlog",
            SIGNED_IN,
            |f, _| {
                form! { "backlog_id" => f.id("backlog") }
            },
        ),
        row("set_vote", "a Product requirement", SIGNED_IN, |f, _| {
            form! { "id" => f.id("req"), "voted" => "true" }
        }),
        row(
            "add_evidence",
            "to a Product requirement",
            SIGNED_IN,
            |f, _| {
                form! {
                    "id" => new_id(), "requirement_id" => f.id("req"), "kind" => "customer_quote",
                    "body" => "authz", "source" => "",
                }
            },
        ),
        row(
            "backlog_choices",
            "the new-backlog form",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row(
            "import_requirements",
            "into Product's backlog (anyone may submit)",
            SIGNED_IN,
            |f, _| {
                let csv = format!("title,source\nAuthz import {},customer\n", short());
                Req::Json(json!({
                    "backlog_id": f.id("backlog"), "batch_id": new_id(), "file": csv.as_bytes(),
                    "commit": true, "only_valid": false
                }))
            },
        ),
        row(
            "open_poker_round",
            "on Product's backlog",
            TEAM_WORK,
            |f, _| {
                Req::Json(json!({
                    "id": new_id(), "backlog_id": f.id("backlog"), "title": "Authz sizing",
                    "requirement_ids": [f.id("req")], "invitees": [f.id("pm1")]
                }))
            },
        ),
        row("poker_rounds", "Product's backlog", SIGNED_IN, |f, _| {
            form! { "backlog_id" => f.id("backlog") }
        }),
        // pm1's round on Product's backlog, inviting admin, lead1, pm1 and member1.
        row(
            "poker_round",
            "editors and invitees",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| {
                form! { "id" => f.id("poker") }
            },
        ),
        row(
            "save_estimates",
            "invitees only",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| {
                Req::Json(json!({
                    "round_id": f.id("poker"), "estimates": [[f.id("req"), rice()]], "submit": false
                }))
            },
        ),
        row(
            "accept_estimate",
            "the backlog's editors",
            TEAM_WORK,
            |f, _| {
                form! { "round_id" => f.id("poker"), "requirement_id" => f.id("req"), "input" => rice() }
            },
        ),
        row(
            "close_poker_round",
            "the backlog's editors",
            TEAM_WORK,
            |f, _| {
                form! { "round_id" => f.id("poker_close") }
            },
        ),
        // ------------------------------------------------ goals and KPIs: pm1's KPIs and goal
        row("kpi_dashboard", "what one may see", SIGNED_IN, |_, _| {
            form! { "team" => "", "pm" => "", "status" => "", "page" => 0 }
        }),
        row(
            "kpi_form_choices",
            "the new-KPI form",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row("create_kpi", "owned by pm1", TEAM_WORK, |f, _| {
            let code = format!("AZ{}", short().to_uppercase());
            let owner = format!("pm:{}", f.id("pm1"));
            Req::Json(json!({ "id": new_id(), "form": kpi_form(&code, &owner, "team", "") }))
        }),
        row(
            "create_kpi",
            "owned by the caller, under pm1's private goal",
            // Issue 13: this was accepted (lead2 and pm6 could hang a KPI under a goal they
            // cannot see); the goal must look nonexistent to them.
            [OK, OK, HIDDEN_GOAL, OK, HIDDEN_GOAL, F, F, U],
            |f, c| kpi_under(f, c, f.id("goal_private")),
        ),
        row(
            "create_kpi",
            "owned by the caller, under a goal id that does not exist",
            [
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                HIDDEN_GOAL,
                F,
                F,
                U,
            ],
            |f, c| kpi_under(f, c, new_id()),
        ),
        row(
            "create_kpi",
            "owned by the caller, under Product's team goal (seen by all)",
            [OK, OK, GOAL_REFUSED, OK, GOAL_REFUSED, F, F, U],
            |f, c| kpi_under(f, c, GOAL_PRODUCT_TEAM.to_string()),
        ),
        row(
            "update_kpi",
            "pm1's team-visible KPI",
            [OK, OK, NF, OK, NF, F, NF, U],
            |f, _| update_kpi(f, "kpi_team", ""),
        ),
        row(
            "update_kpi",
            "pm1's private KPI",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| update_kpi(f, "kpi_private", ""),
        ),
        row(
            "update_kpi",
            "a KPI the caller edits, moved under pm1's private goal",
            // Issue 13, as for create_kpi: this was accepted for lead2 and pm6.
            [OK, OK, HIDDEN_GOAL, OK, HIDDEN_GOAL, F, NF, U],
            |f, c| {
                let k = f.pick("kpi_own", c);
                update_kpi(f, &k, &f.id("goal_private"))
            },
        ),
        row(
            "reassign_kpi",
            "pm1's team-visible KPI",
            [OK, OK, NF, F, NF, F, NF, U],
            |f, _| reassign(f, "kpi_team"),
        ),
        row(
            "reassign_kpi",
            "pm1's private KPI",
            [OK, OK, NF, F, NF, NF, NF, U],
            |f, _| reassign(f, "kpi_private"),
        ),
        row(
            "load_kpi",
            "pm1's team-visible KPI",
            [OK, OK, NF, OK, NF, OK, NF, U],
            |f, _| {
                form! { "id" => f.id("kpi_team") }
            },
        ),
        row(
            "load_kpi",
            "pm1's private KPI",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| {
                form! { "id" => f.id("kpi_private") }
            },
        ),
        row(
            "add_checkin",
            "pm1's team-visible KPI",
            [OK, OK, NF, OK, NF, F, NF, U],
            |f, _| checkin(f.id("kpi_team")),
        ),
        row(
            "add_checkin",
            "pm1's private KPI",
            [OK, OK, NF, OK, NF, NF, NF, U],
            |f, _| checkin(f.id("kpi_private")),
        ),
        row("checkins_due", "one's own", SIGNED_IN, |_, _| form! {}),
        row("goal_tree", "what one may see", SIGNED_IN, |_, _| form! {}),
        row("create_goal", "a company goal", ADMIN, |_, _| {
            goal_json("company", String::new(), vec![], String::new())
        }),
        row("create_goal", "a team goal of Product", ABOVE, |f, _| {
            goal_json("team", String::new(), vec![f.id("product")], String::new())
        }),
        row("create_goal", "a PM goal of pm1", TEAM_WORK, |f, _| {
            goal_json("pm", f.id("pm1"), vec![], String::new())
        }),
        row(
            "create_goal",
            "a PM goal of the caller's, under pm1's private goal",
            // Issue 13: this was accepted for lead2 (for pm6) and pm6.
            [OK, OK, HIDDEN_PARENT, OK, HIDDEN_PARENT, F, F, U],
            |f, c| goal_json("pm", own_pm(f, c), vec![], f.id("goal_private")),
        ),
        row(
            "create_goal",
            "a PM goal of the caller's, under a goal id that does not exist",
            [
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                HIDDEN_PARENT,
                F,
                F,
                U,
            ],
            |f, c| goal_json("pm", own_pm(f, c), vec![], new_id()),
        ),
        row(
            "create_goal",
            "a PM goal of the caller's, under Product's team goal (seen by all)",
            [OK, OK, PARENT_REFUSED, OK, PARENT_REFUSED, F, F, U],
            |f, c| goal_json("pm", own_pm(f, c), vec![], GOAL_PRODUCT_TEAM.to_string()),
        ),
        row(
            "create_goal",
            "a team goal of the caller's team, under pm1's private goal",
            // Issue 13: this was accepted for lead2 (a Platform goal under a hidden goal).
            [OK, OK, HIDDEN_PARENT, F, F, F, F, U],
            |f, c| {
                goal_json(
                    "team",
                    String::new(),
                    vec![own_team(f, c)],
                    f.id("goal_private"),
                )
            },
        ),
        row(
            "charter_people",
            "whose charters one reads",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row(
            "load_charter",
            "pm1's charter",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! { "person_id" => f.id("pm1") }
            },
        ),
        row(
            "save_charter",
            "pm1's charter",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "person_id" => f.id("pm1"), "version" => f.v("charter:pm1"),
                    "responsibilities" => "Authz 职责", "decision_rights" => "Authz",
                }
            },
        ),
        row(
            "import_checkins",
            "a check-in of pm1's team-visible KPI",
            [OK, OK, RNF, OK, RNF, F, F, U],
            |f, _| {
                let csv = format!(
                    "date,kpi_code,value,confidence,note\n{},{},5,80,authz {}\n",
                    f.s("yesterday"),
                    f.s("code:kpi_team"),
                    short()
                );
                Req::Json(json!({
                    "batch_id": new_id(), "file": csv.as_bytes(), "commit": true, "only_valid": false
                }))
            },
        ),
        // ------------------------------------------------ growth: pm1's growth, plan and pair
        row(
            "person_growth",
            "pm1's",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! { "person_id" => f.id("pm1"), "period_id" => "" }
            },
        ),
        row(
            "save_ratings",
            "pm1's self ratings (only pm1)",
            [F, F, F, OK, F, F, F, U],
            |f, _| {
                Req::Json(json!({
                    "person_id": f.id("pm1"), "period_id": PERIOD1, "version": f.vers["assessment:pm1"],
                    "as_leader": false, "ratings": [{"competency_id": COMP1, "rating": "3"}]
                }))
            },
        ),
        row("save_ratings", "pm1's leader ratings", ABOVE, |f, _| {
            Req::Json(json!({
                "person_id": f.id("pm1"), "period_id": PERIOD1, "version": f.vers["assessment:pm1"],
                "as_leader": true, "ratings": [{"competency_id": COMP1, "rating": "3"}]
            }))
        }),
        row("set_level", "pm1's level, unchanged", ABOVE, |f, _| {
            form! { "person_id" => f.id("pm1"), "level_id" => LEVEL2, "version" => f.v("level:pm1") }
        }),
        row(
            "add_plan_item",
            "to pm1's plan",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                Req::Json(json!({
                    "id": new_id(), "person_id": f.id("pm1"), "period_id": PERIOD1,
                    "form": {
                        "kind": "reading", "title": "Authz reading", "competency_id": COMP1,
                        "due_date": day_text(today() + 30), "cost": "0", "evidence": "", "catalog_id": ""
                    }
                }))
            },
        ),
        row(
            "update_plan_item",
            "an item of pm1's plan",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "id" => f.id("item_pm1"), "version" => f.v("item_pm1"), "status" => "planned",
                    "evidence" => "authz", "due_date" => day_text(today() + 30), "cost" => "0",
                }
            },
        ),
        row(
            "approve_plan",
            "an over-budget Product plan (its nearest leader only, never one's own)",
            NEAREST_LEADER,
            |f, c| {
                let k = f.pick("plan_wait", c);
                form! { "plan_id" => f.id(&k), "version" => f.v(&k) }
            },
        ),
        row("growth_dashboard", "Product's", ABOVE, |f, _| {
            form! { "period_id" => "", "team" => f.id("product"), "page" => 0 }
        }),
        row("growth_catalog", "the catalog", SIGNED_IN, |_, _| form! {}),
        row("create_catalog_entry", "a resource", LEADERS, |_, _| {
            Req::Json(json!({
                "id": new_id(), "title": format!("Authz course {}", short()), "kind": "course",
                "competencies": [COMP1], "link": "", "cost": "0", "language": "en"
            }))
        }),
        row(
            "growth_mentoring",
            "one's pairs",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row("create_mentorship", "pm2 mentoring pm1", ABOVE, |f, _| {
            form! {
                "id" => new_id(), "mentor_id" => f.id("pm2"), "mentee_id" => f.id("pm1"),
                "goals" => "Authz goals",
            }
        }),
        row(
            "log_meeting",
            "of the pair pm2 → pm1 (its mentor or mentee only)",
            [F, F, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "id" => new_id(), "mentorship_id" => PAIR_PM2_PM1, "day" => f.s("yesterday"),
                    "note" => "Authz meeting",
                }
            },
        ),
        row("growth_framework", "the framework", SIGNED_IN, |_, _| {
            form! { "track_id" => TRACK }
        }),
        row("save_expectation", "PM1 × discovery", ADMIN, |f, _| {
            form! {
                "level_id" => LEVEL1, "competency_id" => COMP1, "version" => f.v("expectation"),
                "text_en" => "Authz", "text_zh" => "Authz", "rating" => "2",
            }
        }),
        row("add_competency", "to the PM track", ADMIN, |_, _| {
            let s = short();
            form! {
                "id" => new_id(), "track_id" => TRACK, "key" => format!("az{s}"),
                "name_en" => format!("Authz {s}"), "name_zh" => format!("授权 {s}"),
            }
        }),
        row("add_level", "to the PM track", ADMIN, |_, _| {
            form! { "id" => new_id(), "track_id" => TRACK, "code" => format!("Z{}", short()) }
        }),
        row("growth_settings", "budgets one may set", LEADERS, |_, _| {
            form! { "period_id" => "" }
        }),
        row("create_period", "a new period", ADMIN, |_, _| {
            form! {
                "id" => new_id(), "name" => format!("Authz {}", short()),
                "start_date" => "2031-01-01", "end_date" => "2031-06-30",
            }
        }),
        row("set_budget", "pm1's", ABOVE, |f, _| {
            form! {
                "period_id" => PERIOD1, "scope" => "person", "subject_id" => f.id("pm1"),
                "amount" => "5000", "version" => f.v("budget:pm1"),
            }
        }),
        row(
            "set_budget",
            "Growth's (a team below lead1's)",
            ABOVE,
            |f, _| {
                form! {
                    "period_id" => PERIOD1, "scope" => "team", "subject_id" => f.id("growth"),
                    "amount" => "20000", "version" => f.v("budget:growth"),
                }
            },
        ),
        // ------------------------------------------------ surveys: lead1's rounds over Product
        row(
            "load_surveys",
            "what one may see",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row("surveys_awaiting", "one's own", SIGNED_IN, |_, _| form! {}),
        row(
            "new_round_options",
            "the new-round form",
            LEADERS,
            |_, _| form! {},
        ),
        row("create_round", "over Product", ABOVE, |f, _| {
            Req::Json(json!({
                "id": new_id(), "title": "Authz round", "themes": ["engagement"],
                "teams": [f.id("product")], "opens": local(-1), "closes": local(60 * 24),
                "pulse": "none", "visibility": "team", "k": "", "comment_min": "", "support_note": ""
            }))
        }),
        row(
            "load_round",
            "lead1's open round (asked or managing)",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| {
                form! { "id" => f.id("s_open") }
            },
        ),
        row(
            "add_round_question",
            "lead1's scheduled round",
            ABOVE,
            |f, _| {
                form! {
                    "round_id" => f.id("s_sched"), "id" => new_id(), "theme" => "wellbeing",
                    "kind" => "likert", "text_en" => "Authz question", "text_zh" => "",
                    "options" => "", "distress_at" => "",
                }
            },
        ),
        row(
            "set_round_thresholds",
            "lead1's scheduled round",
            ADMIN,
            |f, _| {
                form! {
                    "round_id" => f.id("s_sched"), "version" => f.v("s_sched"), "k" => "5",
                    "comment_min" => "5",
                }
            },
        ),
        row("close_round", "an open round of lead1's", ABOVE, |f, c| {
            let k = f.pick("s_close", c);
            form! { "round_id" => f.id(&k), "version" => f.v(&k) }
        }),
        row("stop_pulse", "lead1's open round", ABOVE, |f, _| {
            form! { "round_id" => f.id("s_open") }
        }),
        row(
            "submit_answers",
            "lead1's open round (those asked: Product's people)",
            [F, OK, F, OK, F, OK, F, U],
            |f, _| {
                Req::Json(json!({
                    "round_id": f.id("s_open"), "submission": new_id(), "answers": f.json["answers"]
                }))
            },
        ),
        row(
            "load_survey_results",
            "lead1's closed round",
            [OK, OK, F, OK, F, OK, F, U],
            |f, _| form! { "round_id" => f.id("s_closed"), "group" => "" },
        ),
        row(
            "load_survey_results",
            "lead1's open round: for nobody before it closes",
            [
                AFTER_CLOSE,
                AFTER_CLOSE,
                F,
                AFTER_CLOSE,
                F,
                AFTER_CLOSE,
                F,
                U,
            ],
            |f, _| form! { "round_id" => f.id("s_open"), "group" => "" },
        ),
        row(
            "create_survey_action",
            "for Product on the closed round",
            ABOVE,
            |f, _| {
                form! {
                    "id" => new_id(), "round_id" => f.id("s_closed"), "team_id" => f.id("product"),
                    "focus" => "wellbeing", "action" => "Authz action", "owner_id" => f.id("lead1"),
                    "due_date" => "2030-01-31",
                }
            },
        ),
        row(
            "follow_up_survey_action",
            "lead1's action owned by pm1",
            [OK, OK, F, OK, F, F, F, U],
            |f, _| {
                form! {
                    "id" => f.id("action"), "version" => f.v("action"), "status" => "open",
                    "follow_up" => "Authz follow-up",
                }
            },
        ),
        // ------------------------------------------------ sign-in and one's own account
        // (last: these end or replace sessions, and change_password changes them)
        row(
            "me",
            "the signed-in user, or none",
            [OK; 8],
            |_, _| form! {},
        ),
        row("sign_in_alerts", "one's own", SIGNED_IN, |_, _| form! {}),
        row(
            "dismiss_sign_in_alerts",
            "one's own",
            SIGNED_IN,
            |_, _| form! {},
        ),
        row(
            "set_language",
            "one's own (a visitor's in the cookie)",
            [OK; 8],
            |_, _| {
                form! { "language" => "en" }
            },
        ),
        row(
            "setup",
            "once the organisation exists",
            [SETUP_DONE; 8],
            |_, _| {
                form! {
                    "organisation" => "Shadow Co.", "display_name" => "Shadow",
                    "email" => "shadow@example.com", "password" => "long-enough", "language" => "en",
                    "setup_token" => super::SETUP_TOKEN,
                }
            },
        ),
        row("login", "with one's own password", [OK; 8], |_, c| {
            form! { "email" => c.login_email, "password" => PW }
        })
        .fresh(),
        row("logout", "one's own session", [OK; 8], |_, _| form! {}).fresh(),
        row("change_password", "one's own", SIGNED_IN, |_, _| {
            form! { "old_password" => PW, "new_password" => "keel-demo-changed" }
        })
        .fresh(),
    ]
}

// ---------------------------------------------------------------- fixtures

fn ok(r: Reply, what: &str) -> Reply {
    assert!(
        r.status.is_success(),
        "fixture {what}: {} {}",
        r.status,
        r.body
    );
    r
}

async fn submit_requirement(app: &App, cookie: &str, backlog: &str, title: &str) -> String {
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

async fn new_round(app: &App, cookie: &str, product: &str, opens: i64, closes: i64) -> String {
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
async fn setup(app: &App) -> (Vec<Caller>, Fx) {
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
            sqlx::query_scalar("SELECT id FROM plans WHERE period_id = ? AND user_id = ?")
                .bind(PERIOD2)
                .bind(&person)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        fx.put(key, plan);
    }

    // Surveys: lead1's rounds over Product: closed, open, scheduled, and one
    // open round each for admin and lead1 to close; an action on the closed one.
    let product = fx.id("product");
    let closed = new_round(app, &lead1, &product, -1, 60 * 24).await;
    let version: i64 = sqlx::query_scalar("SELECT version FROM survey_rounds WHERE id = ?")
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

    refresh(app, &mut fx).await;
    (callers, fx)
}

// ---------------------------------------------------------------- the tests

/// The names of the registered server functions (the registry leptos_axum
/// routes `/api/*` through), without the `/api/` prefix.
fn registered() -> BTreeMap<String, String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            let name = path.strip_prefix("/api/").unwrap_or(path).to_string();
            (name, format!("{method} {path}"))
        })
        .collect()
}

#[test]
fn every_registered_server_function_has_a_row() {
    let registered = registered();
    let rows: BTreeSet<String> = table().iter().map(|r| r.ep.to_string()).collect();
    let missing: Vec<&String> = registered
        .iter()
        .filter(|(name, _)| !rows.contains(*name))
        .map(|(_, route)| route)
        .collect();
    let unknown: Vec<&String> = rows
        .iter()
        .filter(|r| !registered.contains_key(*r))
        .collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "the authorisation table must have a row for every registered server function \
         (tests/api_parts/authz.rs).\n  registered without a row: {missing:?}\n  \
         rows for no registered function: {unknown:?}"
    );
}

#[tokio::test]
async fn every_server_function_answers_each_role_and_scope_as_the_table_says() {
    let started = std::time::Instant::now();
    let app = demo_app().await;
    let (callers, mut fx) = setup(&app).await;
    let rows = table();
    let mut failures = Vec::new();
    let mut cases = 0;
    for row in &rows {
        // Refusals first, so that the allowed calls' writes come after them.
        let mut order: Vec<usize> = (0..CALLERS.len()).collect();
        order.sort_by_key(|i| row.expect[*i].allows());
        for i in order {
            let caller = &callers[i];
            let expect = row.expect[i];
            let cookie = match &caller.cookie {
                Some(_) if row.fresh_session => Some(app.sign_in(caller.email, PW).await),
                c => c.clone(),
            };
            let reply = match (row.args)(&fx, caller) {
                Req::Form(pairs) => {
                    let pairs: Vec<(&str, &str)> = pairs
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    app.call(row.ep, &pairs, cookie.as_deref()).await
                }
                Req::Json(body) => app.call_json(row.ep, body, cookie.as_deref()).await,
            };
            cases += 1;
            if !expect.check(&reply) {
                let hole = if !expect.allows() && reply.status.is_success() {
                    "HOLE "
                } else {
                    ""
                };
                let mut body = reply.body.clone();
                body.truncate(200);
                failures.push(format!(
                    "{hole}{} ({}) as {}: expected {}, got {} {body}",
                    row.ep,
                    row.what,
                    caller.key,
                    expect.describe(),
                    reply.status.as_u16(),
                ));
            }
            if reply.status.is_success() {
                refresh(&app, &mut fx).await;
            }
        }
    }
    println!(
        "authorisation matrix: {} rows over {} server functions, {cases} cases, {:.1} s",
        rows.len(),
        rows.iter().map(|r| r.ep).collect::<BTreeSet<_>>().len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ from the authorisation table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
