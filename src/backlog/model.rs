//! Requirements and backlog ranking: the frameworks' scales and scores, the
//! lifecycle, and group-scoring agreement. Pure: shared by browser and server.
use crate::error::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    Rice,
    Wsjf,
    Ice,
    ValueEffort,
    Moscow,
}

impl Framework {
    pub const ALL: [Framework; 5] = [
        Framework::Rice,
        Framework::Wsjf,
        Framework::Ice,
        Framework::ValueEffort,
        Framework::Moscow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Rice => "rice",
            Framework::Wsjf => "wsjf",
            Framework::Ice => "ice",
            Framework::ValueEffort => "value_effort",
            Framework::Moscow => "moscow",
        }
    }

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

/// Where a requirement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Customer,
    Sales,
    Support,
    MarketResearch,
    UserResearch,
    InternalIdea,
    Leadership,
}

impl Source {
    pub const ALL: [Source; 7] = [
        Source::Customer,
        Source::Sales,
        Source::Support,
        Source::MarketResearch,
        Source::UserResearch,
        Source::InternalIdea,
        Source::Leadership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Customer => "customer",
            Source::Sales => "sales",
            Source::Support => "support",
            Source::MarketResearch => "market_research",
            Source::UserResearch => "user_research",
            Source::InternalIdea => "internal_idea",
            Source::Leadership => "leadership",
        }
    }

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

/// Lifecycle of a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    UnderReview,
    Planned,
    InProgress,
    Done,
    Rejected,
    Duplicate,
}

impl Status {
    /// Whether a requirement may move from `self` to `to`. Forward along the
    /// main path one or more steps, back one step, and to rejected or
    /// duplicate from any open state; rejected can be reopened to review.
    pub fn can_move_to(self, to: Status) -> bool {
        use Status::*;
        let path = [New, UnderReview, Planned, InProgress, Done];
        let idx = |s: Status| path.iter().position(|p| *p == s);
        match (self, to) {
            (a, b) if a == b => false,
            (Done | Duplicate, _) => false,
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
    if estimates.is_empty() {
        return None;
    }
    let mut v = estimates.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    scale.iter().copied().min_by(|a, b| {
        (a - median)
            .abs()
            .total_cmp(&(b - median).abs())
            .then(a.total_cmp(b))
    })
}

/// The 1–10 scale of ICE and value/effort.
pub fn one_to_ten_scale() -> Vec<f64> {
    (1..=10).map(f64::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rice_worked_example_and_rejected_inputs() {
        let r = ScoreInput::Rice {
            reach: 2000.0,
            impact: 2.0,
            confidence: 80.0,
            effort: 4.0,
        };
        assert_eq!(r.score().unwrap(), 800.0);
        assert!(r.explain().unwrap().ends_with("= 800"));
        let bad_impact = ScoreInput::Rice {
            reach: 1.0,
            impact: 1.5,
            confidence: 80.0,
            effort: 1.0,
        };
        assert_eq!(
            bad_impact.score().unwrap_err(),
            AppError::field(ErrorCode::OutOfScale, "impact")
        );
        let bad_conf = ScoreInput::Rice {
            reach: 1.0,
            impact: 1.0,
            confidence: 90.0,
            effort: 1.0,
        };
        assert_eq!(
            bad_conf.score().unwrap_err().field.as_deref(),
            Some("confidence")
        );
        let zero_effort = ScoreInput::Rice {
            reach: 1.0,
            impact: 1.0,
            confidence: 50.0,
            effort: 0.0,
        };
        assert_eq!(
            zero_effort.score().unwrap_err(),
            AppError::field(ErrorCode::MustBePositive, "effort")
        );
        let tiny = ScoreInput::Rice {
            reach: 0.0,
            impact: 0.25,
            confidence: 50.0,
            effort: 0.5,
        };
        assert_eq!(tiny.score().unwrap(), 0.0);
    }

    #[test]
    fn wsjf_worked_example_and_scale() {
        let w = ScoreInput::Wsjf {
            business_value: 8.0,
            time_criticality: 5.0,
            risk_reduction: 3.0,
            job_size: 8.0,
        };
        assert_eq!(w.score().unwrap(), 2.0);
        let off = ScoreInput::Wsjf {
            business_value: 4.0,
            time_criticality: 5.0,
            risk_reduction: 3.0,
            job_size: 8.0,
        };
        assert_eq!(
            off.score().unwrap_err().field.as_deref(),
            Some("business_value")
        );
        let zero = ScoreInput::Wsjf {
            business_value: 1.0,
            time_criticality: 1.0,
            risk_reduction: 1.0,
            job_size: 0.0,
        };
        assert_eq!(zero.score().unwrap_err().code, ErrorCode::MustBePositive);
        let max = ScoreInput::Wsjf {
            business_value: 20.0,
            time_criticality: 20.0,
            risk_reduction: 20.0,
            job_size: 1.0,
        };
        assert_eq!(max.score().unwrap(), 60.0);
    }

    #[test]
    fn ice_and_value_effort_bounds() {
        assert_eq!(
            ScoreInput::Ice {
                impact: 10.0,
                confidence: 10.0,
                ease: 10.0
            }
            .score()
            .unwrap(),
            1000.0
        );
        assert_eq!(
            ScoreInput::Ice {
                impact: 1.0,
                confidence: 1.0,
                ease: 1.0
            }
            .score()
            .unwrap(),
            1.0
        );
        assert!(
            ScoreInput::Ice {
                impact: 0.0,
                confidence: 5.0,
                ease: 5.0
            }
            .score()
            .is_err()
        );
        assert!(
            ScoreInput::Ice {
                impact: 11.0,
                confidence: 5.0,
                ease: 5.0
            }
            .score()
            .is_err()
        );
        assert!(
            ScoreInput::Ice {
                impact: 5.5,
                confidence: 5.0,
                ease: 5.0
            }
            .score()
            .is_err()
        );
        assert_eq!(
            ScoreInput::ValueEffort {
                value: 8.0,
                effort: 2.0
            }
            .score()
            .unwrap(),
            4.0
        );
        assert!(
            ScoreInput::ValueEffort {
                value: 8.0,
                effort: 0.0
            }
            .score()
            .is_err()
        );
    }

    #[test]
    fn quadrants_turn_at_six() {
        assert_eq!(quadrant(6.0, 5.0), Quadrant::QuickWin);
        assert_eq!(quadrant(6.0, 6.0), Quadrant::BigBet);
        assert_eq!(quadrant(5.0, 5.0), Quadrant::FillIn);
        assert_eq!(quadrant(5.0, 6.0), Quadrant::MoneyPit);
    }

    #[test]
    fn moscow_orders_must_first() {
        let must = ScoreInput::Moscow {
            category: Moscow::Must,
        }
        .score()
        .unwrap();
        let wont = ScoreInput::Moscow {
            category: Moscow::Wont,
        }
        .score()
        .unwrap();
        assert!(must > wont);
    }

    #[test]
    fn lifecycle() {
        use Status::*;
        assert!(New.can_move_to(UnderReview));
        assert!(New.can_move_to(Planned));
        assert!(Planned.can_move_to(UnderReview));
        assert!(!Planned.can_move_to(New));
        assert!(InProgress.can_move_to(Rejected));
        assert!(New.can_move_to(Duplicate));
        assert!(!Done.can_move_to(Rejected));
        assert!(Rejected.can_move_to(UnderReview));
        assert!(!Rejected.can_move_to(Done));
        assert!(!New.can_move_to(New));
    }

    #[test]
    fn agreement_counts_scale_steps() {
        assert_eq!(
            agreement(&[5.0, 8.0, 5.0], &FIBONACCI),
            Some(Agreement::High)
        );
        assert_eq!(agreement(&[3.0, 8.0], &FIBONACCI), Some(Agreement::Medium));
        assert_eq!(agreement(&[2.0, 8.0], &FIBONACCI), Some(Agreement::Low));
        assert_eq!(
            agreement(&[4.0, 5.0, 6.0], &one_to_ten_scale()),
            Some(Agreement::Medium)
        );
        assert_eq!(
            agreement(&[4.0], &one_to_ten_scale()),
            Some(Agreement::High)
        );
        assert_eq!(agreement(&[4.0, 7.5], &one_to_ten_scale()), None);
        assert_eq!(suggested_median(&[3.0, 5.0, 13.0], &FIBONACCI), Some(5.0));
        assert_eq!(suggested_median(&[5.0, 13.0], &FIBONACCI), Some(8.0));
        assert_eq!(suggested_median(&[], &FIBONACCI), None);
    }
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    ResearchFinding,
    CustomerQuote,
    Metric,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::ResearchFinding => "research_finding",
            EvidenceKind::CustomerQuote => "customer_quote",
            EvidenceKind::Metric => "metric",
        }
    }
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::UnderReview,
        Status::Planned,
        Status::InProgress,
        Status::Done,
        Status::Rejected,
        Status::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::UnderReview => "under_review",
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Rejected => "rejected",
            Status::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

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

#[cfg(test)]
mod rank_rules {
    use super::*;

    #[test]
    fn a_new_score_goes_before_the_first_lower_unpinned() {
        let others = [
            (Some(9.0), false),
            (Some(1.0), true),
            (Some(5.0), false),
            (None, false),
        ];
        assert_eq!(
            placement_index(&others, Some(7.0)),
            2,
            "steps over the pinned 1.0"
        );
        assert_eq!(placement_index(&others, Some(10.0)), 0);
        assert_eq!(placement_index(&others, Some(5.0)), 3, "ties go after");
        assert_eq!(placement_index(&others, None), 4);
    }

    #[test]
    fn disagreement_is_marked_where_a_lower_score_sits_above() {
        assert_eq!(
            out_of_order(&[Some(9.0), Some(1.0), Some(5.0), None]),
            vec![false, true, false, false]
        );
        assert_eq!(out_of_order(&[None, Some(2.0)]), vec![true, false]);
    }
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

/// One problem in an imported file: the row number as a spreadsheet shows it (the header
/// is row 1), the column, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub code: ErrorCode,
}
