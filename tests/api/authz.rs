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
//!
//! This module holds the table's vocabulary and the tests; the table itself
//! is in `authz_table`, the records it acts on in `authz_fixtures`.
use crate::authz_fixtures::{refresh, setup};
use crate::authz_table::table;
use crate::helpers::{PW, Reply, demo_app};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const PERIOD1: &str = "6e0b0000-0000-4000-8000-000000000001";
pub(crate) const PERIOD2: &str = "6e0b0000-0000-4000-8000-000000000002";
pub(crate) const TRACK: &str = "6e0a0000-0000-4000-8000-000000000001";
pub(crate) const COMP1: &str = "6e0a0000-0000-4000-8000-000000000101";
pub(crate) const LEVEL1: &str = "6e0a0000-0000-4000-8000-000000000201";
pub(crate) const LEVEL2: &str = "6e0a0000-0000-4000-8000-000000000202";
/// The demo's team goal of Product and Growth, visible to the organisation.
pub(crate) const GOAL_PRODUCT_TEAM: &str = "5e0c7f6a-1c1d-4d8e-9a51-000000000002";
/// The demo's mentoring pair pm2 (mentor) → pm1 (mentee).
pub(crate) const PAIR_PM2_PM1: &str = "6e0e0000-0000-4000-8000-000000000002";

// ---------------------------------------------------------------- the table's vocabulary

/// The callers, in the order of every row's expectations.
pub(crate) const CALLERS: [(&str, &str); 8] = [
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
pub(crate) enum Exp {
    /// Any 2xx (for imports: with no row refused).
    Ok,
    /// Refused with this status and error code.
    No(u16, &'static str),
    /// Refused with this status and error code at this form field.
    At(u16, &'static str, &'static str),
    /// An import answered 2xx but refused every row with this code, storing none.
    RowsNo(&'static str),
}

pub(crate) const OK: Exp = Exp::Ok;
pub(crate) const U: Exp = Exp::No(401, "not_signed_in");
pub(crate) const F: Exp = Exp::No(403, "forbidden");
pub(crate) const NF: Exp = Exp::No(404, "not_found");
pub(crate) const RNF: Exp = Exp::RowsNo("not_found");
pub(crate) const SETUP_DONE: Exp = Exp::No(409, "setup_done");
pub(crate) const AFTER_CLOSE: Exp = Exp::No(409, "results_after_close");
/// A goal the caller does not see, named as a KPI's goal or a goal's parent:
/// the answer a goal id that does not exist gets (422 invalid_choice at that
/// field), so that hidden goals cannot be probed. The rows "under a goal id
/// that does not exist" show that the two answers are the same.
pub(crate) const HIDDEN_GOAL: Exp = Exp::At(422, "invalid_choice", "goal_id");
/// A goal with goals or KPIs under it, which cannot be deleted.
pub(crate) const NOT_EMPTY: Exp = Exp::At(409, "goal_not_empty", "children");
pub(crate) const HIDDEN_PARENT: Exp = Exp::At(422, "invalid_choice", "parent_id");
/// A goal the caller sees but may not change the roll-up of.
pub(crate) const GOAL_REFUSED: Exp = Exp::At(403, "forbidden", "goal_id");
pub(crate) const PARENT_REFUSED: Exp = Exp::At(403, "forbidden", "parent_id");

/// Anyone signed in.
pub(crate) const SIGNED_IN: [Exp; 8] = [OK, OK, OK, OK, OK, OK, OK, U];
/// Admins only.
pub(crate) const ADMIN: [Exp; 8] = [OK, F, F, F, F, F, F, U];
/// Editing a team's work (EditTeamWork): admins, the leaders above, the team's PMs.
pub(crate) const TEAM_WORK: [Exp; 8] = [OK, OK, F, OK, F, F, F, U];
/// "Nothing to undo" for those TEAM_WORK allows (authorised, then refused).
pub(crate) const NTU: Exp = Exp::No(409, "nothing_to_undo");
pub(crate) const NO_UNDO: [Exp; 8] = [NTU, NTU, F, NTU, F, F, F, U];
/// The record's author (member1) only.
pub(crate) const SUBMITTER: [Exp; 8] = [F, F, F, F, F, OK, F, U];
/// Admins only, who are told the version is stale.
pub(crate) const STALE_ADMIN: [Exp; 8] = [Exp::No(409, "stale_version"), F, F, F, F, F, F, U];
/// A made-up invitation secret: the same answer for everyone.
pub(crate) const NO_INVITATION: Exp = Exp::At(410, "invitation_invalid", "token");
/// Admins and the leaders above the person get past authorisation to the
/// field the row gets wrong.
pub(crate) const BAD_ITEM: Exp = Exp::At(422, "invalid_choice", "item_id");
pub(crate) const BAD_RECEIVER: Exp = Exp::At(422, "invalid_choice", "to_id");
pub(crate) const HAND_OVER_ONE: [Exp; 8] = [BAD_ITEM, BAD_ITEM, F, F, F, F, F, U];
pub(crate) const HAND_OVER_ALL: [Exp; 8] = [BAD_RECEIVER, BAD_RECEIVER, F, F, F, F, F, U];
/// Managing a team or its people (ManageTeam, a leader above a person): admins, the leaders above.
pub(crate) const ABOVE: [Exp; 8] = [OK, OK, F, F, F, F, F, U];
/// A plan's approval: the person's nearest leader (lead1 for Product); not
/// an admin while the person has a leader (SPEC).
pub(crate) const NEAREST_LEADER: [Exp; 8] = [F, OK, F, F, F, F, F, U];
/// Admins and every leader (no record in scope).
pub(crate) const LEADERS: [Exp; 8] = [OK, OK, OK, F, F, F, F, U];

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
pub(crate) enum Req {
    Form(Vec<(String, String)>),
    Json(Value),
}

macro_rules! form {
    ($($k:literal => $v:expr),* $(,)?) => {
        $crate::authz::Req::Form(vec![$(($k.to_string(), ($v).to_string())),*])
    };
}
pub(crate) use form;

pub(crate) struct Caller {
    pub(crate) key: &'static str,
    pub(crate) email: &'static str,
    /// The account a login row signs in to: the caller's own (member10 for the visitor).
    pub(crate) login_email: &'static str,
    pub(crate) id: String,
    pub(crate) cookie: Option<String>,
}

impl Caller {
    pub(crate) fn is(&self, key: &str) -> bool {
        self.key == key
    }
}

pub(crate) struct Row {
    pub(crate) ep: &'static str,
    pub(crate) what: &'static str,
    pub(crate) expect: [Exp; 8],
    pub(crate) args: fn(&Fx, &Caller) -> Req,
    /// Each caller signs in anew for this row (it ends or replaces the session).
    pub(crate) fresh_session: bool,
}

pub(crate) fn row(
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
    pub(crate) fn fresh(mut self) -> Row {
        self.fresh_session = true;
        self
    }
}

/// Fixture ids (looked up or created at the start), JSON made at the start,
/// and the current versions and states of the records rows change.
#[derive(Default)]
pub(crate) struct Fx {
    pub(crate) ids: BTreeMap<String, String>,
    pub(crate) json: BTreeMap<String, Value>,
    pub(crate) vers: BTreeMap<String, i64>,
    pub(crate) strs: BTreeMap<String, String>,
}

impl Fx {
    pub(crate) fn id(&self, key: &str) -> String {
        self.ids
            .get(key)
            .unwrap_or_else(|| panic!("no fixture {key}"))
            .clone()
    }

    /// The caller's own copy of a fixture (`key:caller`), else the shared one.
    pub(crate) fn pick(&self, key: &str, c: &Caller) -> String {
        let own = format!("{key}:{}", c.key);
        if self.ids.contains_key(&own) {
            own
        } else {
            key.to_string()
        }
    }

    pub(crate) fn v(&self, key: &str) -> String {
        self.vers
            .get(key)
            .unwrap_or_else(|| panic!("no version of {key}"))
            .to_string()
    }

    pub(crate) fn s(&self, key: &str) -> String {
        self.strs
            .get(key)
            .unwrap_or_else(|| panic!("no fixture text {key}"))
            .clone()
    }

    pub(crate) fn put(&mut self, key: &str, id: impl Into<String>) {
        self.ids.insert(key.to_string(), id.into());
    }
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
         (tests/api/authz_table.rs).\n  registered without a row: {missing:?}\n  \
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
