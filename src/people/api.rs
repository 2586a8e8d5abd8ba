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
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let pool = &state()?.pool;
    Ok(PeopleDirectory {
        organisation: super::store::organisation(pool)
            .await?
            .ok_or_else(AppError::internal)?,
        teams: super::store::teams(pool).await?,
        people: super::store::people(pool).await?,
    })
}

#[server(prefix = "/api", endpoint = "update_organisation")]
pub async fn update_organisation(
    name: String,
    time_zone: String,
    currency: String,
    version: i64,
) -> Result<Organisation, AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::ManageOrganisation)?;
    let name = crate::input::parse_name("name", &name)?;
    let tz = time_zone.trim().to_string();
    if tz.parse::<chrono_tz::Tz>().is_err() {
        return Err(AppError::field(ErrorCode::InvalidTimeZone, "time_zone"));
    }
    let currency = crate::input::parse_currency(&currency)?;
    let pool = &state()?.pool;
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
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let id = client_id(&id)?;
    let name = crate::input::parse_name("name", &name)?;
    let parent_id = crate::input::optional_id(&parent_id);
    let leader_id = crate::input::optional_id(&leader_id);
    let pool = &state()?.pool;
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
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let name = crate::input::parse_name("name", &name)?;
    let parent_id = crate::input::optional_id(&parent_id);
    let leader_id = crate::input::optional_id(&leader_id);
    let pool = &state()?.pool;
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
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let id = client_id(&id)?;
    let pool = &state()?.pool;
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
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let pool = &state()?.pool;
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
    let person = Person {
        email,
        display_name,
        role,
        team_id,
        version,
        ..current
    };
    super::store::update_person(pool, &person, &now_rfc3339()).await?;
    super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(AppError::internal)
}

/// Deactivates or reactivates a person. Their data stays; they cannot sign in
/// while inactive, and any open session of theirs stops working at once.
#[server(prefix = "/api", endpoint = "set_person_active")]
pub async fn set_person_active(id: String, version: i64, active: bool) -> Result<Person, AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    if actor.user.id == id && !active {
        return Err(AppError::new(ErrorCode::CannotChangeSelf));
    }
    let pool = &state()?.pool;
    let current = super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let person = Person {
        active,
        version,
        ..current
    };
    super::store::update_person(pool, &person, &now_rfc3339()).await?;
    super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(AppError::internal)
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(id: String, password: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::ManagePeople)?;
    let password = crate::input::parse_new_password("password", &password)?;
    let pool = &state()?.pool;
    let person = super::store::person_by_id(pool, &id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let hash = crate::auth::store::password::hash(password).await?;
    crate::auth::store::set_password_hash(pool, &id, &hash, &now_rfc3339()).await?;
    crate::auth::store::clear_failures(pool, &person.email).await?;
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
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &state()?.pool;
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
