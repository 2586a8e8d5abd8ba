//! Who an event concerns (one arm per kind of [`EventKind`]), and the
//! event hooks that need more than a line at their call site.
//!
//! Audiences only name people who may see the record: requirements are seen
//! by everyone signed in; a KPI by its owner, its team's PMs and the leaders
//! above; a plan by its person and the leaders above; a mentoring meeting by
//! its pair. `store::emit` then leaves out the actor and inactive people.
use super::model::{Event, EventKind};
use crate::error::AppResult;
use crate::people::Team;
use sqlx::AnyConnection;

/// The people an event concerns, before the actor and inactive people are
/// left out.
pub async fn audience(conn: &mut AnyConnection, event: &Event) -> AppResult<Vec<String>> {
    use EventKind::*;
    let id = event.subject_id.as_str();
    let people = match event.kind {
        // Time-made kinds come from a scan job (a later change) that names
        // its audience itself through `store::emit_to`; as events of a
        // change they concern nobody, and nothing here pretends otherwise.
        CheckinDue | CheckinOverdue | SurveyOpened | SurveyClosing | SurveyActionDue => Vec::new(),
        RequirementStateChanged | RequirementEvidenceAdded => {
            submitter_and_voters(conn, id).await?
        }
        RequirementMerged => {
            // The duplicate's voters: those whose votes stayed on it (they
            // had voted for the kept one too) and those whose votes moved.
            let mut people = submitter_and_voters(conn, id).await?;
            let moved: Option<String> = sqlx::query_scalar(
                "SELECT moved_votes FROM requirement_merges WHERE duplicate_id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(m) = moved {
                people.extend(serde_json::from_str::<Vec<String>>(&m).unwrap_or_default());
            }
            people
        }
        PokerInvited => {
            sqlx::query_scalar("SELECT user_id FROM poker_participants WHERE round_id = $1")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
        }
        PlanApproved => {
            sqlx::query_scalar("SELECT user_id FROM plans WHERE id = $1")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
        }
        PlanWaitingApproval => {
            let owner: Option<String> =
                sqlx::query_scalar("SELECT user_id FROM plans WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            match owner {
                Some(person) => approvers(conn, &person).await?,
                None => Vec::new(),
            }
        }
        MentoringMeetingLogged => {
            let pair: Option<(String, String)> = sqlx::query_as(
                "SELECT m.mentor_id, m.mentee_id FROM mentor_meetings g
                 JOIN mentorships m ON m.id = g.mentorship_id WHERE g.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            pair.map(|(a, b)| vec![a, b]).unwrap_or_default()
        }
        KpiStatusChanged => kpi_people(conn, id).await?,
    };
    Ok(people)
}

async fn submitter_and_voters(conn: &mut AnyConnection, req: &str) -> AppResult<Vec<String>> {
    let mut people: Vec<String> =
        sqlx::query_scalar("SELECT submitted_by FROM requirements WHERE id = $1")
            .bind(req)
            .fetch_all(&mut *conn)
            .await?;
    let voters: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM votes WHERE requirement_id = $1")
            .bind(req)
            .fetch_all(&mut *conn)
            .await?;
    people.extend(voters);
    Ok(people)
}

async fn teams(conn: &mut AnyConnection) -> AppResult<Vec<Team>> {
    Ok(sqlx::query_as::<_, Team>(
        "SELECT id, name, parent_id, leader_id, version FROM teams ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?)
}

async fn team_of(conn: &mut AnyConnection, person: &str) -> AppResult<Option<String>> {
    let t: Option<Option<String>> = sqlx::query_scalar("SELECT team_id FROM users WHERE id = $1")
        .bind(person)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(t.flatten())
}

/// Who approves a person's over-budget plan: their nearest leader, or the
/// admins where nobody leads above them (`growth::model::may_approve_plan`).
async fn approvers(conn: &mut AnyConnection, person: &str) -> AppResult<Vec<String>> {
    let team = team_of(conn, person).await?;
    let teams = teams(conn).await?;
    match crate::people::model::nearest_leader(person, team.as_deref(), &teams) {
        Some(leader) => Ok(vec![leader]),
        None => Ok(sqlx::query_scalar(
            "SELECT id FROM users WHERE role = 'admin' AND active = 1 AND id <> $1",
        )
        .bind(person)
        .fetch_all(&mut *conn)
        .await?),
    }
}

/// A KPI's owner (or its team's PMs for a team KPI) and the leader above the
/// KPI's team, kept only where they may see the KPI by the KPI pages' own
/// rule (`kpi::api::visible`): a private team KPI is not told to PMs who
/// cannot open it, and an owner's later move to another team does not tell
/// that team's leader.
async fn kpi_people(conn: &mut AnyConnection, kpi: &str) -> AppResult<Vec<String>> {
    let Some(row) = crate::kpi::store::kpi_in(conn, kpi).await? else {
        return Ok(Vec::new());
    };
    let team = row.team_id.clone();
    let teams = teams(conn).await?;
    let mut people = Vec::new();
    match row.owner_id.clone() {
        Some(owner) => {
            let leader = crate::people::model::nearest_leader(&owner, Some(team.as_str()), &teams);
            people.push(owner);
            people.extend(leader);
        }
        None => {
            let pms: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM users WHERE role = 'pm' AND team_id = $1 AND active = 1",
            )
            .bind(&team)
            .fetch_all(&mut *conn)
            .await?;
            people.extend(pms);
            people.extend(crate::people::model::leader_of(Some(&team), &teams));
        }
    }
    let mut seen = Vec::new();
    for id in people {
        let user = sqlx::query(&format!(
            "SELECT {} FROM users WHERE id = $1",
            crate::auth::store::USER_COLUMNS
        ))
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(user) = user else { continue };
        let user = crate::auth::store::session_user(&user)?;
        let led_scope = if user.role == crate::auth::Role::Leader {
            crate::people::model::led_scope(&user.id, &teams)
        } else {
            Default::default()
        };
        let actor = crate::auth::Actor { user, led_scope };
        if crate::kpi::api::visible(&actor, &row) && !seen.contains(&id) {
            seen.push(id);
        }
    }
    Ok(seen)
}

/// After check-ins were stored in `conn`'s transaction: when the KPI's shown
/// status differs from the one it had before (`before`, read before the
/// check-ins), tells its people (`kpi_status_changed`).
pub async fn kpi_after_checkin(
    conn: &mut AnyConnection,
    before: &crate::kpi::store::KpiRow,
    today: i64,
    actor_id: &str,
) -> AppResult<()> {
    let Some(after) = crate::kpi::store::kpi_in(conn, &before.id).await? else {
        return Ok(());
    };
    let (was, _) = crate::kpi::api::quick_status(before, today);
    let (now, _) = crate::kpi::api::quick_status(&after, today);
    if was == now {
        return Ok(());
    }
    let event = Event::new(
        EventKind::KpiStatusChanged,
        &after.id,
        // A private KPI never reaches a team's chat.
        (after.visibility() != crate::kpi::model::Visibility::Private)
            .then_some(after.team_id.as_str()),
        Some(actor_id),
        format!("/kpis/{}", after.id),
    )
    .with("code", after.code.clone())
    .with("name", after.name.clone())
    .with("status", now.as_str());
    super::store::emit(conn, &event).await?;
    Ok(())
}
