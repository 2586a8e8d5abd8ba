//! Demo surveys.
use super::{TEAM_PLATFORM, TEAM_PRODUCT};
use crate::people::store;
use sqlx::AnyPool;

/// Demo surveys: two closed quarterly rounds over the whole organisation
/// (with answers, so results, the heatmap and the trend have something to
/// show) and an open wellbeing pulse waiting for everyone's answer.
pub(super) async fn seed_surveys(
    pool: &AnyPool,
    key: Option<&crate::surveys::seal::SealKey>,
    ids: &[(&str, String)],
    now: &str,
) -> crate::error::AppResult<()> {
    use crate::surveys::model::{AnswerInput, QuestionKind, Theme, template};
    use crate::surveys::store as ss;
    let admin = super::id_of(ids, "admin@example.com");
    let teams = store::teams(pool).await?;
    let people = store::people(pool).await?;
    let targets = vec![TEAM_PRODUCT.to_string(), TEAM_PLATFORM.to_string()];
    let invitees = ss::invitees(&targets, &teams, &people);
    let at = |days: i64| ss::stamp(chrono::Utc::now() + chrono::Duration::days(days));
    // A small deterministic generator: the demo looks the same on every install.
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move |n: i64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % n as u64) as i64
    };
    let rounds = [
        (
            "Q2 engagement & wellbeing · 二季度敬业度与身心健康",
            -200,
            -186,
            vec![
                Theme::Engagement,
                Theme::Safety,
                Theme::Balance,
                Theme::Wellbeing,
            ],
            0,
        ),
        (
            "Q3 engagement & wellbeing · 三季度敬业度与身心健康",
            -110,
            -96,
            vec![
                Theme::Engagement,
                Theme::Safety,
                Theme::Balance,
                Theme::Wellbeing,
            ],
            1,
        ),
        (
            "Wellbeing pulse · 身心健康脉冲调研",
            -1,
            12,
            vec![Theme::Wellbeing, Theme::Balance],
            2,
        ),
    ];
    for (title, opens, closes, themes, lift) in rounds {
        let id = uuid::Uuid::new_v4().to_string();
        let row = ss::RoundRow {
            id: id.clone(),
            title: title.into(),
            owner_id: admin.clone(),
            opens_at: at(opens),
            closes_at: at(closes),
            pulse: "none".into(),
            series_id: id.clone(),
            min_group: 5,
            comment_min: 5,
            visibility: "team".into(),
            support_note: String::new(),
            version: 1,
            cancelled_at: None,
            stopped_pulse: String::new(),
            pulse_resumed_at: None,
        };
        let questions: Vec<_> = themes.into_iter().flat_map(template).collect();
        ss::insert_round(pool, &row, &targets, &questions, &invitees, now).await?;
        if closes > 0 {
            continue;
        }
        let stored = ss::questions(pool, &id).await?;
        for (person, team) in &invitees {
            if next(10) == 0 {
                continue;
            }
            let answers: Vec<AnswerInput> = stored
                .iter()
                .filter_map(|q| {
                    let values = match q.kind {
                        QuestionKind::Likert => vec![(2 + lift + next(4)).min(5)],
                        QuestionKind::Enps => vec![(5 + lift + next(6)).min(10)],
                        QuestionKind::Single => vec![next(q.options.len() as i64)],
                        QuestionKind::Multiple => vec![next(q.options.len() as i64)],
                        QuestionKind::Text => {
                            let t = [
                                "More focus time, fewer meetings",
                                "希望目标更清晰",
                                "Great people to work with",
                                "工具需要升级",
                            ];
                            return (next(3) == 0).then(|| AnswerInput {
                                question_id: q.id.clone(),
                                values: vec![],
                                text: t[next(4) as usize].into(),
                            });
                        }
                    };
                    Some(AnswerInput {
                        question_id: q.id.clone(),
                        values,
                        text: String::new(),
                    })
                })
                .collect();
            // The same storage a real answer gets (on SQLite counters
            // overwritten in place and free text pending, on PostgreSQL a
            // sealed answer), counted by the `finalise` below.
            let sub = uuid::Uuid::new_v4().to_string();
            ss::submit(pool, key, &id, person, &sub, team, &answers, false).await?;
        }
        // Closed already: the free text goes to its final place now.
        ss::finalise(pool, key, &id).await?;
    }
    Ok(())
}
