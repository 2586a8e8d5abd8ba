//! Background work that must happen once, however many app servers run:
//! each job has a row in `jobs` with when it last ran, and a server runs a
//! job only after claiming that row with one conditional update. On
//! PostgreSQL a second server's update waits for the first one's and then
//! finds the row already claimed; on SQLite writers take turns anyway. No
//! lock is held while the job runs, and a server that dies mid-job leaves
//! nothing to clean up: the job is simply due again after its period.
use super::state::AppState;
use crate::error::AppResult;
use sqlx::AnyPool;
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A job and how often it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Finalises the free text of survey rounds whose closing time passed.
    SurveySweep,
    /// Deletes expired sessions.
    SessionExpiry,
    /// Deletes read notifications older than 180 days.
    NotifyCleanup,
}

impl Job {
    pub const ALL: [Job; 3] = [Job::SurveySweep, Job::SessionExpiry, Job::NotifyCleanup];

    pub fn name(self) -> &'static str {
        match self {
            Job::SurveySweep => "survey_sweep",
            Job::SessionExpiry => "session_expiry",
            Job::NotifyCleanup => "notify_cleanup",
        }
    }

    pub fn period(self) -> Duration {
        match self {
            Job::SurveySweep => Duration::from_secs(60),
            Job::SessionExpiry => Duration::from_secs(3600),
            Job::NotifyCleanup => Duration::from_secs(3600),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Claims `job` for `runner` when it has not run for a whole period before
/// `now`: true for exactly one of any number of servers claiming it at once.
pub async fn claim(pool: &AnyPool, job: Job, runner: &str, now: OffsetDateTime) -> AppResult<bool> {
    let due_before = rfc3339(now - job.period());
    let done = sqlx::query(
        "UPDATE jobs SET last_run = $1, runner = $2 WHERE name = $3 AND last_run <= $4",
    )
    .bind(rfc3339(now))
    .bind(runner)
    .bind(job.name())
    .bind(due_before)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Runs one job's work.
pub async fn run(state: &AppState, job: Job) -> AppResult<()> {
    match job {
        Job::SurveySweep => {
            crate::surveys::store::sweep(&state.pool, state.settings.survey_key.as_ref()).await
        }
        Job::SessionExpiry => state.sessions.delete_expired().await.map_err(|e| {
            tracing::warn!("expired sessions: {e}");
            crate::error::AppError::internal()
        }),
        Job::NotifyCleanup => crate::notify::store::cleanup(&state.pool, chrono::Utc::now())
            .await
            .map(|_| ()),
    }
}

/// Claims and runs every job that is due; returns those this server ran.
pub async fn tick(state: &AppState, runner: &str) -> Vec<Job> {
    let mut ran = Vec::new();
    for job in Job::ALL {
        match claim(&state.pool, job, runner, OffsetDateTime::now_utc()).await {
            Ok(true) => {
                if let Err(e) = run(state, job).await {
                    tracing::warn!("{} failed: {e}", job.name());
                }
                ran.push(job);
            }
            Ok(false) => {}
            Err(e) => tracing::warn!("claiming {} failed: {e}", job.name()),
        }
    }
    ran
}

/// The server's background loop: every 15 seconds, the jobs that are due.
pub async fn background(state: AppState) {
    let runner = format!(
        "{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "keel".into()),
        std::process::id()
    );
    let mut every = tokio::time::interval(Duration::from_secs(15));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if state.pool.is_closed() {
            return;
        }
        tick(&state, &runner).await;
    }
}
