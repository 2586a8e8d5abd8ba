//! Requirements and backlog ranking: the frameworks' scales and scores, the
//! lifecycle, and group-scoring agreement. Pure: shared by browser and server.
use crate::error::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};

text_enum!(Framework {
    Rice => "rice",
    Wsjf => "wsjf",
    Ice => "ice",
    ValueEffort => "value_effort",
    Moscow => "moscow",
} without parse);

impl Framework {
    /// Reads a form's framework: unknown text is an error on the "framework" field.
    pub fn parse(s: &str) -> Result<Framework, AppError> {
        Framework::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "framework"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moscow {
    Must,
    Should,
    Could,
    Wont,
}

impl Moscow {
    /// Sort weight: must first, won't last.
    pub fn weight(self) -> f64 {
        match self {
            Moscow::Must => 4.0,
            Moscow::Should => 3.0,
            Moscow::Could => 2.0,
            Moscow::Wont => 1.0,
        }
    }
}

/// RICE impact scale.
pub const RICE_IMPACT: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 3.0];
/// RICE confidence scale, in percent.
pub const RICE_CONFIDENCE: [f64; 3] = [50.0, 80.0, 100.0];
/// The modified Fibonacci scale of WSJF.
pub const FIBONACCI: [f64; 7] = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0];
/// Value/effort: "high" from this value on.
pub const HIGH: f64 = 6.0;

/// The inputs of one framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "framework", rename_all = "snake_case")]
pub enum ScoreInput {
    Rice {
        reach: f64,
        impact: f64,
        confidence: f64,
        effort: f64,
    },
    Wsjf {
        business_value: f64,
        time_criticality: f64,
        risk_reduction: f64,
        job_size: f64,
    },
    Ice {
        impact: f64,
        confidence: f64,
        ease: f64,
    },
    ValueEffort {
        value: f64,
        effort: f64,
    },
    Moscow {
        category: Moscow,
    },
}

fn on_scale(field: &str, v: f64, scale: &[f64]) -> Result<(), AppError> {
    if scale.iter().any(|s| (s - v).abs() < 1e-9) {
        Ok(())
    } else {
        Err(AppError::field(ErrorCode::OutOfScale, field))
    }
}

fn one_to_ten(field: &str, v: f64) -> Result<(), AppError> {
    if v.fract() == 0.0 && (1.0..=10.0).contains(&v) {
        Ok(())
    } else {
        Err(AppError::field(ErrorCode::OutOfScale, field))
    }
}

impl ScoreInput {
    pub fn framework(&self) -> Framework {
        match self {
            ScoreInput::Rice { .. } => Framework::Rice,
            ScoreInput::Wsjf { .. } => Framework::Wsjf,
            ScoreInput::Ice { .. } => Framework::Ice,
            ScoreInput::ValueEffort { .. } => Framework::ValueEffort,
            ScoreInput::Moscow { .. } => Framework::Moscow,
        }
    }

    /// Refuses inputs outside the framework's scales, naming the field.
    pub fn validate(&self) -> Result<(), AppError> {
        match *self {
            ScoreInput::Rice {
                reach,
                impact,
                confidence,
                effort,
            } => {
                if !reach.is_finite() || reach < 0.0 {
                    return Err(AppError::field(ErrorCode::OutOfScale, "reach"));
                }
                on_scale("impact", impact, &RICE_IMPACT)?;
                on_scale("confidence", confidence, &RICE_CONFIDENCE)?;
                if !effort.is_finite() || effort <= 0.0 {
                    return Err(AppError::field(ErrorCode::MustBePositive, "effort"));
                }
                Ok(())
            }
            ScoreInput::Wsjf {
                business_value,
                time_criticality,
                risk_reduction,
                job_size,
            } => {
                on_scale("business_value", business_value, &FIBONACCI)?;
                on_scale("time_criticality", time_criticality, &FIBONACCI)?;
                on_scale("risk_reduction", risk_reduction, &FIBONACCI)?;
                if job_size <= 0.0 {
                    return Err(AppError::field(ErrorCode::MustBePositive, "job_size"));
                }
                on_scale("job_size", job_size, &FIBONACCI)
            }
            ScoreInput::Ice {
                impact,
                confidence,
                ease,
            } => {
                one_to_ten("impact", impact)?;
                one_to_ten("confidence", confidence)?;
                one_to_ten("ease", ease)
            }
            ScoreInput::ValueEffort { value, effort } => {
                one_to_ten("value", value)?;
                one_to_ten("effort", effort)
            }
            ScoreInput::Moscow { .. } => Ok(()),
        }
    }

    /// The score (higher ranks first), after validation.
    pub fn score(&self) -> Result<f64, AppError> {
        self.validate()?;
        Ok(match *self {
            ScoreInput::Rice {
                reach,
                impact,
                confidence,
                effort,
            } => reach * impact * (confidence / 100.0) / effort,
            ScoreInput::Wsjf {
                business_value,
                time_criticality,
                risk_reduction,
                job_size,
            } => (business_value + time_criticality + risk_reduction) / job_size,
            ScoreInput::Ice {
                impact,
                confidence,
                ease,
            } => impact * confidence * ease,
            ScoreInput::ValueEffort { value, effort } => value / effort,
            ScoreInput::Moscow { category } => category.weight(),
        })
    }

    /// "Why this score": the formula with the inputs put in.
    pub fn explain(&self) -> Result<String, AppError> {
        let s = self.score()?;
        Ok(match *self {
            ScoreInput::Rice {
                reach,
                impact,
                confidence,
                effort,
            } => format!(
                "RICE = reach × impact × confidence ÷ effort = {reach} × {impact} × {confidence}% ÷ {effort} = {}",
                round2(s)
            ),
            ScoreInput::Wsjf {
                business_value,
                time_criticality,
                risk_reduction,
                job_size,
            } => format!(
                "WSJF = (business value + time criticality + risk reduction) ÷ job size = ({business_value} + {time_criticality} + {risk_reduction}) ÷ {job_size} = {}",
                round2(s)
            ),
            ScoreInput::Ice {
                impact,
                confidence,
                ease,
            } => {
                format!("ICE = impact × confidence × ease = {impact} × {confidence} × {ease} = {s}")
            }
            ScoreInput::ValueEffort { value, effort } => {
                format!("value ÷ effort = {value} ÷ {effort} = {}", round2(s))
            }
            ScoreInput::Moscow { category } => format!("MoSCoW: {category:?}"),
        })
    }
}

pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

text_enum!(
    /// Where a requirement came from.
    Source {
        Customer => "customer",
        Sales => "sales",
        Support => "support",
        MarketResearch => "market_research",
        UserResearch => "user_research",
        InternalIdea => "internal_idea",
        Leadership => "leadership",
    }
    without parse
);

impl Source {
    /// The Chinese name used in spreadsheets.
    pub fn zh(self) -> &'static str {
        match self {
            Source::Customer => "客户",
            Source::Sales => "销售",
            Source::Support => "客服",
            Source::MarketResearch => "市场调研",
            Source::UserResearch => "用户研究",
            Source::InternalIdea => "内部创意",
            Source::Leadership => "管理层",
        }
    }

    /// Reads the English key (any case) or the Chinese name.
    pub fn parse_any(s: &str) -> Option<Source> {
        Source::ALL
            .into_iter()
            .find(|x| s.eq_ignore_ascii_case(x.as_str()) || s == x.zh())
    }
}

/// The value/effort quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    QuickWin,
    BigBet,
    FillIn,
    MoneyPit,
}

pub fn quadrant(value: f64, effort: f64) -> Quadrant {
    match (value >= HIGH, effort >= HIGH) {
        (true, false) => Quadrant::QuickWin,
        (true, true) => Quadrant::BigBet,
        (false, false) => Quadrant::FillIn,
        (false, true) => Quadrant::MoneyPit,
    }
}

text_enum!(
    /// Lifecycle of a requirement.
    Status {
        New => "new",
        UnderReview => "under_review",
        Planned => "planned",
        InProgress => "in_progress",
        Done => "done",
        Rejected => "rejected",
        Duplicate => "duplicate",
        Withdrawn => "withdrawn",
    }
);

impl Status {
    /// Whether work on it is over: done, rejected, merged or withdrawn.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Done | Status::Rejected | Status::Duplicate | Status::Withdrawn
        )
    }

    /// Whether moving from `self` to `to` needs a reason: rejecting, and
    /// reopening done work.
    pub fn needs_reason(self, to: Status) -> bool {
        to == Status::Rejected || (self == Status::Done && to == Status::InProgress)
    }

    /// Whether a requirement may move from `self` to `to`. Forward along the
    /// main path one or more steps, back one step, and to rejected or
    /// duplicate from any open state; rejected can be reopened to review and
    /// done to in progress (with a reason, see `needs_reason`). Only a new
    /// requirement can be withdrawn (by its submitter), and withdrawn is final.
    pub fn can_move_to(self, to: Status) -> bool {
        use Status::*;
        let path = [New, UnderReview, Planned, InProgress, Done];
        let idx = |s: Status| path.iter().position(|p| *p == s);
        match (self, to) {
            (a, b) if a == b => false,
            (New, Withdrawn) => true,
            (_, Withdrawn) => false,
            (Done, InProgress) => true,
            (Done | Duplicate | Withdrawn, _) => false,
            (Rejected, UnderReview) => true,
            (Rejected, _) => false,
            (_, Rejected | Duplicate) => true,
            (a, b) => match (idx(a), idx(b)) {
                (Some(i), Some(j)) => j > i || j + 1 == i,
                _ => false,
            },
        }
    }
}

/// How closely a group's estimates agree on a scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    High,
    Medium,
    Low,
}

/// Agreement on an ordered scale: high when max − min spans at most one step,
/// medium at two steps, low beyond. Values off the scale are refused.
pub fn agreement(estimates: &[f64], scale: &[f64]) -> Option<Agreement> {
    let steps: Vec<usize> = estimates
        .iter()
        .map(|v| scale.iter().position(|s| (s - v).abs() < 1e-9))
        .collect::<Option<Vec<_>>>()?;
    let (min, max) = (steps.iter().min()?, steps.iter().max()?);
    Some(match max - min {
        0 | 1 => Agreement::High,
        2 => Agreement::Medium,
        _ => Agreement::Low,
    })
}

/// The suggested agreed value: the median estimate, taken to the nearest
/// point of the scale (the lower one on a tie).
pub fn suggested_median(estimates: &[f64], scale: &[f64]) -> Option<f64> {
    let median = median(estimates)?;
    scale.iter().copied().min_by(|a, b| {
        (a - median)
            .abs()
            .total_cmp(&(b - median).abs())
            .then(a.total_cmp(b))
    })
}

/// The median of some numbers (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The 1–10 scale of ICE and value/effort.
pub fn one_to_ten_scale() -> Vec<f64> {
    (1..=10).map(f64::from).collect()
}

/// A backlog: one team's, owned by one PM, ranked by one framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backlog {
    pub id: String,
    pub team_id: String,
    pub owner_id: String,
    pub name: String,
    pub framework: Framework,
    pub version: i64,
    /// How many requirements it holds (kept on write).
    pub requirements: i64,
}

/// A requirement as the ranked list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementRow {
    pub id: String,
    pub backlog_id: String,
    pub title: String,
    pub description: String,
    pub source: Source,
    pub status: Status,
    pub score: Option<f64>,
    pub score_input: Option<ScoreInput>,
    pub pinned: bool,
    /// Manual order disagrees with score order here: ranked above a lower score.
    pub out_of_order: bool,
    pub votes: i64,
    pub voted: bool,
    pub rank_key: String,
    pub version: i64,
    pub labels: Vec<String>,
    /// The PM who looks after this requirement, if one was named.
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub submitted_by: String,
    pub created_at: String,
    pub status_changed_at: String,
}

text_enum!(EvidenceKind {
    ResearchFinding => "research_finding",
    CustomerQuote => "customer_quote",
    Metric => "metric",
});

fn lower(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => x < y,
        _ => false,
    }
}

/// Where an unpinned requirement with `score` goes among the others (in rank
/// order, itself left out): before the first unpinned one that scores lower.
/// Pinned requirements stay where they were dropped and are stepped over.
pub fn placement_index(others: &[(Option<f64>, bool)], score: Option<f64>) -> usize {
    others
        .iter()
        .position(|(s, pinned)| !pinned && lower(*s, score))
        .unwrap_or(others.len())
}

/// Marks each position ranked directly above a higher score: where the manual
/// order and the score order disagree.
pub fn out_of_order(scores: &[Option<f64>]) -> Vec<bool> {
    (0..scores.len())
        .map(|i| i + 1 < scores.len() && lower(scores[i], scores[i + 1]))
        .collect()
}

/// A requirement as a CSV row carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RequirementDraft {
    pub title: String,
    pub description: String,
    pub source: Option<Source>,
    pub requester: String,
    pub customer: String,
    pub segment: String,
    pub links: Vec<String>,
    pub labels: Vec<String>,
}

pub use crate::csv_read::RowError;

/// At most this many labels on a requirement…
pub const LABELS_MAX: usize = 20;
/// …each at most this many characters.
pub const LABEL_MAX: usize = 40;

/// A new requirement's fields as they arrive, from the submit form or from a
/// CSV row: raw text, checked by [`parse_requirement`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RequirementFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub source: &'a str,
    pub requester: &'a str,
    pub customer: &'a str,
    pub segment: &'a str,
    /// Web links, separated by white space, line breaks or `;`.
    pub links: &'a str,
    /// Labels, separated by `,`, `;` or line breaks (Chinese punctuation too).
    pub labels: &'a str,
}

/// The one check of a new requirement, however it arrives: title (required),
/// description, source (required; English key or Chinese name), requester,
/// customer and segment within their lengths, links only http(s), labels
/// within their limits and only for a caller who `may_label` (edits the
/// backlog's team work, as `update_requirement` requires). Every problem is
/// reported, each at its field, in the order of the fields.
pub fn parse_requirement(
    f: &RequirementFields<'_>,
    may_label: bool,
) -> Result<RequirementDraft, Vec<AppError>> {
    fn keep<T: Default>(errors: &mut Vec<AppError>, r: Result<T, AppError>) -> T {
        r.unwrap_or_else(|e| {
            errors.push(e);
            T::default()
        })
    }
    let mut errors = Vec::new();
    let e = &mut errors;
    let title = keep(e, crate::input::parse_name("title", f.title));
    let description = keep(
        e,
        crate::input::optional_text("description", f.description, crate::input::TEXT_MAX),
    );
    let source = keep(
        e,
        Source::parse_any(f.source.trim()).map(Some).ok_or_else(|| {
            let code = if f.source.trim().is_empty() {
                ErrorCode::Required
            } else {
                ErrorCode::InvalidChoice
            };
            AppError::field(code, "source")
        }),
    );
    let requester = keep(
        e,
        crate::input::optional_text("requester", f.requester, crate::input::NAME_MAX),
    );
    let customer = keep(
        e,
        crate::input::optional_text("customer", f.customer, crate::input::NAME_MAX),
    );
    let segment = keep(
        e,
        crate::input::optional_text("segment", f.segment, crate::input::NAME_MAX),
    );
    let links = split_links(f.links);
    if let Some(bad) = links
        .iter()
        .find_map(|l| crate::input::optional_link("links", l).err())
    {
        e.push(bad);
    }
    let labels = keep(
        e,
        parse_labels(f.labels).and_then(|labels| {
            if labels.is_empty() || may_label {
                Ok(labels)
            } else {
                Err(AppError::field(ErrorCode::Forbidden, "labels"))
            }
        }),
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(RequirementDraft {
        title,
        description,
        source,
        requester,
        customer,
        segment,
        links,
        labels,
    })
}

/// Links as typed or in a CSV cell: one per line (or separated by spaces or `;`).
/// The intake fields that differ between two versions of a requirement, as
/// (old values, new values) keyed by field name, for its history.
pub fn field_changes(
    before: &RequirementDraft,
    after: &RequirementDraft,
) -> (
    std::collections::BTreeMap<&'static str, serde_json::Value>,
    std::collections::BTreeMap<&'static str, serde_json::Value>,
) {
    use serde_json::json;
    let pairs = [
        ("title", json!(before.title), json!(after.title)),
        (
            "description",
            json!(before.description),
            json!(after.description),
        ),
        (
            "source",
            json!(before.source.map(|s| s.as_str())),
            json!(after.source.map(|s| s.as_str())),
        ),
        ("requester", json!(before.requester), json!(after.requester)),
        ("customer", json!(before.customer), json!(after.customer)),
        ("segment", json!(before.segment), json!(after.segment)),
        ("links", json!(before.links), json!(after.links)),
    ];
    let mut from = std::collections::BTreeMap::new();
    let mut to = std::collections::BTreeMap::new();
    for (field, a, b) in pairs {
        if a != b {
            from.insert(field, a);
            to.insert(field, b);
        }
    }
    (from, to)
}

pub fn split_links(raw: &str) -> Vec<String> {
    raw.split(|c: char| c.is_whitespace() || c == ';' || c == '；')
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Labels typed as "a, b" or one a line, or with Chinese punctuation: trimmed,
/// sorted, without repeats, at most [`LABELS_MAX`] of at most [`LABEL_MAX`]
/// characters each.
pub fn parse_labels(raw: &str) -> Result<Vec<String>, AppError> {
    let mut labels: Vec<String> = raw
        .split([',', '，', '\n', ';', '；'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    labels.sort();
    labels.dedup();
    if labels.len() > LABELS_MAX || labels.iter().any(|l| l.chars().count() > LABEL_MAX) {
        return Err(AppError::field(ErrorCode::TooLong, "labels"));
    }
    Ok(labels)
}

impl Framework {
    /// The inputs of a framework: (field, scale; empty for a free number).
    /// MoSCoW's one field, the category, is on the scale of its weights 1–4.
    pub fn fields(self) -> Vec<(&'static str, Vec<f64>)> {
        let ten = one_to_ten_scale();
        match self {
            Framework::Rice => vec![
                ("reach", vec![]),
                ("impact", RICE_IMPACT.to_vec()),
                ("confidence", RICE_CONFIDENCE.to_vec()),
                ("effort", vec![]),
            ],
            Framework::Wsjf => vec![
                ("business_value", FIBONACCI.to_vec()),
                ("time_criticality", FIBONACCI.to_vec()),
                ("risk_reduction", FIBONACCI.to_vec()),
                ("job_size", FIBONACCI.to_vec()),
            ],
            Framework::Ice => vec![
                ("impact", ten.clone()),
                ("confidence", ten.clone()),
                ("ease", ten),
            ],
            Framework::ValueEffort => vec![("value", ten.clone()), ("effort", ten)],
            Framework::Moscow => vec![("category", vec![1.0, 2.0, 3.0, 4.0])],
        }
    }
}

impl Moscow {
    pub fn from_weight(w: f64) -> Option<Moscow> {
        [Moscow::Must, Moscow::Should, Moscow::Could, Moscow::Wont]
            .into_iter()
            .find(|m| (m.weight() - w).abs() < 1e-9)
    }
}

impl ScoreInput {
    /// The inputs as numbers, in the framework's field order (a MoSCoW
    /// category as its weight).
    pub fn values(&self) -> Vec<(&'static str, f64)> {
        if let ScoreInput::Moscow { category } = self {
            return vec![("category", category.weight())];
        }
        let json = serde_json::to_value(self).unwrap_or_default();
        self.framework()
            .fields()
            .into_iter()
            .filter_map(|(f, _)| json.get(f).and_then(|v| v.as_f64()).map(|v| (f, v)))
            .collect()
    }

    /// Builds the inputs of `framework` from numbers by field; `None` when a
    /// field is missing. Not validated: call `score()` for that.
    pub fn from_values(framework: Framework, values: &[(&str, f64)]) -> Option<ScoreInput> {
        let get = |f: &str| values.iter().find(|(n, _)| *n == f).map(|(_, v)| *v);
        if framework == Framework::Moscow {
            return Some(ScoreInput::Moscow {
                category: Moscow::from_weight(get("category")?)?,
            });
        }
        let mut map = serde_json::Map::new();
        map.insert("framework".into(), framework.as_str().into());
        for (f, _) in framework.fields() {
            map.insert(f.into(), serde_json::Number::from_f64(get(f)?)?.into());
        }
        serde_json::from_value(serde_json::Value::Object(map)).ok()
    }
}

/// One input that changed between two score inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<f64>,
    pub to: f64,
}

/// What changed from `from` (none: first scoring) to `to`, field by field.
pub fn score_changes(from: Option<&ScoreInput>, to: &ScoreInput) -> Vec<FieldChange> {
    let before = from.map(|f| f.values()).unwrap_or_default();
    to.values()
        .into_iter()
        .filter_map(|(field, v)| {
            let old = before.iter().find(|(f, _)| *f == field).map(|(_, v)| *v);
            (old != Some(v)).then(|| FieldChange {
                field: field.to_string(),
                from: old,
                to: v,
            })
        })
        .collect()
}

/// How far apart a group's estimates of one input are, and what to agree on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSummary {
    pub field: String,
    pub estimates: Vec<f64>,
    pub min: f64,
    pub max: f64,
    /// `None` when there are no estimates.
    pub agreement: Option<Agreement>,
    pub suggested: f64,
}

/// Agreement on a free number (RICE reach and effort), where there is no
/// scale: the steps of a doubling scale stand in for it, so high when the
/// largest estimate is at most twice the smallest, medium at most four times.
pub fn ratio_agreement(estimates: &[f64]) -> Option<Agreement> {
    let min = estimates.iter().copied().reduce(f64::min)?;
    let max = estimates.iter().copied().reduce(f64::max)?;
    if max <= 0.0 {
        return Some(Agreement::High);
    }
    if min <= 0.0 {
        return Some(Agreement::Low);
    }
    let r = max / min;
    Some(if r <= 2.0 + 1e-9 {
        Agreement::High
    } else if r <= 4.0 + 1e-9 {
        Agreement::Medium
    } else {
        Agreement::Low
    })
}

/// Per input of the framework: every estimate, the spread, the agreement and
/// the suggested median (on the scale where there is one).
pub fn summarise(framework: Framework, inputs: &[ScoreInput]) -> Vec<FieldSummary> {
    framework
        .fields()
        .into_iter()
        .map(|(field, scale)| {
            let estimates: Vec<f64> = inputs
                .iter()
                .filter_map(|i| i.values().into_iter().find(|(f, _)| *f == field))
                .map(|(_, v)| v)
                .collect();
            let min = estimates.iter().copied().reduce(f64::min).unwrap_or(0.0);
            let max = estimates.iter().copied().reduce(f64::max).unwrap_or(0.0);
            let (agreement, suggested) = if scale.is_empty() {
                (
                    ratio_agreement(&estimates),
                    round2(median(&estimates).unwrap_or(0.0)),
                )
            } else {
                (
                    agreement(&estimates, &scale),
                    suggested_median(&estimates, &scale).unwrap_or(scale[0]),
                )
            };
            FieldSummary {
                field: field.to_string(),
                estimates,
                min,
                max,
                agreement,
                suggested,
            }
        })
        .collect()
}

text_enum!(
    /// Orders of the list besides rank.
    Sort {
        Rank => "rank",
        Score => "score",
        Votes => "votes",
        Newest => "newest",
        Oldest => "oldest",
    }
    without parse
);

impl Sort {
    /// Reads the list's order; unknown text means rank.
    pub fn parse(s: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or(Sort::Rank)
    }
}

/// Rows per page of the ranked list.
pub const PAGE_SIZE: i64 = 50;

/// One page of the list, with the ids just around it so that moves across
/// the page edge know their neighbours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementPage {
    /// Open requirements of the backlog that wait for a score (after a
    /// change of framework, or never scored).
    pub unscored: i64,
    /// The last "reset to score order" can still be undone.
    pub can_undo_reset: bool,
    pub rows: Vec<RequirementRow>,
    pub total: i64,
    pub offset: i64,
    /// Up to two ids ranked just above the page, nearest last.
    pub before: Vec<String>,
    /// The id ranked just below the page.
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: String,
    pub kind: EvidenceKind,
    pub body: String,
    pub source: String,
    pub author_name: String,
    pub created_at: String,
    /// When its author last corrected it.
    pub edited_at: Option<String>,
    /// The viewer wrote it (and so may edit or delete it).
    pub mine: bool,
}

/// One line of a requirement's history: who did what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The requirement it happened to (history can list neighbours' changes).
    pub requirement_id: String,
    pub requirement_title: String,
    /// created, status, score, move, reset, merge, unmerge, owner, edit
    /// (from/to: JSON objects of the changed fields), reopen (to: the
    /// reason), rescore (from: the old inputs, to: the new framework), unreset
    pub kind: String,
    pub actor_name: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// For score changes: the inputs that changed.
    pub changes: Vec<FieldChange>,
    pub at: String,
    /// In "why did this move": whether the entry's requirement is now ranked
    /// above (true) or below (false) the one asked about; none for its own.
    #[serde(default)]
    pub now_above: Option<bool>,
}

/// The fields of a requirement that only its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementExtra {
    pub requester: String,
    pub customer: String,
    pub segment: String,
    pub links: Vec<String>,
    pub submitted_by_name: String,
    pub reject_reason: Option<String>,
    /// The kept requirement, when this one is a duplicate: (id, title).
    pub duplicate_of: Option<(String, String)>,
}

/// Everything the requirement page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementDetail {
    pub row: RequirementRow,
    pub backlog: Backlog,
    #[serde(flatten)]
    pub extra: RequirementExtra,
    /// Duplicates merged into this one: (id, title).
    pub merged_here: Vec<(String, String)>,
    pub evidence: Vec<Evidence>,
    /// The newest history entries, newest first (see `history_total`).
    pub history: Vec<HistoryEntry>,
    /// How many history entries there are in all.
    pub history_total: i64,
    pub can_edit: bool,
    /// The viewer may correct its intake fields (the team's PMs at any
    /// state, its submitter while it is new).
    pub can_edit_fields: bool,
    /// The viewer submitted it and it is still new: they may withdraw it.
    pub can_withdraw: bool,
    /// The active PMs who can own it (for editors; empty otherwise).
    pub owners: Vec<(String, String)>,
    /// This duplicate's merge can still be undone (no state change since).
    pub can_undo_merge: bool,
    /// Place in rank order (1-based) and the backlog's size.
    pub position: i64,
    pub total: i64,
}

/// A requirement its submitter follows: "what happened to my requirement".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MySubmission {
    pub id: String,
    pub title: String,
    pub backlog_name: String,
    pub status: Status,
    pub status_changed_at: String,
    pub created_at: String,
    pub reject_reason: Option<String>,
    pub duplicate_of: Option<(String, String)>,
    /// Place in rank order while open.
    pub position: Option<i64>,
    pub total: i64,
    pub votes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateAge {
    pub status: Status,
    pub count: i64,
    pub median_days: f64,
    pub max_days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekIntake {
    /// Monday of the week, YYYY-MM-DD.
    pub start: String,
    pub counts: Vec<(Source, i64)>,
}

/// The backlog dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacklogOverview {
    pub total: i64,
    pub counts: Vec<(Status, i64)>,
    /// (id, title, score), best first.
    pub top: Vec<(String, String, f64)>,
    pub time_in_state: Vec<StateAge>,
    pub weeks: Vec<WeekIntake>,
}

/// Median of some day counts (0 for none), rounded to one decimal.
pub fn median_days(days: &[f64]) -> f64 {
    (median(days).unwrap_or(0.0) * 10.0).round() / 10.0
}

/// A group-scoring round as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PokerRoundSummary {
    pub id: String,
    pub title: String,
    pub owner_name: String,
    pub items: i64,
    pub participants: i64,
    pub submitted: i64,
    pub closed: bool,
    /// The caller is invited and has not submitted yet.
    pub awaiting_me: bool,
}

/// One estimate as the owner (or a participant who has submitted) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PokerEstimate {
    pub name: String,
    pub input: ScoreInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PokerItem {
    pub requirement_id: String,
    pub title: String,
    /// The caller's own estimate, if entered.
    pub mine: Option<ScoreInput>,
    /// Everyone's submitted estimates; empty while hidden from the caller.
    pub estimates: Vec<PokerEstimate>,
    pub summary: Vec<FieldSummary>,
    pub accepted: Option<ScoreInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PokerRound {
    pub id: String,
    pub title: String,
    pub backlog: Backlog,
    pub owner_name: String,
    pub closed: bool,
    /// The caller may accept values and close the round.
    pub can_accept: bool,
    pub invited: bool,
    pub submitted: bool,
    /// Others' estimates are shown (owner, or after one's own submission).
    pub revealed: bool,
    pub participants: Vec<(String, bool)>,
    pub items: Vec<PokerItem>,
}
