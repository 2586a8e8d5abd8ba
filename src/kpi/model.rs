//! Goals and KPIs: shared types and the rules of SPEC "Goals and KPIs", each a
//! pure function compiled for the server and the browser.
use crate::auth::Actor;
use crate::error::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};

/// Cards on one page of the KPI dashboard.
pub const PAGE_SIZE: usize = 50;
/// Default check-in cadence in days (weekly).
pub const DEFAULT_CADENCE: i64 = 7;

text_enum!(Direction {
    Increase => "increase",
    Decrease => "decrease",
    StayAbove => "stay_above",
    StayBelow => "stay_below",
});

text_enum!(
    /// KPI and goal status, ordered by the discriminants from weakest to
    /// strongest (the roll-up takes the weakest child's); `ALL` lists them in
    /// the dashboard's order.
    #[derive(PartialOrd, Ord)]
    KpiStatus {
        OnTrack = 2 => "on_track",
        AtRisk = 1 => "at_risk",
        OffTrack = 0 => "off_track",
        Achieved = 3 => "achieved",
    }
);

text_enum!(Visibility {
    Private => "private",
    Team => "team",
    Organisation => "organisation",
});

text_enum!(
    /// Where a goal sits in the tree.
    GoalLevel {
        Company => "company",
        Team => "team",
        Pm => "pm",
    }
);

// ---------------------------------------------------------------- dates

pub use crate::calendar::{day_number, day_text};
use crate::ui::charts::px;

// ---------------------------------------------------------------- rules

/// A check-in as the rules need it, in the order it was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub id: String,
    pub day: i64,
    pub value: f64,
    /// The check-in this one corrects.
    pub corrects: Option<String>,
}

/// The series every calculation uses: one point per check-in that is not a
/// correction, at its own day, carrying the value of its latest correction
/// (a correction of a correction corrects the original). Sorted by day, then
/// by the order of recording.
pub fn effective_series(recorded: &[Recorded]) -> Vec<(i64, f64)> {
    use std::collections::HashMap;
    let index: HashMap<&str, usize> = recorded
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let root = |mut i: usize| {
        let mut hops = 0;
        while let Some(parent) = recorded[i].corrects.as_deref().and_then(|c| index.get(c)) {
            i = *parent;
            hops += 1;
            if hops > recorded.len() {
                break;
            }
        }
        i
    };
    let mut value: Vec<Option<f64>> = recorded
        .iter()
        .map(|r| r.corrects.is_none().then_some(r.value))
        .collect();
    for (i, r) in recorded.iter().enumerate() {
        if r.corrects.is_some() {
            let at = root(i);
            if recorded[at].corrects.is_none() {
                value[at] = Some(r.value);
            }
        }
    }
    let mut out: Vec<(usize, i64, f64)> = recorded
        .iter()
        .enumerate()
        .filter_map(|(i, r)| value[i].map(|v| (i, r.day, v)))
        .collect();
    out.sort_by_key(|(i, day, _)| (*day, *i));
    out.into_iter().map(|(_, d, v)| (d, v)).collect()
}

/// Whether a value holds a stay_above/stay_below bound.
fn holds(direction: Direction, target: f64, value: f64) -> bool {
    match direction {
        Direction::StayBelow => value <= target,
        _ => value >= target,
    }
}

/// Progress 0–1. Increase/decrease: (current − baseline) / (target − baseline),
/// clamped (no check-in yet: 0). Stay above/below: 1 while the latest value
/// holds the bound, else 0.
pub fn progress(direction: Direction, baseline: f64, target: f64, latest: Option<f64>) -> f64 {
    let Some(current) = latest else { return 0.0 };
    match direction {
        Direction::Increase | Direction::Decrease => {
            if target == baseline {
                return 0.0;
            }
            ((current - baseline) / (target - baseline)).clamp(0.0, 1.0)
        }
        Direction::StayAbove | Direction::StayBelow => {
            if holds(direction, target, current) {
                1.0
            } else {
                0.0
            }
        }
    }
}

/// Expected progress 0–1: elapsed days / total days between start and due.
pub fn expected_progress(start: i64, due: i64, today: i64) -> f64 {
    if due <= start {
        return if today >= due { 1.0 } else { 0.0 };
    }
    ((today - start) as f64 / (due - start) as f64).clamp(0.0, 1.0)
}

/// The gap between expected and actual progress in points, rounded half-up
/// to 0.1 in decimal: a true gap of 16.45 is 16.5, although the nearest
/// binary number is 16.4499…. The difference is first snapped to millionths
/// of a point, which absorbs the binary error of the division without
/// touching any difference a person could enter.
pub fn gap_points(expected: f64, actual: f64) -> f64 {
    round_points(expected * 100.0 - actual * 100.0)
}

/// Points rounded half-up to one decimal, in decimal arithmetic.
pub fn round_points(points: f64) -> f64 {
    let millionths = (points * 1_000_000.0).round() as i64;
    (millionths + 50_000).div_euclid(100_000) as f64 / 10.0
}

/// Status from a gap in points: < 16.5 on track, 16.5–33 at risk, > 33 off track.
pub fn status_for_gap(gap: f64) -> KpiStatus {
    if gap < 16.5 {
        KpiStatus::OnTrack
    } else if gap <= 33.0 {
        KpiStatus::AtRisk
    } else {
        KpiStatus::OffTrack
    }
}

/// A KPI's definition, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Definition {
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    pub start: i64,
    pub due: i64,
}

/// Status of a KPI on a day given its latest (effective) value.
pub fn status(def: &Definition, latest: Option<f64>, today: i64) -> KpiStatus {
    match def.direction {
        Direction::StayAbove | Direction::StayBelow => {
            if latest.is_some_and(|v| holds(def.direction, def.target, v)) {
                KpiStatus::OnTrack
            } else {
                KpiStatus::OffTrack
            }
        }
        Direction::Increase | Direction::Decrease => {
            let reached = latest.is_some_and(|v| match def.direction {
                Direction::Increase => v >= def.target,
                _ => v <= def.target,
            });
            if reached {
                return KpiStatus::Achieved;
            }
            let actual = progress(def.direction, def.baseline, def.target, latest);
            let expected = expected_progress(def.start, def.due, today);
            status_for_gap(gap_points(expected, actual))
        }
    }
}

/// The stale flag: no check-in within the cadence. Counted from the latest
/// check-in's day, or from the start while there is none; never before the start.
pub fn is_stale(last_checkin: Option<i64>, start: i64, today: i64, cadence_days: i64) -> bool {
    let from = last_checkin.unwrap_or(start).max(start);
    today - from > cadence_days.max(1)
}

/// Whether a check-in is due (the cadence has run out today or earlier).
pub fn is_due(last_checkin: Option<i64>, start: i64, today: i64, cadence_days: i64) -> bool {
    if today < start {
        return false;
    }
    let from = last_checkin.unwrap_or(start).max(start);
    last_checkin.is_none() || today - from >= cadence_days.max(1)
}

/// The least-squares line through the series, projected to the due date; None
/// with fewer than two check-ins or all on one day.
pub fn forecast(series: &[(i64, f64)], due: i64) -> Option<f64> {
    if series.len() < 2 {
        return None;
    }
    let n = series.len() as f64;
    let mx = series.iter().map(|(d, _)| *d as f64).sum::<f64>() / n;
    let my = series.iter().map(|(_, v)| *v).sum::<f64>() / n;
    let sxx: f64 = series.iter().map(|(d, _)| (*d as f64 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = series
        .iter()
        .map(|(d, v)| (*d as f64 - mx) * (v - my))
        .sum();
    let slope = sxy / sxx;
    Some(my + slope * (due as f64 - mx))
}

/// A dashboard sparkline, drawn once when the series changes: the polyline's
/// points in a 120×32 box, the last point, the forecast marker at the due date.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Spark {
    pub points: String,
    pub n: usize,
    pub last: Option<(f64, f64)>,
    pub forecast: Option<(f64, f64)>,
}

/// Lays out a sparkline (120×32, 3–4 px inset) for a series and its
/// forecast at the due date.
pub fn spark(series: &[(i64, f64)], due: i64) -> Spark {
    let Some(&(first, _)) = series.first() else {
        return Spark::default();
    };
    let (last_day, last_value) = series[series.len() - 1];
    let fc = forecast(series, due);
    let end = if fc.is_some() {
        due.max(last_day)
    } else {
        last_day
    };
    let (lo, hi) = series
        .iter()
        .map(|p| p.1)
        .chain(fc)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let span = (end - first).max(1) as f64;
    let x = |d: i64| 3.0 + (d - first) as f64 / span * (120.0 - 7.0);
    let y = |v: f64| 28.0 - (v - lo) / (hi - lo) * 24.0;
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let mut points = String::with_capacity(series.len() * 10);
    for (i, (d, v)) in series.iter().enumerate() {
        if i > 0 {
            points.push(' ');
        }
        points.push_str(&px(x(*d)));
        points.push(',');
        points.push_str(&px(y(*v)));
    }
    Spark {
        points,
        n: series.len(),
        last: Some((round(x(last_day)), round(y(last_value)))),
        forecast: fc.map(|f| (round(x(end)), round(y(f)))),
    }
}

/// A child of a goal in the roll-up: its progress (0–1), weight and status.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Child {
    pub progress: f64,
    pub weight: f64,
    pub status: Option<KpiStatus>,
}

/// A goal's roll-up: weighted mean of its children's progress (equal weights
/// unless set) and the weakest child's status. None for a goal with nothing
/// under it yet.
pub fn roll_up(children: &[Child]) -> Option<(f64, KpiStatus)> {
    let rated: Vec<&Child> = children.iter().filter(|c| c.status.is_some()).collect();
    if rated.is_empty() {
        return None;
    }
    let total: f64 = rated.iter().map(|c| c.weight.max(0.0)).sum();
    let progress = if total > 0.0 {
        rated
            .iter()
            .map(|c| c.progress * c.weight.max(0.0))
            .sum::<f64>()
            / total
    } else {
        rated.iter().map(|c| c.progress).sum::<f64>() / rated.len() as f64
    };
    let weakest = rated.iter().filter_map(|c| c.status).min()?;
    Some((progress, weakest))
}

// ---------------------------------------------------------------- who may

/// Who owns a KPI or goal, for the visibility and edit rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership<'a> {
    /// The owning PM, when a person owns it.
    pub person: Option<&'a str>,
    /// The owner's teams: a PM's team, or the owning team(s).
    pub teams: &'a [String],
}

/// SPEC visibility: private = owner and the leaders above; team = also the
/// owner's team; organisation = everyone. Admins see everything.
pub fn can_see(actor: &Actor, vis: Visibility, owner: &Ownership<'_>) -> bool {
    use crate::auth::{Action, can};
    let me = &actor.user;
    if vis == Visibility::Organisation || can(actor, Action::SeeAll) {
        return true;
    }
    if owner.person == Some(me.id.as_str()) {
        return true;
    }
    // The leaders above the owner's teams.
    if owner
        .teams
        .iter()
        .any(|team| can(actor, Action::ViewPeopleData { team }))
    {
        return true;
    }
    vis == Visibility::Team
        && me
            .team_id
            .as_deref()
            .is_some_and(|t| owner.teams.iter().any(|o| o == t))
}

/// Who edits a KPI and its check-ins: its PM (not another PM), the PMs of an
/// owning team, the leaders above, admins.
pub fn can_edit(actor: &Actor, owner: &Ownership<'_>) -> bool {
    use crate::auth::{Action, can};
    if can_reassign(actor, owner) {
        return true;
    }
    match owner.person {
        Some(p) => p == actor.user.id && can(actor, Action::CreateKpis),
        None => owner
            .teams
            .iter()
            .any(|team| can(actor, Action::EditTeamWork { team })),
    }
}

/// Who hands a KPI to another owner: admins and the leaders above its team.
pub fn can_reassign(actor: &Actor, owner: &Ownership<'_>) -> bool {
    use crate::auth::{Action, can};
    can(actor, Action::SeeAll)
        || owner
            .teams
            .iter()
            .any(|team| can(actor, Action::ManageTeam { team }))
}

/// Who edits, archives or deletes a goal: as for creating it. Company goals:
/// admins; team goals: the leaders above every owning team; PM goals: the
/// PM and the leaders above their team. `owner` as for [`parent_access`].
pub fn can_edit_goal(actor: &Actor, level: GoalLevel, owner: &Ownership<'_>) -> bool {
    use crate::auth::{Action, can};
    match level {
        GoalLevel::Company => can(actor, Action::ManageOrganisation),
        GoalLevel::Team => {
            !owner.teams.is_empty()
                && owner
                    .teams
                    .iter()
                    .all(|team| can(actor, Action::ManageTeam { team }))
        }
        GoalLevel::Pm => {
            (owner.person == Some(actor.user.id.as_str()) && can(actor, Action::Participate))
                || owner
                    .teams
                    .iter()
                    .any(|team| can(actor, Action::ManageTeam { team }))
        }
    }
}

/// Whether putting goal `id` under `parent` would make it its own ancestor.
/// `goals`: every goal's (id, parent).
pub fn would_cycle(goals: &[(String, Option<String>)], id: &str, parent: &str) -> bool {
    let mut at = Some(parent.to_string());
    for _ in 0..=goals.len() {
        match at {
            None => return false,
            Some(p) if p == id => return true,
            Some(p) => at = goals.iter().find(|g| g.0 == p).and_then(|g| g.1.clone()),
        }
    }
    true
}

/// What a caller may do with a goal as the parent of a new KPI or goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentAccess {
    /// The KPI or goal may go under it.
    Allowed,
    /// The caller sees the goal but may not change its roll-up.
    Refused,
    /// The caller does not see the goal: it answers as a missing one would,
    /// so that the ids of hidden goals cannot be probed.
    Unseen,
}

/// Who may put a KPI or a goal under a goal, and so change its roll-up: only
/// someone who sees it (the goal tree's `can_see`), and then anyone under a
/// company goal; under a team goal, the PMs of its teams and the leaders above
/// them; under a PM's goal, that PM and the leaders above; admins anywhere.
/// `owner` is the goal's: its PM and its teams (a PM goal's, its PM's team).
pub fn parent_access(
    actor: &Actor,
    level: GoalLevel,
    vis: Visibility,
    owner: &Ownership<'_>,
) -> ParentAccess {
    use crate::auth::{Action, authorize};
    if !can_see(actor, vis, owner) {
        return ParentAccess::Unseen;
    }
    let allowed = match level {
        GoalLevel::Company => authorize(actor, Action::Participate).is_ok(),
        GoalLevel::Team => owner
            .teams
            .iter()
            .any(|team| authorize(actor, Action::EditTeamWork { team }).is_ok()),
        GoalLevel::Pm => {
            owner.person == Some(actor.user.id.as_str())
                || owner
                    .teams
                    .iter()
                    .any(|team| authorize(actor, Action::ManageTeam { team }).is_ok())
        }
    };
    if allowed {
        ParentAccess::Allowed
    } else {
        ParentAccess::Refused
    }
}

// ---------------------------------------------------------------- input

/// A KPI's fields as typed, checked into a definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct KpiForm {
    pub code: String,
    pub name: String,
    /// `pm:<id>` or `team:<id>`.
    pub owner: String,
    pub unit: String,
    pub direction: String,
    pub baseline: String,
    pub target: String,
    pub start_date: String,
    pub due_date: String,
    pub cadence_days: String,
    pub visibility: String,
    pub goal_id: String,
    pub weight: String,
}

/// A checked KPI definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiFields {
    pub code: String,
    pub name: String,
    pub owner: Owner,
    pub unit: String,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    pub start_date: String,
    pub due_date: String,
    pub cadence_days: i64,
    pub visibility: Visibility,
    pub goal_id: Option<String>,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Owner {
    Pm(String),
    Team(String),
}

impl Owner {
    pub fn parse(s: &str) -> Option<Owner> {
        let (kind, id) = s.trim().split_once(':')?;
        if id.is_empty() {
            return None;
        }
        match kind {
            "pm" => Some(Owner::Pm(id.to_string())),
            "team" => Some(Owner::Team(id.to_string())),
            _ => None,
        }
    }

    pub fn key(&self) -> String {
        match self {
            Owner::Pm(id) => format!("pm:{id}"),
            Owner::Team(id) => format!("team:{id}"),
        }
    }
}

/// A number as typed ("1,200.5", "1 200", "３"), or None.
pub fn parse_number(raw: &str) -> Option<f64> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '，' | '_'))
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            other => other,
        })
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A KPI code: 1–16 letters, digits, '-', '_' or '.', stored upper case.
pub fn parse_code(raw: &str) -> Result<String, AppError> {
    let code = raw.trim().to_uppercase();
    if code.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "code"));
    }
    if code.chars().count() > 16 {
        return Err(AppError::field(ErrorCode::TooLong, "code"));
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(AppError::field(ErrorCode::InvalidCode, "code"));
    }
    Ok(code)
}

fn required_number(field: &str, raw: &str) -> Result<f64, AppError> {
    if raw.trim().is_empty() {
        return Err(AppError::field(ErrorCode::Required, field));
    }
    parse_number(raw).ok_or_else(|| AppError::field(ErrorCode::NotANumber, field))
}

fn required_day(field: &str, raw: &str) -> Result<i64, AppError> {
    if raw.trim().is_empty() {
        return Err(AppError::field(ErrorCode::Required, field));
    }
    day_number(raw).ok_or_else(|| AppError::field(ErrorCode::InvalidDate, field))
}

impl KpiForm {
    /// Checks every field; the first problem names its field.
    pub fn check(&self) -> Result<KpiFields, AppError> {
        let code = parse_code(&self.code)?;
        let name = crate::input::parse_name("name", &self.name)?;
        let owner = Owner::parse(&self.owner)
            .ok_or_else(|| AppError::field(ErrorCode::Required, "owner"))?;
        let unit = self.unit.trim().to_string();
        if unit.chars().count() > 16 {
            return Err(AppError::field(ErrorCode::TooLong, "unit"));
        }
        let direction = Direction::parse(self.direction.trim())
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "direction"))?;
        let baseline = required_number("baseline", &self.baseline)?;
        let target = required_number("target", &self.target)?;
        if baseline == target {
            return Err(AppError::field(ErrorCode::TargetIsBaseline, "target"));
        }
        let wrong_way = match direction {
            Direction::Increase => target < baseline,
            Direction::Decrease => target > baseline,
            _ => false,
        };
        if wrong_way {
            return Err(AppError::field(ErrorCode::TargetWrongWay, "target"));
        }
        let start = required_day("start_date", &self.start_date)?;
        let due = required_day("due_date", &self.due_date)?;
        if due <= start {
            return Err(AppError::field(ErrorCode::DueBeforeStart, "due_date"));
        }
        let cadence_days = if self.cadence_days.trim().is_empty() {
            DEFAULT_CADENCE
        } else {
            match parse_number(&self.cadence_days) {
                Some(v) if v.fract() == 0.0 && (1.0..=365.0).contains(&v) => v as i64,
                _ => return Err(AppError::field(ErrorCode::OutOfScale, "cadence_days")),
            }
        };
        let visibility = if self.visibility.trim().is_empty() {
            Visibility::Team
        } else {
            Visibility::parse(self.visibility.trim())
                .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "visibility"))?
        };
        let weight = parse_weight(&self.weight)?;
        Ok(KpiFields {
            code,
            name,
            owner,
            unit,
            direction,
            baseline,
            target,
            start_date: day_text(start),
            due_date: day_text(due),
            cadence_days,
            visibility,
            goal_id: crate::input::optional_id(&self.goal_id),
            weight,
        })
    }
}

/// A roll-up weight: empty = 1; otherwise a positive number up to 100.
pub fn parse_weight(raw: &str) -> Result<f64, AppError> {
    if raw.trim().is_empty() {
        return Ok(1.0);
    }
    match parse_number(raw) {
        Some(v) if v > 0.0 && v <= 100.0 => Ok(v),
        Some(_) => Err(AppError::field(ErrorCode::MustBePositive, "weight")),
        None => Err(AppError::field(ErrorCode::NotANumber, "weight")),
    }
}

/// A check-in as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInFields {
    pub day: String,
    pub value: f64,
    pub confidence: i64,
    pub note: String,
}

/// Checks a check-in's fields (empty confidence = 50 %; empty day = today).
pub fn check_checkin(
    day: &str,
    value: &str,
    confidence: &str,
    note: &str,
    today: i64,
) -> Result<CheckInFields, AppError> {
    let d = if day.trim().is_empty() {
        today
    } else {
        day_number(day).ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "day"))?
    };
    if d > today {
        return Err(AppError::field(ErrorCode::InFuture, "day"));
    }
    let value = required_number("value", value)?;
    let confidence = if confidence.trim().is_empty() {
        50
    } else {
        match parse_number(confidence.trim().trim_end_matches(['%', '％'])) {
            Some(v) if v.fract() == 0.0 && (0.0..=100.0).contains(&v) => v as i64,
            _ => return Err(AppError::field(ErrorCode::OutOfScale, "confidence")),
        }
    };
    let note = note.trim().to_string();
    if note.chars().count() > 2000 {
        return Err(AppError::field(ErrorCode::TooLong, "note"));
    }
    Ok(CheckInFields {
        day: day_text(d),
        value,
        confidence,
        note,
    })
}

// ---------------------------------------------------------------- views

/// One KPI as a dashboard card and the head of its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiCard {
    pub id: String,
    pub code: String,
    pub name: String,
    pub owner: Owner,
    pub owner_name: String,
    pub team_id: String,
    pub team_name: String,
    pub unit: String,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    pub start_date: String,
    pub due_date: String,
    pub cadence_days: i64,
    pub visibility: Visibility,
    pub goal_id: Option<String>,
    pub weight: f64,
    pub version: i64,
    pub current: Option<f64>,
    pub last_day: Option<String>,
    /// Progress and expected progress, 0–1.
    pub progress: f64,
    pub expected: f64,
    pub status: KpiStatus,
    pub stale: bool,
    pub forecast: Option<f64>,
    /// The effective check-in values, oldest first (on the KPI's page; empty
    /// on dashboard cards, which carry the drawn sparkline instead).
    pub series: Vec<(i64, f64)>,
    pub spark: Spark,
}

/// Status counts over the filtered KPIs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub on_track: usize,
    pub at_risk: usize,
    pub off_track: usize,
    pub achieved: usize,
    pub stale: usize,
}

impl StatusCounts {
    pub fn add(&mut self, s: KpiStatus, stale: bool) {
        match s {
            KpiStatus::OnTrack => self.on_track += 1,
            KpiStatus::AtRisk => self.at_risk += 1,
            KpiStatus::OffTrack => self.off_track += 1,
            KpiStatus::Achieved => self.achieved += 1,
        }
        if stale {
            self.stale += 1;
        }
    }
}

/// One page of the KPI dashboard with what its filters offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiDashboard {
    pub cards: Vec<KpiCard>,
    pub total: usize,
    pub page: usize,
    pub counts: StatusCounts,
    pub teams: Vec<(String, String)>,
    pub pms: Vec<(String, String)>,
    pub can_create: bool,
    pub today: String,
}

/// One recorded check-in as its history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInRow {
    pub id: String,
    pub day: String,
    pub value: f64,
    pub confidence: i64,
    pub note: String,
    pub author_name: String,
    pub at: String,
    pub corrects: Option<String>,
    /// Set when a later check-in corrects this one.
    pub corrected: bool,
}

/// Everything on a KPI's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiDetail {
    pub card: KpiCard,
    pub checkins: Vec<CheckInRow>,
    pub goal_title: Option<String>,
    pub today: String,
    pub can_edit: bool,
    pub can_reassign: bool,
    /// Owners it can be handed to (`pm:<id>` / `team:<id>`, label).
    pub owners: Vec<(String, String)>,
    /// Goals the KPI can hang under (for its editors).
    pub goals: Vec<(String, String)>,
}

impl KpiCard {
    /// The card's definition as the KPI form shows it.
    pub fn form(&self) -> KpiForm {
        let n = |v: f64| {
            let s = format!("{v}");
            s.trim_end_matches(".0").to_string()
        };
        KpiForm {
            code: self.code.clone(),
            name: self.name.clone(),
            owner: self.owner.key(),
            unit: self.unit.clone(),
            direction: self.direction.as_str().into(),
            baseline: n(self.baseline),
            target: n(self.target),
            start_date: self.start_date.clone(),
            due_date: self.due_date.clone(),
            cadence_days: self.cadence_days.to_string(),
            visibility: self.visibility.as_str().into(),
            goal_id: self.goal_id.clone().unwrap_or_default(),
            weight: n(self.weight),
        }
    }
}

/// A goal as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: String,
    pub title: String,
    pub level: GoalLevel,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub teams: Vec<(String, String)>,
    pub parent_id: Option<String>,
    pub visibility: Visibility,
    pub weight: f64,
    pub version: i64,
    /// What the goal is about (may be empty).
    pub description: String,
    /// Optional dates, `YYYY-MM-DD`.
    pub start_date: Option<String>,
    pub due_date: Option<String>,
    /// Archived goals stay, with their history, out of the everyday tree.
    pub archived: bool,
}

/// A KPI under a goal in the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalKpi {
    pub id: String,
    pub code: String,
    pub name: String,
    pub progress: f64,
    pub status: KpiStatus,
    pub stale: bool,
}

/// A goal with its roll-up and the children the viewer may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalNode {
    pub goal: Goal,
    pub progress: Option<f64>,
    pub status: Option<KpiStatus>,
    pub goals: Vec<GoalNode>,
    pub kpis: Vec<GoalKpi>,
    /// Children counted in the roll-up that the viewer may not see.
    pub hidden: usize,
    /// Whether the viewer may edit, archive or delete it.
    #[serde(default)]
    pub can_edit: bool,
}

impl GoalNode {
    /// Marks the goals the viewer may change, all the way down.
    pub fn mark_editable(&mut self, editable: &std::collections::HashSet<String>) {
        self.can_edit = editable.contains(&self.goal.id);
        for g in &mut self.goals {
            g.mark_editable(editable);
        }
    }
}

/// A KPI as the goal tree needs it: parent, weight, roll-up inputs, visible?
#[derive(Debug, Clone, PartialEq)]
pub struct TreeKpi {
    pub kpi: GoalKpi,
    pub goal_id: Option<String>,
    pub weight: f64,
    pub visible: bool,
}

/// Builds the goal tree bottom-up: each goal rolls up all its children (seen
/// or not, so that everyone reads the same number) and lists the visible ones.
/// Goals whose parent is missing or invisible become roots when visible.
pub fn goal_tree(goals: &[(Goal, bool)], kpis: &[TreeKpi]) -> Vec<GoalNode> {
    use std::collections::{HashMap, HashSet};
    let ids: HashSet<&str> = goals.iter().map(|(g, _)| g.id.as_str()).collect();
    let mut children: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, (g, _)) in goals.iter().enumerate() {
        let parent = g.parent_id.as_deref().filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(i);
    }
    let mut kpis_of: HashMap<&str, Vec<&TreeKpi>> = HashMap::new();
    for k in kpis {
        if let Some(g) = k.goal_id.as_deref() {
            kpis_of.entry(g).or_default().push(k);
        }
    }
    fn build(
        i: usize,
        goals: &[(Goal, bool)],
        children: &HashMap<Option<&str>, Vec<usize>>,
        kpis_of: &HashMap<&str, Vec<&TreeKpi>>,
        depth: usize,
    ) -> GoalNode {
        let (goal, _) = &goals[i];
        let mut inputs = Vec::new();
        let mut sub = Vec::new();
        let mut hidden = 0;
        if depth < 32 {
            for &c in children.get(&Some(goal.id.as_str())).into_iter().flatten() {
                let node = build(c, goals, children, kpis_of, depth + 1);
                inputs.push(Child {
                    progress: node.progress.unwrap_or(0.0),
                    weight: node.goal.weight,
                    status: node.status,
                });
                if goals[c].1 {
                    sub.push(node);
                } else {
                    hidden += 1;
                }
            }
        }
        let mut list = Vec::new();
        for k in kpis_of.get(goal.id.as_str()).into_iter().flatten() {
            inputs.push(Child {
                progress: k.kpi.progress,
                weight: k.weight,
                status: Some(k.kpi.status),
            });
            if k.visible {
                list.push(k.kpi.clone());
            } else {
                hidden += 1;
            }
        }
        let rolled = roll_up(&inputs);
        GoalNode {
            goal: goal.clone(),
            progress: rolled.map(|r| r.0),
            status: rolled.map(|r| r.1),
            goals: sub,
            kpis: list,
            can_edit: false,
            hidden,
        }
    }
    // Roots: goals without a (known) parent; then visible goals under
    // invisible parents, so nobody loses sight of their own goal.
    let mut out = Vec::new();
    let mut placed: HashSet<usize> = HashSet::new();
    fn mark(node: &GoalNode, goals: &[(Goal, bool)], placed: &mut HashSet<usize>) {
        if let Some(i) = goals.iter().position(|(g, _)| g.id == node.goal.id) {
            placed.insert(i);
        }
        for n in &node.goals {
            mark(n, goals, placed);
        }
    }
    for &i in children.get(&None).into_iter().flatten() {
        if goals[i].1 {
            let node = build(i, goals, &children, &kpis_of, 0);
            mark(&node, goals, &mut placed);
            out.push(node);
        }
    }
    for (i, (_, visible)) in goals.iter().enumerate() {
        if *visible && !placed.contains(&i) {
            let node = build(i, goals, &children, &kpis_of, 0);
            mark(&node, goals, &mut placed);
            out.push(node);
        }
    }
    out
}

/// The goal tree page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalTree {
    pub roots: Vec<GoalNode>,
    /// Goals the viewer may hang a new goal or KPI under (id, title).
    pub parents: Vec<(String, String)>,
    pub teams: Vec<(String, String)>,
    pub pms: Vec<(String, String)>,
    pub can_create_company: bool,
}

/// A KPI whose check-in is due, for its owner's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueKpi {
    pub id: String,
    pub code: String,
    pub name: String,
    pub last_day: Option<String>,
    pub stale: bool,
}

/// A PM's role charter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Charter {
    pub person_id: String,
    pub person_name: String,
    pub team_name: Option<String>,
    pub responsibilities: String,
    pub decision_rights: String,
    pub version: i64,
    pub updated_at: Option<String>,
    pub kpis: Vec<(String, String, String)>,
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::auth::SessionUser;

    fn d(s: &str) -> i64 {
        day_number(s).unwrap()
    }

    fn def(direction: Direction, baseline: f64, target: f64) -> Definition {
        Definition {
            direction,
            baseline,
            target,
            start: d("2026-01-01"),
            due: d("2026-01-01") + 1000,
        }
    }

    #[test]
    fn progress_in_all_four_directions() {
        // Increase 100 → 200, now 150: half way.
        assert_eq!(
            progress(Direction::Increase, 100.0, 200.0, Some(150.0)),
            0.5
        );
        // Past the target or below the baseline is clamped.
        assert_eq!(
            progress(Direction::Increase, 100.0, 200.0, Some(260.0)),
            1.0
        );
        assert_eq!(progress(Direction::Increase, 100.0, 200.0, Some(80.0)), 0.0);
        // Decrease churn 10 % → 6 %, now 9 %: a quarter of the way.
        assert!((progress(Direction::Decrease, 10.0, 6.0, Some(9.0)) - 0.25).abs() < 1e-9);
        assert_eq!(progress(Direction::Decrease, 10.0, 6.0, Some(12.0)), 0.0);
        // Stay above 99.9 uptime: all or nothing.
        assert_eq!(progress(Direction::StayAbove, 99.0, 99.9, Some(99.95)), 1.0);
        assert_eq!(progress(Direction::StayAbove, 99.0, 99.9, Some(99.8)), 0.0);
        assert_eq!(
            progress(Direction::StayBelow, 500.0, 300.0, Some(300.0)),
            1.0
        );
        assert_eq!(
            progress(Direction::StayBelow, 500.0, 300.0, Some(301.0)),
            0.0
        );
        // No check-in yet.
        assert_eq!(progress(Direction::Increase, 1.0, 2.0, None), 0.0);
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            day_number("2026-03-01").unwrap() - day_number("2026-02-28").unwrap(),
            1
        );
        assert_eq!(day_text(day_number("2024-02-29").unwrap()), "2024-02-29");
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026/01/01",
            "2026-1-011",
            "",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn expected_progress_is_elapsed_over_total_days() {
        assert_eq!(expected_progress(0, 100, 25), 0.25);
        assert_eq!(expected_progress(0, 100, -5), 0.0);
        assert_eq!(expected_progress(0, 100, 130), 1.0);
    }

    #[test]
    fn status_thresholds_after_rounding_the_gap() {
        assert_eq!(status_for_gap(16.4), KpiStatus::OnTrack);
        assert_eq!(status_for_gap(16.5), KpiStatus::AtRisk);
        assert_eq!(status_for_gap(33.0), KpiStatus::AtRisk);
        assert_eq!(status_for_gap(33.1), KpiStatus::OffTrack);
        // The gap is rounded to 0.1 before comparing.
        assert_eq!(gap_points(0.66451, 0.5), 16.5);
        assert_eq!(status_for_gap(gap_points(0.66451, 0.5)), KpiStatus::AtRisk);
        assert_eq!(gap_points(0.66449, 0.5), 16.4);
        assert_eq!(status_for_gap(gap_points(0.66449, 0.5)), KpiStatus::OnTrack);
        assert_eq!(status_for_gap(gap_points(0.83049, 0.5)), KpiStatus::AtRisk);
        assert_eq!(
            status_for_gap(gap_points(0.83051, 0.5)),
            KpiStatus::OffTrack
        );
    }

    #[test]
    fn the_gap_rounds_half_up_in_decimal() {
        // Binary floating point would make 16.45 a 16.4 (on track).
        assert_eq!(round_points(16.45), 16.5);
        assert_eq!(status_for_gap(round_points(16.45)), KpiStatus::AtRisk);
        assert_eq!(round_points(16.449), 16.4);
        assert_eq!(status_for_gap(round_points(16.449)), KpiStatus::OnTrack);
        assert_eq!(round_points(32.95), 33.0);
        assert_eq!(status_for_gap(round_points(32.95)), KpiStatus::AtRisk);
        assert_eq!(round_points(33.05), 33.1);
        assert_eq!(status_for_gap(round_points(33.05)), KpiStatus::OffTrack);
        assert_eq!(round_points(-0.05), 0.0);
        // The same through progress numbers: 66.45 % expected, 50 % actual.
        assert_eq!(gap_points(0.6645, 0.5), 16.5);
        assert_eq!(gap_points(0.66449, 0.5), 16.4);
        assert_eq!(gap_points(0.8295, 0.5), 33.0);
        assert_eq!(gap_points(0.8305, 0.5), 33.1);
        // Expected progress 329/2000 days, nothing done: 16.45 points.
        assert_eq!(gap_points(expected_progress(0, 2000, 329), 0.0), 16.5);
    }

    #[test]
    fn status_of_a_kpi_from_its_numbers() {
        // Day 500 of 1000: expected 50 %.
        let k = def(Direction::Increase, 0.0, 1000.0);
        let today = k.start + 500;
        // Actual 33.6 % → gap 16.4 → on track; 33.5 % → 16.5 → at risk.
        assert_eq!(status(&k, Some(336.0), today), KpiStatus::OnTrack);
        assert_eq!(status(&k, Some(335.0), today), KpiStatus::AtRisk);
        // 17 % → gap 33 → at risk; 16.9 % → 33.1 → off track.
        assert_eq!(status(&k, Some(170.0), today), KpiStatus::AtRisk);
        assert_eq!(status(&k, Some(169.0), today), KpiStatus::OffTrack);
        assert_eq!(status(&k, Some(1000.0), today), KpiStatus::Achieved);
        // Decrease: reaching the lower target is achieved.
        let down = def(Direction::Decrease, 10.0, 6.0);
        assert_eq!(
            status(&down, Some(5.5), down.start + 10),
            KpiStatus::Achieved
        );
        assert_eq!(
            status(&down, Some(10.0), down.start + 10),
            KpiStatus::OnTrack
        );
        // Stay above/below: on track while the bound holds, else off track.
        let above = def(Direction::StayAbove, 90.0, 95.0);
        assert_eq!(status(&above, Some(95.0), above.start), KpiStatus::OnTrack);
        assert_eq!(status(&above, Some(94.9), above.start), KpiStatus::OffTrack);
        let below = def(Direction::StayBelow, 400.0, 300.0);
        assert_eq!(status(&below, Some(299.0), below.start), KpiStatus::OnTrack);
        assert_eq!(
            status(&below, Some(301.0), below.start),
            KpiStatus::OffTrack
        );
    }

    #[test]
    fn stale_counts_days_of_the_organisation() {
        let start = d("2026-01-01");
        // Checked in on the 1st; weekly cadence: fresh through the 8th, stale on the 9th.
        assert!(!is_stale(Some(start), start, d("2026-01-08"), 7));
        assert!(is_stale(Some(start), start, d("2026-01-09"), 7));
        // Never checked in: counted from the start.
        assert!(!is_stale(None, start, d("2026-01-05"), 7));
        assert!(is_stale(None, start, d("2026-01-10"), 7));
        // A check-in is due from the 8th (a week after), not before.
        assert!(!is_due(Some(start), start, d("2026-01-07"), 7));
        assert!(is_due(Some(start), start, d("2026-01-08"), 7));
    }

    #[test]
    fn corrections_replace_the_value_they_correct() {
        let r = |id: &str, day: &str, v: f64, c: Option<&str>| Recorded {
            id: id.into(),
            day: d(day),
            value: v,
            corrects: c.map(Into::into),
        };
        let recorded = vec![
            r("a", "2026-01-01", 10.0, None),
            r("b", "2026-01-08", 99.0, None),
            r("c", "2026-01-15", 30.0, None),
            // Corrects b (typo) on a later day: b keeps its day.
            r("x", "2026-01-20", 20.0, Some("b")),
            // A correction of the correction still lands on b.
            r("y", "2026-01-21", 21.0, Some("x")),
        ];
        let s = effective_series(&recorded);
        assert_eq!(
            s,
            vec![
                (d("2026-01-01"), 10.0),
                (d("2026-01-08"), 21.0),
                (d("2026-01-15"), 30.0)
            ]
        );
    }

    #[test]
    fn forecast_needs_two_check_ins_and_follows_the_line() {
        let start = d("2026-01-01");
        assert_eq!(forecast(&[], start + 10), None);
        assert_eq!(forecast(&[(start, 5.0)], start + 10), None);
        assert_eq!(forecast(&[(start, 5.0), (start, 7.0)], start + 10), None);
        // Exactly on a line: +2 a day from 10 → 40 at day 15.
        let f = forecast(&[(start, 10.0), (start + 5, 20.0)], start + 15).unwrap();
        assert!((f - 40.0).abs() < 1e-9);
        // Several noisy points: least squares of (0,1),(1,3),(2,2),(3,4) is
        // y = 1.3 + 0.8x → 9.3 at x = 10.
        let pts = [
            (start, 1.0),
            (start + 1, 3.0),
            (start + 2, 2.0),
            (start + 3, 4.0),
        ];
        let f = forecast(&pts, start + 10).unwrap();
        assert!((f - 9.3).abs() < 1e-9, "{f}");
    }

    #[test]
    fn a_sparkline_spans_its_box_and_marks_the_forecast() {
        let start = d("2026-01-01");
        let s = spark(&[(start, 10.0), (start + 7, 20.0)], start + 14);
        assert_eq!(s.n, 2);
        assert_eq!(s.points, "3.0,28.0 59.5,16.0");
        assert_eq!(s.last, Some((59.5, 16.0)));
        // +10 a week → 30 at the due date, the top right corner.
        assert_eq!(s.forecast, Some((116.0, 4.0)));
        assert_eq!(spark(&[], start), Spark::default());
        assert_eq!(spark(&[(start, 5.0)], start + 9).forecast, None);
    }

    #[test]
    fn roll_up_is_a_weighted_mean_with_the_weakest_status() {
        let c = |p, w, s| Child {
            progress: p,
            weight: w,
            status: Some(s),
        };
        let (p, s) = roll_up(&[
            c(1.0, 1.0, KpiStatus::Achieved),
            c(0.5, 1.0, KpiStatus::OnTrack),
            c(0.0, 1.0, KpiStatus::AtRisk),
        ])
        .unwrap();
        assert!((p - 0.5).abs() < 1e-9);
        assert_eq!(s, KpiStatus::AtRisk);
        // Weights: 3 × 1.0 and 1 × 0.2 → 0.8.
        let (p, s) = roll_up(&[
            c(1.0, 3.0, KpiStatus::Achieved),
            c(0.2, 1.0, KpiStatus::OffTrack),
        ])
        .unwrap();
        assert!((p - 0.8).abs() < 1e-9);
        assert_eq!(s, KpiStatus::OffTrack);
        assert_eq!(roll_up(&[]), None);
    }

    fn goal(id: &str, parent: Option<&str>) -> Goal {
        Goal {
            id: id.into(),
            title: id.into(),
            level: GoalLevel::Team,
            owner_id: None,
            owner_name: None,
            teams: vec![],
            parent_id: parent.map(Into::into),
            visibility: Visibility::Organisation,
            weight: 1.0,
            version: 1,
            description: String::new(),
            start_date: None,
            due_date: None,
            archived: false,
        }
    }

    #[test]
    fn a_goal_cannot_go_under_itself_or_its_descendants() {
        let goals = vec![
            ("a".to_string(), None),
            ("b".to_string(), Some("a".to_string())),
            ("c".to_string(), Some("b".to_string())),
            ("d".to_string(), None),
        ];
        assert!(would_cycle(&goals, "a", "a"));
        assert!(would_cycle(&goals, "a", "c"));
        assert!(would_cycle(&goals, "b", "c"));
        assert!(!would_cycle(&goals, "c", "a"));
        assert!(!would_cycle(&goals, "a", "d"));
    }

    #[test]
    fn the_goal_tree_rolls_up_every_level() {
        let k = |id: &str, goal: &str, p: f64, s: KpiStatus, visible: bool| TreeKpi {
            kpi: GoalKpi {
                id: id.into(),
                code: id.into(),
                name: id.into(),
                progress: p,
                status: s,
                stale: false,
            },
            goal_id: Some(goal.into()),
            weight: 1.0,
            visible,
        };
        let goals = vec![
            (goal("company", None), true),
            (goal("team", Some("company")), true),
            (goal("pm", Some("team")), false),
        ];
        let kpis = vec![
            k("k1", "pm", 0.2, KpiStatus::OffTrack, false),
            k("k2", "team", 1.0, KpiStatus::Achieved, true),
            k("k3", "company", 0.9, KpiStatus::OnTrack, true),
        ];
        let tree = goal_tree(&goals, &kpis);
        assert_eq!(tree.len(), 1);
        let company = &tree[0];
        let team = &company.goals[0];
        // pm goal: 0.2 off track (invisible, still counted).
        assert_eq!(team.hidden, 1);
        assert!((team.progress.unwrap() - 0.6).abs() < 1e-9);
        assert_eq!(team.status, Some(KpiStatus::OffTrack));
        assert!((company.progress.unwrap() - 0.75).abs() < 1e-9);
        assert_eq!(company.status, Some(KpiStatus::OffTrack));
    }

    fn actor(role: Role, id: &str, team: Option<&str>, led: &[&str]) -> Actor {
        Actor {
            user: SessionUser {
                id: id.into(),
                email: format!("{id}@x"),
                display_name: id.into(),
                role,
                team_id: team.map(Into::into),
                language: crate::auth::Language::En,
            },
            led_scope: led.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn visibility_and_edit_rules() {
        let teams = vec!["growth".to_string()];
        let owned = Ownership {
            person: Some("pm3"),
            teams: &teams,
        };
        let owner = actor(Role::Pm, "pm3", Some("growth"), &[]);
        let mate = actor(Role::Pm, "pm4", Some("growth"), &[]);
        let outsider = actor(Role::Pm, "pm7", Some("platform"), &[]);
        let leader = actor(
            Role::Leader,
            "lead1",
            Some("product"),
            &["product", "growth"],
        );
        let other_leader = actor(Role::Leader, "lead2", Some("platform"), &["platform"]);
        let admin = actor(Role::Admin, "admin", None, &[]);
        let private = Visibility::Private;
        assert!(can_see(&owner, private, &owned));
        assert!(can_see(&leader, private, &owned));
        assert!(can_see(&admin, private, &owned));
        assert!(!can_see(&mate, private, &owned));
        assert!(!can_see(&other_leader, private, &owned));
        assert!(can_see(&mate, Visibility::Team, &owned));
        assert!(!can_see(&outsider, Visibility::Team, &owned));
        assert!(can_see(&outsider, Visibility::Organisation, &owned));
        // Edits: the owner, not another PM of the team; leaders above; admins.
        assert!(can_edit(&owner, &owned));
        assert!(!can_edit(&mate, &owned));
        assert!(can_edit(&leader, &owned));
        assert!(!can_edit(&other_leader, &owned));
        // A team-owned KPI: the team's PMs edit it.
        let team_owned = Ownership {
            person: None,
            teams: &teams,
        };
        assert!(can_edit(&mate, &team_owned));
        assert!(!can_edit(&outsider, &team_owned));
        assert!(can_reassign(&leader, &owned));
        assert!(!can_reassign(&owner, &owned));
    }

    #[test]
    fn only_who_sees_a_goal_and_works_on_it_adds_under_it() {
        use ParentAccess::*;
        let growth = vec!["growth".to_string()];
        let pm3 = actor(Role::Pm, "pm3", Some("growth"), &[]);
        let pm4 = actor(Role::Pm, "pm4", Some("growth"), &[]);
        let pm7 = actor(Role::Pm, "pm7", Some("platform"), &[]);
        let lead1 = actor(
            Role::Leader,
            "lead1",
            Some("product"),
            &["product", "growth"],
        );
        let lead2 = actor(Role::Leader, "lead2", Some("platform"), &["platform"]);
        let admin = actor(Role::Admin, "admin", None, &[]);
        let team_goal = Ownership {
            person: None,
            teams: &growth,
        };
        let pm_goal = Ownership {
            person: Some("pm3"),
            teams: &growth,
        };
        let (company, team, pm) = (GoalLevel::Company, GoalLevel::Team, GoalLevel::Pm);
        let (org, team_vis, private) = (
            Visibility::Organisation,
            Visibility::Team,
            Visibility::Private,
        );
        let none: &[String] = &[];
        let company_goal = Ownership {
            person: None,
            teams: none,
        };
        // A company goal seen by everyone: anyone adds under it.
        assert_eq!(parent_access(&pm7, company, org, &company_goal), Allowed);
        // A private team goal: hidden from another team's PM and leader, and
        // from the team's own PMs (private = the leaders above); as if missing.
        assert_eq!(parent_access(&pm7, team, private, &team_goal), Unseen);
        assert_eq!(parent_access(&lead2, team, private, &team_goal), Unseen);
        assert_eq!(parent_access(&pm3, team, private, &team_goal), Unseen);
        assert_eq!(parent_access(&lead1, team, private, &team_goal), Allowed);
        assert_eq!(parent_access(&admin, team, private, &team_goal), Allowed);
        // A team goal the whole organisation sees: only its team adds under it.
        assert_eq!(parent_access(&pm7, team, org, &team_goal), Refused);
        assert_eq!(parent_access(&lead2, team, org, &team_goal), Refused);
        assert_eq!(parent_access(&pm4, team, team_vis, &team_goal), Allowed);
        // A PM's goal: the PM and the leaders above, not a teammate who sees it.
        assert_eq!(parent_access(&pm3, pm, team_vis, &pm_goal), Allowed);
        assert_eq!(parent_access(&pm4, pm, team_vis, &pm_goal), Refused);
        assert_eq!(parent_access(&pm7, pm, team_vis, &pm_goal), Unseen);
        assert_eq!(parent_access(&lead1, pm, private, &pm_goal), Allowed);
    }

    #[test]
    fn kpi_form_names_the_field_at_fault() {
        let ok = KpiForm {
            code: "act-users".into(),
            name: "Active users".into(),
            owner: "pm:x".into(),
            unit: "k".into(),
            direction: "increase".into(),
            baseline: "1,000".into(),
            target: "2000".into(),
            start_date: "2026-01-01".into(),
            due_date: "2026-06-30".into(),
            cadence_days: "".into(),
            visibility: "".into(),
            goal_id: "".into(),
            weight: "".into(),
        };
        let f = ok.check().unwrap();
        assert_eq!(f.code, "ACT-USERS");
        assert_eq!(f.baseline, 1000.0);
        assert_eq!(f.cadence_days, 7);
        assert_eq!(f.visibility, Visibility::Team);
        let field = |form: KpiForm| form.check().unwrap_err().field.unwrap();
        assert_eq!(
            field(KpiForm {
                target: "1000".into(),
                ..ok.clone()
            }),
            "target"
        );
        assert_eq!(
            field(KpiForm {
                direction: "decrease".into(),
                ..ok.clone()
            }),
            "target"
        );
        assert_eq!(
            field(KpiForm {
                due_date: "2025-12-31".into(),
                ..ok.clone()
            }),
            "due_date"
        );
        assert_eq!(
            field(KpiForm {
                baseline: "abc".into(),
                ..ok.clone()
            }),
            "baseline"
        );
        assert_eq!(
            field(KpiForm {
                code: "有 空格".into(),
                ..ok.clone()
            }),
            "code"
        );
        // Stay-below may have any target but the baseline.
        assert!(
            KpiForm {
                direction: "stay_below".into(),
                target: "3000".into(),
                ..ok
            }
            .check()
            .is_ok()
        );
    }

    #[test]
    fn check_ins_are_checked() {
        let today = d("2026-03-01");
        let c = check_checkin("", "12.5", "80%", " ok ", today).unwrap();
        assert_eq!(c.day, "2026-03-01");
        assert_eq!(c.confidence, 80);
        assert_eq!(c.note, "ok");
        let e = check_checkin("2026-03-02", "1", "", "", today).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("day"));
        let e = check_checkin("", "1", "101", "", today).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("confidence"));
        let e = check_checkin("", "", "", "", today).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("value"));
        assert_eq!(parse_number("１２３"), Some(123.0));
    }
}
