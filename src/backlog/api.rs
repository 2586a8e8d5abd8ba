//! Server functions of the backlog: intake, scoring, ranking, lifecycle, votes, evidence.
use super::model::{
    Backlog, BacklogOverview, HistoryEntry, MySubmission, PokerRound, PokerRoundSummary,
    RequirementDetail, RequirementPage, RequirementRow,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{
        EvidenceKind, Framework, PAGE_SIZE, ScoreInput, Sort, Source, StateAge, Status, WeekIntake,
        median_days,
    },
    super::{rank, store},
    crate::auth::{Action, Role},
    crate::error::ErrorCode,
    crate::server::{
        clock::OrgClock,
        now_rfc3339,
        request::{allow, client_id, require_actor, state},
    },
};

#[cfg(feature = "ssr")]
async fn backlog_or_404(pool: &sqlx::AnyPool, id: &str) -> Result<Backlog, AppError> {
    store::backlog(pool, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

#[cfg(feature = "ssr")]
async fn requirement_or_404(
    pool: &sqlx::AnyPool,
    id: &str,
    viewer: &str,
) -> Result<RequirementRow, AppError> {
    store::requirement(pool, id, viewer)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// Loads a requirement and its backlog and checks the caller may edit the
/// backlog's work (its team's PMs, leaders above it, admins).
#[cfg(feature = "ssr")]
async fn editable(
    pool: &sqlx::AnyPool,
    actor: &crate::auth::Actor,
    id: &str,
) -> Result<(RequirementRow, Backlog), AppError> {
    let req = requirement_or_404(pool, id, &actor.user.id).await?;
    let backlog = backlog_or_404(pool, &req.backlog_id).await?;
    allow(
        actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    Ok((req, backlog))
}

/// An event about a requirement, linking to its page.
#[cfg(feature = "ssr")]
fn requirement_event(
    kind: crate::notify::model::EventKind,
    req: &RequirementRow,
    team_id: &str,
    actor_id: &str,
) -> crate::notify::model::Event {
    crate::notify::model::Event::new(
        kind,
        &req.id,
        Some(team_id),
        Some(actor_id),
        format!("/backlog/requirements/{}", req.id),
    )
    .with("title", req.title.clone())
}

/// Every backlog; anyone signed in may see them and submit to them.
#[server(prefix = "/api", endpoint = "backlogs")]
pub async fn list_backlogs() -> Result<Vec<Backlog>, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    store::backlogs(pool).await
}

#[cfg(feature = "ssr")]
async fn check_owner(pool: &sqlx::AnyPool, owner_id: &str) -> Result<(), AppError> {
    let ok = crate::people::store::person_by_id(pool, owner_id)
        .await?
        .is_some_and(|p| p.active && p.role == Role::Pm);
    if ok {
        Ok(())
    } else {
        Err(AppError::field(ErrorCode::InvalidChoice, "owner_id"))
    }
}

#[server(prefix = "/api", endpoint = "create_backlog")]
pub async fn create_backlog(
    id: String,
    team_id: String,
    owner_id: String,
    name: String,
    framework: String,
) -> Result<Backlog, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::EditTeamWork { team: &team_id })?;
    let id = client_id(&id)?;
    if let Some(existing) = store::backlog(pool, &id).await? {
        return Ok(existing);
    }
    let name = crate::input::parse_name("name", &name)?;
    let framework = Framework::parse(&framework)?;
    check_owner(pool, &owner_id).await?;
    let backlog = Backlog {
        id,
        team_id,
        owner_id,
        name,
        framework,
        version: 1,
        requirements: 0,
    };
    let mut tx = crate::server::db::begin(pool).await?;
    store::insert_backlog(&mut tx, &backlog, &now_rfc3339()).await?;
    tx.commit().await?;
    Ok(backlog)
}

/// Hands a backlog to another PM (an admin or the team's leader; needed when
/// its owner is deactivated).
#[server(prefix = "/api", endpoint = "reassign_backlog")]
pub async fn reassign_backlog(
    id: String,
    version: i64,
    owner_id: String,
) -> Result<Backlog, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let backlog = backlog_or_404(pool, &id).await?;
    allow(
        &actor,
        Action::ManageTeam {
            team: &backlog.team_id,
        },
    )?;
    check_owner(pool, &owner_id).await?;
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_backlog_owner(&mut tx, &id, version, &owner_id, &now_rfc3339()).await?;
    tx.commit().await?;
    backlog_or_404(pool, &id).await
}

/// Anyone signed in submits a requirement; the same client id twice stores once.
#[server(prefix = "/api", endpoint = "submit_requirement")]
#[allow(clippy::too_many_arguments)]
pub async fn submit_requirement(
    id: String,
    backlog_id: String,
    title: String,
    description: String,
    source: String,
    requester: String,
    customer: String,
    segment: String,
    links: String,
) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let id = client_id(&id)?;
    if let Some(existing) = store::requirement(pool, &id, &actor.user.id).await? {
        return Ok(existing);
    }
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    // The same check as a CSV row's (the form sets no labels).
    let draft = intake_draft(
        &title,
        &description,
        &source,
        &requester,
        &customer,
        &segment,
        &links,
    )?;
    let last = store::last_key(pool, &backlog.id).await?;
    let key = rank::key_between(last.as_deref(), None);
    let now = now_rfc3339();
    let new = new_requirement(&draft, &id, &backlog.id, &actor.user.id, &key);
    let mut tx = crate::server::db::begin(pool).await?;
    store::insert_requirement(&mut tx, &new, &now).await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// A requirement's intake fields from a form, checked as a CSV row is (the
/// forms set no labels); the first problem is the answer.
#[cfg(feature = "ssr")]
fn intake_draft(
    title: &str,
    description: &str,
    source: &str,
    requester: &str,
    customer: &str,
    segment: &str,
    links: &str,
) -> Result<super::model::RequirementDraft, AppError> {
    let fields = super::model::RequirementFields {
        title,
        description,
        source,
        requester,
        customer,
        segment,
        links,
        labels: "",
    };
    super::model::parse_requirement(&fields, false)
        .map_err(|errors| errors.into_iter().next().unwrap_or_else(AppError::internal))
}

#[cfg(feature = "ssr")]
fn optional_text(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    crate::input::optional_text(field, raw, max)
}

/// One page of the list (50 rows from `offset`) with search (substrings of
/// title and description), filters and a sort order.
#[server(prefix = "/api", endpoint = "requirements")]
#[allow(clippy::too_many_arguments)]
pub async fn list_requirements(
    backlog_id: String,
    search: String,
    status: String,
    source: String,
    label: String,
    owner: String,
    sort: String,
    offset: i64,
) -> Result<RequirementPage, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    let filter = store::ListFilter {
        search: &search,
        status: Status::parse(&status),
        source: Source::parse_any(&source),
        label: &label,
        owner: &owner,
    };
    let mut page = store::requirements_page(
        pool,
        &backlog_id,
        backlog.requirements,
        &actor.user.id,
        &filter,
        Sort::parse(&sort),
        offset,
        PAGE_SIZE,
    )
    .await?;
    (page.unscored, page.can_undo_reset) = store::waiting(pool, &backlog_id).await?;
    Ok(page)
}

/// Stores new score inputs (already in the backlog's framework) with their
/// history entry. Unless pinned by a manual move, only this requirement's
/// key changes, to its place in score order; two neighbours are read.
#[cfg(feature = "ssr")]
async fn apply_score(
    pool: &sqlx::AnyPool,
    tx: &mut sqlx::AnyConnection,
    actor_id: &str,
    req: &RequirementRow,
    version: i64,
    input: &ScoreInput,
) -> Result<(), AppError> {
    let score = input.score()?;
    let key = if req.pinned {
        None
    } else {
        let (before, after) = store::keys_for_score(pool, &req.backlog_id, &req.id, score).await?;
        Some(rank::key_between(before.as_deref(), after.as_deref()))
    };
    let now = now_rfc3339();
    let from = req
        .score_input
        .as_ref()
        .and_then(|i| serde_json::to_string(i).ok());
    let to = serde_json::to_string(input).ok();
    store::set_score(
        &mut *tx,
        &req.id,
        version,
        input,
        score,
        key.as_deref(),
        &now,
    )
    .await?;
    store::record_event(
        &mut *tx,
        &req.id,
        actor_id,
        "score",
        from.as_deref(),
        to.as_deref(),
        &now,
    )
    .await
}

/// Score inputs sent as JSON, in the backlog's framework and on its scales.
#[cfg(feature = "ssr")]
fn parse_input(json: &str, framework: Framework) -> Result<ScoreInput, AppError> {
    let input: ScoreInput = serde_json::from_str(json)
        .map_err(|_| AppError::field(ErrorCode::InvalidChoice, "framework"))?;
    if input.framework() != framework {
        return Err(AppError::field(ErrorCode::InvalidChoice, "framework"));
    }
    input.validate()?;
    Ok(input)
}

/// Sets a requirement's score inputs (JSON of `ScoreInput`, in the backlog's
/// framework).
#[server(prefix = "/api", endpoint = "score_requirement")]
pub async fn score_requirement(
    id: String,
    version: i64,
    input: String,
) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let (req, backlog) = editable(pool, &actor, &id).await?;
    let input = parse_input(&input, backlog.framework)?;
    // The score and its history entry commit together or not at all.
    let mut tx = crate::server::db::begin(pool).await?;
    apply_score(pool, &mut tx, &actor.user.id, &req, version, &input).await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Moves a requirement to just after `after_id` (empty: to the top) and pins
/// it there until the order is reset. Reads two neighbours, writes one row.
#[server(prefix = "/api", endpoint = "move_requirement")]
pub async fn move_requirement(id: String, after_id: String) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let (req, backlog) = editable(pool, &actor, &id).await?;
    let (before, after) = store::keys_for_move(pool, &backlog.id, &id, after_id.trim())
        .await?
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "after_id"))?;
    let key = rank::key_between(before.as_deref(), after.as_deref());
    let now = now_rfc3339();
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_rank(&mut tx, &id, &key, true, &now).await?;
    // A manual move ends the chance to undo the last reset.
    store::forget_reset(&mut tx, &backlog.id).await?;
    store::record_event(
        &mut *tx,
        &id,
        &actor.user.id,
        "move",
        Some(&req.rank_key),
        Some(&key),
        &now,
    )
    .await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// "Reset to score order": unpins every requirement and lays them out by
/// score. The one write that touches the whole backlog, by request. The
/// order before it is kept, so that it can be undone until the next move.
#[server(prefix = "/api", endpoint = "reset_order")]
pub async fn reset_order(backlog_id: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let mut rows = store::order(pool, &backlog.id).await?;
    let previous = rows.clone();
    // Stable: equal scores keep their current relative order.
    rows.sort_by(|a, b| {
        b.score
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.score.unwrap_or(f64::NEG_INFINITY))
    });
    let keys = rank::spread_keys(rows.len());
    let now = now_rfc3339();
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    // The new keys and the history of every unpinned requirement: one commit.
    let mut tx = crate::server::db::begin(pool).await?;
    store::save_reset(&mut tx, &backlog.id, &previous, &actor.user.id, &now).await?;
    store::reset_keys(&mut tx, &ids, &keys, &now).await?;
    for row in rows.iter().filter(|r| r.pinned) {
        store::record_event(&mut *tx, &row.id, &actor.user.id, "reset", None, None, &now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Undoes the backlog's last "reset to score order" (possible until the next
/// manual move): the earlier order and hand placements come back.
#[server(prefix = "/api", endpoint = "undo_reset")]
pub async fn undo_reset(backlog_id: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let mut tx = crate::server::db::begin(pool).await?;
    let undone = store::undo_reset(&mut tx, &backlog.id, &actor.user.id, &now_rfc3339()).await?;
    tx.commit().await?;
    match undone {
        Some(_) => Ok(()),
        None => Err(AppError::new(ErrorCode::NothingToUndo)),
    }
}

/// Renames a backlog and sets its framework (its team's PMs, leaders,
/// admins). A new framework clears every score: the old inputs stay in each
/// requirement's history and the requirements wait to be scored again.
#[server(prefix = "/api", endpoint = "update_backlog")]
pub async fn update_backlog(
    id: String,
    version: i64,
    name: String,
    framework: String,
) -> Result<Backlog, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let backlog = backlog_or_404(pool, &id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let name = crate::input::parse_name("name", &name)?;
    let framework = Framework::parse(&framework)?;
    let now = now_rfc3339();
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_backlog_settings(&mut tx, &id, version, &name, framework, &now).await?;
    if framework != backlog.framework {
        store::clear_scores(&mut tx, &id, &actor.user.id, framework, &now).await?;
    }
    tx.commit().await?;
    backlog_or_404(pool, &id).await
}

/// Loads a requirement whose intake fields the caller may correct: the
/// team's PMs, leaders above it and admins at any state, its submitter while
/// it is new.
#[cfg(feature = "ssr")]
async fn fields_editable(
    pool: &sqlx::AnyPool,
    actor: &crate::auth::Actor,
    id: &str,
) -> Result<(RequirementRow, Backlog), AppError> {
    let req = requirement_or_404(pool, id, &actor.user.id).await?;
    let backlog = backlog_or_404(pool, &req.backlog_id).await?;
    let team_work = allow(
        actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    );
    if team_work.is_err() {
        allow(actor, Action::Participate)?;
        if req.submitted_by != actor.user.id || req.status != Status::New {
            return team_work.map(|_| (req, backlog));
        }
    }
    Ok((req, backlog))
}

/// Corrects a requirement's title, description, source, requester,
/// customer, segment and links (the submitter while it is new; the team's
/// PMs at any state). The old and new values of what changed go into its
/// history.
#[server(prefix = "/api", endpoint = "edit_requirement")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_requirement(
    id: String,
    version: i64,
    title: String,
    description: String,
    source: String,
    requester: String,
    customer: String,
    segment: String,
    links: String,
) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let (req, _) = fields_editable(pool, &actor, &id).await?;
    let draft = intake_draft(
        &title,
        &description,
        &source,
        &requester,
        &customer,
        &segment,
        &links,
    )?;
    let extra = store::requirement_extra(pool, &id).await?;
    let before = super::model::RequirementDraft {
        title: req.title.clone(),
        description: req.description.clone(),
        source: Some(req.source),
        requester: extra.requester,
        customer: extra.customer,
        segment: extra.segment,
        links: extra.links,
        labels: vec![],
    };
    let (from, to) = super::model::field_changes(&before, &draft);
    if from.is_empty() {
        if req.version != version {
            return Err(AppError::new(ErrorCode::StaleVersion));
        }
        return Ok(req);
    }
    let now = now_rfc3339();
    let json = |m: &std::collections::BTreeMap<&str, serde_json::Value>| {
        serde_json::to_string(m).unwrap_or_default()
    };
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_fields(&mut tx, &id, version, &draft, None, &now).await?;
    store::record_event(
        &mut *tx,
        &id,
        &actor.user.id,
        "edit",
        Some(&json(&from)),
        Some(&json(&to)),
        &now,
    )
    .await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// The submitter takes back a requirement while it is new: it moves to
/// `withdrawn` (kept, with its history, out of the open work).
#[server(prefix = "/api", endpoint = "withdraw_requirement")]
pub async fn withdraw_requirement(id: String, version: i64) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let req = requirement_or_404(pool, &id, &actor.user.id).await?;
    if req.submitted_by != actor.user.id {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    if req.status == Status::Withdrawn && req.version == version + 1 {
        // The same call again (a replay): already done.
        return Ok(req);
    }
    if !req.status.can_move_to(Status::Withdrawn) {
        return Err(AppError::field(ErrorCode::InvalidTransition, "status"));
    }
    let backlog = backlog_or_404(pool, &req.backlog_id).await?;
    let now = now_rfc3339();
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_status(&mut tx, &id, version, Status::Withdrawn, None, None, &now).await?;
    store::record_event(
        &mut *tx,
        &id,
        &actor.user.id,
        "status",
        Some(req.status.as_str()),
        Some(Status::Withdrawn.as_str()),
        &now,
    )
    .await?;
    let event = requirement_event(
        crate::notify::model::EventKind::RequirementStateChanged,
        &req,
        &backlog.team_id,
        &actor.user.id,
    )
    .with("status", Status::Withdrawn.as_str());
    crate::notify::store::emit(&mut tx, &event).await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Moves a requirement along its lifecycle; rejecting needs a reason. Marking
/// it a duplicate merges it into the kept one: votes and evidence move over,
/// undoable until either changes state again.
#[server(prefix = "/api", endpoint = "change_status")]
pub async fn change_status(
    id: String,
    version: i64,
    status: String,
    reason: String,
    duplicate_of: String,
) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let (req, backlog) = editable(pool, &actor, &id).await?;
    let to = Status::parse(&status)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "status"))?;
    // Withdrawing is the submitter's (`withdraw_requirement`).
    if to == Status::Withdrawn || !req.status.can_move_to(to) {
        return Err(AppError::field(ErrorCode::InvalidTransition, "status"));
    }
    let now = now_rfc3339();
    if to == Status::Duplicate {
        let kept = store::requirement(pool, duplicate_of.trim(), &actor.user.id).await?;
        let kept = match kept {
            Some(k)
                if k.id != id
                    && k.backlog_id == req.backlog_id
                    && !matches!(k.status, Status::Duplicate | Status::Withdrawn) =>
            {
                k
            }
            _ => {
                return Err(AppError::field(ErrorCode::InvalidChoice, "duplicate_of"));
            }
        };
        if req.version != version {
            return Err(AppError::new(ErrorCode::StaleVersion));
        }
        let mut tx = crate::server::db::begin(pool).await?;
        store::merge(&mut tx, &req, &kept, &actor.user.id, &now).await?;
        let event = requirement_event(
            crate::notify::model::EventKind::RequirementMerged,
            &req,
            &backlog.team_id,
            &actor.user.id,
        )
        .with("kept_title", kept.title.clone());
        crate::notify::store::emit(&mut tx, &event).await?;
        tx.commit().await?;
        return requirement_or_404(pool, &id, &actor.user.id).await;
    }
    let reason = if req.status.needs_reason(to) {
        Some(crate::input::parse_text("reason", &reason)?)
    } else {
        None
    };
    let reopen = req.status == Status::Done && to == Status::InProgress;
    // The state and its history entry commit together or not at all. A
    // rejection's reason stays on the requirement; a reopening's goes into
    // its history ("reopen": from done, with the reason).
    let kept_reason = if reopen { None } else { reason.as_deref() };
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_status(&mut tx, &id, version, to, kept_reason, None, &now).await?;
    let (kind, from, to_value) = if reopen {
        (
            "reopen",
            req.status.as_str(),
            reason.as_deref().unwrap_or_default(),
        )
    } else {
        ("status", req.status.as_str(), to.as_str())
    };
    store::record_event(
        &mut *tx,
        &id,
        &actor.user.id,
        kind,
        Some(from),
        Some(to_value),
        &now,
    )
    .await?;
    // Its submitter and voters hear of it in the same transaction (the
    // outbox): the state and the notifications are stored together or not at all.
    let event = requirement_event(
        crate::notify::model::EventKind::RequirementStateChanged,
        &req,
        &backlog.team_id,
        &actor.user.id,
    )
    .with("status", to.as_str());
    crate::notify::store::emit(&mut tx, &event).await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Whether a duplicate's merge can still be undone: neither it nor the kept
/// requirement has changed state since.
#[cfg(feature = "ssr")]
async fn undoable_merge(
    pool: &sqlx::AnyPool,
    dup: &RequirementRow,
    viewer: &str,
) -> Result<Option<store::Merge>, AppError> {
    if dup.status != Status::Duplicate {
        return Ok(None);
    }
    let Some(merge) = store::merge_of(pool, &dup.id).await? else {
        return Ok(None);
    };
    let kept = store::requirement(pool, &merge.kept_id, viewer).await?;
    Ok(kept
        .filter(|k| {
            k.status == merge.kept_status
                && k.status_changed_at <= merge.at
                && dup.status_changed_at == merge.at
        })
        .map(|_| merge))
}

/// Undoes marking a requirement a duplicate: its earlier state, votes and
/// evidence come back.
#[server(prefix = "/api", endpoint = "undo_merge")]
pub async fn undo_merge(id: String, version: i64) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let (req, backlog) = editable(pool, &actor, &id).await?;
    let merge = undoable_merge(pool, &req, &actor.user.id)
        .await?
        .ok_or_else(|| AppError::field(ErrorCode::InvalidTransition, "status"))?;
    let dup = RequirementRow { version, ..req };
    let mut tx = crate::server::db::begin(pool).await?;
    store::unmerge(&mut tx, &dup, &merge, &actor.user.id, &now_rfc3339()).await?;
    let event = requirement_event(
        crate::notify::model::EventKind::RequirementStateChanged,
        &dup,
        &backlog.team_id,
        &actor.user.id,
    )
    .with("status", merge.previous_status.as_str());
    crate::notify::store::emit(&mut tx, &event).await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Names the PM who looks after a requirement and sets its labels (comma or
/// line separated).
#[server(prefix = "/api", endpoint = "update_requirement")]
pub async fn update_requirement(
    id: String,
    version: i64,
    owner_id: String,
    labels: String,
) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let (req, _) = editable(pool, &actor, &id).await?;
    let owner = crate::input::optional_id(&owner_id);
    if let Some(o) = &owner {
        if Some(o) != req.owner_id.as_ref() {
            check_owner(pool, o).await?;
        }
    }
    let labels = parse_labels(&labels)?;
    let now = now_rfc3339();
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_owner_and_labels(&mut tx, &id, version, owner.as_deref(), &labels, &now).await?;
    if owner != req.owner_id {
        store::record_event(
            &mut *tx,
            &id,
            &actor.user.id,
            "owner",
            req.owner_name.as_deref(),
            owner.as_deref(),
            &now,
        )
        .await?;
    }
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Labels typed as "a, b" or one a line, or with the Chinese comma (the
/// rule of `model::parse_labels`, which a CSV import also follows).
#[cfg(feature = "ssr")]
fn parse_labels(raw: &str) -> Result<Vec<String>, AppError> {
    super::model::parse_labels(raw)
}

/// Everything the requirement page shows; anyone signed in may read it. Its
/// history newest first, the newest `history` entries (50 unless more were
/// asked for by "show older", in steps of 50).
#[server(prefix = "/api", endpoint = "requirement_detail")]
pub async fn load_requirement(
    id: String,
    #[server(default)] history: i64,
) -> Result<RequirementDetail, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let row = requirement_or_404(pool, &id, &actor.user.id).await?;
    let backlog = backlog_or_404(pool, &row.backlog_id).await?;
    let can_edit = crate::auth::authorize(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )
    .is_ok();
    let extra = store::requirement_extra(pool, &id).await?;
    let (position, total) = store::position(pool, &row).await?;
    let can_undo_merge = can_edit && undoable_merge(pool, &row, &actor.user.id).await?.is_some();
    let owners = if can_edit {
        crate::people::store::people(pool)
            .await?
            .into_iter()
            .filter(|p| p.active && p.role == Role::Pm)
            .map(|p| (p.id, p.display_name))
            .collect()
    } else {
        vec![]
    };
    // Every instant the page shows, in the organisation's offset.
    let clock = OrgClock::load(pool).await?;
    let mut evidence = store::evidence(pool, &id, &actor.user.id).await?;
    for e in &mut evidence {
        e.created_at = clock.local(&e.created_at);
        e.edited_at = e.edited_at.as_deref().map(|at| clock.local(at));
    }
    let shown = crate::ui::pager::history_shown(history);
    let (mut history, history_total) = store::history(pool, &id, shown).await?;
    for h in &mut history {
        h.at = clock.local(&h.at);
    }
    let own_new = row.submitted_by == actor.user.id && row.status == Status::New;
    let mut row = row;
    row.created_at = clock.local(&row.created_at);
    row.status_changed_at = clock.local(&row.status_changed_at);
    Ok(RequirementDetail {
        evidence,
        history,
        history_total,
        merged_here: store::merged_into(pool, &id).await?,
        extra,
        row,
        backlog,
        can_edit,
        can_edit_fields: can_edit || own_new,
        can_withdraw: own_new,
        owners,
        can_undo_merge,
        position,
        total,
    })
}

/// "Why did this move": the changes since the start of `since` (a date,
/// YYYY-MM-DD, in the organisation's time zone) to this requirement, to
/// those now ranked above it (which may have risen past it) and to those now
/// below it whose score, place or state changed (which may have dropped past
/// it), with who made them.
#[server(prefix = "/api", endpoint = "why_moved")]
pub async fn why_moved(id: String, since: String) -> Result<Vec<HistoryEntry>, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let row = requirement_or_404(pool, &id, &actor.user.id).await?;
    let date = time::Date::parse(
        since.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| AppError::field(ErrorCode::InvalidChoice, "since"))?;
    let clock = OrgClock::load(pool).await?;
    let date = chrono::NaiveDate::from_ymd_opt(date.year(), date.month() as u32, date.day() as u32)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "since"))?;
    let mut list = store::changes_since(pool, &row, &clock.day_start(date)).await?;
    for h in &mut list {
        h.at = clock.local(&h.at);
    }
    Ok(list)
}

/// "What happened to my requirements": what the caller submitted, anywhere,
/// newest first, 50 a page with how many there are, searched by title.
#[server(prefix = "/api", endpoint = "my_requirements")]
pub async fn my_requirements(
    #[server(default)] search: String,
    #[server(default)] offset: i64,
) -> Result<crate::ui::pager::Paged<MySubmission>, AppError> {
    use crate::ui::pager::{PAGE_SIZE, Paged, clamp_offset, page_start};
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let clock = OrgClock::load(pool).await?;
    let search = crate::input::search_text(&search);
    let me = &actor.user.id;
    let mut offset = page_start(offset);
    let (mut mine, total) = store::submitted_by(pool, me, &search, offset, PAGE_SIZE).await?;
    // Past the end (the list shrank since the page was shown): the last page.
    if mine.is_empty() && offset > 0 {
        offset = clamp_offset(offset, total);
        mine = store::submitted_by(pool, me, &search, offset, PAGE_SIZE)
            .await?
            .0;
    }
    for m in &mut mine {
        m.status_changed_at = clock.local(&m.status_changed_at);
        m.created_at = clock.local(&m.created_at);
    }
    Ok(Paged {
        rows: mine,
        total,
        offset,
    })
}

/// The labels used in a backlog, for the label filter.
#[server(prefix = "/api", endpoint = "backlog_labels")]
pub async fn backlog_labels(backlog_id: String) -> Result<Vec<String>, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    backlog_or_404(pool, &backlog_id).await?;
    store::labels(pool, &backlog_id).await
}

/// The backlog dashboard: counts by status, the top 10 by score, how long
/// open requirements have been in their state, and intake by source per week
/// (the last eight weeks).
#[server(prefix = "/api", endpoint = "backlog_overview")]
pub async fn load_overview(backlog_id: String) -> Result<BacklogOverview, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    backlog_or_404(pool, &backlog_id).await?;
    let clock = OrgClock::load(pool).await?;
    let rows = store::overview_rows(pool, &backlog_id).await?;
    Ok(overview(&localised(rows, &clock), local_now(&clock)))
}

/// Now, in the organisation's offset.
#[cfg(feature = "ssr")]
fn local_now(clock: &OrgClock) -> time::OffsetDateTime {
    parse_time(&clock.local(&now_rfc3339())).unwrap_or_else(time::OffsetDateTime::now_utc)
}

/// The rows with their instants in the organisation's offset, so that a
/// day and an ISO week are the organisation's.
#[cfg(feature = "ssr")]
pub fn localised(mut rows: Vec<store::OverviewRow>, clock: &OrgClock) -> Vec<store::OverviewRow> {
    for r in &mut rows {
        r.created_at = clock.local(&r.created_at);
        r.status_changed_at = clock.local(&r.status_changed_at);
    }
    rows
}

#[cfg(feature = "ssr")]
pub fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// Pure figures of the dashboard at `now`. Days and weeks are those of the
/// offset `now` and the rows' instants are written in.
#[cfg(feature = "ssr")]
pub fn overview(rows: &[store::OverviewRow], now: time::OffsetDateTime) -> BacklogOverview {
    let counts = Status::ALL
        .iter()
        .map(|s| (*s, rows.iter().filter(|r| r.status == *s).count() as i64))
        .collect();
    let mut scored: Vec<&store::OverviewRow> = rows
        .iter()
        .filter(|r| {
            r.score.is_some()
                && !matches!(
                    r.status,
                    Status::Rejected | Status::Duplicate | Status::Withdrawn
                )
        })
        .collect();
    scored.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
    let top = scored
        .iter()
        .take(10)
        .map(|r| (r.id.clone(), r.title.clone(), r.score.unwrap_or(0.0)))
        .collect();
    let time_in_state = [
        Status::New,
        Status::UnderReview,
        Status::Planned,
        Status::InProgress,
    ]
    .into_iter()
    .map(|s| {
        let days: Vec<f64> = rows
            .iter()
            .filter(|r| r.status == s)
            .filter_map(|r| parse_time(&r.status_changed_at))
            .map(|t| ((now - t).as_seconds_f64() / 86_400.0).max(0.0))
            .collect();
        let max = days.iter().copied().fold(0.0, f64::max);
        StateAge {
            status: s,
            count: days.len() as i64,
            median_days: median_days(&days),
            max_days: (max * 10.0).round() / 10.0,
        }
    })
    .collect();
    let today = now.date();
    let monday = today - time::Duration::days(today.weekday().number_days_from_monday() as i64);
    let weeks = (0..8)
        .rev()
        .map(|w| {
            let start = monday - time::Duration::weeks(w);
            let end = start + time::Duration::weeks(1);
            let in_week: Vec<&store::OverviewRow> = rows
                .iter()
                .filter(|r| {
                    parse_time(&r.created_at).is_some_and(|t| {
                        let d = t.to_offset(now.offset()).date();
                        d >= start && d < end
                    })
                })
                .collect();
            WeekIntake {
                start: start.to_string(),
                counts: Source::ALL
                    .iter()
                    .map(|s| (*s, in_week.iter().filter(|r| r.source == *s).count() as i64))
                    .collect(),
            }
        })
        .collect();
    BacklogOverview {
        total: rows.len() as i64,
        counts,
        top,
        time_in_state,
        weeks,
    }
}

/// Casts (`voted`) or takes back the caller's vote, one per person per
/// requirement. It sets the vote rather than flipping it, so a replayed call
/// changes nothing.
#[server(prefix = "/api", endpoint = "set_vote")]
pub async fn set_vote(id: String, voted: bool) -> Result<RequirementRow, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    requirement_or_404(pool, &id, &actor.user.id).await?;
    let mut tx = crate::server::db::begin(pool).await?;
    store::set_vote(&mut tx, &id, &actor.user.id, voted, &now_rfc3339()).await?;
    tx.commit().await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Links a research finding, customer quote or metric to a requirement.
#[server(prefix = "/api", endpoint = "add_evidence")]
pub async fn add_evidence(
    id: String,
    requirement_id: String,
    kind: String,
    body: String,
    source: String,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let id = client_id(&id)?;
    let req = requirement_or_404(pool, &requirement_id, &actor.user.id).await?;
    let backlog = backlog_or_404(pool, &req.backlog_id).await?;
    let kind = EvidenceKind::parse(&kind)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?;
    let body = crate::input::parse_text("body", &body)?;
    let source = optional_text("source", &source, crate::input::NAME_MAX)?;
    let mut tx = crate::server::db::begin(pool).await?;
    let fresh = store::insert_evidence(
        &mut tx,
        &id,
        &requirement_id,
        kind,
        &body,
        &source,
        &actor.user.id,
        &now_rfc3339(),
    )
    .await?;
    // A replayed post (the same id) stores nothing and tells nobody again.
    if fresh {
        let event = requirement_event(
            crate::notify::model::EventKind::RequirementEvidenceAdded,
            &req,
            &backlog.team_id,
            &actor.user.id,
        )
        .with("author", actor.user.display_name.clone());
        crate::notify::store::emit(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Its author corrects a piece of evidence (kind, text, where it comes from).
#[server(prefix = "/api", endpoint = "edit_evidence")]
pub async fn edit_evidence(
    id: String,
    kind: String,
    body: String,
    source: String,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    own_evidence(pool, &actor, &id).await?;
    let kind = EvidenceKind::parse(&kind)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "kind"))?;
    let body = crate::input::parse_text("body", &body)?;
    let source = optional_text("source", &source, crate::input::NAME_MAX)?;
    let mut tx = crate::server::db::begin(pool).await?;
    let changed = store::set_evidence(
        &mut tx,
        &id,
        &actor.user.id,
        kind,
        &body,
        &source,
        &now_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    // Deleted meanwhile (by its author, elsewhere): say so.
    if changed {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::NotFound))
    }
}

/// Its author deletes a piece of evidence (asked once on the page).
#[server(prefix = "/api", endpoint = "delete_evidence")]
pub async fn delete_evidence(id: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    own_evidence(pool, &actor, &id).await?;
    let mut tx = crate::server::db::begin(pool).await?;
    store::delete_evidence(&mut tx, &id, &actor.user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Evidence is its author's to change: anyone else is refused, and evidence
/// that does not exist is not found.
#[cfg(feature = "ssr")]
async fn own_evidence(
    pool: &sqlx::AnyPool,
    actor: &crate::auth::Actor,
    id: &str,
) -> Result<(), AppError> {
    match store::evidence_owner(pool, id).await? {
        None => Err(AppError::new(ErrorCode::NotFound)),
        Some((author, _)) if author != actor.user.id => Err(AppError::new(ErrorCode::Forbidden)),
        Some(_) => Ok(()),
    }
}

/// What the "new backlog" form offers the caller: the teams they may create a
/// backlog for, and the active PMs who can own one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BacklogFormChoices {
    pub teams: Vec<(String, String)>,
    pub owners: Vec<(String, String)>,
    /// Everyone active, for invitations to group scoring.
    pub people: Vec<(String, String)>,
    /// Teams whose backlogs the caller may hand to another PM.
    pub manageable: Vec<String>,
    /// The owner to suggest: the caller, when they are a PM.
    pub suggested_owner: Option<String>,
}

#[server(prefix = "/api", endpoint = "backlog_choices")]
pub async fn backlog_choices() -> Result<BacklogFormChoices, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let teams = crate::people::store::teams(pool).await?;
    let manageable = teams
        .iter()
        .filter(|t| crate::auth::authorize(&actor, Action::ManageTeam { team: &t.id }).is_ok())
        .map(|t| t.id.clone())
        .collect();
    let teams = crate::people::tree_order(&teams)
        .into_iter()
        .filter(|(_, t)| {
            crate::auth::authorize(&actor, Action::EditTeamWork { team: &t.id }).is_ok()
        })
        .map(|(_, t)| (t.id, t.name))
        .collect();
    let everyone = crate::people::store::people(pool).await?;
    let owners = everyone
        .iter()
        .filter(|p| p.active && p.role == Role::Pm)
        .map(|p| (p.id.clone(), p.display_name.clone()))
        .collect();
    let people = everyone
        .into_iter()
        .filter(|p| p.active)
        .map(|p| (p.id, p.display_name))
        .collect();
    let suggested_owner = (actor.user.role == Role::Pm).then(|| actor.user.id.clone());
    Ok(BacklogFormChoices {
        teams,
        owners,
        people,
        manageable,
        suggested_owner,
    })
}

/// What an import found (preview) or did (commit): the report every CSV
/// import sends, with what it does with each row (new, update, unchanged).
pub use crate::csv_read::ImportReport;

/// Reads a CSV file of requirements (UTF-8 with or without BOM, or GB18030).
/// Without `commit` it only reports; with it, nothing is imported from a file
/// with errors unless `only_valid` is set. New rows get ids derived from the
/// client-made `batch_id`, so sending the same import twice stores once.
///
/// A row whose id names a requirement of this backlog updates it (its
/// intake fields; its labels and owner when the file has those columns)
/// if its version is still the current one, else it is refused at its row
/// (`changed_since_export`); an update needs the right to edit the team's
/// work (its PMs, leaders, admins), so a file with such rows from anyone
/// else is refused whole. A row that changes nothing is left out
/// (`unchanged`), so importing a file twice stores it once. Ids of other
/// backlogs (or of none) are ignored: those rows are new requirements. State,
/// score, votes and rank cells are read-only.
#[server(prefix = "/api", endpoint = "import_requirements", input = leptos::server_fn::codec::Json)]
pub async fn import_requirements(
    backlog_id: String,
    batch_id: String,
    file: Vec<u8>,
    commit: bool,
    only_valid: bool,
) -> Result<ImportReport, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let batch = crate::csv_read::check_upload(&batch_id, &file)?;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    let text = crate::csv_read::decode_upload(&file)?;
    // Rows are checked as the submit form checks them; labels, which are
    // for the backlog's editors, only from someone who may edit its work.
    let may_edit = crate::auth::authorize(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )
    .is_ok();
    let parsed = super::csv::parse(&text, may_edit);
    let planned = {
        let mut conn = pool.acquire().await?;
        plan_import(pool, &mut conn, &backlog, &parsed, may_edit).await?
    };
    let mut report = planned.report();
    if !report.stores(commit, only_valid) {
        return Ok(report);
    }
    let now = now_rfc3339();
    // One transaction: every valid row or none (an interrupted import
    // leaves nothing half-imported). The rows are planned again inside it,
    // against what is stored now. A new row already stored by an earlier
    // send of the same batch is skipped by its id.
    let mut tx = crate::server::db::begin(pool).await?;
    let planned = plan_import(pool, &mut tx, &backlog, &parsed, may_edit).await?;
    report = planned.report();
    if !report.stores(commit, only_valid) {
        // A row changed between the preview and this send: report it, write nothing.
        return Ok(report);
    }
    let mut last = store::last_key(&mut *tx, &backlog.id).await?;
    for step in &planned.steps {
        match step {
            ImportStep::New { row, draft } => {
                let id = batch.row_id(*row);
                let key = rank::key_between(last.as_deref(), None);
                let new = new_requirement(draft, &id, &backlog.id, &actor.user.id, &key);
                if store::insert_requirement(&mut tx, &new, &now).await? {
                    store::set_labels(&mut tx, &id, &draft.labels).await?;
                    report.imported += 1;
                    last = Some(key);
                }
            }
            ImportStep::Update {
                id,
                version,
                stored,
                change,
                owner,
                ..
            } => {
                store::set_fields(
                    &mut tx,
                    id,
                    *version,
                    &change.draft,
                    Some(owner.as_deref()),
                    &now,
                )
                .await?;
                if change.labels {
                    store::set_labels(&mut tx, id, &change.draft.labels).await?;
                }
                // History as an edit and an owner change record it.
                let (from, to) = super::model::field_changes(&stored.draft, &change.draft);
                if !from.is_empty() {
                    let json = |m: &std::collections::BTreeMap<&str, serde_json::Value>| {
                        serde_json::to_string(m).unwrap_or_default()
                    };
                    store::record_event(
                        &mut *tx,
                        id,
                        &actor.user.id,
                        "edit",
                        Some(&json(&from)),
                        Some(&json(&to)),
                        &now,
                    )
                    .await?;
                }
                if *owner != stored.owner_id {
                    let before = match &stored.owner_id {
                        Some(o) => crate::people::store::person_by_id(pool, o)
                            .await?
                            .map(|p| p.display_name),
                        None => None,
                    };
                    store::record_event(
                        &mut *tx,
                        id,
                        &actor.user.id,
                        "owner",
                        before.as_deref(),
                        owner.as_deref(),
                        &now,
                    )
                    .await?;
                }
                report.imported += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// What an import does with its rows, planned against what is stored.
#[cfg(feature = "ssr")]
struct PlannedImport<'a> {
    steps: Vec<ImportStep<'a>>,
    actions: Vec<crate::csv_read::RowAction>,
    errors: Vec<crate::csv_read::RowError>,
}

#[cfg(feature = "ssr")]
enum ImportStep<'a> {
    New {
        row: usize,
        draft: &'a super::model::RequirementDraft,
    },
    Update {
        id: String,
        version: i64,
        stored: super::csv::Stored,
        change: super::csv::Change,
        /// The owner it will have (its id).
        owner: Option<String>,
    },
}

#[cfg(feature = "ssr")]
impl PlannedImport<'_> {
    /// The preview: rows stored on commit (new and updated), rows left out
    /// as unchanged, every row's problems in row order, and each row's action.
    fn report(&self) -> ImportReport {
        use crate::csv_read::RowKind;
        ImportReport {
            valid_rows: self.steps.len(),
            unchanged: self
                .actions
                .iter()
                .filter(|a| a.kind == RowKind::Unchanged)
                .count(),
            errors: self.errors.clone(),
            imported: 0,
            rows: self.actions.clone(),
        }
    }
}

/// Plans an import's rows (`csv::plan`) against the requirements of the
/// backlog their ids name, read through `conn` (the import's transaction
/// on commit). An owner named by email must be an active PM (else
/// `invalid_choice` at `owner`); a requirement named on two rows is
/// `repeated_in_file` on the second. Rows for stored requirements from
/// someone who may not edit the team's work: the import is refused.
#[cfg(feature = "ssr")]
async fn plan_import<'a>(
    pool: &sqlx::AnyPool,
    conn: &mut sqlx::AnyConnection,
    backlog: &Backlog,
    parsed: &'a crate::csv_read::Parsed<super::csv::ImportRow>,
    may_edit: bool,
) -> Result<PlannedImport<'a>, AppError> {
    use crate::csv_read::{RowAction, RowError, RowKind};
    let ids: Vec<&str> = parsed
        .rows
        .iter()
        .filter_map(|(_, r)| r.id.as_deref())
        .collect();
    let stored = store::import_targets(conn, &backlog.id, &ids).await?;
    if !stored.is_empty() && !may_edit {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let mut owners: std::collections::HashMap<String, Option<String>> = Default::default();
    let mut seen = std::collections::HashSet::new();
    let mut out = PlannedImport {
        steps: Vec::new(),
        actions: Vec::new(),
        errors: parsed.errors.clone(),
    };
    for (row, r) in &parsed.rows {
        let target = r.id.as_deref().and_then(|id| stored.get_key_value(id));
        let refuse = |out: &mut PlannedImport<'a>, e: AppError| {
            out.errors.push(RowError {
                row: *row,
                column: e.field.unwrap_or_default(),
                code: e.code,
            })
        };
        if let Some((id, _)) = target {
            if !seen.insert(id.as_str()) {
                refuse(&mut out, AppError::field(ErrorCode::RepeatedInFile, "id"));
                continue;
            }
        }
        let (kind, change) = match super::csv::plan(r, target.map(|(_, s)| s)) {
            Ok(p) => p,
            Err(e) => {
                refuse(&mut out, e);
                continue;
            }
        };
        match (target, change) {
            (Some((id, s)), Some(change)) => {
                let owner = match &change.owner {
                    None => s.owner_id.clone(),
                    Some(None) => None,
                    Some(Some(email)) => {
                        if !owners.contains_key(email) {
                            let pm = crate::people::store::person_by_email(pool, email)
                                .await?
                                .filter(|p| p.active && p.role == Role::Pm)
                                .map(|p| p.id);
                            owners.insert(email.clone(), pm);
                        }
                        match owners.get(email).cloned().flatten() {
                            Some(pm) => Some(pm),
                            None => {
                                refuse(
                                    &mut out,
                                    AppError::field(ErrorCode::InvalidChoice, "owner"),
                                );
                                continue;
                            }
                        }
                    }
                };
                out.steps.push(ImportStep::Update {
                    id: id.clone(),
                    version: s.version,
                    stored: s.clone(),
                    change,
                    owner,
                });
            }
            (_, _) if kind == RowKind::New => out.steps.push(ImportStep::New {
                row: *row,
                draft: &r.draft,
            }),
            _ => {}
        }
        out.actions.push(RowAction {
            row: *row,
            name: r.draft.title.clone(),
            kind,
        });
    }
    out.errors.sort_by_key(|e| e.row);
    Ok(out)
}

/// A backlog as CSV for anyone signed in (UTF-8 with BOM, in rank order),
/// with headers and states in the person's language; `None`: no such
/// backlog.
#[cfg(feature = "ssr")]
pub async fn export_csv(
    pool: &sqlx::AnyPool,
    user: &crate::auth::SessionUser,
    backlog_id: &str,
) -> Result<Option<(Backlog, Vec<u8>)>, AppError> {
    use crate::i18n::Locale;
    let Some(backlog) = store::backlog(pool, backlog_id).await? else {
        return Ok(None);
    };
    let (locale, zh) = match user.language {
        crate::auth::Language::Zh => (Locale::zh, true),
        crate::auth::Language::En => (Locale::en, false),
    };
    let body = store::export_csv(pool, &backlog.id, zh, |s| {
        super::ui::status_label(locale, s)
    })
    .await?;
    Ok(Some((backlog, body)))
}

/// The row a checked requirement is stored as, however it arrived (the
/// submit form or a CSV import).
#[cfg(feature = "ssr")]
fn new_requirement<'a>(
    draft: &'a super::model::RequirementDraft,
    id: &'a str,
    backlog_id: &'a str,
    submitted_by: &'a str,
    rank_key: &'a str,
) -> store::NewRequirement<'a> {
    store::NewRequirement {
        id,
        backlog_id,
        title: &draft.title,
        description: &draft.description,
        source: draft.source.unwrap_or(Source::InternalIdea),
        requester: &draft.requester,
        customer: &draft.customer,
        segment: &draft.segment,
        links: &draft.links,
        submitted_by,
        rank_key,
    }
}

/// Opens a group-scoring round on chosen requirements of one backlog and
/// invites people to estimate them (the team's PMs, its leaders, admins).
#[server(prefix = "/api", endpoint = "open_poker_round", input = leptos::server_fn::codec::Json)]
pub async fn open_poker_round(
    id: String,
    backlog_id: String,
    title: String,
    requirement_ids: Vec<String>,
    invitees: Vec<String>,
) -> Result<String, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let id = client_id(&id)?;
    if store::poker::round(pool, &id).await?.is_some() {
        return Ok(id);
    }
    let title = crate::input::parse_name("title", &title)?;
    let mut items = requirement_ids;
    items.dedup();
    if items.is_empty() || items.len() > 30 {
        return Err(AppError::field(ErrorCode::Required, "requirements"));
    }
    for r in &items {
        let ok = store::requirement(pool, r, &actor.user.id)
            .await?
            .is_some_and(|q| q.backlog_id == backlog.id);
        if !ok {
            return Err(AppError::field(ErrorCode::InvalidChoice, "requirements"));
        }
    }
    let mut people = invitees;
    people.sort();
    people.dedup();
    if people.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "invitees"));
    }
    for p in &people {
        let active = crate::people::store::person_by_id(pool, p)
            .await?
            .is_some_and(|p| p.active);
        if !active {
            return Err(AppError::field(ErrorCode::InvalidChoice, "invitees"));
        }
    }
    let mut tx = crate::server::db::begin(pool).await?;
    let fresh = store::poker::insert_round(
        &mut tx,
        &id,
        &backlog.id,
        &actor.user.id,
        &title,
        &items,
        &people,
        &now_rfc3339(),
    )
    .await?;
    // A replayed open (the same id) invites nobody twice.
    if fresh {
        let event = crate::notify::model::Event::new(
            crate::notify::model::EventKind::PokerInvited,
            &id,
            Some(&backlog.team_id),
            Some(&actor.user.id),
            format!("/backlog/poker/{id}"),
        )
        .with("title", title.clone())
        .with("author", actor.user.display_name.clone())
        .with("backlog", backlog.name.clone());
        crate::notify::store::emit(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The rounds of a backlog the caller takes part in (all of them for those
/// who edit its work).
#[server(prefix = "/api", endpoint = "poker_rounds")]
pub async fn poker_rounds(backlog_id: String) -> Result<Vec<PokerRoundSummary>, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    let all = crate::auth::authorize(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )
    .is_ok();
    store::poker::rounds(pool, &backlog_id, &actor.user.id, all).await
}

/// Who may see a round and what: the owner and the backlog's editors see all
/// estimates; an invited person sees only their own until they submit.
#[cfg(feature = "ssr")]
struct RoundAccess {
    round: store::poker::RoundRow,
    backlog: Backlog,
    can_accept: bool,
    invited: bool,
    submitted: bool,
    participants: Vec<(String, String, bool)>,
}

#[cfg(feature = "ssr")]
async fn round_access(
    pool: &sqlx::AnyPool,
    actor: &crate::auth::Actor,
    id: &str,
) -> Result<RoundAccess, AppError> {
    let round = store::poker::round(pool, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let backlog = backlog_or_404(pool, &round.backlog_id).await?;
    let can_accept = crate::auth::authorize(
        actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )
    .is_ok();
    let participants = store::poker::participants(pool, id).await?;
    let me = participants.iter().find(|p| p.0 == actor.user.id);
    let (invited, submitted) = (me.is_some(), me.is_some_and(|p| p.2));
    if !(can_accept || invited || round.owner_id == actor.user.id) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    Ok(RoundAccess {
        round,
        backlog,
        can_accept,
        invited,
        submitted,
        participants,
    })
}

#[server(prefix = "/api", endpoint = "poker_round")]
pub async fn load_poker_round(id: String) -> Result<PokerRound, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let access = round_access(pool, &actor, &id).await?;
    // Invited people see others' estimates only once they have submitted
    // theirs; the round's owner, and editors who are not estimating, see all.
    let is_owner = access.round.owner_id == actor.user.id;
    let revealed = access.round.closed
        || access.submitted
        || is_owner
        || (access.can_accept && !access.invited);
    let estimates = store::poker::estimates(pool, &id).await?;
    let submitted: Vec<&(String, String, bool)> =
        access.participants.iter().filter(|p| p.2).collect();
    let items = store::poker::items(pool, &id)
        .await?
        .into_iter()
        .map(|(rid, title, accepted)| {
            let mine = estimates
                .iter()
                .find(|e| e.0 == rid && e.1 == actor.user.id)
                .map(|e| e.2.clone());
            // Only submitted estimates count, and only revealed ones are sent.
            let shown: Vec<super::model::PokerEstimate> = estimates
                .iter()
                .filter(|e| e.0 == rid)
                .filter_map(|e| {
                    submitted
                        .iter()
                        .find(|p| p.0 == e.1)
                        .map(|p| super::model::PokerEstimate {
                            name: p.1.clone(),
                            input: e.2.clone(),
                        })
                })
                .collect();
            let inputs: Vec<ScoreInput> = shown.iter().map(|e| e.input.clone()).collect();
            super::model::PokerItem {
                requirement_id: rid,
                title,
                mine,
                summary: if revealed {
                    super::model::summarise(access.backlog.framework, &inputs)
                } else {
                    vec![]
                },
                estimates: if revealed { shown } else { vec![] },
                accepted,
            }
        })
        .collect();
    Ok(PokerRound {
        id: access.round.id,
        title: access.round.title,
        owner_name: access.round.owner_name,
        closed: access.round.closed,
        can_accept: access.can_accept,
        invited: access.invited,
        submitted: access.submitted,
        revealed,
        participants: access
            .participants
            .into_iter()
            .map(|p| (p.1, p.2))
            .collect(),
        backlog: access.backlog,
        items,
    })
}

/// An invited person's estimates: (requirement id, `ScoreInput` JSON) each.
/// Saved as a draft, or submitted (then the others' are shown to them).
#[server(prefix = "/api", endpoint = "save_estimates", input = leptos::server_fn::codec::Json)]
pub async fn save_estimates(
    round_id: String,
    estimates: Vec<(String, String)>,
    submit: bool,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let access = round_access(pool, &actor, &round_id).await?;
    if !access.invited {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    if access.round.closed {
        return Err(AppError::new(ErrorCode::InvalidTransition));
    }
    let items: Vec<String> = store::poker::items(pool, &round_id)
        .await?
        .into_iter()
        .map(|i| i.0)
        .collect();
    let mut inputs = vec![];
    for (rid, json) in estimates {
        if !items.contains(&rid) {
            return Err(AppError::field(ErrorCode::InvalidChoice, "requirements"));
        }
        inputs.push((rid, parse_input(&json, access.backlog.framework)?));
    }
    if submit && inputs.len() < items.len() {
        let have: Vec<String> = store::poker::estimates(pool, &round_id)
            .await?
            .into_iter()
            .filter(|e| e.1 == actor.user.id)
            .map(|e| e.0)
            .chain(inputs.iter().map(|i| i.0.clone()))
            .collect();
        if items.iter().any(|i| !have.contains(i)) {
            return Err(AppError::field(ErrorCode::Required, "estimates"));
        }
    }
    let mut tx = crate::server::db::begin(pool).await?;
    store::poker::save_estimates(
        &mut tx,
        &round_id,
        &actor.user.id,
        &inputs,
        submit,
        &now_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Accepts a value for one requirement of a round: it becomes the
/// requirement's score (kept in its score history like any other change).
#[server(prefix = "/api", endpoint = "accept_estimate")]
pub async fn accept_estimate(
    round_id: String,
    requirement_id: String,
    input: String,
) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let access = round_access(pool, &actor, &round_id).await?;
    if !access.can_accept {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let in_round = store::poker::items(pool, &round_id)
        .await?
        .iter()
        .any(|i| i.0 == requirement_id);
    if !in_round {
        return Err(AppError::field(ErrorCode::InvalidChoice, "requirements"));
    }
    let input = parse_input(&input, access.backlog.framework)?;
    let req = requirement_or_404(pool, &requirement_id, &actor.user.id).await?;
    let mut tx = crate::server::db::begin(pool).await?;
    apply_score(pool, &mut tx, &actor.user.id, &req, req.version, &input).await?;
    store::poker::accept(&mut tx, &round_id, &requirement_id, &input, &now_rfc3339()).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a round: no more estimates; everyone invited sees the result.
#[server(prefix = "/api", endpoint = "close_poker_round")]
pub async fn close_poker_round(round_id: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    let access = round_access(pool, &actor, &round_id).await?;
    if !access.can_accept {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let mut tx = crate::server::db::begin(pool).await?;
    store::poker::close(&mut tx, &round_id, &now_rfc3339()).await?;
    tx.commit().await?;
    Ok(())
}
