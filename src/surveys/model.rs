//! Team-culture and wellbeing surveys: shared types, the templates, the
//! scores (favourability, eNPS) and the anonymity rules of SPEC "Team-culture
//! and wellbeing surveys" (minimum group size, complementary suppression, the
//! containment rule), each a pure function compiled for server and browser.
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Default minimum group size k and comment threshold.
pub const DEFAULT_K: u32 = 5;
/// The range an admin may choose for k and the comment threshold.
pub const K_RANGE: std::ops::RangeInclusive<u32> = 3..=10;
/// The longest free-text answer kept.
pub const MAX_TEXT: usize = 2000;
/// Closed rounds a trend looks back over.
pub const TREND_ROUNDS: usize = 12;
/// The overall group of a round (all its respondents).
pub const OVERALL: &str = "";

text_enum!(Theme {
    Engagement => "engagement",
    Culture => "culture",
    Safety => "safety",
    Balance => "balance",
    Environment => "environment",
    Wellbeing => "wellbeing",
});

text_enum!(QuestionKind {
    Likert => "likert",
    Enps => "enps",
    Single => "single",
    Multiple => "multiple",
    Text => "text",
});

text_enum!(Pulse {
    None => "none",
    Weekly => "weekly",
    Fortnightly => "fortnightly",
    Monthly => "monthly",
    Quarterly => "quarterly",
});

text_enum!(Visibility {
    Private => "private",
    Team => "team",
    Organisation => "organisation",
});

text_enum!(RoundStatus {
    Scheduled => "scheduled",
    Open => "open",
    Closed => "closed",
    // Cancelled before it opened: kept in the list, never opens.
    Cancelled => "cancelled",
});

text_enum!(ActionStatus {
    Open => "open",
    Done => "done",
});

impl Pulse {
    /// The step to the next round: (days, months).
    pub fn step(self) -> Option<(i64, u32)> {
        match self {
            Pulse::None => None,
            Pulse::Weekly => Some((7, 0)),
            Pulse::Fortnightly => Some((14, 0)),
            Pulse::Monthly => Some((0, 1)),
            Pulse::Quarterly => Some((0, 3)),
        }
    }
}

impl QuestionKind {
    /// How many answer values the question has (the length of its distribution).
    pub fn scale(self, options: usize) -> usize {
        match self {
            QuestionKind::Likert => 5,
            QuestionKind::Enps => 11,
            QuestionKind::Single | QuestionKind::Multiple => options,
            QuestionKind::Text => 0,
        }
    }

    /// The lowest answer value (Likert starts at 1, everything else at 0).
    pub fn first(self) -> i64 {
        if self == QuestionKind::Likert { 1 } else { 0 }
    }
}

/// A question of a round, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub theme: Theme,
    pub kind: QuestionKind,
    pub text_en: String,
    pub text_zh: String,
    /// Choices of single and multiple choice questions: (English, Chinese).
    pub options: Vec<(String, String)>,
    /// A Likert answer at or below this shows support resources at once.
    pub distress_at: Option<i64>,
}

impl Question {
    pub fn text(&self, zh: bool) -> &str {
        if zh && !self.text_zh.is_empty() {
            &self.text_zh
        } else {
            &self.text_en
        }
    }

    /// Free text is optional; every other question needs an answer.
    pub fn required(&self) -> bool {
        self.kind != QuestionKind::Text
    }
}

/// Whether an answer is at or past the question's distress threshold.
pub fn is_distress(q: &Question, value: i64) -> bool {
    q.kind == QuestionKind::Likert && q.distress_at.is_some_and(|t| value <= t)
}

/// One person's answer to one question, as the answer page sends it. A
/// plain form post leaves out what was not given (no choice ticked, no
/// text box), hence the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AnswerInput {
    pub question_id: String,
    /// Likert, eNPS and single choice: the value; multiple choice: each chosen option.
    pub values: Vec<i64>,
    pub text: String,
}

/// Checks an answer against its question; `Ok(None)` for an empty optional one.
pub fn check_answer(q: &Question, a: Option<&AnswerInput>) -> Result<Option<AnswerInput>, ()> {
    let empty = a.is_none_or(|a| a.values.is_empty() && a.text.trim().is_empty());
    if empty {
        return if q.required() { Err(()) } else { Ok(None) };
    }
    let a = a.cloned().unwrap_or_default();
    let lo = q.kind.first();
    let hi = lo + q.kind.scale(q.options.len()) as i64 - 1;
    match q.kind {
        QuestionKind::Text => {
            let t = a.text.trim();
            if t.chars().count() > MAX_TEXT || !a.values.is_empty() {
                return Err(());
            }
            Ok(Some(AnswerInput {
                question_id: q.id.clone(),
                values: vec![],
                text: t.to_string(),
            }))
        }
        QuestionKind::Multiple => {
            let set: BTreeSet<i64> = a.values.iter().copied().collect();
            if set.is_empty()
                || set.len() != a.values.len()
                || set.iter().any(|v| *v < lo || *v > hi)
            {
                return Err(());
            }
            Ok(Some(AnswerInput {
                question_id: q.id.clone(),
                values: set.into_iter().collect(),
                text: String::new(),
            }))
        }
        _ => match a.values.as_slice() {
            [v] if (lo..=hi).contains(v) && a.text.trim().is_empty() => Ok(Some(AnswerInput {
                question_id: q.id.clone(),
                values: vec![*v],
                text: String::new(),
            })),
            _ => Err(()),
        },
    }
}

// ---------------------------------------------------------------- scores

/// `part` of `whole` as a whole percentage, rounded half away from zero;
/// `None` without answers.
pub fn percent(part: i64, whole: u32) -> Option<i32> {
    if whole == 0 {
        return None;
    }
    Some((100.0 * part as f64 / whole as f64).round() as i32)
}

/// Favourability of a Likert distribution (counts of 1..=5): % answering 4 or 5.
pub fn favourability(dist: &[u32]) -> Option<i32> {
    let n: u32 = dist.iter().sum();
    let fav: u32 = dist.iter().skip(3).sum();
    percent(fav as i64, n)
}

/// eNPS of a 0..=10 distribution: % promoters (9–10) − % detractors (0–6),
/// from −100 to +100.
pub fn enps(dist: &[u32]) -> Option<i32> {
    let n: u32 = dist.iter().sum();
    let promoters: u32 = dist.iter().skip(9).sum();
    let detractors: u32 = dist.iter().take(7).sum();
    percent(promoters as i64 - detractors as i64, n)
}

// ---------------------------------------------------------------- anonymity

/// A group anyone may be shown: the set of atoms (disjoint parts of the
/// respondents, e.g. one team's direct members in one round) it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub atoms: BTreeSet<String>,
    pub size: u32,
}

/// The containment rule over every pair of shown groups: whenever one shown
/// group contains another, their difference holds 0 or ≥ k respondents;
/// otherwise the smaller is hidden. Returns whether anything changed.
pub fn containment_pass(groups: &[Group], shown: &mut [bool], k: u32) -> bool {
    let mut changed = false;
    loop {
        let mut again = false;
        for g in 0..groups.len() {
            for h in 0..groups.len() {
                if g == h || !shown[g] || !shown[h] {
                    continue;
                }
                let (big, small) = (&groups[g], &groups[h]);
                if small.atoms.is_subset(&big.atoms) && big.size > small.size {
                    let diff = big.size - small.size;
                    if diff < k {
                        shown[h] = false;
                        again = true;
                    }
                }
            }
        }
        if !again {
            return changed;
        }
        changed = true;
    }
}

/// Groups below k are hidden, then the containment rule (for groups that
/// are not a team tree, such as aggregates over several rounds).
pub fn shown_groups(groups: &[Group], k: u32) -> Vec<bool> {
    let mut shown: Vec<bool> = groups.iter().map(|g| g.size >= k).collect();
    containment_pass(groups, &mut shown, k);
    shown
}

/// A team of a round's tree: its parent within the tree (`None`: a team the
/// round targets at the top) and its direct members' respondents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeTeam {
    pub id: String,
    pub parent: Option<String>,
    pub direct: u32,
}

/// What a round may show: every group's respondents and which are shown.
/// The overall group has the key [`OVERALL`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shown {
    pub totals: BTreeMap<String, u32>,
    pub visible: BTreeSet<String>,
    /// Each group's teams (itself and everything under it).
    pub members: BTreeMap<String, BTreeSet<String>>,
}

impl Shown {
    pub fn is_shown(&self, group: &str) -> bool {
        self.visible.contains(group)
    }
    pub fn total(&self, group: &str) -> u32 {
        self.totals.get(group).copied().unwrap_or(0)
    }
}

/// SPEC's minimum group size and complementary suppression over a round's
/// team tree (each parent's respondents = its child teams + a "direct
/// members" part), together with the containment rule over every group any
/// role can be shown, repeated until nothing changes. Computed once per
/// round over the whole tree, never per viewer.
pub fn suppress(teams: &[TreeTeam], k: u32) -> Shown {
    let known: BTreeSet<&str> = teams.iter().map(|t| t.id.as_str()).collect();
    let parent_of = |t: &TreeTeam| -> String {
        t.parent
            .as_deref()
            .filter(|p| known.contains(p))
            .unwrap_or(OVERALL)
            .to_string()
    };
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut direct: BTreeMap<String, u32> = BTreeMap::new();
    direct.insert(OVERALL.into(), 0);
    for t in teams {
        children.entry(parent_of(t)).or_default().push(t.id.clone());
        direct.insert(t.id.clone(), t.direct);
    }
    // Members and totals of every group, from the top down.
    let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    fn collect(
        id: &str,
        children: &BTreeMap<String, Vec<String>>,
        members: &mut BTreeMap<String, BTreeSet<String>>,
        depth: usize,
    ) -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        if id != OVERALL {
            set.insert(id.to_string());
        }
        if depth < 64 {
            for c in children.get(id).into_iter().flatten() {
                set.extend(collect(c, children, members, depth + 1));
            }
        }
        members.insert(id.to_string(), set.clone());
        set
    }
    collect(OVERALL, &children, &mut members, 0);
    let totals: BTreeMap<String, u32> = members
        .iter()
        .map(|(g, set)| (g.clone(), set.iter().map(|t| direct[t]).sum()))
        .collect();

    // Groups in a fixed order; atoms are teams (their direct members).
    let ids: Vec<String> = members.keys().cloned().collect();
    let groups: Vec<Group> = ids
        .iter()
        .map(|g| Group {
            atoms: members[g].clone(),
            size: totals[g],
        })
        .collect();
    let index: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, g)| (g.as_str(), i))
        .collect();
    let mut shown: Vec<bool> = groups.iter().map(|g| g.size >= k).collect();
    // Direct parts are never shown by name, but they count as parts.
    let mut direct_hidden: BTreeSet<String> = BTreeSet::new();

    loop {
        let mut changed = false;
        for parent in &ids {
            // (is_direct, key, size, hidden)
            let mut parts: Vec<(bool, String, u32)> = children
                .get(parent)
                .into_iter()
                .flatten()
                .map(|c| (false, c.clone(), totals[c]))
                .collect();
            parts.push((true, parent.clone(), direct[parent]));
            let is_hidden = |p: &(bool, String, u32), shown: &[bool], dh: &BTreeSet<String>| {
                if p.0 {
                    dh.contains(&p.1)
                } else {
                    !shown[index[p.1.as_str()]]
                }
            };
            for p in &parts {
                if p.2 < k && !is_hidden(p, &shown, &direct_hidden) {
                    if p.0 {
                        direct_hidden.insert(p.1.clone());
                    } else {
                        shown[index[p.1.as_str()]] = false;
                    }
                    changed = true;
                }
            }
            loop {
                let hidden_total: u32 = parts
                    .iter()
                    .filter(|p| is_hidden(p, &shown, &direct_hidden))
                    .map(|p| p.2)
                    .sum();
                if hidden_total == 0 || hidden_total >= k {
                    break;
                }
                // The next-smallest visible part (ties: a direct part first, then by id).
                let next = parts
                    .iter()
                    .filter(|p| !is_hidden(p, &shown, &direct_hidden))
                    .min_by(|a, b| a.2.cmp(&b.2).then(b.0.cmp(&a.0)).then(a.1.cmp(&b.1)))
                    .cloned();
                let Some(p) = next else { break };
                if p.0 {
                    direct_hidden.insert(p.1.clone());
                } else {
                    shown[index[p.1.as_str()]] = false;
                }
                changed = true;
            }
        }
        if containment_pass(&groups, &mut shown, k) {
            changed = true;
        }
        if !changed {
            break;
        }
    }
    Shown {
        visible: ids
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(g, _)| g.clone())
            .collect(),
        totals,
        members,
    }
}

// ---------------------------------------------------------------- results

/// A closed round's answers, counted: what its results are computed from.
/// Counts are per (question, team) and never carry anything about a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Respondents per team.
    pub responses: BTreeMap<String, u32>,
    /// Invitees per team.
    pub invited: BTreeMap<String, u32>,
    /// Answers per (question, team): index = value − the kind's first value.
    pub counts: BTreeMap<(String, String), Vec<u32>>,
    /// Respondents who answered each closed-form question, per (question,
    /// team): a multiple-choice question's option counts do not give it.
    pub answered: BTreeMap<(String, String), u32>,
    /// Free-text answers per (question, team).
    pub comments: BTreeMap<(String, String), Vec<String>>,
}

impl Tally {
    /// The distribution of a question over a set of teams.
    pub fn distribution(&self, q: &Question, teams: &BTreeSet<String>) -> Vec<u32> {
        let mut dist = vec![0u32; q.kind.scale(q.options.len())];
        for t in teams {
            if let Some(c) = self.counts.get(&(q.id.clone(), t.clone())) {
                for (i, n) in c.iter().enumerate() {
                    if let Some(d) = dist.get_mut(i) {
                        *d += n;
                    }
                }
            }
        }
        dist
    }

    /// How many respondents of a set of teams answered a question.
    pub fn answered(&self, q: &Question, teams: &BTreeSet<String>) -> u32 {
        teams
            .iter()
            .filter_map(|t| self.answered.get(&(q.id.clone(), t.clone())))
            .sum()
    }

    /// Favourability of a theme (every Likert answer of its questions) over teams.
    pub fn theme_score(
        &self,
        questions: &[Question],
        theme: Theme,
        teams: &BTreeSet<String>,
    ) -> Option<i32> {
        let mut pooled = vec![0u32; 5];
        for q in questions
            .iter()
            .filter(|q| q.theme == theme && q.kind == QuestionKind::Likert)
        {
            for (i, n) in self.distribution(q, teams).into_iter().enumerate() {
                pooled[i] += n;
            }
        }
        favourability(&pooled)
    }

    /// eNPS over teams (the round's first eNPS question).
    pub fn enps_score(&self, questions: &[Question], teams: &BTreeSet<String>) -> Option<i32> {
        questions
            .iter()
            .find(|q| q.kind == QuestionKind::Enps)
            .and_then(|q| enps(&self.distribution(q, teams)))
    }

    pub fn tree(&self, teams: &[(String, Option<String>)]) -> Vec<TreeTeam> {
        teams
            .iter()
            .map(|(id, parent)| TreeTeam {
                id: id.clone(),
                parent: parent.clone(),
                direct: self.responses.get(id).copied().unwrap_or(0),
            })
            .collect()
    }
}

/// The themes a round's Likert questions cover, in the themes' order.
pub fn themes_of(questions: &[Question]) -> Vec<Theme> {
    Theme::ALL
        .iter()
        .copied()
        .filter(|t| {
            questions
                .iter()
                .any(|q| q.theme == *t && q.kind == QuestionKind::Likert)
        })
        .collect()
}

/// A heatmap cell's tone from its difference to the overall score.
pub fn diff_tone(diff: i32) -> i8 {
    match diff {
        i32::MIN..=-10 => -2,
        -9..=-5 => -1,
        -4..=4 => 0,
        _ => 1,
    }
}

// ---------------------------------------------------------------- pages

/// A round as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: String,
    pub title: String,
    pub owner: String,
    /// In the organisation's time zone, "YYYY-MM-DD HH:MM".
    pub opens: String,
    pub closes: String,
    pub status: RoundStatus,
    pub pulse: Pulse,
    pub visibility: Visibility,
    pub teams: Vec<String>,
    pub invited: u32,
    pub answered: u32,
    pub k: u32,
    pub comment_min: u32,
    pub version: i64,
    /// The caller was asked / has answered.
    pub asked: bool,
    pub done: bool,
    pub can_manage: bool,
    pub can_see_results: bool,
    pub support_note: String,
    /// The ids of `teams` (the teams the round targets).
    #[serde(default)]
    pub team_ids: Vec<String>,
    /// The cadence of a pulse that was stopped (and may be restarted).
    #[serde(default)]
    pub stopped_pulse: Option<Pulse>,
}

impl RoundSummary {
    /// Whether the caller may still change the round: it has not opened
    /// (nor been cancelled) and they manage it.
    pub fn editable(&self) -> bool {
        self.can_manage && self.status == RoundStatus::Scheduled
    }
}

/// `/surveys`: the rounds the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveysPage {
    /// One page (50) of the rounds matching the search, newest first.
    pub rounds: Vec<RoundSummary>,
    /// How many rounds the caller may see match the search.
    pub total: i64,
    /// The first row's index in the matching rounds.
    pub offset: i64,
    /// Open rounds waiting for the caller's answer (whatever the search).
    pub waiting: Vec<RoundSummary>,
    pub can_create: bool,
}

/// `/surveys/new`: what the form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRoundForm {
    /// Teams the caller may target: (id, name, depth).
    pub teams: Vec<(String, String, u32)>,
    pub can_set_k: bool,
    /// Defaults for the time fields, "YYYY-MM-DDTHH:MM" in the organisation's zone.
    pub opens: String,
    pub closes: String,
}

/// A round with its questions (the answer page and the round page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDetail {
    pub round: RoundSummary,
    pub questions: Vec<Question>,
    /// The answer this browser just sent as a plain form (before the page was
    /// interactive) was at a distress threshold: the answer page shows the
    /// support resources, as it does after a hydrated submission.
    #[serde(default)]
    pub support: bool,
    /// The teams the caller may target when editing the round (id, name,
    /// depth); empty when they may not edit it.
    #[serde(default)]
    pub pickable_teams: Vec<(String, String, u32)>,
}

/// What a submission did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    /// The same submission arrived before; nothing new was stored.
    pub replay: bool,
    /// An answer was at or past a distress threshold: show support resources.
    pub distress: bool,
}

/// A group a viewer may pick on the results page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRef {
    /// A team id, or [`OVERALL`].
    pub id: String,
    pub name: String,
    pub depth: u32,
    pub shown: bool,
    /// Only for shown groups.
    pub respondents: Option<u32>,
    pub invited: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question: Question,
    pub answers: u32,
    pub distribution: Vec<u32>,
    pub favourability: Option<i32>,
    pub enps: Option<i32>,
    /// Shuffled; `None` when the group is below the comment threshold.
    pub comments: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeatRow {
    pub name: String,
    pub shown: bool,
    pub respondents: Option<u32>,
    /// (favourability, difference from the overall score) per heat theme;
    /// no difference for a viewer who may not see the overall group.
    pub cells: Vec<Option<(i32, Option<i32>)>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub title: String,
    pub closed: String,
    /// Favourability per trend theme (`None`: hidden or not asked).
    pub themes: Vec<Option<i32>>,
    pub enps: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub id: String,
    pub team: String,
    pub focus: Theme,
    pub action: String,
    pub owner: String,
    pub due_date: String,
    pub status: ActionStatus,
    pub follow_up: String,
    pub version: i64,
    pub can_follow_up: bool,
    /// The person it is given to (`owner` is their name).
    #[serde(default)]
    pub owner_id: String,
    /// Those who may commit to actions for its group may change it.
    #[serde(default)]
    pub can_edit: bool,
}

/// A closed round's results for one group, as one viewer may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub round: RoundSummary,
    pub groups: Vec<GroupRef>,
    pub group: GroupRef,
    pub enps: Option<i32>,
    pub themes: Vec<(Theme, Option<i32>)>,
    pub questions: Vec<QuestionResult>,
    pub heat_themes: Vec<Theme>,
    pub heat: Vec<HeatRow>,
    pub trend_themes: Vec<Theme>,
    pub trend: Vec<TrendPoint>,
    pub actions: Vec<ActionPlan>,
    /// The caller may commit to actions: (team id or "", name) they may act for.
    pub act_for: Vec<(String, String)>,
    /// People an action may be given to: (id, name).
    pub owners: Vec<(String, String)>,
}

/// Open rounds waiting for the caller's answer (the home page's card).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Awaiting {
    pub id: String,
    pub title: String,
    pub closes: String,
}

/// A round's question order after moving one question a place up or down
/// (unchanged at either end); `None` when the round has no such question.
pub fn move_question(order: &[String], id: &str, up: bool) -> Option<Vec<String>> {
    let i = order.iter().position(|q| q == id)?;
    let mut out = order.to_vec();
    match (up, i) {
        (true, 0) => {}
        (true, i) => out.swap(i - 1, i),
        (false, i) if i + 1 < out.len() => out.swap(i, i + 1),
        (false, _) => {}
    }
    Some(out)
}

// ---------------------------------------------------------------- templates

type Tq = (
    QuestionKind,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<i64>,
);

/// The questions of a theme's template, in both languages.
pub fn template(theme: Theme) -> Vec<Question> {
    use QuestionKind::*;
    let qs: &[Tq] = match theme {
        Theme::Engagement => &[
            (
                Enps,
                "How likely are you to recommend this team as a place to work?",
                "你有多大可能向朋友推荐在这个团队工作？",
                &[],
                None,
            ),
            (
                Likert,
                "I am proud to work here.",
                "我为在这里工作感到自豪。",
                &[],
                None,
            ),
            (
                Likert,
                "I see myself still working here in two years.",
                "我预计两年后仍在这里工作。",
                &[],
                None,
            ),
            (
                Single,
                "What would most improve your work here?",
                "什么最能改善你在这里的工作？",
                &[
                    ("Clearer goals", "更清晰的目标"),
                    ("More recognition", "更多认可"),
                    ("Better tools", "更好的工具"),
                    ("Room to grow", "成长空间"),
                ],
                None,
            ),
            (
                Text,
                "What is one thing we should change?",
                "我们最应该改变的一件事是什么？",
                &[],
                None,
            ),
        ],
        Theme::Culture => &[
            (
                Likert,
                "Our team lives by the values we talk about.",
                "我们团队言行一致地践行所倡导的价值观。",
                &[],
                None,
            ),
            (
                Likert,
                "I know what is expected of me at work.",
                "我清楚工作中对我的期望。",
                &[],
                None,
            ),
            (
                Multiple,
                "Which values do you see most in our team?",
                "你在团队中最常看到哪些价值观？",
                &[
                    ("Customer focus", "以客户为中心"),
                    ("Ownership", "主人翁精神"),
                    ("Candour", "坦诚"),
                    ("Collaboration", "协作"),
                    ("Craft", "匠心"),
                ],
                None,
            ),
            (
                Text,
                "Describe our culture in a sentence.",
                "用一句话描述我们的文化。",
                &[],
                None,
            ),
        ],
        Theme::Safety => &[
            (
                Likert,
                "It is safe to take a risk on this team.",
                "在这个团队里冒险尝试是安全的。",
                &[],
                None,
            ),
            (
                Likert,
                "I can bring up problems and tough issues.",
                "我可以提出问题和棘手的事情。",
                &[],
                None,
            ),
            (
                Likert,
                "Mistakes are not held against people here.",
                "在这里犯错不会被追究。",
                &[],
                None,
            ),
        ],
        Theme::Balance => &[
            (
                Likert,
                "My workload is manageable.",
                "我的工作量是可以承受的。",
                &[],
                None,
            ),
            (
                Likert,
                "I can switch off from work outside working hours.",
                "下班后我能够放下工作。",
                &[],
                None,
            ),
            (
                Single,
                "How many evenings a week do you work late?",
                "你每周有几个晚上加班？",
                &[
                    ("None", "没有"),
                    ("1–2", "1–2 个"),
                    ("3–4", "3–4 个"),
                    ("5 or more", "5 个及以上"),
                ],
                None,
            ),
        ],
        Theme::Environment => &[
            (
                Likert,
                "I have the tools and equipment I need.",
                "我拥有所需的工具和设备。",
                &[],
                None,
            ),
            (
                Likert,
                "My workspace lets me focus.",
                "我的工作环境让我能够专注。",
                &[],
                None,
            ),
            (
                Text,
                "What gets in the way of your work?",
                "什么在妨碍你的工作？",
                &[],
                None,
            ),
        ],
        Theme::Wellbeing => &[
            (
                Likert,
                "I can manage my stress at work.",
                "我能够应对工作中的压力。",
                &[],
                Some(2),
            ),
            (
                Likert,
                "I feel energised by my work most days.",
                "大多数日子里，工作让我充满活力。",
                &[],
                Some(1),
            ),
            (
                Likert,
                "I know where to get support if I need it.",
                "需要时我知道去哪里寻求支持。",
                &[],
                None,
            ),
            (
                Text,
                "Is there anything else you want to tell us?",
                "还有什么想告诉我们的吗？",
                &[],
                None,
            ),
        ],
    };
    qs.iter()
        .map(|(kind, en, zh, options, distress)| Question {
            id: String::new(),
            theme,
            kind: *kind,
            text_en: en.to_string(),
            text_zh: zh.to_string(),
            options: options
                .iter()
                .map(|(e, z)| (e.to_string(), z.to_string()))
                .collect(),
            distress_at: *distress,
        })
        .collect()
}

/// Options typed one per line as "English | 中文" (or one language only).
pub fn parse_options(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((en, zh)) => (en.trim().to_string(), zh.trim().to_string()),
            None => (l.to_string(), l.to_string()),
        })
        .collect()
}
