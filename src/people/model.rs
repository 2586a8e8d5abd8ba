//! Organisation, teams and people: shared types and the team tree.
use crate::auth::{Language, Role};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub time_zone: String,
    pub currency: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Team {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub leader_id: Option<String>,
    pub version: i64,
}

/// A person as the people admin sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<String>,
    pub language: Language,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleDirectory {
    pub organisation: Organisation,
    pub teams: Vec<Team>,
    /// Leaders and admins (active or not): team leaders to choose and name.
    pub leaders: Vec<Person>,
    /// Active people per team: (team id, count).
    pub team_sizes: Vec<(String, i64)>,
    /// Everyone, active or not.
    pub people_total: i64,
}

/// People the admin lists at a time.
pub const PEOPLE_PAGE: i64 = crate::ui::pager::PAGE_SIZE;

/// One page of the people admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub rows: Vec<Person>,
    /// How many match the search and filters.
    pub total: i64,
    pub offset: i64,
}

/// The teams a leader leads, and every team below them.
pub fn led_scope(leader_id: &str, teams: &[Team]) -> BTreeSet<String> {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in teams {
        if let Some(p) = &t.parent_id {
            children.entry(p.as_str()).or_default().push(t.id.as_str());
        }
    }
    let mut scope = BTreeSet::new();
    let mut stack: Vec<&str> = teams
        .iter()
        .filter(|t| t.leader_id.as_deref() == Some(leader_id))
        .map(|t| t.id.as_str())
        .collect();
    while let Some(id) = stack.pop() {
        if scope.insert(id.to_string()) {
            if let Some(kids) = children.get(id) {
                stack.extend(kids.iter().copied());
            }
        }
    }
    scope
}

/// "Their leader": the leader of the person's primary team, or of the nearest
/// parent team that has one.
pub fn leader_of(team_id: Option<&str>, teams: &[Team]) -> Option<String> {
    first_leader_up(team_id, teams, None)
}

/// The leader who stands for a person: the nearest leader up the tree from
/// their primary team who is not the person themself (a leader's own leader
/// is found above the teams they lead). `None` when nobody leads above them.
pub fn nearest_leader(person_id: &str, team_id: Option<&str>, teams: &[Team]) -> Option<String> {
    first_leader_up(team_id, teams, Some(person_id))
}

/// The first leader from `team_id` up the tree other than `skip`.
fn first_leader_up(team_id: Option<&str>, teams: &[Team], skip: Option<&str>) -> Option<String> {
    let by_id: BTreeMap<&str, &Team> = teams.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut current = team_id;
    let mut seen = BTreeSet::new();
    while let Some(id) = current {
        if !seen.insert(id) {
            return None;
        }
        let team = by_id.get(id)?;
        if let Some(leader) = team.leader_id.as_deref().filter(|l| Some(*l) != skip) {
            return Some(leader.to_string());
        }
        current = team.parent_id.as_deref();
    }
    None
}

/// Whether giving `team_id` the parent `new_parent` would make a team its own ancestor.
pub fn would_cycle(team_id: &str, new_parent: Option<&str>, teams: &[Team]) -> bool {
    let by_id: BTreeMap<&str, &Team> = teams.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut current = new_parent;
    let mut steps = 0;
    while let Some(id) = current {
        if id == team_id || steps > teams.len() {
            return true;
        }
        steps += 1;
        current = by_id.get(id).and_then(|t| t.parent_id.as_deref());
    }
    false
}

/// Teams in tree order (parents before children), each with its depth, for
/// indented lists and selects.
pub fn tree_order(teams: &[Team]) -> Vec<(usize, Team)> {
    let ids: BTreeSet<&str> = teams.iter().map(|t| t.id.as_str()).collect();
    let mut children: BTreeMap<Option<&str>, Vec<&Team>> = BTreeMap::new();
    for t in teams {
        let parent = t.parent_id.as_deref().filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(t);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let mut out = Vec::with_capacity(teams.len());
    let mut stack: Vec<(usize, &Team)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|t| (0, *t)).collect())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    while let Some((depth, team)) = stack.pop() {
        if !seen.insert(team.id.as_str()) {
            continue;
        }
        out.push((depth, team.clone()));
        if let Some(kids) = children.get(&Some(team.id.as_str())) {
            stack.extend(kids.iter().rev().map(|t| (depth + 1, *t)));
        }
    }
    out
}

text_enum!(
    /// What a person can own or lead, and so hand over when they leave.
    HoldingKind {
        Team => "team",
        Kpi => "kpi",
        Goal => "goal",
        Backlog => "backlog",
        Mentoring => "mentoring",
        SurveyRound => "survey_round",
        SurveyAction => "survey_action",
    }
);

/// One thing a person owns or leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    pub kind: HoldingKind,
    pub id: String,
    /// Its name as people know it (a KPI's code and name, a team's name, a
    /// mentoring pair's mentee, …).
    pub title: String,
    /// The team it belongs to, for a leader's scope (None: only an admin
    /// hands it over, as for a survey round, which may span teams).
    pub team_id: Option<String>,
}

/// Everything a person owns or leads, with who could take it over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holdings {
    pub person: Person,
    pub items: Vec<Holding>,
    /// The people whose over-budget plans this person approves (their
    /// nearest leader): approvals follow the team's leadership.
    pub approves_for: Vec<String>,
    /// Active people other than the person: (id, name, role).
    pub receivers: Vec<(String, String, Role)>,
}

impl HoldingKind {
    /// Whether `role` may take over a holding of this kind, by the rules of
    /// the pages that make them: teams and survey rounds go to leaders or
    /// admins, KPIs and backlogs to PMs; goals, mentoring and action items to
    /// anyone active.
    pub fn accepts(self, role: Role) -> bool {
        match self {
            HoldingKind::Team | HoldingKind::SurveyRound => {
                matches!(role, Role::Leader | Role::Admin)
            }
            HoldingKind::Kpi | HoldingKind::Backlog => role == Role::Pm,
            _ => true,
        }
    }
}
