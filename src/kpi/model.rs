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

/// The status a KPI ends on when its period closes: its status on the day of
/// the close, or on its due date when the close comes later (after the due
/// date nothing but a new check-in would change it). Kept as it is from then
/// on, whatever the clock says.
pub fn final_status(def: &Definition, latest: Option<f64>, close_day: i64) -> KpiStatus {
    status(def, latest, close_day.min(def.due))
}

/// The status a KPI shows: the final one kept at a close, else the live one.
pub fn shown_status(final_status: Option<KpiStatus>, live: KpiStatus) -> KpiStatus {
    final_status.unwrap_or(live)
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
    /// When it was archived ("YYYY-MM-DD HH:MM" in the organisation's time
    /// zone); archived KPIs take no check-ins or edits until restored.
    pub archived_at: Option<String>,
    /// Admins may delete it for good.
    pub can_delete: bool,
    /// Archived by a growth period's close: the card's status is the final
    /// one kept then, not a live one.
    #[serde(default)]
    pub final_status: bool,
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
    /// What hangs under it: the goals and KPIs the viewer sees and the
    /// hidden ones (set by `count_children`, kept when it is folded).
    #[serde(default)]
    pub children: usize,
    /// Folded: what is under it was not sent (`goals` and `kpis` are empty
    /// though `children` may not be); the page loads it when opened.
    #[serde(default)]
    pub collapsed: bool,
}

/// The goal tree's levels the page sends open: the top goals and the goals
/// right under them; deeper goals come folded until opened.
pub const GOALS_OPEN_DEPTH: usize = 2;

/// Sets `children` of every node, all the way down.
pub fn count_children(nodes: &mut [GoalNode]) {
    for n in nodes {
        n.children = n.goals.len() + n.kpis.len() + n.hidden;
        count_children(&mut n.goals);
    }
}

/// Whether the node or a goal under it is one of `ids`.
fn holds_any(node: &GoalNode, ids: &[String]) -> bool {
    ids.contains(&node.goal.id) || node.goals.iter().any(|g| holds_any(g, ids))
}

/// Folds the tree for sending: nodes at `depth` (0 for the top) and deeper
/// than `GOALS_OPEN_DEPTH` lose what is under them, unless they are in
/// `open` or lead to a goal that is (so an opened branch shows with its
/// path). Count first (`count_children`).
pub fn fold_tree(nodes: &mut [GoalNode], depth: usize, open: &[String]) {
    for n in nodes {
        if depth >= GOALS_OPEN_DEPTH && !holds_any(n, open) {
            n.goals.clear();
            n.kpis.clear();
            n.collapsed = n.children > 0;
        } else {
            n.collapsed = false;
            fold_tree(&mut n.goals, depth + 1, open);
        }
    }
}

/// The node of goal `id` in a tree (the viewer sees it only if it is there).
pub fn find_goal(nodes: &[GoalNode], id: &str) -> Option<GoalNode> {
    for n in nodes {
        if n.goal.id == id {
            return Some(n.clone());
        }
        if let Some(f) = find_goal(&n.goals, id) {
            return Some(f);
        }
    }
    None
}

/// The `?open=` list of the goal tree's address: goal ids, comma-separated.
pub fn open_ids(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(100)
        .map(str::to_string)
        .collect()
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
            children: 0,
            collapsed: false,
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

/// An archived goal or KPI in the goal tree's "archived" view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedItem {
    pub id: String,
    /// A goal's title; a KPI's code and name.
    pub title: String,
    pub version: i64,
    /// The viewer may restore it (its editors).
    pub can_restore: bool,
    /// A KPI archived by a period's close: the status it ended on.
    #[serde(default)]
    pub final_status: Option<KpiStatus>,
}

/// What the viewer sees of the archived goals and KPIs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ArchivedView {
    pub goals: Vec<ArchivedItem>,
    pub kpis: Vec<ArchivedItem>,
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
