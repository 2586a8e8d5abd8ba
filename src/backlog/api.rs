//! Server functions of the backlog: intake, scoring, ranking, lifecycle, votes, evidence.
use super::model::{Backlog, RequirementRow};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{EvidenceKind, Framework, ScoreInput, Source, Status, placement_index},
    super::{rank, store},
    crate::auth::{Action, Role},
    crate::error::ErrorCode,
    crate::people::model as pm,
    crate::server::{
        now_rfc3339,
        request::{allow, client_id, fail, require_actor, state},
    },
};

#[cfg(feature = "ssr")]
async fn backlog_or_404(pool: &sqlx::SqlitePool, id: &str) -> Result<Backlog, AppError> {
    store::backlog(pool, id)
        .await?
        .ok_or_else(|| fail(AppError::new(ErrorCode::NotFound)))
}

#[cfg(feature = "ssr")]
async fn requirement_or_404(
    pool: &sqlx::SqlitePool,
    id: &str,
    viewer: &str,
) -> Result<RequirementRow, AppError> {
    store::requirement(pool, id, viewer)
        .await?
        .ok_or_else(|| fail(AppError::new(ErrorCode::NotFound)))
}

/// Every backlog; anyone signed in may see them and submit to them.
#[server(prefix = "/api", endpoint = "backlogs")]
pub async fn list_backlogs() -> Result<Vec<Backlog>, AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    store::backlogs(&state()?.pool).await
}

#[cfg(feature = "ssr")]
async fn check_owner(pool: &sqlx::SqlitePool, owner_id: &str) -> Result<(), AppError> {
    let ok = crate::people::store::person_by_id(pool, owner_id)
        .await?
        .is_some_and(|p| p.active && p.role == Role::Pm);
    if ok {
        Ok(())
    } else {
        Err(fail(AppError::field(ErrorCode::InvalidChoice, "owner_id")))
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
    let actor = require_actor().await?;
    allow(&actor, Action::EditTeamWork { team: &team_id })?;
    let id = client_id(&id)?;
    let pool = &state()?.pool;
    if let Some(existing) = store::backlog(pool, &id).await? {
        return Ok(existing);
    }
    let name = pm::parse_name("name", &name).map_err(fail)?;
    let framework = Framework::parse(&framework).map_err(fail)?;
    check_owner(pool, &owner_id).await?;
    let backlog = Backlog {
        id,
        team_id,
        owner_id,
        name,
        framework,
        version: 1,
    };
    store::insert_backlog(pool, &backlog, &now_rfc3339()).await?;
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
    let actor = require_actor().await?;
    let pool = &state()?.pool;
    let backlog = backlog_or_404(pool, &id).await?;
    allow(
        &actor,
        Action::ManageTeam {
            team: &backlog.team_id,
        },
    )?;
    check_owner(pool, &owner_id).await?;
    store::set_backlog_owner(pool, &id, version, &owner_id, &now_rfc3339())
        .await
        .map_err(fail)?;
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
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let id = client_id(&id)?;
    let pool = &state()?.pool;
    if let Some(existing) = store::requirement(pool, &id, &actor.user.id).await? {
        return Ok(existing);
    }
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    let title = pm::parse_name("title", &title).map_err(fail)?;
    let description = optional_text("description", &description, pm::TEXT_MAX)?;
    let source = Source::parse_any(source.trim())
        .ok_or_else(|| fail(AppError::field(ErrorCode::InvalidChoice, "source")))?;
    let requester = optional_text("requester", &requester, pm::NAME_MAX)?;
    let customer = optional_text("customer", &customer, pm::NAME_MAX)?;
    let segment = optional_text("segment", &segment, pm::NAME_MAX)?;
    let links: Vec<String> = links.split_whitespace().map(str::to_string).collect();
    if links
        .iter()
        .any(|l| !(l.starts_with("https://") || l.starts_with("http://")) || l.len() > 2000)
    {
        return Err(fail(AppError::field(ErrorCode::InvalidLink, "links")));
    }
    let last = store::order(pool, &backlog.id)
        .await?
        .last()
        .map(|r| r.3.clone());
    let key = rank::key_between(last.as_deref(), None);
    let now = now_rfc3339();
    let new = store::NewRequirement {
        id: &id,
        backlog_id: &backlog.id,
        title: &title,
        description: &description,
        source,
        requester: &requester,
        customer: &customer,
        segment: &segment,
        links: &links,
        submitted_by: &actor.user.id,
        rank_key: &key,
    };
    if store::insert_requirement(pool, &new, &now).await? {
        store::record_event(
            pool,
            &id,
            &actor.user.id,
            "created",
            None,
            Some("new"),
            &now,
        )
        .await?;
    }
    requirement_or_404(pool, &id, &actor.user.id).await
}

#[cfg(feature = "ssr")]
fn optional_text(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(fail(AppError::field(ErrorCode::TooLong, field)));
    }
    Ok(t.to_string())
}

/// The ranked list with search (substrings of title and description) and filters.
#[server(prefix = "/api", endpoint = "requirements")]
pub async fn list_requirements(
    backlog_id: String,
    search: String,
    status: String,
    source: String,
) -> Result<Vec<RequirementRow>, AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &state()?.pool;
    backlog_or_404(pool, &backlog_id).await?;
    let status = Status::parse(&status);
    let source = Source::parse_any(&source);
    store::requirements(pool, &backlog_id, &actor.user.id, &search, status, source).await
}

/// Sets a requirement's score inputs (JSON of `ScoreInput`, in the backlog's
/// framework). Unless pinned by a manual move, only this requirement's key
/// changes, to its place in score order.
#[server(prefix = "/api", endpoint = "score_requirement")]
pub async fn score_requirement(
    id: String,
    version: i64,
    input: String,
) -> Result<RequirementRow, AppError> {
    let actor = require_actor().await?;
    let pool = &state()?.pool;
    let req = requirement_or_404(pool, &id, &actor.user.id).await?;
    let backlog = backlog_or_404(pool, &req.backlog_id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let input: ScoreInput = serde_json::from_str(&input)
        .map_err(|_| fail(AppError::field(ErrorCode::InvalidChoice, "framework")))?;
    if input.framework() != backlog.framework {
        return Err(fail(AppError::field(ErrorCode::InvalidChoice, "framework")));
    }
    let score = input.score().map_err(fail)?;
    let key = if req.pinned {
        None
    } else {
        let others: Vec<_> = store::order(pool, &backlog.id)
            .await?
            .into_iter()
            .filter(|r| r.0 != id)
            .collect();
        let at = placement_index(
            &others.iter().map(|r| (r.1, r.2)).collect::<Vec<_>>(),
            Some(score),
        );
        let before = at.checked_sub(1).map(|i| others[i].3.clone());
        let after = others.get(at).map(|r| r.3.clone());
        Some(rank::key_between(before.as_deref(), after.as_deref()))
    };
    let now = now_rfc3339();
    store::set_score(pool, &id, version, &input, score, key.as_deref(), &now)
        .await
        .map_err(fail)?;
    let from = req
        .score_input
        .as_ref()
        .and_then(|i| serde_json::to_string(i).ok());
    let to = serde_json::to_string(&input).ok();
    store::record_event(
        pool,
        &id,
        &actor.user.id,
        "score",
        from.as_deref(),
        to.as_deref(),
        &now,
    )
    .await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Moves a requirement to just after `after_id` (empty: to the top) and pins
/// it there until the order is reset. Writes one row.
#[server(prefix = "/api", endpoint = "move_requirement")]
pub async fn move_requirement(id: String, after_id: String) -> Result<RequirementRow, AppError> {
    let actor = require_actor().await?;
    let pool = &state()?.pool;
    let req = requirement_or_404(pool, &id, &actor.user.id).await?;
    let backlog = backlog_or_404(pool, &req.backlog_id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let others: Vec<_> = store::order(pool, &backlog.id)
        .await?
        .into_iter()
        .filter(|r| r.0 != id)
        .collect();
    let at = if after_id.trim().is_empty() {
        0
    } else {
        others
            .iter()
            .position(|r| r.0 == after_id)
            .map(|i| i + 1)
            .ok_or_else(|| fail(AppError::field(ErrorCode::InvalidChoice, "after_id")))?
    };
    let before = at.checked_sub(1).map(|i| others[i].3.clone());
    let after = others.get(at).map(|r| r.3.clone());
    let key = rank::key_between(before.as_deref(), after.as_deref());
    let now = now_rfc3339();
    store::set_rank(pool, &id, &key, true, &now).await?;
    store::record_event(
        pool,
        &id,
        &actor.user.id,
        "move",
        Some(&req.rank_key),
        Some(&key),
        &now,
    )
    .await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// "Reset to score order": unpins every requirement and lays them out by score.
#[server(prefix = "/api", endpoint = "reset_order")]
pub async fn reset_order(backlog_id: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = &state()?.pool;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let mut rows = store::order(pool, &backlog.id).await?;
    // Stable: equal scores keep their current relative order.
    rows.sort_by(|a, b| {
        b.1.unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.1.unwrap_or(f64::NEG_INFINITY))
    });
    let keys = rank::spread_keys(rows.len());
    let now = now_rfc3339();
    let mut tx = pool.begin().await?;
    for (row, key) in rows.iter().zip(keys) {
        sqlx::query(
            "UPDATE requirements SET rank_key = ?, pinned = 0, updated_at = ? WHERE id = ?",
        )
        .bind(key)
        .bind(&now)
        .bind(&row.0)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    for row in rows.iter().filter(|r| r.2) {
        store::record_event(pool, &row.0, &actor.user.id, "reset", None, None, &now).await?;
    }
    Ok(())
}

/// Moves a requirement along its lifecycle; rejecting needs a reason and a
/// duplicate names the requirement it duplicates.
#[server(prefix = "/api", endpoint = "change_status")]
pub async fn change_status(
    id: String,
    version: i64,
    status: String,
    reason: String,
    duplicate_of: String,
) -> Result<RequirementRow, AppError> {
    let actor = require_actor().await?;
    let pool = &state()?.pool;
    let req = requirement_or_404(pool, &id, &actor.user.id).await?;
    let backlog = backlog_or_404(pool, &req.backlog_id).await?;
    allow(
        &actor,
        Action::EditTeamWork {
            team: &backlog.team_id,
        },
    )?;
    let to = Status::parse(&status)
        .ok_or_else(|| fail(AppError::field(ErrorCode::InvalidChoice, "status")))?;
    if !req.status.can_move_to(to) {
        return Err(fail(AppError::field(
            ErrorCode::InvalidTransition,
            "status",
        )));
    }
    let reason = match to {
        Status::Rejected => Some(pm::parse_text("reason", &reason).map_err(fail)?),
        _ => None,
    };
    let duplicate_of = match to {
        Status::Duplicate => {
            let kept = store::requirement(pool, duplicate_of.trim(), &actor.user.id).await?;
            match kept {
                Some(k) if k.id != id && k.backlog_id == req.backlog_id => Some(k.id),
                _ => {
                    return Err(fail(AppError::field(
                        ErrorCode::InvalidChoice,
                        "duplicate_of",
                    )));
                }
            }
        }
        _ => None,
    };
    let now = now_rfc3339();
    store::set_status(
        pool,
        &id,
        version,
        to,
        reason.as_deref(),
        duplicate_of.as_deref(),
        &now,
    )
    .await
    .map_err(fail)?;
    store::record_event(
        pool,
        &id,
        &actor.user.id,
        "status",
        Some(req.status.as_str()),
        Some(to.as_str()),
        &now,
    )
    .await?;
    requirement_or_404(pool, &id, &actor.user.id).await
}

/// Casts or withdraws the caller's vote (one per person per requirement).
#[server(prefix = "/api", endpoint = "toggle_vote")]
pub async fn toggle_vote(id: String) -> Result<RequirementRow, AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &state()?.pool;
    requirement_or_404(pool, &id, &actor.user.id).await?;
    store::toggle_vote(pool, &id, &actor.user.id, &now_rfc3339()).await?;
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
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let id = client_id(&id)?;
    let pool = &state()?.pool;
    requirement_or_404(pool, &requirement_id, &actor.user.id).await?;
    let kind = match kind.as_str() {
        "research_finding" => EvidenceKind::ResearchFinding,
        "customer_quote" => EvidenceKind::CustomerQuote,
        "metric" => EvidenceKind::Metric,
        _ => return Err(fail(AppError::field(ErrorCode::InvalidChoice, "kind"))),
    };
    let body = pm::parse_text("body", &body).map_err(fail)?;
    let source = optional_text("source", &source, pm::NAME_MAX)?;
    store::insert_evidence(
        pool,
        &id,
        &requirement_id,
        kind,
        &body,
        &source,
        &actor.user.id,
        &now_rfc3339(),
    )
    .await?;
    Ok(())
}

/// What the "new backlog" form offers the caller: the teams they may create a
/// backlog for, and the active PMs who can own one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BacklogFormChoices {
    pub teams: Vec<(String, String)>,
    pub owners: Vec<(String, String)>,
    /// The owner to suggest: the caller, when they are a PM.
    pub suggested_owner: Option<String>,
}

#[server(prefix = "/api", endpoint = "backlog_choices")]
pub async fn backlog_choices() -> Result<BacklogFormChoices, AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let pool = &state()?.pool;
    let teams = crate::people::store::teams(pool).await?;
    let teams = crate::people::tree_order(&teams)
        .into_iter()
        .filter(|(_, t)| {
            crate::auth::authorize(&actor, Action::EditTeamWork { team: &t.id }).is_ok()
        })
        .map(|(_, t)| (t.id, t.name))
        .collect();
    let owners = crate::people::store::people(pool)
        .await?
        .into_iter()
        .filter(|p| p.active && p.role == Role::Pm)
        .map(|p| (p.id, p.display_name))
        .collect();
    let suggested_owner = (actor.user.role == Role::Pm).then(|| actor.user.id.clone());
    Ok(BacklogFormChoices {
        teams,
        owners,
        suggested_owner,
    })
}

/// What an import found (preview) or did (commit).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub valid_rows: usize,
    pub errors: Vec<super::model::RowError>,
    pub imported: usize,
}

/// Reads a CSV file of requirements (UTF-8 with or without BOM, or GB18030).
/// Without `commit` it only reports; with it, nothing is imported from a file
/// with errors unless `only_valid` is set. Rows get ids derived from the
/// client-made `batch_id`, so sending the same import twice stores once.
#[server(prefix = "/api", endpoint = "import_requirements", input = leptos::server_fn::codec::Json)]
pub async fn import_requirements(
    backlog_id: String,
    batch_id: String,
    file: Vec<u8>,
    commit: bool,
    only_valid: bool,
) -> Result<ImportReport, AppError> {
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let batch = uuid::Uuid::parse_str(batch_id.trim())
        .map_err(|_| fail(AppError::field(ErrorCode::InvalidChoice, "id")))?;
    if file.len() > 5 * 1024 * 1024 {
        return Err(fail(AppError::field(ErrorCode::TooLong, "file")));
    }
    let pool = &state()?.pool;
    let backlog = backlog_or_404(pool, &backlog_id).await?;
    let text = super::csv::decode(&file).map_err(|code| fail(AppError::field(code, "file")))?;
    let parsed = super::csv::parse(&text);
    let mut report = ImportReport {
        valid_rows: parsed.rows.len(),
        errors: parsed.errors.clone(),
        imported: 0,
    };
    if !commit || (!parsed.errors.is_empty() && !only_valid) {
        return Ok(report);
    }
    let now = now_rfc3339();
    let mut last = store::order(pool, &backlog.id)
        .await?
        .last()
        .map(|r| r.3.clone());
    for (row, draft) in &parsed.rows {
        let id = uuid::Uuid::from_u128(batch.as_u128() ^ (*row as u128)).to_string();
        if store::requirement(pool, &id, &actor.user.id)
            .await?
            .is_some()
        {
            continue;
        }
        let key = rank::key_between(last.as_deref(), None);
        let new = store::NewRequirement {
            id: &id,
            backlog_id: &backlog.id,
            title: &draft.title,
            description: &draft.description,
            source: draft.source.unwrap_or(Source::InternalIdea),
            requester: &draft.requester,
            customer: &draft.customer,
            segment: &draft.segment,
            links: &draft.links,
            submitted_by: &actor.user.id,
            rank_key: &key,
        };
        if store::insert_requirement(pool, &new, &now).await? {
            store::set_labels(pool, &id, &draft.labels).await?;
            store::record_event(
                pool,
                &id,
                &actor.user.id,
                "created",
                None,
                Some("new"),
                &now,
            )
            .await?;
            report.imported += 1;
            last = Some(key);
        }
    }
    Ok(report)
}
