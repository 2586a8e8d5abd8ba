//! Server functions of growth and training plans. Every one authorises on the
//! server: a person's own plan and assessment, their leaders' (any leader
//! above them) and admins'; a mentor sees a mentee's plan, not the ratings.
use super::model::{
    CatalogPage, ClosePreview, FrameworkPage, GrowthDashboard, ItemForm, MentoringPage,
    PeriodSummary, PersonGrowth, RatingInput, SettingsPage,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{
        Approval, BudgetRow, CatalogEntry, Competency, Expectation, Framework,
        GAPS_FOR_SUGGESTIONS, GrowthRights, ItemKind, ItemStatus, Level, LevelChoice, Names,
        OverdueItem, PAGE_SIZE, Period, PersonProgress, PlanItem, PlanView, RatingRow, SUGGESTIONS,
        TeamProgress, Track, approval, choosable, completion_of, completion_rate, gap, is_overdue,
        largest_gaps, parse_money, parse_rating, period_dates, spent, suggestions,
    },
    super::store::{self, Part},
    crate::auth::{Action, Actor, can},
    crate::error::ErrorCode,
    crate::kpi::model::KpiStatus,
    crate::kpi::model::day_number,
    crate::people::{Person, model as pm},
    crate::server::{
        clock::OrgClock,
        db::begin,
        now_rfc3339, org_today,
        request::{allow, client_id, require_actor, state},
    },
    sqlx::AnyPool,
    std::collections::BTreeSet,
};

#[cfg(feature = "ssr")]
async fn currency(pool: &AnyPool) -> Result<String, AppError> {
    Ok(org_facts(pool).await?.currency)
}

/// What the growth pages need of the organisation, from one read.
#[cfg(feature = "ssr")]
struct OrgFacts {
    /// Today in the organisation's time zone (YYYY-MM-DD) and as a day number.
    today_text: String,
    today: i64,
    currency: String,
    clock: OrgClock,
}

#[cfg(feature = "ssr")]
async fn org_facts(pool: &AnyPool) -> Result<OrgFacts, AppError> {
    let org = crate::people::store::organisation(pool).await?;
    let (tz, currency) = org.map(|o| (o.time_zone, o.currency)).unwrap_or_else(|| {
        (
            crate::calendar::DEFAULT_TIME_ZONE.into(),
            crate::calendar::DEFAULT_CURRENCY.into(),
        )
    });
    let clock = OrgClock::new(&tz);
    let today_text = clock.today().0;
    let today = day_number(&today_text).unwrap_or(0);
    Ok(OrgFacts {
        today_text,
        today,
        currency,
        clock,
    })
}

/// Whether the caller stands above the person: an admin, or a leader whose
/// scope holds the person's team. Never for oneself.
#[cfg(feature = "ssr")]
fn is_above(actor: &Actor, person: &Person) -> bool {
    can(
        actor,
        Action::ActAbove {
            person: &person.id,
            team: person.team_id.as_deref(),
        },
    )
}

/// The caller's rights on a person's growth; refuses anyone without any.
#[cfg(feature = "ssr")]
async fn rights(pool: &AnyPool, actor: &Actor, person: &Person) -> Result<GrowthRights, AppError> {
    let own = actor.user.id == person.id;
    let above = is_above(actor, person);
    let mentor = !own && !above && store::is_mentor(pool, &actor.user.id, &person.id).await?;
    if !own && !above && !mentor {
        return Err(AppError::forbidden());
    }
    Ok(GrowthRights {
        edit_plan: own || above,
        rate_self: own,
        rate_as_leader: above,
        set_level: above,
        // Set by `with_approval` where the page or call needs it.
        approve: false,
        see_ratings: own || above,
    })
}

/// Adds the right to approve an over-budget plan, narrower than "above": the
/// nearest leader, or an admin where nobody leads above the person. Needs
/// the team tree, which the callers have already loaded.
#[cfg(feature = "ssr")]
fn with_approval(
    mut rights: GrowthRights,
    actor: &Actor,
    person: &Person,
    teams: &[crate::people::Team],
) -> GrowthRights {
    rights.approve = rights.rate_as_leader
        && super::model::may_approve_plan(
            &actor.user.id,
            true,
            &person.id,
            person.team_id.as_deref(),
            teams,
        );
    rights
}

/// The owner of a plan and the plan's period.
#[cfg(feature = "ssr")]
async fn plan_person(pool: &AnyPool, plan_id: &str) -> Result<(Person, String), AppError> {
    let (owner, period_id) = store::plan_owner(pool, plan_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    Ok((person_or_404(pool, &owner).await?, period_id))
}

#[cfg(feature = "ssr")]
async fn person_or_404(pool: &AnyPool, id: &str) -> Result<Person, AppError> {
    crate::people::store::person_by_id(pool, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// The chosen period, else the one holding today, else the latest.
#[cfg(feature = "ssr")]
fn pick_period(periods: &[Period], wanted: &str, today: &str) -> Option<Period> {
    periods
        .iter()
        .find(|p| p.id == wanted)
        .or_else(|| {
            periods
                .iter()
                .find(|p| p.start_date.as_str() <= today && today <= p.end_date.as_str())
        })
        .or_else(|| periods.first())
        .cloned()
}

#[cfg(feature = "ssr")]
async fn period_or_404(pool: &AnyPool, id: &str) -> Result<Period, AppError> {
    store::periods(pool)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "period_id"))
}

/// Refuses a change to the plans of a closed period (read-only since).
#[cfg(feature = "ssr")]
fn open_period(period: &Period) -> Result<(), AppError> {
    if period.is_closed() {
        return Err(AppError::new(ErrorCode::PeriodClosed));
    }
    Ok(())
}

/// Periods as a page shows them: when each was closed, in the
/// organisation's offset.
#[cfg(feature = "ssr")]
fn local_periods(mut periods: Vec<Period>, clock: &OrgClock) -> Vec<Period> {
    for p in &mut periods {
        p.closed_at = p.closed_at.as_deref().map(|at| clock.local(at));
    }
    periods
}

/// The framework of the person's track (or the first track), with their level.
#[cfg(feature = "ssr")]
async fn person_framework(
    pool: &AnyPool,
    person_id: &str,
) -> Result<(Option<Framework>, Option<(String, i64)>), AppError> {
    let level = store::person_level(pool, person_id).await?;
    let track = match &level {
        Some((track, _, _)) => Some(track.clone()),
        None => store::tracks(pool).await?.into_iter().next().map(|t| t.id),
    };
    let framework = match track {
        Some(t) => store::framework(pool, &t).await?,
        None => None,
    };
    Ok((framework, level.map(|(_, l, v)| (l, v))))
}

/// The plan of a person in a period with its budgets and approval state.
#[cfg(feature = "ssr")]
async fn plan_view(
    pool: &AnyPool,
    period: &Period,
    person: &Person,
    today: i64,
) -> Result<PlanView, AppError> {
    let plan = store::plan(pool, &period.id, &person.id).await?;
    let mut items = match &plan {
        Some(p) => store::plan_items(pool, &p.id).await?,
        None => Vec::new(),
    };
    for i in &mut items {
        i.overdue = is_overdue(i.status, day_number(&i.due_date).unwrap_or(i64::MAX), today);
    }
    let total = spent(items.iter().map(|i| (&i.status, i.cost)));
    let budget = store::budget(pool, &period.id, "person", &person.id)
        .await?
        .map(|b| b.0);
    let (team_budget, team_spent) = match &person.team_id {
        Some(t) => (
            store::budget(pool, &period.id, "team", t)
                .await?
                .map(|b| b.0),
            store::team_spent(pool, &period.id, t).await?,
        ),
        None => (None, 0),
    };
    let approved_cost = plan.as_ref().and_then(|p| p.approved_cost);
    Ok(PlanView {
        id: plan.as_ref().map(|p| p.id.clone()),
        version: plan.as_ref().map(|p| p.version).unwrap_or(0),
        completion: completion_rate(items.iter().map(|i| i.status)),
        overdue: items.iter().filter(|i| i.overdue).count(),
        approval: approval(total, budget, team_spent, team_budget, approved_cost),
        spent: total,
        budget,
        team_spent,
        team_budget,
        approved_cost,
        approved_by: plan.and_then(|p| p.approved_by),
        items,
    })
}

/// A person's growth page: level, assessment against the next level, the
/// plan of the period with its budget, and suggestions for the largest gaps.
/// An empty `person_id` means the caller.
#[server(prefix = "/api", endpoint = "person_growth")]
pub async fn load_person_growth(
    person_id: String,
    period_id: String,
) -> Result<PersonGrowth, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let id = if person_id.trim().is_empty() {
        actor.user.id.clone()
    } else {
        person_id
    };
    let person = person_or_404(pool, &id).await?;
    let rights = rights(pool, &actor, &person).await?;
    let OrgFacts {
        today_text,
        today,
        currency,
        clock,
    } = org_facts(pool).await?;
    let periods = local_periods(store::periods(pool).await?, &clock);
    let period = pick_period(&periods, &period_id, &today_text);
    let (framework, level) = person_framework(pool, &person.id).await?;
    let teams = crate::people::store::teams(pool).await?;
    let mut rights = with_approval(rights, &actor, &person, &teams);
    // A closed period's plan is read-only.
    if period.as_ref().is_some_and(Period::is_closed) {
        rights.edit_plan = false;
        rights.approve = false;
    }
    let team_name = person
        .team_id
        .as_ref()
        .and_then(|t| teams.iter().find(|x| &x.id == t))
        .map(|t| t.name.clone());

    let mut out = PersonGrowth {
        person_id: person.id.clone(),
        person_name: person.display_name.clone(),
        team_name,
        is_self: person.id == actor.user.id,
        periods: periods.clone(),
        period: period.clone(),
        today: today_text,
        currency,
        rights,
        track: framework.as_ref().map(|f| f.track.clone()),
        level: None,
        next_level: None,
        levels: framework
            .as_ref()
            .map(|f| f.levels.clone())
            .unwrap_or_default(),
        level_version: level.as_ref().map(|l| l.1).unwrap_or(0),
        level_choices: Vec::new(),
        promotions: Vec::new(),
        competencies: framework
            .as_ref()
            .map(|f| f.competencies.clone())
            .unwrap_or_default(),
        assessment_version: 0,
        ratings: Vec::new(),
        plan: PlanView {
            id: None,
            version: 0,
            items: Vec::new(),
            spent: 0,
            budget: None,
            team_spent: 0,
            team_budget: None,
            approved_cost: None,
            approved_by: None,
            approval: Approval::WithinBudget,
            completion: None,
            overdue: 0,
        },
        suggestions: Vec::new(),
    };
    if let Some(f) = &framework {
        out.level = level
            .as_ref()
            .and_then(|(l, _)| f.levels.iter().find(|x| &x.id == l).cloned());
        // Without a level yet, the first level is the one to grow into.
        out.next_level = match &out.level {
            Some(l) => f.next_level(&l.id).cloned(),
            None => f.first_level().cloned(),
        };
    }
    if rights.set_level {
        let current = level.as_ref().map(|(l, _)| l.as_str());
        out.level_choices = level_choices(pool, current).await?;
    }
    if rights.see_ratings {
        out.promotions = store::level_changes(pool, &person.id).await?;
        for c in &mut out.promotions {
            c.changed_at = clock.local(&c.changed_at);
        }
    }
    let Some(period) = period else {
        return Ok(out);
    };
    if rights.see_ratings {
        if let (Some(f), Some(next)) = (&framework, &out.next_level) {
            let (version, given) = store::assessment(pool, &period.id, &person.id).await?;
            out.assessment_version = version;
            // A retired competency stays where it was rated, and is not
            // offered for rating otherwise.
            out.ratings = f
                .competencies
                .iter()
                .filter_map(|c| {
                    let cell = f.cell(&next.id, &c.id);
                    let expected = cell.map(|e| e.rating).unwrap_or(3);
                    let (s, l) = given.get(&c.id).copied().unwrap_or((None, None));
                    let rated = s.is_some() || l.is_some();
                    choosable(c.retired, rated).then(|| RatingRow {
                        competency_id: c.id.clone(),
                        names: c.names.clone(),
                        expected_next: expected,
                        expectation: cell.map(|e| e.text.clone()).unwrap_or_default(),
                        self_rating: s,
                        leader_rating: l,
                        gap: gap(expected, s, l),
                        retired: c.retired,
                    })
                })
                .collect();
        }
    }
    out.plan = plan_view(pool, &period, &person, today).await?;
    if rights.edit_plan && rights.see_ratings {
        let gaps = largest_gaps(&out.ratings, GAPS_FOR_SUGGESTIONS);
        let catalog = store::catalog(pool).await?;
        let in_plan: Vec<String> = out
            .plan
            .items
            .iter()
            .filter_map(|i| i.catalog_id.clone())
            .collect();
        out.suggestions = suggestions(&gaps, &catalog, &in_plan, SUGGESTIONS);
    }
    Ok(out)
}

/// The levels a leader may set: every track's levels in use, and the
/// person's current one (`current`) even when it is retired.
#[cfg(feature = "ssr")]
async fn level_choices(
    pool: &AnyPool,
    current: Option<&str>,
) -> Result<Vec<LevelChoice>, AppError> {
    let tracks = store::tracks(pool).await?;
    Ok(store::all_levels(pool)
        .await?
        .into_iter()
        .filter(|(_, l)| choosable(l.retired, current == Some(l.id.as_str())))
        .filter_map(|(t, l)| {
            let track = tracks.iter().find(|x| x.id == t)?;
            Some(LevelChoice {
                id: l.id,
                code: l.code,
                track: track.names.clone(),
                retired: l.retired,
            })
        })
        .collect())
}

/// Saves the caller's self ratings, or (as a leader above the person) the
/// leader ratings, for every competency in one go. Retired competencies
/// keep their ratings and take no new ones.
#[server(prefix = "/api", endpoint = "save_ratings", input = leptos::server_fn::codec::Json)]
pub async fn save_ratings(
    person_id: String,
    period_id: String,
    version: i64,
    as_leader: bool,
    ratings: Vec<RatingInput>,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let person = person_or_404(pool, &person_id).await?;
    let r = rights(pool, &actor, &person).await?;
    if !(if as_leader {
        r.rate_as_leader
    } else {
        r.rate_self
    }) {
        return Err(AppError::forbidden());
    }
    let period = period_or_404(pool, &period_id).await?;
    let (framework, _) = person_framework(pool, &person.id).await?;
    let known: BTreeSet<String> = framework
        .map(|f| {
            f.competencies
                .into_iter()
                .filter(|c| choosable(c.retired, false))
                .map(|c| c.id)
                .collect()
        })
        .unwrap_or_default();
    let mut parsed = Vec::new();
    for input in &ratings {
        if !known.contains(&input.competency_id) {
            return Err(AppError::field(ErrorCode::InvalidChoice, "competency_id"));
        }
        let field = format!("rating-{}", input.competency_id);
        parsed.push((
            input.competency_id.clone(),
            parse_rating(&field, &input.rating)?,
        ));
    }
    store::save_ratings(
        pool,
        &period.id,
        &person.id,
        version,
        as_leader,
        &parsed,
        &now_rfc3339(),
    )
    .await
}

/// Sets a person's level (a leader above them, or an admin); a change is
/// kept in their promotion history with who made it and when. A retired
/// level is set on nobody new.
#[server(prefix = "/api", endpoint = "set_level")]
pub async fn set_level(person_id: String, level_id: String, version: i64) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let person = person_or_404(pool, &person_id).await?;
    if !rights(pool, &actor, &person).await?.set_level {
        return Err(AppError::forbidden());
    }
    let (track, retired) = store::part_state(pool, Part::Level, &level_id)
        .await?
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "level_id"))?;
    let holds = store::person_level(pool, &person.id)
        .await?
        .is_some_and(|(_, l, _)| l == level_id);
    if !choosable(retired, holds) {
        return Err(AppError::field(ErrorCode::InvalidChoice, "level_id"));
    }
    let mut tx = begin(pool).await?;
    store::set_person_level(
        &mut tx,
        &person.id,
        &track,
        &level_id,
        version,
        &actor.user.id,
        &now_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a plan item of the person may name this competency: one of
/// their track's in use, or the one the item already names (`held`).
#[cfg(feature = "ssr")]
async fn item_competency_ok(
    pool: &AnyPool,
    person_id: &str,
    competency_id: &str,
    held: Option<&str>,
) -> Result<bool, AppError> {
    if held == Some(competency_id) {
        return Ok(true);
    }
    let (framework, _) = person_framework(pool, person_id).await?;
    Ok(framework.is_some_and(|f| {
        f.competencies
            .iter()
            .any(|c| c.id == competency_id && choosable(c.retired, false))
    }))
}

#[cfg(feature = "ssr")]
fn parse_due(raw: &str) -> Result<String, AppError> {
    day_number(raw)
        .map(crate::kpi::model::day_text)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "due_date"))
}

/// Tells the approver when a write to a plan's items turns it from not
/// waiting to waiting for approval: `delta` is what the write adds to what
/// the plan spends (`view` is the plan before it), in the write's transaction.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
async fn tell_if_now_waiting(
    conn: &mut sqlx::AnyConnection,
    view: &PlanView,
    plan_id: &str,
    delta: i64,
    person: &Person,
    period: &Period,
    actor: &Actor,
) -> Result<(), AppError> {
    if delta <= 0 {
        return Ok(());
    }
    let after = approval(
        view.spent + delta,
        view.budget,
        view.team_spent + if person.team_id.is_some() { delta } else { 0 },
        view.team_budget,
        view.approved_cost,
    );
    if view.approval == Approval::Waiting || after != Approval::Waiting {
        return Ok(());
    }
    let event = crate::notify::model::Event::new(
        crate::notify::model::EventKind::PlanWaitingApproval,
        plan_id,
        person.team_id.as_deref(),
        Some(&actor.user.id),
        format!("/growth/people/{}", person.id),
    )
    .with("person", person.display_name.clone())
    .with("period", period.name.clone());
    crate::notify::store::emit(conn, &event).await?;
    Ok(())
}

/// Adds an item to a person's plan of a period (creating the plan). The
/// client-made id makes a repeated send store once.
#[server(prefix = "/api", endpoint = "add_plan_item", input = leptos::server_fn::codec::Json)]
pub async fn add_plan_item(
    id: String,
    person_id: String,
    period_id: String,
    form: ItemForm,
) -> Result<String, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let id = client_id(&id)?;
    let person = person_or_404(pool, &person_id).await?;
    if !rights(pool, &actor, &person).await?.edit_plan {
        return Err(AppError::forbidden());
    }
    let period = period_or_404(pool, &period_id).await?;
    open_period(&period)?;
    let kind = ItemKind::parse(form.kind.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?;
    let title = crate::input::parse_name("title", &form.title)?;
    if !item_competency_ok(pool, &person.id, &form.competency_id, None).await? {
        return Err(AppError::field(ErrorCode::InvalidChoice, "competency_id"));
    }
    let due_date = parse_due(&form.due_date)?;
    let cost = parse_money("cost", &form.cost)?;
    let evidence = crate::input::optional_text("evidence", &form.evidence, crate::input::TEXT_MAX)?;
    let catalog_id = crate::input::optional_id(&form.catalog_id);
    if let Some(c) = &catalog_id {
        // A retired entry is offered for no new item.
        if !store::catalog_retired(pool, c)
            .await?
            .is_some_and(|retired| choosable(retired, false))
        {
            return Err(AppError::field(ErrorCode::InvalidChoice, "catalog_id"));
        }
    }
    let now = now_rfc3339();
    let plan =
        store::ensure_plan(&mut *pool.acquire().await?, &period.id, &person.id, &now).await?;
    let item = PlanItem {
        id: id.clone(),
        kind,
        title,
        competency_id: form.competency_id,
        due_date,
        status: ItemStatus::Planned,
        evidence,
        cost,
        catalog_id,
        version: 1,
        overdue: false,
        carried_from: None,
        carried_to: None,
    };
    let (_, today) = org_today(pool).await?;
    let view = plan_view(pool, &period, &person, today).await?;
    let mut tx = begin(pool).await?;
    if store::insert_item(&mut tx, &plan, &item, &actor.user.id, &now).await? {
        tell_if_now_waiting(&mut tx, &view, &plan, cost, &person, &period, &actor).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Moves an item on (status, evidence, due date, cost). Done needs evidence;
/// a plan waiting for approval cannot start or finish items that cost money.
#[server(prefix = "/api", endpoint = "update_plan_item")]
pub async fn update_plan_item(
    id: String,
    version: i64,
    status: String,
    evidence: String,
    due_date: String,
    cost: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let (old, plan_id) = store::item(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let (person, period_id) = plan_person(pool, &plan_id).await?;
    if !rights(pool, &actor, &person).await?.edit_plan {
        return Err(AppError::forbidden());
    }
    let period = period_or_404(pool, &period_id).await?;
    open_period(&period)?;
    let status = ItemStatus::parse(status.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "status"))?;
    let evidence = crate::input::optional_text("evidence", &evidence, crate::input::TEXT_MAX)?;
    if status == ItemStatus::Done && evidence.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "evidence"));
    }
    let due_date = parse_due(&due_date)?;
    let cost = parse_money("cost", &cost)?;
    let updated = PlanItem {
        status,
        evidence,
        due_date,
        cost,
        version,
        ..old.clone()
    };
    let starts = matches!(status, ItemStatus::InProgress | ItemStatus::Done)
        && !matches!(old.status, ItemStatus::InProgress | ItemStatus::Done);
    if starts && cost > 0 {
        let (_, today) = org_today(pool).await?;
        let view = plan_view(pool, &period, &person, today).await?;
        let old_cost = if old.status == ItemStatus::Dropped {
            0
        } else {
            old.cost
        };
        let new_total = view.spent - old_cost + cost;
        let team_total = view.team_spent - old_cost + cost;
        if approval(
            new_total,
            view.budget,
            team_total,
            view.team_budget,
            view.approved_cost,
        ) == Approval::Waiting
        {
            return Err(AppError::field(ErrorCode::AwaitingApproval, "status"));
        }
    }
    let contributes = |st: ItemStatus, c: i64| if st == ItemStatus::Dropped { 0 } else { c };
    let delta = contributes(status, cost) - contributes(old.status, old.cost);
    let view = if delta > 0 {
        let (_, today) = org_today(pool).await?;
        Some(plan_view(pool, &period, &person, today).await?)
    } else {
        None
    };
    let mut tx = begin(pool).await?;
    store::update_item(&mut tx, &updated, &now_rfc3339()).await?;
    if let Some(view) = &view {
        tell_if_now_waiting(&mut tx, view, &plan_id, delta, &person, &period, &actor).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Changes what a plan item is: its kind, title and competency (whoever may
/// edit the plan). The item may keep a competency that has been retired
/// since; a new one must be in use on the person's track.
#[server(prefix = "/api", endpoint = "edit_plan_item")]
pub async fn edit_plan_item(
    id: String,
    version: i64,
    kind: String,
    title: String,
    competency_id: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let (old, plan_id) = store::item(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let (person, period_id) = plan_person(pool, &plan_id).await?;
    if !rights(pool, &actor, &person).await?.edit_plan {
        return Err(AppError::forbidden());
    }
    open_period(&period_or_404(pool, &period_id).await?)?;
    let kind = ItemKind::parse(kind.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?;
    let title = crate::input::parse_name("title", &title)?;
    if !item_competency_ok(pool, &person.id, &competency_id, Some(&old.competency_id)).await? {
        return Err(AppError::field(ErrorCode::InvalidChoice, "competency_id"));
    }
    let mut tx = begin(pool).await?;
    store::edit_item(
        &mut tx,
        &old.id,
        version,
        kind,
        &title,
        &competency_id,
        &now_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approves an over-budget plan at what it costs now (the person's nearest
/// leader, or an admin where nobody leads above them; never one's own).
#[server(prefix = "/api", endpoint = "approve_plan")]
pub async fn approve_plan(plan_id: String, version: i64) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let (person, period_id) = plan_person(pool, &plan_id).await?;
    let teams = crate::people::store::teams(pool).await?;
    if !with_approval(
        rights(pool, &actor, &person).await?,
        &actor,
        &person,
        &teams,
    )
    .approve
    {
        return Err(AppError::forbidden());
    }
    let period = period_or_404(pool, &period_id).await?;
    open_period(&period)?;
    let (_, today) = org_today(pool).await?;
    let view = plan_view(pool, &period, &person, today).await?;
    if view.approval != Approval::Waiting {
        return Err(AppError::new(ErrorCode::InvalidTransition));
    }
    let mut tx = begin(pool).await?;
    store::approve_plan(&mut tx, &plan_id, version, view.spent, &actor.user.id).await?;
    let event = crate::notify::model::Event::new(
        crate::notify::model::EventKind::PlanApproved,
        &plan_id,
        person.team_id.as_deref(),
        Some(&actor.user.id),
        "/growth",
    )
    .with("author", actor.user.display_name.clone())
    .with("period", period.name.clone());
    crate::notify::store::emit(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- dashboard

/// The training dashboard of a leader's teams (an admin's: every team):
/// completion per team and person, overdue items, budget used against set,
/// and the competency heatmap of one page of people.
#[server(prefix = "/api", endpoint = "growth_dashboard")]
pub async fn load_growth_dashboard(
    period_id: String,
    team: String,
    page: usize,
) -> Result<GrowthDashboard, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::LeadGrowth)?;
    let pool = &st.pool;
    let OrgFacts {
        today_text,
        currency,
        ..
    } = org_facts(pool).await?;
    let periods = store::periods(pool).await?;
    let period = pick_period(&periods, &period_id, &today_text);
    let all_teams = crate::people::store::teams(pool).await?;
    let scope: Vec<_> = pm::tree_order(&all_teams)
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| can(&actor, Action::ViewPeopleData { team: &t.id }))
        .collect();
    if !team.is_empty() {
        allow(&actor, Action::ViewPeopleData { team: &team })?;
    }
    let shown: Vec<String> = if team.is_empty() {
        scope.iter().map(|t| t.id.clone()).collect()
    } else {
        vec![team.clone()]
    };
    let mut out = GrowthDashboard {
        periods: periods.clone(),
        period: period.clone(),
        currency,
        team_filter: team.clone(),
        team_choices: scope
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect(),
        teams: Vec::new(),
        people: Vec::new(),
        total_people: 0,
        page,
        overdue: Vec::new(),
        overdue_total: 0,
        competencies: Vec::new(),
        budget_set: 0,
        budget_spent: 0,
    };
    let Some(period) = period else {
        return Ok(out);
    };
    let snap = store::snapshot_cached(pool, &st.growth, &period.id, &today_text).await?;
    out.competencies = snap.competencies.clone();
    // Per team: (people, items, done, dropped, overdue, spent), over everyone.
    let mut by_team: std::collections::HashMap<&str, [i64; 6]> = Default::default();
    for p in &snap.people {
        let t = by_team.entry(p.team_id.as_str()).or_default();
        let c = p.counts;
        for (slot, v) in t
            .iter_mut()
            .zip([1, c.items, c.done, c.dropped, c.overdue, c.spent])
        {
            *slot += v;
        }
    }
    let budget = |scope: &str, id: &str| {
        snap.budgets
            .get(&(scope.to_string(), id.to_string()))
            .map(|b| b.0)
    };
    for t in scope.iter().filter(|t| shown.contains(&t.id)) {
        let [people, items, done, dropped, overdue, spent] =
            by_team.get(t.id.as_str()).copied().unwrap_or_default();
        let budget = budget("team", &t.id);
        out.budget_set += budget.unwrap_or(0);
        out.budget_spent += spent;
        out.teams.push(TeamProgress {
            id: t.id.clone(),
            name: t.name.clone(),
            people,
            items,
            done,
            dropped,
            overdue,
            completion: completion_of(done, items, dropped),
            spent,
            budget,
        });
    }
    let in_view = |team: &str| shown.iter().any(|s| s == team);
    let mut total = 0;
    for p in snap.people.iter().filter(|p| in_view(&p.team_id)) {
        total += 1;
        if total <= page * PAGE_SIZE || out.people.len() == PAGE_SIZE {
            continue;
        }
        let store::ItemCounts {
            items,
            done,
            dropped,
            overdue,
            spent,
        } = p.counts;
        let person_budget = budget("person", &p.id);
        let team_spent = by_team.get(p.team_id.as_str()).map(|c| c[5]).unwrap_or(0);
        let waiting = approval(
            spent,
            person_budget,
            team_spent,
            budget("team", &p.team_id),
            p.approved_cost,
        ) == Approval::Waiting;
        out.people.push(PersonProgress {
            heat: snap
                .competencies
                .iter()
                .map(|c| match p.heat.get(&c.id) {
                    Some((Some(a), e)) => Some((*a, *e)),
                    _ => None,
                })
                .collect(),
            id: p.id.clone(),
            name: p.name.clone(),
            team_name: p.team_name.clone(),
            level: p.level.clone(),
            items,
            done,
            overdue,
            completion: completion_of(done, items, dropped),
            spent,
            budget: person_budget,
            waiting,
        });
    }
    out.total_people = total;
    let mut overdue = snap.overdue.iter().filter(|o| in_view(&o.team_id));
    out.overdue = overdue
        .by_ref()
        .take(20)
        .map(|o| OverdueItem {
            person_id: o.person_id.clone(),
            person_name: o.person_name.clone(),
            title: o.title.clone(),
            due_date: o.due_date.clone(),
            status: ItemStatus::parse(&o.status).unwrap_or(ItemStatus::Planned),
        })
        .collect();
    out.overdue_total = (out.overdue.len() + overdue.count()) as i64;
    Ok(out)
}

// ---------------------------------------------------------------- catalog

/// `/growth/catalog`: one page (50, by title) of the learning resources
/// whose title contains `search`, narrowed to a competency (`competency_id`)
/// and a kind (`kind`) when given ("" for all).
#[server(prefix = "/api", endpoint = "growth_catalog")]
pub async fn load_catalog(
    #[server(default)] search: String,
    #[server(default)] competency_id: String,
    #[server(default)] kind: String,
    #[server(default)] offset: i64,
) -> Result<CatalogPage, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &st.pool;
    let kind = match kind.trim() {
        "" => None,
        k => Some(
            ItemKind::parse(k).ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?,
        ),
    };
    let search = crate::input::search_text(&search);
    let competency = crate::input::optional_id(&competency_id);
    let filter = store::CatalogFilter {
        search: &search,
        competency: competency.as_deref(),
        kind,
    };
    let page = crate::ui::pager::PAGE_SIZE;
    let mut offset = crate::ui::pager::page_start(offset);
    let (mut entries, total) = store::catalog_page(pool, &filter, offset, page).await?;
    // Past the end (the list shrank since the page was shown): the last page.
    if entries.is_empty() && offset > 0 {
        offset = crate::ui::pager::clamp_offset(offset, total);
        entries = store::catalog_page(pool, &filter, offset, page).await?.0;
    }
    let competencies = store::default_competencies(pool).await?;
    Ok(CatalogPage {
        entries,
        total,
        offset,
        competencies,
        currency: currency(pool).await?,
        can_add: can(&actor, Action::LeadGrowth),
        can_edit: can(&actor, Action::ManageFramework),
    })
}

/// A catalog entry as typed, checked field by field. Its competencies must
/// be in use, or already be the entry's (`held`, on an edit).
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
async fn catalog_entry_of(
    pool: &AnyPool,
    id: String,
    version: i64,
    title: &str,
    kind: &str,
    competencies: Vec<String>,
    link: &str,
    cost: &str,
    language: &str,
    held: &[String],
) -> Result<CatalogEntry, AppError> {
    let title = crate::input::parse_name("title", title)?;
    let kind = ItemKind::parse(kind.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?;
    if competencies.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "competencies"));
    }
    let states = store::competency_states(pool).await?;
    let offered = |c: &String| {
        states
            .get(c)
            .is_some_and(|retired| choosable(*retired, held.contains(c)))
    };
    if !competencies.iter().all(offered) {
        return Err(AppError::field(ErrorCode::InvalidChoice, "competencies"));
    }
    let mut unique: Vec<String> = Vec::new();
    for c in competencies {
        if !unique.contains(&c) {
            unique.push(c);
        }
    }
    let link = crate::input::optional_link("link", link)?;
    let cost = parse_money("cost", cost)?;
    if !matches!(language, "en" | "zh") {
        return Err(AppError::field(ErrorCode::InvalidChoice, "language"));
    }
    Ok(CatalogEntry {
        id,
        title,
        kind,
        competencies: unique,
        link,
        cost,
        language: language.to_string(),
        version,
        retired: false,
    })
}

/// Adds a learning resource (admins and leaders).
#[server(prefix = "/api", endpoint = "create_catalog_entry", input = leptos::server_fn::codec::Json)]
pub async fn create_catalog_entry(
    id: String,
    title: String,
    kind: String,
    competencies: Vec<String>,
    link: String,
    cost: String,
    language: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::LeadGrowth)?;
    let pool = &st.pool;
    let id = client_id(&id)?;
    let entry = catalog_entry_of(
        pool,
        id,
        1,
        &title,
        &kind,
        competencies,
        &link,
        &cost,
        &language,
        &[],
    )
    .await?;
    store::insert_catalog(pool, &entry, &actor.user.id, &now_rfc3339()).await?;
    Ok(())
}

#[cfg(feature = "ssr")]
async fn catalog_entry_or_404(pool: &AnyPool, id: &str) -> Result<CatalogEntry, AppError> {
    store::catalog(pool)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// Edits a learning resource (admins): plans that use it keep pointing at it.
#[server(prefix = "/api", endpoint = "update_catalog_entry", input = leptos::server_fn::codec::Json)]
#[allow(clippy::too_many_arguments)]
pub async fn update_catalog_entry(
    id: String,
    version: i64,
    title: String,
    kind: String,
    competencies: Vec<String>,
    link: String,
    cost: String,
    language: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    let old = catalog_entry_or_404(pool, &id).await?;
    let entry = catalog_entry_of(
        pool,
        old.id,
        version,
        &title,
        &kind,
        competencies,
        &link,
        &cost,
        &language,
        &old.competencies,
    )
    .await?;
    let mut tx = begin(pool).await?;
    store::update_catalog(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Retires a learning resource (`retired`) or offers it again (admins). A
/// retired one is suggested and offered for no new plan item; the items that
/// use it keep it.
#[server(prefix = "/api", endpoint = "retire_catalog_entry")]
pub async fn retire_catalog_entry(id: String, version: i64, retired: bool) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    let entry = catalog_entry_or_404(pool, &id).await?;
    let now = now_rfc3339();
    let mut tx = begin(pool).await?;
    store::set_catalog_retired(&mut tx, &entry.id, version, retired.then_some(now.as_str()))
        .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- mentoring

/// The pairs the caller is in, and (for leaders and admins) the pairs of
/// their people, with the people they may pair. Ended pairs stay, with the
/// day they ended.
#[server(prefix = "/api", endpoint = "growth_mentoring")]
pub async fn load_mentoring() -> Result<MentoringPage, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &st.pool;
    let me = &actor.user.id;
    // A pair is in the caller's scope when they stand above its mentee.
    let in_scope = |mentee: &str, team: &Option<String>| {
        can(
            &actor,
            Action::ActAbove {
                person: mentee,
                team: team.as_deref(),
            },
        )
    };
    let clock = OrgClock::load(pool).await?;
    let pairs = store::mentorships(pool)
        .await?
        .into_iter()
        .filter(|(m, team)| {
            &m.mentor_id == me || &m.mentee_id == me || in_scope(&m.mentee_id, team)
        })
        .map(|(mut m, team)| {
            m.can_end = m.ended_on.is_none() && in_scope(&m.mentee_id, &team);
            m.ended_on = m
                .ended_on
                .map(|at| clock.local(&at).chars().take(10).collect());
            m
        })
        .collect();
    let (mentors, mentees) = if can(&actor, Action::LeadGrowth) {
        let people = crate::people::store::people(pool).await?;
        let active: Vec<&Person> = people.iter().filter(|p| p.active).collect();
        (
            active
                .iter()
                .map(|p| (p.id.clone(), p.display_name.clone()))
                .collect(),
            active
                .iter()
                .filter(|p| &p.id != me && in_scope(&p.id, &p.team_id))
                .map(|p| (p.id.clone(), p.display_name.clone()))
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(MentoringPage {
        pairs,
        mentors,
        mentees,
        today: clock.today().0,
    })
}

/// Ends a mentoring pair (a leader above the mentee, or an admin): it stays
/// in the mentoring history with the day it ended, and the mentor no longer
/// sees the mentee's plan.
#[server(prefix = "/api", endpoint = "end_mentorship")]
pub async fn end_mentorship(id: String, version: i64) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let (mentee, _) = store::pair_mentee(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let mentee = person_or_404(pool, &mentee).await?;
    if !is_above(&actor, &mentee) {
        return Err(AppError::forbidden());
    }
    let mut tx = begin(pool).await?;
    store::end_mentorship(&mut tx, &id, version, &actor.user.id, &now_rfc3339()).await?;
    tx.commit().await?;
    Ok(())
}

/// Pairs a mentor with a mentee (a leader above the mentee, or an admin).
#[server(prefix = "/api", endpoint = "create_mentorship")]
pub async fn create_mentorship(
    id: String,
    mentor_id: String,
    mentee_id: String,
    goals: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let id = client_id(&id)?;
    let mentee = crate::people::store::person_by_id(pool, &mentee_id)
        .await?
        .filter(|p| p.active)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "mentee_id"))?;
    if !is_above(&actor, &mentee) {
        return Err(AppError::forbidden());
    }
    let mentor = crate::people::store::person_by_id(pool, &mentor_id)
        .await?
        .filter(|p| p.active && p.id != mentee.id)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "mentor_id"))?;
    let goals = crate::input::parse_text("goals", &goals)?;
    store::insert_mentorship(
        pool,
        &id,
        &mentor.id,
        &mentee.id,
        &goals,
        &actor.user.id,
        &now_rfc3339(),
    )
    .await?;
    Ok(())
}

/// Logs a meeting of a pair (its mentor or mentee).
#[server(prefix = "/api", endpoint = "log_meeting")]
pub async fn log_meeting(
    id: String,
    mentorship_id: String,
    day: String,
    note: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let id = client_id(&id)?;
    let (mentor, mentee) = store::pair(pool, &mentorship_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    if actor.user.id != mentor && actor.user.id != mentee {
        return Err(AppError::forbidden());
    }
    let (_, today) = org_today(pool).await?;
    let d = day_number(&day).ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "day"))?;
    if d > today {
        return Err(AppError::field(ErrorCode::InFuture, "day"));
    }
    let note = crate::input::parse_text("note", &note)?;
    let day = crate::kpi::model::day_text(d);
    let mut tx = begin(pool).await?;
    let stored = store::insert_meeting(
        &mut tx,
        &id,
        &mentorship_id,
        &day,
        &note,
        &actor.user.id,
        &now_rfc3339(),
    )
    .await?;
    if stored {
        // The other person of the pair hears that it was logged; never the note.
        let event = crate::notify::model::Event::new(
            crate::notify::model::EventKind::MentoringMeetingLogged,
            &id,
            None,
            Some(&actor.user.id),
            "/growth/mentoring",
        )
        .with("author", actor.user.display_name.clone())
        .with("day", day);
        crate::notify::store::emit(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- framework

#[server(prefix = "/api", endpoint = "growth_framework")]
pub async fn load_framework(track_id: String) -> Result<FrameworkPage, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &st.pool;
    let tracks = store::tracks(pool).await?;
    let id = tracks
        .iter()
        .find(|t| t.id == track_id)
        .or(tracks.first())
        .map(|t| t.id.clone());
    let framework = match id {
        Some(id) => store::framework(pool, &id).await?,
        None => None,
    };
    Ok(FrameworkPage {
        tracks,
        framework,
        can_edit: can(&actor, Action::ManageFramework),
    })
}

/// Edits one level × competency cell (admins).
#[server(prefix = "/api", endpoint = "save_expectation")]
pub async fn save_expectation(
    level_id: String,
    competency_id: String,
    version: i64,
    text_en: String,
    text_zh: String,
    rating: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageOrganisation)?;
    let rating = parse_rating("rating", &rating)?
        .ok_or_else(|| AppError::field(ErrorCode::Required, "rating"))?;
    let e = Expectation {
        level_id,
        competency_id,
        text: Names {
            en: crate::input::optional_text("text_en", &text_en, crate::input::TEXT_MAX)?,
            zh: crate::input::optional_text("text_zh", &text_zh, crate::input::TEXT_MAX)?,
        },
        rating,
        version,
    };
    store::save_expectation(&st.pool, &e).await
}

#[cfg(feature = "ssr")]
async fn track_or_404(pool: &AnyPool, id: &str) -> Result<(), AppError> {
    if store::tracks(pool).await?.iter().any(|t| t.id == id) {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::NotFound))
    }
}

/// A short identifier: letters, digits, '-', '_' or '.', at most `max`.
#[cfg(feature = "ssr")]
fn parse_code(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(AppError::field(ErrorCode::Required, field));
    }
    if v.len() > max
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(AppError::field(ErrorCode::InvalidCode, field));
    }
    Ok(v.to_string())
}

/// Adds a competency to a track (admins).
#[server(prefix = "/api", endpoint = "add_competency")]
pub async fn add_competency(
    id: String,
    track_id: String,
    key: String,
    name_en: String,
    name_zh: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageOrganisation)?;
    let pool = &st.pool;
    let id = client_id(&id)?;
    track_or_404(pool, &track_id).await?;
    let key = parse_code("key", &key.to_lowercase(), 32)?;
    let c = Competency {
        id,
        key,
        names: Names {
            en: crate::input::parse_name("name_en", &name_en)?,
            zh: crate::input::parse_name("name_zh", &name_zh)?,
        },
        version: 1,
        retired: false,
    };
    store::insert_competency(pool, &track_id, &c).await?;
    Ok(())
}

/// Adds a level above a track's highest (admins).
#[server(prefix = "/api", endpoint = "add_level")]
pub async fn add_level(id: String, track_id: String, code: String) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageOrganisation)?;
    let pool = &st.pool;
    let id = client_id(&id)?;
    track_or_404(pool, &track_id).await?;
    let code = parse_code("code", &code.to_uppercase(), 16)?;
    let level = Level {
        id,
        code,
        version: 1,
        retired: false,
    };
    store::insert_level(pool, &track_id, &level).await?;
    Ok(())
}

/// Adds a career track (admins); its levels and competencies are added
/// next. Answers the track's id.
#[server(prefix = "/api", endpoint = "add_track")]
pub async fn add_track(id: String, name_en: String, name_zh: String) -> Result<String, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    let track = Track {
        id: client_id(&id)?,
        names: Names {
            en: crate::input::parse_name("name_en", &name_en)?,
            zh: crate::input::parse_name("name_zh", &name_zh)?,
        },
    };
    let mut tx = begin(pool).await?;
    store::insert_track(&mut tx, &track, &now_rfc3339()).await?;
    tx.commit().await?;
    Ok(track.id)
}

/// A competency or level that exists: its track and whether it is retired.
#[cfg(feature = "ssr")]
async fn part_or_404(pool: &AnyPool, part: Part, id: &str) -> Result<(String, bool), AppError> {
    store::part_state(pool, part, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// Moves a competency or level one place `direction` ("up" or "down") on its track (admins).
#[cfg(feature = "ssr")]
async fn move_framework_part(
    part: Part,
    id: &str,
    version: i64,
    direction: &str,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    let up = crate::input::parse_direction(direction)?;
    part_or_404(pool, part, id).await?;
    let mut tx = begin(pool).await?;
    store::move_part(&mut tx, part, id, version, up).await?;
    tx.commit().await?;
    Ok(())
}

/// Retires a competency or level (`retired`) or puts it back in use (admins).
#[cfg(feature = "ssr")]
async fn retire_framework_part(
    part: Part,
    id: &str,
    version: i64,
    retired: bool,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    part_or_404(pool, part, id).await?;
    let now = now_rfc3339();
    let mut tx = begin(pool).await?;
    store::set_part_retired(&mut tx, part, id, version, retired.then_some(now.as_str())).await?;
    tx.commit().await?;
    Ok(())
}

/// Renames a competency in both languages (admins); its key stays.
#[server(prefix = "/api", endpoint = "rename_competency")]
pub async fn rename_competency(
    id: String,
    version: i64,
    name_en: String,
    name_zh: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    part_or_404(pool, Part::Competency, &id).await?;
    let names = Names {
        en: crate::input::parse_name("name_en", &name_en)?,
        zh: crate::input::parse_name("name_zh", &name_zh)?,
    };
    let mut tx = begin(pool).await?;
    store::rename_competency(&mut tx, &id, version, &names).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a competency one place up or down its track (admins).
#[server(prefix = "/api", endpoint = "move_competency")]
pub async fn move_competency(id: String, version: i64, direction: String) -> Result<(), AppError> {
    move_framework_part(Part::Competency, &id, version, &direction).await
}

/// Retires a competency (`retired`) or puts it back in use (admins). A
/// retired one keeps its ratings, plan items and catalog links, and is
/// offered for nothing new.
#[server(prefix = "/api", endpoint = "retire_competency")]
pub async fn retire_competency(id: String, version: i64, retired: bool) -> Result<(), AppError> {
    retire_framework_part(Part::Competency, &id, version, retired).await
}

/// Renames a level (its code, unique on the track; admins).
#[server(prefix = "/api", endpoint = "rename_level")]
pub async fn rename_level(id: String, version: i64, code: String) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    part_or_404(pool, Part::Level, &id).await?;
    let code = parse_code("code", &code.to_uppercase(), 16)?;
    let mut tx = begin(pool).await?;
    store::rename_level(&mut tx, &id, version, &code).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a level one place up or down its track (admins): the order is the
/// order of growth, so it decides each person's next level.
#[server(prefix = "/api", endpoint = "move_level")]
pub async fn move_level(id: String, version: i64, direction: String) -> Result<(), AppError> {
    move_framework_part(Part::Level, &id, version, &direction).await
}

/// Retires a level (`retired`) or puts it back in use (admins). People at a
/// retired level keep it, and their history shows it; nobody new is set to
/// it, and it is nobody's next level.
#[server(prefix = "/api", endpoint = "retire_level")]
pub async fn retire_level(id: String, version: i64, retired: bool) -> Result<(), AppError> {
    retire_framework_part(Part::Level, &id, version, retired).await
}

// ---------------------------------------------------------------- periods and budgets

/// Periods, and the budgets of the chosen one for the teams and people the
/// caller may budget (admins: everyone; leaders: their scope, not themselves).
#[server(prefix = "/api", endpoint = "growth_settings")]
pub async fn load_growth_settings(period_id: String) -> Result<SettingsPage, AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::LeadGrowth)?;
    let pool = &st.pool;
    let facts = org_facts(pool).await?;
    let today_text = facts.today_text.clone();
    let periods = store::periods(pool).await?;
    let mut closing = Vec::new();
    if can(&actor, Action::ClosePeriod) {
        for p in periods.iter().filter(|p| !p.is_closed()) {
            closing.push(close_preview(pool, p, &periods, facts.today).await?);
        }
    }
    let periods = local_periods(periods, &facts.clock);
    let period = pick_period(&periods, &period_id, &today_text);
    let mut budgets = Vec::new();
    if let Some(p) = &period {
        let set = store::budgets(pool, &p.id).await?;
        let spent_people = store::spent_by_person(pool, &p.id).await?;
        let teams = crate::people::store::teams(pool).await?;
        let people = crate::people::store::people(pool).await?;
        let row = |scope: &str, id: &str, name: &str, spent: i64| {
            let b = set.get(&(scope.to_string(), id.to_string()));
            BudgetRow {
                scope: scope.into(),
                subject_id: id.into(),
                name: name.into(),
                amount: b.map(|b| b.0),
                spent,
                version: b.map(|b| b.1).unwrap_or(0),
            }
        };
        for (_, t) in pm::tree_order(&teams) {
            if budgetable_team(&actor, &t) {
                let spent: i64 = people
                    .iter()
                    .filter(|x| x.team_id.as_deref() == Some(&t.id))
                    .map(|x| spent_people.get(&x.id).copied().unwrap_or(0))
                    .sum();
                budgets.push(row("team", &t.id, &t.name, spent));
            }
        }
        for x in people.iter().filter(|x| x.active && is_above(&actor, x)) {
            budgets.push(row(
                "person",
                &x.id,
                &x.display_name,
                spent_people.get(&x.id).copied().unwrap_or(0),
            ));
        }
    }
    Ok(SettingsPage {
        periods,
        period,
        can_add_period: can(&actor, Action::ManageFramework),
        currency: facts.currency,
        budgets,
        closing,
    })
}

/// Admins budget every team; a leader the teams below the ones they lead
/// (their own team's budget is set above them).
#[cfg(feature = "ssr")]
fn budgetable_team(actor: &Actor, t: &crate::people::Team) -> bool {
    can(
        actor,
        Action::SetTeamBudget {
            team: &t.id,
            team_leader: t.leader_id.as_deref(),
        },
    )
}

/// Creates a period (admins).
#[server(prefix = "/api", endpoint = "create_period")]
pub async fn create_period(
    id: String,
    name: String,
    start_date: String,
    end_date: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageOrganisation)?;
    let id = client_id(&id)?;
    let name = crate::input::parse_name("name", &name)?;
    let (start_date, end_date) = period_dates(&start_date, &end_date)?;
    let p = Period {
        id,
        name,
        start_date,
        end_date,
        version: 1,
        closed_at: None,
        closed_by: None,
    };
    store::insert_period(&st.pool, &p, &now_rfc3339()).await?;
    Ok(())
}

/// Renames a period or moves its dates (admins); the end stays after the start.
#[server(prefix = "/api", endpoint = "update_period")]
pub async fn update_period(
    id: String,
    version: i64,
    name: String,
    start_date: String,
    end_date: String,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageFramework)?;
    let pool = &st.pool;
    let old = store::periods(pool)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    // A closed period keeps its name and dates (its summary and archived
    // KPIs were made from them).
    open_period(&old)?;
    let name = crate::input::parse_name("name", &name)?;
    let (start_date, end_date) = period_dates(&start_date, &end_date)?;
    let p = Period {
        id: old.id,
        name,
        start_date,
        end_date,
        version,
        closed_at: None,
        closed_by: None,
    };
    let mut tx = begin(pool).await?;
    store::update_period(&mut tx, &p).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a person's or a team's budget for a period (version 0: none yet).
#[server(prefix = "/api", endpoint = "set_budget")]
pub async fn set_budget(
    period_id: String,
    scope: String,
    subject_id: String,
    amount: String,
    version: i64,
) -> Result<(), AppError> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = &st.pool;
    let allowed = match scope.as_str() {
        "person" => match crate::people::store::person_by_id(pool, &subject_id).await? {
            Some(p) => is_above(&actor, &p),
            None => return Err(AppError::new(ErrorCode::NotFound)),
        },
        "team" => match crate::people::store::teams(pool)
            .await?
            .into_iter()
            .find(|t| t.id == subject_id)
        {
            Some(t) => budgetable_team(&actor, &t),
            None => return Err(AppError::new(ErrorCode::NotFound)),
        },
        _ => return Err(AppError::field(ErrorCode::InvalidChoice, "scope")),
    };
    if !allowed {
        return Err(AppError::forbidden());
    }
    let period = period_or_404(pool, &period_id).await?;
    let amount = parse_money("amount", &amount)?;
    store::set_budget(pool, &period.id, &scope, &subject_id, amount, version).await
}

// ---------------------------------------------------------------- closing a period

/// The status a KPI ends on at a close on `today`.
#[cfg(feature = "ssr")]
fn final_of(k: &crate::kpi::store::KpiRow, today: i64) -> KpiStatus {
    let def = crate::kpi::model::Definition {
        direction: k.direction(),
        baseline: k.baseline,
        target: k.target,
        start: day_number(&k.start_date).unwrap_or(0),
        due: day_number(&k.due_date).unwrap_or(0),
    };
    crate::kpi::model::final_status(&def, k.current_value, today)
}

/// What closing `period` today would do.
#[cfg(feature = "ssr")]
async fn close_preview(
    pool: &AnyPool,
    period: &Period,
    periods: &[Period],
    today: i64,
) -> Result<ClosePreview, AppError> {
    let mut conn = pool.acquire().await?;
    let kpis =
        crate::kpi::store::due_between(&mut conn, &period.start_date, &period.end_date).await?;
    let unfinished = store::unfinished_items(&mut conn, &period.id).await?.len() as i64;
    let kpis = KpiStatus::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                kpis.iter().filter(|k| final_of(k, today) == s).count() as i64,
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    Ok(ClosePreview {
        period: period.clone(),
        kpis,
        unfinished,
        next: super::model::next_period(periods, period).map(|p| (p.id.clone(), p.name.clone())),
    })
}

/// What closing a period would do, for its confirmation (admins): the KPIs
/// due in it by the status they would end on, its unfinished plan items and
/// the period they would be carried into.
#[server(prefix = "/api", endpoint = "close_period_preview")]
pub async fn close_period_preview(period_id: String) -> Result<ClosePreview, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ClosePeriod)?;
    let periods = store::periods(pool).await?;
    let period = periods
        .iter()
        .find(|p| p.id == period_id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    open_period(period)?;
    let (_, today) = org_today(pool).await?;
    close_preview(pool, period, &periods, today).await
}

/// Closes a period (admins), in one transaction: the period is marked
/// closed (when, by whom) and its plans are read-only from then on; every
/// active KPI due in it is archived with the status it ends on (kept on the
/// KPI and in the period's summary); with `carry_over`, each unfinished plan
/// item (planned or in progress) continues in the next period's plan of its
/// person as a copy that names the original, which stays in the closed plan
/// as it was. Carrying over without a next period is refused (create it
/// first). The same close sent again (the version it was sent with is the
/// one before the close) answers as the first did and changes nothing.
#[server(prefix = "/api", endpoint = "close_period")]
pub async fn close_period(
    period_id: String,
    version: i64,
    #[server(default)] carry_over: bool,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ClosePeriod)?;
    let periods = store::periods(pool).await?;
    let period = periods
        .iter()
        .find(|p| p.id == period_id)
        .cloned()
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    if period.is_closed() {
        if version + 1 == period.version {
            return Ok(());
        }
        return Err(AppError::new(ErrorCode::PeriodClosed));
    }
    if version != period.version {
        return Err(AppError::new(ErrorCode::StaleVersion));
    }
    let next = if carry_over {
        Some(
            super::model::next_period(&periods, &period)
                .cloned()
                .ok_or_else(|| AppError::new(ErrorCode::NoNextPeriod))?,
        )
    } else {
        None
    };
    let (_, today) = org_today(pool).await?;
    let now = now_rfc3339();
    let mut tx = begin(pool).await?;
    store::close_period(&mut tx, &period.id, version, &actor.user.id, &now).await?;
    for k in crate::kpi::store::due_between(&mut tx, &period.start_date, &period.end_date).await? {
        let status = final_of(&k, today);
        if crate::kpi::store::archive_at_close(&mut tx, &k.id, status, &now).await? {
            store::insert_period_kpi(&mut tx, &period.id, &k, status).await?;
        }
    }
    if let Some(next) = &next {
        for (item_id, user_id, due) in store::unfinished_items(&mut tx, &period.id).await? {
            let plan = store::ensure_plan(&mut tx, &next.id, &user_id, &now).await?;
            store::carry_item(
                &mut tx,
                &item_id,
                &uuid::Uuid::new_v4().to_string(),
                &plan,
                &super::model::carried_due_date(&due, next),
                &actor.user.id,
                &now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A closed period's summary (admins and leaders): its dates, who closed it
/// and when (in the organisation's offset), the KPIs its close archived with
/// the status each ended on (those the caller may see), plan completion per
/// team and the items carried over (of the people the caller stands above).
#[server(prefix = "/api", endpoint = "period_summary")]
pub async fn load_period_summary(period_id: String) -> Result<PeriodSummary, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::LeadGrowth)?;
    let facts = org_facts(pool).await?;
    let period = local_periods(store::periods(pool).await?, &facts.clock)
        .into_iter()
        .find(|p| p.id == period_id && p.is_closed())
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let kpis = store::period_kpis(pool, &period.id)
        .await?
        .into_iter()
        .filter(|k| {
            let teams = [k.team_id.clone()];
            let owner = crate::kpi::model::Ownership {
                person: k.owner_id.as_deref(),
                teams: &teams,
            };
            let vis = crate::kpi::model::Visibility::parse(&k.visibility)
                .unwrap_or(crate::kpi::model::Visibility::Private);
            crate::kpi::model::can_see(&actor, vis, &owner)
        })
        .map(|k| super::model::SummaryKpi {
            id: k.kpi_id,
            code: k.code,
            name: k.name,
            team_name: k.team_name,
            due_date: k.due_date,
            final_value: k.final_value,
            final_status: KpiStatus::parse(&k.final_status).unwrap_or(KpiStatus::OffTrack),
        })
        .collect();
    let items: Vec<_> = store::summary_items(pool, &period.id)
        .await?
        .into_iter()
        .filter(|r| {
            can(
                &actor,
                Action::ActAbove {
                    person: &r.person_id,
                    team: r.team_id.as_deref(),
                },
            )
        })
        .collect();
    let status_of = |s: &str| ItemStatus::parse(s).unwrap_or(ItemStatus::Planned);
    let teams = super::model::team_completion(items.iter().map(|r| {
        (
            r.team_name.as_deref().unwrap_or(""),
            status_of(&r.status),
            r.carried == 1,
        )
    }));
    let carried = items
        .iter()
        .filter(|r| r.carried == 1)
        .map(|r| super::model::CarriedItem {
            person_id: r.person_id.clone(),
            person_name: r.person_name.clone(),
            title: r.title.clone(),
            status: status_of(&r.status),
        })
        .collect();
    Ok(PeriodSummary {
        carried_to: store::carried_to_period(pool, &period.id).await?,
        period,
        kpis,
        teams,
        carried,
    })
}
