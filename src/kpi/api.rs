//! Server functions of goals and KPIs: dashboards, check-ins, the goal tree,
//! charters and CSV import. Every one authorises on the server.
use super::model::{Charter, DueKpi, GoalNode, GoalTree, KpiDashboard, KpiDetail, KpiForm};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{
        Definition, Goal, GoalKpi, GoalLevel, KpiCard, KpiStatus, Ownership, PAGE_SIZE,
        ParentAccess, Spark, StatusCounts, TreeKpi, Visibility, can_edit, can_reassign, can_see,
        day_number, expected_progress, is_due, is_stale, parent_access, progress, status,
    },
    super::store::{self, KpiRow},
    crate::auth::{Action, Actor, Role},
    crate::error::ErrorCode,
    crate::server::{
        now_rfc3339,
        request::{allow, client_id, require_actor, state},
    },
};

#[cfg(feature = "ssr")]
use crate::server::org_today as today;

#[cfg(feature = "ssr")]
fn definition(row: &KpiRow) -> Definition {
    Definition {
        direction: row.direction(),
        baseline: row.baseline,
        target: row.target,
        start: day_number(&row.start_date).unwrap_or(0),
        due: day_number(&row.due_date).unwrap_or(0),
    }
}

#[cfg(feature = "ssr")]
fn teams_of(row: &KpiRow) -> [String; 1] {
    [row.team_id.clone()]
}

#[cfg(feature = "ssr")]
fn ownership<'a>(row: &'a KpiRow, teams: &'a [String]) -> Ownership<'a> {
    Ownership {
        person: row.owner_id.as_deref(),
        teams,
    }
}

/// Whether the caller sees a KPI (its page, its check-ins; the token API too).
#[cfg(feature = "ssr")]
pub(crate) fn visible(actor: &Actor, row: &KpiRow) -> bool {
    let teams = teams_of(row);
    can_see(actor, row.visibility(), &ownership(row, &teams))
}

/// Whether the caller edits a KPI and adds its check-ins (the token API too).
#[cfg(feature = "ssr")]
pub(crate) fn editable(actor: &Actor, row: &KpiRow) -> bool {
    let teams = teams_of(row);
    can_edit(actor, &ownership(row, &teams))
}

/// Status and stale flag from the stored current value alone (no series).
/// A KPI archived by a period's close shows the status it ended on, never
/// stale (it takes no more check-ins).
#[cfg(feature = "ssr")]
pub(crate) fn quick_status(row: &KpiRow, today: i64) -> (KpiStatus, bool) {
    let def = definition(row);
    let last = row.last_day.as_deref().and_then(day_number);
    let fin = row.final_status();
    (
        super::model::shown_status(fin, status(&def, row.current_value, today)),
        fin.is_none() && is_stale(last, def.start, today, row.cadence_days),
    )
}

#[cfg(feature = "ssr")]
fn card_of(row: KpiRow, series: Vec<(i64, f64)>, spark: Spark, today: i64) -> KpiCard {
    let def = definition(&row);
    let (st, stale) = quick_status(&row, today);
    let owner = row.owner();
    KpiCard {
        id: row.id,
        code: row.code,
        name: row.name,
        owner,
        owner_name: row.owner_name.unwrap_or_else(|| row.team_name.clone()),
        team_id: row.team_id,
        team_name: row.team_name,
        unit: row.unit,
        direction: def.direction,
        baseline: row.baseline,
        target: row.target,
        start_date: row.start_date,
        due_date: row.due_date,
        cadence_days: row.cadence_days,
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Private),
        goal_id: row.goal_id,
        weight: row.weight,
        version: row.version,
        current: row.current_value,
        last_day: row.last_day,
        progress: progress(def.direction, def.baseline, def.target, row.current_value),
        expected: expected_progress(def.start, def.due, today),
        status: st,
        stale,
        forecast: row.forecast,
        series,
        spark,
    }
}

#[cfg(feature = "ssr")]
async fn kpi_or_404(pool: &sqlx::AnyPool, actor: &Actor, id: &str) -> Result<KpiRow, AppError> {
    store::kpi(pool, id)
        .await?
        .filter(|k| visible(actor, k))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// The dates a dashboard's period filter keeps KPIs for: "" (any),
/// "this_quarter", "last_quarter" (calendar quarters in the organisation's
/// time zone) or "custom" (`from`, `to`; either may be empty). A KPI is kept
/// when its start-to-due span meets the period.
#[cfg(feature = "ssr")]
fn period_bounds(
    period: &str,
    from: &str,
    to: &str,
    today: &str,
) -> Result<(Option<String>, Option<String>), AppError> {
    let date = |field: &str, raw: &str| -> Result<Option<String>, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        crate::calendar::day_number(raw)
            .map(|_| Some(raw.to_string()))
            .ok_or_else(|| AppError::field(ErrorCode::InvalidDate, field))
    };
    match period {
        "" => Ok((None, None)),
        "this_quarter" | "last_quarter" => {
            let offset = if period == "this_quarter" { 0 } else { -1 };
            let (a, b) =
                crate::calendar::quarter_bounds(today, offset).ok_or_else(AppError::internal)?;
            Ok((Some(a), Some(b)))
        }
        "custom" => {
            let (a, b) = (date("from", from)?, date("to", to)?);
            if let (Some(a), Some(b)) = (&a, &b) {
                if b < a {
                    return Err(AppError::field(ErrorCode::DueBeforeStart, "to"));
                }
            }
            Ok((a, b))
        }
        _ => Err(AppError::field(ErrorCode::InvalidChoice, "period")),
    }
}

/// The KPI dashboard: the KPIs the caller may see, grouped by team, filtered
/// by team, PM, status (or `stale`), a search of code and name, and a
/// period, 50 cards a page.
#[server(prefix = "/api", endpoint = "kpi_dashboard")]
#[allow(clippy::too_many_arguments)]
pub async fn load_kpi_dashboard(
    team: String,
    pm: String,
    status: String,
    page: usize,
    search: String,
    period: String,
    from: String,
    to: String,
) -> Result<KpiDashboard, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &st.pool;
    let (today_text, today) = today(pool).await?;
    let (period_from, period_to) = period_bounds(&period, &from, &to, &today_text)?;
    let needle = search.trim().to_lowercase();
    let rows = store::kpis_cached(pool, &st.kpi_rows).await?;
    let mut teams: Vec<(String, String)> = Vec::new();
    let mut pms: Vec<(String, String)> = Vec::new();
    let mut counts = StatusCounts::default();
    let mut chosen: Vec<&KpiRow> = Vec::new();
    for row in rows.iter() {
        // Archived KPIs keep their page and history, off the dashboard.
        if !visible(&actor, row) || row.archived_at.is_some() {
            continue;
        }
        if !teams.iter().any(|(id, _)| *id == row.team_id) {
            teams.push((row.team_id.clone(), row.team_name.clone()));
        }
        if let (Some(id), Some(name)) = (&row.owner_id, &row.owner_name) {
            if !pms.iter().any(|(p, _)| p == id) {
                pms.push((id.clone(), name.clone()));
            }
        }
        if !team.is_empty() && row.team_id != team {
            continue;
        }
        if !pm.is_empty() && row.owner_id.as_deref() != Some(pm.as_str()) {
            continue;
        }
        if !needle.is_empty()
            && !row.code.to_lowercase().contains(&needle)
            && !row.name.to_lowercase().contains(&needle)
        {
            continue;
        }
        if period_to.as_ref().is_some_and(|to| row.start_date > *to)
            || period_from
                .as_ref()
                .is_some_and(|from| row.due_date < *from)
        {
            continue;
        }
        let (st, stale) = quick_status(row, today);
        let keep = match status.as_str() {
            "" => true,
            "stale" => stale,
            s => KpiStatus::parse(s) == Some(st),
        };
        if keep {
            counts.add(st, stale);
            chosen.push(row);
        }
    }
    pms.sort_by(|a, b| a.1.cmp(&b.1));
    let total = chosen.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages - 1);
    let page_rows: Vec<KpiRow> = chosen
        .into_iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .cloned()
        .collect();
    let ids: Vec<&str> = page_rows.iter().map(|r| r.id.as_str()).collect();
    let mut sparks = store::sparks(pool, &ids).await?;
    let cards = page_rows
        .into_iter()
        .map(|r| {
            let s = sparks.remove(&r.id).unwrap_or_default();
            card_of(r, Vec::new(), s, today)
        })
        .collect();
    Ok(KpiDashboard {
        cards,
        total,
        page,
        counts,
        teams,
        pms,
        can_create: crate::auth::can(&actor, Action::CreateKpis),
        today: today_text,
    })
}

/// People and teams a KPI can be owned by, for the caller: (`pm:<id>` or
/// `team:<id>`, label).
#[cfg(feature = "ssr")]
async fn owner_choices(
    pool: &sqlx::AnyPool,
    actor: &Actor,
) -> Result<Vec<(String, String)>, AppError> {
    let teams = crate::people::store::teams(pool).await?;
    let people = crate::people::store::people(pool).await?;
    let mut out = Vec::new();
    for p in people.iter().filter(|p| p.active && p.role == Role::Pm) {
        let Some(team) = p.team_id.clone() else {
            continue;
        };
        let ts = [team.clone()];
        if can_edit(
            actor,
            &Ownership {
                person: Some(&p.id),
                teams: &ts,
            },
        ) {
            let tname = teams.iter().find(|t| t.id == team).map(|t| t.name.clone());
            out.push((
                format!("pm:{}", p.id),
                format!("{} · {}", p.display_name, tname.unwrap_or_default()),
            ));
        }
    }
    for t in &teams {
        let ts = [t.id.clone()];
        if can_edit(
            actor,
            &Ownership {
                person: None,
                teams: &ts,
            },
        ) {
            out.push((format!("team:{}", t.id), t.name.clone()));
        }
    }
    Ok(out)
}

/// What a new-KPI form offers the caller: owners and goals.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KpiFormChoices {
    pub owners: Vec<(String, String)>,
    pub goals: Vec<(String, String)>,
    pub today: String,
}

#[server(prefix = "/api", endpoint = "kpi_form_choices")]
pub async fn load_kpi_form_choices() -> Result<KpiFormChoices, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let owners = owner_choices(pool, &actor).await?;
    let goals = parent_choices(pool, &actor).await?;
    Ok(KpiFormChoices {
        owners,
        goals,
        today: today(pool).await?.0,
    })
}

/// Checks an owner choice and returns (owner PM, owning team), refusing an
/// owner the caller may not give work to.
#[cfg(feature = "ssr")]
async fn resolve_owner(
    pool: &sqlx::AnyPool,
    actor: &Actor,
    owner: &super::model::Owner,
) -> Result<(Option<String>, String), AppError> {
    use super::model::Owner;
    let bad = || AppError::field(ErrorCode::InvalidChoice, "owner");
    let (person, team) = match owner {
        Owner::Pm(id) => {
            let p = crate::people::store::person_by_id(pool, id)
                .await?
                .filter(|p| p.active && p.role == Role::Pm)
                .ok_or_else(bad)?;
            (Some(p.id), p.team_id.ok_or_else(bad)?)
        }
        Owner::Team(id) => {
            let teams = crate::people::store::teams(pool).await?;
            let t = teams.into_iter().find(|t| t.id == *id).ok_or_else(bad)?;
            (None, t.id)
        }
    };
    let ts = [team.clone()];
    let own = Ownership {
        person: person.as_deref(),
        teams: &ts,
    };
    if !can_edit(actor, &own) {
        return Err(AppError::forbidden());
    }
    Ok((person, team))
}

/// Creates a KPI; the same client id twice stores once.
#[server(prefix = "/api", endpoint = "create_kpi", input = leptos::server_fn::codec::Json)]
pub async fn create_kpi(id: String, form: KpiForm) -> Result<String, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::CreateKpis)?;
    let id = client_id(&id)?;
    if store::kpi(pool, &id).await?.is_some() {
        return Ok(id);
    }
    let fields = form.check()?;
    let (_, team) = resolve_owner(pool, &actor, &fields.owner).await?;
    if let Some(g) = &fields.goal_id {
        check_parent(pool, &actor, g, "goal_id").await?;
    }
    store::insert_kpi(pool, &id, &fields, &team, &actor.user.id, &now_rfc3339()).await?;
    Ok(id)
}

/// Edits a KPI's definition (its editors; the owner stays).
#[server(prefix = "/api", endpoint = "update_kpi", input = leptos::server_fn::codec::Json)]
pub async fn update_kpi(id: String, version: i64, form: KpiForm) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let row = kpi_or_404(pool, &actor, &id).await?;
    if !editable(&actor, &row) {
        return Err(AppError::forbidden());
    }
    if row.archived_at.is_some() {
        return Err(AppError::new(ErrorCode::Archived));
    }
    let form = KpiForm {
        owner: row.owner().key(),
        ..form
    };
    let fields = form.check()?;
    // A new parent is checked as at creation; staying under the current one is not.
    if let Some(g) = fields
        .goal_id
        .as_ref()
        .filter(|g| row.goal_id.as_ref() != Some(*g))
    {
        check_parent(pool, &actor, g, "goal_id").await?;
    }
    store::update_kpi(pool, &id, version, &fields, &now_rfc3339()).await
}

/// Hands a KPI to another owner: admins and the leaders above its team.
#[server(prefix = "/api", endpoint = "reassign_kpi")]
pub async fn reassign_kpi(id: String, version: i64, owner: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let row = kpi_or_404(pool, &actor, &id).await?;
    let teams = teams_of(&row);
    if !can_reassign(&actor, &ownership(&row, &teams)) {
        return Err(AppError::forbidden());
    }
    let owner = super::model::Owner::parse(&owner)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "owner"))?;
    let (person, team) = resolve_owner(pool, &actor, &owner).await?;
    store::set_kpi_owner(pool, &id, version, person.as_deref(), &team, &now_rfc3339()).await
}

/// A KPI's page: card, check-in history, what the caller may do.
#[server(prefix = "/api", endpoint = "load_kpi")]
pub async fn load_kpi(id: String) -> Result<KpiDetail, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let row = kpi_or_404(pool, &actor, &id).await?;
    let (today_text, today) = today(pool).await?;
    let can_edit = editable(&actor, &row);
    let teams = teams_of(&row);
    let can_reassign = can_reassign(&actor, &ownership(&row, &teams));
    let access = goal_access(pool, &actor).await?;
    // The parent's title only for a caller who sees that goal.
    let goal_title = row.goal_id.as_ref().and_then(|g| {
        access
            .iter()
            .find(|(x, a)| x.id == *g && *a != ParentAccess::Unseen)
            .map(|(x, _)| x.title.clone())
    });
    let s = store::series(pool, &row.id).await?;
    let spark = super::model::spark(&s, day_number(&row.due_date).unwrap_or(0));
    // When each check-in was made, in the organisation's offset.
    let clock = crate::server::clock::OrgClock::load(pool).await?;
    let mut checkins = store::checkins(pool, &row.id).await?;
    for c in &mut checkins {
        c.at = clock.local(&c.at);
    }
    let archived_at = row
        .archived_at
        .as_deref()
        .map(|at| crate::calendar::minute_part(&clock.local(at)));
    let can_delete = crate::auth::can(&actor, Action::ManageOrganisation);
    let final_status = row.final_status().is_some();
    let owners = if can_reassign {
        owner_choices(pool, &actor).await?
    } else {
        Vec::new()
    };
    // The goals it may move under, and the one it is under when seen.
    let goals = if can_edit {
        access
            .into_iter()
            .filter(|(g, a)| {
                *a == ParentAccess::Allowed
                    || (*a == ParentAccess::Refused && row.goal_id.as_ref() == Some(&g.id))
            })
            .map(|(g, _)| (g.id, g.title))
            .collect()
    } else {
        Vec::new()
    };
    Ok(KpiDetail {
        card: card_of(row, s, spark, today),
        checkins,
        goal_title,
        today: today_text,
        can_edit,
        can_reassign,
        owners,
        goals,
        archived_at,
        can_delete,
        final_status,
    })
}

/// Adds a check-in (or a correction of one) to a KPI; its PM, the PMs of an
/// owning team, the leaders above and admins. The same client id twice stores once.
#[server(prefix = "/api", endpoint = "add_checkin")]
pub async fn add_checkin(
    id: String,
    kpi_id: String,
    day: String,
    value: String,
    confidence: String,
    note: String,
    corrects: String,
) -> Result<bool, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let id = client_id(&id)?;
    let row = kpi_or_404(pool, &actor, &kpi_id).await?;
    let input = CheckInInput {
        day: &day,
        value: &value,
        confidence: &confidence,
        note: &note,
        corrects: &corrects,
    };
    add_checkin_as(pool, &actor, &row, &id, &input).await
}

/// A check-in as typed (the page's form, or the token API's JSON).
#[cfg(feature = "ssr")]
pub(crate) struct CheckInInput<'a> {
    pub day: &'a str,
    pub value: &'a str,
    pub confidence: &'a str,
    pub note: &'a str,
    pub corrects: &'a str,
}

/// Adds a check-in under the client id `id` (already read by
/// `client_id`) to a KPI the actor sees, with the rules of the page: its
/// editors only, the same validation, and the same id twice stores once
/// (`Ok(false)`: it was already stored). The page's server function and the
/// token API both come here.
#[cfg(feature = "ssr")]
pub(crate) async fn add_checkin_as(
    pool: &sqlx::AnyPool,
    actor: &Actor,
    row: &KpiRow,
    id: &str,
    input: &CheckInInput<'_>,
) -> Result<bool, AppError> {
    if !editable(actor, row) {
        return Err(AppError::forbidden());
    }
    if store::checkin_kpi(pool, id).await?.is_some() {
        return Ok(false);
    }
    if row.archived_at.is_some() {
        return Err(AppError::new(ErrorCode::Archived));
    }
    let (_, today) = today(pool).await?;
    let fields =
        super::model::check_checkin(input.day, input.value, input.confidence, input.note, today)?;
    let corrects = crate::input::optional_id(input.corrects);
    if let Some(c) = &corrects {
        if store::checkin_kpi(pool, c).await?.as_deref() != Some(row.id.as_str()) {
            return Err(AppError::field(ErrorCode::InvalidChoice, "corrects"));
        }
    }
    let item = store::NewCheckIn {
        id,
        kpi_id: &row.id,
        day: &fields.day,
        value: fields.value,
        confidence: fields.confidence,
        note: &fields.note,
        corrects: corrects.as_deref(),
        author: &actor.user.id,
    };
    // The check-in, its KPI's derived values and what a change of status
    // tells its people commit together.
    let mut tx = crate::server::db::begin(pool).await?;
    let stored = store::insert_checkins_in(&mut tx, &row.id, &[item], &now_rfc3339()).await?;
    if stored > 0 {
        crate::notify::sources::kpi_after_checkin(&mut tx, &row, today, &actor.user.id).await?;
    }
    tx.commit().await?;
    Ok(stored == 1)
}

/// The signed-in person's KPIs whose check-in is due (theirs, and their
/// team's for a PM).
#[server(prefix = "/api", endpoint = "checkins_due")]
pub async fn checkins_due() -> Result<Vec<DueKpi>, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &st.pool;
    let (_, today) = today(pool).await?;
    let me = &actor.user;
    let mut out = Vec::new();
    for row in store::kpis_cached(pool, &st.kpi_rows).await?.iter() {
        if row.archived_at.is_some() {
            continue;
        }
        let mine = row.owner_id.as_deref() == Some(me.id.as_str())
            || (row.owner_id.is_none()
                && me.role == Role::Pm
                && me.team_id.as_deref() == Some(row.team_id.as_str()));
        if !mine {
            continue;
        }
        let start = day_number(&row.start_date).unwrap_or(0);
        let due = day_number(&row.due_date).unwrap_or(0);
        let last = row.last_day.as_deref().and_then(day_number);
        if today <= due && is_due(last, start, today, row.cadence_days) {
            out.push(DueKpi {
                stale: is_stale(last, start, today, row.cadence_days),
                id: row.id.clone(),
                code: row.code.clone(),
                name: row.name.clone(),
                last_day: row.last_day.clone(),
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- goals

/// Every goal with what the caller may do with it as a parent (which says
/// whether they see it).
#[cfg(feature = "ssr")]
async fn goal_access(
    pool: &sqlx::AnyPool,
    actor: &Actor,
) -> Result<Vec<(Goal, ParentAccess)>, AppError> {
    Ok(goal_rights(pool, actor)
        .await?
        .into_iter()
        .map(|(g, a, _)| (g, a))
        .collect())
}

/// Every goal with what the caller may do with it as a parent, and whether
/// they may change it (edit, archive, delete: `can_edit_goal`).
#[cfg(feature = "ssr")]
async fn goal_rights(
    pool: &sqlx::AnyPool,
    actor: &Actor,
) -> Result<Vec<(Goal, ParentAccess, bool)>, AppError> {
    let goals = store::goals(pool).await?;
    let people = crate::people::store::people(pool).await?;
    Ok(goals
        .into_iter()
        .map(|g| {
            let mut teams: Vec<String> = g.teams.iter().map(|(id, _)| id.clone()).collect();
            if let Some(o) = &g.owner_id {
                if let Some(t) = people
                    .iter()
                    .find(|p| p.id == *o)
                    .and_then(|p| p.team_id.clone())
                {
                    teams.push(t);
                }
            }
            let owner = Ownership {
                person: g.owner_id.as_deref(),
                teams: &teams,
            };
            let access = parent_access(actor, g.level, g.visibility, &owner);
            let edit = access != ParentAccess::Unseen
                && super::model::can_edit_goal(actor, g.level, &owner);
            (g, access, edit)
        })
        .collect())
}

/// The goals a KPI or a goal may go under, for the forms: (id, title).
#[cfg(feature = "ssr")]
async fn parent_choices(
    pool: &sqlx::AnyPool,
    actor: &Actor,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(goal_access(pool, actor)
        .await?
        .into_iter()
        .filter(|(g, a)| *a == ParentAccess::Allowed && !g.archived)
        .map(|(g, _)| (g.id, g.title))
        .collect())
}

/// Checks a chosen parent goal. A goal the caller does not see answers exactly
/// as a missing one (an invalid choice at the field), so hidden ids cannot be
/// probed; a goal they see but may not add under is refused at the field.
#[cfg(feature = "ssr")]
async fn check_parent(
    pool: &sqlx::AnyPool,
    actor: &Actor,
    goal_id: &str,
    field: &str,
) -> Result<(), AppError> {
    // An archived goal takes nothing new under it: as if it were not there.
    let access = goal_access(pool, actor)
        .await?
        .into_iter()
        .find(|(g, _)| g.id == goal_id)
        .map_or(ParentAccess::Unseen, |(g, a)| {
            if g.archived && a == ParentAccess::Allowed {
                ParentAccess::Unseen
            } else {
                a
            }
        });
    match access {
        ParentAccess::Allowed => Ok(()),
        ParentAccess::Refused => Err(AppError::field(ErrorCode::Forbidden, field)),
        ParentAccess::Unseen => Err(AppError::field(ErrorCode::InvalidChoice, field)),
    }
}

/// The goal tree's "archived" view: the archived goals and KPIs the caller
/// sees, each with whether they may restore it.
#[server(prefix = "/api", endpoint = "archived_goals")]
pub async fn load_archived() -> Result<super::model::ArchivedView, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &st.pool;
    let goals = goal_rights(pool, &actor)
        .await?
        .into_iter()
        .filter(|(g, a, _)| g.archived && *a != ParentAccess::Unseen)
        .map(|(g, _, edit)| super::model::ArchivedItem {
            id: g.id,
            title: g.title,
            version: g.version,
            can_restore: edit,
            final_status: None,
        })
        .collect();
    let rows = store::kpis_cached(pool, &st.kpi_rows).await?;
    let kpis = rows
        .iter()
        .filter(|r| r.archived_at.is_some() && visible(&actor, r))
        .map(|r| super::model::ArchivedItem {
            id: r.id.clone(),
            title: format!("{} {}", r.code, r.name),
            version: r.version,
            can_restore: editable(&actor, r),
            final_status: r.final_status(),
        })
        .collect();
    Ok(super::model::ArchivedView { goals, kpis })
}

/// The goal tree with roll-up progress and status at every level.
#[server(prefix = "/api", endpoint = "goal_tree")]
pub async fn load_goal_tree(#[server(default)] open: String) -> Result<GoalTree, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let (mut roots, access) = visible_tree(pool, &actor).await?;
    super::model::count_children(&mut roots);
    super::model::fold_tree(&mut roots, 0, &super::model::open_ids(&open));
    let parents = access
        .into_iter()
        .filter(|(g, a)| *a == ParentAccess::Allowed && !g.archived)
        .map(|(g, _)| (g.id, g.title))
        .collect();
    let teams = crate::people::store::teams(pool).await?;
    let teams: Vec<(String, String)> = teams
        .into_iter()
        .filter(|t| crate::auth::can(&actor, Action::ViewPeopleData { team: &t.id }))
        .map(|t| (t.id, t.name))
        .collect();
    let pms = owner_choices(pool, &actor)
        .await?
        .into_iter()
        .filter_map(|(k, l)| k.strip_prefix("pm:").map(|id| (id.to_string(), l)))
        .collect();
    Ok(GoalTree {
        roots,
        parents,
        teams,
        pms,
        can_create_company: crate::auth::can(&actor, Action::ManageOrganisation),
    })
}

/// One goal of the tree with what hangs under it (its goals folded, its
/// KPIs), for opening a folded branch; a goal the caller may not see (or an
/// archived one) is not found.
#[server(prefix = "/api", endpoint = "goal_children")]
pub async fn goal_children(id: String) -> Result<GoalNode, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let (mut roots, _) = visible_tree(pool, &actor).await?;
    super::model::count_children(&mut roots);
    let mut node = super::model::find_goal(&roots, id.trim())
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    super::model::fold_tree(&mut node.goals, super::model::GOALS_OPEN_DEPTH, &[]);
    node.collapsed = false;
    Ok(node)
}

/// The whole goal tree the caller sees (roll-ups over everything, seen or
/// not), marked where they may edit, and every goal with its access.
#[cfg(feature = "ssr")]
async fn visible_tree(
    pool: &sqlx::AnyPool,
    actor: &Actor,
) -> Result<(Vec<GoalNode>, Vec<(Goal, ParentAccess)>), AppError> {
    let (_, today) = today(pool).await?;
    let rights = goal_rights(pool, actor).await?;
    let editable: std::collections::HashSet<String> = rights
        .iter()
        .filter(|r| r.2)
        .map(|r| r.0.id.clone())
        .collect();
    let access: Vec<(Goal, ParentAccess)> = rights.into_iter().map(|(g, a, _)| (g, a)).collect();
    // The everyday tree leaves archived goals and KPIs out.
    let goals: Vec<(Goal, bool)> = access
        .iter()
        .filter(|(g, _)| !g.archived)
        .map(|(g, a)| (g.clone(), *a != ParentAccess::Unseen))
        .collect();
    let kpis: Vec<TreeKpi> = store::kpis(pool)
        .await?
        .into_iter()
        .filter(|k| k.goal_id.is_some() && k.archived_at.is_none())
        .map(|k| {
            let (st, stale) = quick_status(&k, today);
            let def = definition(&k);
            TreeKpi {
                visible: visible(actor, &k),
                kpi: GoalKpi {
                    progress: progress(def.direction, def.baseline, def.target, k.current_value),
                    id: k.id.clone(),
                    code: k.code.clone(),
                    name: k.name.clone(),
                    status: st,
                    stale,
                },
                goal_id: k.goal_id.clone(),
                weight: k.weight,
            }
        })
        .collect();
    let mut roots = super::model::goal_tree(&goals, &kpis);
    for r in &mut roots {
        r.mark_editable(&editable);
    }
    Ok((roots, access))
}

/// Creates a goal. Company goals: admins. Team goals (one or more owning
/// teams): the leaders above every one of them. PM goals: the PM and the
/// leaders above. The same client id twice stores once.
#[server(prefix = "/api", endpoint = "create_goal", input = leptos::server_fn::codec::Json)]
#[allow(clippy::too_many_arguments)]
pub async fn create_goal(
    id: String,
    title: String,
    level: String,
    owner_id: String,
    team_ids: Vec<String>,
    parent_id: String,
    visibility: String,
    weight: String,
) -> Result<String, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let id = client_id(&id)?;
    if store::goal_exists(pool, &id).await? {
        return Ok(id);
    }
    let title = crate::input::parse_name("title", &title)?;
    let level = GoalLevel::parse(level.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "level"))?;
    let all_teams = crate::people::store::teams(pool).await?;
    let mut teams = Vec::new();
    let mut owner = None;
    match level {
        GoalLevel::Company => allow(&actor, Action::ManageOrganisation)?,
        GoalLevel::Team => {
            if team_ids.is_empty() {
                return Err(AppError::field(ErrorCode::Required, "team_ids"));
            }
            for t in &team_ids {
                let team = all_teams
                    .iter()
                    .find(|x| x.id == *t)
                    .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "team_ids"))?;
                allow(&actor, Action::ManageTeam { team: &team.id })?;
                if !teams
                    .iter()
                    .any(|(id, _): &(String, String)| *id == team.id)
                {
                    teams.push((team.id.clone(), team.name.clone()));
                }
            }
        }
        GoalLevel::Pm => {
            let o = super::model::Owner::Pm(owner_id.trim().to_string());
            if owner_id.trim().is_empty() {
                return Err(AppError::field(ErrorCode::Required, "owner_id"));
            }
            let (person, _) = resolve_owner(pool, &actor, &o)
                .await
                .map_err(|e| match e.field {
                    Some(_) => AppError::field(e.code, "owner_id"),
                    None => e,
                })?;
            owner = person;
        }
    }
    let parent_id = crate::input::optional_id(&parent_id);
    if let Some(p) = &parent_id {
        check_parent(pool, &actor, p, "parent_id").await?;
    }
    let visibility = if visibility.trim().is_empty() {
        match level {
            GoalLevel::Company => Visibility::Organisation,
            _ => Visibility::Team,
        }
    } else {
        Visibility::parse(visibility.trim())
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "visibility"))?
    };
    let weight = super::model::parse_weight(&weight)?;
    let goal = Goal {
        id: id.clone(),
        title,
        level,
        owner_id: owner,
        owner_name: None,
        teams,
        parent_id,
        visibility,
        weight,
        version: 1,
        description: String::new(),
        start_date: None,
        due_date: None,
        archived: false,
    };
    store::insert_goal(pool, &goal, &actor.user.id, &now_rfc3339()).await?;
    Ok(id)
}

// ---------------------------------------------------------------- goal edits

/// A goal the caller may change. One they do not see answers as a missing
/// one (so hidden ids cannot be probed); one they see but may not change is
/// refused.
#[cfg(feature = "ssr")]
async fn editable_goal(pool: &sqlx::AnyPool, actor: &Actor, id: &str) -> Result<Goal, AppError> {
    let missing = || AppError::new(ErrorCode::NotFound);
    let (goal, access, edit) = goal_rights(pool, actor)
        .await?
        .into_iter()
        .find(|(g, _, _)| g.id == id)
        .ok_or_else(missing)?;
    if access == ParentAccess::Unseen {
        return Err(missing());
    }
    if !edit {
        return Err(AppError::forbidden());
    }
    Ok(goal)
}

/// An optional `YYYY-MM-DD` date of a form.
#[cfg(feature = "ssr")]
fn optional_date(field: &str, raw: &str) -> Result<Option<String>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .map_err(|_| AppError::field(ErrorCode::InvalidDate, field))
}

/// Edits a goal: title, description, visibility, parent, start and due
/// dates, a PM goal's owner and a team goal's owning teams. Whoever may
/// create it may edit it; the version must be the one the form was made
/// from. An archived goal is restored before it is edited.
///
/// `team_ids` (a team goal's) replaces its teams when the form sent the
/// field: the form sends an empty entry before its checkboxes, so "none
/// ticked" is refused as required rather than read as "unchanged"; a caller
/// that sends no `team_ids` at all keeps the teams. Every team added needs
/// the same right as creating a team goal for it.
#[server(prefix = "/api", endpoint = "update_goal")]
#[allow(clippy::too_many_arguments)]
pub async fn update_goal(
    id: String,
    version: i64,
    title: String,
    description: String,
    owner_id: String,
    parent_id: String,
    visibility: String,
    start_date: String,
    due_date: String,
    #[server(default)] team_ids: Vec<String>,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let goal = editable_goal(pool, &actor, &id).await?;
    if goal.archived {
        return Err(AppError::new(ErrorCode::Archived));
    }
    let title = crate::input::parse_name("title", &title)?;
    let description =
        crate::input::optional_text("description", &description, crate::input::TEXT_MAX)?;
    let owner = match goal.level {
        GoalLevel::Pm
            if !owner_id.trim().is_empty() && goal.owner_id.as_deref() != Some(owner_id.trim()) =>
        {
            let o = super::model::Owner::Pm(owner_id.trim().to_string());
            resolve_owner(pool, &actor, &o)
                .await
                .map_err(|e| match e.field {
                    Some(_) => AppError::field(e.code, "owner_id"),
                    None => e,
                })?
                .0
        }
        _ => goal.owner_id.clone(),
    };
    let parent = crate::input::optional_id(&parent_id);
    if let Some(p) = &parent {
        if goal.parent_id.as_ref() != Some(p) {
            check_parent(pool, &actor, p, "parent_id").await?;
            let all: Vec<(String, Option<String>)> = store::goals(pool)
                .await?
                .into_iter()
                .map(|g| (g.id, g.parent_id))
                .collect();
            if super::model::would_cycle(&all, &goal.id, p) {
                return Err(AppError::field(ErrorCode::GoalCycle, "parent_id"));
            }
        }
    }
    let visibility = Visibility::parse(visibility.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "visibility"))?;
    let start = optional_date("start_date", &start_date)?;
    let due = optional_date("due_date", &due_date)?;
    if let (Some(s), Some(d)) = (&start, &due) {
        if d <= s {
            return Err(AppError::field(ErrorCode::DueBeforeStart, "due_date"));
        }
    }
    let mut teams: Vec<String> = goal.teams.iter().map(|(t, _)| t.clone()).collect();
    if goal.level == GoalLevel::Team && !team_ids.is_empty() {
        teams = chosen_goal_teams(pool, &actor, &teams, &team_ids).await?;
    }
    store::update_goal(
        pool,
        &goal.id,
        version,
        &store::GoalEdit {
            title: &title,
            description: &description,
            owner_id: owner.as_deref(),
            teams: &teams,
            parent_id: parent.as_deref(),
            visibility,
            start_date: start.as_deref(),
            due_date: due.as_deref(),
        },
        &now_rfc3339(),
    )
    .await
}

/// A team goal's new owning teams as its edit form chose them: at least
/// one, each a known team, each added one one the caller may set goals for
/// (`ManageTeam`), in the order given without repeats.
#[cfg(feature = "ssr")]
async fn chosen_goal_teams(
    pool: &sqlx::AnyPool,
    actor: &Actor,
    current: &[String],
    chosen: &[String],
) -> Result<Vec<String>, AppError> {
    let all_teams = crate::people::store::teams(pool).await?;
    let mut teams: Vec<String> = Vec::new();
    for t in chosen.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !all_teams.iter().any(|x| x.id == t) {
            return Err(AppError::field(ErrorCode::InvalidChoice, "team_ids"));
        }
        if !current.iter().any(|c| c == t) {
            allow(actor, Action::ManageTeam { team: t })?;
        }
        if !teams.iter().any(|x| x == t) {
            teams.push(t.to_string());
        }
    }
    if teams.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "team_ids"));
    }
    Ok(teams)
}

/// Archives a goal (`archived`) or restores it: it leaves the everyday tree
/// and stays, with what hangs under it, in the archived view. A goal with
/// active goals under it is archived only after them.
#[server(prefix = "/api", endpoint = "archive_goal")]
pub async fn archive_goal(id: String, version: i64, archived: bool) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let goal = editable_goal(pool, &actor, &id).await?;
    if archived {
        let active_children = store::goals(pool)
            .await?
            .iter()
            .any(|g| g.parent_id.as_deref() == Some(goal.id.as_str()) && !g.archived);
        if active_children {
            return Err(AppError::field(ErrorCode::GoalNotEmpty, "children"));
        }
    }
    let now = now_rfc3339();
    store::set_goal_archived(
        pool,
        &goal.id,
        version,
        archived.then_some(now.as_str()),
        &now,
    )
    .await
}

/// Deletes a goal with nothing under it. When goals or KPIs hang under it
/// the answer is `goal_not_empty` at `children`, and the page names them
/// (`goal_dependents`).
#[server(prefix = "/api", endpoint = "delete_goal")]
pub async fn delete_goal(id: String, version: i64) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let goal = editable_goal(pool, &actor, &id).await?;
    if store::delete_goal(pool, &goal.id, version).await? {
        Ok(())
    } else {
        Err(AppError::field(ErrorCode::GoalNotEmpty, "children"))
    }
}

/// What hangs under a goal the caller may change, by name: the goals and
/// KPIs that keep it from being deleted.
#[server(prefix = "/api", endpoint = "goal_dependents")]
pub async fn load_goal_dependents(
    id: String,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let goal = editable_goal(pool, &actor, &id).await?;
    store::goal_dependents(pool, &goal.id).await
}

/// Deletes a KPI with its check-ins, for good (admins only; the page asks
/// once). Archiving keeps a KPI's history; this is for one made by mistake.
#[server(prefix = "/api", endpoint = "delete_kpi")]
pub async fn delete_kpi(id: String, version: i64) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageOrganisation)?;
    let row = kpi_or_404(pool, &actor, &id).await?;
    let mut tx = crate::server::db::begin(pool).await?;
    store::delete_kpi(&mut tx, &row.id, version).await?;
    tx.commit().await?;
    Ok(())
}

/// Archives a KPI (`archived`) or restores it: it leaves the dashboard and
/// its check-in reminders, and keeps its page, history and export.
#[server(prefix = "/api", endpoint = "archive_kpi")]
pub async fn archive_kpi(id: String, version: i64, archived: bool) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let row = kpi_or_404(pool, &actor, &id).await?;
    if !editable(&actor, &row) {
        return Err(AppError::forbidden());
    }
    let now = now_rfc3339();
    store::set_kpi_archived(
        pool,
        &row.id,
        version,
        archived.then_some(now.as_str()),
        &now,
    )
    .await
}

// ---------------------------------------------------------------- charters

/// The PMs whose charter the caller may read: themselves, the PMs under a
/// leader, every PM for an admin.
#[server(prefix = "/api", endpoint = "charter_people")]
pub async fn charter_people() -> Result<Vec<(String, String)>, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let people = crate::people::store::people(pool).await?;
    Ok(people
        .into_iter()
        .filter(|p| p.role == Role::Pm && p.active)
        .filter(|p| charter_access(&actor, &p.id, p.team_id.as_deref()))
        .map(|p| (p.id, p.display_name))
        .collect())
}

/// A charter is read and edited by the PM and the leaders above, and admins.
#[cfg(feature = "ssr")]
fn charter_access(actor: &Actor, person: &str, team: Option<&str>) -> bool {
    actor.user.id == person || crate::auth::can(actor, Action::ActAbove { person, team })
}

#[cfg(feature = "ssr")]
async fn charter_target(
    pool: &sqlx::AnyPool,
    actor: &Actor,
    person_id: &str,
) -> Result<crate::people::Person, AppError> {
    let p = crate::people::store::person_by_id(pool, person_id)
        .await?
        .filter(|p| p.role == Role::Pm)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    if !charter_access(actor, &p.id, p.team_id.as_deref()) {
        return Err(AppError::forbidden());
    }
    Ok(p)
}

#[server(prefix = "/api", endpoint = "load_charter")]
pub async fn load_charter(person_id: String) -> Result<Charter, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let p = charter_target(pool, &actor, &person_id).await?;
    let store::CharterText {
        responsibilities,
        decision_rights,
        version,
        updated_at,
    } = store::charter_text(pool, &p.id).await?;
    let clock = crate::server::clock::OrgClock::load(pool).await?;
    let updated_at = updated_at.map(|u| clock.local(&u));
    let kpis = store::kpis(pool)
        .await?
        .into_iter()
        .filter(|k| k.owner_id.as_deref() == Some(p.id.as_str()))
        .map(|k| (k.id, k.code, k.name))
        .collect();
    let team_name = match &p.team_id {
        Some(t) => crate::people::store::teams(pool)
            .await?
            .into_iter()
            .find(|x| x.id == *t)
            .map(|x| x.name),
        None => None,
    };
    Ok(Charter {
        person_id: p.id,
        person_name: p.display_name,
        team_name,
        responsibilities,
        decision_rights,
        version,
        updated_at,
        kpis,
        can_edit: true,
    })
}

#[server(prefix = "/api", endpoint = "save_charter")]
pub async fn save_charter(
    person_id: String,
    version: i64,
    responsibilities: String,
    decision_rights: String,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let p = charter_target(pool, &actor, &person_id).await?;
    let long = |field: &str, s: &str| {
        if s.chars().count() > 4000 {
            Err(AppError::field(ErrorCode::TooLong, field))
        } else {
            Ok(s.trim().to_string())
        }
    };
    let c = Charter {
        person_id: p.id,
        person_name: String::new(),
        team_name: None,
        responsibilities: long("responsibilities", &responsibilities)?,
        decision_rights: long("decision_rights", &decision_rights)?,
        version,
        updated_at: None,
        kpis: Vec::new(),
        can_edit: true,
    };
    store::save_charter(pool, &c, &actor.user.id, &now_rfc3339()).await
}

// ---------------------------------------------------------------- CSV

/// What a check-in import found (preview) or did (commit): the report every
/// CSV import sends; `unchanged` counts rows already stored with the same
/// day, value, confidence and note.
pub use crate::csv_read::ImportReport;

/// Imports check-ins from CSV (date, KPI code, value, confidence, note; UTF-8
/// or GB18030). Every row must name a KPI the caller edits. Without `commit`
/// it reports; with it, valid rows are stored only when no row has an error,
/// unless `only_valid`. Rows equal to a stored check-in are skipped, so an
/// exported file imports again unchanged; row ids derive from `batch_id`, so
/// sending one import twice stores once.
#[server(prefix = "/api", endpoint = "import_checkins", input = leptos::server_fn::codec::Json)]
pub async fn import_checkins(
    batch_id: String,
    file: Vec<u8>,
    commit: bool,
    only_valid: bool,
) -> Result<ImportReport, AppError> {
    use crate::csv_read::RowError;
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::CreateKpis)?;
    let batch = crate::csv_read::check_upload(&batch_id, &file)?;
    let (_, today) = today(pool).await?;
    let text = crate::csv_read::decode_upload(&file)?;
    let parsed = super::csv::parse(&text, today);
    let mut errors = parsed.errors;
    let rows = store::kpis(pool).await?;
    let mut existing: std::collections::HashMap<String, std::collections::HashSet<String>> =
        Default::default();
    let mut valid: Vec<(usize, String, super::model::CheckInFields)> = Vec::new();
    let mut unchanged = 0;
    for (row, (code, fields)) in parsed.rows {
        let Some(kpi) = rows.iter().find(|k| k.code == code) else {
            errors.push(RowError {
                row,
                column: "kpi_code".into(),
                code: ErrorCode::NotFound,
            });
            continue;
        };
        if !visible(&actor, kpi) {
            errors.push(RowError {
                row,
                column: "kpi_code".into(),
                code: ErrorCode::NotFound,
            });
            continue;
        }
        if !editable(&actor, kpi) {
            errors.push(RowError {
                row,
                column: "kpi_code".into(),
                code: ErrorCode::Forbidden,
            });
            continue;
        }
        if !existing.contains_key(&kpi.id) {
            let set = store::export_rows(pool, std::slice::from_ref(&kpi.id))
                .await?
                .into_iter()
                .map(|r| super::csv::row_key(&r.day, r.value, r.confidence, &r.note))
                .collect();
            existing.insert(kpi.id.clone(), set);
        }
        let key = super::csv::row_key(&fields.day, fields.value, fields.confidence, &fields.note);
        if !existing.get_mut(&kpi.id).is_some_and(|s| s.insert(key)) {
            unchanged += 1;
            continue;
        }
        valid.push((row, kpi.id.clone(), fields));
    }
    errors.sort_by_key(|e| e.row);
    let mut report = ImportReport {
        valid_rows: valid.len(),
        unchanged,
        errors,
        imported: 0,
        rows: Vec::new(),
    };
    if !report.stores(commit, only_valid) {
        return Ok(report);
    }
    let now = now_rfc3339();
    let ids: Vec<String> = valid.iter().map(|(row, ..)| batch.row_id(*row)).collect();
    let mut by_kpi: std::collections::BTreeMap<&str, Vec<store::NewCheckIn<'_>>> =
        Default::default();
    for (i, (_, kpi, f)) in valid.iter().enumerate() {
        by_kpi
            .entry(kpi.as_str())
            .or_default()
            .push(store::NewCheckIn {
                id: &ids[i],
                kpi_id: kpi,
                day: &f.day,
                value: f.value,
                confidence: f.confidence,
                note: &f.note,
                corrects: None,
                author: &actor.user.id,
            });
    }
    let today_n = today;
    for (kpi, items) in by_kpi {
        // Each KPI's check-ins and what they tell commit together.
        let before = store::kpi(pool, kpi).await?;
        let mut tx = crate::server::db::begin(pool).await?;
        let stored = store::insert_checkins_in(&mut tx, kpi, &items, &now).await?;
        if let (Some(before), true) = (before, stored > 0) {
            crate::notify::sources::kpi_after_checkin(&mut tx, &before, today_n, &actor.user.id)
                .await?;
        }
        tx.commit().await?;
        report.imported += stored;
    }
    Ok(report)
}

/// The check-ins of every KPI the person sees, as CSV that imports again.
#[cfg(feature = "ssr")]
pub async fn export_csv(
    pool: &sqlx::AnyPool,
    user: crate::auth::SessionUser,
) -> Result<Vec<u8>, AppError> {
    let actor = crate::server::request::actor_of(user, pool).await?;
    let ids: Vec<String> = store::kpis(pool)
        .await?
        .into_iter()
        .filter(|k| visible(&actor, k))
        .map(|k| k.id)
        .collect();
    let rows = store::export_rows(pool, &ids).await?;
    Ok(super::csv::export(&rows))
}
