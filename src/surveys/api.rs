//! Server functions of surveys. Every one authorises on the server: admins
//! and leaders make rounds for their scope; invitees answer; results of a
//! closed round go to admins, the owner and leaders for their teams, and the
//! organisation-level group to whoever the round's visibility lets see it,
//! always under the same suppression (computed once per round, never per viewer).
use super::model::{
    AnswerInput, Awaiting, NewRoundForm, RoundDetail, Submitted, SurveyResults, SurveysPage,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{
        ActionPlan, ActionStatus, DEFAULT_K, GroupRef, HeatRow, K_RANGE, OVERALL, Pulse, Question,
        QuestionKind, QuestionResult, RoundStatus, RoundSummary, Shown, TREND_ROUNDS, Tally, Theme,
        TrendPoint, Visibility, check_answer, enps, favourability, is_distress, parse_options,
        suppress, template, themes_of,
    },
    super::store::{self, RoundRow, Stored},
    crate::auth::{Action, Actor, SessionUser, can},
    crate::error::{AppResult, ErrorCode},
    crate::people::{Person, Team, model as pm},
    crate::server::request::{allow, client_id, require_actor, state},
    sqlx::AnyPool,
    std::collections::{BTreeMap, BTreeSet},
    std::sync::Arc,
};

#[cfg(feature = "ssr")]
async fn time_zone(pool: &AnyPool) -> AppResult<chrono_tz::Tz> {
    Ok(crate::people::store::organisation(pool)
        .await?
        .and_then(|o| o.time_zone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Shanghai))
}

/// A stored instant in the organisation's time zone, "YYYY-MM-DD HH:MM".
#[cfg(feature = "ssr")]
fn local(at: &str, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// "YYYY-MM-DDTHH:MM" typed in the organisation's time zone, as a stored instant.
#[cfg(feature = "ssr")]
fn parse_local(field: &str, text: &str, tz: chrono_tz::Tz) -> AppResult<String> {
    use chrono::TimeZone;
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::field(ErrorCode::Required, field));
    }
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map(|d| store::stamp(d.to_utc()))
        .ok_or_else(|| AppError::field(ErrorCode::InvalidDate, field))
}

/// Everything one request needs to describe rounds to one caller.
#[cfg(feature = "ssr")]
struct Ctx {
    actor: Actor,
    pool: AnyPool,
    cache: store::TallyCache,
    /// Opens sealed answers at a round's close (`surveys::seal`).
    key: Option<crate::surveys::seal::SealKey>,
    tz: chrono_tz::Tz,
    now: String,
    teams: Vec<Team>,
    people: Vec<Person>,
    round_teams: BTreeMap<String, Vec<String>>,
    turnout: BTreeMap<String, (u32, u32)>,
    asked: BTreeSet<String>,
    done: BTreeSet<String>,
}

#[cfg(feature = "ssr")]
impl Ctx {
    async fn load() -> AppResult<Ctx> {
        let st = state()?;
        let actor = require_actor().await?;
        let key = st.settings.survey_key.clone();
        Ctx::build(actor, st.pool, st.surveys, key).await
    }

    async fn build(
        actor: Actor,
        pool: AnyPool,
        cache: store::TallyCache,
        key: Option<crate::surveys::seal::SealKey>,
    ) -> AppResult<Ctx> {
        let now = store::now_stamp();
        store::run_pulses(&pool, &now).await?;
        let (asked, done) = store::asked(&pool, &actor.user.id).await?;
        Ok(Ctx {
            tz: time_zone(&pool).await?,
            teams: crate::people::store::teams(&pool).await?,
            people: crate::people::store::people(&pool).await?,
            round_teams: store::round_teams(&pool).await?,
            // Filled by the pages that show it (see `with_turnout`).
            turnout: BTreeMap::new(),
            asked,
            done,
            actor,
            pool,
            cache,
            key,
            now,
        })
    }

    /// Reads invitees and answers of one round, or of all (`None`).
    async fn with_turnout(mut self, round: Option<&str>) -> AppResult<Ctx> {
        self.turnout = store::turnout(&self.pool, round).await?;
        Ok(self)
    }

    /// Admins oversee every round (see `Action::OverseeSurveys`).
    fn is_admin(&self) -> bool {
        can(&self.actor, Action::OverseeSurveys)
    }

    /// Whether the caller may act on a team's people (a leader's scope).
    fn leads(&self, team: &str) -> bool {
        can(&self.actor, Action::ManageTeam { team })
    }

    fn targets(&self, round: &str) -> Vec<String> {
        self.round_teams.get(round).cloned().unwrap_or_default()
    }

    /// The round's teams: each with its parent inside the round's tree.
    fn tree(&self, round: &str) -> Vec<(String, Option<String>)> {
        let scope = store::below(&self.targets(round), &self.teams);
        self.teams
            .iter()
            .filter(|t| scope.contains(&t.id))
            .map(|t| {
                (
                    t.id.clone(),
                    t.parent_id.clone().filter(|p| scope.contains(p)),
                )
            })
            .collect()
    }

    fn team_name(&self, id: &str) -> String {
        self.teams
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    fn person_name(&self, id: &str) -> String {
        self.people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.display_name.clone())
            .unwrap_or_default()
    }

    /// The owner and admins manage a round.
    fn can_manage(&self, row: &RoundRow) -> bool {
        self.is_admin() || row.owner_id == self.actor.user.id
    }

    /// Which of a round's groups the caller may be shown: (the overall
    /// group?, the teams). `None`: no results at all for this caller.
    fn viewer(&self, row: &RoundRow) -> Option<(bool, BTreeSet<String>)> {
        let tree: BTreeSet<String> = self.tree(&row.id).into_iter().map(|t| t.0).collect();
        if self.can_manage(row) {
            return Some((true, tree));
        }
        // Not an admin here (they manage every round): the teams they lead.
        let led: BTreeSet<String> = tree.iter().filter(|t| self.leads(t)).cloned().collect();
        let whole = !tree.is_empty() && led.len() == tree.len();
        let overall = whole
            || match row.visibility() {
                Visibility::Organisation => true,
                Visibility::Team => self.asked.contains(&row.id),
                Visibility::Private => false,
            };
        (overall || !led.is_empty()).then_some((overall, led))
    }

    fn may_see(&self, row: &RoundRow) -> bool {
        if row.cancelled_at.is_some() {
            // Kept for those who ran it or lead its teams; nobody answers it.
            return self.can_manage(row) || self.targets(&row.id).iter().any(|t| self.leads(t));
        }
        self.viewer(row).is_some() || self.asked.contains(&row.id)
    }

    fn summary(&self, row: &RoundRow) -> RoundSummary {
        let (invited, answered) = self.turnout.get(&row.id).copied().unwrap_or((0, 0));
        let mut teams: Vec<String> = self
            .targets(&row.id)
            .iter()
            .map(|t| self.team_name(t))
            .collect();
        teams.sort();
        RoundSummary {
            id: row.id.clone(),
            title: row.title.clone(),
            owner: self.person_name(&row.owner_id),
            opens: local(&row.opens_at, self.tz),
            closes: local(&row.closes_at, self.tz),
            status: row.status(&self.now),
            pulse: row.pulse(),
            visibility: row.visibility(),
            teams,
            invited,
            answered,
            k: row.min_group as u32,
            comment_min: row.comment_min as u32,
            version: row.version,
            asked: self.asked.contains(&row.id),
            done: self.done.contains(&row.id),
            can_manage: self.can_manage(row),
            can_see_results: self.viewer(row).is_some(),
            support_note: row.support_note.clone(),
            team_ids: self.targets(&row.id),
            stopped_pulse: row.stopped_pulse(),
        }
    }

    async fn round(&self, id: &str) -> AppResult<RoundRow> {
        store::round(&self.pool, id)
            .await?
            .ok_or_else(|| AppError::new(ErrorCode::NotFound))
    }

    /// A round the caller manages (`before_open`: that has not opened yet).
    async fn managed(&self, id: &str, before_open: bool) -> AppResult<RoundRow> {
        let row = self.round(id).await?;
        if !self.can_manage(&row) {
            return Err(AppError::forbidden());
        }
        match row.status(&self.now) {
            RoundStatus::Cancelled if before_open => Err(AppError::new(ErrorCode::RoundCancelled)),
            RoundStatus::Open | RoundStatus::Closed if before_open => {
                Err(AppError::new(ErrorCode::RoundLocked))
            }
            _ => Ok(row),
        }
    }

    /// A round the caller may change as one who makes rounds: they run
    /// surveys, manage the round, and (leaders) lead every team it targets,
    /// as when making it. `before_open`: only while it has not opened.
    async fn changeable(&self, id: &str, before_open: bool) -> AppResult<RoundRow> {
        allow(&self.actor, Action::RunSurveys)?;
        let row = self.managed(id, before_open).await?;
        if !self.targets(&row.id).iter().all(|t| self.leads(t)) {
            return Err(AppError::forbidden());
        }
        Ok(row)
    }

    /// The teams the caller may target, in tree order: (id, name, depth).
    fn pickable_teams(&self) -> Vec<(String, String, u32)> {
        pm::tree_order(&self.teams)
            .into_iter()
            .filter(|(_, t)| self.leads(&t.id))
            .map(|(d, t)| (t.id, t.name, d as u32))
            .collect()
    }

    /// The teams a round is to target, as a form gave them: each one the
    /// caller leads; sorted, without repeats.
    fn chosen_teams(&self, teams: Vec<String>) -> AppResult<Vec<String>> {
        if teams.is_empty() {
            return Err(AppError::field(ErrorCode::Required, "teams"));
        }
        let known: BTreeSet<&str> = self.teams.iter().map(|t| t.id.as_str()).collect();
        if teams.iter().any(|t| !known.contains(t.as_str())) {
            return Err(AppError::field(ErrorCode::InvalidChoice, "teams"));
        }
        if teams.iter().any(|t| !self.leads(t)) {
            return Err(AppError::forbidden());
        }
        let mut teams = teams;
        teams.sort();
        teams.dedup();
        Ok(teams)
    }

    /// A round's window as a form gave it (in the organisation's time
    /// zone): stored instants, closing after it opens and in the future.
    fn window(&self, opens: &str, closes: &str) -> AppResult<(String, String)> {
        let opens_at = parse_local("opens", opens, self.tz)?;
        let closes_at = parse_local("closes", closes, self.tz)?;
        if closes_at <= opens_at {
            return Err(AppError::field(ErrorCode::ClosesBeforeOpens, "closes"));
        }
        if closes_at <= self.now {
            return Err(AppError::field(ErrorCode::InPast, "closes"));
        }
        Ok((opens_at, closes_at))
    }
}

/// `/surveys`: rounds awaiting the caller, then one page (50, newest first)
/// of the rounds they may see (their own, those they were asked to answer,
/// those they may see results of) whose title contains `search`. Which
/// rounds a person may see is a rule over the team tree and each round's
/// visibility (`Ctx::may_see`), so the page is cut after it, on the server:
/// a round the caller may not see is neither counted nor sent.
#[server(prefix = "/api", endpoint = "load_surveys")]
pub async fn load_surveys(
    #[server(default)] search: String,
    #[server(default)] offset: i64,
) -> Result<SurveysPage, AppError> {
    let ctx = Ctx::load().await?.with_turnout(None).await?;
    let waiting = store::rounds(&ctx.pool)
        .await?
        .iter()
        .filter(|r| {
            ctx.may_see(r)
                && ctx.asked.contains(&r.id)
                && !ctx.done.contains(&r.id)
                && r.status(&ctx.now) == RoundStatus::Open
        })
        .map(|r| ctx.summary(r))
        .collect();
    let search = crate::input::search_text(&search);
    let visible: Vec<RoundRow> = store::rounds_matching(&ctx.pool, &search)
        .await?
        .into_iter()
        .filter(|r| ctx.may_see(r))
        .collect();
    let page = crate::ui::pager::page_of(visible, offset);
    Ok(SurveysPage {
        rounds: page.rows.iter().map(|r| ctx.summary(r)).collect(),
        total: page.total,
        offset: page.offset,
        waiting,
        can_create: can(&ctx.actor, Action::RunSurveys),
    })
}

/// Open rounds waiting for the caller's answer.
#[server(prefix = "/api", endpoint = "surveys_awaiting")]
pub async fn surveys_awaiting() -> Result<Vec<Awaiting>, AppError> {
    let ctx = Ctx::load().await?;
    let rows = store::rounds(&ctx.pool).await?;
    let mut out: Vec<(String, Awaiting)> = rows
        .iter()
        .filter(|r| {
            ctx.asked.contains(&r.id)
                && !ctx.done.contains(&r.id)
                && r.status(&ctx.now) == RoundStatus::Open
        })
        .map(|r| {
            (
                r.closes_at.clone(),
                Awaiting {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    closes: local(&r.closes_at, ctx.tz),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out.into_iter().map(|a| a.1).collect())
}

/// What the new-round form offers the caller (admins and leaders).
#[server(prefix = "/api", endpoint = "new_round_options")]
pub async fn new_round_options() -> Result<NewRoundForm, AppError> {
    let ctx = Ctx::load().await?;
    allow(&ctx.actor, Action::RunSurveys)?;
    let teams = ctx.pickable_teams();
    let now = chrono::Utc::now().with_timezone(&ctx.tz);
    let fmt = |t: chrono::DateTime<chrono_tz::Tz>| t.format("%Y-%m-%dT%H:%M").to_string();
    Ok(NewRoundForm {
        teams,
        can_set_k: ctx.is_admin(),
        opens: fmt(now),
        closes: fmt(now + chrono::Duration::days(7)),
    })
}

/// Parses a threshold (k or the comment threshold): 3–10, default 5.
#[cfg(feature = "ssr")]
fn parse_threshold(field: &str, text: &str) -> AppResult<u32> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(DEFAULT_K);
    }
    match t.parse::<u32>() {
        Ok(n) if K_RANGE.contains(&n) => Ok(n),
        Ok(_) => Err(AppError::field(ErrorCode::OutOfRange, field)),
        Err(_) => Err(AppError::field(ErrorCode::NotANumber, field)),
    }
}

/// Makes a round from templates for teams the caller may survey.
#[server(prefix = "/api", endpoint = "create_round", input = leptos::server_fn::codec::Json)]
#[allow(clippy::too_many_arguments)]
pub async fn create_round(
    id: String,
    title: String,
    themes: Vec<String>,
    teams: Vec<String>,
    opens: String,
    closes: String,
    pulse: String,
    visibility: String,
    k: String,
    comment_min: String,
    support_note: String,
) -> Result<String, AppError> {
    let ctx = Ctx::load().await?;
    allow(&ctx.actor, Action::RunSurveys)?;
    let id = client_id(&id)?;
    if let Some(existing) = store::round(&ctx.pool, &id).await? {
        if existing.owner_id != ctx.actor.user.id {
            return Err(AppError::new(ErrorCode::IdConflict));
        }
        return Ok(existing.id);
    }
    let title = crate::input::parse_name("title", &title)?;
    let themes: Vec<Theme> = themes.iter().filter_map(|t| Theme::parse(t)).collect();
    if themes.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "themes"));
    }
    let teams = ctx.chosen_teams(teams)?;
    let (opens_at, closes_at) = ctx.window(&opens, &closes)?;
    let pulse = Pulse::parse(pulse.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "pulse"))?;
    let visibility = Visibility::parse(visibility.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "visibility"))?;
    let k = parse_threshold("k", &k)?;
    let comment_min = parse_threshold("comment_min", &comment_min)?;
    if !ctx.is_admin() && (k != DEFAULT_K || comment_min != DEFAULT_K) {
        return Err(AppError::field(ErrorCode::Forbidden, "k"));
    }
    let support_note = crate::input::optional_text("support_note", &support_note, 1000)?;
    let invitees = store::invitees(&teams, &ctx.teams, &ctx.people);
    if invitees.is_empty() {
        return Err(AppError::field(ErrorCode::NobodyToAsk, "teams"));
    }
    let questions: Vec<Question> = themes.into_iter().flat_map(template).collect();
    let row = RoundRow {
        id: id.clone(),
        title,
        owner_id: ctx.actor.user.id.clone(),
        opens_at,
        closes_at,
        pulse: pulse.as_str().into(),
        series_id: id.clone(),
        min_group: k as i64,
        comment_min: comment_min as i64,
        visibility: visibility.as_str().into(),
        support_note,
        version: 1,
        cancelled_at: None,
        stopped_pulse: String::new(),
        pulse_resumed_at: None,
    };
    store::insert_round(&ctx.pool, &row, &teams, &questions, &invitees, &ctx.now).await?;
    Ok(id)
}

/// A round with its questions: for the people asked (to answer) and for
/// those who manage it.
#[server(prefix = "/api", endpoint = "load_round")]
pub async fn load_round(id: String) -> Result<RoundDetail, AppError> {
    let ctx = Ctx::load().await?.with_turnout(Some(&id)).await?;
    let row = ctx.round(&id).await?;
    if !ctx.asked.contains(&row.id) && !ctx.can_manage(&row) {
        return Err(AppError::forbidden());
    }
    let summary = ctx.summary(&row);
    let pickable_teams = if summary.editable() && can(&ctx.actor, Action::RunSurveys) {
        ctx.pickable_teams()
    } else {
        vec![]
    };
    Ok(RoundDetail {
        round: summary,
        questions: store::questions(&ctx.pool, &row.id).await?,
        support: take_support_cookie(&row.id),
        pickable_teams,
    })
}

/// Changes a round that has not opened: title, window, teams (each one the
/// caller leads, as when making a round), visibility and support contacts.
/// Its invitees are the people of its teams today.
#[server(prefix = "/api", endpoint = "edit_round")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_round(
    round_id: String,
    version: i64,
    title: String,
    #[server(default)] teams: Vec<String>,
    opens: String,
    closes: String,
    visibility: String,
    support_note: String,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = ctx.changeable(&round_id, true).await?;
    let title = crate::input::parse_name("title", &title)?;
    let teams = ctx.chosen_teams(teams)?;
    let (opens_at, closes_at) = ctx.window(&opens, &closes)?;
    let visibility = Visibility::parse(visibility.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "visibility"))?;
    let support_note = crate::input::optional_text("support_note", &support_note, 1000)?;
    let invitees = store::invitees(&teams, &ctx.teams, &ctx.people);
    if invitees.is_empty() {
        return Err(AppError::field(ErrorCode::NobodyToAsk, "teams"));
    }
    let edit = store::RoundEdit {
        title: &title,
        opens_at: &opens_at,
        closes_at: &closes_at,
        visibility,
        support_note: &support_note,
        teams: &teams,
        invitees: &invitees,
    };
    store::edit_round(&ctx.pool, &row.id, version, &edit).await
}

/// Removes a question from a round that has not opened (at least one stays).
#[server(prefix = "/api", endpoint = "remove_round_question")]
pub async fn remove_round_question(
    round_id: String,
    version: i64,
    question_id: String,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = ctx.changeable(&round_id, true).await?;
    store::remove_question(&ctx.pool, &row.id, version, question_id.trim()).await
}

/// Moves a question of a round that has not opened one place `up` or `down`.
#[server(prefix = "/api", endpoint = "move_round_question")]
pub async fn move_round_question(
    round_id: String,
    version: i64,
    question_id: String,
    direction: String,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = ctx.changeable(&round_id, true).await?;
    let up = crate::input::parse_direction(&direction)?;
    store::move_question(&ctx.pool, &row.id, version, question_id.trim(), up).await
}

/// Cancels a round that has not opened: it stays in the list, marked, and
/// never opens. Cancelling a cancelled round (a replay) changes nothing.
#[server(prefix = "/api", endpoint = "cancel_round")]
pub async fn cancel_round(round_id: String, version: i64) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = match ctx.changeable(&round_id, true).await {
        Err(e) if e.code == ErrorCode::RoundCancelled => return Ok(()),
        r => r?,
    };
    store::cancel_round(&ctx.pool, &row.id, version, &ctx.now).await
}

/// Restarts a stopped pulse (its owner, admins; leaders for the teams they
/// lead) at its former cadence or the one given: its next round is made
/// when the first window that begins after now has begun.
#[server(prefix = "/api", endpoint = "restart_pulse")]
pub async fn restart_pulse(round_id: String, version: i64, pulse: String) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = ctx.changeable(&round_id, false).await?;
    if row.status(&ctx.now) == RoundStatus::Cancelled {
        return Err(AppError::new(ErrorCode::RoundCancelled));
    }
    let given = pulse.trim();
    // A replay of a restart that went through: nothing more to do.
    if row.pulse() != Pulse::None && (given.is_empty() || given == row.pulse().as_str()) {
        return Ok(());
    }
    let Some(stopped) = row.stopped_pulse() else {
        return Err(AppError::new(ErrorCode::PulseNotStopped));
    };
    let cadence = if given.is_empty() {
        stopped
    } else {
        Pulse::parse(given)
            .filter(|p| *p != Pulse::None)
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "pulse"))?
    };
    store::restart_pulse(
        &ctx.pool,
        &row.id,
        version,
        &row.series_id,
        cadence,
        &ctx.now,
    )
    .await
}

/// Adds a custom question to a round that has not opened (its owner, admins).
#[server(prefix = "/api", endpoint = "add_round_question")]
#[allow(clippy::too_many_arguments)]
pub async fn add_round_question(
    round_id: String,
    id: String,
    theme: String,
    kind: String,
    text_en: String,
    text_zh: String,
    options: String,
    distress_at: String,
    #[server(default)] version: Option<i64>,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = ctx.changeable(&round_id, true).await?;
    let id = client_id(&id)?;
    let theme = Theme::parse(theme.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "theme"))?;
    let kind = QuestionKind::parse(kind.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?;
    let text_en = crate::input::parse_name("text_en", &text_en)?;
    let text_zh = crate::input::optional_text("text_zh", &text_zh, 300)?;
    let options = parse_options(&options);
    let choice = matches!(kind, QuestionKind::Single | QuestionKind::Multiple);
    if choice && options.len() < 2 {
        return Err(AppError::field(ErrorCode::TooFewOptions, "options"));
    }
    let distress_at = match distress_at.trim() {
        "" => None,
        t if kind == QuestionKind::Likert => match t.parse::<i64>() {
            Ok(n) if (1..=4).contains(&n) => Some(n),
            Ok(_) => return Err(AppError::field(ErrorCode::OutOfScale, "distress_at")),
            Err(_) => return Err(AppError::field(ErrorCode::NotANumber, "distress_at")),
        },
        _ => {
            return Err(AppError::field(ErrorCode::InvalidChoice, "distress_at"));
        }
    };
    let q = Question {
        id,
        theme,
        kind,
        text_en,
        text_zh,
        options: if choice { options } else { vec![] },
        distress_at,
    };
    store::add_question(&ctx.pool, &row.id, version, &q).await?;
    Ok(())
}

/// Sets k and the comment threshold of a round that has not opened (admins only).
#[server(prefix = "/api", endpoint = "set_round_thresholds")]
pub async fn set_round_thresholds(
    round_id: String,
    version: i64,
    k: String,
    comment_min: String,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    if !ctx.is_admin() {
        return Err(AppError::forbidden());
    }
    let row = ctx.managed(&round_id, true).await?;
    let k = parse_threshold("k", &k)?;
    let c = parse_threshold("comment_min", &comment_min)?;
    store::set_thresholds(&ctx.pool, &row.id, version, k, c).await
}

/// Closes an open round now (its owner, admins); its free text is written
/// into its final place at once (`store::close_now`) and its results appear.
#[server(prefix = "/api", endpoint = "close_round")]
pub async fn close_round(round_id: String, version: i64) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = ctx.managed(&round_id, false).await?;
    if row.status(&ctx.now) != RoundStatus::Open {
        return Err(AppError::new(ErrorCode::RoundNotOpen));
    }
    store::close_now(&ctx.pool, ctx.key.as_ref(), &row.id, version, &ctx.now).await
}

/// Stops a pulse from repeating (its owner, admins).
#[server(prefix = "/api", endpoint = "stop_pulse")]
pub async fn stop_pulse(round_id: String) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let row = ctx.managed(&round_id, false).await?;
    store::stop_pulse(&ctx.pool, &row.series_id).await
}

/// One person's answers to an open round they were asked in. The
/// submission id only recognises a replay; it is never stored with answers.
#[server(prefix = "/api", endpoint = "submit_answers", input = leptos::server_fn::codec::Json)]
pub async fn submit_answers(
    round_id: String,
    submission: String,
    answers: Vec<AnswerInput>,
) -> Result<Submitted, AppError> {
    answer(round_id, submission, answers).await
}

/// The answer page's form as a plain HTML form post, before the page is
/// interactive: the same answer as `submit_answers`, sent urlencoded
/// (`answers[i][question_id]`, `answers[i][values][]`, `answers[i][text]`).
/// The browser is sent back to the page, which shows the thanks; when the
/// answer calls for support resources, a short-lived cookie of this
/// browser's tells the page so (see `take_support_cookie`).
#[server(prefix = "/api", endpoint = "submit_answers_form")]
pub async fn submit_answers_form(
    round_id: String,
    submission: String,
    #[server(default)] answers: Vec<AnswerInput>,
) -> Result<Submitted, AppError> {
    let done = answer(round_id.clone(), submission, answers).await?;
    if done.distress {
        set_support_cookie(&round_id, 600);
    }
    Ok(done)
}

/// Tells the answer page of one round, in this browser only, that support
/// resources are due (`max_age` seconds; 0 clears it). Nothing about it is
/// stored on the server.
#[cfg(feature = "ssr")]
fn set_support_cookie(round_id: &str, max_age: u32) {
    // Only a round's own id (a UUID) goes into the cookie's path.
    let Ok(round) = uuid::Uuid::parse_str(round_id) else {
        return;
    };
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let value = if max_age > 0 { "1" } else { "" };
    let cookie = format!(
        "{SUPPORT_COOKIE}={value}; Path=/surveys/{round}/answer; Max-Age={max_age}; HttpOnly; SameSite=Lax"
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
        res.append_header(axum::http::header::SET_COOKIE, v);
    }
}

#[cfg(feature = "ssr")]
const SUPPORT_COOKIE: &str = "keel_survey_support";

/// Whether the request (the answer page of `round_id`) carries the cookie a
/// plain answer with distress left; it is cleared as it is read.
#[cfg(feature = "ssr")]
fn take_support_cookie(round_id: &str) -> bool {
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return false;
    };
    let found = parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(SUPPORT_COOKIE)?.strip_prefix('='))
        .any(|v| v == "1");
    if found {
        set_support_cookie(round_id, 0);
    }
    found
}

/// One answer, however it was sent: who may answer, the rules each answer
/// must meet, and storing it once.
#[cfg(feature = "ssr")]
async fn answer(
    round_id: String,
    submission: String,
    answers: Vec<AnswerInput>,
) -> AppResult<Submitted> {
    let st = state()?;
    let actor = require_actor().await?;
    let pool = st.pool;
    let key = st.settings.survey_key.clone();
    let submission = client_id(&submission)?;
    let row = store::round(&pool, &round_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let Some(team) = store::invitee_team(&pool, &row.id, &actor.user.id).await? else {
        return Err(AppError::forbidden());
    };
    let questions = store::questions(&pool, &row.id).await?;
    let mut clean = Vec::new();
    let mut distress = false;
    for q in &questions {
        let given = answers.iter().find(|a| a.question_id == q.id);
        match check_answer(q, given) {
            Ok(Some(a)) => {
                distress |= a.values.iter().any(|v| is_distress(q, *v));
                clean.push(a);
            }
            Ok(None) => {}
            Err(()) => {
                // An answer sent empty (a plain form sends every question)
                // is one left out.
                let empty = given.is_none_or(|a| a.values.is_empty() && a.text.trim().is_empty());
                return Err(AppError::field(
                    if empty {
                        ErrorCode::Required
                    } else {
                        ErrorCode::OutOfScale
                    },
                    &q.id,
                ));
            }
        }
    }
    if answers
        .iter()
        .any(|a| !questions.iter().any(|q| q.id == a.question_id))
    {
        return Err(AppError::field(ErrorCode::InvalidChoice, "answers"));
    }
    let status = row.status(&store::now_stamp());
    if status != RoundStatus::Open {
        // A replay that arrives after the round closed (say, from a phone
        // that was offline) is still recognised.
        if store::submission_of(&pool, &row.id, &actor.user.id)
            .await?
            .as_deref()
            == Some(submission.as_str())
        {
            return Ok(Submitted {
                replay: true,
                distress,
            });
        }
        return Err(AppError::new(ErrorCode::RoundNotOpen));
    }
    // Checked again inside the transaction by the database's clock, so no
    // answer lands after the round's free text was finalised.
    match store::submit(
        &pool,
        key.as_ref(),
        &row.id,
        &actor.user.id,
        &submission,
        &team,
        &clean,
        true,
    )
    .await?
    {
        Stored::New => Ok(Submitted {
            replay: false,
            distress,
        }),
        Stored::Replay => Ok(Submitted {
            replay: true,
            distress,
        }),
        Stored::Second => Err(AppError::new(ErrorCode::AlreadyAnswered)),
        Stored::NotOpen => Err(AppError::new(ErrorCode::RoundNotOpen)),
        Stored::NotAsked => Err(AppError::forbidden()),
    }
}

// ---------------------------------------------------------------- results

/// A closed round counted and suppressed: everything any viewer may be
/// shown is computed from this, once, for every viewer alike.
#[cfg(feature = "ssr")]
struct Computed {
    questions: Vec<Question>,
    tally: Arc<Tally>,
    scores: Shown,
    comments: Shown,
}

#[cfg(feature = "ssr")]
impl Computed {
    async fn of(ctx: &Ctx, row: &RoundRow) -> AppResult<Computed> {
        let questions = store::questions(&ctx.pool, &row.id).await?;
        let tally =
            store::tally(&ctx.pool, ctx.key.as_ref(), &ctx.cache, &row.id, &questions).await?;
        let tree = tally.tree(&ctx.tree(&row.id));
        let k = row.min_group as u32;
        let c = (row.comment_min as u32).max(k);
        Ok(Computed {
            scores: suppress(&tree, k),
            comments: suppress(&tree, c),
            questions,
            tally,
        })
    }

    fn teams(&self, group: &str) -> BTreeSet<String> {
        self.scores.members.get(group).cloned().unwrap_or_default()
    }

    fn invited(&self, group: &str) -> u32 {
        self.teams(group)
            .iter()
            .map(|t| self.tally.invited.get(t).copied().unwrap_or(0))
            .sum()
    }

    fn group_ref(&self, id: &str, name: String, depth: u32) -> GroupRef {
        let shown = self.scores.is_shown(id);
        GroupRef {
            id: id.to_string(),
            name,
            depth,
            shown,
            respondents: shown.then(|| self.scores.total(id)),
            invited: shown.then(|| self.invited(id)),
        }
    }

    fn theme_scores(&self, group: &str) -> Vec<(Theme, Option<i32>)> {
        let teams = self.teams(group);
        let shown = self.scores.is_shown(group);
        themes_of(&self.questions)
            .into_iter()
            .map(|t| {
                (
                    t,
                    shown
                        .then(|| self.tally.theme_score(&self.questions, t, &teams))
                        .flatten(),
                )
            })
            .collect()
    }

    fn enps(&self, group: &str) -> Option<i32> {
        if !self.scores.is_shown(group) {
            return None;
        }
        self.tally.enps_score(&self.questions, &self.teams(group))
    }

    /// Per-question results of a shown group; none for a hidden one.
    fn questions(&self, group: &str) -> Vec<QuestionResult> {
        if !self.scores.is_shown(group) {
            return vec![];
        }
        let teams = self.teams(group);
        let comments_shown = self.comments.is_shown(group);
        self.questions
            .iter()
            .map(|q| {
                let dist = self.tally.distribution(q, &teams);
                let comments = (q.kind == QuestionKind::Text && comments_shown).then(|| {
                    let mut all: Vec<(uuid::Uuid, String)> = teams
                        .iter()
                        .filter_map(|t| self.tally.comments.get(&(q.id.clone(), t.clone())))
                        .flatten()
                        .map(|c| (uuid::Uuid::new_v4(), c.clone()))
                        .collect();
                    // Shuffled for every reading: no order follows teams or time.
                    all.sort();
                    all.into_iter().map(|(_, c)| c).collect()
                });
                QuestionResult {
                    // A multiple-choice question's options do not add up to
                    // its respondents: its own "answered" counter does.
                    answers: if q.kind == QuestionKind::Multiple {
                        self.tally.answered(q, &teams)
                    } else {
                        dist.iter().sum()
                    },
                    favourability: (q.kind == QuestionKind::Likert)
                        .then(|| favourability(&dist))
                        .flatten(),
                    enps: (q.kind == QuestionKind::Enps)
                        .then(|| enps(&dist))
                        .flatten(),
                    distribution: dist,
                    comments,
                    question: q.clone(),
                }
            })
            .collect()
    }
}

/// The groups a viewer may pick, overall first, then the tree in order.
#[cfg(feature = "ssr")]
fn viewer_groups(
    ctx: &Ctx,
    row: &RoundRow,
    c: &Computed,
    overall: bool,
    teams: &BTreeSet<String>,
) -> Vec<GroupRef> {
    let mut out = Vec::new();
    if overall {
        out.push(c.group_ref(OVERALL, row.title.clone(), 0));
    }
    let tree: Vec<Team> = ctx
        .teams
        .iter()
        .filter(|t| teams.contains(&t.id))
        .cloned()
        .collect();
    for (d, t) in pm::tree_order(&tree) {
        out.push(c.group_ref(&t.id, t.name, d as u32 + 1));
    }
    out
}

/// The caller's view of a closed round: refused while the round is open,
/// and for anyone with no group to see.
#[cfg(feature = "ssr")]
async fn closed_round_for(ctx: &Ctx, id: &str) -> AppResult<(RoundRow, bool, BTreeSet<String>)> {
    let row = ctx.round(id).await?;
    let Some((overall, teams)) = ctx.viewer(&row) else {
        return Err(AppError::forbidden());
    };
    match row.status(&ctx.now) {
        RoundStatus::Closed => Ok((row, overall, teams)),
        RoundStatus::Cancelled => Err(AppError::new(ErrorCode::RoundCancelled)),
        _ => Err(AppError::new(ErrorCode::ResultsAfterClose)),
    }
}

/// A closed round's results for one group the caller may see ("" = overall).
#[server(prefix = "/api", endpoint = "load_survey_results")]
pub async fn load_survey_results(
    round_id: String,
    group: String,
) -> Result<SurveyResults, AppError> {
    let ctx = Ctx::load().await?.with_turnout(Some(&round_id)).await?;
    let (row, overall, teams) = closed_round_for(&ctx, &round_id).await?;
    let c = Computed::of(&ctx, &row).await?;
    let groups = viewer_groups(&ctx, &row, &c, overall, &teams);
    let group = groups
        .iter()
        .find(|g| g.id == group)
        .or_else(|| groups.first())
        .cloned()
        .ok_or_else(|| AppError::forbidden())?;

    // Heatmap: the viewer's teams, shown ones biggest first, then the hidden
    // ones by name (sizes of hidden groups are not told, not even by order).
    let heat_themes = themes_of(&c.questions);
    let overall_scores = c.theme_scores(OVERALL);
    let mut heat: Vec<HeatRow> = groups
        .iter()
        .filter(|g| g.id != OVERALL)
        .map(|g| {
            let cells = c
                .theme_scores(&g.id)
                .iter()
                .zip(&overall_scores)
                // The difference from the overall score, for those who may
                // see the overall group; the team's own score for the others.
                .map(|((_, s), (_, o))| s.map(|s| (s, o.filter(|_| overall).map(|o| s - o))))
                .collect();
            HeatRow {
                name: g.name.clone(),
                shown: g.shown,
                respondents: g.respondents,
                cells,
            }
        })
        .collect();
    heat.sort_by(|a, b| {
        b.shown
            .cmp(&a.shown)
            .then(b.respondents.cmp(&a.respondents))
            .then(a.name.cmp(&b.name))
    });

    let (trend_themes, trend) = trend(&ctx, &row, &group.id).await?;
    let (actions, act_for, owners) = actions_of(&ctx, &row, overall, &teams).await?;
    Ok(SurveyResults {
        round: ctx.summary(&row),
        enps: c.enps(&group.id),
        themes: c.theme_scores(&group.id),
        questions: c.questions(&group.id),
        heat_themes,
        heat,
        trend_themes,
        trend,
        actions,
        act_for,
        owners,
        groups,
        group,
    })
}

/// A group's theme scores and eNPS over the last closed rounds the caller
/// may see it in, each under that round's own suppression.
#[cfg(feature = "ssr")]
async fn trend(ctx: &Ctx, row: &RoundRow, group: &str) -> AppResult<(Vec<Theme>, Vec<TrendPoint>)> {
    let mut mine = ctx.targets(&row.id);
    mine.sort();
    let same_targets = |r: &RoundRow| {
        let mut t = ctx.targets(&r.id);
        t.sort();
        t == mine
    };
    let mut rounds: Vec<RoundRow> = store::rounds(&ctx.pool)
        .await?
        .into_iter()
        .filter(|r| r.status(&ctx.now) == RoundStatus::Closed && r.closes_at <= row.closes_at)
        .filter(|r| match ctx.viewer(r) {
            // The overall group: rounds asking the same teams.
            Some((overall, _)) if group == OVERALL => overall && same_targets(r),
            Some((_, teams)) => teams.contains(group),
            None => false,
        })
        .collect();
    rounds.sort_by(|a, b| b.closes_at.cmp(&a.closes_at));
    rounds.truncate(TREND_ROUNDS);
    rounds.reverse();
    let mut points = Vec::new();
    let mut seen: Vec<Theme> = Vec::new();
    let mut computed = Vec::new();
    for r in &rounds {
        let c = Computed::of(ctx, r).await?;
        seen.extend(themes_of(&c.questions));
        seen.dedup();
        computed.push((r, c));
    }
    let themes: Vec<Theme> = Theme::ALL
        .iter()
        .copied()
        .filter(|t| seen.contains(t))
        .collect();
    for (r, c) in computed {
        let scores = c.theme_scores(group);
        points.push(TrendPoint {
            title: r.title.clone(),
            closed: local(&r.closes_at, ctx.tz).chars().take(10).collect(),
            themes: themes
                .iter()
                .map(|t| scores.iter().find(|s| s.0 == *t).and_then(|s| s.1))
                .collect(),
            enps: c.enps(group),
        });
    }
    Ok((themes, points))
}

/// Action plans of a round the caller may see, whom they may act for and
/// whom actions may be given to.
#[cfg(feature = "ssr")]
#[allow(clippy::type_complexity)]
async fn actions_of(
    ctx: &Ctx,
    row: &RoundRow,
    overall: bool,
    teams: &BTreeSet<String>,
) -> AppResult<(
    Vec<ActionPlan>,
    Vec<(String, String)>,
    Vec<(String, String)>,
)> {
    let me = &ctx.actor.user;
    let acts = store::actions(&ctx.pool, &row.id).await?;
    let act_for = acting_scopes(ctx, row, teams);
    let plans = acts
        .into_iter()
        .filter(|a| match &a.team_id {
            None => overall,
            Some(t) => teams.contains(t),
        })
        .map(|a| ActionPlan {
            team: a
                .team_id
                .as_deref()
                .map(|t| ctx.team_name(t))
                .unwrap_or_default(),
            focus: Theme::parse(&a.focus).unwrap_or(Theme::Engagement),
            owner: ctx.person_name(&a.owner_id),
            status: ActionStatus::parse(&a.status).unwrap_or(ActionStatus::Open),
            can_follow_up: a.owner_id == me.id || a.created_by == me.id || ctx.is_admin(),
            can_edit: act_for
                .iter()
                .any(|(t, _)| *t == a.team_id.clone().unwrap_or_default()),
            owner_id: a.owner_id,
            id: a.id,
            action: a.action,
            due_date: a.due_date,
            follow_up: a.follow_up,
            version: a.version,
        })
        .collect();
    let owners = if act_for.is_empty() {
        vec![]
    } else {
        ctx.people
            .iter()
            .filter(|p| p.active)
            .filter(|p| {
                ctx.is_admin() || p.id == me.id || p.team_id.as_ref().is_some_and(|t| ctx.leads(t))
            })
            .map(|p| (p.id.clone(), p.display_name.clone()))
            .collect()
    };
    Ok((plans, act_for, owners))
}

/// What the caller may commit actions for: the whole round (its managers)
/// and the teams they lead in it. Empty for members and PMs.
#[cfg(feature = "ssr")]
fn acting_scopes(ctx: &Ctx, row: &RoundRow, teams: &BTreeSet<String>) -> Vec<(String, String)> {
    if !can(&ctx.actor, Action::RunSurveys) {
        return vec![];
    }
    let mut out = Vec::new();
    if ctx.can_manage(row) {
        out.push((OVERALL.to_string(), row.title.clone()));
    }
    for t in &ctx.teams {
        if teams.contains(&t.id) && ctx.leads(&t.id) {
            out.push((t.id.clone(), t.name.clone()));
        }
    }
    out
}

/// Commits to an action on a closed round's result (leaders for their
/// teams, the round's owner and admins for the whole round).
#[server(prefix = "/api", endpoint = "create_survey_action")]
#[allow(clippy::too_many_arguments)]
pub async fn create_survey_action(
    id: String,
    round_id: String,
    team_id: String,
    focus: String,
    action: String,
    owner_id: String,
    due_date: String,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let (row, _, teams) = closed_round_for(&ctx, &round_id).await?;
    let scopes = acting_scopes(&ctx, &row, &teams);
    if !scopes.iter().any(|(t, _)| *t == team_id) {
        return Err(AppError::forbidden());
    }
    let id = client_id(&id)?;
    let (focus, action, due) =
        action_fields(&ctx, &row, &teams, &focus, &action, &owner_id, &due_date).await?;
    let team = (!team_id.is_empty()).then_some(team_id.as_str());
    store::insert_action(
        &ctx.pool,
        &id,
        &row.id,
        team,
        focus,
        &action,
        &owner_id,
        &due,
        &ctx.actor.user.id,
        &store::now_stamp(),
    )
    .await
}

/// An action's focus, text and due date as a form gave them, and its owner
/// one of those it may be given to.
#[cfg(feature = "ssr")]
async fn action_fields(
    ctx: &Ctx,
    row: &RoundRow,
    teams: &BTreeSet<String>,
    focus: &str,
    action: &str,
    owner_id: &str,
    due_date: &str,
) -> AppResult<(Theme, String, String)> {
    let focus = Theme::parse(focus.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "focus"))?;
    let action = crate::input::parse_name("action", action)?;
    let (_, _, owners) = actions_of(ctx, row, true, teams).await?;
    if !owners.iter().any(|(p, _)| p == owner_id) {
        return Err(AppError::field(ErrorCode::InvalidChoice, "owner_id"));
    }
    let due = due_date.trim();
    if crate::kpi::model::day_number(due).is_none() {
        return Err(AppError::field(ErrorCode::InvalidDate, "due_date"));
    }
    Ok((focus, action, due.to_string()))
}

/// Changes an action's focus, text, owner and due date: those who may
/// commit to actions for its group (leaders for their teams, the round's
/// owner and admins for the whole round).
#[server(prefix = "/api", endpoint = "edit_survey_action")]
pub async fn edit_survey_action(
    id: String,
    version: i64,
    focus: String,
    action: String,
    owner_id: String,
    due_date: String,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let Some((round_id, a)) = store::action(&ctx.pool, &id).await? else {
        return Err(AppError::new(ErrorCode::NotFound));
    };
    let (row, _, teams) = closed_round_for(&ctx, &round_id).await?;
    let scope = a.team_id.clone().unwrap_or_default();
    if !acting_scopes(&ctx, &row, &teams)
        .iter()
        .any(|(t, _)| *t == scope)
    {
        return Err(AppError::forbidden());
    }
    let (focus, action, due) =
        action_fields(&ctx, &row, &teams, &focus, &action, &owner_id, &due_date).await?;
    store::edit_action(&ctx.pool, &a.id, version, focus, &action, &owner_id, &due).await
}

/// Records a follow-up on an action (its owner, its author, admins).
#[server(prefix = "/api", endpoint = "follow_up_survey_action")]
pub async fn follow_up_survey_action(
    id: String,
    version: i64,
    status: String,
    follow_up: String,
) -> Result<(), AppError> {
    let ctx = Ctx::load().await?;
    let Some((_, a)) = store::action(&ctx.pool, &id).await? else {
        return Err(AppError::new(ErrorCode::NotFound));
    };
    let me = &ctx.actor.user.id;
    if a.owner_id != *me && a.created_by != *me && !ctx.is_admin() {
        return Err(AppError::forbidden());
    }
    let status = ActionStatus::parse(status.trim())
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "status"))?;
    let text = crate::input::optional_text("follow_up", &follow_up, 2000)?;
    if status == ActionStatus::Done && text.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "follow_up"));
    }
    store::follow_up(&ctx.pool, &id, version, status, &text).await
}

/// A closed round's results as CSV for the signed-in caller: every group
/// they may see, hidden groups marked, under the same suppression as the
/// page; headers, labels and question texts in the caller's language.
#[cfg(feature = "ssr")]
pub async fn export_csv(
    state: &crate::server::AppState,
    user: SessionUser,
    round_id: &str,
) -> AppResult<String> {
    use crate::i18n::*;
    let (locale, zh) = match user.language {
        crate::auth::Language::Zh => (Locale::zh, true),
        crate::auth::Language::En => (Locale::en, false),
    };
    let actor = crate::server::request::actor_of(user, &state.pool).await?;
    let ctx = Ctx::build(
        actor,
        state.pool.clone(),
        state.surveys.clone(),
        state.settings.survey_key.clone(),
    )
    .await?;
    let (row, overall, teams) = closed_round_for(&ctx, round_id).await?;
    let c = Computed::of(&ctx, &row).await?;
    use crate::csv_cell::neutralise;
    let mut w = csv::Writer::from_writer(vec![]);
    let header = [
        td_string!(locale, surveys.csv.group),
        td_string!(locale, surveys.csv.respondents),
        td_string!(locale, surveys.csv.theme),
        td_string!(locale, surveys.csv.question),
        td_string!(locale, surveys.csv.favourability),
        td_string!(locale, surveys.csv.enps),
        td_string!(locale, surveys.csv.distribution),
    ];
    let _ = w.write_record(header);
    let hidden = td_string!(locale, surveys.csv.hidden);
    let theme = |t: Theme| neutralise(super::ui::theme_label(locale, t));
    for g in viewer_groups(&ctx, &row, &c, overall, &teams) {
        let name = if g.id == OVERALL {
            td_string!(locale, surveys.overall).to_string()
        } else {
            g.name.clone()
        };
        // Text cells (team names, themes, question texts) are written
        // through csv_cell::neutralise so none runs as a spreadsheet formula;
        // the numbers (respondents, scores, eNPS, distribution) as they are.
        let name = neutralise(&name);
        if !g.shown {
            let _ = w.write_record([&*name, hidden, "", "", "", "", ""]);
            continue;
        }
        let n = g.respondents.unwrap_or(0).to_string();
        for (t, s) in c.theme_scores(&g.id) {
            let s = s.map(|v| v.to_string()).unwrap_or_default();
            let _ = w.write_record([&*name, n.as_str(), &*theme(t), "", s.as_str(), "", ""]);
        }
        for q in c.questions(&g.id) {
            if q.question.kind == QuestionKind::Text {
                continue;
            }
            let fav = q.favourability.map(|v| v.to_string()).unwrap_or_default();
            let e = q.enps.map(|v| v.to_string()).unwrap_or_default();
            let dist = q
                .distribution
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let _ = w.write_record([
                &*name,
                n.as_str(),
                &*theme(q.question.theme),
                &*neutralise(q.question.text(zh)),
                fav.as_str(),
                e.as_str(),
                dist.as_str(),
            ]);
        }
    }
    let bytes = w.into_inner().map_err(|_| AppError::internal())?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}
