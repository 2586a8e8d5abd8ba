//! Server functions of the people admin (admin only) and the dashboard summary.
use super::model::{Organisation, PeopleDirectory, Person, Team};
use crate::auth::{Language, Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::Action,
    error::ErrorCode,
    server::{
        now_rfc3339,
        request::{allow, client_id, require_actor, state},
    },
};

#[server(prefix = "/api", endpoint = "people_overview")]
pub async fn people_overview() -> Result<PeopleDirectory, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    Ok(PeopleDirectory {
        organisation: super::store::organisation(pool)
            .await?
            .ok_or_else(AppError::internal)?,
        teams: super::store::teams(pool).await?,
        leaders: super::store::leaders(pool).await?,
        team_sizes: super::store::team_sizes(pool).await?,
        people_total: super::store::people_total(pool).await?,
    })
}

/// One page (50) of the people admin's list: search by part of a name or
/// email, filters by team, role and active ("active", "inactive", or ""
/// for both).
#[server(prefix = "/api", endpoint = "list_people")]
pub async fn list_people(
    search: String,
    team_id: String,
    role: String,
    active: String,
    offset: i64,
) -> Result<super::model::PeoplePage, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let team = crate::input::optional_id(&team_id);
    let role = match role.trim() {
        "" => None,
        r => Some(Role::parse(r)?),
    };
    let active = match active.trim() {
        "active" => Some(true),
        "inactive" => Some(false),
        "" => None,
        _ => return Err(AppError::field(ErrorCode::InvalidChoice, "active")),
    };
    let filter = super::store::PeopleFilter {
        search: &search,
        team: team.as_deref(),
        role,
        active,
    };
    let page = super::model::PEOPLE_PAGE;
    let mut offset = offset.max(0);
    offset -= offset % page;
    let (mut rows, total) = super::store::people_page(pool, &filter, offset, page).await?;
    // Past the end (the list shrank since the page was shown): the last page.
    if rows.is_empty() && total > 0 && offset > 0 {
        offset = (total - 1) / page * page;
        rows = super::store::people_page(pool, &filter, offset, page)
            .await?
            .0;
    }
    Ok(super::model::PeoplePage {
        rows,
        total,
        offset,
    })
}

#[server(prefix = "/api", endpoint = "update_organisation")]
pub async fn update_organisation(
    name: String,
    time_zone: String,
    currency: String,
    version: i64,
) -> Result<Organisation, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManageOrganisation)?;
    let name = crate::input::parse_name("name", &name)?;
    let tz = time_zone.trim().to_string();
    if tz.parse::<chrono_tz::Tz>().is_err() {
        return Err(AppError::field(ErrorCode::InvalidTimeZone, "time_zone"));
    }
    let currency = crate::input::parse_currency(&currency)?;
    let org = Organisation {
        name,
        time_zone: tz,
        currency,
        version,
    };
    super::store::update_organisation(pool, &org, &now_rfc3339()).await?;
    super::store::organisation(pool)
        .await?
        .ok_or_else(AppError::internal)
}

/// Validates a team's parent and leader against the current teams and people.
#[cfg(feature = "ssr")]
async fn check_team_links(
    pool: &sqlx::AnyPool,
    team_id: &str,
    parent_id: Option<&str>,
    leader_id: Option<&str>,
) -> Result<(), AppError> {
    let teams = super::store::teams(pool).await?;
    if let Some(parent) = parent_id {
        if !teams.iter().any(|t| t.id == parent) && parent != team_id {
            return Err(AppError::field(ErrorCode::InvalidChoice, "parent_id"));
        }
        if super::model::would_cycle(team_id, Some(parent), &teams) {
            return Err(AppError::field(ErrorCode::TeamCycle, "parent_id"));
        }
    }
    if let Some(leader) = leader_id {
        let ok = super::store::person_by_id(pool, leader)
            .await?
            .is_some_and(|p| p.active && matches!(p.role, Role::Leader | Role::Admin));
        if !ok {
            return Err(AppError::field(ErrorCode::InvalidChoice, "leader_id"));
        }
    }
    Ok(())
}

/// Creates a team under a client-made id; sending the same id twice stores once.
#[server(prefix = "/api", endpoint = "create_team")]
pub async fn create_team(
    id: String,
    name: String,
    parent_id: String,
    leader_id: String,
) -> Result<Team, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let id = client_id(&id)?;
    let name = crate::input::parse_name("name", &name)?;
    let parent_id = crate::input::optional_id(&parent_id);
    let leader_id = crate::input::optional_id(&leader_id);
    if let Some(existing) = super::store::teams(pool)
        .await?
        .into_iter()
        .find(|t| t.id == id)
    {
        return Ok(existing);
    }
    check_team_links(pool, &id, parent_id.as_deref(), leader_id.as_deref()).await?;
    let team = Team {
        id: id.clone(),
        name,
        parent_id,
        leader_id,
        version: 1,
    };
    super::store::insert_team(pool, &team, &now_rfc3339()).await?;
    Ok(team)
}

#[server(prefix = "/api", endpoint = "update_team")]
pub async fn update_team(
    id: String,
    version: i64,
    name: String,
    parent_id: String,
    leader_id: String,
) -> Result<Team, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let name = crate::input::parse_name("name", &name)?;
    let parent_id = crate::input::optional_id(&parent_id);
    let leader_id = crate::input::optional_id(&leader_id);
    check_team_links(pool, &id, parent_id.as_deref(), leader_id.as_deref()).await?;
    let team = Team {
        id: id.clone(),
        name,
        parent_id,
        leader_id,
        version,
    };
    super::store::update_team(pool, &team, &now_rfc3339()).await?;
    super::store::teams(pool)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(AppError::internal)
}

#[cfg(feature = "ssr")]
async fn check_person_team(pool: &sqlx::AnyPool, team_id: Option<&str>) -> Result<(), AppError> {
    if let Some(team) = team_id {
        if !super::store::teams(pool)
            .await?
            .iter()
            .any(|t| t.id == team)
        {
            return Err(AppError::field(ErrorCode::InvalidChoice, "team_id"));
        }
    }
    Ok(())
}

/// Creates a person under a client-made id; sending the same id twice stores once.
#[server(prefix = "/api", endpoint = "create_person")]
#[allow(clippy::too_many_arguments)]
pub async fn create_person(
    id: String,
    email: String,
    display_name: String,
    role: String,
    team_id: String,
    password: String,
    language: Language,
) -> Result<Person, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let id = client_id(&id)?;
    if let Some(existing) = super::store::person_by_id(pool, &id).await? {
        return Ok(existing);
    }
    let display_name = crate::input::parse_name("display_name", &display_name)?;
    let email = crate::input::parse_email(&email)?;
    let role = Role::parse(&role)?;
    let team_id = crate::input::optional_id(&team_id);
    let password = crate::input::parse_new_password("password", &password)?;
    check_person_team(pool, team_id.as_deref()).await?;
    if super::store::email_taken(pool, &email, &id).await? {
        return Err(AppError::field(ErrorCode::EmailTaken, "email"));
    }
    let hash = crate::auth::store::password::hash(password).await?;
    let person = Person {
        id,
        email,
        display_name,
        role,
        team_id,
        language,
        active: true,
        version: 1,
    };
    super::store::insert_person(pool, &person, &hash, &now_rfc3339()).await?;
    Ok(person)
}

#[server(prefix = "/api", endpoint = "update_person")]
pub async fn update_person(
    id: String,
    version: i64,
    email: String,
    display_name: String,
    role: String,
    team_id: String,
) -> Result<Person, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let current = super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let display_name = crate::input::parse_name("display_name", &display_name)?;
    let email = crate::input::parse_email(&email)?;
    let role = Role::parse(&role)?;
    if actor.user.id == id && role != Role::Admin {
        return Err(AppError::field(ErrorCode::CannotChangeSelf, "role"));
    }
    let team_id = crate::input::optional_id(&team_id);
    check_person_team(pool, team_id.as_deref()).await?;
    if super::store::email_taken(pool, &email, &id).await? {
        return Err(AppError::field(ErrorCode::EmailTaken, "email"));
    }
    let current_email = current.email.clone();
    let person = Person {
        email,
        display_name,
        role,
        team_id,
        version,
        ..current
    };
    let email_changed = person.email != current_email;
    let mut tx = crate::server::db::begin(pool).await?;
    super::store::update_person(&mut tx, &person, &now_rfc3339()).await?;
    if email_changed {
        // A link sent to the old address must not outlive the correction.
        crate::auth::store::revoke_invitations(&mut *tx, &id).await?;
    }
    tx.commit().await?;
    super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(AppError::internal)
}

/// Deactivates or reactivates a person. Their data stays; they cannot sign in
/// while inactive, and any open session of theirs stops working at once. A
/// deactivated leader stops leading their teams (hand the teams over first,
/// on the handover page, to name the next leader).
#[server(prefix = "/api", endpoint = "set_person_active")]
pub async fn set_person_active(id: String, version: i64, active: bool) -> Result<Person, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    if actor.user.id == id && !active {
        return Err(AppError::new(ErrorCode::CannotChangeSelf));
    }
    let current = super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let person = Person {
        active,
        version,
        ..current
    };
    let now = now_rfc3339();
    let mut tx = crate::server::db::begin(pool).await?;
    super::store::update_person(&mut tx, &person, &now).await?;
    if !active {
        super::store::clear_leadership(&mut tx, &id, &now).await?;
        crate::auth::store::revoke_invitations(&mut *tx, &id).await?;
    }
    tx.commit().await?;
    super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(AppError::internal)
}

/// Loads the person whose work is handed over and checks the caller may:
/// admins, and the leaders above the person's team.
#[cfg(feature = "ssr")]
async fn handover_person(
    pool: &sqlx::AnyPool,
    actor: &crate::auth::Actor,
    id: &str,
) -> Result<Person, AppError> {
    let person = super::store::person_by_id(pool, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    match person.team_id.as_deref() {
        Some(team) if actor.user.role != Role::Admin => {
            allow(actor, Action::ManageTeam { team })?;
            // A leader hands over the work of those they lead, not their own.
            if person.id == actor.user.id {
                return Err(AppError::new(ErrorCode::Forbidden));
            }
        }
        _ => allow(actor, Action::ManagePeople)?,
    }
    Ok(person)
}

/// Everything a person owns or leads (teams, KPIs, goals, backlogs,
/// mentoring pairs, survey rounds, action items) and whose plans they
/// approve, with the people who could take it over: the handover page.
#[server(prefix = "/api", endpoint = "person_holdings")]
pub async fn person_holdings(id: String) -> Result<super::model::Holdings, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let person = handover_person(pool, &actor, &id).await?;
    let items = scoped_holdings(pool, &actor, &id).await?;
    let teams = super::store::teams(pool).await?;
    let everyone = super::store::people(pool).await?;
    let approves_for = everyone
        .iter()
        .filter(|p| {
            p.active
                && super::model::nearest_leader(&p.id, p.team_id.as_deref(), &teams).as_deref()
                    == Some(id.as_str())
        })
        .map(|p| p.display_name.clone())
        .collect();
    let receivers = everyone
        .into_iter()
        .filter(|p| p.active && p.id != id)
        .map(|p| (p.id, p.display_name, p.role))
        .collect();
    Ok(super::model::Holdings {
        person,
        items,
        approves_for,
        receivers,
    })
}

/// What `person` holds that the caller may hand over: everything for an
/// admin; for a leader, what belongs to the teams they lead (a team they
/// lead, a KPI or backlog of such a team, …), never what lies outside.
#[cfg(feature = "ssr")]
async fn scoped_holdings(
    pool: &sqlx::AnyPool,
    actor: &crate::auth::Actor,
    person: &str,
) -> Result<Vec<super::model::Holding>, AppError> {
    let mut items = super::store::holdings(pool, person, &now_rfc3339()).await?;
    if actor.user.role != Role::Admin {
        items.retain(|h| {
            h.team_id
                .as_ref()
                .is_some_and(|t| actor.led_scope.contains(t))
        });
    }
    Ok(items)
}

/// Checks a receiver: active, someone else, and of a role that may hold
/// every kind in `kinds` (`invalid_choice` at `to_id` otherwise); a KPI's
/// new PM needs a team, whose KPI it becomes.
#[cfg(feature = "ssr")]
async fn check_receiver(
    pool: &sqlx::AnyPool,
    person: &str,
    to: &str,
    kinds: &[super::model::HoldingKind],
) -> Result<(), AppError> {
    let ok = to != person
        && super::store::person_by_id(pool, to)
            .await?
            .is_some_and(|p| {
                p.active
                    && kinds.iter().all(|k| k.accepts(p.role))
                    && (p.team_id.is_some() || !kinds.contains(&super::model::HoldingKind::Kpi))
            });
    if ok {
        Ok(())
    } else {
        Err(AppError::field(ErrorCode::InvalidChoice, "to_id"))
    }
}

/// Hands one thing a person owns or leads to someone else (`kind` and
/// `item_id` as `person_holdings` lists them). Sending it again changes
/// nothing: the item is no longer the person's, and the answer says so.
#[server(prefix = "/api", endpoint = "hand_over")]
pub async fn hand_over(
    person_id: String,
    kind: String,
    item_id: String,
    to_id: String,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    handover_person(pool, &actor, &person_id).await?;
    let kind = super::model::HoldingKind::parse(&kind)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?;
    check_receiver(pool, &person_id, &to_id, &[kind]).await?;
    // Only what the caller may hand over (a leader: within their teams).
    let held = scoped_holdings(pool, &actor, &person_id).await?;
    if !held.iter().any(|h| h.kind == kind && h.id == item_id) {
        return Err(AppError::field(ErrorCode::InvalidChoice, "item_id"));
    }
    let mut tx = crate::server::db::begin(pool).await?;
    let moved =
        super::store::transfer(&mut tx, kind, &item_id, &person_id, &to_id, &now_rfc3339()).await?;
    if !moved {
        return Err(AppError::field(ErrorCode::InvalidChoice, "item_id"));
    }
    tx.commit().await?;
    Ok(())
}

/// Hands everything a person owns or leads to one person, in one
/// transaction: all of it or, when the receiver cannot take one kind (a
/// backlog needs a PM, a team a leader), none of it.
#[server(prefix = "/api", endpoint = "hand_over_all")]
pub async fn hand_over_all(person_id: String, to_id: String) -> Result<usize, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    handover_person(pool, &actor, &person_id).await?;
    let now = now_rfc3339();
    let items = scoped_holdings(pool, &actor, &person_id).await?;
    let kinds: Vec<super::model::HoldingKind> = items.iter().map(|h| h.kind).collect();
    check_receiver(pool, &person_id, &to_id, &kinds).await?;
    let mut tx = crate::server::db::begin(pool).await?;
    let mut moved = 0;
    for h in &items {
        if super::store::transfer(&mut tx, h.kind, &h.id, &person_id, &to_id, &now).await? {
            moved += 1;
        }
    }
    tx.commit().await?;
    Ok(moved)
}

/// A fresh invitation link's secret and until when it works (in the
/// organisation's time zone, "YYYY-MM-DD HH:MM"). The page puts the secret
/// after `#` in the link, so it is never sent to a server or logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationLink {
    /// Whom it is for (the page shows it only beside that person's name).
    pub user_id: String,
    pub token: String,
    pub expires_at: String,
}

/// Makes a single-use invitation link (7 days) with which an active person
/// sets their own password; it replaces any unused link of theirs. Admins.
#[server(prefix = "/api", endpoint = "create_invitation")]
pub async fn create_invitation(id: String) -> Result<InvitationLink, AppError> {
    use crate::auth::store::{
        INVITATION_DAYS, format_instant, new_invitation_token, replace_invitation,
    };
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let person = super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    if !person.active {
        return Err(AppError::new(ErrorCode::AccountInactive));
    }
    let (token, hash) = new_invitation_token();
    let now = crate::server::now_unix();
    let expires_at = format_instant(now + INVITATION_DAYS * 86_400);
    let mut tx = crate::server::db::begin(pool).await?;
    replace_invitation(
        &mut tx,
        &id,
        &hash,
        &actor.user.id,
        &format_instant(now),
        &expires_at,
    )
    .await?;
    tx.commit().await?;
    let clock = crate::server::clock::OrgClock::load(pool).await?;
    Ok(InvitationLink {
        user_id: id,
        token,
        expires_at: crate::calendar::minute_part(&clock.local(&expires_at)),
    })
}

/// Imports people from a CSV file (columns name, email, role, team,
/// language, in English or Chinese; UTF-8 or GB18030). Without `commit` it
/// only reports; with it, nothing is stored from a file with problems
/// unless `only_valid`. By email: a person already there is updated where
/// the file differs (and left alone, counted unchanged, where it does not),
/// so the same file imported twice stores once. New people have no password
/// until they use an invitation link (or an admin sets one).
#[server(prefix = "/api", endpoint = "import_people", input = leptos::server_fn::codec::Json)]
pub async fn import_people(
    batch_id: String,
    file: Vec<u8>,
    commit: bool,
    only_valid: bool,
) -> Result<crate::csv_read::ImportReport, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let batch = crate::csv_read::check_upload(&batch_id, &file)?;
    let text = crate::csv_read::decode_upload(&file)?;
    let teams = super::store::teams(pool).await?;
    let parsed = super::csv::parse(&text, &teams, actor.user.language);
    // Who is there already, by email.
    let mut existing = Vec::new();
    for (_, row) in &parsed.rows {
        existing.push(super::store::person_by_email(pool, &row.email).await?);
    }
    let mut report = parsed.preview();
    let same = |p: &Person, r: &super::csv::PersonRow| {
        p.display_name == r.display_name
            && p.role == r.role
            && p.team_id == r.team_id
            && p.language == r.language
    };
    report.unchanged = parsed
        .rows
        .iter()
        .zip(&existing)
        .filter(|((_, r), p)| p.as_ref().is_some_and(|p| same(p, r)))
        .count();
    report.valid_rows -= report.unchanged;
    if !report.stores(commit, only_valid) {
        return Ok(report);
    }
    let now = now_rfc3339();
    // One transaction: every valid row or none.
    let mut tx = crate::server::db::begin(pool).await?;
    for ((row, r), current) in parsed.rows.iter().zip(existing) {
        match current {
            Some(p) if same(&p, r) => {}
            Some(p) => {
                let person = Person {
                    display_name: r.display_name.clone(),
                    role: if p.id == actor.user.id {
                        p.role
                    } else {
                        r.role
                    },
                    team_id: r.team_id.clone(),
                    language: r.language,
                    ..p
                };
                super::store::update_person(&mut tx, &person, &now).await?;
                super::store::set_language(&mut tx, &person.id, person.language).await?;
                report.imported += 1;
            }
            None => {
                let person = Person {
                    id: batch.row_id(*row),
                    email: r.email.clone(),
                    display_name: r.display_name.clone(),
                    role: r.role,
                    team_id: r.team_id.clone(),
                    language: r.language,
                    active: true,
                    version: 1,
                };
                // No password: unusable until an invitation link sets one.
                if super::store::insert_person(&mut *tx, &person, "", &now).await? {
                    report.imported += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(id: String, password: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let password = crate::input::parse_new_password("password", &password)?;
    let person = super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let hash = crate::auth::store::password::hash(password).await?;
    let mut tx = crate::server::db::begin(pool).await?;
    crate::auth::store::set_password_hash(&mut tx, &id, &hash, &now_rfc3339()).await?;
    crate::auth::store::clear_failures(&mut *tx, &person.email).await?;
    tx.commit().await?;
    Ok(())
}

/// What the dashboard shows about the caller's place in the organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardFacts {
    pub organisation: String,
    pub time_zone: String,
    pub currency: String,
    pub team_name: Option<String>,
    pub leader_name: Option<String>,
    pub teammates: Vec<(String, Role)>,
    pub team_count: usize,
    pub people_count: usize,
    pub led_teams: Vec<String>,
    /// Today's date and ISO week in the organisation's time zone.
    pub today: String,
    pub iso_week: u32,
}

#[server(prefix = "/api", endpoint = "dashboard_summary")]
pub async fn dashboard_summary() -> Result<DashboardFacts, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let org = super::store::organisation(pool)
        .await?
        .ok_or_else(AppError::internal)?;
    let teams = super::store::teams(pool).await?;
    let people = super::store::people(pool).await?;
    let team_id = actor.user.team_id.as_deref();
    let name_of = |id: &str| {
        people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.display_name.clone())
    };
    let leader_name = super::model::leader_of(team_id, &teams).and_then(|l| name_of(&l));
    let teammates = people
        .iter()
        .filter(|p| {
            p.active
                && team_id.is_some()
                && p.team_id.as_deref() == team_id
                && p.id != actor.user.id
        })
        .map(|p| (p.display_name.clone(), p.role))
        .collect();
    let led_teams = super::model::tree_order(&teams)
        .into_iter()
        .filter(|(_, t)| actor.led_scope.contains(&t.id))
        .map(|(_, t)| t.name)
        .collect();
    let (today, iso_week) = crate::server::clock::OrgClock::new(&org.time_zone).today();
    Ok(DashboardFacts {
        today,
        iso_week,
        organisation: org.name,
        time_zone: org.time_zone,
        currency: org.currency,
        team_name: team_id
            .and_then(|id| teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone()),
        leader_name,
        teammates,
        team_count: teams.len(),
        people_count: people.iter().filter(|p| p.active).count(),
        led_teams,
    })
}
