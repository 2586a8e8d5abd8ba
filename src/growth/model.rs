//! Growth and training plans: shared types and the rules of SPEC "Growth and
//! training plans" (gaps, completion, budgets, suggestions), each a pure
//! function compiled for the server and the browser.
use crate::error::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};

/// People on one page of the training dashboard (and rows of its heatmap).
pub const PAGE_SIZE: usize = 50;
/// Suggestions offered for a plan.
pub const SUGGESTIONS: usize = 6;
/// Competencies whose gaps drive suggestions.
pub const GAPS_FOR_SUGGESTIONS: usize = 3;

text_enum!(ItemKind {
    Course => "course",
    Conference => "conference",
    Reading => "reading",
    InternalSharing => "internal_sharing",
    Mentoring => "mentoring",
    StretchAssignment => "stretch_assignment",
});

text_enum!(ItemStatus {
    Planned => "planned",
    InProgress => "in_progress",
    Done => "done",
    Dropped => "dropped",
});

impl ItemStatus {
    /// Items that still have to happen (they can be overdue).
    pub fn is_open(self) -> bool {
        matches!(self, ItemStatus::Planned | ItemStatus::InProgress)
    }
}

/// A name in both languages; the page shows the reader's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Names {
    pub en: String,
    pub zh: String,
}

impl Names {
    pub fn get(&self, zh: bool) -> &str {
        let (first, other) = if zh {
            (&self.zh, &self.en)
        } else {
            (&self.en, &self.zh)
        };
        if first.is_empty() { other } else { first }
    }
}

// ---------------------------------------------------------------- input rules

/// A rating on the 1–5 scale; empty means "not rated".
pub fn parse_rating(field: &str, raw: &str) -> Result<Option<u8>, AppError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<u8>() {
        Ok(n @ 1..=5) => Ok(Some(n)),
        _ => Err(AppError::field(ErrorCode::OutOfScale, field)),
    }
}

/// An amount of money in minor units (fen, cents): "1,299.5" → 129950.
/// Empty is zero; negative amounts and more than two decimals are refused.
pub fn parse_money(field: &str, raw: &str) -> Result<i64, AppError> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥' | '$' | '€'))
        .collect();
    if cleaned.is_empty() {
        return Ok(0);
    }
    if cleaned.starts_with('-') {
        return Err(AppError::field(ErrorCode::Negative, field));
    }
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty()
        || !digits(whole)
        || !digits(frac)
        || frac.len() > 2
        || whole.len() > 12
    {
        return Err(AppError::field(ErrorCode::NotANumber, field));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().unwrap_or(0)
    };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().unwrap_or(0) * 10,
        _ => frac.parse().unwrap_or(0),
    };
    Ok(whole * 100 + cents)
}

/// Minor units as text with grouped thousands: 129950 → "1,299.50"; whole
/// amounts drop the decimals: 500000 → "5,000".
pub fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match abs % 100 {
        0 => format!("{sign}{grouped}"),
        f => format!("{sign}{grouped}.{f:02}"),
    }
}

/// A money amount for an input field: 129950 → "1299.50", 500000 → "5000".
pub fn money_input(cents: i64) -> String {
    match cents % 100 {
        0 => (cents / 100).to_string(),
        f => format!("{}.{:02}", cents / 100, f),
    }
}

// ---------------------------------------------------------------- rules

/// The gap of one competency: the next level's expected rating minus the
/// leader's rating, or the self rating where the leader has not rated yet.
/// `None` while nobody has rated it.
pub fn gap(next_expected: u8, self_rating: Option<u8>, leader_rating: Option<u8>) -> Option<i8> {
    leader_rating
        .or(self_rating)
        .map(|r| next_expected as i8 - r as i8)
}

/// The competencies with the largest positive gaps, largest first (ties keep
/// the framework's order), at most `n`. A retired competency's row is history
/// and drives nothing.
pub fn largest_gaps<'a>(rows: &'a [RatingRow], n: usize) -> Vec<(&'a str, i8)> {
    let mut gaps: Vec<(usize, &str, i8)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.retired)
        .filter_map(|(i, r)| {
            r.gap
                .filter(|g| *g > 0)
                .map(|g| (i, r.competency_id.as_str(), g))
        })
        .collect();
    gaps.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    gaps.into_iter().take(n).map(|(_, c, g)| (c, g)).collect()
}

/// Share of a plan's items that are done, not counting dropped ones; `None`
/// when nothing is left to count.
pub fn completion_rate(statuses: impl IntoIterator<Item = ItemStatus>) -> Option<f64> {
    let (mut done, mut counted) = (0usize, 0usize);
    for s in statuses {
        match s {
            ItemStatus::Dropped => {}
            ItemStatus::Done => {
                done += 1;
                counted += 1;
            }
            _ => counted += 1,
        }
    }
    (counted > 0).then(|| done as f64 / counted as f64)
}

/// The same rate from counts (the dashboard's SQL sums).
pub fn completion_of(done: i64, items: i64, dropped: i64) -> Option<f64> {
    let counted = items - dropped;
    (counted > 0).then(|| done as f64 / counted as f64)
}

/// An item is overdue when its due day has passed and it is still open.
pub fn is_overdue(status: ItemStatus, due_day: i64, today: i64) -> bool {
    status.is_open() && due_day < today
}

/// Spent = the sum of the item costs; dropped items spend nothing.
pub fn spent<'a>(items: impl IntoIterator<Item = (&'a ItemStatus, i64)>) -> i64 {
    items
        .into_iter()
        .filter(|(s, _)| **s != ItemStatus::Dropped)
        .map(|(_, c)| c)
        .sum()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// Within the person's and the team's budgets (or none set).
    WithinBudget,
    /// Over budget and not (or no longer) covered by an approval.
    Waiting,
    /// Over budget, approved up to at least what it now costs.
    Approved,
}

/// Where a plan stands against its budgets: over the person's budget, or
/// costing something while the team's spending is over the team's budget,
/// it waits until someone approves at least its current cost.
pub fn approval(
    plan_spent: i64,
    person_budget: Option<i64>,
    team_spent: i64,
    team_budget: Option<i64>,
    approved_cost: Option<i64>,
) -> Approval {
    let over_person = person_budget.is_some_and(|b| plan_spent > b);
    let over_team = plan_spent > 0 && team_budget.is_some_and(|b| team_spent > b);
    if !over_person && !over_team {
        Approval::WithinBudget
    } else if approved_cost.is_some_and(|a| a >= plan_spent) {
        Approval::Approved
    } else {
        Approval::Waiting
    }
}

/// Catalog entries for the largest gaps: entries addressing a gap competency,
/// larger gaps first, then cheaper, then by title; entries already in the plan
/// and retired entries are left out.
pub fn suggestions(
    gaps: &[(&str, i8)],
    catalog: &[CatalogEntry],
    in_plan: &[String],
    limit: usize,
) -> Vec<Suggestion> {
    let mut picks: Vec<(i8, usize, &CatalogEntry, &str)> = Vec::new();
    for entry in catalog {
        if entry.retired || in_plan.iter().any(|id| *id == entry.id) {
            continue;
        }
        let best = gaps
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| entry.competencies.iter().any(|e| e == c))
            .map(|(rank, (c, g))| (*g, rank, *c))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((g, rank, c)) = best {
            picks.push((g, rank, entry, c));
        }
    }
    picks.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cost.cmp(&b.2.cost))
            .then(a.2.title.cmp(&b.2.title))
    });
    picks
        .into_iter()
        .take(limit)
        .map(|(gap, _, entry, c)| Suggestion {
            entry: entry.clone(),
            competency_id: c.to_string(),
            gap,
        })
        .collect()
}

/// Whether a competency, level or catalog entry may be chosen for a record:
/// one in use always; a retired one only where the record already holds it
/// (an edit that keeps it), never for anything new.
pub fn choosable(retired: bool, already_held: bool) -> bool {
    !retired || already_held
}

/// The record to swap places with when `id` moves one step up (towards the
/// start) or down in `order`; `None` at either end or when `id` is not there.
pub fn neighbour<'a>(order: &'a [String], id: &str, up: bool) -> Option<&'a str> {
    let i = order.iter().position(|x| x == id)?;
    let j = if up { i.checked_sub(1)? } else { i + 1 };
    order.get(j).map(String::as_str)
}

/// A period's start and end dates (YYYY-MM-DD) as typed: both dates, the
/// end after the start.
pub fn period_dates(start: &str, end: &str) -> Result<(String, String), AppError> {
    use crate::calendar::{day_number, day_text};
    let s = day_number(start.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "start_date"))?;
    let e = day_number(end.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "end_date"))?;
    if e <= s {
        return Err(AppError::field(ErrorCode::DueBeforeStart, "end_date"));
    }
    Ok((day_text(s), day_text(e)))
}

/// Where an assessed rating stands against the expected one, for the heatmap:
/// −2 (two or more below) … +1 (above).
pub fn heat_tone(assessed: u8, expected: u8) -> i8 {
    (assessed as i8 - expected as i8).clamp(-2, 1)
}

// ---------------------------------------------------------------- shared types

/// A competency of a track. A retired one keeps its place in the framework
/// and in the plans and assessments that hold it, and is offered for nothing new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Competency {
    pub id: String,
    pub key: String,
    pub names: Names,
    pub version: i64,
    pub retired: bool,
}

/// A level of a track. A retired one stays with the people at it and in
/// their promotion history, and is offered to nobody new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub id: String,
    pub code: String,
    pub version: i64,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    pub level_id: String,
    pub competency_id: String,
    pub text: Names,
    pub rating: u8,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    pub id: String,
    pub names: Names,
}

/// A track with its levels (lowest first), competencies and every cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framework {
    pub track: Track,
    pub levels: Vec<Level>,
    pub competencies: Vec<Competency>,
    pub cells: Vec<Expectation>,
}

impl Framework {
    pub fn cell(&self, level: &str, competency: &str) -> Option<&Expectation> {
        self.cells
            .iter()
            .find(|c| c.level_id == level && c.competency_id == competency)
    }

    /// The level in use after `level` (retired ones are skipped; the same
    /// one at the top).
    pub fn next_level(&self, level: &str) -> Option<&Level> {
        let i = self.levels.iter().position(|l| l.id == level)?;
        self.levels[i + 1..]
            .iter()
            .find(|l| !l.retired)
            .or(self.levels.get(i))
    }

    /// The lowest level in use: the one to grow into without a level yet.
    pub fn first_level(&self) -> Option<&Level> {
        self.levels.iter().find(|l| !l.retired)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkPage {
    pub tracks: Vec<Track>,
    pub framework: Option<Framework>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub id: String,
    pub name: String,
    pub start_date: String,
    pub end_date: String,
    pub version: i64,
    /// When it was closed (RFC 3339 UTC as stored; "YYYY-MM-DDTHH:MM…" in
    /// the organisation's offset once a server function sent it); `None`
    /// while open. A closed period's plans are read-only.
    #[serde(default)]
    pub closed_at: Option<String>,
    /// Who closed it (their name once sent to a page; their id in the store).
    #[serde(default)]
    pub closed_by: Option<String>,
}

impl Period {
    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

/// One competency of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingRow {
    pub competency_id: String,
    pub names: Names,
    /// What the next level expects (rating and text).
    pub expected_next: u8,
    pub expectation: Names,
    pub self_rating: Option<u8>,
    pub leader_rating: Option<u8>,
    pub gap: Option<i8>,
    /// A retired competency rated before it was retired: shown, not rated again.
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingInput {
    pub competency_id: String,
    pub rating: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub id: String,
    pub title: String,
    pub kind: ItemKind,
    pub competencies: Vec<String>,
    pub link: String,
    pub cost: i64,
    pub language: String,
    pub version: i64,
    /// Kept where plans use it; no longer suggested or offered.
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub entry: CatalogEntry,
    /// The gap competency this entry addresses, and its gap.
    pub competency_id: String,
    pub gap: i8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub id: String,
    pub kind: ItemKind,
    pub title: String,
    pub competency_id: String,
    pub due_date: String,
    pub status: ItemStatus,
    pub evidence: String,
    pub cost: i64,
    pub catalog_id: Option<String>,
    pub version: i64,
    pub overdue: bool,
    /// The name of the period this item was carried over from, when it
    /// continues an unfinished item of a closed period (the original stays
    /// in that period's plan, as it was at the close).
    #[serde(default)]
    pub carried_from: Option<String>,
    /// The period this unfinished item was carried into at its period's close.
    #[serde(default)]
    pub carried_to: Option<String>,
}

/// A new plan item as typed (or taken from a suggestion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ItemForm {
    pub kind: String,
    pub title: String,
    pub competency_id: String,
    pub due_date: String,
    pub cost: String,
    pub evidence: String,
    pub catalog_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub id: Option<String>,
    pub version: i64,
    pub items: Vec<PlanItem>,
    pub spent: i64,
    pub budget: Option<i64>,
    pub team_spent: i64,
    pub team_budget: Option<i64>,
    pub approved_cost: Option<i64>,
    pub approved_by: Option<String>,
    pub approval: Approval,
    pub completion: Option<f64>,
    pub overdue: usize,
}

/// What the caller may do on a person's growth page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GrowthRights {
    pub edit_plan: bool,
    pub rate_self: bool,
    pub rate_as_leader: bool,
    pub set_level: bool,
    pub approve: bool,
    /// A mentor sees the plan, not the ratings.
    pub see_ratings: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonGrowth {
    pub person_id: String,
    pub person_name: String,
    pub team_name: Option<String>,
    pub is_self: bool,
    pub periods: Vec<Period>,
    pub period: Option<Period>,
    pub today: String,
    pub currency: String,
    pub rights: GrowthRights,
    pub track: Option<Track>,
    pub level: Option<Level>,
    pub next_level: Option<Level>,
    pub levels: Vec<Level>,
    pub level_version: i64,
    /// The levels a leader may set: every track's levels in use, and the
    /// person's current one even when retired.
    pub level_choices: Vec<LevelChoice>,
    /// The person's level changes, newest first (for those who see ratings).
    pub promotions: Vec<LevelChange>,
    /// The track's competencies, retired ones included (plans and
    /// assessments name them); new items offer only those in use.
    pub competencies: Vec<Competency>,
    pub assessment_version: i64,
    pub ratings: Vec<RatingRow>,
    pub plan: PlanView,
    pub suggestions: Vec<Suggestion>,
}

/// A level offered on the person's page, with its track's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelChoice {
    pub id: String,
    pub code: String,
    pub track: Names,
    pub retired: bool,
}

/// One change of a person's level: who made it, when, from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelChange {
    /// The level before (`None`: the person had none).
    pub from: Option<String>,
    pub from_retired: bool,
    pub to: String,
    pub to_retired: bool,
    pub track: Names,
    pub changed_by: String,
    /// The instant in the organisation's time zone (RFC 3339 with its offset).
    pub changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamProgress {
    pub id: String,
    pub name: String,
    pub people: i64,
    pub items: i64,
    pub done: i64,
    pub dropped: i64,
    pub overdue: i64,
    pub completion: Option<f64>,
    pub spent: i64,
    pub budget: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonProgress {
    pub id: String,
    pub name: String,
    pub team_name: String,
    pub level: Option<String>,
    pub items: i64,
    pub done: i64,
    pub overdue: i64,
    pub completion: Option<f64>,
    pub spent: i64,
    pub budget: Option<i64>,
    pub waiting: bool,
    /// Per competency of the dashboard: (assessed, expected at the current level).
    pub heat: Vec<Option<(u8, u8)>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueItem {
    pub person_id: String,
    pub person_name: String,
    pub title: String,
    pub due_date: String,
    pub status: ItemStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthDashboard {
    pub periods: Vec<Period>,
    pub period: Option<Period>,
    pub currency: String,
    pub team_filter: String,
    pub team_choices: Vec<(String, String)>,
    pub teams: Vec<TeamProgress>,
    pub people: Vec<PersonProgress>,
    pub total_people: usize,
    pub page: usize,
    pub overdue: Vec<OverdueItem>,
    pub overdue_total: i64,
    pub competencies: Vec<Competency>,
    pub budget_set: i64,
    pub budget_spent: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    /// One page (50, by title) of the entries matching the search and filters.
    pub entries: Vec<CatalogEntry>,
    /// How many entries match.
    pub total: i64,
    /// The first entry's index among them.
    pub offset: i64,
    pub competencies: Vec<Competency>,
    pub currency: String,
    pub can_add: bool,
    /// Edit and retire entries (admins).
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    pub day: String,
    pub note: String,
    pub author_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mentorship {
    pub id: String,
    pub mentor_id: String,
    pub mentor_name: String,
    pub mentee_id: String,
    pub mentee_name: String,
    pub goals: String,
    pub meetings: Vec<Meeting>,
    pub version: i64,
    /// The organisation's day the pair ended, and who ended it (`None` while active).
    pub ended_on: Option<String>,
    pub ended_by: Option<String>,
    /// Whether the caller may end it (a leader above the mentee, or an admin).
    pub can_end: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentoringPage {
    pub pairs: Vec<Mentorship>,
    /// People the caller may pair (as mentor: anyone; as mentee: their scope).
    pub mentors: Vec<(String, String)>,
    pub mentees: Vec<(String, String)>,
    pub today: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetRow {
    pub scope: String,
    pub subject_id: String,
    pub name: String,
    pub amount: Option<i64>,
    pub spent: i64,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPage {
    pub periods: Vec<Period>,
    pub period: Option<Period>,
    /// Add and edit periods (admins).
    pub can_add_period: bool,
    pub currency: String,
    pub budgets: Vec<BudgetRow>,
    /// Close periods (admins): what closing each open period would do, in
    /// the order of `periods` (empty for everyone else).
    #[serde(default)]
    pub closing: Vec<ClosePreview>,
}

// ---------------------------------------------------------------- closing a period

/// The period an unfinished item is carried into when `closed` closes: the
/// open period that starts first after the closed one starts (ties by name).
/// `None` when there is none: the admin creates it first.
pub fn next_period<'a>(periods: &'a [Period], closed: &Period) -> Option<&'a Period> {
    periods
        .iter()
        .filter(|p| p.id != closed.id && !p.is_closed() && p.start_date > closed.start_date)
        .min_by(|a, b| (&a.start_date, &a.name).cmp(&(&b.start_date, &b.name)))
}

/// The due date a carried item gets in the next period: its own when it
/// still falls inside the next period, else the next period's end (an item
/// due before the next period starts would be overdue on arrival; one due
/// after it ends would belong to no period).
pub fn carried_due_date(due: &str, next: &Period) -> String {
    if due >= next.start_date.as_str() && due <= next.end_date.as_str() {
        due.to_string()
    } else {
        next.end_date.clone()
    }
}

/// What an admin confirms before closing a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosePreview {
    pub period: Period,
    /// KPIs due in the period that the close archives, per final status
    /// (in the dashboard's order; only statuses with KPIs).
    pub kpis: Vec<(crate::kpi::model::KpiStatus, i64)>,
    /// Unfinished items of the period's plans (planned or in progress).
    pub unfinished: i64,
    /// The period they would be carried into (id, name), if there is one.
    pub next: Option<(String, String)>,
}

/// One archived KPI in a closed period's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryKpi {
    pub id: String,
    pub code: String,
    pub name: String,
    pub team_name: String,
    pub due_date: String,
    pub final_value: Option<f64>,
    pub final_status: crate::kpi::model::KpiStatus,
}

/// Plan completion per team of a closed period's items, given each item's
/// team name ("" without a team), status and whether it was carried over;
/// by team name.
pub fn team_completion<'a>(
    items: impl IntoIterator<Item = (&'a str, ItemStatus, bool)>,
) -> Vec<SummaryTeam> {
    let mut by: std::collections::BTreeMap<&str, SummaryTeam> = Default::default();
    for (team, status, carried) in items {
        let t = by.entry(team).or_insert_with(|| SummaryTeam {
            team_name: team.to_string(),
            done: 0,
            carried: 0,
            total: 0,
        });
        t.total += 1;
        t.done += i64::from(status == ItemStatus::Done);
        t.carried += i64::from(carried);
    }
    by.into_values().collect()
}

/// Plan completion of one team in a closed period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryTeam {
    pub team_name: String,
    pub done: i64,
    pub carried: i64,
    pub total: i64,
}

/// One item carried over at the close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedItem {
    pub person_id: String,
    pub person_name: String,
    pub title: String,
    /// Its status when the period closed.
    pub status: ItemStatus,
}

/// A closed period's summary page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodSummary {
    pub period: Period,
    /// Where the items went (the next period's name), if any were carried.
    pub carried_to: Option<String>,
    pub kpis: Vec<SummaryKpi>,
    pub teams: Vec<SummaryTeam>,
    pub carried: Vec<CarriedItem>,
}

/// Who approves a person's over-budget plan (SPEC): their nearest leader up
/// the tree, or an admin where nobody leads above them; never the person.
/// `approver_above`: whether the approver stands above the person
/// (`Action::ActAbove`); where nobody leads above the person only an admin
/// does.
pub fn may_approve_plan(
    approver_id: &str,
    approver_above: bool,
    person_id: &str,
    person_team: Option<&str>,
    teams: &[crate::people::Team],
) -> bool {
    if approver_id == person_id {
        return false;
    }
    match crate::people::model::nearest_leader(person_id, person_team, teams) {
        Some(leader) => leader == approver_id,
        None => approver_above,
    }
}
